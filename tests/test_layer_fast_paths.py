"""The session-9 shortcuts of the character and layout stages agree with the plain way.

Each shortcut (a split instead of a pattern scan, an answer remembered for the same text, a
prefilter before a pattern) must give exactly what the straightforward code gives; these
properties compare the two on generated text.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

_SPACES = st.text(
    st.sampled_from([*"ab .\n\t", "\u00a0", "\u2009", "\u202f", "\u3000", "é", "\u0301", "\x07"]),
    max_size=60,
)


@given(_SPACES)
@example("a\u00a0b\u00a0\u00a0c\u00a0")
@example("\u00a0")
def test_odd_spaces_found_by_split(text: str) -> None:
    from textfix.stages.unicode import _ODD_SPACE_RE, NormalizeSpaces

    found = [e.start for e in NormalizeSpaces().edits(text)]
    assert found == [m.start() for m in _ODD_SPACE_RE.finditer(text)]


@given(st.lists(_SPACES, min_size=1, max_size=6), st.data())
def test_whole_text_answers_remembered_per_text(texts: list[str], data: st.DataObject) -> None:
    from textfix.stages.unicode import _ASCII_CONTROL_CHARS, _has_ascii_controls, _is_nfc

    # The same objects asked again, in any order, and equal texts that are other objects.
    asked = texts + [data.draw(st.sampled_from(texts)) for _ in range(6)]
    asked += ["".join(list(t)) for t in texts]
    for text in asked:
        assert _is_nfc(text) == unicodedata.is_normalized("NFC", text)
        assert _has_ascii_controls(text) == any(c in text for c in _ASCII_CONTROL_CHARS)


def test_remembered_answer_is_for_that_object_only() -> None:
    from textfix.stages.unicode import _is_nfc

    composed, decomposed = "caf\u00e9", "cafe\u0301"
    assert _is_nfc(composed) and not _is_nfc(decomposed) and _is_nfc(composed)


_HEAD_LINES = st.text(st.sampled_from([*"12 THEAD.\t\f\r-", "\u0661", "x"]), max_size=30)


@given(_HEAD_LINES)
@example("12 THE HEAD")
@example("THE HEAD 12 \f")
@example("\u0661 THE HEAD")
def test_fused_head_needs_a_number_at_an_end(line: str) -> None:
    from textfix.stages.layout import _FUSED_HEAD_RE

    core = line.strip(" \t\f")
    if _FUSED_HEAD_RE.fullmatch(line) is not None:
        assert core[:1].isdecimal() or core[-1:].isdecimal()


@given(st.lists(st.sampled_from(["a line", "12", "\fpage", "x\fy", "", "iv"]), max_size=12))
def test_kept_breaks_without_form_feeds(pieces: list[str]) -> None:
    from textfix.stages.layout import _kept_breaks, _split_lines

    text = "\n".join(pieces)
    lines, blanks, _indents, _trail = _split_lines(text)
    numbers = [i for i, (_s, _e, c) in enumerate(lines) if c.isdigit() or c == "iv"]
    plain = _kept_breaks(lines, blanks, numbers)
    assert _kept_breaks(lines, blanks, numbers, form_feeds="\f" in text) == plain


_LINE_WORDS = st.sampled_from(["the", "con", "stitution", "zqxv", "wrds", "and", "gov.", "a"])


@given(st.lists(st.lists(_LINE_WORDS, min_size=1, max_size=3), min_size=102, max_size=130))
@settings(max_examples=25)  # (long texts: enough lines to take the split)
def test_lost_breaks_split_first(lines: list[list[str]]) -> None:
    from textfix.stages import layout

    text = "\n".join(" ".join(words) for words in lines)
    plain = list(layout._scan_lost(text))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(layout, "_SPLIT_FIRST_CHARS", 0)  # every text with enough lines
        assert list(layout._scan_lost(text)) == plain


def test_regex_equivalence_used_by_the_shortcuts() -> None:
    # ``\d`` is ``str.isdecimal`` (the fused-head prefilter relies on it).
    digit = re.compile(r"\d")
    sample = "0123456789\u0661\u0966\u00b2\u00bd\u2167x"
    assert [c for c in sample if digit.match(c)] == [c for c in sample if c.isdecimal()]
