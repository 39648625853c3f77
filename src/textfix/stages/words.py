"""Word-level OCR correction: misread words, run-together words, glued punctuation.

Every decision is a noisy-channel comparison (see :mod:`textfix.channel`). For a token ``t``
and a candidate word ``w``::

    score(w)    = log10 P(w) + log10 P(t | w)          # frequency + learned OCR channel
    score(keep) = log10 P_keep(t)                       # t is right: its own frequency, or
                                                        # the prior of an unseen word

and ``t`` becomes ``w`` only when ``score(w) - score(keep)`` clears a margin. The margin is
the stage's ``threshold`` (one knob that trades recall for precision), plus extra for tokens
that look like names (capitalized inside a sentence) or acronyms (all capitals). Words the
lexicon knows well are never touched, nor are numbers, dates, amounts, roman numerals, URLs,
e-mail addresses and protected words. A token that recurs in the document is more likely a
real word (a name, an old spelling, a term) than a repeated misreading, so its keep-prior
grows with its count.

Candidates come from a SymSpell index over the lexicon (edit distance 1–2) and from the
learned multi-character confusions (``rn``→``m``, ``li``→``h``, ``U``→``ll``, …) applied to
the token. Decisions are cached per token, so frequent words cost one dictionary lookup.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import regex

from textfix.channel import channel_logprob, load_confusions
from textfix.edits import Edit
from textfix.errors import ConfigError
from textfix.lexicon import load_bigrams, load_lexicon, symspell_index
from textfix.registry import register

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["FixGluedPunctuation", "FixOcrWords", "FixRealWordErrors", "apply_case"]

# A token: letters, marks and digits, with glyphs that OCR prints for damaged letters
# (~ ^ &) allowed between them. Apostrophes and hyphens split tokens: each part is judged.
_TOKEN_RE = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:[~^&]+[\p{L}\p{M}\p{N}]+)*", regex.V1)
# Spans that are never touched: URLs, e-mail addresses, paths.
_PROTECTED_SPAN_RE = regex.compile(
    r"(?:https?://|ftp://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\S*[/\\]\S*[/\\]\S*", regex.V1
)
_ROMAN_RE = regex.compile(
    r"^(?=[MDCLXVI])M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$"
    r"|^(?=[mdclxvi])m{0,4}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$"
)
# Numbers with ordinal or unit endings ("1st", "10th", "2s", "6d", "18in", "300ft", "1880s").
_NUMBERISH_RE = regex.compile(r"^\d+(?:[a-zA-Z]{1,3})?$|^\d*[.,:/]\d")
_SENTENCE_END = frozenset(".!?")
_OPENERS = frozenset("\"'“‘«([ \t\n\r")
_LETTER_RE = regex.compile(r"\p{L}", regex.V1)


def apply_case(model: str, word: str) -> str:
    """Give ``word`` the case pattern of the token ``model``.

    >>> apply_case("CAF6", "café"), apply_case("Caf6", "café"), apply_case("tbe", "the")
    ('CAFÉ', 'Café', 'the')
    >>> apply_case("wiU", "will")
    'will'
    """
    letters = [c for c in model if c.isalpha()]
    if not letters:
        return word
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return word.upper()
    if letters[0].isupper() and model[0] == letters[0]:
        return word[:1].upper() + word[1:]
    if model[0].isdigit() and len(letters) > 1 and sum(c.isupper() for c in letters) > 1:
        return word.upper()
    return word


def _regular_case(tok: str) -> bool:
    """Whether ``tok`` is lowercase, Titlecase or UPPERCASE (not "aU", "caUed", "tHe")."""
    return tok.islower() or tok.isupper() or (tok[:1].isupper() and tok[1:].islower())


def _is_protected_token(tok: str) -> bool:
    """Numbers, amounts, dates, ordinals and roman numerals are never corrected."""
    if tok.isdigit() or _NUMBERISH_RE.match(tok) or _ROMAN_RE.match(tok):
        return True
    digits = sum(c.isdigit() for c in tok)
    return digits > 0 and digits * 2 >= len(tok)


def _sentence_start(text: str, start: int) -> bool:
    """Whether the token at ``start`` begins a sentence (or the text)."""
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _hyphen_neighbours(text: str, start: int, end: int) -> tuple[str, str]:
    """The word parts glued to the token by a hyphen on its left and right ("" if none)."""
    left = right = ""
    if start >= 2 and text[start - 1] in "-\u00ad" and text[start - 2].isalpha():
        m = _WORD_BEFORE_RE.search(text, max(0, start - 41), start - 1)
        left = m.group() if m else ""
    if end + 1 < len(text) and text[end] in "-\u00ad" and text[end + 1].isalpha():
        m = _WORD_AFTER_RE.match(text[end + 1 : end + 41])
        right = m.group() if m else ""
    return left, right


def _logp(zipf: float) -> float:
    return zipf - 9.0


@dataclass(frozen=True, slots=True)
class _Decision:
    replacement: str
    rule: str
    gain: float


def _confidence(gain: float) -> float:
    return round(1.0 / (1.0 + 10.0 ** (-gain)), 4)


# --- fix_ocr_words ------------------------------------------------------------------------


@register
@dataclass(frozen=True, slots=True)
class FixOcrWords:
    """Correct misread words and split run-together words ("tbe" → "the", "kingwas" →
    "king was", "Caf6" → "Café"), keeping case, names, numbers and old spellings.

    Args:
        threshold: How much more likely (in log10) the correction must be than the token as
            printed. Higher is more precise, lower finds more errors.
        known_zipf: Words at least this frequent in the lexicon are never changed.
        unknown_zipf: The prior (as a Zipf value) that an unknown token is a correct word.
        name_margin: Extra margin for a capitalized token inside a sentence.
        caps_margin: Extra margin for an all-capitals token.
        recurrence_bonus: Extra keep-prior (log10) per doubling of a token's count in the
            document, for words that recur because they are real (names, old spellings).
        split: Also split run-together words when both parts are known.
        lang: Lexicon language.
        confusions: Name or path of the OCR confusion table.
        user_dicts: Paths of user dictionaries (one word per line, optional Zipf frequency);
            their words count as known.
        protected: Words never changed (compared case-sensitively).

    >>> from textfix.edits import apply_edits
    >>> s = "Tbe king sat in tbe Caf6 and the queen was tliere."
    >>> apply_edits(s, FixOcrWords().edits(s))
    'The king sat in the Café and the queen was there.'
    """

    name: ClassVar[str] = "fix_ocr_words"
    threshold: float = 1.0
    known_zipf: float = 3.0
    unknown_zipf: float = 1.0
    name_margin: float = 2.0
    caps_margin: float = 1.5
    recurrence_bonus: float = 1.0
    split: bool = True
    lang: str = "en"
    confusions: str = "en/ocr_confusions"
    user_dicts: tuple[str, ...] = ()
    protected: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for field in ("threshold", "known_zipf", "unknown_zipf", "name_margin", "caps_margin"):
            value = getattr(self, field)
            if not isinstance(value, (int, float)) or math.isnan(value):
                msg = f"fix_ocr_words: {field} must be a number, got {value!r}"
                raise ConfigError(msg)
        if not 0 <= self.known_zipf <= 8:
            msg = f"fix_ocr_words: known_zipf must be between 0 and 8, got {self.known_zipf}"
            raise ConfigError(msg)
        if self.recurrence_bonus < 0:
            msg = "fix_ocr_words: recurrence_bonus must not be negative"
            raise ConfigError(msg)
        for field in ("user_dicts", "protected"):
            value = getattr(self, field)
            if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                msg = f"fix_ocr_words: {field} must be a list of strings"
                raise ConfigError(msg)
            object.__setattr__(self, field, tuple(value))

    def edits(self, text: str) -> Iterator[Edit]:
        lex = load_lexicon(self.lang, self.user_dicts)
        known = 10 ** (self.known_zipf - 9)
        freqs = lex.freqs
        protected_spans = [m.span() for m in _PROTECTED_SPAN_RE.finditer(text)]
        tokens = [m for m in _TOKEN_RE.finditer(text)]
        counts = Counter(m.group().lower() for m in tokens)
        span_i = 0
        for m in tokens:
            tok = m.group()
            low = tok.lower()
            if len(tok) < 2 or freqs.get(low, 0.0) >= known and _regular_case(tok):
                continue
            start, end = m.span()
            while span_i < len(protected_spans) and protected_spans[span_i][1] <= start:
                span_i += 1
            if span_i < len(protected_spans) and protected_spans[span_i][0] < end:
                continue
            if tok in self.protected:
                continue
            left, right = _hyphen_neighbours(text, start, end)
            if (left or right) and lex.freq(f"{left}{tok}{right}".lower()) > 0:
                continue  # a word broken by a hyphen: its parts are not words on their own
            first = _LETTER_RE.search(tok)
            midcap = (
                first is not None
                and first.group().isupper()
                and not _sentence_start(text, start)
            )
            d = _decide(self, tok, midcap, min(counts[low], 8))
            if d is not None:
                yield Edit(start, end, d.replacement, self.name, d.rule, _confidence(d.gain))


def _candidates(stage: FixOcrWords, tok: str) -> set[str]:
    """Lowercase lexicon words that ``tok`` may be a misreading of."""
    low = tok.lower()
    index = symspell_index(stage.lang, stage.user_dicts)
    out: set[str] = set()
    if low.replace("'", "").isalpha():
        dist = 1 if len(low) <= 4 else 2
        for s in index.lookup(low, 2, max_edit_distance=dist):
            out.add(s.term)
    else:
        # Digits and glyphs: look up with each of them read as a letter by the channel below;
        # SymSpell still finds words within distance of the raw token.
        dist = 1 if len(low) <= 3 else 2
        for s in index.lookup(low, 2, max_edit_distance=dist):
            out.add(s.term)
    # Multi-character and digit confusions from the learned table, applied once or twice.
    words = index.words
    for variant in _confusion_variants(stage.confusions, tok):
        v = variant.lower()
        if v in words:
            out.add(v)
    return out


@functools.cache
def _rewrites(confusions: str) -> tuple[tuple[str, str, float], ...]:
    """The learned confusions worth trying in reverse: ``(ocr, gt, log10p)``."""
    model = load_confusions(confusions)
    rows = [
        (o, g, lp)
        for (g, o), lp in model.logp.items()
        if o and g and lp >= -3.5 and (len(o) > 1 or len(g) > 1 or not o.isalpha())
    ]
    rows.sort(key=lambda r: -r[2])
    return tuple(rows[:200])


def _confusion_variants(confusions: str, tok: str) -> set[str]:
    variants: set[str] = set()
    frontier = {tok}
    for _ in range(2):
        new: set[str] = set()
        for t in frontier:
            for o, g, _lp in _rewrites(confusions):
                i = t.find(o)
                while i >= 0:
                    new.add(t[:i] + g + t[i + len(o) :])
                    i = t.find(o, i + 1)
        variants |= new
        frontier = new if len(new) < 200 else set()
    return variants


@functools.lru_cache(maxsize=1 << 17)
def _decide(stage: FixOcrWords, tok: str, midcap: bool, count: int) -> _Decision | None:
    """Decide what ``tok`` should become, or ``None`` to keep it. Cached per process."""
    if _is_protected_token(tok):
        return None
    lex = load_lexicon(stage.lang, stage.user_dicts)
    model = load_confusions(stage.confusions)
    low = tok.lower()
    n_letters = sum(c.isalpha() for c in tok)
    if n_letters < 2:
        return None
    all_caps = n_letters > 1 and all(c.isupper() for c in tok if c.isalpha())
    own = lex.freq(low) if _regular_case(tok) else 0.0
    keep = max(math.log10(own) if own > 0 else -99.0, _logp(stage.unknown_zipf))
    if count > 1:
        keep += stage.recurrence_bonus * math.log2(count)
    margin = stage.threshold
    if midcap:
        margin += stage.name_margin
    if all_caps and tok.isalpha():
        margin += stage.caps_margin
    best: tuple[float, str, str] | None = None
    for w in _candidates(stage, tok):
        if w == low:
            continue
        f = lex.freq(w)
        if f <= 0:
            continue
        cased = apply_case(tok, w)
        score = math.log10(f) + channel_logprob(model, tok, cased)
        if best is None or score > best[0]:
            best = (score, cased, "word")
    if stage.split and tok.isalpha() and len(tok) >= 5 and _regular_case(tok):
        s = _best_split(stage, tok)
        if s is not None and (best is None or s[0] > best[0]):
            best = s
    if best is None:
        return None
    gain = best[0] - keep
    if gain < margin:
        return None
    return _Decision(best[1], best[2], gain - margin)


# A missing space costs about as much as one rare character confusion.
_SPLIT_LOGP = -3.0


def _best_split(stage: FixOcrWords, tok: str) -> tuple[float, str, str] | None:
    lex = load_lexicon(stage.lang, stage.user_dicts)
    bigrams = load_bigrams()
    low = tok.lower()
    best: tuple[float, str, str] | None = None
    floor = 10 ** (stage.known_zipf - 9)
    for i in range(1, len(low)):
        a, b = low[:i], low[i:]
        if len(a) < 2 or len(b) < 2:
            continue
        fa, fb = lex.freq(a), lex.freq(b)
        if fa < floor or fb < floor:
            continue
        score = math.log10(fa) + math.log10(fb) + _SPLIT_LOGP
        if f"{a} {b}" in bigrams:
            score += 1.0
        if best is None or score > best[0]:
            cased = apply_case(tok, low)
            best = (score, f"{cased[:i]} {cased[i:]}", "split")
    return best


# --- glued punctuation --------------------------------------------------------------------

_GLUED_RE = regex.compile(r"(?<=\b\p{Ll}{2,})([,;:]|\.(?=\p{Lu}\p{Ll}))(?=\p{L}{2,}\b)", regex.V1)
_WORD_BEFORE_RE = regex.compile(r"\p{L}+$", regex.V1)
_WORD_AFTER_RE = regex.compile(r"^\p{L}+", regex.V1)


@register
@dataclass(frozen=True, slots=True)
class FixGluedPunctuation:
    """Put back the space after a comma, semicolon, colon or full stop glued to the next word
    ("hereof,and" → "hereof, and"), when the words on both sides are known.

    Args:
        known_zipf: Both neighbouring words must be at least this frequent.
        lang: Lexicon language.

    >>> from textfix.edits import apply_edits
    >>> s = "glad hereof,and so.Then see example.com or 3,5 and e.g. this"
    >>> apply_edits(s, FixGluedPunctuation().edits(s))
    'glad hereof, and so. Then see example.com or 3,5 and e.g. this'
    """

    name: ClassVar[str] = "fix_glued_punctuation"
    known_zipf: float = 3.0
    lang: str = "en"

    def __post_init__(self) -> None:
        if not 0 <= self.known_zipf <= 8:
            msg = f"fix_glued_punctuation: known_zipf must be in [0, 8], got {self.known_zipf}"
            raise ConfigError(msg)

    def edits(self, text: str) -> Iterator[Edit]:
        if "," not in text and ";" not in text and ":" not in text and "." not in text:
            return
        lex = load_lexicon(self.lang)
        floor = 10 ** (self.known_zipf - 9)
        protected = [m.span() for m in _PROTECTED_SPAN_RE.finditer(text)]
        for m in _GLUED_RE.finditer(text):
            pos = m.end()
            if any(a <= pos < b for a, b in protected):
                continue
            before = _WORD_BEFORE_RE.search(text, 0, m.start())
            after = _WORD_AFTER_RE.match(text[pos : pos + 40])
            if before is None or after is None:
                continue
            if lex.freq(before.group()) >= floor and lex.freq(after.group()) >= floor:
                yield Edit(pos, pos, " ", self.name, "space_after_punct")


# --- real-word errors ---------------------------------------------------------------------


@register
@dataclass(frozen=True, slots=True)
class FixRealWordErrors:
    """Fix OCR misreadings that produce another real word ("tbe"/"the" aside: "bo" → "be",
    "arc" → "are", "tho" → "the"), choosing by the neighbouring words.

    The confusable pairs come from the learned confusion table: a word ``t`` can be a
    misreading of ``w`` when one learned confusion turns ``w`` into ``t`` and ``w`` is far
    more frequent. The switch is made only when the bigrams around the token attest ``w``
    and not ``t``; a word alone is never changed.

    Args:
        threshold: Required log10 advantage of the alternative, context included.
        max_zipf: Tokens more frequent than this are never changed (they are rarely errors).
        min_ratio: The alternative must be at least this many times more frequent (log10).
        lang: Lexicon language.
        confusions: Name or path of the OCR confusion table.

    >>> from textfix.edits import apply_edits
    >>> s = "It will bo done by tho end of the week."
    >>> apply_edits(s, FixRealWordErrors().edits(s))
    'It will be done by the end of the week.'
    """

    name: ClassVar[str] = "fix_real_word_errors"
    threshold: float = 1.0
    max_zipf: float = 4.8
    min_ratio: float = 1.0
    lang: str = "en"
    confusions: str = "en/ocr_confusions"

    def __post_init__(self) -> None:
        if not 0 <= self.max_zipf <= 8:
            msg = f"fix_real_word_errors: max_zipf must be in [0, 8], got {self.max_zipf}"
            raise ConfigError(msg)

    def edits(self, text: str) -> Iterator[Edit]:
        lex = load_lexicon(self.lang)
        bigrams = load_bigrams()
        tokens = list(_TOKEN_RE.finditer(text))
        ceiling = 10 ** (self.max_zipf - 9)
        for i, m in enumerate(tokens):
            tok = m.group()
            if not tok.isalpha() or not (tok.islower() or _title_at_start(text, tok, m.start())):
                continue
            if any(_hyphen_neighbours(text, m.start(), m.end())):
                continue
            f = lex.freqs.get(tok.lower(), 0.0)
            if f <= 0 or f > ceiling:
                continue
            alts = _real_word_alternatives(self, tok.lower())
            if not alts:
                continue
            prev = tokens[i - 1].group().lower() if i > 0 and _adjacent(text, tokens[i - 1], m) else ""
            nxt = (
                tokens[i + 1].group().lower()
                if i + 1 < len(tokens) and _adjacent(text, m, tokens[i + 1])
                else ""
            )
            if not prev and not nxt:
                continue
            own = _context_score(bigrams, prev, tok.lower(), nxt)
            best: tuple[float, str] | None = None
            for w, channel in alts:
                ctx = _context_score(bigrams, prev, w, nxt)
                if ctx <= 0:
                    continue
                gain = math.log10(lex.freq(w) / f) + channel + (ctx - own)
                if best is None or gain > best[0]:
                    best = (gain, w)
            if best is not None and best[0] >= self.threshold and own == 0:
                yield Edit(
                    m.start(),
                    m.end(),
                    apply_case(tok, best[1]),
                    self.name,
                    "real_word",
                    _confidence(best[0] - self.threshold),
                )


def _title_at_start(text: str, tok: str, start: int) -> bool:
    return tok[:1].isupper() and tok[1:].islower() and _sentence_start(text, start)


def _adjacent(text: str, a: regex.Match[str], b: regex.Match[str]) -> bool:
    """Whether only spaces (no punctuation) separate two tokens."""
    gap = text[a.end() : b.start()]
    return 0 < len(gap) <= 3 and gap.isspace()


def _context_score(bigrams: dict[str, int], prev: str, w: str, nxt: str) -> float:
    """log10 of the summed bigram counts of ``w`` with its neighbours (0 when unattested)."""
    n = 0
    if prev:
        n += bigrams.get(f"{prev} {w}", 0)
    if nxt:
        n += bigrams.get(f"{w} {nxt}", 0)
    return math.log10(n) if n > 0 else 0.0


@functools.lru_cache(maxsize=1 << 14)
def _real_word_alternatives(stage: FixRealWordErrors, tok: str) -> tuple[tuple[str, float], ...]:
    """Much more frequent words that one learned confusion turns into ``tok``."""
    lex = load_lexicon(stage.lang)
    model = load_confusions(stage.confusions)
    f = lex.freq(tok)
    out = []
    for o, g, lp in _all_rewrites(stage.confusions):
        i = tok.find(o)
        while i >= 0:
            w = tok[:i] + g + tok[i + len(o) :]
            fw = lex.freq(w)
            if fw > 0 and math.log10(fw / f) >= stage.min_ratio:
                out.append((w, channel_logprob(model, tok, w)))
            i = tok.find(o, i + 1)
    return tuple(dict(out).items())


@functools.cache
def _all_rewrites(confusions: str) -> tuple[tuple[str, str, float], ...]:
    model = load_confusions(confusions)
    rows = [(o, g, lp) for (g, o), lp in model.logp.items() if o and g and lp >= -3.0]
    return tuple(rows)
