"""Capitalized and all-capitals tokens: in-document evidence and headings in capitals.

Every sentence here is invented. A document of fewer than 50 word tokens counts as clean (no
noise shift), so the tests that need a noisy document build one with invented misreadings.
"""

from __future__ import annotations

import pickle

import pytest

from textfix.edits import apply_edits
from textfix.pipeline import load_preset
from textfix.stages.words import FixOcrWords, FixRealWordErrors, _caps_runs

#: Misreadings that make a document noisy (unknown tokens far above clean prose).
NOISE = " ".join(["the qzxv of tlio wlnch vvhcrc mnde tbc ourt"] * 3)
#: Clean sentences, long enough that two unknown names are a clean share of the tokens.
CLEAN = " ".join(
    [
        "They went home after the meeting and talked about the weather and the harvest.",
        "The river was high that spring, and the bridge on the north road was closed.",
        "Most of the farmers agreed that the new market would help the whole district.",
    ]
    * 5
)


def _edits(stage, text):
    return [(text[e.start : e.end], e.replacement, e.rule) for e in stage.edits(text)]


def _report(middle: str, tail: str) -> str:
    return (
        "Mr Penderley spoke at the meeting of the council last week, and the members "
        f"agreed with Mr Penderley on the matter of the new road to the river. {middle} "
        f"{tail} It was a fine day for all."
    )


def test_a_name_misread_once_is_read_as_the_documents_spelling():
    doc = _report("Later Mr Pendorley left the hall.", NOISE)
    found = _edits(FixOcrWords(), doc)
    assert ("Pendorley", "Penderley", "evidence") in found
    fixed = apply_edits(doc, FixOcrWords().edits(doc))
    assert apply_edits(fixed, FixOcrWords().edits(fixed)) == fixed  # idempotent
    assert not any(r == "evidence" for *_, r in _edits(FixOcrWords(doc_evidence=False), doc))


@pytest.mark.parametrize(
    "middle",
    [
        "Later Mr Penderleys left the hall.",  # only an ending apart: both may be right
        "Later Mr Zenderloy left the hall.",  # two changes no learned confusion explains
        "Later Mr Pendorley and Mr Pendorley left the hall.",  # recurs as often as the name
    ],
)
def test_names_without_clear_evidence_stay(middle):
    doc = _report(middle, NOISE)
    assert not any(r == "evidence" for *_, r in _edits(FixOcrWords(), doc))


def test_a_clean_document_keeps_its_names():
    doc = _report("Later Mr Pendorley left the hall.", CLEAN)
    assert _edits(FixOcrWords(), doc) == []


def test_lowercase_and_short_tokens_are_not_read_by_evidence():
    doc = _report("Later the pendorley and Mr Penz left the hall.", NOISE) + " Penn Penn."
    assert not any(r == "evidence" for *_, r in _edits(FixOcrWords(), doc))


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        ("TUE NEW RAILWAY STATION", [0, 1, 2, 3]),
        ("REPORT OF TUE COMMITTEE", [0, 1, 2, 3]),
        ("NOTES A 1886 OF THE WEEK", [0, 3, 4, 5]),  # one letter and numbers go on
        ("USSR NKVD OGPU", []),  # acronyms: too few known words
        ("THE NEW and THE OLD", []),  # a lowercase word ends a run
        ("THE HARBOnR NEWS OF THE WEEK", [0, 2, 3, 4, 5]),  # a damaged capital goes on
    ],
)
def test_caps_runs(tokens, expected):
    freqs = dict.fromkeys(
        "the new railway station report committee notes of week news old".split(), 0.0001
    )
    assert sorted(_caps_runs(tokens.split(), freqs, 1e-6)) == expected


def test_headline_words_are_text():
    pipe = load_preset("default")
    assert pipe("REPORT OF TUE COMMITTEE") == "REPORT OF THE COMMITTEE"
    assert pipe("PEACE NND WAR IN THE EAST") == "PEACE AND WAR IN THE EAST"
    # Acronyms and a lone capital word inside a sentence keep their capitals' margin.
    for text in ("USSR NKVD OGPU and TUE things", "He said NND so."):
        assert pipe(text) == text


def test_headlines_setting():
    text = "REPORT OF TUE COMMITTEE"
    assert apply_edits(text, FixRealWordErrors().edits(text)) == "REPORT OF THE COMMITTEE"
    assert list(FixRealWordErrors(headlines=False).edits(text)) == []
    text = "PEACE NND WAR IN THE EAST"
    assert apply_edits(text, FixOcrWords().edits(text)) == "PEACE AND WAR IN THE EAST"
    assert list(FixOcrWords(headlines=False).edits(text)) == []


def test_settings_pickle():
    stage = FixOcrWords(doc_evidence=False, headlines=False)
    assert pickle.loads(pickle.dumps(stage)) == stage


@pytest.mark.parametrize("chunk", [40, 200])
def test_evidence_streams_like_the_whole_text(chunk):
    """The document's words come from the survey of the whole document: streamed in small
    windows, the name is read as its spelling in another window, as in the whole text."""
    from textfix.stream import iter_clean

    pipe = load_preset("default")
    doc = "\n".join(_report("Later Mr Pendorley left the hall.", NOISE).split(". "))
    whole = pipe(doc)
    assert "Pendorley" not in whole
    assert "".join(iter_clean(pipe, [doc], chunk_chars=chunk)) == whole


def test_token_counts_pickle_without_the_pool():
    stage = FixOcrWords()
    survey = stage.survey(_report("Later Mr Pendorley left the hall.", NOISE))
    doc = _report("Later Mr Pendorley left the hall.", NOISE)
    list(stage.edits(doc, survey))
    assert survey.pool is not None
    clone = pickle.loads(pickle.dumps(survey))
    assert clone == survey
    assert clone.pool is None
