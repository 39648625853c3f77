"""Edge cases of the character stages, as inline tables (the behaviour cases are data files)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from textfix import ConfigError, Pipeline, get_stage


def run(stage: str, text: str, **params: object) -> str:
    return Pipeline((get_stage(stage, **params),))(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\r\n\r\nb", "a\n\nb"),
        ("\r", "\n"),
        ("\n\n", "\n\n"),
        ("no line end", "no line end"),
    ],
)
def test_normalize_newlines(text: str, expected: str) -> None:
    assert run("normalize_newlines", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\u200d", "a"),  # at the end of the text
        ("\u200db", "b"),  # at the start
        ("ب\u200dب", "ب\u200dب"),  # between Arabic letters: meaningful
        ("ب\x00\u200d\x00ب", "ب\u200dب"),  # controls go, the joiner stays
        ("a\x00\u200dب", "aب"),  # judged around the run, controls included
        ("x \u200c\x00\u200c y", "x  y"),
        ("A\u0300\u200c0", "A\u03000"),  # the mark's base is Latin
        ("ب\u0650\u200dب", "ب\u0650\u200dب"),  # the mark's base is Arabic
        ("0\u200c0", "00"),  # between digits: a word stage may make them letters
        ("ب\u200c.", "ب."),  # beside punctuation
        ("\u2060\u180e", ""),
        ("\x7f\x80\x9f", ""),
    ],
)
def test_remove_control_chars(text: str, expected: str) -> None:
    assert run("remove_control_chars", text) == expected


def test_remove_control_chars_is_linear() -> None:
    # A long run of joiners and controls between non-Latin letters: one pass, no backtracking.
    text = "ب" + "\u200c\x00" * 20000 + "ب"
    assert run("remove_control_chars", text) == "ب" + "\u200c" * 20000 + "ب"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ﬁ", "fi"),
        ("ﬁ\u0301\u0323", "f" + unicodedata.normalize("NFC", "i\u0323\u0301")),
        ("aﬀb", "affb"),
        ("", ""),
    ],
)
def test_expand_ligatures(text: str, expected: str) -> None:
    assert run("expand_ligatures", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("e\u0301\u0301", "é\u0301"),
        ("\u0301a", "\u0301a"),  # a leading mark has nothing to join
        ("ASCII only", "ASCII only"),
    ],
)
def test_normalize_unicode(text: str, expected: str) -> None:
    assert run("normalize_unicode", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CafÃ©", "Café"),
        ("plain ascii", "plain ascii"),
        ("São Paulo, déjà vu", "São Paulo, déjà vu"),  # not mojibake: left alone
        ("Ã\u202f", "à "),  # "Ã" + no-break space is the mojibake of "à"
        ("Â\u202fx", " x"),  # mojibake once the odd space is plain
    ],
)
def test_fix_mojibake(text: str, expected: str) -> None:
    assert run("fix_mojibake", text) == expected


def test_fold_typography_settings() -> None:
    assert run("fold_typography", "“a”–b", dashes=False) == '"a"–b'
    assert run("fold_typography", "“a”–b", quotes=False) == "“a”-b"
    with pytest.raises(ConfigError, match="must be true or false"):
        get_stage("fold_typography", quotes="yes")


_MOJIBAKE_CHARS = (
    "ÃÂÎÐ€œŒŠš¢£Ÿž®©°·»«–—´ØÙ²³µ¹¼½¾√±∂†≠™≤≥¥ø≈‚ÄìîïòôúùûπâóàäêéвЂВГРСўΒΓΞΟβāΆ×"
    "\x80\x85\x9d\xa0\xad“”‘’¡¿"
)
# Lines (no newline) made of mojibake-prone characters, plain words and any other character.
_MOJIBAKE_LINE_PARTS = st.lists(
    st.one_of(
        st.sampled_from(_MOJIBAKE_CHARS),
        st.text("aZ .,?!'", min_size=1, max_size=20),
        st.characters(exclude_categories=("Cs",), exclude_characters="\n"),
    ),
    max_size=30,
)


@given(parts=_MOJIBAKE_LINE_PARTS)
def test_badness_windows_agree_with_ftfy(parts: list[str]) -> None:
    from ftfy.badness import is_bad

    from textfix.stages.unicode import _looks_bad

    line = "".join(parts)
    assert _looks_bad(line) == is_bad(line)


@given(parts=_MOJIBAKE_LINE_PARTS)
def test_badness_needs_a_mojibake_hint(parts: list[str]) -> None:
    # fix_mojibake judges only the lines that hold a hint: every bad line must hold one.
    from ftfy.badness import BADNESS_RE

    from textfix.stages.unicode import _hinted_lines

    line = "".join(parts)
    if BADNESS_RE.search(line) or BADNESS_RE.search(line + " "):
        assert list(_hinted_lines(line)) == [(0, len(line))]


def test_mojibake_hint_covers_what_the_later_stages_change() -> None:
    from textfix.stages.unicode import _CONTROL_CHARS, _LIGATURE_CHARS, _hinted_lines

    for c in _CONTROL_CHARS + _LIGATURE_CHARS + "\u200c\u200d":
        if c.isascii():  # left to the caller
            continue
        assert list(_hinted_lines(f"a\nb{c}\u201d\nc")) == [(2, 5)], repr(c)
    assert list(_hinted_lines("\u201ca\u2019\u00a0\u2014\nb\n")) == []
