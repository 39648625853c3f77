"""The session-8 shortcuts of the word stage's cold path agree with the plain way.

Each shortcut (deletes made by ``itertools``, one RapidFuzz pass for the distance-1 search,
one alignment for the adapted channel's delta, every prefix segmentation from one search, the
document's chances by ``str.count``, the walk over non-overlapping rewrite sites, the
calibrated bar kept per token and reading) must give exactly what the straightforward code
gives, and no cache may change a decision: these tests compare the two.
"""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from textfix.channel import (
    adapt_confusions,
    channel_logprob,
    channel_logprob_delta,
    load_confusions,
)
from textfix.edits import apply_edits
from textfix.lexicon import (
    _deletes_of,
    _prefix_deletes,
    delete_index,
    load_lexicon,
    symspell_terms,
    symspell_terms_near_far,
    terms_within,
)
from textfix.stages import words
from textfix.stages.words import FixOcrWords, _DocChannel

_OCR_TOKENS = st.text(st.sampled_from([*"rnmliIh1l0oOcetaswWvuf'.5ß", *"ΣéA"]), max_size=14)
_LETTERS = st.text(st.sampled_from("abcdefghilmnorstuvwy"), min_size=1, max_size=12)


@given(st.text(st.sampled_from("abcaé'"), max_size=9), st.integers(1, 2))
@example("", 1)
@example("a", 2)
def test_deletes_made_by_combinations(s: str, k: int) -> None:
    if len(s) < k:
        return
    if k == 1:
        plain = [s[:i] + s[i + 1 :] for i in range(len(s))]
    else:
        plain = [
            s[:i] + s[i + 1 : j] + s[j + 1 :] for i in range(len(s)) for j in range(i + 1, len(s))
        ]
    assert sorted(_deletes_of(s, k)) == sorted(plain)


@given(st.text(st.sampled_from("abcd"), max_size=8), st.integers(0, 3))
def test_prefix_deletes_as_before(prefix: str, distance: int) -> None:
    keys = {prefix}
    frontier = {prefix}
    for _ in range(min(distance, len(prefix))):
        frontier = {c[:i] + c[i + 1 :] for c in frontier for i in range(len(c))}
        keys |= frontier
    assert _prefix_deletes(prefix, distance) == keys


@given(_LETTERS)
@example("tbem")
@example("bhnded")
@example("a")
def test_distance_one_search_with_extra_words_in_one_pass(low: str) -> None:
    stage = FixOcrWords()
    near = delete_index(stage.lang, stage.user_dicts, max_distance=1)
    extra = words._block_words(stage, low)
    plain = symspell_terms(near, low, 1) | terms_within(low, extra, 2)
    assert symspell_terms_near_far(near, None, low, extra=extra) == plain


@given(_OCR_TOKENS, _OCR_TOKENS)
@example("tbe", "the")
@example("chaiacteis", "characters")
@example("rnorning", "morning")
def test_adapted_delta_from_one_alignment(ocr: str, word: str) -> None:
    base = load_confusions("en/ocr_confusions")
    model = adapt_confusions(
        base, {("r", "i"): 40, ("h", "b"): 30, ("e", ""): 20}, {"r": 60, "h": 50, "e": 90},
        prior=30.0, cap=1.5,
    )  # fmt: skip
    want = channel_logprob(model, ocr, word) - channel_logprob(base, ocr, word)
    assert channel_logprob_delta(model, base, ocr, word) == want


@given(_LETTERS)
@example("kingwasinthe")
@example("everyfamilv")
def test_prefix_segmentations_from_one_search(low: str) -> None:
    stage = FixOcrWords()
    table = words._segment_table(stage, low)
    assert len(table) == len(low) + 1
    for i in range(len(low) + 1):
        words._segment_table.cache_clear()  # each prefix searched on its own
        assert table[i] == words._segment_table(stage, low[:i])[-1]


@given(st.dictionaries(_LETTERS, st.integers(1, 5), max_size=12), st.sets(_LETTERS, max_size=6))
@example({"tbe": 2, "three": 1}, {"", "e", "ee", "h"})
@example({"aaa": 3}, {"aa"})
def test_chances_counted_in_one_string(counts: dict[str, int], needed: set[str]) -> None:
    plain: Counter[str] = Counter()
    for w, c in counts.items():
        plain[""] += len(w) * c
        for g in needed:
            if g:
                plain[g] += w.count(g) * c
    got = words._chances(counts, needed)
    for g in needed | {""}:
        assert got.get(g, 0) == plain.get(g, 0), g


def _plain_doc_variants(stage: FixOcrWords, tok: str, raised: set[tuple[str, str]]) -> set[str]:
    """_doc_variants by every combination of sites, the overlapping ones dropped."""
    low = tok.lower()
    sites = []
    for g, o in sorted(raised):
        if o:
            i = low.find(o)
            while i >= 0:
                sites.append((i, i + len(o), g))
                i = low.find(o, i + 1)
    if not sites or len(sites) > words._ADAPT_MAX_SITES:
        return set()
    sites.sort()
    lex = load_lexicon(stage.lang, stage.user_dicts)
    known = 10 ** (stage.known_zipf - 9)
    out = set()
    for n in range(1, min(words._ADAPT_MAX_REWRITES, len(sites)) + 1):
        for combo in itertools.combinations(sites, n):
            if any(a[1] > b[0] for a, b in itertools.pairwise(combo)):
                continue
            parts, pos = [], 0
            for start, end, g in combo:
                parts += [low[pos:start], g]
                pos = end
            w = "".join([*parts, low[pos:]])
            if w.isalpha() and lex.freq(w) >= known:
                mode = words._case_mode(tok)
                out.add(w if mode == 0 else w.upper() if mode == 1 else w[:1].upper() + w[1:])
    return out


_RAISED = [("r", "i"), ("e", "c"), ("h", "b"), ("m", "rn"), ("n", "u"), ("li", "h"), ("u", "ii")]


@pytest.mark.parametrize(
    "tok",
    (
        *("chaiacteis", "tbe", "Tbe", "govcrnmcnt", "rnorning", "bcen", "anothcr", "hiiman"),
        *("wliich", "piiblic", "iiiiii", "cccccc", "SOUIII", "iiniteu"),
    ),
)
def test_doc_variants_walk_gives_every_combination(tok: str) -> None:
    stage = FixOcrWords()
    model = load_confusions(stage.confusions)
    rng = random.Random(tok)
    for _ in range(40):
        raised = set(rng.sample(_RAISED, rng.randint(1, len(_RAISED))))
        channel = _DocChannel(model, model, raised)
        assert words._doc_variants(stage, tok, channel) == _plain_doc_variants(stage, tok, raised)


def test_top_prior_by_length_as_before() -> None:
    freqs = load_lexicon("en").freqs
    best = [-99.0] * 43
    for w, f in freqs.items():
        if len(w) < 43 and f > 0:
            best[len(w)] = max(best[len(w)], math.log10(f))
    plain = tuple(max(best[max(0, n - 2) : n + 3]) for n in range(41))
    assert words._top_logp_by_length("en", ()) == plain


# A noisy record of our own: misreadings that recur (the document's channel, the calibrated bar
# kept per token), capitals (in-document evidence), a run-together pair, a split, far readings.
_NOISY = (
    "Tbe goveinment of tbe colony has reeeived a report from tbe Suiveyor. The Snrveyor\n"
    "states that tbe rivei has risen, and tbe farmers fear for tbe whcat crop. Mr. Penderley\n"
    "and Mr. Pendorley both spoke at tbe meeting, where tbe chaiacteis of tbe new railway\n"
    "weie discussed. Tbe everyfamilv of tbe district was represented; tbe iinportaut\n"
    "question of tbe watei supply was referred to tbe Council. Penderley said tbe kingwas\n"
    "in tbe garden and tbe qneen was in tbe parlour, which tbe meeting found amusing.\n"
)


def test_caches_never_change_a_decision() -> None:
    """Cold (every cache cleared), warm (same text again) and after other texts: the same
    edits, and the output is final (a second run changes nothing)."""
    stage = FixOcrWords()
    words.clear_caches()
    cold = list(stage.edits(_NOISY))
    warm = list(stage.edits(_NOISY))
    other = "Tbe rivei and tbe watei. " * 3 + "Tbe qnick brown fox.\n"
    list(stage.edits(other))
    after = list(stage.edits(_NOISY))
    assert cold == warm == after
    assert cold  # the record has misreadings to fix
    fixed = apply_edits(_NOISY, cold)
    assert list(stage.edits(fixed)) == []


@given(st.text(st.sampled_from([*"abAB1ⓐǅß", "\u0345", "Σ"]), max_size=6))
@example("ⓐb")
@example("1ab")
def test_case_mode_shortcut_for_lowercase(model: str) -> None:
    letters = [c for c in model if c.isalpha()]
    if not letters:
        plain = 0
    elif len(letters) > 1 and all(c.isupper() for c in letters):
        plain = 1
    elif words._mostly_upper(letters):
        plain = 1  # a word in capitals with a letter read in lowercase ("COUNTnY")
    elif letters[0].isupper() and model[0] == letters[0]:
        plain = 2
    elif model[0].isdigit() and len(letters) > 1 and sum(c.isupper() for c in letters) > 1:
        plain = 1
    else:
        plain = 0
    assert words._case_mode(model) == plain
