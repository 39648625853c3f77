"""Behaviour cases kept as data: ``tests/cases/<stage>.jsonl`` and ``tests/cases/negative.jsonl``.

Each line is ``{"id", "input", "expected", "expect": "pass"|"xfail", "note"}``, plus an optional
``"params"`` object of stage settings. A stage file runs that stage alone, with its default
settings unless the case gives ``params``; ``negative.jsonl`` holds clean texts that the
default preset must leave unchanged (``expected`` equals ``input``). Known failures stay in the
files as strict xfails, so that a fix is noticed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from textfix import Pipeline, load_preset

CASES = Path(__file__).parent / "cases"
FIELDS = {"id", "input", "expected", "expect", "note"}
OPTIONAL = {"params"}


def _load() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("*.jsonl")):
        seen: set[str] = set()
        for lineno, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            if not line.strip():
                continue
            case = json.loads(line)
            where = f"{path.name}:{lineno}"
            assert FIELDS <= set(case) <= FIELDS | OPTIONAL, (
                f"{where}: fields must be {sorted(FIELDS)}, optionally {sorted(OPTIONAL)}"
            )
            assert case["expect"] in {"pass", "xfail"}, where
            assert case["id"] not in seen, f"{where}: duplicate id {case['id']!r}"
            seen.add(case["id"])
            marks = []
            if case["expect"] == "xfail":
                marks.append(pytest.mark.xfail(reason=case["note"] or "known failure", strict=True))
            params.append(
                pytest.param(path.stem, case, id=f"{path.stem}:{case['id']}", marks=marks)
            )
    return params


def _pipeline(kind: str, params: dict[str, Any]) -> Pipeline:
    if kind == "negative":
        return load_preset("default")
    return Pipeline.from_config({"stage": [{"name": kind, **params}]}, name=kind)


@pytest.mark.parametrize(("kind", "case"), _load())
def test_case(kind: str, case: dict[str, Any]) -> None:
    pipe = _pipeline(kind, case.get("params", {}))
    if kind == "negative":
        assert case["expected"] == case["input"], "negative cases must expect no change"
    fixed = pipe.explain(case["input"])
    assert fixed.text == case["expected"]
    if case["expected"] == case["input"]:
        assert fixed.edits == ()
    assert pipe(fixed.text) == fixed.text  # idempotent on the case too


def test_every_case_file_names_a_stage() -> None:
    from textfix import available_stages

    stages = set(available_stages())
    for path in CASES.glob("*.jsonl"):
        assert path.stem == "negative" or path.stem in stages, f"{path.name}: no such stage"
