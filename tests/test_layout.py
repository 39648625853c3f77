"""Tests of the layout stages: behaviour cases, invariants, the generator and the seeds."""

from __future__ import annotations

import importlib.util
import json
import pickle
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from textfix import Pipeline, load_preset
from textfix.edits import apply_edits
from textfix.errors import ConfigError
from textfix.registry import get_stage
from textfix.stages.layout import Dehyphenate, RemovePageFurniture, UnwrapLines

CASES = Path(__file__).parent / "cases"
REPO = Path(__file__).resolve().parents[1]
STAGES = ("remove_page_furniture", "dehyphenate", "unwrap_lines")


def _cases(stage: str) -> list[dict[str, str]]:
    with (CASES / f"{stage}.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _params() -> list[object]:
    out = []
    for stage in STAGES:
        for case in _cases(stage):
            marks = [pytest.mark.xfail(strict=True)] if case["expect"] == "xfail" else []
            out.append(pytest.param(stage, case, id=case["id"], marks=marks))
    return out


@pytest.mark.parametrize(("stage", "case"), _params())
def test_case(stage: str, case: dict[str, str]) -> None:
    s = get_stage(stage)
    out = apply_edits(case["input"], s.edits(case["input"]))
    assert out == case["expected"]
    assert apply_edits(out, s.edits(out)) == out  # idempotent


@pytest.mark.parametrize(
    "text",
    ["555- 1234", "A- on the test", "1914- 1918", "pages 12-14", "co-op", "e-mail"],
)
def test_dehyphenate_leaves_alone(text: str) -> None:
    assert list(Dehyphenate().edits(text)) == []


# A text that lost its line ends: two glued breaks, far apart, and "how-ever" between them.
_GLUED = (
    "The conversa-tion went on.\n"
    + "a plain line of words here\n" * 30
    + "They were, how-ever, plain.\n"
    + "a plain line of words here\n" * 30
    + "The inclina-tions of the council.\n"
)


def test_glued_breaks_join_common_halves_whole_and_streamed() -> None:
    from textfix.stream import iter_clean

    pipe = load_preset("default")
    out = pipe(_GLUED)
    assert "however" in out and "conversation" in out
    for chunk in (1, 64, 1 << 20):
        assert "".join(iter_clean(pipe, [_GLUED], chunk_chars=chunk)) == out


def test_glued_breaks_too_sparse_keep_common_halves() -> None:
    # Two glued breaks in a long text are no sign that it lost its line ends.
    text = _GLUED.replace("a plain line of words here\n" * 30, "a plain line of words here\n" * 400)
    out = apply_edits(text, Dehyphenate().edits(text))
    assert "how-ever" in out and "conversation" in out


def test_keep_lines_moves_second_half_up() -> None:
    s = "It gave rise to the gov¬\nernment and ushered in\na new phase"
    out = apply_edits(s, Dehyphenate(keep_lines=True).edits(s))
    assert out == "It gave rise to the government\nand ushered in\na new phase"
    pipe = load_preset("keep_lines")
    assert pipe(s) == out


def test_break_across_page() -> None:
    s = "the long negotiations with the gov-\n\n12\n\nernment went on for\nmany weeks.\n"
    assert load_preset("default")(s) == (
        "the long negotiations with the government went on for many weeks.\n"
    )


@pytest.mark.parametrize(
    ("cls", "kwargs"),
    [
        (RemovePageFurniture, {"markers": ("(",)}),
        (RemovePageFurniture, {"min_head_repeats": 1}),
        (RemovePageFurniture, {"head_similarity": 10.0}),
        (Dehyphenate, {"keep_lines": "yes"}),
        (UnwrapLines, {"short_line": 3.0}),
    ],
)
def test_bad_settings(cls: type, kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        cls(**kwargs)


@pytest.mark.parametrize("stage", STAGES)
def test_pickle(stage: str) -> None:
    s = get_stage(stage)
    assert pickle.loads(pickle.dumps(s)) == s


_LINES = st.lists(
    st.sampled_from(
        [
            "the gov-",
            "ernment",
            "",
            "12",
            "- 4 -",
            "Ameri-can",
            "A HEAD",
            "word.",
            "xiv",
            "member-",
            "parties",
            "  indented",
            "1. item",
            "a\u00ad",
            "b¬",
            "555- 1234",
            "\f",
        ]
    ),
    max_size=25,
)


@given(st.one_of(st.text(max_size=200), _LINES.map("\n".join)))
@settings(deadline=None, max_examples=150)
def test_stage_invariants(text: str) -> None:
    for stage in STAGES:
        s = get_stage(stage)
        out = apply_edits(text, s.edits(text))  # sorted, in range, non-overlapping
        assert apply_edits(out, s.edits(out)) == out


@pytest.mark.xfail(
    strict=True,
    reason="a text of four or five lines: the usual width, read from so few lengths, changes "
    "with the reflow (16 before, 9 after in the first), and a rerun joins a line the first "
    "run kept",
)
@pytest.mark.parametrize(
    "text",
    [
        "00000000a\n000000a\na\n0000000000000000",
        "0000000000a\na\n00000a\n00000000a\n000000000",  # (found in session 9)
    ],
)
def test_unwrap_lines_idempotent_on_a_tiny_text(text: str) -> None:
    # Found by the random profile of test_stage_invariants.
    s = get_stage("unwrap_lines")
    out = apply_edits(text, s.edits(text))
    assert apply_edits(out, s.edits(out)) == out


_WORDS_LINE = st.lists(
    st.sampled_from(
        "the of and to in government delegation member parties white guard was a is".split()
    ),
    min_size=1,
    max_size=12,
).map(" ".join)
_DOC_LINE = st.one_of(
    _WORDS_LINE,
    _WORDS_LINE.map(lambda s: s + "."),
    _WORDS_LINE.map(lambda s: s + " gov-"),
    st.sampled_from(["", "12", "- 4 -", "A HEAD", "1. item", "xiv"]),
)


@given(st.lists(_DOC_LINE, max_size=40).map("\n".join))
@settings(deadline=None, max_examples=150)
# Found by the random profile: the break before "A HEAD" was kept by the line width, which the
# reflow of the lines above changed (a rerun joined the heading on).
@example(
    "the the the the the the\nthe.\nthe the the the of government\nA HEAD\n"
    "the the the the the the the the the government"
)
def test_default_preset_idempotent_on_layouts(text: str) -> None:
    pipe = load_preset("default")
    out = pipe(text)
    assert pipe(out) == out


# Layout-relevant characters and words: hyphens, "¬", digits, capitals, form feeds, blank lines.
_LAYOUT_TEXT = st.one_of(
    st.text(alphabet="ab A1.-¬\n\f ", max_size=60),
    st.lists(
        st.sampled_from(
            [
                *("the", "gov-", "ernment", "12", "HEAD", "word.", "xiv", "member-", "parties"),
                *("Ameri-can", "con", "stitution", "1.", "Demo¬", "cratic", "—", "\u00ad", "- 4 -"),
                *"ab A1.-¬\n\f ",
            ]
        ),
        max_size=30,
    ).map("".join),
)


@given(_LAYOUT_TEXT)
@settings(deadline=None, max_examples=300)
# Minimal cases found by a 5000-example search (before the fixes, a rerun changed them).
@example("A-A¬\nA")  # dehyphenate: the compound before a "¬" break was its own evidence
@example("thethe1.\n12thethe thethe\nthe")  # unwrap_lines: width grew with the reflow
@example("A\n1-\n1A")  # unwrap_lines: a glued line judged apart from its continuation
@example("A1111b\n1A\n1")  # default: the reflow hid the neighbour that kept the number
@example("b1b\n1\fb\nb\n1111\f1")  # default: a mid-line form feed joined into a running head
@example("Social-\n\n\n\n\nSocial-")  # default: a wide gap shrunk to one that glues
@example("A¬\f\na")  # default: a form feed before the newline hid the break from dehyphenate
@example("gov-\nAmeri-can.Ameri-can")  # default: the glued kept break changed the evidence
@example("Ameri-can\u00adco-")  # dehyphenate: a soft hyphen after the word is a third part
@example("a\na\n1\f1\nA1A")  # default: a joined line beside a form feed became a head
@example("the\n\n\niv\n7")  # default: a kept number joined into the text across a gap
@example("1\nPage\nthe")  # default: the heading that kept a chapter number was joined
def test_idempotent_on_layout_text(text: str) -> None:
    pipe = load_preset("default")
    out = pipe(text)
    assert pipe(out) == out
    for stage in STAGES:
        s = get_stage(stage)
        once = apply_edits(text, s.edits(text))
        assert apply_edits(once, s.edits(once)) == once


def _bench() -> object:
    path = REPO / "benchmarks" / "bench_layout.py"
    spec = importlib.util.spec_from_file_location("bench_layout", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_layout"] = mod
    spec.loader.exec_module(mod)
    return mod


@given(st.integers(0, 10_000))
@settings(deadline=None, max_examples=15)
def test_generated_layout_roundtrip(seed: int) -> None:
    bench = _bench()
    gen = bench.generate(seed, _WORDS())  # type: ignore[attr-defined]
    # The character and layout layers of the default preset: word correction would (rightly)
    # touch some of the rare lexicon words the generator draws ("fo", "lo").
    pipe = _layout_layers()
    fixed = pipe(gen.text)
    got = [p.strip() for p in fixed.split("\n\n") if p.strip()]
    # Every split word is joined back; paragraphs are compared as word sequences. A page
    # furniture line that was not recognised (a lone fused head) is left out of the check.
    furniture = set(" ".join(gen.furniture).split())
    words = [w for w in " ".join(got).split() if w not in furniture]
    gold = " ".join(gen.paragraphs).split()
    # Not yet exact on every document (see docs/layout.md): at most one word in 40 breaks.
    missing = Counter(gold) - Counter(words)
    assert sum(missing.values()) <= 1 + len(gen.breaks) // 40
    assert pipe(fixed) == fixed


def _layout_layers() -> Pipeline:
    pipe = load_preset("default")
    words = [s.name for s in pipe.stages if type(s).__module__.endswith((".words", ".variants"))]
    return pipe.select(skip=words)


def _WORDS() -> list[str]:  # noqa: N802
    global _WORD_CACHE
    if not _WORD_CACHE:
        _WORD_CACHE = _bench()._words()  # type: ignore[attr-defined]
    return _WORD_CACHE


_WORD_CACHE: list[str] = []


def test_seed_004(seeds_dir: Path) -> None:
    found = sorted(seeds_dir.glob("004_*.txt"))
    if not found:
        pytest.skip("seed 004 absent")
    raw = found[0].read_text(encoding="utf-8")
    fixed = load_preset("default").explain(raw)
    assert "¬" not in fixed.text
    breaks = raw.count("¬")
    joins = sum(
        1
        for step in fixed.steps
        if step.stage == "dehyphenate"
        for e in step.edits
        if raw[e.start : e.end].startswith("¬") or "¬" in e.replacement or e.replacement == ""
    )
    assert joins >= breaks - 5
    lines = fixed.text.split("\n")
    assert not any(line.strip().isdigit() for line in lines)
    assert len(lines) < raw.count("\n") / 5  # reflowed
    assert load_preset("default")(fixed.text) == fixed.text


@pytest.mark.parametrize("prefix", ["000", "002", "003"])
def test_clean_seeds_unchanged_by_layout(seeds_dir: Path, prefix: str) -> None:
    found = sorted(seeds_dir.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"seed {prefix} absent")
    raw = found[0].read_text(encoding="utf-8")
    chars = load_preset("characters")(raw)
    fixed = load_preset("default").explain(raw)
    layout_edits = [
        (step.stage, e.rule, chars[e.start : e.end])
        for step in fixed.steps
        if step.stage in ("remove_page_furniture", "dehyphenate", "unwrap_lines")
        for e in step.edits
    ]
    assert layout_edits == []


_FORM_TEXT = st.text(
    st.sampled_from([*"abAB -‐‑¬\u00ad_.,;'()*1\n\t", "é", "ß", "İ", "\u00a0", "—", "x"]),
    max_size=40,
)


@given(text=_FORM_TEXT, form=st.text(st.sampled_from(list("ab-_é1 ")), min_size=1, max_size=4))
def test_word_form_counts_agree(text: str, form: str) -> None:
    # The fast counts of dehyphenate's evidence give what punctuation-to-space and a split give.
    import re

    from textfix.stages.layout import _count_form, _count_these_forms, _evidence, _form_text

    slow = Counter(re.sub(r"[^\w\s\-\u2010\u2011]+", " ", _form_text(text)).split())
    assert _evidence(text) == slow
    assert _count_form(_form_text(text), form) == slow[form]
    forms = [form, *slow, "a-b", "ab"]
    assert _count_these_forms(_form_text(text), forms) == {f: slow[f] for f in forms}


@given(
    st.text(
        st.sampled_from([*"pPagGe.-–—[]() \t\fivxlcIVX0123456789aZ•*·▪", "١", "²", "é", "À"]),
        min_size=1,
        max_size=12,
    )
)
@example("Page 12")
@example("- xiv -")
@example("[12]")
@example("a) one")
@example("(iv) four")
def test_layout_fast_checks_agree(line: str) -> None:
    from textfix.stages.layout import (
        _LIST_ITEM_RE,
        _PAGE_NUMBER_RE,
        _is_list_item,
        _is_page_number,
        _upper_ratio,
    )

    assert _is_page_number(line) == bool(_PAGE_NUMBER_RE.fullmatch(line))
    assert _is_list_item(line) == bool(_LIST_ITEM_RE.match(line))
    letters = "".join(filter(str.isalpha, line))
    expected = sum(map(str.isupper, letters)) / len(letters) if letters else 0.0
    assert _upper_ratio(line) == expected


@given(
    text=st.lists(st.sampled_from([*"ab\n\n A-é", "ab", "\nab", "\nb"]), max_size=30).map("".join),
    pick=st.integers(0, 3),
)
def test_lines_starting_with_agrees_with_the_pattern(text: str, pick: int) -> None:
    from textfix.stages.layout import _LINE_START_WORD_RE, _lines_starting_with

    starts = [m.group(1) for m in _LINE_START_WORD_RE.finditer(text)]
    words = set(starts[:pick]) | {"ab"}
    expected = [
        (m.start(), m.start(1)) for m in _LINE_START_WORD_RE.finditer(text) if m.group(1) in words
    ]
    assert _lines_starting_with(text, words) == expected


@given(st.text(st.sampled_from([*"ab -¬\u00ad\u2010\u2011\n\t", "é"]), max_size=40))
def test_hyphen_candidates_agree_with_the_patterns(text: str) -> None:
    from textfix.stages.layout import _BREAK_AT_RE, _INLINE_AT_RE, _hyphen_offsets

    offsets = _hyphen_offsets(text)
    for pattern in (_BREAK_AT_RE, _INLINE_AT_RE):
        found = [m.span() for p in offsets if (m := pattern.match(text, p)) is not None]
        assert found == [m.span() for m in pattern.finditer(text)]
