"""Words that OCR both broke apart and misread: "daugh tei" → "daughter".

:class:`~textfix.stages.words.JoinBrokenWords` joins two fragments only when their join is a
word as printed ("perso nally"). In noisy OCR the fragments are often misread too ("com
mittcos", "childi en", "ob taiued"), so neither the join nor either fragment is a word, and
:class:`~textfix.stages.words.FixOcrWords`, which judges one token at a time, can only "fix"
each fragment into some short word. This stage asks the word model of ``fix_ocr_words`` (same
lexicon, same learned channel, same document evidence) two questions about each pair of
neighbouring fragments and joins them only when the answer is clear:

1. Read as ONE token, what would the pair become? (the ``fix_ocr_words`` decision for the
   joined string, with bigram and in-document evidence, must be a confident correction);
2. Is that reading more likely than the best reading of the two fragments as TWO tokens (each
   kept, or each corrected), after paying for the lost space (:data:`_JOIN_LOGP`)?

Both are noisy-channel scores in log10: the prior of a word plus the channel cost of reading
it as printed. Two fragments that are both common words ("in ado") are never joined: their
two priors together beat any joined reading.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import regex

from textfix.edits import Edit
from textfix.errors import ConfigError
from textfix.lexicon import load_lexicon
from textfix.registry import register
from textfix.stages.words import (
    _JOIN_LOGP,
    _TOKEN_RE,
    FixOcrWords,
    TokenCounts,
    _choose,
    _confidence,
    _decide,
    _keep_score,
    _oov_totals,
    _protected_spans,
    _scored,
    _sentence_start,
    _shift,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

__all__ = ["JoinDamagedWords"]

# A fragment: letters only. Digits, apostrophes and hyphens next to it make it part of
# something else (a number, a contraction, a compound), which this stage leaves alone.
_FRAGMENT_RE = regex.compile(r"\p{L}+", regex.V1)
_MARK_RE = regex.compile(r"\p{M}", regex.V1)
_GLUE = frozenset("-'’\u00ad&~^")


@register
@dataclass(frozen=True, slots=True)
class JoinDamagedWords:
    """Join a word that OCR broke with a space and misread ("com mittcos" → "committees",
    "childi en" → "children") when one misread word explains the pair far better than two.

    Args:
        margin: How much more likely (log10) the joined reading must be than the best reading
            of the two fragments apart, after the cost of the lost space. Higher is more
            precise.
        max_parts: The most fragments joined into one word (2 or more).
        known_zipf: A joined string at least this frequent as printed is left to
            ``join_broken_words``.
        lang: Lexicon language.
        confusions: Name or path of the OCR confusion table (as for ``fix_ocr_words``).
        misreadings: Name or path of the learned word-pair table (as for ``fix_ocr_words``).
        user_dicts: Paths of user dictionaries; their words count as known.
        protected: Words never joined (compared case-sensitively).

    >>> from textfix.edits import apply_edits
    >>> s = "The pre sidcnt spoke to the inhabi tauts and the childi en."
    >>> apply_edits(s, JoinDamagedWords().edits(s))
    'The president spoke to the inhabitants and the children.'
    >>> s = "He was in ado about it."  # two words: never joined
    >>> apply_edits(s, JoinDamagedWords().edits(s))
    'He was in ado about it.'
    """

    name: ClassVar[str] = "join_damaged_words"
    stream_context: ClassVar[int] = 2  # lines read around a token (textfix.stream)
    margin: float = 0.0
    max_parts: int = 2
    known_zipf: float = 3.0
    lang: str = "en"
    confusions: str = "en/ocr_confusions"
    misreadings: str = "en/real_word_pairs"
    user_dicts: tuple[str, ...] = ()
    protected: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.margin, (int, float)) or math.isnan(self.margin):
            msg = f"join_damaged_words: margin must be a number, got {self.margin!r}"
            raise ConfigError(msg)
        if not isinstance(self.max_parts, int) or self.max_parts < 2:
            msg = f"join_damaged_words: max_parts must be an integer >= 2, got {self.max_parts!r}"
            raise ConfigError(msg)
        if not 0 <= self.known_zipf <= 8:
            msg = f"join_damaged_words: known_zipf must be in [0, 8], got {self.known_zipf}"
            raise ConfigError(msg)
        for field in ("user_dicts", "protected"):
            value = getattr(self, field)
            if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                msg = f"join_damaged_words: {field} must be a list of strings"
                raise ConfigError(msg)
            object.__setattr__(self, field, tuple(value))

    def survey(self, text: str, earlier: object = None) -> TokenCounts:
        """The token counts and noise totals of ``text`` (as ``fix_ocr_words`` surveys them).

        >>> s = JoinDamagedWords()
        >>> s.survey("Tbe king.\\n") + s.survey("tbe end\\n") == s.survey("Tbe king.\\ntbe end\\n")
        True
        """
        return _word_model(self).survey(text)

    def edits(self, text: str, survey: TokenCounts | None = None) -> Iterator[Edit]:
        if " " not in text:
            return
        freqs = load_lexicon(self.lang, self.user_dicts).freqs
        if survey is None:
            counts: Mapping[str, int] = Counter(m.group().lower() for m in _TOKEN_RE.finditer(text))
            shift = _shift(*_oov_totals(counts, freqs))
        else:
            counts = survey.counts
            shift = _shift(survey.total, survey.unknown)
        protected_spans = _protected_spans(text)
        frags = list(_FRAGMENT_RE.finditer(text))
        last_end = 0
        for i in range(len(frags) - 1):
            if frags[i].start() < last_end:
                continue
            best: tuple[float, int, str] | None = None
            for n in range(2, self.max_parts + 1):
                if i + n > len(frags):
                    break
                found = self._judge(text, frags, i, n, counts, shift, protected_spans)
                if found is not None and (best is None or found[0] > best[0]):
                    best = (found[0], n, found[1])
            if best is None:
                continue
            gain, n, word = best
            if any(_MARK_RE.match(text, frags[j].end()) for j in range(i, i + n)):
                # A combining mark on a fragment's last letter ("ſ" + grave): replaced, the
                # letter would leave its mark behind on the joined word.
                continue
            last_end = frags[i + n - 1].end()
            yield Edit(frags[i].start(), last_end, word, self.name, "join_fixed", _confidence(gain))

    def _judge(
        self,
        text: str,
        frags: list[regex.Match[str]],
        i: int,
        n: int,
        counts: Mapping[str, int],
        shift: float,
        protected_spans: list[tuple[int, int]],
    ) -> tuple[float, str] | None:
        """The gain and the word of joining the ``n`` fragments from ``frags[i]``, or None."""
        parts = frags[i : i + n]
        for x, y in itertools.pairwise(parts):
            if x.end() + 1 != y.start() or text[x.end()] != " ":
                return None
        words = [m.group() for m in parts]
        first = words[0]
        if not all(w.islower() for w in words[1:]):
            return None  # "com mittcos", "Childi en"; not capitals, not "caU ed"
        if not (first.islower() or (first[0].isupper() and first[1:].islower())):
            return None
        if any(w in self.protected for w in words):
            return None
        start, end = parts[0].start(), parts[-1].end()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if before.isdigit() or before in _GLUE or after.isdigit() or after in _GLUE:
            return None
        freqs = load_lexicon(self.lang, self.user_dicts).freqs
        known = 10 ** (self.known_zipf - 9)
        if all(len(w) > 1 and freqs.get(w.lower(), 0.0) >= known for w in words):
            return None  # known words all: their priors together beat a joined reading
        joined = "".join(words)
        if freqs.get(joined.lower(), 0.0) > 0:
            return None  # a word as printed: join_broken_words decides
        if any(s < end and start < e for s, e in protected_spans):
            return None
        model = _word_model(self)
        apart = sum(_reading(model, w, counts, shift) for w in words)
        if apart > _JOINED_CEILING + (n - 1) * _JOIN_LOGP - self.margin:
            return None  # the fragments read well as they are: no joined reading beats them
        midcap = first[0].isupper() and not _sentence_start(text, start)
        d = _decide(model, joined, midcap, 1, shift)
        if d is None:
            return None
        prev = frags[i - 1].group().lower() if i and frags[i - 1].end() + 1 == start else ""
        k = i + n
        nxt = frags[k].group().lower() if k < len(frags) and end + 1 == frags[k].start() else ""
        best = _choose(d, prev, nxt, midcap, counts)
        if best is None or " " in best[1]:
            return None
        if freqs.get(best[1].lower(), 0.0) < known:
            return None
        together = _word_score(model, joined, best[1]) + (n - 1) * _JOIN_LOGP
        gain = together - apart - self.margin
        return (gain, best[1]) if gain >= 0 else None


#: The best score (log10 prior + channel) that a joined string reaches in practice: joined
#: fragments make words of six letters or more, which are at most about Zipf 5 (-4), and a
#: damaged string costs at least one misreading (-2) and usually more. Pairs whose apart
#: reading scores above it, less the lost space, are not asked about: the joined string is a
#: new token for the word model, and asking about every pair would double the word stages.
_JOINED_CEILING = -7.0


@functools.cache
def _word_model(stage: JoinDamagedWords) -> FixOcrWords:
    """The ``fix_ocr_words`` settings whose word model this stage asks."""
    return FixOcrWords(
        lang=stage.lang,
        confusions=stage.confusions,
        misreadings=stage.misreadings,
        user_dicts=stage.user_dicts,
    )


def _word_score(model: FixOcrWords, tok: str, word: str) -> float:
    """The noisy-channel score (log10 prior + channel) of reading ``tok`` as ``word``."""
    low = word.lower()
    for score, rep, _rule in _scored(model, tok):
        if rep.lower() == low:
            return score
    return -math.inf  # a learned misreading outside the channel's options: no comparison


def _reading(model: FixOcrWords, frag: str, counts: Mapping[str, int], shift: float) -> float:
    """The score of the best reading of one fragment on its own, as ``fix_ocr_words`` would
    read it: kept as printed (the word model's keep-prior, :func:`_keep_score`), or
    corrected (only a token that is not a known word)."""
    f = load_lexicon(model.lang, model.user_dicts).freqs.get(frag.lower(), 0.0)
    keep = _keep_score(model, frag, counts.get(frag.lower(), 0), shift)
    if len(frag) < 2 or f >= 10 ** (model.known_zipf - 9):
        return keep  # fix_ocr_words keeps a known word: so does the reading apart
    return max([keep, *(o[0] for o in _scored(model, frag))])
