"""The calibrated bar of fix_ocr_words (session 7): a plain correction that is not confident
is not made. Every sentence here is invented."""

from __future__ import annotations

import pytest

from textfix.edits import apply_edits
from textfix.stages.words import FixOcrWords, _glued_piece, _risk

CAL = FixOcrWords()
UNCAL = FixOcrWords(calibrated=False)

# A noisy notice (far more unknown tokens than clean prose: the noise shift is at its floor)
# with an invented surname in the middle of a sentence.
NOISY = (
    "Amoug tbe passeugers wcre Mrs Hollis, Mr {} aud Miss Tarrant, wlio lcft by tbe stcamer "
    "for tbe nortli ou Mouday. Tbe vessel carricd a cargo of wool aud hidcs, aud will rcturn "
    "next wcek witli coal for tbe gas compauy. Tbe harbour mastcr reportcd tliat tbe wcather "
    "liad bccn fine and tbe sca calm during tbe wliole of tbe voyagc."
)


def _changed(stage: FixOcrWords, text: str) -> dict[str, str]:
    return {text[e.start : e.end]: e.replacement for e in stage.edits(text)}


def test_fragment_of_a_damaged_split_is_left_alone() -> None:
    text = "The committee met on Tuesday and the secretary read the ace rding minutes aloud."
    assert "rding" in _changed(UNCAL, text)  # the bar is what keeps it
    assert "rding" not in _changed(CAL, text)


def test_letters_are_not_supplied_to_a_piece_on_weak_evidence() -> None:
    text = "It was an ately matter, and the men said nothing more of it that day or the next."
    assert _changed(UNCAL, text).get("ately") == "lately"
    assert "ately" not in _changed(CAL, text)


@pytest.mark.parametrize("name", ["Harnby", "Dorley", "Marbey", "Losby"])
def test_mid_sentence_name_in_a_noisy_document_is_left_alone(name: str) -> None:
    text = NOISY.format(name)
    assert name in _changed(UNCAL, text)
    fixed = _changed(CAL, text)
    assert name not in fixed
    # The misreadings around it are still corrected.
    assert fixed["passeugers"] == "passengers"
    assert fixed["stcamer"] == "steamer"
    assert fixed["tbe"] == "the"


def test_clear_misreadings_are_still_corrected() -> None:
    text = "Tbe kingwas in tbe garden. Caf6 society was tliere."
    fixed = apply_edits(text, CAL.edits(text))
    assert fixed == "The king was in the garden. Café society was there."


def test_calibrated_output_is_final() -> None:
    text = NOISY.format("Dorley")
    once = apply_edits(text, CAL.edits(text))
    assert list(CAL.edits(once)) == []


def test_confidence_is_measured_from_the_raised_bar() -> None:
    text = NOISY.format("Dorley")
    plain = {(e.start, e.replacement): e.confidence for e in UNCAL.edits(text)}
    for e in CAL.edits(text):
        assert e.confidence <= plain[(e.start, e.replacement)]


def test_risk_never_lowers_the_bar() -> None:
    only = ((3.0, "the", "word"),)
    assert _risk("tbe", "the", only, True, False, 0.0) == 0.0
    assert _risk("tbe", "the", only, True, True, -4.0) >= 0.0


def test_risk_grows_with_a_close_rival_noise_and_supplied_letters() -> None:
    alone = ((1.0, "barns", "word"),)
    rival = ((1.0, "barns", "word"), (0.9, "burns", "word"))
    assert _risk("bares", "barns", rival, False, False, -2.0) > _risk(
        "bares", "barns", alone, False, False, -2.0
    )
    assert _risk("bares", "barns", alone, False, False, -4.0) > _risk(
        "bares", "barns", alone, False, False, -2.0
    )
    assert _risk("barn", "barns", alone, False, False, -3.0) > _risk(
        "barx", "barn", alone, False, False, -3.0
    )


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("the hous.ehold", 4, 8, True),
        ("an idle-neaa day", 8, 12, True),
        ("at Queon's wharf", 3, 8, False),
        ("the word, and", 4, 8, False),
        ('he said "tbe"', 9, 12, False),
    ],
)
def test_glued_piece(text: str, start: int, end: int, expected: bool) -> None:
    assert _glued_piece(text, start, end) is expected


def test_setting_is_a_plain_switch() -> None:
    assert FixOcrWords(calibrated=False) != FixOcrWords()


def test_a_recurring_token_is_decided_alike_everywhere() -> None:
    # "Dorley" twice: once after a full stop, once inside a sentence, once glued to a mark.
    text = NOISY.format("Dorley") + " Dorley sailed. Tbe agent, Mr Dorley-Smith, was tliere."
    fixed = [text[e.start : e.end] for e in CAL.edits(text)]
    assert "Dorley" not in fixed
    once = apply_edits(text, CAL.edits(text))
    assert list(CAL.edits(once)) == []
