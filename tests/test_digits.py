"""fix_letter_digits: letter/digit confusions by context; numbers, dates and amounts kept.

Behaviour cases are in ``tests/cases/fix_letter_digits.jsonl``; here are the helpers, the
settings, the document evidence and a property: clean text made of common words and
numbers, dates and amounts in their usual forms gets no edit, and the default preset keeps
every one of its numbers.
"""

from __future__ import annotations

import pickle
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from textfix import load_preset
from textfix.edits import apply_edits
from textfix.errors import ConfigError
from textfix.lexicon import load_lexicon
from textfix.stages.amounts import FixAmountDigits
from textfix.stages.digits import FixLetterDigits, read_number, read_word

STAGE = FixLetterDigits()


def fix(text: str, stage: FixLetterDigits = STAGE) -> str:
    return apply_edits(text, stage.edits(text))


@pytest.mark.parametrize(
    ("tok", "number"),
    [
        ("l8", "18"),
        ("l80", "180"),
        ("i8th", "18th"),
        ("2lst", "21st"),
        ("18I3", "1813"),
        ("18", None),  # already a number
        ("i8st", None),  # not the ordinal ending of 18
        ("S12", None),  # a capital before digits starts a code
        ("I5", None),
        ("88i", None),  # a letter after digits: a fraction, a unit
    ],
)
def test_read_number(tok: str, number: str | None) -> None:
    assert read_number(tok) == number


@pytest.mark.parametrize(
    ("tok", "word"),
    [
        ("1han", "than"),
        ("8he", "she"),
        ("a11", "all"),
        ("th4", "the"),
        ("sacri6ce", "sacrifice"),
        ("no1", None),  # "not" or "now": no clear winner
        ("10s", None),  # shillings
        ("11th", None),  # an ordinal
        ("1in", None),  # inches ("tin" is too unlikely a misreading)
        ("8vo", None),  # octavo
        ("4to", None),  # quarto
        ("mp3", None),
        ("t0", None),  # too short to tell from a code
    ],
)
def test_read_word(tok: str, word: str | None) -> None:
    assert read_word(tok) == word


def test_no_number_where_a_word_reading_is_likely() -> None:
    assert read_number("i1") == "11"
    assert fix("They placed i1 the box.") == "They placed i1 the box."  # "if", "it", "in"


def test_digit_token_needs_a_fitting_next_word() -> None:
    assert fix("Then 1 went home.") == "Then I went home."
    assert fix("Then 1 acre was sold.") == "Then 1 acre was sold."
    assert fix("Then 1, 2 and 3 were sold.") == "Then 1, 2 and 3 were sold."
    assert fix("He paid £1 1 will not.") == "He paid £1 1 will not."  # beside an amount


def test_document_evidence() -> None:
    # Three sure readings of "1" as "I" let a weaker fit ("1 walked") count too.
    sure = "Then 1 will go. Later 1 have seen it. Now 1 am here. "
    assert fix(sure + "At noon 1 walked on.").endswith("At noon I walked on.")
    assert fix("At noon 1 walked on.") == "At noon 1 walked on."
    off = FixLetterDigits(doc_evidence=0)
    assert fix(sure + "At noon 1 walked on.", off).endswith("At noon 1 walked on.")


def test_case_of_mixed_words() -> None:
    assert fix("The rain stopped. 8he went out.") == "The rain stopped. She went out."
    assert fix("and more 1han a score") == "and more than a score"
    assert fix("The United 8tates and its allies") == "The United States and its allies"


def test_idempotent_and_picklable() -> None:
    text = "Then 1 will go, and a11 later 1han the l8th of May; 1 acre at £1 1s."
    once = fix(text)
    assert list(STAGE.edits(once)) == []
    assert pickle.loads(pickle.dumps(STAGE)) == STAGE


@pytest.mark.parametrize(
    "kwargs", [{"min_fit": float("nan")}, {"doc_evidence": -1}, {"lang": 3}, {"confusions": None}]
)
def test_bad_settings(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        FixLetterDigits(**kwargs)  # type: ignore[arg-type]


def test_amounts_fixed_point() -> None:
    stage = FixAmountDigits()
    text = "We paid Is. Gd. for it, and 3s. more."
    once = apply_edits(text, stage.edits(text))
    assert once == "We paid 1s. 6d. for it, and 3s. more."
    assert list(stage.edits(once)) == []


# --- property: clean numbers, dates and amounts are never read as letters -----------------

_WORDS = sorted(
    w
    for w, f in load_lexicon("en").freqs.items()
    if w.isascii() and w.isalpha() and w.islower() and f >= 10 ** (5.0 - 9)
)
_MONTHS = ("January", "March", "May", "July", "October", "December")
# A bare "1" or "0" before a verb is exactly the ambiguous case the stage reads ("1 am"), so
# the numbers here have two digits or more, or are single digits from 2 to 9.
_NUMBER = st.one_of(
    st.integers(2, 9).map(str),
    st.integers(10, 99999).map(str),
    st.integers(1000, 999999).map(lambda n: f"{n:,}"),
    st.tuples(st.integers(1, 99), st.integers(0, 99)).map(lambda p: f"{p[0]}.{p[1]:02d}"),
)


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


_DATE = st.one_of(
    st.tuples(st.integers(1, 31), st.sampled_from(_MONTHS), st.integers(1600, 2030)).map(
        lambda d: f"{d[0]} {d[1]} {d[2]}"
    ),
    st.tuples(st.integers(1, 31), st.sampled_from(_MONTHS)).map(
        lambda d: f"the {_ordinal(d[0])} of {d[1]}"
    ),
    st.tuples(st.integers(1, 12), st.integers(1, 28), st.integers(1900, 2030)).map(
        lambda d: f"{d[0]}/{d[1]}/{d[2]}"
    ),
)
_AMOUNT = st.one_of(
    st.tuples(st.integers(1, 99), st.integers(0, 19), st.integers(0, 11)).map(
        lambda a: f"£{a[0]} {a[1]}s. {a[2]}d."
    ),
    st.tuples(st.integers(1, 19), st.integers(1, 11)).map(lambda a: f"{a[0]}s. {a[1]}d."),
    st.integers(1, 999).map(lambda n: f"${n}.50"),
    st.integers(1, 99).map(lambda n: f"{n} per cent"),
    st.integers(1, 99).map(lambda n: f"{n}ft {n % 12}in"),
)
_PIECE = st.one_of(st.sampled_from(_WORDS), _NUMBER, _DATE, _AMOUNT)
_DIGIT_TOKEN_RE = re.compile(r"\S*\d\S*")


@given(pieces=st.lists(_PIECE, min_size=1, max_size=25))
def test_clean_numbers_dates_amounts_untouched(pieces: list[str]) -> None:
    text = " ".join(pieces) + "."
    assert list(STAGE.edits(text)) == []
    assert list(FixAmountDigits().edits(text)) == []
    out = load_preset("default")(text)
    assert _DIGIT_TOKEN_RE.findall(out) == _DIGIT_TOKEN_RE.findall(text)


def test_survey_adds_up_and_streams() -> None:
    from textfix.pipeline import Pipeline
    from textfix.stream import iter_clean

    text = "Then 1 will go.\nLater 1 have seen it.\nNow 1 am here.\nAt noon 1 walked on.\n" * 5
    cut = text.index("\n", len(text) // 2) + 1
    whole = STAGE.survey(text)
    assert STAGE.survey(text[:cut]) + STAGE.survey(text[cut:]) == whole
    assert list(STAGE.edits(text)) == list(STAGE.edits(text, survey=whole))
    pipe = Pipeline((STAGE,))
    assert "".join(iter_clean(pipe, [text], chunk_chars=40)) == pipe(text)
    assert "At noon I walked on." in pipe(text)


def test_long_tokens_stay_cheap() -> None:
    # The readings multiply with each digit ("1" alone has about ten): a token with many
    # digits is never expanded (this would not finish otherwise).
    for text in ("x l" + "1" * 40 + " y", "a word'" + "1" * 40 + " here", "l1" * 3000):
        assert list(FixLetterDigits().edits(text)) is not None
    assert fix("a l" + "1" * 40 + " b") == "a " + "1" * 41 + " b"
