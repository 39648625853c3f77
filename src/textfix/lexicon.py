"""The word lexicon: word frequencies from wordfreq plus textfix's own additions.

wordfreq's "large" English list (about 320k words, accented forms included) is the base. It
is loaded on first use and cached once per process. Frequencies are probabilities of a word
among all word tokens; :meth:`Lexicon.zipf` gives the more readable Zipf scale (log10 of the
frequency per billion words: "the" ≈ 7.7, a rare word ≈ 2, unseen = 0).
"""

from __future__ import annotations

import functools
import itertools
import math
import unicodedata
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract as _extract

from textfix.cache import fields, once_per_setting, persistent
from textfix.errors import DictionaryError, DictionaryNotFoundError
from textfix.resources import parse_tsv, resolve

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = [
    "DeleteIndex",
    "Lexicon",
    "delete_index",
    "load_bigrams",
    "load_lexicon",
    "read_user_dict",
    "symspell_index",
    "symspell_terms",
    "symspell_terms_near_far",
    "symspell_vocabulary",
    "terms_within",
]

_osa = OSA.distance

#: Zipf value given to a user-dictionary word listed without a frequency: a common word.
USER_WORD_ZIPF = 4.0


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Word frequencies for one language, looked up case-insensitively.

    Attributes:
        lang: The language code, such as ``"en"``.
        freqs: Lowercase word to frequency (a probability).
    """

    lang: str
    freqs: Mapping[str, float]

    def freq(self, word: str) -> float:
        """Return the frequency of ``word`` (0.0 when unknown)."""
        f = self.freqs.get(word)
        if f is None:
            f = self.freqs.get(word.lower(), 0.0)
        return f

    def zipf(self, word: str) -> float:
        """Return the Zipf frequency of ``word`` (0.0 when unknown).

        >>> lex = load_lexicon("en")
        >>> lex.zipf("the") > 7 > lex.zipf("thee") > 0 == lex.zipf("qzxv")
        True
        """
        f = self.freq(word)
        return math.log10(f) + 9 if f > 0 else 0.0

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.freq(word) > 0

    def __len__(self) -> int:
        return len(self.freqs)


def read_user_dict(path: str) -> dict[str, float]:
    """Read a user dictionary: one word per line, optionally followed by its Zipf frequency.

    Words and frequency are separated by a tab or spaces; blank lines and ``#`` lines are
    skipped. A word without a frequency gets :data:`USER_WORD_ZIPF`.

    Raises:
        DictionaryNotFoundError: The file does not exist.
        DictionaryError: A frequency is not a number, with file and line.
    """
    p = Path(path)
    try:
        text = p.read_text("utf-8-sig")
    except FileNotFoundError:
        raise DictionaryNotFoundError(path) from None
    out: dict[str, float] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        line = unicodedata.normalize("NFC", line.strip())
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t") if "\t" in line else line.rsplit(None, 1)
        word, zipf = parts[0].strip(), USER_WORD_ZIPF
        if len(parts) > 1:
            try:
                zipf = float(parts[1])
            except ValueError:
                if "\t" in line:
                    msg = f"{p.name}:{lineno}: frequency {parts[1]!r} is not a number"
                    raise DictionaryError(msg) from None
                word = line  # a multi-word entry without a frequency
        if word:
            out[word.lower()] = max(out.get(word.lower(), 0.0), zipf)
    return out


@once_per_setting
@persistent("lexicon", encode=fields, decode=lambda data, **_: Lexicon(*data))
def load_lexicon(lang: str = "en", user_dicts: tuple[str, ...] = ()) -> Lexicon:
    """Load the lexicon of ``lang`` (plus user dictionaries) once per process.

    The base list comes from wordfreq; ``dictionaries/<lang>/lexicon_extra.tsv``, when present,
    adds or overrides words (``word<TAB>zipf``); each file of ``user_dicts`` (see
    :func:`read_user_dict`) then adds its words, never lowering a frequency.

    Raises:
        DictionaryNotFoundError: wordfreq has no list for ``lang``, or a user file is missing.
    """
    if user_dicts:
        base_lex = load_lexicon(lang)
        merged = dict(base_lex.freqs)
        for path in user_dicts:
            for word, zipf in read_user_dict(path).items():
                merged[word] = max(merged.get(word, 0.0), 10 ** (zipf - 9))
        return Lexicon(lang, merged)
    import wordfreq

    try:
        base = wordfreq.get_frequency_dict(lang, wordlist="large")
    except LookupError:
        base = {}
    if not base:
        msg = f"wordfreq:{lang}"
        raise DictionaryNotFoundError(msg, ["wordfreq:en"])
    freqs = dict(base)
    try:
        extra = resolve(f"{lang}/lexicon_extra")
    except DictionaryNotFoundError:
        extra = None
    if extra is not None:
        for row in parse_tsv(extra.read_text("utf-8-sig"), extra.name):
            freqs[row[0].lower()] = 10 ** (float(row[1]) - 9)
    return Lexicon(lang, freqs)


@once_per_setting
def symspell_index(
    lang: str = "en",
    user_dicts: tuple[str, ...] = (),
    *,
    min_zipf: float = 2.5,
    max_edit_distance: int = 2,
    prefix_length: int = 7,
) -> Any:
    """Build the SymSpell candidate index over the lexicon once per process and setting.

    Only words of at least ``min_zipf`` (and every user-dictionary word) are indexed: a
    correction to a rarer word would never beat the token itself, so indexing them only
    costs time and memory. Words with characters other than letters and apostrophes are left
    out.

    >>> idx = symspell_index()
    >>> from symspellpy import Verbosity
    >>> [s.term for s in idx.lookup("thw", Verbosity.TOP, max_edit_distance=1)]
    ['the']
    """
    from symspellpy import SymSpell
    from symspellpy.abstract_distance_comparer import AbstractDistanceComparer
    from symspellpy.editdistance import DistanceAlgorithm, EditDistance

    class _RapidOsa(AbstractDistanceComparer):  # type: ignore[misc]
        """symspellpy's Damerau-OSA distance, computed by RapidFuzz in C (same results)."""

        def distance(self, string_1: str | None, string_2: str | None, max_distance: int) -> int:
            d = int(OSA.distance(string_1 or "", string_2 or "", score_cutoff=max_distance))
            return -1 if d > max_distance else d

    index = SymSpell(
        max_dictionary_edit_distance=max_edit_distance,
        prefix_length=prefix_length,
        distance_comparer=EditDistance(DistanceAlgorithm.USER_PROVIDED, _RapidOsa()),
    )
    for word, count in symspell_vocabulary(lang, user_dicts, min_zipf=min_zipf).items():
        index.create_dictionary_entry(word, count)
    return index


@once_per_setting
@persistent("vocabulary")
def symspell_vocabulary(
    lang: str = "en", user_dicts: tuple[str, ...] = (), *, min_zipf: float = 2.5
) -> dict[str, int]:
    """The words :func:`symspell_index` indexes, with their counts, in lexicon order.

    Cheap to build (unlike the index's deletes), for callers that only need to know whether
    a word could be a correction.

    >>> voc = symspell_vocabulary()
    >>> "the" in voc, "qzxv" in voc
    (True, False)
    """
    lex = load_lexicon(lang, user_dicts)
    user: set[str] = set()
    for path in user_dicts:
        user.update(read_user_dict(path))
    floor = 10 ** (min_zipf - 9)
    return {
        word: max(1, int(f * 1e9))
        for word, f in lex.freqs.items()
        if (f >= floor or word in user) and word.replace("'", "").isalpha()
    }


@functools.cache
@persistent("bigrams")
def load_bigrams() -> dict[str, int]:
    """Load symspellpy's English bigram counts (``"of the"`` → count), once per process.

    >>> load_bigrams()["of the"] > load_bigrams().get("of tbe", 0)
    True
    """
    res = files("symspellpy") / "frequency_bigramdictionary_en_243_342.txt"
    out: dict[str, int] = {}
    for line in res.read_text("utf-8-sig").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2].isdigit():
            out[f"{parts[0]} {parts[1]}"] = int(parts[2])
    return out


def symspell_terms(
    index: Any, phrase: str, max_edit_distance: int, *, min_count: int = 0
) -> set[str]:
    """Return the terms of a SymSpell ``index`` within ``max_edit_distance`` of ``phrase``.

    The same words as ``index.lookup(phrase, Verbosity.ALL, max_edit_distance)``: the words
    filed under any delete of the phrase's prefix (SymSpell's candidates) whose Damerau-OSA
    distance to the phrase is within the limit. The buckets are merged by one set union and
    the distances computed by RapidFuzz, both in C, instead of SymSpell's step-by-step loop.
    ``index`` is a symspellpy ``SymSpell`` or a :class:`DeleteIndex`; ``min_count`` keeps
    only the words counted at least that often in it.

    >>> idx = symspell_index()
    >>> from symspellpy import Verbosity
    >>> got = symspell_terms(idx, "tbe", 1)
    >>> got == {s.term for s in idx.lookup("tbe", Verbosity.ALL, max_edit_distance=1)}
    True
    >>> "the" in got
    True
    """
    words: Mapping[str, int] = index._words
    n = len(phrase)
    if n - max_edit_distance > index._max_length:
        return set()
    if max_edit_distance <= 0:
        return {phrase} if phrase in words else set()
    keys = _prefix_deletes(phrase[: index._prefix_length], max_edit_distance)
    found: set[str] = set().union(*filter(None, map(index._deletes.get, keys)))
    if min_count > 0:
        found = {w for w in found if words[w] >= min_count}
    return terms_within(phrase, found, max_edit_distance)


def symspell_terms_near_far(
    near: Any, far: Any, phrase: str, *, extra: Iterable[str] = ()
) -> set[str]:
    """``symspell_terms(near, phrase, 1) | symspell_terms(far, phrase, 2)``, plus the words
    of ``extra`` within distance 2, found in one pass (``far=None``: no distance-2 index,
    only ``near`` and ``extra``).

    The deletes of the phrase's prefix are made once for both indexes (the distance-1 keys
    are a part of the distance-2 ones) and every distance is computed in one RapidFuzz call.

    >>> near, far = delete_index(max_distance=1), delete_index(min_zipf=4.0)
    >>> symspell_terms_near_far(near, far, "tbem") == (
    ...     symspell_terms(near, "tbem", 1) | symspell_terms(far, "tbem", 2))
    True
    >>> symspell_terms_near_far(near, None, "tbem", extra={"them", "tbxyz"}) == (
    ...     symspell_terms(near, "tbem", 1) | terms_within("tbem", {"them", "tbxyz"}, 2))
    True
    """
    if far is not None and near._prefix_length != far._prefix_length:
        out = symspell_terms(near, phrase, 1) | symspell_terms(far, phrase, 2)
        return out | terms_within(phrase, set(extra), 2)
    n = len(phrase)
    prefix = phrase[: near._prefix_length]
    size = len(prefix)
    keys1 = _deletes_of(prefix, 1) if size else []
    keys1.append(prefix)
    first: set[str] = set()
    if n - 1 <= near._max_length:
        first = first.union(*filter(None, map(near._deletes.get, keys1)))
    wide = set(extra)
    if far is not None and n - 2 <= far._max_length:
        get = far._deletes.get
        keys2 = _deletes_of(prefix, 2) if size >= 2 else []
        wide = wide.union(*filter(None, map(get, keys1)), *filter(None, map(get, keys2)))
    if not first:
        return terms_within(phrase, wide, 2)
    if not wide:
        return terms_within(phrase, first, 1)
    # One distance per word, cut at 2; words only the distance-1 index found need 1.
    return {
        w
        for w, d, _ in _extract(phrase, first | wide, scorer=_osa, score_cutoff=2, limit=None)
        if d <= 1 or w in wide
    }


@functools.cache
def _pairs(size: int) -> tuple[tuple[int, int], ...]:
    return tuple((i, j) for i in range(size) for j in range(i + 1, size))


def _deletes_of(s: str, k: int) -> list[str]:
    """The strings that deleting exactly ``k`` characters of ``s`` gives (with repeats),
    made in C: the kept characters are the ``len(s) - k`` combinations of ``s``, in order.

    >>> sorted(_deletes_of("abc", 1)), sorted(_deletes_of("abc", 2))
    (['ab', 'ac', 'bc'], ['a', 'b', 'c'])
    """
    return list(map("".join, itertools.combinations(s, len(s) - k)))


def terms_within(phrase: str, words: set[str], distance: int) -> set[str]:
    """The ``words`` within Damerau-OSA ``distance`` of ``phrase`` (one RapidFuzz call).

    >>> sorted(terms_within("tbe", {"the", "tribe", "toe", "oboe"}, 1))
    ['the', 'toe']
    """
    if not words:
        return set()
    hits = _extract(phrase, words, scorer=_osa, score_cutoff=distance, limit=None)
    return {w for w, _, _ in hits}


def _prefix_deletes(prefix: str, distance: int) -> set[str]:
    """``prefix`` and every string that deleting up to ``distance`` characters gives."""
    size = len(prefix)
    keys = set(_deletes_of(prefix, 1)) if distance >= 1 and size >= 1 else set()
    keys.add(prefix)
    if distance >= 2 and size >= 2:
        keys.update(_deletes_of(prefix, 2))
    frontier = keys
    for _ in range(2, min(distance, size)):
        frontier = {c[:i] + c[i + 1 :] for c in frontier for i in range(len(c))}
        keys |= frontier
    return keys


@dataclass(frozen=True, eq=False)
class DeleteIndex:
    """SymSpell's index of words by the deletes of their prefix, without symspellpy's
    per-word bookkeeping: built several times faster, and read by :func:`symspell_terms`.

    Attributes:
        _words: The indexed words (with their counts).
        _deletes: Each delete of a word's prefix → the words that have it.
        _prefix_length: Length of the prefix whose deletes are indexed.
        _max_length: Length of the longest word.
        max_distance: The largest edit distance a lookup may ask for.
    """

    _words: Mapping[str, int]
    _deletes: Mapping[str, list[str]]
    _prefix_length: int
    _max_length: int
    max_distance: int


@once_per_setting
@persistent("delete_index", encode=fields, decode=lambda data, **_: DeleteIndex(*data))
def delete_index(
    lang: str = "en",
    user_dicts: tuple[str, ...] = (),
    *,
    min_zipf: float = 2.5,
    max_distance: int = 2,
    prefix_length: int = 7,
) -> DeleteIndex:
    """Index the :func:`symspell_vocabulary` words of at least ``min_zipf`` for lookups up
    to ``max_distance`` edits, once per process and setting.

    Lookups give the same words as a symspellpy index with the same settings.

    >>> idx = delete_index(max_distance=1)
    >>> symspell_terms(idx, "tbe", 1) == symspell_terms(symspell_index(), "tbe", 1)
    True
    """
    vocab = symspell_vocabulary(lang, user_dicts)
    if min_zipf > 2.5:
        floor = 10 ** (min_zipf - 9)
        lex = load_lexicon(lang, user_dicts)
        user: set[str] = set()
        for path in user_dicts:
            user.update(read_user_dict(path))
        vocab = {w: c for w, c in vocab.items() if lex.freqs[w] >= floor or w in user}
    elif min_zipf < 2.5:
        vocab = symspell_vocabulary(lang, user_dicts, min_zipf=min_zipf)
    deletes: dict[str, list[str]] = {}
    by_prefix: dict[str, list[str]] = {}
    for w in vocab:
        by_prefix.setdefault(w[:prefix_length], []).append(w)
    for prefix, ws in by_prefix.items():
        for key in _prefix_deletes(prefix, max_distance):
            bucket = deletes.get(key)
            if bucket is None:
                deletes[key] = list(ws)
            else:
                bucket.extend(ws)
    return DeleteIndex(vocab, deletes, prefix_length, max(map(len, vocab), default=0), max_distance)
