"""The document-adaptive channel of fix_ocr_words (invented sentences only)."""

from __future__ import annotations

import pickle
from collections import Counter

from textfix.channel import ConfusionModel, adapt_confusions, confusion_blocks
from textfix.edits import apply_edits
from textfix.lexicon import load_lexicon
from textfix.stages.words import (
    _TOKEN_RE,
    FixOcrWords,
    _doc_channel,
    _DocChannel,
    _oov_totals,
    _shift,
)

_CLEAN = (
    "We walked along the quiet road beside the old church and the little school, "
    "and the morning light was soft over the green fields of the valley. "
)
# An engine that reads "r" as "i" all through the page.
_NOISY = "The daughtei and hei mothei found the watei colder than evei. "
_TARGET = "They spoke of the ieseaichei at noon.\n"


def _channel(stage: FixOcrWords, text: str) -> _DocChannel | None:
    counts = Counter(m.group().lower() for m in _TOKEN_RE.finditer(text))
    shift = _shift(*_oov_totals(counts, load_lexicon(stage.lang).freqs))
    plain = frozenset(w for w in counts if w in text and not load_lexicon(stage.lang).freq(w))
    return _doc_channel(stage, counts, plain, shift) if shift < 0 else None


def test_blocks_of_a_misreading() -> None:
    assert confusion_blocks("river", "rivei") == [("r", "i")]


def test_adapt_raises_only_and_caps() -> None:
    m = ConfusionModel({("r", "i"): -3.0, ("e", "c"): -2.0})
    a = adapt_confusions(
        m, {("r", "i"): 500, ("e", "c"): 1}, {"r": 600, "e": 900}, prior=30, cap=1.5
    )
    assert a.logp["r", "i"] == -1.5  # the cap, not the document's rate of ~0.8
    assert a.logp["e", "c"] >= -2.0  # never lowered
    weak = adapt_confusions(m, {("r", "i"): 1}, {"r": 600}, prior=30, cap=1.5)
    assert weak.logp["r", "i"] - m.logp["r", "i"] < 0.25  # one sighting: a small step


def test_document_habit_fixes_what_the_global_channel_misses() -> None:
    text = _CLEAN * 3 + _NOISY + _TARGET
    # (The word-likeness prior and the channel search read "ieseaichei" on their own: off
    # here, so that the document's channel is what is tested.)
    on = FixOcrWords(wordlike=False, channel_search=False)
    off = FixOcrWords(adapt_channel=False, wordlike=False, channel_search=False)
    assert "researcher" in apply_edits(text, on.edits(text))
    assert "ieseaichei" in apply_edits(text, off.edits(text))
    rules = {e.replacement: e.rule for e in on.edits(text)}
    assert rules["researcher"] == "adapted"
    ch = _channel(on, text)
    assert ch is not None
    assert ("r", "i") in ch.raised


def test_clean_text_keeps_the_global_channel() -> None:
    text = _CLEAN * 6
    stage = FixOcrWords()
    assert _channel(stage, text) is None
    assert list(stage.edits(text)) == []


def test_one_misreading_teaches_nothing() -> None:
    text = _CLEAN * 3 + "The daughtei came home. " + _TARGET
    assert _channel(FixOcrWords(), text) is None


def test_survey_gives_the_same_edits_and_keeps_the_channel() -> None:
    text = _CLEAN * 3 + _NOISY + _TARGET
    stage = FixOcrWords()
    survey = stage.survey(text)
    assert list(stage.edits(text, survey)) == list(stage.edits(text))
    assert survey.channel is not None
    # Surveys of the pieces add up to the survey of the whole; the sum learns anew.
    lines = text.splitlines(keepends=True)
    total = stage.survey(lines[0])
    for line in lines[1:]:
        total += stage.survey(line)
    assert total.channel is None
    assert list(stage.edits(text, total)) == list(stage.edits(text))


def test_idempotent_and_picklable() -> None:
    text = _CLEAN * 3 + _NOISY + _TARGET
    stage = FixOcrWords()
    once = apply_edits(text, stage.edits(text))
    assert list(stage.edits(once)) == []
    assert pickle.loads(pickle.dumps(stage)) == stage
