"""Tests of the word-likeness prior and the channel search of fix_ocr_words.

Every sentence here is invented. A block of made-up non-words makes a document as noisy as
bad OCR (its unknown-word prior drops), which is where both apply.
"""

from __future__ import annotations

import pickle
from dataclasses import replace

import pytest

from textfix.channelsearch import channel_readings, channel_words
from textfix.edits import apply_edits
from textfix.errors import ConfigError
from textfix.pipeline import load_preset
from textfix.stages.words import FixOcrWords
from textfix.wordlike import implausibility, unlike_penalty, wordlikeness

NOISE = " ".join("xqz" + a + b for a in "bcdfg" for b in "hjklm")
HEAD = "The clerk said the council would meet on the first day of the month. We walked "


def _noisy(sentence: str) -> str:
    return f"{HEAD}down to the market with our friends. {NOISE} {sentence}"


def _run(text: str, stage: FixOcrWords | None = None) -> tuple[str, list]:
    edits = list((stage or FixOcrWords()).edits(text))
    return apply_edits(text, edits), edits


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The nronertv was sold at auction.", "The property was sold"),
        ("They met in lebiuarj last year.", "met in february last"),
        ("We are ostimntlng the cost of the new road.", "are estimating the cost"),
        ("The gulllv party was fined.", "The guilty party"),
    ],
)
def test_channel_search_reads_badly_damaged_words(sentence, expected):
    out, edits = _run(_noisy(sentence))
    assert expected in out
    assert "channel" in [e.rule for e in edits]


def test_channel_search_can_be_turned_off():
    stage = replace(FixOcrWords(), channel_search=False)
    out, edits = _run(_noisy("The nronertv was sold at auction."), stage)
    assert "nronertv" in out
    assert "channel" not in [e.rule for e in edits]


def test_wordlike_prior_lets_an_implausible_token_be_read():
    # "aftomoou" is several learned confusions from "afternoon": too far for the usual prior
    # of an unknown token, not for one spelled like no word.
    text = _noisy("It was the aftomoou of a long day.")
    assert "the afternoon of" in _run(text)[0]
    assert "the aftomoou of" in _run(text, replace(FixOcrWords(), wordlike=False))[0]


@pytest.mark.parametrize(
    "sentence",
    [
        # Names and foreign words spelled unlike English, in a clean document.
        "Mr Tjalsma and Mrs Ngozi Okwuosa met Dr Kpodo at the Szczecin harbour office.",
        "The choir sang Kyrie eleison before the abbot of Mljet read the letter aloud.",
    ],
)
def test_clean_text_is_left_alone(sentence):
    text = f"{HEAD}down to the market with our friends. {sentence}"
    out, edits = _run(text)
    assert out == text, edits


def test_no_channel_search_in_a_clean_document():
    text = f"{HEAD}down to the market. The nronertv was sold at auction."
    assert not [e for e in _run(text)[1] if e.rule == "channel"]


def test_channel_search_ignores_accented_and_short_tokens():
    # (Other readings may still change them; the channel search does not.)
    _, edits = _run(_noisy("La révèrent dame and the cnt were there."))
    assert not [e for e in edits if e.rule == "channel"]


def test_default_preset_is_idempotent_on_damaged_text():
    pipe = load_preset("default")
    text = _noisy("The nronertv and the cntlru sum were sold in lebiuarj at auction.")
    once = pipe(text)
    assert pipe(once) == once


def test_wordlikeness_and_penalty():
    assert wordlikeness("garden") > wordlikeness("gnrdcn")
    assert implausibility("window") == 0.0
    assert implausibility("tliuos") > 1.0
    # Only in a noisy document, growing with its noise, and never for glyphs or digits.
    assert unlike_penalty("tliuos", 0.0) == 0.0
    assert 0 < unlike_penalty("tliuos", -1.0) < unlike_penalty("tliuos", -4.0) <= 5.0
    assert unlike_penalty("tl1uos", -4.0) == 0.0


def test_channel_words_follow_learned_confusions():
    assert "afternoon" in channel_words("aftomoou")
    assert channel_words("garden") >= {"garden"}
    assert channel_readings("aftomoou")[0][1] == "afternoon"
    assert channel_readings("Aftomoou")[0][1] == "Afternoon"
    assert channel_readings("AFTOMOOU")[0][1] == "AFTERNOON"


def test_channel_words_are_bounded_on_long_junk():
    # A long run of confusable letters: the beam keeps the search small.
    assert isinstance(channel_words("iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii"), set)


def test_settings_pickle_and_validate():
    stage = replace(FixOcrWords(), wordlike=False, channel_search=False)
    assert pickle.loads(pickle.dumps(stage)) == stage
    with pytest.raises(ConfigError):
        FixOcrWords(threshold=float("nan"))


@pytest.mark.parametrize(
    ("token", "expected"), [("COUNTnY", "COUNTRY"), ("BALFOUIt", "BALFOUR"), ("THErT", "THEFT")]
)
def test_capitals_with_a_letter_in_lowercase_are_read_in_capitals(token, expected):
    out, _ = _run(_noisy(f"NEWS OF THE {token} AND THE TOWN."))
    assert f"THE {expected} AND" in out


@pytest.mark.parametrize("name", ["McDonald", "MacLeod", "DuBois", "iPhone"])
def test_mixed_case_names_are_not_capitals(name):
    from textfix.stages.words import _case_mode

    assert _case_mode(name) != 1
