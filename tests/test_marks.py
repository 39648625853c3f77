"""Tests of fix_marked_words: a letter read as a mark inside a word, and stray marks.

Every sentence here is invented.
"""

from __future__ import annotations

import pickle

import pytest

from textfix.edits import apply_edits
from textfix.errors import ConfigError
from textfix.pipeline import load_preset
from textfix.stages.marks import FixMarkedWords


def _fix(text: str) -> str:
    return apply_edits(text, FixMarkedWords().edits(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The gate was c!ose to the road.", "The gate was close to the road."),
        ("They went e!sewhere for the night.", "They went elsewhere for the night."),
        ("He paid in ca,h for the cart.", "He paid in cash for the cart."),
        ("THE NEW HO*SE IS READY.", "THE NEW HO*SE IS READY."),  # capitals: two readings
    ],
)
def test_letters_read_as_marks(text, expected):
    assert _fix(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We came home.Then we slept.",  # a full stop before a capital
        "I said no,and left.",  # punctuation between two words
        "See e.g. the notes, i.e. the rest, at 9 a.m. today.",  # abbreviations
        "Mail me at someone@example.org or see www.example.com/a.b today.",
        "The score was 3:1 and the ratio 2.5 to one.",
        "Was it good?Yes!No, it was not.",
    ],
)
def test_punctuation_and_abbreviations_stay(text):
    assert _fix(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we walked | home in the rain", "we walked home in the rain"),
        ("a view of . the harbour", "a view of the harbour"),
    ],
)
def test_stray_marks_between_words_go(text, expected):
    assert _fix(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "three days ' work and more",  # a plural's possessive
        "one word , then another",  # spaced by hand
        "a long pause - then silence",
        "Is it so ? yes it is",
        "The end . Then another",  # a capital after the stop
    ],
)
def test_kept_marks_between_words(text):
    assert _fix(text) == text


NOISE = " ".join("xqz" + a + b for a in "bcdfg" for b in "hjklm") + (
    " The clerk said the council would meet on the first day of the month, and we walked"
    " down to the market with our friends."
)


def test_lone_apostrophe_goes_in_a_noisy_document_only():
    text = "we saw the old ' house on the hill and walked on to the town"
    assert _fix(text) == text  # clean: a quotation mark spaced by hand
    noisy = f"{NOISE} {text}"
    assert "the old house on" in _fix(noisy)
    assert "days ' work" in _fix(f"{NOISE} three days ' work and more")


def test_idempotent_and_clean_text_alone():
    pipe = load_preset("default")
    text = "The gate was c!ose to the road, and we walked | home in the rain."
    once = pipe(text)
    assert "close" in once and "|" not in once
    assert pipe(once) == once
    clean = "The old house stood close to the road; we walked home, tired but glad."
    assert pipe(clean) == clean


def test_survey_adds_up_and_settings():
    s = FixMarkedWords()
    assert s.survey("c!ose one\n") + s.survey("two\n") == s.survey("c!ose one\ntwo\n")
    assert pickle.loads(pickle.dumps(s)) == s
    with pytest.raises(ConfigError):
        FixMarkedWords(threshold=float("nan"))
