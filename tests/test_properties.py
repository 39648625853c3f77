"""Invariants that hold for every registered stage and every shipped preset (Hypothesis).

Each stage is taken with its default settings, alone in a pipeline; each preset as shipped.
New stages and presets are picked up automatically from the registry and the presets folder.
"""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import textfix
from textfix import Pipeline, apply_edits, replay

PIPELINES = [
    *(
        pytest.param(Pipeline((cls(),), name), id=f"stage:{name}")
        for name, cls in textfix.available_stages().items()
    ),
    *(pytest.param(textfix.load_preset(p), id=f"preset:{p}") for p in textfix.available_presets()),
]

# Characters OCR and the web put in text: ligatures, odd spaces, line endings, controls,
# combining marks, right-to-left letters, emoji with joiners, quotes and dashes, mojibake.
_SPECIAL = (
    "ﬁﬂﬀﬃﬄﬅﬆ\u00a0\u2009\u202f\u3000\r\n\t\f\x0b\x00\x85\u2028\u2029\u200b\u200c\u200d\ufeff"
    "\u0301\u0308\u0327ñéÉſßæœ¬­-–—‘’“”«»"
    "שלוםمرحبا\u200f\u200e😀👍🏽👨‍👩‍👧"
    "ÃÂ©¨â€™ž"
    "aeiostnrhl TtHE.,;:1 0"
)
_FRAGMENTS = (
    "Ã©",
    "â€™",
    "â€œ",
    "Ã¨",
    "CafÃ©",
    "e\u0301",
    "ﬁ",
    "\r\n",
    "\u00a0",
    "tbe ",
    "the ",
    "word- ",
    "break¬\n",
    "\n\n",
    " 12 \n",
    "Mr. ",
    "ال",
    "‍",
)
TEXT = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",))),
    st.text(st.sampled_from(_SPECIAL)),
    st.lists(st.sampled_from(_FRAGMENTS + tuple(_SPECIAL))).map("".join),
)


@pytest.mark.parametrize("pipe", PIPELINES)
@given(text=TEXT)
def test_idempotent(pipe: Pipeline, text: str) -> None:
    once = pipe(text)
    assert pipe(once) == once


@pytest.mark.parametrize("pipe", PIPELINES)
@given(text=TEXT)
def test_edits_are_consistent(pipe: Pipeline, text: str) -> None:
    fixed = pipe.explain(text)
    assert fixed.text == pipe(text)
    assert fixed.source == text
    # Each step's edits are sorted, in range and do not overlap the text that step received.
    current = text
    for step in fixed.steps:
        prev_end = 0
        for e in step.edits:
            assert prev_end <= e.start <= e.end <= len(current)
            assert e.stage == step.stage
            assert 0.0 <= e.confidence <= 1.0
            prev_end = e.end
        current = apply_edits(current, step.edits)
    assert replay(text, fixed.steps) == fixed.text
    # The composed edits on the original give the same result, and are sorted/disjoint.
    prev_end = 0
    for e in fixed.edits:
        assert prev_end <= e.start <= e.end <= len(text)
        prev_end = e.end
    assert apply_edits(text, fixed.edits) == fixed.text
    for name in {p for e in fixed.edits for p in e.stage.split("+")}:
        textfix.get_stage(name)  # every name in an explanation resolves in the registry


@pytest.mark.parametrize("pipe", PIPELINES)
@given(text=TEXT, data=st.data())
def test_to_original_spans(pipe: Pipeline, text: str, data: st.DataObject) -> None:
    fixed = pipe.explain(text)
    n = len(fixed.text)
    assert fixed.to_original(0, n) == (0, len(text))
    start = data.draw(st.integers(0, n))
    end = data.draw(st.integers(start, n))
    a, b = fixed.to_original(start, end)
    assert 0 <= a <= b <= len(text)
    # A span that no edit touches maps to the same characters.
    shift = 0
    for e in fixed.edits:
        out_start = e.start + shift
        out_end = out_start + len(e.replacement)
        if out_end < start:
            shift += len(e.replacement) - (e.end - e.start)
            continue
        if out_start > end:
            break
        return
    assert text[a:b] == fixed.text[start:end]


@pytest.mark.parametrize("pipe", PIPELINES)
@given(text=TEXT)
def test_pickle_round_trip(pipe: Pipeline, text: str) -> None:
    copy = pickle.loads(pickle.dumps(pipe))
    assert copy == pipe
    assert copy(text) == pipe(text)
    assert copy.signature() == pipe.signature()


def _frequent_words() -> list[str]:
    from textfix.lexicon import load_lexicon

    freqs = load_lexicon("en").freqs
    top = sorted(freqs, key=freqs.__getitem__, reverse=True)[:3000]
    # Lone letters other than "a" are left out: in OCR a stray "s" or "t" is typical debris.
    return [w for w in top if w.isalpha() and (len(w) > 1 or w == "a")]


WORDS = _frequent_words()


# Real-word correction changes a known word *because of* its neighbours ("tho" → "the"), so on
# random sequences of words it may act by design; for it the property is the issue's own: a
# lexicon word is never changed in isolation.
CONTEXT_STAGES = {"fix_real_word_errors"}


@pytest.mark.parametrize("pipe", PIPELINES)
@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=40))
def test_clean_words_pass_unchanged(pipe: Pipeline, words: list[str]) -> None:
    names = {s.name for s in pipe.stages}
    if names & CONTEXT_STAGES:
        # The whole pipeline on one word; the sequence on the pipeline without those stages.
        single = pipe.explain(words[0])
        assert single.edits == ()
        if names <= CONTEXT_STAGES:
            return
        pipe = pipe.select(skip=names & CONTEXT_STAGES)
    text = " ".join(words)
    fixed = pipe.explain(text)
    assert fixed.edits == ()
    assert fixed.text == text


def _xfail(text: str, why: str) -> Any:
    return pytest.param(text, marks=pytest.mark.xfail(reason=why, strict=True))


# Inputs on which the randomized Hypothesis profile found the default preset not idempotent:
# a later stage changed a neighbourhood an earlier stage's decision had read. Known failures
# stay as strict xfails, so that a fix is noticed.
FOUND_NOT_IDEMPOTENT = [
    "A¬ß\x80",  # fix_mojibake: "¬" (made "-" by dehyphenate) hid the mojibake after it
    "A\u00adß\x80",  # the same with a soft hyphen
    "Aא\u200c0",  # fix_ocr_words dropped the Hebrew letter; the joiner was then beside Latin
    "a\x85\u0300ﬀ",  # fix_ocr_words made a line start lowercase ("̀ff" -> "off")
    "AA«0",  # fix_glued_glyphs glued "AA" and "0" into one token
    "Â\x0c\n0",  # fix_mojibake read the form feed that the reflow deletes
    "Â\t\x850",  # ... or a tab
    "A¬a0a",  # fix_ocr_words changed a part glued by "¬", which dehyphenate then kept
    "a\u2028«ﬀ",  # fix_glued_glyphs made a line start lowercase
    "¬Â§",  # the repair under the hyphen view is not final for ftfy ("¬§" -> "¤")
    "ᨀ¬»ﬅ",  # fix_glued_glyphs put a word beside "¬" after a letter
    "0\u200c«ﬅ",  # fix_glued_glyphs put a joiner beside a Latin letter
    "0\u200c«AA",
    "â€¨",  # fix_mojibake made a line separator, which normalize_newlines turns into "\n"
    "0\n\tÂ ",  # fix_mojibake read the indentation that the reflow deletes
    "A¬á\x80¬",  # the last "¬" is part of the mojibake, not a hyphen dehyphenate reads
    "Ã¤¬â€™",  # with "¬" back, ftfy would read it as mojibake: the plain hyphen is written
    "\u200c\u0300\u200c0",  # remove_control_chars read a joiner that it deletes itself
    "0\u200c0roud",  # the joiner beside a digit that fix_ocr_words made a letter ("proud")
    "a0Â\nŒ0",  # ftfy judges a whole line (passes since session 8: a capital line ends a block)
    "Aº:\x8cß",  # ftfy judged the line after fix_ocr_words dropped 'º'; the calibrated bar keeps it
    "0 «Aa",  # fix_glued_glyphs ran last only: it now runs before the word stages too
    _xfail("Â-\nž", "dehyphenate joins a mojibake letter to the next line"),
    "Té\rO0R",  # fix_ocr_words judges a token beside the word its neighbour becomes
    "A0D a0Pe",  # fix_ocr_words judges a token beside the word its neighbour becomes
    "0a\n0\x80AÀ",  # unwrap_lines read the line after fix_ocr_words dropped 'À'; the bar keeps it
    "\x80¨A\x8a",  # the calibrated bar keeps the token (fix_ocr_words changed it)
    "AÀ\x94¢",  # the calibrated bar keeps the token (fix_ocr_words changed it)
    "Ü©AÀ",  # the calibrated bar keeps the token (fix_ocr_words changed it)
    _xfail("aA Â\n", "ftfy judges a whole line: fix_ocr_words makes 'aA' 'as'"),
    "AA0 aA",  # fix_ocr_words judges a token beside the word its neighbour becomes
    "AA0 aa0",  # fix_ocr_words judges a token beside the word its neighbour becomes
    "ÀE ﬁÃ\x9f",  # fix_ocr_words judges a token beside the word its neighbour becomes
    "Ã\x9fb0t A0E",  # fix_ocr_words judges a token beside the word its neighbour becomes
    "0\r«Aa",  # the same
    "a0Â\n\x86Ü",  # the same
    _xfail("ƈÂ\nßÀ", "ftfy judges a whole line: the next line, joined, makes 'Â ' bad"),
    _xfail("Ã\xa0¬Â\x85\x98¹", "ftfy judges a whole line: the next line, joined, makes '¬Â ' bad"),
    "K0i-d0",  # fix_ocr_words joined "Ki" to the letters of "d0" only, leaving "Kid0"
    "0d-K0i",  # ... or to the letters of "0d"
    "˥\u200c\u0300aa",  # the joiner was judged by the mark fix_ocr_words then dropped
    "\r\u00a0Â\r",  # fix_mojibake read the no-break space, an indentation once made plain
    "AÀ:À\x86",  # the calibrated bar keeps the token (fix_ocr_words changed it)
    "OÀ:ÀF?Of1º",  # the calibrated bar keeps the token (fix_ocr_words changed it)
    "0a\x85ÀA\x910",  # the calibrated bar keeps the token (fix_ocr_words changed it)
    "AÄ À\x80",  # the calibrated bar keeps the token (fix_ocr_words changed it)
    "Àf:ÀF",  # the calibrated bar keeps the token (fix_ocr_words changed it)
    "mt0e%T0E\x80T0E",  # the calibrated bar keeps the token (fix_ocr_words changed it)
    # found by the random profile of test_layout: the heading line moved on a second run
    "the the the the the the the the the the the\nthe the the the the the the the government"
    "\n\nthe gov-\ndelegation the the\nA HEAD\nthe the the member member",
    "\u2014\n12\u2014",  # unwrap_lines glued "—" and "12—" into a page number; a rerun deleted it
    # unwrap_lines kept a break before a heading by the width, which the reflow changed
    "the the the the the the\nthe.\nthe the the the of government\nA HEAD\n"
    "the the the the the the the the the government",
    "A ::: ;\r/ a",  # unwrap_lines joined two lines' marks into a noise run, deleted on a rerun
    _xfail("a0Â\x85a¢¿", "ftfy judges a whole line: the next line, joined, makes 'Â ' bad"),
    _xfail("ih0m ta A", "fix_real_word_errors runs after fix_ocr_words and changes its neighbour"),
    "ﬅ7:r",  # fix_ocr_words made "st7" "st", leaving a mark run ("st:r"): fix_marked_words again
    _xfail(
        "ﬅ7:ﬅ\rﬅź",
        "found in session 8, also at 2a74645: fix_ocr_words drops 'ź' from 'stź' only once "
        "its neighbour 'st7' has become 'st'",
    ),
    _xfail(
        "AAa AAa",
        "found by test_layout (session 5, also before it): the first token is fixed at the "
        "sentence start, so the second one loses its recurrence bonus on a second run",
    ),
    _xfail(
        "0a\r:«ﬀ",
        "found in session 9, also at a43b4bb: unwrap_lines keeps the break before a line that "
        "starts with '«', which fix_glued_glyphs deletes later, so a rerun joins the lines",
    ),
    "i0",  # fix_letter_digits made "10", which a rerun deleted as a page number (session 9)
    _xfail(
        "1\nÀa¬\nA",
        "found in session 9, also at a43b4bb: in a text of three lines '1' is kept; once "
        "dehyphenate makes it two, a rerun takes '1' for a page number",
    ),
]


# The same for the keep_lines preset.
FOUND_NOT_IDEMPOTENT_KEEP_LINES = [
    "A-\nA 1",  # dehyphenate moved "A" up and left "1" alone, then taken for a page number
    _xfail(":Aa¬\nÂ:", "dehyphenate moves a mojibake letter to a line end, where ftfy reads it"),
    _xfail(
        "Ã§¬\nÂâ\x80™",
        "found in session 9, also at a43b4bb: the repair of the line with '¬' leaves 'Â' at a "
        "line end, which a rerun reads as mojibake",
    ),
]


@pytest.mark.parametrize("text", FOUND_NOT_IDEMPOTENT_KEEP_LINES)
def test_keep_lines_idempotent_on_found_inputs(text: str) -> None:
    pipe = textfix.load_preset("keep_lines")
    once = pipe(text)
    assert pipe(once) == once


@pytest.mark.parametrize("text", FOUND_NOT_IDEMPOTENT)
def test_default_idempotent_on_found_inputs(text: str) -> None:
    pipe = textfix.load_preset("default")
    once = pipe(text)
    assert pipe(once) == once
