"""fix_context_words: real-word errors judged by the noisy channel and context (invented text)."""

from __future__ import annotations

import dataclasses
import json
import pickle
from typing import TYPE_CHECKING

import pytest

from textfix.edits import apply_edits
from textfix.errors import ConfigError
from textfix.pipeline import load_preset
from textfix.registry import get_stage
from textfix.stages.realwords import FixContextWords

if TYPE_CHECKING:
    from pathlib import Path

# An invented noisy page: many tokens no lexicon lists, as raw OCR has.
NOISY = (
    "Tbe qvarterly mcetinq of tbe socicty was beld in tbe hnll, and tbe cbairman "
    "rcad tbe rcport of tbe trensurer, wbich sbowed a smnll bnlance in band. "
) * 3
# The same page as a clean transcription would have it.
CLEAN = (
    "The quarterly meeting of the society was held in the hall, and the chairman "
    "read the report of the treasurer, which showed a small balance in hand. "
) * 3
SENTENCES = [
    ("He has been there fur many years.", "He has been there for many years."),
    ("It is done in the sam manner as before.", "It is done in the same manner as before."),
]


def _fixed(text: str) -> str:
    return apply_edits(text, FixContextWords().edits(text))


@pytest.mark.parametrize(("sentence", "expected"), SENTENCES)
def test_fixes_a_real_word_misreading_in_a_noisy_document(sentence: str, expected: str) -> None:
    out = _fixed(NOISY + sentence)
    assert out.endswith(expected)


@pytest.mark.parametrize(("sentence", "expected"), SENTENCES)
def test_leaves_the_same_sentence_alone_in_a_clean_document(sentence: str, expected: str) -> None:
    text = CLEAN + sentence
    assert list(FixContextWords().edits(text)) == []
    assert list(FixContextWords().edits(sentence)) == []  # too short to tell: clean


def test_edits_are_explained_and_idempotent() -> None:
    text = NOISY + " ".join(s for s, _ in SENTENCES)
    edits = list(FixContextWords().edits(text))
    assert edits
    assert all(e.stage == "fix_context_words" and e.rule == "context" for e in edits)
    assert all(0.5 <= e.confidence <= 1.0 for e in edits)
    once = apply_edits(text, edits)
    assert list(FixContextWords().edits(once)) == []


def test_margin_grows_as_the_document_gets_cleaner() -> None:
    """A stricter bar (as in a cleaner document) makes fewer changes, never more."""
    text = NOISY + " ".join(s for s, _ in SENTENCES)
    counts = [len(list(FixContextWords(threshold=t).edits(text))) for t in (2.0, 4.0, 6.0, 20.0)]
    assert counts == sorted(counts, reverse=True)
    assert counts[-1] == 0


def test_old_spelling_document_is_left_alone() -> None:
    old = "He kept his owne booke, and the beste of it was beene read aboue. " * 6
    text = NOISY + old + SENTENCES[0][0]
    assert _fixed(text) == text


def test_word_without_neighbours_is_not_judged() -> None:
    text = NOISY + "\n\nfur.\n\n"
    assert all(e.end <= len(NOISY) for e in FixContextWords().edits(text))


def test_survey_matches_whole_text() -> None:
    stage = FixContextWords()
    text = NOISY + SENTENCES[0][0]
    assert list(stage.edits(text, stage.survey(text))) == list(stage.edits(text))


def test_picklable_and_registered() -> None:
    stage = get_stage("fix_context_words")
    assert isinstance(stage, FixContextWords)
    clone = pickle.loads(pickle.dumps(stage))
    text = NOISY + SENTENCES[0][0]
    assert list(clone.edits(text)) == list(stage.edits(text))
    assert "fix_context_words" in [s.name for s in load_preset("thorough").stages]
    assert "fix_context_words" not in [s.name for s in load_preset("default").stages]


@pytest.mark.parametrize(
    "changes",
    [
        {"threshold": float("nan")},
        {"threshold": "4"},
        {"noise_slope": -1.0},
        {"doc_weight": -0.5},
        {"max_shift": True},
    ],
)
def test_bad_settings_raise(changes: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        dataclasses.replace(FixContextWords(), **changes)  # type: ignore[arg-type]


@pytest.mark.corpora
def test_real_ocr_output_gets_no_second_edit(corpora_dir: Path) -> None:
    """On real OCR (a few records of each dev file), the output of the preset that holds the
    stage gets no further edit from it: changed words' neighbours were judged with the change."""
    pipe = load_preset("thorough")
    stage = FixContextWords()
    for path in sorted(corpora_dir.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for _, line in zip(range(3), fh, strict=False):
                out = pipe(json.loads(line)["ocr"])
                assert list(stage.edits(out)) == []


@pytest.mark.corpora
def test_clean_seeds_get_no_edit(seeds_dir: Path) -> None:
    stage = FixContextWords()
    for path in sorted(seeds_dir.glob("00[023]_*.txt")):
        text = path.read_text(encoding="utf-8")
        assert list(stage.edits(text)) == []
        for k in range(0, len(text), 5000):  # pieces, each judged on its own noise level
            assert list(stage.edits(text[k : k + 5000])) == []


def test_sentence_start_keeps_its_capital_and_names_stay() -> None:
    """A Titlecase word starting a sentence is judged by its lowercase form, capital kept;
    one inside a sentence (a name, most often) is not judged."""
    edits = {(e.start, e.replacement) for e in FixContextWords().edits(NOISY)}
    assert (0, "The") in edits
    text = NOISY + "They met the Fur traders at noon."
    assert all(e.end <= len(NOISY) for e in FixContextWords().edits(text))
