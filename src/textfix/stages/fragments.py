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
    _CONTEXT_BONUS,
    _D2_MAX_BAR,
    _DOC_BONUS,
    _FOREIGN_LETTER_RE,
    _JOIN_LOGP,
    _TOKEN_RE,
    FixOcrWords,
    TokenCounts,
    _choose,
    _confidence,
    _Decision,
    _keep_score,
    _margin,
    _oov_totals,
    _protected_spans,
    _scored,
    _sentence_start,
    _shift,
    _top_logp_by_length,
)
from textfix.wordlike import wordlikeness

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

__all__ = ["JoinDamagedWords"]

# A fragment: letters only. Digits, apostrophes and hyphens next to it make it part of
# something else (a number, a contraction, a compound), which this stage leaves alone.
_FRAGMENT_RE = regex.compile(r"\p{L}+", regex.V1)
_MARK_RE = regex.compile(r"\p{M}", regex.V1)
# Two fragments one space apart, the second in lowercase (found overlapping: each fragment may
# start a pair); the fragment after a space (for runs of more than two); the fragment that
# ends one space before a position (matched right to left).
# Neither next to a digit or a glue mark (see _GLUE), the first in lowercase or Titlecase.
_GLUE_CHARS = "-'’\u00ad&~^"
_GLUE = frozenset(_GLUE_CHARS)
_NOT_BESIDE = rf"[\p{{L}}\d{regex.escape(_GLUE_CHARS)}]"
_PAIR_RE = regex.compile(
    rf"(?<!{_NOT_BESIDE})(\p{{Lu}}?\p{{Ll}}+) (?=(\p{{Ll}}+)(?!{_NOT_BESIDE}))", regex.V1
)
_NEXT_RE = regex.compile(r" (\p{L}+)", regex.V1)
_BEFORE_RE = regex.compile(r"\p{L}+", regex.V1 | regex.REVERSE)


@register
@dataclass(frozen=True, slots=True)
class JoinDamagedWords:
    """Join a word that OCR broke with a space and misread ("com mittcos" → "committees",
    "childi en" → "children") when one misread word explains the pair far better than two.

    Args:
        margin: How much more likely (log10) the joined reading must be than the best reading
            of the two fragments apart, after the cost of the lost space. Higher is more
            precise.
        max_shift: Only documents whose noise shift (as ``fix_ocr_words`` measures it: 0 in
            clean prose, down to -4) is at most this are looked at (0: all).
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
    max_shift: float = 0.0
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
        if (
            isinstance(self.max_shift, bool)
            or not isinstance(self.max_shift, (int, float))
            or math.isnan(self.max_shift)
        ):
            msg = f"join_damaged_words: max_shift must be a number, got {self.max_shift!r}"
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
        if shift > self.max_shift:
            return
        # The pairs worth judging, found cheaply first: two letter runs one space apart, the
        # second in lowercase, not too long together, one of them rare or unlisted
        # (_RARE_FRAGMENT; the rest is checked in _judge).
        rare = _RARE_FRAGMENT
        pairs = [
            m
            for m in _PAIR_RE.finditer(text)
            if len(m[1]) + len(m[2]) <= _MAX_JOINED_LETTERS
            and (freqs.get(m[2], 0.0) < rare or freqs.get(m[1].lower(), 0.0) < rare)
        ]
        if not pairs:
            return
        protected_spans = _protected_spans(text)
        readings: dict[str, tuple[float, float]] = {}  # fragment -> (keep, best reading)
        spelled: dict[str, float] = {}  # fragment -> its _spelled score
        last_end = 0
        for pair in pairs:
            if pair.start() < last_end:
                continue
            if (
                self.max_parts == 2
                and _junction((pair[1], pair[2]), spelled, self.lang, self.user_dicts)
                < _MIN_JUNCTION
            ):
                continue  # (checked again in _judge; here before the fragments are found)
            # The fragments from this pair on, with the fragment before it (for the context
            # of the joined word) when one space apart.
            at = pair.start() - 1
            before = _BEFORE_RE.match(text, 0, at) if at > 0 and text[at] == " " else None
            frags = [before] if before is not None else []
            i = len(frags)
            frags.append(_fragment_at(text, pair.start()))
            while len(frags) < i + self.max_parts + 1:
                nxt = _NEXT_RE.match(text, frags[-1].end())
                if nxt is None:
                    break
                frags.append(_fragment_at(text, nxt.start(1)))
            best: tuple[float, int, str] | None = None
            for n in range(2, self.max_parts + 1):
                if i + n > len(frags):
                    break
                found = self._judge(
                    text, frags, i, n, counts, shift, protected_spans, readings, spelled
                )
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
            yield Edit(pair.start(), last_end, word, self.name, "join_fixed", _confidence(gain))

    def _judge(
        self,
        text: str,
        frags: list[regex.Match[str]],
        i: int,
        n: int,
        counts: Mapping[str, int],
        shift: float,
        protected_spans: list[tuple[int, int]],
        readings: dict[str, tuple[float, float]],
        spelled: dict[str, float],
    ) -> tuple[float, str] | None:
        """The gain and the word of joining the ``n`` fragments from ``frags[i]``, or None.
        ``readings``: the keep score and best reading of each fragment met in the document,
        ``spelled``: the :func:`_spelled` score of each (both filled here)."""
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
        if len(joined) > _MAX_JOINED_LETTERS:
            return None  # (see _MAX_JOINED_LETTERS)
        if freqs.get(joined.lower(), 0.0) > 0:
            return None  # a word as printed: join_broken_words decides
        if any(s < end and start < e for s, e in protected_spans):
            return None
        if _junction(words, spelled, self.lang, self.user_dicts) < _MIN_JUNCTION:
            return None  # (see _junction)
        model = _word_model(self)
        # What the joined reading can reach: a word of about its length, read through at
        # least one misreading (_JOINED_CEILING, _BELOW_TOP), less the lost spaces.
        top = _top_logp_by_length(self.lang, self.user_dicts)[len(joined)]
        ceiling = min(_JOINED_CEILING, top + _BELOW_TOP) + (n - 1) * _JOIN_LOGP - self.margin
        # Each fragment reads at least as well as kept: a cheap bound before their searches.
        scores = []
        for w in words:
            if w not in readings:
                readings[w] = (_keep_score(model, w, counts.get(w.lower(), 0), shift), math.nan)
            scores.append(readings[w][0])
        if sum(scores) > ceiling:
            return None
        for k, w in enumerate(words):
            keep, read = readings[w]
            if math.isnan(read):
                read = _reading(model, w, keep, shift)
                readings[w] = (keep, read)
            scores[k] = read
        apart = sum(scores)
        if apart > ceiling:
            return None  # the fragments read well as they are: no joined reading beats them
        midcap = first[0].isupper() and not _sentence_start(text, start)
        d = _join_decision(model, joined, midcap, shift)
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
#: The same bound by the length of the joined string: the most frequent word of about its
#: length (``_top_logp_by_length``) less this, for the misreadings a damaged string holds.
#: Long strings reach far less than Zipf 5.
_BELOW_TOP = -4.0
#: Longer joined strings are not asked about: on the dev OCR, pairs of more letters were
#: 40% of the questions and gave 2 of 113 joins (two long fragments are two words, one of
#: them misread, far more often than one word broken).
_MAX_JOINED_LETTERS = 13
#: One fragment of a pair must be rarer than this (Zipf 2.5) or unlisted: two common listed
#: words are read as two words by ``fix_ocr_words`` too (on the dev OCR such pairs were two
#: thirds of all pairs and gave about a fifth of the joins).
_RARE_FRAGMENT = 10 ** (2.5 - 9)


#: How much less word-like (log10, letter-trigram model of the lexicon) the joined string may
#: be than its fragments apart (see :func:`_spelled`).
_MIN_JUNCTION = -1.0


def _spelled(s: str, lang: str, user_dicts: tuple[str, ...]) -> float:
    """The log10 probability of ``s`` as a whole word (start and end included) under the
    letter-trigram model of the lexicon (:func:`textfix.wordlike.wordlikeness`)."""
    return wordlikeness(s, lang, user_dicts) * (len(s) + 1)


def _fragment_at(text: str, pos: int) -> regex.Match[str]:
    """The fragment (letter run) that starts at ``pos``, where one is known to start."""
    m = _FRAGMENT_RE.match(text, pos)
    assert m is not None  # (the callers found a letter there)
    return m


def _junction(
    words: tuple[str, ...] | list[str],
    spelled: dict[str, float],
    lang: str,
    user_dicts: tuple[str, ...],
) -> float:
    """How much more word-like the joined ``words`` are than the words apart: a broken word
    reads better joined, letter by letter, than as strings that end and start where it broke
    ("childi" + "en"); two words apart read as well or better than run together.
    ``spelled`` keeps the score of each fragment met."""
    apart = 0.0
    for w in words:
        if w not in spelled:
            spelled[w] = _spelled(w, lang, user_dicts)
        apart += spelled[w]
    return _spelled("".join(words), lang, user_dicts) - apart


@functools.lru_cache(maxsize=1 << 16)
def _join_decision(model: FixOcrWords, joined: str, midcap: bool, shift: float) -> _Decision | None:
    """The readings of a joined string that may beat keeping it: the candidates at most two
    edits away that ``fix_ocr_words`` scores (``_decide`` without its far, channel and
    damaged-split searches, which never gave a join on the dev OCR and cost most of the
    time: a joined string is a new token for the word model)."""
    keep = _keep_score(model, joined, 1, shift)
    margin = _margin(model, joined, midcap, shift)
    bar = keep + margin - 2 * _CONTEXT_BONUS - _DOC_BONUS  # options below it never win
    foreign = [] if joined.isascii() else _FOREIGN_LETTER_RE.findall(joined)
    options = tuple(
        (o[0] - keep - margin, o[1], o[2])
        for o in _scored(model, joined, bar < _D2_MAX_BAR)
        if o[0] >= bar and (not foreign or _FOREIGN_LETTER_RE.findall(o[1]) == foreign)
    )
    return _Decision(options) if options else None


def clear_caches() -> None:
    """Forget the decisions about joined strings cached in this process (to time a cold run)."""
    _join_decision.cache_clear()


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


def _reading(model: FixOcrWords, frag: str, keep: float, shift: float) -> float:
    """The score of the best reading of one fragment on its own, as ``fix_ocr_words`` would
    read it: kept as printed (``keep``, the word model's keep-prior, :func:`_keep_score`), or
    corrected (only a token that is not a known word), by the candidates that
    ``fix_ocr_words`` would score (the same search: its results are cached and shared)."""
    f = load_lexicon(model.lang, model.user_dicts).freqs.get(frag.lower(), 0.0)
    if len(frag) < 2 or f >= 10 ** (model.known_zipf - 9):
        return keep  # fix_ocr_words keeps a known word: so does the reading apart
    bar = keep + _margin(model, frag, False, shift) - 2 * _CONTEXT_BONUS - _DOC_BONUS
    return max([keep, *(o[0] for o in _scored(model, frag, bar < _D2_MAX_BAR))])
