"""Real-word OCR errors beyond the learned pairs, judged by the noisy channel and context.

:class:`~textfix.stages.words.FixRealWordErrors` knows only the OCR words of its learned pair
table. This stage looks at any listed lowercase word of a *noisy* document (and a Titlecase one
that starts a sentence, judged by its lowercase form, its capital kept): its candidates
are the common words one edit away, and a candidate replaces the word when

    log P(w) + log P(ocr | w) + fit(w, neighbours) + doc(w)

beats the same score of the word as printed by a margin that grows as the document gets
cleaner. ``fit`` is the bigram association with the left and right neighbour (symspellpy's
bigram list, as :class:`FixRealWordErrors` uses it), ``doc`` the in-document evidence (the
candidate used elsewhere in the same document). A document as clean as clean prose (noise
shift 0, see :class:`~textfix.stages.words.FixOcrWords`) is never touched, nor one in old
spelling. See docs/words.md, "Real-word errors by context".
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rapidfuzz.distance import Levenshtein

from textfix.channel import UNSEEN_EDIT, channel_logprob, load_confusions
from textfix.edits import Edit
from textfix.errors import ConfigError
from textfix.lexicon import delete_index, load_bigrams, load_lexicon, symspell_terms
from textfix.registry import register
from textfix.stages.words import (
    _TOKEN_RE,
    FixOcrWords,
    TokenCounts,
    _adjacent,
    _archaic,
    _at_line_break,
    _by_apostrophe,
    _confidence,
    _confusion_variants,
    _fit,
    _hyphen_neighbours,
    _noise_shift,
    _sentence_start,
    _shift,
    _spellings,
    apply_case,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["FixContextWords"]


@register
@dataclass(frozen=True, slots=True)
class FixContextWords:
    """Fix a listed word misread as another word ("hound" for "bound") in a noisy document,
    by the noisy channel and the neighbouring words.

    Candidates are the words of Zipf ``min_zipf`` or more one edit from the token whose
    change is a learned OCR confusion. The best candidate replaces the token when its score
    (log frequency + log channel + bigram fit with both neighbours + ``doc_weight`` ×
    log10(1 + its count in the document)) beats the token's own (log frequency + fit) by
    ``threshold + noise_slope × shift``, where ``shift`` (≤ 0) is the document's noise shift:
    the cleaner the document, the larger the margin, and at a shift above ``max_shift`` no
    change at all. Documents in old spelling and words of the old-spelling table are left
    alone; so is a word with no neighbour in its sentence, and a capitalized word inside a
    sentence (at a sentence start it is judged by its lowercase form, its capital kept).

    Args:
        threshold: Required log10 advantage in a document at noise shift 0.
        noise_slope: How much the required advantage falls per unit of noise shift.
        max_shift: Only documents whose noise shift is at most this are judged.
        doc_weight: Weight of log10(1 + count) of the candidate in the document.
        min_zipf: Candidates are words at least this frequent (Zipf).
        lang: Lexicon language.
        confusions: Name or path of the learned OCR confusion table.
        spellings: Name or path of the old-spelling table (``""``: none).

    >>> from textfix.edits import apply_edits
    >>> stage = FixContextWords()
    >>> s = "The river rose and the roads were closed."
    >>> apply_edits(s, stage.edits(s)) == s  # a clean sentence stays
    True
    """

    name: ClassVar[str] = "fix_context_words"
    stream_context: ClassVar[int] = 2  # lines read around a token (textfix.stream)
    threshold: float = 4.0
    noise_slope: float = 0.5
    max_shift: float = -0.25
    doc_weight: float = 2.0
    min_zipf: float = 3.0
    lang: str = "en"
    confusions: str = "en/ocr_confusions"
    spellings: str = "en/archaic_en"

    def __post_init__(self) -> None:
        for field in ("threshold", "noise_slope", "max_shift", "doc_weight", "min_zipf"):
            value = getattr(self, field)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
                msg = f"fix_context_words: {field} must be a number, got {value!r}"
                raise ConfigError(msg)
        if self.noise_slope < 0 or self.doc_weight < 0:
            msg = "fix_context_words: noise_slope and doc_weight must not be negative"
            raise ConfigError(msg)

    def survey(self, text: str, earlier: object = None) -> TokenCounts:
        """Count the tokens of ``text`` (the document-wide noise level and word counts).

        >>> stage = FixContextWords()
        >>> stage.survey("Tbe end.\\n") + stage.survey("tbe king\\n") == stage.survey(
        ...     "Tbe end.\\ntbe king\\n")
        True
        """
        return FixOcrWords(lang=self.lang).survey(text)

    def edits(self, text: str, survey: TokenCounts | None = None) -> Iterator[Edit]:
        tokens = list(_TOKEN_RE.finditer(text))
        strings = [m.group() for m in tokens]
        if survey is None:
            counts = Counter(map(str.lower, strings))
            shift = _noise_shift(counts, load_lexicon(self.lang).freqs)
        else:  # the counts of the whole document (see survey)
            counts = survey.counts
            shift = _shift(survey.total, survey.unknown)
        if shift > self.max_shift:
            return
        spellings = _spellings(self.spellings) if self.spellings else {}
        if spellings and _archaic(counts, spellings):
            return
        bar = self.threshold + self.noise_slope * shift
        need = bar - self.doc_weight * _MAX_DOC_LOG  # the least score that can win
        key = (self.lang, self.min_zipf, self.confusions)
        todo = {
            t
            for t in set(strings)
            if len(t) > 1
            and t.isalpha()
            and (t.islower() or (t[0].isupper() and t[1:].islower()))
            and t.lower() not in spellings
            and _options(*key, t.lower())
        }
        last = len(tokens) - 1
        current = [t.lower() for t in strings]  # the tokens with the changes decided so far
        decided: dict[int, tuple[str, float]] = {}

        def judge(i: int) -> tuple[str, float] | None:
            tok, m = current[i], tokens[i]
            if strings[i] != tok and not _sentence_start(text, m.start()):
                return None  # a capital inside a sentence: a name, most often (a sentence
                # start is judged by its lowercase form, "Bat the" -> "But")
            prev = current[i - 1] if i and _adjacent(text, tokens[i - 1], m) else ""
            nxt = current[i + 1] if i < last and _adjacent(text, m, tokens[i + 1]) else ""
            if not prev and not nxt:
                return None
            judged = _judged(*key, need, prev, tok, nxt)
            if not judged:
                return None
            if any(_hyphen_neighbours(text, m.start(), m.end())) or _by_apostrophe(text, m):
                return None
            if _at_line_break(text, m.start(), m.end()):
                return None
            best: tuple[float, str] | None = None
            for score, w in judged:
                doc = self.doc_weight * math.log10(1 + min(counts.get(w, 0), _MAX_DOC_COUNT))
                if best is None or score + doc > best[0]:
                    best = (score + doc, w)
            return (best[1], best[0] - bar) if best is not None and best[0] >= bar else None

        # A change alters its neighbours' context: they are judged again, with the changed
        # word, until nothing changes, so that the output gets no edit of its own.
        pending = [i for i, tok in enumerate(strings) if tok in todo]
        for _ in range(_MAX_ROUNDS):
            changed = []
            for i in pending:
                if i not in decided and (verdict := judge(i)) is not None:
                    decided[i] = verdict
                    current[i] = verdict[0]
                    changed.append(i)
            pending = sorted(
                {
                    j
                    for i in changed
                    for j in (i - 1, i + 1)
                    if 0 <= j <= last and strings[j] in todo
                }
            )
            if not pending:
                break
        for i in sorted(decided):
            w, gain = decided[i]
            m = tokens[i]
            rep = apply_case(strings[i], w)
            yield Edit(m.start(), m.end(), rep, self.name, "context", _confidence(gain))


#: Rounds of judging again the neighbours of changed words (one more is rarely needed).
_MAX_ROUNDS = 4
#: In-document evidence saturates: a candidate used this often counts as used this often.
_MAX_DOC_COUNT = 9
_MAX_DOC_LOG = math.log10(1 + _MAX_DOC_COUNT)


@functools.lru_cache(maxsize=1 << 16)
def _options(
    lang: str, min_zipf: float, confusions: str, tok: str
) -> tuple[tuple[float, str], ...]:
    """The candidates of ``tok``, best first, with their static score against ``tok``:
    log10 P(w) - log10 P(tok) + log10 P(tok | w). Only words one edit away whose change is a
    learned confusion (better than an unseen edit) are kept."""
    lex = load_lexicon(lang)
    ft = lex.freq(tok)
    if ft <= 0:
        return ()
    # Words one edit away: the distance-1 index that fix_ocr_words searches (words of Zipf
    # 2.5 or more), cut to letters-only words of ``min_zipf`` or more.
    floor = 10 ** (min_zipf - 9)
    found = {
        w
        for w in symspell_terms(delete_index(lang, max_distance=1), tok, 1)
        if len(w) > 1 and w.isalpha() and lex.freq(w) >= floor and Levenshtein.distance(w, tok) == 1
    }
    # Words one learned multi-letter confusion away ("ll" printed as "d").
    found.update(
        w for w in _confusion_variants(confusions, tok) if w.isalpha() and lex.freq(w) >= floor
    )
    found.discard(tok)
    model = load_confusions(confusions)
    out = []
    for w in found:
        ch = channel_logprob(model, tok, w)
        if ch <= UNSEEN_EDIT:
            continue
        out.append((math.log10(lex.freq(w)) - math.log10(ft) + ch, w))
    out.sort(reverse=True)
    return tuple(out)


@functools.lru_cache(maxsize=1 << 17)
def _judged(
    lang: str, min_zipf: float, confusions: str, need: float, prev: str, tok: str, nxt: str
) -> tuple[tuple[float, str], ...]:
    """The candidates of ``tok`` between ``prev`` and ``nxt`` (``""``: no neighbour) that
    score at least ``need`` against keeping ``tok``: the static score of :func:`_options` plus
    the difference of their bigram fits."""
    options = _options(lang, min_zipf, confusions, tok)
    sides = bool(prev) + bool(nxt)
    if not options or options[0][0] + 4.0 * sides < need:
        return ()  # the fits add at most 2 for the candidate and 2 against the token a side
    keep = _side(lang, prev, tok) + _side(lang, tok, nxt, right=True)
    # Each side adds at most 2 to a candidate's fit (see _fit): a cheap bound first.
    reach = 2.0 * sides - keep
    out = []
    for static, w in options:
        if static + reach < need:
            break  # best first: no later candidate can reach it
        score = static + _side(lang, prev, w) + _side(lang, w, nxt, right=True) - keep
        if score >= need:
            out.append((score, w))
    return tuple(out)


@functools.lru_cache(maxsize=1 << 18)
def _side(lang: str, a: str, b: str, *, right: bool = False) -> float:
    """One side of :func:`~textfix.stages.words._fit` for a known word: the clamped bigram
    association of ``a b``, where the neighbour is ``b`` when ``right`` else ``a`` (``""``:
    none, 0). Word pairs recur far more than word triples, so this is what is cached."""
    lex, bigrams = load_lexicon(lang), load_bigrams()
    if right:
        return _fit(lex, bigrams, "", a, b) if b else 0.0
    return _fit(lex, bigrams, a, b, "") if a else 0.0


def clear_caches() -> None:
    """Forget the per-token candidates cached in this process (to time a cold run)."""
    _options.cache_clear()
    _judged.cache_clear()
    _side.cache_clear()
