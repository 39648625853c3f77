"""How much a string looks like a word of the language: a letter-trigram model of the lexicon.

OCR damage makes strings that no word of the language looks like ("tliuos", "cntlru"), while a
correct token the lexicon lacks (a name, a rare or foreign word) is usually spelled like a
word. :func:`implausibility` measures the difference: the log10 probability, per letter, that
a trigram model of the lexicon's own words gives the string, against what common words get.
:mod:`textfix.stages.words` lowers the prior of an unknown token by it in a noisy document,
where an implausible unknown token is far more often a misreading than a word.

The model is learned from the lexicon (the words' spellings, each word counted once), never
from OCR text, so it carries no confusion of any engine.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from typing import cast

from textfix.cache import persistent
from textfix.lexicon import load_lexicon

__all__ = ["implausibility", "unlike_penalty", "wordlikeness"]

#: Words at least this frequent (Zipf) train the model: common enough to be spelled right.
_TRAIN_ZIPF = 2.0
#: Add-k smoothing of the trigram counts.
_SMOOTH = 0.1
#: The per-letter log10 probability at or above which a string counts as word-like: about the
#: first quartile of the lexicon's own common words (most names and rare words are above it).
TYPICAL = -1.2
#: log10 lowered per log10 of implausibility, in the noisiest documents (noise shift -4), and
#: the most it is lowered. Set on the even-numbered dev records (docs/words.md, "Words spelled
#: like no word"): 1 and 5 won the most there; 0.5 or a cap of 3 won less, 2 harmed more.
_WEIGHT = 1.0
_MOST = 5.0
#: The noise shift at which the full weight applies (the word model's largest shift).
_FULL_SHIFT = -4.0
#: Marks the start and end of a word.
_EDGE = "^"
_END = "$"


def _encode(table: tuple[dict[str, float], dict[str, float], float]) -> list[object]:
    return list(table)


def _decode(data: list[object], **_: object) -> tuple[dict[str, float], dict[str, float], float]:
    tri, ctx, unseen = data
    return cast("dict[str, float]", tri), cast("dict[str, float]", ctx), cast("float", unseen)


@functools.cache
@persistent("wordlike_trigrams", encode=_encode, decode=_decode)
def _trigrams(
    lang: str, user_dicts: tuple[str, ...]
) -> tuple[dict[str, float], dict[str, float], float]:
    """The model: log10 P(letter | two letters before) by trigram, the log10 probability of an
    unseen trigram by its context, and that of an unseen context."""
    freqs = load_lexicon(lang, user_dicts).freqs
    floor = 10 ** (_TRAIN_ZIPF - 9)
    tri: Counter[str] = Counter()
    for w, f in freqs.items():
        if f >= floor and w.isalpha():
            s = f"{_EDGE}{_EDGE}{w}{_END}"
            for i in range(2, len(s)):
                tri[s[i - 2 : i + 1]] += 1
    ctx: Counter[str] = Counter()
    letters: set[str] = set()
    for t, n in tri.items():
        ctx[t[:2]] += n
        letters.add(t[2])
    size = len(letters) or 1
    log10 = math.log10
    tri_lp = {t: log10((n + _SMOOTH) / (ctx[t[:2]] + _SMOOTH * size)) for t, n in tri.items()}
    ctx_lp = {c: log10(_SMOOTH / (n + _SMOOTH * size)) for c, n in ctx.items()}
    return tri_lp, ctx_lp, log10(1.0 / size)


def wordlikeness(word: str, lang: str = "en", user_dicts: tuple[str, ...] = ()) -> float:
    """The mean log10 probability per letter (and word end) of ``word`` under the letter-trigram
    model of the lexicon; case is ignored.

    >>> wordlikeness("garden") > wordlikeness("gnrdcn")
    True
    """
    tri, ctx, unseen = _trigrams(lang, user_dicts)
    s = f"{_EDGE}{_EDGE}{word.lower()}{_END}"
    total = 0.0
    for i in range(2, len(s)):
        lp = tri.get(s[i - 2 : i + 1])
        if lp is None:
            lp = ctx.get(s[i - 2 : i], unseen)
        total += lp
    return total / (len(s) - 2)


@functools.lru_cache(maxsize=1 << 16)
def implausibility(word: str, lang: str = "en", user_dicts: tuple[str, ...] = ()) -> float:
    """How much less likely (log10) ``word`` is, letter by letter, than a word-like string of
    its length: ``(TYPICAL - wordlikeness) * (letters + 1)``, at least 0. Cached per process.

    >>> implausibility("garden"), implausibility("tliuos") > 1.0
    (0.0, True)
    """
    deficit = TYPICAL - wordlikeness(word, lang, user_dicts)
    return max(0.0, deficit * (len(word) + 1))


def unlike_penalty(
    word: str, shift: float, lang: str = "en", user_dicts: tuple[str, ...] = ()
) -> float:
    """How much lower (log10) the prior that an unknown token ``word`` is right should be, in
    a document with noise shift ``shift`` (0 in clean text, down to -4): its
    :func:`implausibility`, weighted by the document's noise and capped. Only tokens of letters
    count (a digit or glyph among letters is priced by the word model already). Letters
    outside ASCII count as unlike English: in noisy OCR they are mostly damage ("tbê"); a
    foreign word in a noisy document pays for that (measured: see docs/words.md).

    In clean text (``shift`` 0) nothing changes: there a token spelled like no English word
    is a foreign word or a name as often as not.

    >>> unlike_penalty("tliuos", 0.0), unlike_penalty("garden", -4.0)
    (0.0, 0.0)
    >>> unlike_penalty("tliuos", -4.0) > unlike_penalty("tliuos", -2.0) > 0
    True
    """
    if shift >= 0 or not word.isalpha():
        return 0.0
    scale = min(1.0, shift / _FULL_SHIFT)
    return min(_MOST, _WEIGHT * implausibility(word, lang, user_dicts)) * scale
