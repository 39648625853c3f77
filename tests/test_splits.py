"""Run-together words, glued marks and broken words (session 5): invented sentences only.

Documents of fewer than ~50 tokens count as clean (no noise shift), so the tests that need a
noisy document build one: a plain paragraph plus a run of junk tokens the lexicon lacks.
"""

from __future__ import annotations

import pytest

from textfix.edits import apply_edits
from textfix.stages.words import (
    _SPLIT_MARGIN,
    FixGluedPunctuation,
    FixOcrWords,
    JoinBrokenWords,
    _best_split,
    _segment,
)

PARAGRAPH = (
    "The farmer came back to the village in the evening and told his brother about the long "
    "road over the hills. "
)
JUNK = " ".join(["qzvt wrpx"] * 6)


def _doc(sentence: str, *, noisy: bool) -> str:
    middle = f" {JUNK} " if noisy else " "
    return f"{PARAGRAPH}{sentence}{middle}{PARAGRAPH}"


def _fixed(stage: object, text: str) -> str:
    return apply_edits(text, stage.edits(text))  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("they walked.home at dusk", "they walked home at dusk"),
        ("Then.the dog ran", "Then the dog ran"),
        ("it was a.good day", "it was a good day"),
        ("Lately I.have seen", "Lately I have seen"),
        ("we were'quickly gone", "we were quickly gone"),
        ("the Girls'School opened", "the Girls' School opened"),
        ("sheep and horses,.and cattle", "sheep and horses, and cattle"),
        ("whi.ch way", "which way"),
        ("the end.The next", "the end. The next"),
    ],
)
def test_glued_marks_become_spaces(text: str, expected: str) -> None:
    stage = FixGluedPunctuation()
    out = _fixed(stage, text)
    assert out == expected
    assert _fixed(stage, out) == out  # idempotent


@pytest.mark.parametrize(
    "text",
    [
        "see example.com now",
        "open the index.html file",
        "at the bbc.co.uk site",
        "apples, pears, etc.and more",
        "cf.the notes",
        "don't we're can't o'clock I'll",
        "the commedia dell'arte troupe",
        "version 3.5 and e.g. this",
        "read www.example.org/a.b now",
        "it was.I think",
        "at 9 a.m. and i.e. the U.S.A. and a.k.a. me",
        "the world'a end and I'resident",
    ],
)
def test_glued_marks_that_are_text_stay(text: str) -> None:
    assert list(FixGluedPunctuation().edits(text)) == []


def test_split_pays_its_margin() -> None:
    stage = FixOcrWords()
    raw = _segment(stage, "kingwas")
    assert raw is not None
    split = _best_split(stage, "kingwas")
    assert split is not None
    assert split[0] == pytest.approx(raw[0] + 0.3 * 1 - _SPLIT_MARGIN)


def test_unlisted_compound_of_two_words_stays_in_clean_text() -> None:
    text = _doc("Then they saw the moonwashed road.", noisy=False)
    assert "moonwashed" in _fixed(FixOcrWords(), text)


def test_run_together_with_a_misread_word_in_a_noisy_document() -> None:
    stage = FixOcrWords()
    noisy = _doc("Then everyfamilv was wet.", noisy=True)
    edits = [e for e in stage.edits(noisy) if noisy[e.start : e.end] == "everyfamilv"]
    assert [(e.replacement, e.rule) for e in edits] == [("every family", "split_fix")]
    # In clean text the token is left alone: an unknown word there is usually a real one.
    clean = _doc("Then everyfamilv was wet.", noisy=False)
    assert "everyfamilv" in _fixed(stage, clean)


def test_capitalized_token_gets_no_misread_split() -> None:
    text = _doc("Then they met Everyfamilv at the gate.", noisy=True)
    assert all(e.rule != "split_fix" for e in FixOcrWords().edits(text))


def test_broken_word_joined_in_a_noisy_document_only() -> None:
    stage = JoinBrokenWords()
    clean = _doc("We met in the after noon by the gate.", noisy=False)
    assert _fixed(stage, clean) == clean
    noisy = _doc("We met in the after noon by the gate.", noisy=True)
    assert "in the afternoon by" in _fixed(stage, noisy)


def test_join_survey_gives_the_same_edits() -> None:
    stage = JoinBrokenWords()
    noisy = _doc("We met in the after noon by the gate.", noisy=True)
    assert list(stage.edits(noisy, stage.survey(noisy))) == list(stage.edits(noisy))
    pieces = noisy.split(". ")
    total = stage.survey(pieces[0])
    for piece in pieces[1:]:
        total += stage.survey(piece)
    assert total.total == stage.survey(noisy).total


@pytest.mark.parametrize("noisy", [False, True])
def test_long_words_and_names_are_never_split(noisy: bool) -> None:
    sentence = (
        "Nevertheless he went into town, cannot rest, found himself a newspaper and a "
        "bookcase; Mr Hillsborrow and Mrs Wintergarden met them."
    )
    text = _doc(sentence, noisy=noisy)
    edits = [e for e in FixOcrWords().edits(text) if e.rule.startswith("split")]
    assert edits == []
