"""join_damaged_words: fragments that OCR broke apart and misread (behaviour cases are in
tests/cases/join_damaged_words.jsonl)."""

from __future__ import annotations

import pickle

import pytest

from textfix.edits import apply_edits
from textfix.errors import ConfigError
from textfix.stages.fragments import _MIN_JUNCTION, JoinDamagedWords, _junction
from textfix.stages.words import _shift

# A noisy page (a fifth of its words misread): join_damaged_words, like fix_ocr_words, keeps
# listed fragments such as "com" in a document as clean as clean prose.
TEXT = (
    "The com mittcos met in the hall. Her daugh tei read the report aloud,\n"
    "and tbe rnembers voled on the rnotion before the mcetiug closed. After\n"
    "that tho chairrnan thanked the speakcrs, and the secretary rcad the list of\n"
    "subscriptions rcceived since the last rneeting of the society in March.\n"
)


def test_joins_with_offsets_into_the_input() -> None:
    edits = list(JoinDamagedWords().edits(TEXT))
    assert [(TEXT[e.start : e.end], e.replacement) for e in edits] == [
        ("com mittcos", "committees"),
        ("daugh tei", "daughter"),
    ]
    assert all(e.rule == "join_fixed" and 0.5 <= e.confidence <= 1 for e in edits)


def test_idempotent() -> None:
    stage = JoinDamagedWords()
    once = apply_edits(TEXT, stage.edits(TEXT))
    assert list(stage.edits(once)) == []


def test_margin_trades_recall_for_precision() -> None:
    assert list(JoinDamagedWords(margin=50).edits(TEXT)) == []


def test_protected_words_are_left() -> None:
    assert [e.replacement for e in JoinDamagedWords(protected=("mittcos",)).edits(TEXT)] == [
        "daughter"
    ]


def test_survey_gives_the_same_edits() -> None:
    stage = JoinDamagedWords()
    survey = stage.survey(TEXT)
    assert list(stage.edits(TEXT, survey)) == list(stage.edits(TEXT))
    half = TEXT.index("\n") + 1
    assert stage.survey(TEXT[:half]) + stage.survey(TEXT[half:]) == survey


def test_pickles_small() -> None:
    stage = JoinDamagedWords(margin=1.0)
    assert pickle.loads(pickle.dumps(stage)) == stage
    assert len(pickle.dumps(stage)) < 400


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("margin", float("nan")),
        ("margin", "x"),
        ("max_parts", 1),
        ("known_zipf", 9),
        ("max_shift", float("nan")),
        ("max_shift", True),
    ],
)
def test_bad_settings(field: str, value: object) -> None:
    with pytest.raises(ConfigError, match=f"join_damaged_words: {field}"):
        JoinDamagedWords(**{field: value})  # type: ignore[arg-type]


def test_user_dicts_must_be_a_list() -> None:
    with pytest.raises(ConfigError, match="user_dicts"):
        JoinDamagedWords(user_dicts="words.txt")  # type: ignore[arg-type]


def test_noise_gate() -> None:
    """With ``max_shift`` the stage looks only at documents at least that noisy."""
    stage = JoinDamagedWords()
    shift = _shift(stage.survey(TEXT).total, stage.survey(TEXT).unknown)
    assert shift < 0
    assert list(JoinDamagedWords(max_shift=shift).edits(TEXT)) == list(stage.edits(TEXT))
    assert list(JoinDamagedWords(max_shift=shift - 0.25).edits(TEXT)) == []


@pytest.mark.parametrize(
    ("words", "broken"),
    [(("childi", "en"), True), (("com", "mittcos"), True), (("walls", "garden"), False)],
)
def test_junction(words: tuple[str, str], broken: bool) -> None:
    """A word broken in two reads better joined, letter by letter; many pairs of words do not
    (a weak test: it only spares the word model the questions it would answer no to)."""
    assert (_junction(words, {}, "en", ()) >= _MIN_JUNCTION) is broken


def test_three_parts() -> None:
    s = "The com mit tcos met in the hall, and tbe rnembers voled on the rnotion."
    assert list(JoinDamagedWords(max_parts=3).edits(s)) == list(
        JoinDamagedWords(max_parts=3).edits(s)
    )
