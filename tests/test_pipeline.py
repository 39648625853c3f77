"""Pipelines, presets, the registry and signatures."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import pytest

import textfix
from textfix import (
    ConfigError,
    Edit,
    OverlappingEditsError,
    Pipeline,
    UnknownStageError,
    get_stage,
    load_preset,
)

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True, slots=True)
class Clumsy:
    """A stage that returns overlapping edits (not registered)."""

    name: ClassVar[str] = "clumsy"

    def edits(self, text: str) -> list[Edit]:
        return [Edit(0, 2, "x", self.name), Edit(1, 3, "y", self.name)]


def test_clean_and_explain_helpers() -> None:
    assert textfix.clean("ﬁ\u00a0x") == "fi x"
    fixed = textfix.explain("ﬁ\u00a0x", preset="characters")
    assert fixed.text == "fi x"
    assert [e.stage for e in fixed.edits] == ["expand_ligatures", "normalize_spaces"]


def test_bytes_are_refused_with_advice() -> None:
    pipe = load_preset("default")
    with pytest.raises(TypeError, match=r"decode\('utf-8'\)"):
        pipe(b"abc")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expected str, got int"):
        pipe.explain(3)  # type: ignore[arg-type]


def test_overlapping_edits_name_the_stage() -> None:
    with pytest.raises(OverlappingEditsError, match="clumsy"):
        Pipeline((Clumsy(),))("abcd")


def test_not_a_stage() -> None:
    with pytest.raises(ConfigError, match="is not a stage"):
        Pipeline(("expand_ligatures",))


def test_explain_records_one_step_per_stage() -> None:
    pipe = load_preset("characters")
    fixed = pipe.explain("ok")
    assert [s.stage for s in fixed.steps] == [s.name for s in pipe.stages]
    assert all(s.edits == () for s in fixed.steps)
    assert fixed.edits == ()


def test_select_and_errors() -> None:
    pipe = load_preset("characters")
    only = pipe.select(only=["normalize_spaces", "expand_ligatures"])
    assert [s.name for s in only.stages] == ["expand_ligatures", "normalize_spaces"]  # preset order
    skipped = pipe.select(skip=["fix_mojibake"])
    assert "fix_mojibake" not in [s.name for s in skipped.stages]
    with pytest.raises(ConfigError, match="not in pipeline"):
        pipe.select(only=["fold_typography"])


def test_replace_stage_and_signature() -> None:
    pipe = Pipeline.from_stages(["expand_ligatures", "fold_typography"])
    assert pipe.signature().startswith("expand_ligatures|fold_typography|dicts:")
    changed = pipe.replace_stage("fold_typography", dashes=False)
    sig = changed.signature()
    assert "|fold_typography:dashes=no|" in sig
    assert sig.endswith(f"|v:{textfix.__version__}")
    assert changed("“a”—b") == '"a"—b'
    with pytest.raises(ConfigError, match="no_such"):
        pipe.replace_stage("fold_typography", no_such=1)
    with pytest.raises(ConfigError, match="not in pipeline"):
        pipe.replace_stage("normalize_spaces", x=1)


def test_from_config_errors() -> None:
    with pytest.raises(ConfigError, match=r"\[\[stage\]\]"):
        Pipeline.from_config({})
    with pytest.raises(ConfigError, match="has no 'name'"):
        Pipeline.from_config({"stage": [{"table": "x"}]})
    with pytest.raises(UnknownStageError, match="known stages"):
        Pipeline.from_config({"stage": [{"name": "no_such_stage"}]})
    with pytest.raises(ConfigError, match="has no setting 'colour'"):
        Pipeline.from_config({"stage": [{"name": "fold_typography", "colour": 1}]})


def test_registry() -> None:
    stages = textfix.available_stages()
    assert list(stages) == sorted(stages)
    with pytest.raises(UnknownStageError) as exc:
        get_stage("nope")
    assert "expand_ligatures" in str(exc.value)
    with pytest.raises(ConfigError, match="already registered"):

        @textfix.register
        @dataclass(frozen=True)
        class Impostor:
            name: ClassVar[str] = "expand_ligatures"

            def edits(self, text: str) -> list[Edit]:
                return []


def test_every_stage_is_a_frozen_picklable_dataclass() -> None:
    for name, cls in textfix.available_stages().items():
        stage = cls()
        assert stage.name == name
        assert dataclasses.is_dataclass(stage)
        assert cls.__dataclass_params__.frozen, f"{name} must be frozen"
        assert "__slots__" in cls.__dict__, f"{name} must use slots"
        assert pickle.loads(pickle.dumps(stage)) == stage
        module_source = inspect.getsource(sys.modules[cls.__module__])
        assert ">>>" in (cls.__doc__ or "") or ">>>" in module_source, f"{name} needs a doctest"


def test_presets() -> None:
    names = textfix.available_presets()
    assert "default" in names
    for name in names:
        pipe = load_preset(name)
        assert pipe.name == name
        assert load_preset(name) is pipe  # cached
        assert pipe.signature().count("|dicts:") == 1


def test_preset_files(tmp_path: Path) -> None:
    good = tmp_path / "mine.toml"
    good.write_text('[[stage]]\nname = "expand_ligatures"\n', encoding="utf-8")
    assert load_preset(good)("ﬁ") == "fi"
    assert load_preset(str(good)).name == "mine"
    bad = tmp_path / "bad.toml"
    bad.write_text("[[stage]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_preset(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        load_preset(tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="unknown preset 'nope'; available: "):
        load_preset("nope")
