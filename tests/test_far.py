"""Tests of the far search of fix_ocr_words: words damaged beyond two plain edits.

Every sentence here is invented. A block of made-up non-words makes a document as noisy as
bad OCR (its unknown-word prior drops), which is where the far search runs.
"""

from __future__ import annotations

import pytest

from textfix.edits import apply_edits
from textfix.pipeline import load_preset
from textfix.stages import words
from textfix.stages.words import FixOcrWords

# 25 distinct made-up tokens: about a third of the document's words are unknown.
NOISE = " ".join("xqz" + a + b for a in "bcdfg" for b in "hjklm")
HEAD = "The clerk said the council would meet on the first day of the month. We walked "


def _noisy(sentence: str) -> str:
    return f"{HEAD}down to the market with our friends. {NOISE} {sentence}"


def _run(text: str) -> tuple[str, list]:
    edits = list(FixOcrWords().edits(text))
    return apply_edits(text, edits), edits


def test_far_misreading_of_a_long_word_is_fixed():
    # "important" with "m" printed as "in" and "n" as "u": three plain edits away.
    text = _noisy("It was an iinportaut day for the town.")
    out, edits = _run(text)
    assert "It was an important day" in out
    assert [e.rule for e in edits if e.replacement == "important"] == ["far"]


@pytest.mark.parametrize(
    ("token", "expected"), [("Iinportaut", "Important"), ("IINPORTAUT", "IMPORTANT")]
)
def test_far_keeps_case(token, expected):
    out, _ = _run(_noisy(f"So it was. {token} news came late."))
    assert f"{expected} news" in out


def test_far_never_touches_a_listed_word():
    # Rare but listed words (Zipf 1-2.6), some a few edits from commoner ones.
    sentence = "The quincunx and the portmanteau were impugned by pertinacious men."
    out, edits = _run(_noisy(sentence))
    assert sentence in out
    assert not [e for e in edits if e.rule == "far"]


def test_far_never_touches_short_tokens():
    # Six letters or fewer: too many words lie three edits away for any to be confident.
    _, edits = _run(_noisy("A iinpor man came."))
    assert not [e for e in edits if e.rule == "far"]


def test_far_leaves_clean_text_alone():
    text = (
        "The committee reported that the government had considered the question of the "
        "harbour works with particular attention, and that the engineers recommended an "
        "immediate extension of the eastern breakwater before the winter storms. Several "
        "members expressed their satisfaction with the progress of the undertaking."
    )
    assert list(FixOcrWords().edits(text)) == []
    assert load_preset("default")(text) == text


def test_far_is_idempotent():
    out, edits = _run(_noisy("It was an iinportaut day. Tbe bnsiuoss was over."))
    assert edits
    assert list(FixOcrWords().edits(out)) == []


def test_far_is_off_in_a_clean_document():
    # The same token in clean prose: an unknown token there is as likely a rare real word
    # (a name, a term), and the far search does not run.
    text = HEAD + "down to the iinportaut market with our friends and then went home again."
    _, edits = _run(text)
    assert not [e for e in edits if e.rule == "far"]


def test_far_scored_requires_a_unique_winner():
    stage = FixOcrWords()
    assert words._far_scored(stage, "iinportaut")[0][1:] == ("important", "far")
    assert words._far_scored(stage, "xqzbhxqzbh") == ()
    assert words._far_scored(stage, "iinport4ut") == ()  # letters only
