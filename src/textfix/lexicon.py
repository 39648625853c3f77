"""The word lexicon: word frequencies from wordfreq plus textfix's own additions.

wordfreq's "large" English list (about 320k words, accented forms included) is the base. It
is loaded on first use and cached once per process. Frequencies are probabilities of a word
among all word tokens; :meth:`Lexicon.zipf` gives the more readable Zipf scale (log10 of the
frequency per billion words: "the" ≈ 7.7, a rare word ≈ 2, unseen = 0).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textfix.errors import DictionaryNotFoundError
from textfix.resources import parse_tsv, resolve

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["Lexicon", "load_lexicon"]


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


@functools.cache
def load_lexicon(lang: str = "en") -> Lexicon:
    """Load the lexicon of ``lang`` once per process.

    The base list comes from wordfreq; ``dictionaries/<lang>/lexicon_extra.tsv``, when present,
    adds or overrides words (``word<TAB>zipf``).

    Raises:
        DictionaryNotFoundError: wordfreq has no list for ``lang``.
    """
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
