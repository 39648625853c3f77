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

__all__ = ["channel_readings", "channel_words", "clear_caches"]

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
    floor = max(_MIN_TOTAL, min_total)
    return set(_channel_words(tok.lower(), confusions, lang, user_dicts, marks, floor))


@functools.lru_cache(maxsize=1 << 15)
def _channel_words(
    low: str, confusions: str, lang: str, user_dicts: tuple[str, ...], marks: bool, floor: float
) -> frozenset[str]:
    """:func:`channel_words` of a lowercase token, cached per process (the search depends on
    the lowercase token only, so "Tbe" and "tbe" share it).

    The beam is the plain one of the docstring above; the table rows that apply at a
    position are looked up once per position rather than once per string of the beam, and
    the states are updated inline: the same states, reached in the same order, so the same
    words."""
    table, span = _flagged_table(confusions)
    words, prefixes = _targets(lang, user_dicts)
    follow = _followers(lang, user_dicts)
    size = len(low)
    # The confusions that can be undone at each position, as (end, ocr string): the same
    # for every string of the beam there.
    undo_at: list[list[tuple[int, str]]] = []
    for i in range(size):
        here_ocr = []
        for n in range(1, min(span, size - i) + 1):
            o = low[i : i + n]
            if o in table:
                here_ocr.append((i + n, o))
        undo_at.append(here_ocr)
    viable = _viable_cache(confusions)
    if len(viable) > _VIABLE_SIZE:
        viable.clear()
    # A beam over positions: at each position, the strings built so far (prefixes of target
    # words) with the likeliest confusions that built them; a string reached twice is kept
    # once, with its likelier path. Whether ``built + g`` is a prefix is read, for a ``g``
    # of one character or none, off the characters that may follow ``built`` (``follow``).
    states: list[dict[str, tuple[float, int]]] = [{} for _ in range(size + 1)]
    states[0][""] = (0.0, 0)
    for i in range(size):
        here = states[i]
        if not here:
            continue
        if len(here) > _BEAM:
            here = dict(sorted(here.items(), key=_by_cost)[:_BEAM])
        c = low[i]
        step = states[i + 1]
        undo = undo_at[i]
        wild = _wild_rows(confusions, c) if marks and c in _WILDCARDS else None
        for built, (cost, edits) in here.items():
            after = follow[built]
            if c in after:
                nxt = built + c
                old = step.get(nxt)
                if old is None or cost > old[0]:
                    step[nxt] = (cost, edits)
            if edits >= _MAX_EDITS:
                continue
            more = edits + 1
            if wild is not None:
                # A mark inside a word: any letter the engine may have printed it for, or
                # a speck over nothing.
                lp = wild[0]
                if cost + lp >= floor:
                    old = step.get(built)
                    if old is None or cost + lp > old[0]:
                        step[built] = (cost + lp, more)
                for x, lp in wild[1]:
                    if x in after and cost + lp >= floor:
                        cand = built + x
                        old = step.get(cand)
                        if old is None or cost + lp > old[0]:
                            step[cand] = (cost + lp, more)
            for j, o in undo:
                # Only the rows whose gt can follow ``built`` (in the table's order, so the
                # first too unlikely one still ends the rest).
                rows = viable.get((o, after))
                if rows is None:
                    rows = viable[o, after] = _viable_rows(table[o], after)
                at = states[j]
                for g, lp, short in rows:
                    total = cost + lp
                    if total < floor:
                        break
                    cand = built + g
                    if not short and cand not in prefixes:
                        continue
                    old = at.get(cand)
                    if old is None or total > old[0]:
                        at[cand] = (total, more)
    return frozenset(w for w in states[size] if w in words)


#: Entries of a :func:`_viable_cache` at most (it is cleared when larger).
_VIABLE_SIZE = 1 << 16


@functools.cache
def _viable_cache(confusions: str) -> dict[tuple[str, str], tuple[tuple[str, float, bool], ...]]:
    """The rows of :func:`_flagged_table` that can follow a prefix, by ``(ocr string, the
    characters that may follow the prefix)``, filled by the searches (see
    :func:`_viable_rows`)."""
    return {}


def _viable_rows(
    rows: tuple[tuple[str, float, bool], ...], after: str
) -> tuple[tuple[str, float, bool], ...]:
    """The ``rows`` whose ``gt`` is empty or begins with a character of ``after``, in order."""
    return tuple(r for r in rows if not r[0] or r[0][0] in after)


@functools.cache
def _followers(lang: str, user_dicts: tuple[str, ...]) -> dict[str, str]:
    """Each prefix of a target word (see :func:`_targets`) → the characters that follow it
    in some target word ("" after a word that begins no longer one): ``p + x`` is a prefix
    exactly when ``x`` (one character, or none) is in ``follow[p]``."""
    _words, prefixes = _targets(lang, user_dicts)
    follow = dict.fromkeys(prefixes, "")
    for p in prefixes:
        if p:
            follow[p[:-1]] += p[-1]  # (each once: the prefixes are distinct)
    return follow


@functools.cache
def _flagged_table(
    confusions: str,
) -> tuple[dict[str, tuple[tuple[str, float, bool], ...]], int]:
    """:func:`_undo_table`, each row with whether its ``gt`` has one character or none."""
    table, span = _undo_table(confusions)
    return {o: tuple((g, lp, len(g) <= 1) for g, lp in rows) for o, rows in table.items()}, span


def _by_cost(kv: tuple[str, tuple[float, int]]) -> float:
    return -kv[1][0]


@functools.cache
def _wild_rows(confusions: str, mark: str) -> tuple[float, tuple[tuple[str, float], ...]]:
    """The price of reading ``mark`` as nothing, and of reading it as each letter (in
    alphabetical order), for :func:`channel_words` with ``marks``."""
    table_lp = load_confusions(confusions).logp
    return (
        table_lp.get(("", mark), UNSEEN_EDIT),
        tuple((x, table_lp.get((x, mark), UNSEEN_EDIT)) for x in _ALPHABET),
    )


@functools.cache
def _top_logfreq(lang: str, user_dicts: tuple[str, ...]) -> float:
    """log10 of the frequency of the commonest target word."""
    freqs = load_lexicon(lang, user_dicts).freqs
    return max(math.log10(freqs[w]) for w in _targets(lang, user_dicts)[0])


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


def clear_caches() -> None:
    """Forget the searches cached in this process (to time a cold run). Results do not
    change: the caches only remember pure computations."""
    channel_readings.cache_clear()
    _channel_words.cache_clear()
    _viable_cache.cache_clear()
