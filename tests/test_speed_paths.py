"""The session-9 shortcuts of the word stages agree with the plain way.

The channel search (:func:`textfix.channelsearch.channel_words`) looks its table rows up once
per position, tests prefixes by the characters that may follow them and tries only the rows
that can follow; the in-document evidence and the far search make one RapidFuzz call over
the buckets of every length; the abbreviation counts reuse one scan of the text. Each must
give exactly what the straightforward code gives: these tests compare the two.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from typing import TYPE_CHECKING

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import extract

from textfix import channelsearch
from textfix.channel import UNSEEN_EDIT, load_confusions
from textfix.lexicon import load_lexicon
from textfix.stages import abbreviations, words

if TYPE_CHECKING:
    from pathlib import Path

_OCR_TOKENS = st.text(st.sampled_from([*"rnmliIh1l0oOcetaswWvufd'.!*»,ß", *"ΣéA"]), max_size=14)


def _plain_channel_words(
    tok: str, *, marks: bool = False, floor: float = channelsearch._MIN_TOTAL
) -> set[str]:
    """The beam of :func:`channel_words` as first written: every row tried for every string."""
    low = tok.lower()
    table, span = channelsearch._undo_table("en/ocr_confusions")
    table_lp = load_confusions("en/ocr_confusions").logp
    wild = channelsearch._WILDCARDS if marks else frozenset()
    targets, prefixes = channelsearch._targets("en", ())
    size = len(low)
    states: list[dict[str, tuple[float, int]]] = [{} for _ in range(size + 1)]
    states[0][""] = (0.0, 0)

    def keep(at: dict[str, tuple[float, int]], built: str, cost: float, edits: int) -> None:
        old = at.get(built)
        if old is None or cost > old[0]:
            at[built] = (cost, edits)

    for i in range(size):
        here = states[i]
        if not here:
            continue
        if len(here) > channelsearch._BEAM:
            here = dict(sorted(here.items(), key=lambda kv: -kv[1][0])[: channelsearch._BEAM])
        c = low[i]
        for built, (cost, edits) in here.items():
            if built + c in prefixes:
                keep(states[i + 1], built + c, cost, edits)
            if edits >= channelsearch._MAX_EDITS:
                continue
            if c in wild:
                lp = table_lp.get(("", c), UNSEEN_EDIT)
                if cost + lp >= floor:
                    keep(states[i + 1], built, cost + lp, edits + 1)
                for x in channelsearch._ALPHABET:
                    lp = table_lp.get((x, c), UNSEEN_EDIT)
                    if built + x in prefixes and cost + lp >= floor:
                        keep(states[i + 1], built + x, cost + lp, edits + 1)
            for n in range(1, min(span, size - i) + 1):
                for g, lp in table.get(low[i : i + n], ()):
                    if cost + lp < floor:
                        break
                    if built + g in prefixes:
                        keep(states[i + n], built + g, cost + lp, edits + 1)
    return {w for w in states[size] if w in targets}


@given(_OCR_TOKENS, st.booleans(), st.sampled_from([channelsearch._MIN_TOTAL, -8.0, -5.0]))
@example("aftomoou", False, channelsearch._MIN_TOTAL)
@example("Mar»arct", True, channelsearch._MIN_TOTAL)
@example("tliemselves", False, channelsearch._MIN_TOTAL)
@example("c!ose", True, -8.0)
@example("rnrnrnrnrnrnrnrn", False, -5.0)
def test_channel_words_as_the_plain_beam(tok: str, marks: bool, floor: float) -> None:
    got = channelsearch.channel_words(tok, marks=marks, min_total=floor)
    assert got == _plain_channel_words(tok, marks=marks, floor=floor)


def test_channel_words_cached_by_lowercase_token() -> None:
    channelsearch.clear_caches()
    first = channelsearch.channel_words("Aftomoou")
    assert channelsearch.channel_words("aftomoou") == first
    first.add("changed")  # a copy: the cache is not changed through it
    assert "changed" not in channelsearch.channel_words("AFTOMOOU")


def test_followers_hold_every_prefix() -> None:
    _targets, prefixes = channelsearch._targets("en", ())
    follow = channelsearch._followers("en", ())
    assert set(follow) == set(prefixes)
    for p in list(prefixes)[:2000]:
        for x in "abcdefghijklmnopqrstuvwxyz'":
            assert (x in follow[p]) == (p + x in prefixes)


_DOC = (
    "Penderley came to the Penderley house where Pendorley lived. The Hallam family and the "
    "Hallan brothers met Jennings and Jenning at the Grange and the Grunge. Catholic "
    "Cathol1c Cntholic station stations Station."
)


@pytest.mark.parametrize("k", [1, 2])
def test_evidence_pool_one_call_as_per_length(k: int) -> None:
    lex = load_lexicon("en")
    counts = Counter(m.group().lower() for m in words._TOKEN_RE.finditer(_DOC))
    pool = words._EvidencePool(counts, lex.freqs)
    for low in sorted(counts):
        got = pool.near(low, k)
        assert pool.buckets is not None
        plain: set[str] = set()
        for size in range(len(low) - k, len(low) + k + 1):
            bucket = pool.buckets.get((size, low[0], ""), []) + pool.buckets.get(
                (size, "", low[-1]), []
            )
            found = extract(low, bucket, scorer=Levenshtein.distance, score_cutoff=k, limit=None)
            plain.update(w for w, _d, _i in found)
        plain.discard(low)
        assert got == plain


@pytest.mark.parametrize("tok", ["iinportaut", "Goverument", "cornrnittee", "tlierefore"])
def test_far_search_one_call_as_per_length(tok: str) -> None:
    stage = words.FixOcrWords()
    low = tok.lower()
    lex = load_lexicon("en")
    model = load_confusions(stage.confusions)
    buckets = words._far_buckets("en", ())
    k = words._far_distance(len(low))
    found: dict[str, int] = {}
    for size in range(len(low) - 1, len(low) + 2):
        bucket = buckets.get((size, low[0], ""), []) + buckets.get((size, "", low[-1]), [])
        for w, d, _i in extract(
            low, bucket, scorer=Levenshtein.distance, score_cutoff=k, limit=None
        ):
            found[w] = d
    mode = words._case_mode(tok)
    out = []
    for w, d in found.items():
        cased = w if mode == 0 else w.upper() if mode == 1 else w[:1].upper() + w[1:]
        score = math.log10(lex.freqs[w]) + words.channel_logprob(model, tok, cased)
        out.append((round(score, 3), cased, "far" if d >= 3 else ""))
    out.sort(reverse=True)
    ok = out and out[0][2] and (len(out) == 1 or out[0][0] - out[1][0] >= words._FAR_GAP)
    words.clear_caches()
    assert words._far_scored(stage, tok) == (tuple(out[:1]) if ok else ())


def test_title_counts_from_one_scan() -> None:
    text = "Mr. Brown met Mi. Hall on Monday.\nOn Dr. Grey's advice Di. Jones and mr Smith came."
    before = list(abbreviations._BEFORE_NAME_RE.finditer(text))
    assert abbreviations._title_counts(text, before) == abbreviations.title_counts(text)


_TITLE_TEXTS = (
    "Mr. Brown met Mi. Hall on Monday.\nOn Dr. Grey's advice Di. Jones and mr Smith came.",
    "Dr. Grey and Dr. White saw him; Di. Jones wrote. Pens, ink, Ac., sold. dr&on mi~nd",
    "In Paris Mr Hall and Mi Hall met Mr. Page; in the end Mr Page and Mi. Page left.",
    "St. Paul and Ст. Pavel; Mt. Hood, mt. hood, Mt Hood and Mr. Hood, mr. Hood, mi Hood.",
)


def _title_edits(text: str, *, with_tokens: bool) -> list[tuple[int, int, str, str, float]]:
    stage = words.FixRealWordErrors()
    tokens = list(words._TOKEN_RE.finditer(text)) if with_tokens else None
    return list(
        abbreviations.abbreviation_edits(
            text,
            table=stage.titles,
            confusions=stage.confusions,
            pairs=stage.pairs,
            min_count=stage.title_min_count,
            tokens=tokens,
        )
    )


@pytest.mark.parametrize("text", _TITLE_TEXTS)
def test_title_counts_read_off_the_tokens(text: str) -> None:
    full = abbreviations.title_counts(text)
    before = list(abbreviations._BEFORE_NAME_RE.finditer(text))
    tokens = list(words._TOKEN_RE.finditer(text))
    titles = abbreviations.load_abbreviations().titles
    got = abbreviations._needed_counts(before, tokens, titles)
    for key in {*full, *titles, *(k.lower() for k in full)}:
        if key[:1].isupper() or key in titles or key.capitalize() in full:
            assert got[key] == full[key], key
    assert _title_edits(text, with_tokens=True) == _title_edits(text, with_tokens=False)


def test_title_edits_same_with_tokens_on_real_ocr(corpora_dir: Path) -> None:
    for path in sorted(corpora_dir.glob("*.jsonl")):
        with path.open(encoding="utf-8") as f:
            for i, line in enumerate(f):
                if i % 4:
                    continue
                text = json.loads(line)["ocr"]
                assert _title_edits(text, with_tokens=True) == _title_edits(
                    text, with_tokens=False
                ), path.name


@given(
    st.lists(st.sampled_from([*"abse .|'¡•\\■¦<\n,", "of", "the", " ' ", " . "]), max_size=30).map(
        "".join
    )
)
@example("walked | home and of . the end")
@example("its ' ' ' was . . . so")
@example("days ' work and the ' house")
def test_stray_marks_found_where_hinted(text: str) -> None:
    from textfix.stages import marks

    plain = [m.span() for m in marks._STRAY_RE.finditer(text)]
    assert [m.span() for m in marks._strays(text)] == plain


@given(
    st.lists(st.sampled_from([*"ab1_ .,!*»\n'-", "Ü", "ab", "c!ose", "w*s"]), max_size=25).map(
        "".join
    ),
    st.integers(0, 30),
)
@example("a, b c!ose", 0)
@example("x...a x.,a y.z", 1)
def test_mark_hints_found_from_their_marks(text: str, pos: int) -> None:
    from textfix.stages import marks

    plain = marks._HINT_RE.search(text, pos)
    assert marks._find_hint(text, pos) == (None if plain is None else plain.span())
