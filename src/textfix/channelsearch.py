"""Candidates for a badly damaged token, found by undoing the engine's confusions.

The edit-distance searches of :mod:`textfix.stages.words` reach words two (at most four)
plain edits away. A token the engine damaged in several places, or by confusions that change
the length ("rn" for "m", "li" for "h", "ii" for "n", "tl" for "d"), is often further away
than that, although every one of its changes is a common confusion: "aftomoou" is "afternoon"
by ``ern`` → ``om`` and ``n`` → ``u``. :func:`channel_words` walks the token left to right, keeping
each character or undoing a learned confusion that starts there (multi-character ones too),
and follows only the strings that begin a lexicon word, so the search stays small; the words
it ends on are the candidates. The word model then scores them by the channel as any other.

Nothing here is learned from any corpus: the confusions are those of the table the word
model uses, the words those of the lexicon.
"""

from __future__ import annotations

import functools
import math

from textfix.channel import UNSEEN_EDIT, channel_logprob, load_confusions
from textfix.lexicon import load_lexicon

__all__ = ["channel_readings", "channel_words"]

#: Confusions at least this likely (log10 P(ocr | gt)) are undone.
_MIN_LOGP = -4.0
#: The most confusions undone in one token, and the least likely product of them (log10).
_MAX_EDITS = 4
_MIN_TOTAL = -11.0
#: Words at least this frequent (Zipf) are the targets: a badly damaged token is read as a
#: common word or not at all.
_TARGET_ZIPF = 3.0
#: Strings followed from one position, at most (the likeliest): the search is bounded
#: whatever the token.
_BEAM = 32
#: Readings undone for one ``ocr`` string, at most (the likeliest).
_MAX_ROWS = 10


#: Marks that may stand for a letter when ``marks`` is set (see :func:`channel_words`).
_WILDCARDS = frozenset("""!"#$%()*+,./:;<=>?@[\\]_{|}«»¡¿°""")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


@functools.cache
def _undo_table(confusions: str) -> tuple[dict[str, tuple[tuple[str, float], ...]], int]:
    """The learned confusions worth undoing, as lowercase ``ocr`` → ``(gt, log10p)`` rows
    (likeliest first; ``gt`` may be empty: a character the engine added), and the longest
    ``ocr`` string. Insertions (an empty ``ocr``) are left out: they would fit anywhere."""
    model = load_confusions(confusions)
    table: dict[str, dict[str, float]] = {}
    for (g, o), lp in model.logp.items():
        if not o or lp < _MIN_LOGP or g == o:
            continue
        gl, ol = g.lower(), o.lower()
        if gl == ol or not (gl.isalpha() or not gl):
            continue
        row = table.setdefault(ol, {})
        row[gl] = max(lp, row.get(gl, -math.inf))
    out = {o: tuple(sorted(r.items(), key=lambda x: -x[1])[:_MAX_ROWS]) for o, r in table.items()}
    return out, max((len(o) for o in out), default=0)


@functools.cache
def _targets(lang: str, user_dicts: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """The target words (lowercase, letters only, at least :data:`_TARGET_ZIPF`) and every
    prefix of them."""
    freqs = load_lexicon(lang, user_dicts).freqs
    floor = 10 ** (_TARGET_ZIPF - 9)
    words = frozenset(w for w, f in freqs.items() if f >= floor and w.isalpha() and w.islower())
    prefixes = frozenset(w[:i] for w in words for i in range(len(w) + 1))
    return words, prefixes


def channel_words(
    tok: str,
    confusions: str = "en/ocr_confusions",
    lang: str = "en",
    user_dicts: tuple[str, ...] = (),
    *,
    marks: bool = False,
    min_total: float = _MIN_TOTAL,
) -> set[str]:
    """The common words (lowercase) that undoing up to four learned confusions in ``tok``
    gives, each confusion at least 10^-4 likely and all of them together at least 10^-11
    (or ``min_total``, when that is higher: a caller that needs only readings above a score
    prunes the search with it).

    With ``marks``, a mark of :data:`_WILDCARDS` in ``tok`` may stand for any letter (at the
    learned price, or that of an unseen edit) or for nothing ("Mar»arct" → "margaret").

    >>> "margaret" in channel_words("Mar»arct", marks=True)
    True
    >>> "afternoon" in channel_words("aftomoou")
    True
    >>> channel_words("garden") >= {"garden"}
    True
    """
    low = tok.lower()
    floor = max(_MIN_TOTAL, min_total)
    table, span = _undo_table(confusions)
    table_lp = load_confusions(confusions).logp
    wild = _WILDCARDS if marks else frozenset()
    words, prefixes = _targets(lang, user_dicts)
    size = len(low)
    # A beam over positions: at each position, the strings built so far (prefixes of target
    # words) with the likeliest confusions that built them; a string reached twice is kept
    # once, with its likelier path.
    states: list[dict[str, tuple[float, int]]] = [{} for _ in range(size + 1)]
    states[0][""] = (0.0, 0)
    for i in range(size):
        here = states[i]
        if not here:
            continue
        if len(here) > _BEAM:
            here = dict(sorted(here.items(), key=lambda kv: -kv[1][0])[:_BEAM])
        c = low[i]
        for built, (cost, edits) in here.items():
            nxt = built + c
            if nxt in prefixes:
                _keep_better(states[i + 1], nxt, cost, edits)
            if edits >= _MAX_EDITS:
                continue
            if c in wild:
                # A mark inside a word: any letter the engine may have printed it for, or
                # a speck over nothing.
                lp = table_lp.get(("", c), UNSEEN_EDIT)
                if cost + lp >= floor:
                    _keep_better(states[i + 1], built, cost + lp, edits + 1)
                for x in _ALPHABET:
                    cand = built + x
                    lp = table_lp.get((x, c), UNSEEN_EDIT)
                    if cand in prefixes and cost + lp >= floor:
                        _keep_better(states[i + 1], cand, cost + lp, edits + 1)
            for n in range(1, min(span, size - i) + 1):
                rows = table.get(low[i : i + n])
                if rows is None:
                    continue
                for g, lp in rows:
                    if cost + lp < floor:
                        break
                    cand = built + g
                    if cand in prefixes:
                        _keep_better(states[i + n], cand, cost + lp, edits + 1)
    return {w for w in states[size] if w in words}


@functools.cache
def _top_logfreq(lang: str, user_dicts: tuple[str, ...]) -> float:
    """log10 of the frequency of the commonest target word."""
    freqs = load_lexicon(lang, user_dicts).freqs
    return max(math.log10(freqs[w]) for w in _targets(lang, user_dicts)[0])


def _keep_better(at: dict[str, tuple[float, int]], built: str, cost: float, edits: int) -> None:
    old = at.get(built)
    if old is None or cost > old[0]:
        at[built] = (cost, edits)


@functools.lru_cache(maxsize=1 << 15)
def channel_readings(
    tok: str,
    confusions: str = "en/ocr_confusions",
    lang: str = "en",
    user_dicts: tuple[str, ...] = (),
    *,
    marks: bool = False,
    need: float = -math.inf,
) -> tuple[tuple[float, str], ...]:
    """The two best readings of ``tok`` among :func:`channel_words`, as ``(log10 P(word) +
    log10 P(tok | word), word)`` (best first, the word in the token's case). Cached per
    process.

    With ``need``, the caller wants only a best reading scoring at least that: the search
    drops the strings whose confusions already cost more than ``need`` less the log
    frequency of the commonest target word (an approximate bound: the scoring alignment may
    price a word a little higher than the path that found it).

    >>> channel_readings("aftomoou")[0][1]
    'afternoon'
    """
    freqs = load_lexicon(lang, user_dicts).freqs
    model = load_confusions(confusions)
    upper = tok.isupper()
    title = not upper and tok[:1].isupper()
    out: list[tuple[float, str]] = []
    low = tok.lower()
    min_total = need - _top_logfreq(lang, user_dicts)
    for w in channel_words(tok, confusions, lang, user_dicts, marks=marks, min_total=min_total):
        if w == low:  # the token itself, whatever its case ("McCoy" is not "Mccoy")
            continue
        cased = w.upper() if upper else w[:1].upper() + w[1:] if title else w
        out.append((round(math.log10(freqs[w]) + channel_logprob(model, tok, cased), 3), cased))
    out.sort(reverse=True)
    return tuple(out[:2])
