"""Tests of the word-level OCR correction stages."""

from __future__ import annotations

import json
import pickle
import random
from pathlib import Path

import pytest

from textfix.edits import apply_edits
from textfix.errors import ConfigError
from textfix.lexicon import load_lexicon
from textfix.pipeline import load_preset
from textfix.registry import get_stage
from textfix.stages import words
from textfix.stages.words import FixOcrWords, FixRealWordErrors, JoinBrokenWords, apply_case

CASES = Path(__file__).parent / "cases"
STAGES = ("fix_ocr_words", "fix_real_word_errors", "fix_glued_punctuation", "join_broken_words")


def _cases():
    for stage in STAGES:
        path = CASES / f"{stage}.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                marks = [pytest.mark.xfail(strict=True)] if case["expect"] == "xfail" else []
                yield pytest.param(stage, case, id=f"{stage}:{case['id']}", marks=marks)


@pytest.mark.parametrize(("stage_name", "case"), list(_cases()))
def test_cases(stage_name, case):
    stage = get_stage(stage_name)
    assert apply_edits(case["input"], stage.edits(case["input"])) == case["expected"]


@pytest.mark.parametrize("stage_name", STAGES)
def test_idempotent_and_picklable(stage_name):
    stage = get_stage(stage_name)
    text = "Tbe king sat in tbe Caf6,and he wiU come to tho house tomorrow.The kingwas glad."
    once = apply_edits(text, stage.edits(text))
    assert apply_edits(once, stage.edits(once)) == once
    clone = pickle.loads(pickle.dumps(stage))
    assert list(clone.edits(text)) == list(stage.edits(text))


def test_known_words_never_change_in_isolation():
    """Property: a frequent lexicon word alone (or among other known words) gets no edit."""
    lex = load_lexicon("en")
    stage = FixOcrWords()
    real = FixRealWordErrors()
    rng = random.Random(7)
    known = sorted(w for w, f in lex.freqs.items() if f >= 1e-6 and w.isalpha())
    for w in rng.sample(known, 300):
        assert list(stage.edits(w)) == [], w
        assert list(real.edits(w)) == [], w
    sentence = " ".join(rng.sample(known, 200))
    assert list(stage.edits(sentence)) == []
    assert list(JoinBrokenWords().edits(sentence)) == []


def test_edits_carry_confidence_and_rule():
    stage = FixOcrWords()
    (edit,) = list(stage.edits("we saw tbe ship"))
    assert edit.rule == "learned"  # "tbe" is a learned misreading of "the"
    assert 0.5 < edit.confidence <= 1.0
    (edit,) = list(FixOcrWords(misreadings="").edits("we saw tbe ship"))
    assert (edit.replacement, edit.rule) == ("the", "word")
    assert 0.5 < edit.confidence <= 1.0


def test_threshold_trades_recall_for_precision():
    text = "tbe hnuse was ofleied for sale by tbe owner"
    loose = list(FixOcrWords(threshold=-1.0).edits(text))
    strict = list(FixOcrWords(threshold=6.0).edits(text))
    assert len(loose) >= len(strict)
    assert strict == []


def test_protected_words_and_user_dicts(tmp_path):
    assert list(FixOcrWords(protected=("tbe",)).edits("in tbe box")) == []
    user = tmp_path / "names.txt"
    user.write_text("# my words\ntbe\nfrobnicate\t3.5\n", encoding="utf-8")
    assert list(FixOcrWords().edits("and tbe came")) != []
    assert list(FixOcrWords(user_dicts=(str(user),)).edits("and tbe came")) == []


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"known_zipf": 12}, "known_zipf"),
        ({"threshold": "high"}, "threshold"),
        ({"recurrence_bonus": -1}, "recurrence_bonus"),
        ({"protected": "tbe"}, "protected"),
    ],
)
def test_bad_settings(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        FixOcrWords(**kwargs)


@pytest.mark.parametrize(
    ("model", "word", "expected"),
    [("CAF6", "café", "CAFÉ"), ("Caf6", "café", "Café"), ("tbe", "the", "the"), ("1", "i", "i")],
)
def test_apply_case(model, word, expected):
    assert apply_case(model, word) == expected


@pytest.mark.parametrize("text", ["ha ha", "Ha ha, she said", "bye bye", "he laughed: ha ha ha"])
def test_a_word_said_twice_is_not_joined(text: str) -> None:
    """Found by the random Hypothesis profile: "ha ha" became "haha". Two known words are a
    pair in context, and a repeated word far likelier than the two words independently."""
    assert list(JoinBrokenWords().edits(text)) == []
    assert load_preset("default")(text) == text


def test_default_preset_has_word_stages():
    names = [s.name for s in load_preset("default").stages]
    # The word stages in order, then fix_glued_glyphs last (a word stage may change the word
    # a stray glyph is glued to); money amounts and letter/digit confusions are read before
    # the words are judged; a word with a letter read as a mark is read before its pieces,
    # and once more after fix_ocr_words (a fixed word can leave a mark between letters).
    assert names[-12:] == [
        "fix_amount_digits",
        "fix_letter_digits",
        "join_broken_words",
        "fix_marked_words",
        "join_damaged_words",
        "fix_ocr_words",
        "fix_marked_words",
        "fix_glued_punctuation",
        "join_broken_words",
        "fix_real_word_errors",
        "fix_letter_digits",
        "fix_glued_glyphs",
    ]
    assert names.index("remove_noise_runs") < names.index("remove_page_furniture")


@pytest.mark.corpora
def test_seeds_barely_change(seeds_dir):
    """Clean transcriptions: at most 0.05% of characters change (whitespace collapsed)."""
    from rapidfuzz.distance import Levenshtein

    from textfix.metrics import normalize_for_scoring

    pipe = load_preset("default")
    for prefix in ("000_", "002_", "003_"):
        (path,) = seeds_dir.glob(f"{prefix}*.txt")
        text = path.read_text(encoding="utf-8")
        before = normalize_for_scoring(text)
        after = normalize_for_scoring(pipe(text))
        assert Levenshtein.distance(before, after) <= 0.0005 * len(before), path.name


@pytest.mark.parametrize(
    "tok", ["tbe", "Tliere", "GARDCN", "kingwas", "rnorning", "wiU", "Caf6", "bcen", "tlie"]
)
def test_scored_cut_off_is_exact(tok):
    """The early stop in candidate scoring returns what scoring every candidate returns."""
    import math

    from textfix.channel import channel_logprob, load_confusions
    from textfix.stages import words

    stage = FixOcrWords()
    words.clear_caches()
    lex = load_lexicon("en")
    model = load_confusions(stage.confusions)
    low = tok.lower()

    def score(ws):
        return [
            (
                math.log10(lex.freq(w)) + channel_logprob(model, tok, apply_case(tok, w)),
                apply_case(tok, w),
                "word",
            )
            for w in ws
            if lex.freq(w) > 0
        ]

    cheap = words._candidates(stage, tok) - {low}
    full = score(cheap)
    best_cheap = max(full)[0] if full else -math.inf
    if best_cheap < words._logp(stage.unknown_zipf) + words._CLEAR_WIN:
        far = best_cheap < words._D2_CHEAP_SKIP  # (approximate pruning, tested apart)
        full += score(words._edit_candidates(stage, tok, far) - cheap - {low})
        best = max(full)[0] if full else -math.inf
        if best < words._RARE_MAX_BEST and len(tok) >= words._RARE_MIN_LETTERS and low.isalpha():
            seen = {low, *cheap, *words._edit_candidates(stage, tok, far)}
            full += score(words._rare_neighbours(stage, low) - seen)
    if tok.isalpha() and len(tok) >= 5 and words._regular_case(tok):
        split = words._best_split(stage, tok)
        if split is not None and lex.freq(low) < words._SPLIT_MAX_FREQ:
            full.append(split)
    full.sort(reverse=True)
    assert words._scored(stage, tok) == tuple(full[: words._KEEP_OPTIONS])


@pytest.mark.parametrize("text", ["Ameri-can1", "Ameri-can1.", "the gov-ernment1 said"])
def test_damaged_part_of_a_broken_word_is_final_in_one_run(text: str) -> None:
    # Found by Hypothesis: fixing "can1" made "Ameri-can", which dehyphenate then joined on a
    # second run. The default preset must be idempotent.
    pipe = load_preset("default")
    once = pipe(text)
    assert pipe(once) == once


def test_old_spellings_are_words():
    """A spelling of the early modern table is a word of its own, not a misreading."""
    text = "he kept the keyes himselfe and went to his owne house"
    assert list(FixOcrWords().edits(text)) == []
    # In a noisy document (unknown-word prior lowered by 2), only the table keeps it.
    assert words._decide(FixOcrWords(), "himselfe", False, 1, -2.0) is None
    decision = words._decide(FixOcrWords(spellings=""), "himselfe", False, 1, -2.0)
    assert decision is not None
    assert decision.options[0][1] == "himself"
    with pytest.raises(ConfigError):
        FixOcrWords(spellings=None)  # type: ignore[arg-type]


def test_rare_listed_word_in_clean_text_stays():
    """In clean text a rare word the lexicon lists is not taken for a commoner one."""
    text = "The rations were stinted all winter, and the men grew thin and tired of it."
    assert list(FixOcrWords().edits(text)) == []


def test_old_spelling_documents_are_not_noisy():
    """A document with many old spellings of the table is judged as clean text: its unknown
    tokens are as often old spellings the table lacks as misreadings."""
    from collections import Counter

    spellings = words._spellings("en/archaic_en")
    modern = Counter("the ship came into the harbour at dawn and the men went home".split() * 6)
    assert not words._archaic(modern, spellings)
    old = modern + Counter({"owne": 2, "booke": 1, "haue": 1})
    assert words._archaic(old, spellings)
    # One spelling, however often (a name that looks old), does not make a document old.
    assert not words._archaic(modern + Counter({"owne": 5}), spellings)
    # Three old spellings in 80 words, among garbled tokens: the unknown "perswaded" stays.
    text = " ".join(["tbe shlp carne lnto tbe harbour at dawn and tbe rnen went borne"] * 6)
    text += " and he perswaded them to his owne house and would haue read his booke"
    edited = apply_edits(text, FixOcrWords().edits(text))
    assert "perswaded" in edited
    assert "perswaded" not in apply_edits(text, FixOcrWords(spellings="").edits(text))


def test_later_old_spelling_habits_are_in_the_table():
    """The early modern table has the later habits (syncope, y for i, doubled consonant),
    but not a respelling that is one edit from a far more frequent word."""
    spellings = words._spellings("en/archaic_en")
    assert spellings["dismembred"] == "dismembered"
    assert spellings["applyed"] == "applied"
    assert spellings["spoyles"] == "spoils"
    assert spellings["maiestie"] == "majesty"
    assert spellings["chayres"] == "chairs"
    assert spellings["vnto"] == "unto"  # the first habits are all kept
    assert "nore" not in spellings  # "nor" + e, but a misreading of "more" is likelier


def test_distance_two_search_only_under_a_low_bar(monkeypatch):
    """Approximate pruning (_D2_MAX_BAR): a token whose bar is high (a capitalized token
    inside a sentence of a clean document, which is likely a name) is searched at distance 1
    only; the same token with a low bar (a noisy document) also at distance 2."""
    from textfix.lexicon import terms_within

    stage = FixOcrWords()
    tok = "gardxnq"  # invented: "garden" is two edits away
    near = words._edit_candidates(stage, tok, far=False)
    assert near <= words._edit_candidates(stage, tok)
    assert near == terms_within(tok, near, 1) | words._block_variants(stage, tok)
    assert "garden" not in near and "garden" in words._edit_candidates(stage, tok)
    seen: list[bool] = []

    def spy(stage_, tok_, far=True):
        seen.append(far)
        return ()

    monkeypatch.setattr(words, "_scored", spy)
    decide = words._decide.__wrapped__
    cap = tok.capitalize()
    decide(stage, cap, True, 1, 0.0)  # clean document, name margin: bar -8
    decide(stage, cap, True, 1, words._MAX_NOISE_SHIFT)  # very noisy document: bar -13.5
    assert seen == [False, True]


def test_distance_two_search_skipped_after_a_fair_cheap_candidate(monkeypatch):
    """Approximate pruning (_D2_CHEAP_SKIP): when a cheap candidate scores at least
    _D2_CHEAP_SKIP (not a clear winner, which skips SymSpell altogether), the search is made
    at distance 1 only."""
    import math

    from textfix.channel import channel_logprob, load_confusions

    stage = FixOcrWords()
    lex = load_lexicon(stage.lang)
    model = load_confusions(stage.confusions)
    seen: dict[str, bool] = {}
    real = words._edit_candidates

    def spy(stage_, tok_, far=True):
        seen[tok_] = far
        return real(stage_, tok_, far)

    monkeypatch.setattr(words, "_edit_candidates", spy)
    kinds = set()
    for tok in ["tbem", "gardxnq", "qzxvw", "quict", "harhour", "lautern", "pebbie"]:
        cheap = [
            math.log10(lex.freq(w)) + channel_logprob(model, tok, apply_case(tok, w))
            for w in words._candidates(stage, tok) - {tok.lower()}
            if lex.freq(w) > 0
        ]
        best = max(cheap, default=-math.inf)
        words._scored.__wrapped__(stage, tok)
        if tok in seen:
            assert seen[tok] == (best < words._D2_CHEAP_SKIP), (tok, best)
            kinds.add(seen[tok])
    assert kinds == {True, False}


def test_overlong_token_is_never_judged():
    """A token longer than any word (a whole file joined by dehyphenate) is kept without a
    search, whose split step would be quadratic in its length."""
    assert words._decide(FixOcrWords(), "a" * (words._MAX_TOKEN + 1), False, 1) is None
    text = "tbe " + "a" * 5000 + " end"
    assert [e.replacement for e in FixOcrWords().edits(text)] == ["the"]


def test_edits_leave_no_reference_cycle_behind():
    """Once a text is done, nothing of it stays alive waiting for the cyclic garbage
    collector (which rarely makes its full pass in a process holding the lexicon): streaming
    a large file would otherwise grow with every window."""
    import gc
    import sys

    text = " ".join(["Tbe rnan went borne to bis wife and tbe cbildren"] * 8) + " Qzxv end."
    was = gc.isenabled()
    gc.disable()
    try:
        before = sys.getrefcount(text)
        assert list(FixOcrWords().edits(text))
        assert sys.getrefcount(text) == before
    finally:
        if was:
            gc.enable()


def test_a_word_a_guillemet_leaves_is_judged_in_the_same_run() -> None:
    """fix_glued_glyphs runs before the word stages too: the word it leaves ("tim«" -> "tim")
    is corrected in the first run, not in a second one."""
    pipe = load_preset("default")
    out = pipe("we waited a long tim\u00ab for the train to come")
    assert out == "we waited a long time for the train to come"
    assert pipe(out) == out


def test_real_word_case_never_lowercases_a_line_start() -> None:
    """unwrap_lines kept the break for the capital; lowercased, a rerun would join the lines."""
    stage = FixRealWordErrors()
    assert [e.replacement for e in stage.edits("they saw the planes Is flames rose high")] == ["is"]
    assert list(stage.edits("they saw the planes\nIs flames rose high above the town")) == []


def test_rare_listed_word_one_edit_away_is_a_candidate() -> None:
    # Words rarer than the SymSpell vocabulary (Zipf < 2.5) are found one edit from a long
    # token, and only there: a short token keeps its small set of neighbours.
    from textfix.stages import words

    stage = FixOcrWords()
    assert words._scored(stage, "enfranohised")[0][1] == "enfranchised"
    assert words._rare_neighbours(stage, "gladnesa") == {"gladness"}
    assert "gladness" not in words._rare_neighbours(stage, "gladness")
