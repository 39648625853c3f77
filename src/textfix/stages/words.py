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

Candidates come from SymSpell delete indexes over the lexicon (edit distance 1, and 2 among
the more frequent words) and from the learned multi-character confusions (``rn``→``m``,
``li``→``h``, ``U``→``ll``, …) undone in the token. A long token that none of these fixes, in
a noisy document, is then compared with the frequent words three or four plain edits away
(rule ``far``, see :func:`_far_scored`): several learned confusions may make one such word a
clear reading ("iinportaut" → "important"). Decisions are cached per token, so frequent
words cost one dictionary lookup.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import operator
import string
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import regex
from rapidfuzz.distance import Levenshtein as _Lev
from rapidfuzz.process import extract as _fuzz_extract

from textfix.cache import persistent
from textfix.channel import (
    UNSEEN_EDIT,
    ConfusionModel,
    adapt_confusions,
    channel_logprob,
    channel_logprob_delta,
    confusion_blocks,
    load_confusions,
    load_real_word_pairs,
)
from textfix.channelsearch import channel_readings
from textfix.channelsearch import clear_caches as clear_channel_search_caches
from textfix.edits import Edit, apply_edits
from textfix.errors import ConfigError
from textfix.lexicon import (
    DeleteIndex,
    Lexicon,
    delete_index,
    load_bigrams,
    load_lexicon,
    symspell_terms,
    symspell_terms_near_far,
    symspell_vocabulary,
    terms_within,
)
from textfix.registry import register
from textfix.resources import load_table
from textfix.stages.abbreviations import abbreviation_edits, title_counts
from textfix.stages.abbreviations import clear_caches as clear_abbreviation_caches
from textfix.wordlike import implausibility, unlike_penalty

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

__all__ = [
    "FixGluedPunctuation",
    "FixOcrWords",
    "FixRealWordErrors",
    "JoinBrokenWords",
    "RealWordCounts",
    "TokenCounts",
    "apply_case",
    "clear_caches",
]

# A token: letters, marks and digits, with glyphs that OCR prints for damaged letters
# (~ ^ &) allowed between them. Apostrophes and hyphens split tokens: each part is judged.
_TOKEN_RE = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:[~^&]+[\p{L}\p{M}\p{N}]+)*", regex.V1)
# Spans that are never touched: URLs, e-mail addresses, paths.
# Each alternative is anchored at the start of a run of non-spaces, so the scan stays linear.
_PROTECTED_SPAN_RE = regex.compile(
    r"(?:https?://|ftp://|www\.)\S+"
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<!\S)[^\s/\\]*[/\\][^\s/\\]*[/\\]\S*",
    regex.V1,
)


# Every protected span lies inside one run of non-spaces that holds one of these.
_PROTECTED_TRIGGER_RE = regex.compile(r"[/\\@]|www\.")
_SPACE_RE = regex.compile(r"\s", regex.V1)
_SPACE_BEFORE_RE = regex.compile(r"\s", regex.V1 | regex.REVERSE)


def _protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans of URLs, e-mail addresses and paths, which no word stage touches.

    The pattern runs only over the runs of non-spaces that hold a ``/``, ``\\``, ``@`` or
    ``www.`` (no span crosses a space), not over the whole text.

    >>> t = "see www.example.org or a@b.com, and not either/or"
    >>> [t[a:b] for a, b in _protected_spans(t)]
    ['www.example.org', 'a@b.com']
    """
    if "/" not in text and "@" not in text and "\\" not in text and "www." not in text:
        return []
    out: list[tuple[int, int]] = []
    end = 0
    for trigger in _PROTECTED_TRIGGER_RE.finditer(text):
        i = trigger.start()
        if i < end:
            continue  # in the run just scanned
        before = _SPACE_BEFORE_RE.search(text, 0, i)
        start = before.end() if before is not None else 0
        after = _SPACE_RE.search(text, i)
        end = after.start() if after is not None else len(text)
        out.extend(m.span() for m in _PROTECTED_SPAN_RE.finditer(text, start, end))
    return out


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
    >>> apply_case("wiU", "will"), apply_case("COUNTnY", "country")
    ('will', 'COUNTRY')
    """
    letters = [c for c in model if c.isalpha()]
    if not letters:
        return word
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return word.upper()
    if _mostly_upper(letters):
        return word.upper()  # a word in capitals with a letter misread in lowercase
    if letters[0].isupper() and model[0] == letters[0]:
        return word[:1].upper() + word[1:]
    if model[0].isdigit() and len(letters) > 1 and sum(c.isupper() for c in letters) > 1:
        return word.upper()
    return word


def _mostly_upper(letters: list[str]) -> bool:
    """Whether letters of a token are a word in capitals with some read in lowercase
    ("COUNTnY", "BALFOUIt"): four letters or more, the first a capital and at most one in
    four lowercase. A capital glued to a lowercase word ("MAnd") is not.

    >>> _mostly_upper(list("COUNTnY")), _mostly_upper(list("McDonald")), _mostly_upper(list("tHE"))
    (True, False, False)
    """
    if len(letters) < 4 or not letters[0].isupper():
        return False
    return 4 * sum(c.islower() for c in letters) <= len(letters)


def _case_mode(model: str) -> int:
    """What :func:`apply_case` does with ``model``: 0 keep, 1 upper, 2 capitalize.

    >>> _case_mode("tbe"), _case_mode("CAF6"), _case_mode("Caf6"), _case_mode("4AB")
    (0, 1, 2, 1)
    >>> _case_mode("COUNTnY")
    1
    """
    if model.islower():
        return 0  # (no capital letter: none of the tests below holds)
    letters = [c for c in model if c.isalpha()]
    if not letters:
        return 0
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return 1
    if _mostly_upper(letters):
        return 1
    if letters[0].isupper() and model[0] == letters[0]:
        return 2
    if model[0].isdigit() and len(letters) > 1 and sum(c.isupper() for c in letters) > 1:
        return 1
    return 0


def _regular_case(tok: str) -> bool:
    """Whether ``tok`` is lowercase, Titlecase or UPPERCASE (not "aU", "caUed", "tHe")."""
    return tok.islower() or tok.isupper() or (tok[:1].isupper() and tok[1:].islower())


def _is_protected_token(tok: str) -> bool:
    """Numbers, amounts, dates, ordinals and roman numerals are never corrected."""
    if tok.isalpha():  # (no digit, nor any mark the number patterns need)
        return _ROMAN_RE.match(tok) is not None
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


_INLINE_HYPHENS = "-\u00ac\u00ad\u2010\u2011"
_TYPESET_HYPHENS = "\u00ac\u00ad"


def _hyphen_neighbours(text: str, start: int, end: int) -> tuple[str, str]:
    """The word parts glued to the token by a hyphen on its left and right ("" if none).

    Every hyphen that dehyphenate reads inside a line counts ("¬" too): a part changed here
    would change what it decides on a second run.
    """
    left = right = ""
    if start >= 2 and text[start - 1] in _INLINE_HYPHENS and text[start - 2].isalpha():
        m = _WORD_BEFORE_RE.search(text, max(0, start - 41), start - 1)
        left = m.group() if m else ""
    if end + 1 < len(text) and text[end] in _INLINE_HYPHENS and text[end + 1].isalpha():
        m = _WORD_AFTER_RE.match(text[end + 1 : end + 41])
        right = m.group() if m else ""
    return left, right


def _glued_word_char(text: str, start: int, end: int) -> bool:
    """Whether a word character touches the span ``text[start:end]`` on either side.

    >>> _glued_word_char("K0i-d0", 0, 5), _glued_word_char("K0i-d ", 0, 5)
    (True, False)
    """
    return bool((start and _WORD_CHAR_RE.match(text, start - 1)) or _WORD_CHAR_RE.match(text, end))


_WORD_CHAR_RE = regex.compile(r"[\w\p{M}]", regex.V1)


# A hyphen (or "¬") at a line end, with the line break after it: the word goes on below.
_BREAK_AFTER_RE = regex.compile(r"[-\u00ac\u00ad\u2010\u2011][ \t]*\n\s*\p{L}", regex.V1)
_BREAK_BEFORE_RE = regex.compile(r"\p{L}[-\u00ac\u00ad\u2010\u2011][ \t]*\n\s*$", regex.V1)


def _at_line_break(text: str, start: int, end: int) -> bool:
    """Whether the token is one part of a word hyphenated across a line break.

    Joining such parts is the layout stages' work; judged alone, "confes" or "cember" would
    be "corrected" into other words.
    """
    return (
        _BREAK_AFTER_RE.match(text, end, min(len(text), end + 40)) is not None
        or _BREAK_BEFORE_RE.search(text, max(0, start - 40), start) is not None
    )


def _lowers_line_start(text: str, start: int, tok: str, new: str) -> bool:
    """Whether replacing ``tok`` (at ``start``) by ``new`` makes a line start with a lowercase
    letter where it did not ("̀ff" -> "off", "Tbe" -> "the").

    The reflow (unwrap_lines, which runs before) read that first character to decide whether
    the line continues the one above; changed, a second run would join the lines.
    """
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    if i < 0 or text[i] != "\n":
        return False
    return new[:1].islower() and not tok[:1].islower()


def _logp(zipf: float) -> float:
    return zipf - 9.0


@dataclass(frozen=True, slots=True)
class _Decision:
    """The ranked options for one token: ``(score - keep - margin, replacement, rule)``."""

    options: tuple[tuple[float, str, str], ...]


def _confidence(gain: float) -> float:
    return round(1.0 / (1.0 + math.pow(10.0, -gain)), 4)


class TokenCounts:
    """The survey of :class:`FixOcrWords`: token counts and the noise totals of a text.

    Surveys add: ``a + b`` (or ``a += b``, in place) is the survey of the two texts together.

    Attributes:
        counts: How often each lowercased token occurs.
        total: Word tokens of two letters or more.
        unknown: Those of them that the lexicon lacks.
        plain: The tokens that occur in lowercase (the first pass of the document's channel
            reads those only; see :func:`_doc_channel`).
    """

    __slots__ = ("channel", "counts", "plain", "pool", "total", "unknown")

    def __init__(
        self, counts: Counter[str], total: int, unknown: int, plain: frozenset[str] = frozenset()
    ) -> None:
        self.counts = counts
        self.total = total
        self.unknown = unknown
        self.plain = plain
        # The document's words filed for in-document evidence (_EvidencePool), built by the
        # first window that needs them and kept for the next ones (not pickled).
        self.pool: _EvidencePool | None = None
        # The document's channel (_DocChannel), learned by the first window and kept.
        self.channel: tuple[FixOcrWords, float, _DocChannel | None] | None = None

    def __iadd__(self, other: TokenCounts) -> TokenCounts:
        self.counts.update(other.counts)
        self.total += other.total
        self.unknown += other.unknown
        self.plain |= other.plain
        self.pool = None
        self.channel = None
        return self

    def __reduce__(
        self,
    ) -> tuple[type[TokenCounts], tuple[Counter[str], int, int, frozenset[str]]]:
        return (TokenCounts, (self.counts, self.total, self.unknown, self.plain))

    def __add__(self, other: TokenCounts) -> TokenCounts:
        out = TokenCounts(Counter(self.counts), self.total, self.unknown, self.plain)
        out += other
        return out

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TokenCounts):
            return NotImplemented
        return (self.counts, self.total, self.unknown, self.plain) == (
            other.counts,
            other.total,
            other.unknown,
            other.plain,
        )

    __hash__ = None  # type: ignore[assignment]


# --- fix_ocr_words ------------------------------------------------------------------------


@register
@dataclass(frozen=True, slots=True)
class FixOcrWords:
    """Correct misread words and split run-together words ("tbe" → "the", "kingwas" →
    "king was", "Caf6" → "Café"), keeping case, names, numbers and old spellings.

    Args:
        threshold: How much more likely (in log10) the correction must be than the token as
            printed, on top of the name and capitals margins. Higher is more precise, lower
            finds more errors; 0 (the default) already leaves clean text alone, because known
            words are never candidates for change and unknown ones need channel evidence.
        known_zipf: Words at least this frequent in the lexicon are never changed.
        unknown_zipf: The prior (as a Zipf value) that an unknown token is a correct word.
        name_margin: Extra margin for a capitalized token inside a sentence.
        caps_margin: Extra margin for an all-capitals token.
        recurrence_bonus: Extra keep-prior (log10) per doubling of a token's count in the
            document, for words that recur because they are real (names, old spellings).
        split: Also split run-together words when both parts are known.
        adapt_to_noise: Lower the prior of unknown tokens in documents where far more tokens
            are unknown than in clean text (there, an unknown token is usually a misreading).
        adapt_channel: In such a noisy document, raise the confusions that its confident
            corrections show again and again (an engine that read "r" as "i" all through one
            article) before judging its tokens (rule ``adapted``; see :func:`_doc_channel`).
        lang: Lexicon language.
        confusions: Name or path of the OCR confusion table.
        misreadings: Name or path of the learned word-pair table (as for
            ``fix_real_word_errors``): a token that was the misreading of one word in most of
            its learned occurrences ("nnd" → "and") becomes that word, whatever the channel
            finds cheaper ("find"). "" turns this off.
        spellings: Name or path of a table of spelling variants (``variant<TAB>word``): a
            token it lists is a spelling of a known word, as likely as that word less a
            discount (by default the early modern table: "himselfe" stays, not "himself";
            "owne" stays, not "one"). "" turns this off.
        user_dicts: Paths of user dictionaries (one word per line, optional Zipf frequency);
            their words count as known.
        protected: Words never changed (compared case-sensitively).
        doc_evidence: Read a capitalized token as a word its own document spells otherwise
            elsewhere, one or two learned confusions away (rule ``evidence``: "Pendorley"
            where the report says "Penderley" twice; see :func:`_evidence`).
        headlines: Judge the words of a heading set in capitals (a run of all-capitals
            words, most of them known: :func:`_caps_runs`) as text, with the learned
            misreadings and the neighbouring words, not as acronyms or names.
        calibrated: Make a plain correction (rule ``word``) only when it clears, besides
            ``threshold``, the extra bar that the kind of correction earned on the dev OCR
            (:func:`_risk`): a close rival candidate, letters added, a short token, a noisy
            document, a capital at a sentence start, a piece of a longer run of letters.
        wordlike: In a noisy document, lower the prior of an unknown token spelled like no
            word of the language ("tliuos", "cntlru": letter trigrams the lexicon's words
            rarely show; :func:`textfix.wordlike.unlike_penalty`), so that a misreading
            damaged beyond a few confusions is still read as its word.
        channel_search: In a noisy document, read a token that nothing else reads as the
            common word that undoing up to four learned confusions gives, multi-character
            ones included ("aftomoou" → "afternoon"), when no other reading comes close (rule
            ``channel``; :func:`textfix.channelsearch.channel_readings`).

    >>> from textfix.edits import apply_edits
    >>> s = "Tbe kingwas in tbe garden. Caf6 society was tliere."
    >>> apply_edits(s, FixOcrWords().edits(s))
    'The king was in the garden. Café society was there.'
    """

    name: ClassVar[str] = "fix_ocr_words"
    stream_context: ClassVar[int] = 2  # lines read around a token (textfix.stream)
    threshold: float = 0.0
    known_zipf: float = 3.0
    unknown_zipf: float = 1.0
    name_margin: float = 2.0
    caps_margin: float = 1.5
    recurrence_bonus: float = 1.0
    split: bool = True
    adapt_to_noise: bool = True
    adapt_channel: bool = True
    lang: str = "en"
    confusions: str = "en/ocr_confusions"
    misreadings: str = "en/real_word_pairs"
    spellings: str = "en/archaic_en"
    user_dicts: tuple[str, ...] = ()
    protected: tuple[str, ...] = ()
    doc_evidence: bool = True
    headlines: bool = True
    calibrated: bool = True
    wordlike: bool = True
    channel_search: bool = True

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
        if not isinstance(self.spellings, str):
            msg = f"fix_ocr_words: spellings must be a table name or path, got {self.spellings!r}"
            raise ConfigError(msg)
        for field in ("user_dicts", "protected"):
            value = getattr(self, field)
            if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                msg = f"fix_ocr_words: {field} must be a list of strings"
                raise ConfigError(msg)
            object.__setattr__(self, field, tuple(value))

    def survey(self, text: str, earlier: object = None) -> TokenCounts:
        """Count the tokens of ``text``: the document-wide evidence of this stage.

        Surveys of pieces of a text add up to the survey of the whole (tokens never cross a
        line break), so :mod:`textfix.stream` can survey a large file piece by piece.

        >>> stage = FixOcrWords()
        >>> stage.survey("Tbe king.\\n") + stage.survey("tbe end\\n") == stage.survey(
        ...     "Tbe king.\\ntbe end\\n")
        True
        """
        strings = list(map(_GROUP, _TOKEN_RE.finditer(text)))
        counts = Counter(map(str.lower, strings))
        freqs = load_lexicon(self.lang, self.user_dicts).freqs
        total, unknown = _oov_totals(counts, freqs)
        return TokenCounts(counts, total, unknown, _plain_unknown(strings, freqs))

    def edits(self, text: str, survey: TokenCounts | None = None) -> Iterator[Edit]:
        lex = load_lexicon(self.lang, self.user_dicts)
        known = 10 ** (self.known_zipf - 9)
        freqs = lex.freqs
        tokens = list(_TOKEN_RE.finditer(text))
        strings = list(map(_GROUP, tokens))
        # The distinct tokens worth a look: not a common word in a regular case. Most tokens
        # are, and set operations in C drop them (_settled_tokens); the rest is checked here.
        settled = _settled_tokens(self.lang, self.user_dicts, self.known_zipf)
        todo = _worth_a_look(strings, freqs, settled, known)
        if not todo:
            return
        if survey is None:
            counts = Counter(map(str.lower, strings))
            words = _word_keys(counts)
            shift = _doc_shift(counts, words, todo, freqs) if self.adapt_to_noise else 0.0
        else:  # the counts of the whole document (see survey)
            counts = survey.counts
            words = None
            shift = _shift(survey.total, survey.unknown) if self.adapt_to_noise else 0.0
        if shift < 0 and self.spellings and _archaic(counts, _spellings(self.spellings), words):
            shift = 0.0  # old spelling, not noise (see _archaic)
        protected_spans = _protected_spans(text)
        span_ends = [e for _, e in protected_spans]
        # A token can be part of a word hyphenated across a line break only when the text
        # holds a hyphen at a line end at all (_at_line_break).
        breaks = _LINE_END_HYPHEN_RE.search(text) is not None
        decided: dict[tuple[str, bool], _Decision | None] = {}  # (tok, midcap): _decide
        attested: dict[tuple[str, bool], tuple[float, str, str] | None] = {}  # _evidence
        risks: dict[tuple[str, bool, str, bool], float] = {}  # _risk, by token and reading
        headlines: list[frozenset[int]] = []  # _caps_runs, found when first needed
        channel = None
        if self.adapt_channel and shift < 0:
            if survey is None:
                channel = _doc_channel(self, counts, _plain_unknown(todo, freqs), shift)
            else:  # learned from the whole document, once (as the windows share it)
                if survey.channel is None or survey.channel[:2] != (self, shift):
                    found = _doc_channel(self, counts, survey.plain, shift)
                    survey.channel = (self, shift, found)
                channel = survey.channel[2]
        if survey is None:
            pool = _EvidencePool(counts, freqs)
        else:  # the windows of one streamed document share its words
            if survey.pool is None or survey.pool.freqs is not freqs:
                survey.pool = _EvidencePool(counts, freqs)
            pool = survey.pool
        # The word put in place of a token (by index, the last word of a split): the next
        # token is judged beside that word, as a second run would judge it ("A0K té" gives
        # "ASK to" in one run, not "ASK té" and then "ASK to").
        fixed: dict[int, str] = {}

        # judge() reaches itself through this list, which is emptied when the text is done:
        # a closure naming itself would make a reference cycle holding every token of the
        # text until a full garbage collection, which rarely comes in a process holding the
        # lexicon (streaming a large file grew by ~10 MB per MB of input).
        judges: list[Callable[[int, bool], tuple[int, int, str, str, float] | None]] = []

        def judge(k: int, ahead: bool) -> tuple[int, int, str, str, float] | None:
            """The edit to make for token ``k`` (start, end, replacement, rule, gain), or
            ``None``. With ``ahead``, the next token is judged first and taken as corrected
            when it would be, so that its correction does not change this token's context
            on a second run."""
            tok = strings[k]
            m = tokens[k]
            low = tok.lower()
            start, end = m.span()
            i = bisect.bisect_right(span_ends, start)
            if i < len(protected_spans) and protected_spans[i][0] < end:
                return None
            if tok in self.protected:
                return None
            glued_before = k > 0 and _adjacent(text, tokens[k - 1], m)
            before = fixed.get(k - 1) if glued_before else None
            if (
                _after_number(text, start)
                and (before is None or before[-1:].isdigit())
                and _unit_like(tok)
            ):
                return None  # a unit ("24 kW", "3 mA"), unless the number was a misread word
            if (start and text[start - 1] in _HYPHEN_SET) or text[end : end + 1] in _HYPHEN_SET:
                left, right = _hyphen_neighbours(text, start, end)
            else:
                left = right = ""
            if (left or right) and lex.freq(f"{left}{tok}{right}".lower()) > 0:
                return None  # a word broken by a hyphen: its parts are not words on their own
            if (left and text[start - 1] in _TYPESET_HYPHENS) or (
                right and text[end] in _TYPESET_HYPHENS
            ):
                # "¬" or a soft hyphen inside a line: dehyphenate judges the parts as they
                # are, and would judge them anew (keep or join) once one is changed.
                return None
            if breaks and _at_line_break(text, start, end):
                return None
            # (The first character, when it is a letter, is the first letter: every str.isalpha
            # character is a \p{L} of _LETTER_RE.)
            first = tok[0] if tok[0].isalpha() else _first_letter(tok)
            # A word of a heading in capitals is text, not a name: judged as a word inside a
            # sentence (learned misreadings, neighbours), its capitals margin kept.
            headline = False
            if self.headlines and tok.isupper() and tok.isalpha():
                if not headlines:
                    headlines.append(_caps_runs(strings, freqs, known))
                headline = k in headlines[0]
            midcap = first.isupper() and not headline and not _sentence_start(text, start)
            key = (tok, midcap)
            if key in decided:
                d = decided[key]
            else:
                d = _decide(self, tok, midcap, min(counts[low], 8), shift)
                if channel is not None:
                    d = _adapted(self, d, tok, midcap, min(counts[low], 8), shift, channel)
                decided[key] = d
            # A capitalized token the document spells otherwise elsewhere (see _evidence).
            evidence = None
            if first.isupper() and self.doc_evidence:
                if key in attested:
                    evidence = attested[key]
                else:
                    evidence = attested[key] = _evidence(self, tok, midcap, counts, shift, pool)
            if d is None:
                if evidence is None or _by_apostrophe(text, m):
                    return None
                d = _Decision(())
            # In-document evidence only for tokens the lexicon lacks: a rare listed word
            # ("mire") stays, even when its commoner neighbour ("more") is in the text.
            doc = None if low in freqs or _by_apostrophe(text, m) else counts
            # The neighbours count for a token inside a sentence only (see _choose).
            prev = nxt = ""
            if not midcap:
                if glued_before:
                    prev = (before or strings[k - 1]).lower()
                if k + 1 < len(tokens) and _adjacent(text, m, tokens[k + 1]):
                    nxt = strings[k + 1]
                    if ahead and nxt in todo:
                        e = judges[0](k + 1, False)
                        if e is not None and e[0] == tokens[k + 1].start():
                            nxt = e[2].split(" ", 1)[0]
                    nxt = nxt.lower()
            best = _choose(d, prev, nxt, midcap, doc)
            if evidence is not None and (best is None or evidence[0] > best[0]):
                if not _by_apostrophe(text, m):
                    best = evidence
            if best is None or _lowers_line_start(text, start, tok, best[1]):
                return None
            if self.calibrated and best[2] == "word":
                # The bar a plain correction must clear where such corrections were often
                # wrong (see _risk): it is taken only when it clears the bar by that much.
                # The terms of this occurrence count only for a token that occurs once: a
                # token corrected elsewhere in the text would be judged with a smaller count
                # (less recurrence bonus) on a second run, and corrected here too.
                single = counts[low] <= 1
                capstart = single and first.isupper() and not midcap and not tok.isupper()
                # The rivals by their channel scores alone (from the search _decide made),
                # not by the options that cleared this document's keep score: a rival must
                # not drop out as a second run, in a cleaner document, raises that score.
                # (The same for every occurrence of the token with this reading: kept.)
                risk_key = (tok, midcap, best[1], capstart)
                bar = risks.get(risk_key)
                if bar is None:
                    far = _searched_far(self, tok, midcap, min(counts[low], 8), shift)
                    rivals = _scored(self, tok, far)
                    bar = risks[risk_key] = _risk(
                        tok, best[1], rivals, low in freqs, capstart, shift
                    )
                if single and _glued_piece(text, start, end):
                    bar += _PIECE_RISK
                gain = best[0]
                if not single:
                    # One decision for every occurrence: the gain without the neighbours'
                    # bonus (kept apart, a second run would find the token rarer).
                    gain = next((g for g, w, _ in d.options if w == best[1]), gain)
                    if doc is not None and doc.get(best[1].lower(), 0) >= _DOC_MIN_COUNT:
                        gain += _DOC_BONUS
                if gain < bar:
                    return None
                best = (best[0] - bar, best[1], best[2])
            if left or right:
                if " " in best[1]:
                    return None  # splitting one part of a hyphenated word would unmake the compound
                joined = f"{left}{best[1]}{right}"
                f = lex.freq(joined.lower())
                if f > 0:
                    # The fixed part makes a word broken by a hyphen ("Ameri-can1" gives
                    # "Ameri-can"), which dehyphenate would join on a second run: join it now
                    # when the word is a common one, else leave the token, so one run is final.
                    if f < known:
                        return None
                    j_start = start - 1 - len(left) if left else start
                    j_end = end + 1 + len(right) if right else end
                    if _glued_word_char(text, j_start, j_end):
                        return None  # a part is only the letters of a longer token ("d0")
                    return (j_start, j_end, joined, "join_fixed", best[0])
            return (start, end, best[1], best[2], best[0])

        judges.append(judge)
        last_end = 0  # the end of the last edit: a joined word may reach over the next token
        try:
            for k in itertools.compress(range(len(strings)), map(todo.__contains__, strings)):
                e = judge(k, True)
                if e is None or e[0] < last_end:
                    continue
                last_end = e[1]
                if e[0] == tokens[k].start():
                    fixed[k] = e[2].rsplit(" ", 1)[-1]
                yield Edit(e[0], e[1], e[2], self.name, e[3], _confidence(e[4]))
        finally:
            judges.clear()


_GROUP = regex.Match.group
_HYPHEN_SET = frozenset(_INLINE_HYPHENS)


def _first_letter(tok: str) -> str:
    """The first letter of ``tok`` ("" if none)."""
    m = _LETTER_RE.search(tok)
    return m.group() if m is not None else ""


# A hyphen (or "¬") at the end of a line (see _at_line_break).
_LINE_END_HYPHEN_RE = regex.compile(r"[-\u00ac\u00ad\u2010\u2011][ \t]*\n", regex.V1)


def _worth_a_look(
    strings: list[str], freqs: Mapping[str, float], settled: frozenset[str], known: float
) -> set[str]:
    """The distinct tokens of ``strings`` that :class:`FixOcrWords` judges: two letters or
    more, and not a word at least ``known`` frequent in a regular case (``settled`` holds most
    of those, dropped by one set difference in C)."""
    return {
        tok
        for tok in set(strings) - settled
        if len(tok) >= 2 and (freqs.get(tok.lower(), 0.0) < known or not _regular_case(tok))
    }


def _doc_shift(
    counts: Mapping[str, int], words: list[str], todo: set[str], freqs: Mapping[str, float]
) -> float:
    """``_noise_shift(counts, freqs)`` for the lowercased token counts of a text whose tokens
    worth a look (:func:`_worth_a_look`) are ``todo`` (``words``: ``_word_keys(counts)``),
    with fewer look-ups in the lexicon.

    A word the lexicon lacks is always the lowercase of a token worth a look (its tokens have
    its length: only "İ" lowercases to two characters, and not to letters), so the unknown
    words are looked for among those only, not among every word of the text.
    """
    total = sum(map(counts.__getitem__, words))
    lows = {t.lower() for t in todo}
    unknown = sum(counts[w] for w in lows if len(w) >= 2 and w.isalpha() and w not in freqs)
    return _shift(total, unknown)


@functools.cache
@persistent("settled_tokens")
def _settled_tokens(lang: str, user_dicts: tuple[str, ...], known_zipf: float) -> frozenset[str]:
    """Tokens that :class:`FixOcrWords` never looks at: the lowercase, Capitalized and
    UPPERCASE forms of the words at least ``known_zipf`` frequent (each form checked by the
    test of ``edits`` itself: two letters or more, a regular case, its lowercase that
    frequent). Built once (~0.3 s, then kept in the on-disk cache); the tokens outside it
    are tested one by one.

    >>> "The" in _settled_tokens("en", (), 3.0), "tbe" in _settled_tokens("en", (), 3.0)
    (True, False)
    """
    freqs = load_lexicon(lang, user_dicts).freqs
    known = 10 ** (known_zipf - 9)
    out: set[str] = set()
    for w, f in freqs.items():
        if f >= known:
            for v in (w, w.upper(), w[:1].upper() + w[1:]):
                if len(v) >= 2 and _regular_case(v) and freqs.get(v.lower(), 0.0) >= known:
                    out.add(v)
    return frozenset(out)


#: Share of word tokens that clean English prose has outside the lexicon (names, rare words):
#: 0.4-1.1% in clean transcriptions of 3k-55k words (wordfreq's large list also has some OCR
#: junk, so noisy documents show fewer unknown tokens than misreadings: hence this is set at
#: the top of the clean range, not above it).
_CLEAN_OOV_RATE = 0.015
#: How strongly the unknown-word prior follows the document's excess of unknown tokens.
_NOISE_GAIN = 4.0
#: The most the unknown-word prior is lowered in a noisy document (log10).
_MAX_NOISE_SHIFT = -4.0
#: Extra keep-prior of a token the lexicon lists (a rare but real word, such as "hereto").
_LISTED_BONUS = 0.5
#: More keep-prior for a listed word in a document as clean as clean prose (noise shift 0),
#: fading out by a noise shift of -1: there a rare real word ("stinted") is far likelier
#: than a misreading of a commoner one ("started"), and a wrong edit costs more than a miss.
_LISTED_CLEAN = 1.5


def _noise_shift(counts: Counter[str], freqs: Mapping[str, float]) -> float:
    """How much less likely an unknown token is to be correct here than in clean text.

    In clean prose at most about 1.5% of word tokens are unknown to the lexicon; when a document has
    far more, the extra ones are mostly misreadings. Returns log10(clean rate / observed
    rate) times :data:`_NOISE_GAIN`, between -4 and 0, rounded to quarters so decisions
    stay cacheable.
    """
    return _shift(*_oov_totals(counts, freqs))


def _oov_totals(counts: Mapping[str, int], freqs: Mapping[str, float]) -> tuple[int, int]:
    """The number of word tokens (two letters or more) and of those the lexicon lacks.

    >>> _oov_totals({"the": 3, "tbe": 2, "a": 5, "1st": 1}, {"the": 0.05})
    (5, 2)
    """
    words = _word_keys(counts)
    total = sum(map(counts.__getitem__, words))
    unknown = sum(map(counts.__getitem__, itertools.filterfalse(freqs.__contains__, words)))
    return total, unknown


def _word_keys(counts: Mapping[str, int]) -> list[str]:
    """The keys of ``counts`` of two letters or more, all letters (in C loops: this runs
    over every distinct token of a document)."""
    keys = list(counts)
    two = map(operator.lt, itertools.repeat(1), map(len, keys))
    return list(itertools.compress(keys, map(operator.and_, map(str.isalpha, keys), two)))


#: Share of a document's word tokens in the old-spelling table above which the document is
#: in early modern spelling (such documents show 1.1-6.7% on the dev corpora, others at most
#: 0.8%, clean modern prose none).
_ARCHAIC_RATE = 0.01
#: ... and at least this many different old spellings: a name that happens to look like one
#: ("Pyne") and recurs in a short modern text does not make it old.
_ARCHAIC_TYPES = 3


def _archaic(
    counts: Mapping[str, int], spellings: Mapping[str, str], words: list[str] | None = None
) -> bool:
    """Whether a document is written in old spelling: at least :data:`_ARCHAIC_RATE` of its
    word tokens (of 50 or more) are spellings of the ``spellings`` table ("owne", "doe"), of
    at least :data:`_ARCHAIC_TYPES` different ones.

    There its unknown tokens are as often old spellings that the table lacks ("foorth",
    "entred") as misreadings, so they are judged as in clean text (no noise shift).
    ``words`` is ``_word_keys(counts)`` when the caller has it.
    """
    if words is None:
        words = _word_keys(counts)
    old = list(filter(spellings.__contains__, words))
    if len(old) < _ARCHAIC_TYPES:
        return False  # (the common case, without the total)
    total = sum(map(counts.__getitem__, words))
    return total >= 50 and sum(map(counts.__getitem__, old)) >= _ARCHAIC_RATE * total


def _shift(total: int, unknown: int) -> float:
    if total < 50 or unknown <= _CLEAN_OOV_RATE * total:
        return 0.0
    shift = _NOISE_GAIN * math.log10(_CLEAN_OOV_RATE * total / unknown)
    return max(_MAX_NOISE_SHIFT, round(shift * 4) / 4)


def _edit_candidates(stage: FixOcrWords, tok: str, far: bool = True) -> set[str]:
    """Lexicon words within edit distance 1 of ``tok``, and, for tokens of four letters or
    more, within distance 2 among the words of at least :data:`_D2_INDEX_ZIPF` (more for
    short tokens, :data:`_D2_MIN_ZIPF`), plus rarer words at distance 2 that one learned
    multi-character confusion explains.

    A rarer word two plain edits away costs two unseen confusions in the channel (about
    -8) on top of its low frequency, so it is almost never the best reading; searching the
    whole lexicon at distance 2 was most of the cost of a new token.

    With ``far=False`` the distance-2 search is skipped (see :data:`_D2_MAX_BAR`): the
    words within distance 1 and the block variants only.
    """
    low = tok.lower()
    near = delete_index(stage.lang, stage.user_dicts, max_distance=1)
    if len(low) <= 3:
        return symspell_terms(near, low, 1)
    if not far:  # (= symspell_terms(near, low, 1) | _block_variants(stage, low), one pass)
        return symspell_terms_near_far(near, None, low, extra=_block_words(stage, low))
    zipf = _D2_MIN_ZIPF.get(len(low), _D2_INDEX_ZIPF)
    wide = _d2_indexes(stage.lang, stage.user_dicts)[zipf]
    # One pass: the block variants are checked against distance 2 with the rest.
    return symspell_terms_near_far(near, wide, low, extra=_block_words(stage, low))


#: Words at least this frequent (Zipf) are searched at edit distance 2; rarer ones at 1.
_D2_INDEX_ZIPF = 3.0
#: Higher floors for short tokens, whose distance-2 neighbourhoods are large: the
#: channel charges two edits in a short word as much as in a long one, so only a frequent
#: word can win there.
_D2_MIN_ZIPF = {4: 4.5, 5: 4.0, 6: 3.5}
#: Multi-character confusions at least this likely (log10) are undone by _block_variants.
_BLOCK_MIN_LOGP = -4.5


@functools.cache
def _d2_indexes(lang: str, user_dicts: tuple[str, ...]) -> dict[float, DeleteIndex]:
    """The distance-2 indexes of every floor, built together on first use (once per
    process), so that start-up pays for them at once rather than mid-document."""
    floors = sorted({_D2_INDEX_ZIPF, *_D2_MIN_ZIPF.values()})
    return {z: delete_index(lang, user_dicts, min_zipf=z) for z in floors}


def _block_variants(stage: FixOcrWords, low: str) -> set[str]:
    """Lexicon words that undoing one learned multi-character confusion in ``low`` gives,
    within edit distance 2 ("bhnded" → "blinded": ``li`` printed as ``h``).

    >>> sorted(_block_variants(FixOcrWords(), "bhnded"))
    ['blinded']
    """
    return terms_within(low, _block_words(stage, low), 2)


def _block_words(stage: FixOcrWords, low: str) -> set[str]:
    """The lexicon words that undoing one learned multi-character confusion in ``low``
    gives, at any distance (:func:`_block_variants` keeps those within 2).

    Each ``ocr`` string of the table found at a position is undone (all of them, whatever
    their length), by slicing and dictionary lookups.
    """
    words = symspell_vocabulary(stage.lang, stage.user_dicts)
    table, _lengths = _block_rewrites(stage.confusions)
    starts = _lengths_by_start(stage.confusions, True)
    out: set[str] = set()
    size = len(low)
    # Only the lengths of the ocr strings that begin with the character at i are tried (the
    # others cannot match there), shortest first as in _block_rewrites.
    for i, c in enumerate(low):
        for n in starts.get(c, ()):
            if i + n > size:
                break
            gs = table.get(low[i : i + n])
            if gs is not None:
                head, tail = low[:i], low[i + n :]
                for g in gs:
                    v = head + g + tail
                    if v in words:
                        out.add(v)
    return out


@functools.cache
def _lengths_by_start(confusions: str, block: bool) -> dict[str, tuple[int, ...]]:
    """The lengths of the ``ocr`` strings of :func:`_block_rewrites` (``block=True``,
    shortest first) or of :func:`_rewrites` (longest first), by their first character."""
    keys = _block_rewrites(confusions)[0] if block else _rewrites(confusions)[0]
    by_start: dict[str, set[int]] = {}
    for o in keys:
        by_start.setdefault(o[0], set()).add(len(o))
    return {c: tuple(sorted(ns, reverse=not block)) for c, ns in by_start.items()}


@functools.cache
def _block_rewrites(confusions: str) -> tuple[dict[str, tuple[str, ...]], tuple[int, ...]]:
    """The learned confusions with more than one character on a side, as ``ocr`` → the
    ``gt`` strings it may stand for (lowercase), and the lengths of the ``ocr`` strings,
    shortest first."""
    model = load_confusions(confusions)
    table: dict[str, set[str]] = {}
    for (g, o), lp in model.logp.items():
        if not (o and g and (len(g) > 1 or len(o) > 1) and lp >= _BLOCK_MIN_LOGP):
            continue
        if g.replace("'", "").isalpha():
            table.setdefault(o.lower(), set()).add(g.lower())
    out = {o: tuple(sorted(gs)) for o, gs in table.items()}
    return out, tuple(sorted({len(o) for o in out}))


def _candidates(stage: FixOcrWords, tok: str) -> set[str]:
    """Lowercase lexicon words that ``tok`` may be a misreading of, found cheaply.

    These are the learned confusions undone and the words of the same OCR shape; SymSpell
    (:func:`_edit_candidates`, slower) is asked only when these give no clear winner.
    """
    low = tok.lower()
    out: set[str] = set()
    # Multi-character and digit confusions from the learned table, applied once or twice.
    words = symspell_vocabulary(stage.lang, stage.user_dicts)
    for variant in _confusion_variants(stage.confusions, tok):
        v = variant.lower()
        if v in words:
            out.add(v)
    # Words of the same "OCR shape": any number of the engine's commonest confusions.
    keyer, buckets = _shape_index(stage.lang, stage.user_dicts, stage.confusions)
    out.update(buckets.get(keyer(low), ()))
    return out


#: Confusions at least this likely (log10) and this often seen join two letters in a shape.
_SHAPE_MIN_LOGP = -2.45
_SHAPE_MIN_COUNT = 50
_SHAPE_BUCKET = 40


@functools.cache
def _shape_keyer(confusions: str) -> tuple[tuple[tuple[str, str], ...], dict[int, str]]:
    """Learn the OCR shape classes: letters the engine often prints for one another.

    Returns multi-character rewrites (``rn`` → ``m``) and a translate table mapping every
    letter or digit to the representative of its class (union-find over frequent confusions).
    """
    res = resolve_counts(confusions)
    parent: dict[str, str] = {}

    def find(c: str) -> str:
        while parent.get(c, c) != c:
            c = parent[c]
        return c

    multi: list[tuple[str, str]] = []
    for (g, o), (count, lp) in res.items():
        # Lowercase letters only: capitals have their own confusions (E/B, R/H), and mixing
        # them in would join most of the alphabet into one class.
        if lp < _SHAPE_MIN_LOGP or count < _SHAPE_MIN_COUNT or not g.isascii() or g == o:
            continue
        if not (g.islower() and (o.islower() or o.isdigit())):
            continue
        if len(g) == 1 and len(o) == 1:
            if o.isdigit() and g.isalpha():
                parent[o] = find(g)
            elif g.isalpha() and o.isalpha():
                a, b = find(g), find(o)
                if a != b:
                    parent[max(a, b)] = min(a, b)
        elif len(g) == 1 and g.isalpha() and len(o) == 2 and o.isalpha():
            multi.append((o, g))
    table = {ord(c): find(c) for c in parent}
    return tuple(multi), table


def resolve_counts(confusions: str) -> dict[tuple[str, str], tuple[int, float]]:
    """The ``(gt, ocr)`` → ``(count, log10p)`` rows of a confusion table."""
    from textfix.resources import parse_tsv, resolve

    res = resolve(confusions)
    out: dict[tuple[str, str], tuple[int, float]] = {}
    for row in parse_tsv(res.read_text("utf-8-sig"), res.name, columns=5):
        g = "" if row[0] == "∅" else row[0]
        o = "" if row[1] == "∅" else row[1]
        out[g, o] = (int(row[2]), float(row[4]))
    return out


def _shape_key(confusions: str, word: str) -> str:
    multi, table = _shape_keyer(confusions)
    for o, g in multi:
        if o in word:
            word = word.replace(o, g)
    return word.translate(table)


@functools.cache
@persistent(
    "shape_index",
    encode=operator.itemgetter(1),
    decode=lambda data, confusions, **_: (functools.partial(_shape_key, confusions), data),
)
def _shape_index(
    lang: str, user_dicts: tuple[str, ...], confusions: str
) -> tuple[Callable[[str], str], dict[str, tuple[str, ...]]]:
    """Index the SymSpell vocabulary by OCR shape key, most frequent words first."""
    lex = load_lexicon(lang, user_dicts)
    buckets: dict[str, list[str]] = {}
    for w in symspell_vocabulary(lang, user_dicts):
        buckets.setdefault(_shape_key(confusions, w), []).append(w)
    out = {
        k: tuple(sorted(v, key=lex.freq, reverse=True)[:_SHAPE_BUCKET]) for k, v in buckets.items()
    }
    return functools.partial(_shape_key, confusions), out


@functools.cache
def _rewrites(confusions: str) -> tuple[dict[str, tuple[str, ...]], regex.Pattern[str] | None]:
    """The learned confusions worth undoing when generating candidates.

    Returns the map ``ocr`` → the ``gt`` strings it may stand for, and one compiled pattern
    that finds every such ``ocr`` string (overlapping matches allowed).
    """
    model = load_confusions(confusions)
    rows = sorted(
        (
            (lp, o, g)
            for (g, o), lp in model.logp.items()
            if o and g and lp >= -3.5 and (len(o) > 1 or len(g) > 1 or not o.isalpha())
        ),
        reverse=True,
    )[:120]
    table: dict[str, list[str]] = {}
    for _lp, o, g in rows:
        table.setdefault(o, []).append(g)
    if not table:
        return {}, None
    alternation = "|".join(regex.escape(o) for o in sorted(table, key=len, reverse=True))
    return {o: tuple(gs) for o, gs in table.items()}, regex.compile(alternation)


def _confusion_variants(confusions: str, tok: str) -> set[str]:
    """Strings that undoing one learned confusion in ``tok`` gives.

    At each position the longest ``ocr`` string of :func:`_rewrites` that starts there is
    undone (what the rewrites' pattern finds with ``overlapped=True``), by slicing and
    dictionary lookups, which is faster than the regex on these short tokens. Undoing a
    second confusion as well (up to 24 × more strings) changed no output on the dev corpora:
    words two confusions away are found by the edit-distance search.

    >>> "modern" in _confusion_variants("en/ocr_confusions", "modem")
    True
    """
    table, pattern = _rewrites(confusions)
    if pattern is None:
        return set()
    out: set[str] = set()
    # Only the lengths of the ocr strings that begin with the character at i are tried (the
    # others cannot match there), longest first as in _rewrite_lengths.
    starts = _lengths_by_start(confusions, False)
    for i, c in enumerate(tok):
        for n in starts.get(c, ()):
            gs = table.get(tok[i : i + n])
            if gs is not None:
                head, tail = tok[:i], tok[i + n :]
                for g in gs:
                    out.add(head + g + tail)
                break
    return out


@functools.cache
def _rewrite_lengths(confusions: str) -> tuple[int, ...]:
    """The lengths of the ``ocr`` strings of :func:`_rewrites`, longest first."""
    return tuple(sorted({len(o) for o in _rewrites(confusions)[0]}, reverse=True))


_levenshtein = _Lev.distance

#: A letter of a script other than Latin (see :func:`_decide`).
_FOREIGN_LETTER_RE = regex.compile(r"[\p{L}--\p{Latin}]", regex.V1)


#: Tokens longer than this are never judged: no word is that long, and the split search is
#: quadratic in the length ("a-\na-\n..." joined by dehyphenate makes one token of the file).
_MAX_TOKEN = 64


def _margin(stage: FixOcrWords, tok: str, midcap: bool, shift: float) -> float:
    """What a reading of ``tok`` must gain over keeping it (log10): ``threshold``, plus
    the name margin inside a sentence or the capitals margin."""
    margin = stage.threshold
    # Capitals inside a sentence suggest a name; all capitals (a heading, an advert) say
    # nothing about names but may be an acronym, unless digits show that it is damaged.
    if all(c.isupper() for c in tok if c.isalpha()):
        if tok.isalpha():
            margin += stage.caps_margin
    elif midcap:
        # In a noisy document a capitalized unknown token is more often a misreading too.
        margin += max(0.5, stage.name_margin + shift)
    return margin


def _searched_far(stage: FixOcrWords, tok: str, midcap: bool, count: int, shift: float) -> bool:
    """Whether :func:`_decide` searched the words two plain edits away for ``tok``."""
    keep = _keep_score(stage, tok, count, shift)
    bar = keep + _margin(stage, tok, midcap, shift) - 2 * _CONTEXT_BONUS - _DOC_BONUS
    return bar < _D2_MAX_BAR


@functools.lru_cache(maxsize=1 << 17)
def _decide(
    stage: FixOcrWords, tok: str, midcap: bool, count: int, shift: float = 0.0
) -> _Decision | None:
    """Decide what ``tok`` should become, or ``None`` to keep it. Cached per process."""
    if len(tok) > _MAX_TOKEN or _is_protected_token(tok):
        return None
    n_letters = len(tok) if tok.isalpha() else sum(c.isalpha() for c in tok)
    if n_letters < 2:
        return None
    keep = _keep_score(stage, tok, count, shift)
    margin = _margin(stage, tok, midcap, shift)
    # The lexicon and the misreading channel know Latin letters only: a letter of another
    # script (Hebrew, Greek, ...) is text in that script, never dropped or replaced here.
    foreign = [] if tok.isascii() else _FOREIGN_LETTER_RE.findall(tok)
    if not midcap:
        learned = _misreadings(stage.misreadings).get(tok.lower())
        if learned is not None and _FOREIGN_LETTER_RE.findall(learned[0]) == foreign:
            # Observed evidence for this very token beats the channel's estimate.
            word, lp = learned
            gain = lp - math.log10(max(1e-3, 1.0 - 10**lp)) - stage.threshold
            return _Decision(((gain, apply_case(tok, word), "learned"),)) if gain >= 0 else None
    bar = keep + margin - 2 * _CONTEXT_BONUS - _DOC_BONUS  # options below it never win
    scored = _scored(stage, tok, bar < _D2_MAX_BAR)
    options = [
        (o[0] - keep - margin, o[1], o[2])
        for o in scored
        if o[0] >= bar and (not foreign or _FOREIGN_LETTER_RE.findall(o[1]) == foreign)
    ]
    if (
        keep + margin < _FAR_MAX_BAR
        and n_letters >= _FAR_MIN_LETTERS
        and tok.isalpha()
        and not foreign
        and not any(o[0] >= 0 for o in options)
    ):
        # Nothing within two plain edits wins: look further, along learned confusions.
        options.extend(
            (o[0] - keep - margin, o[1], o[2]) for o in _far_scored(stage, tok) if o[0] >= bar
        )
        options.sort(reverse=True)
    if (
        stage.channel_search
        and keep + margin < _FAR_MAX_BAR
        and n_letters >= _CHANNEL_MIN_LETTERS
        and tok.isalpha()
        and tok.isascii()
        # Also when a plain candidate clears the keep score (by less than _CHANNEL_MAX_GAIN):
        # a reading 1.5 likelier than it is the better correction, and a second run, in a
        # cleaner document where that candidate no longer clears it, would find it anyway.
        and not any(o[0] >= _CHANNEL_MAX_GAIN for o in options)
        and implausibility(tok, stage.lang, stage.user_dicts) >= _CHANNEL_MIN_UNLIKE
    ):
        # Undo up to four learned confusions, multi-character ones too ("aftomoou" →
        # "afternoon"), and take the word only when it is clearly the best reading.
        # A reading is taken only at least _CHANNEL_GAP above every other reading, so above
        # the second best scored one: the search is pruned below that (less the gap, to keep
        # the readings that would be its rivals).
        top = scored[1][0] if len(scored) > 1 else -math.inf
        need = max(bar, top + _CHANNEL_GAP) - _CHANNEL_GAP
        found = channel_readings(tok, stage.confusions, stage.lang, stage.user_dicts, need=need)
        if found and found[0][0] >= bar:
            rival = max([o[0] for o in scored if o[1] != found[0][1]], default=-math.inf)
            if len(found) > 1:
                rival = max(rival, found[1][0])
            if found[0][0] - rival >= _CHANNEL_GAP:
                options.append((found[0][0] - keep - margin, found[0][1], "channel"))
                options.sort(reverse=True)
    if (
        stage.split
        and n_letters >= _DAMAGED_MIN_LETTERS
        and tok.isalpha()
        and not foreign
        and tok.islower()
        and len(tok) <= 40
        and keep + margin < _DAMAGED_MAX_BAR
        and not any(o[0] >= 0 for o in options)
    ):
        # Nothing reads the token as one word, nor as known words run together: try known
        # words run together with one misread word. Lowercase tokens only: a capitalized
        # one is too often a name that holds a short word ("Hillsborrow" is not "Hills borrow").
        # It must be clearly the best reading (by _FAR_GAP), as a far misreading must.
        top = max((o[0] for o in options), default=-math.inf)
        need = max(bar, keep + margin + top + _FAR_GAP)
        options.extend((o[0] - keep - margin, o[1], o[2]) for o in _damaged_split(stage, tok, need))
        options.sort(reverse=True)
    if not options:
        return None
    return _Decision(tuple(options[:4]))


# --- the calibrated bar ------------------------------------------------------------------

# How much more gain (log10) a plain correction needs, by what it is like. Fitted by a
# logistic model of "the correction made the text worse" (each edit of fix_ocr_words on the
# dev OCR, weighted by the characters it won or lost) on the records of even number, and
# checked on the odd ones (docs/words.md, "The calibrated bar"); expressed in units of the
# gain, rounded. The bar is never below 0: it only withholds corrections. The base is set
# where withholding one more harmful character costs about one helpful one (on the even
# records; harm counts more than a miss).
_RISK_BASE = -1.0
#: ... per log10 of closeness of the best rival option (3 minus the gap, the gap capped at 3):
#: two readings nearly as likely mean the channel cannot tell which word was printed.
_RISK_RIVAL = 0.9
#: ... when the correction is longer than the token: letters supplied, not read ("descen" →
#: "descent", "ately" → "lately": mostly pieces of a longer word).
_RISK_LONGER = 1.9
#: ... less when the correction is two or more edits away (the channel already charged them).
_RISK_FAR = -1.9
#: ... per letter that the token is shorter than six.
_RISK_SHORT = 0.35
#: ... per unit of the document's noise shift (which lowers the keep-prior by as much): in a
#: noisy document many unknown tokens are still names or foreign words. Not for a listed
#: token, whose keep score does not fall with the shift: the shift rises once the document
#: is corrected, and a lower bar would then correct it on a second run.
_RISK_NOISE = 0.55
#: ... for a capital at a sentence start (a name as often as a misread word).
_RISK_CAPSTART = 0.8
#: ... less for a token the lexicon lists (rare junk such as "tbe").
_RISK_LISTED = -1.8
#: ... for a piece of a longer run of letters glued by a mark ("hous.ehold", "idle-neaa").
_PIECE_RISK = 0.7
#: The gap to the best rival beyond which closeness counts no more.
_RISK_GAP = 3.0


def _risk(
    tok: str,
    word: str,
    options: tuple[tuple[float, str, str], ...],
    listed: bool,
    capstart: bool,
    shift: float,
) -> float:
    """The gain (log10, at least 0) that replacing ``tok`` by ``word`` must reach, given the
    scored readings of ``tok`` (``(score, word, rule)``: only the differences count), whether
    the lexicon lists ``tok``, whether it is a capital at a sentence start and the document's
    noise shift.

    >>> opts = ((2.0, "the", "word"),)
    >>> _risk("tbe", "the", opts, True, False, 0.0)
    0.0
    >>> _risk("Bostan", "Boston", ((1.0, "Boston", "word"), (0.8, "Bostan", "word")),
    ...       False, False, -4.0) > 1.0
    True
    """
    mine = next((g for g, w, _ in options if w == word), None)
    rival = max((g for g, w, _ in options if w != word), default=None)
    gap = _RISK_GAP if mine is None or rival is None else min(_RISK_GAP, max(0.0, mine - rival))
    low, new = tok.lower(), word.lower()
    bar = (
        _RISK_BASE
        + _RISK_RIVAL * (_RISK_GAP - gap)
        + _RISK_LONGER * (len(new) > len(low))
        + _RISK_FAR * (_levenshtein(low, new) >= 2)
        + _RISK_SHORT * max(0, 6 - len(low))
        + _RISK_NOISE * -shift * (not listed)
        + _RISK_CAPSTART * capstart
        + _RISK_LISTED * listed
    )
    return max(0.0, bar)


#: A possessive or contraction after an apostrophe ("Queon's", "it'll") is not another piece.
_CLITIC_RE = regex.compile(r"['’]\p{L}{1,2}\P{L}*", regex.V1)
_PIECE_REACH = 40


def _glued_piece(text: str, start: int, end: int) -> bool:
    """Whether the token at ``text[start:end]`` is glued, by a mark or hyphen, to other letters
    of the same run of non-space characters ("hous.ehold", "idle-neaa"), a clitic aside.

    >>> _glued_piece("the hous.ehold", 4, 8), _glued_piece("Queon's Wharf", 0, 5)
    (True, False)
    """
    a = start
    stop = max(0, start - _PIECE_REACH)
    while a > stop and not text[a - 1].isspace():
        a -= 1
    b = end
    stop = min(len(text), end + _PIECE_REACH)
    while b < stop and not text[b].isspace():
        b += 1
    after = text[end:b]
    if _CLITIC_RE.fullmatch(after):
        after = ""
    return _LETTER_RE.search(text, a, start) is not None or _LETTER_RE.search(after) is not None


# --- the document's channel ---------------------------------------------------------------

#: A first-pass correction teaches the document's channel when it clears its bar (with the
#: global channel) by at least this much (log10).
_ADAPT_MIN_GAIN = 0.5
#: ... and a confusion is raised only when this many different corrected tokens show it.
_ADAPT_MIN_TYPES = 2
#: How many occurrences of its ``gt`` string the global rate of a confusion counts as.
_ADAPT_PRIOR = 30.0
#: The most (log10) a confusion is raised for one document.
_ADAPT_CAP = 1.5


class _DocChannel:
    """A document's adapted channel and what decides which tokens it can change."""

    __slots__ = ("base", "empty", "model", "parts", "raised")

    def __init__(
        self, base: ConfusionModel, model: ConfusionModel, raised: set[tuple[str, str]]
    ) -> None:
        self.base = base
        self.model = model
        self.raised = tuple(sorted(raised))
        self.parts = frozenset(o for _, o in raised if o)  # raised ocr sides
        self.empty = any(not o for _, o in raised)  # a raised insertion fits any token

    def touches(self, tok: str) -> bool:
        """Whether a raised confusion can fit ``tok`` at all."""
        if self.empty:
            return True
        low = tok.lower()
        return any(p in tok or p in low for p in self.parts)


def _plain_unknown(strings: Iterable[str], freqs: Mapping[str, float]) -> frozenset[str]:
    """The tokens of ``strings`` in lowercase, of three letters or more, that ``freqs``
    lacks: the readings that :func:`_doc_channel` learns from."""
    return frozenset(
        t for t in set(strings) if t.islower() and t not in freqs and sum(map(str.isalpha, t)) >= 3
    )


def _doc_channel(
    stage: FixOcrWords, counts: Mapping[str, int], plain: frozenset[str], shift: float
) -> _DocChannel | None:
    """The channel of a noisy document, or ``None`` when it shows nothing beyond the global
    one: the confusions of its confident corrections, counted, raise the global table by
    :func:`~textfix.channel.adapt_confusions`.

    The evidence is the first pass of the stage over the document's lowercase tokens that
    the lexicon lacks (``plain``, see :func:`_plain_unknown`; the decisions are cached, so
    the second pass reuses them): each one whose best single-word reading clears its bar by
    :data:`_ADAPT_MIN_GAIN` is aligned with that word, and each changed stretch counts as a
    confusion, once per occurrence. Only confusions shown by :data:`_ADAPT_MIN_TYPES`
    different tokens count: a recurring
    misreading of one word is that word's business, not the engine's habit. The chances of a
    ``gt`` string are its occurrences in the document's tokens. Depends on the whole
    document's counts only, so a streamed document gets the same channel in every window.
    """
    seen: Counter[tuple[str, str]] = Counter()
    types: Counter[tuple[str, str]] = Counter()
    for w in sorted(plain):
        if len(w) > _MAX_TOKEN:
            continue
        c = counts[w]
        d = _decide(stage, w, False, min(c, 8), shift)
        if d is None or not d.options:
            continue
        gain, word, rule = d.options[0]
        if gain < _ADAPT_MIN_GAIN or rule not in _ADAPTABLE or " " in word:
            continue
        for block in set(confusion_blocks(word.lower(), w)):
            seen[block] += c
            types[block] += 1
    seen = Counter({b: n for b, n in seen.items() if types[b] >= _ADAPT_MIN_TYPES})
    if not seen:
        return None
    chances = _chances(counts, {g for g, _ in seen})
    model = load_confusions(stage.confusions)
    adapted = adapt_confusions(model, seen, chances, prior=_ADAPT_PRIOR, cap=_ADAPT_CAP)
    if adapted is model:
        return None
    raised = {k for k in seen if adapted.logp.get(k) != model.logp.get(k)}
    return _DocChannel(model, adapted, raised)


def _chances(counts: Mapping[str, int], needed: set[str]) -> Counter[str]:
    """How often each ``gt`` string of ``needed`` occurs in the document's tokens (``counts``:
    lowercased token counts), ``""`` standing for every character: the chances of a
    confusion in :func:`_doc_channel`.

    Each string is counted by one ``str.count`` over the tokens joined (each repeated by its
    count, a NUL between two: a ``gt`` string never holds one, so it matches inside a token
    only, as ``token.count`` does), not by a loop over the tokens in Python.

    >>> sorted(_chances({"tbe": 2, "three": 1}, {"", "e", "h", "ee"}).items())
    [('', 11), ('e', 4), ('ee', 1), ('h', 1)]
    """
    chances: Counter[str] = Counter()
    chances[""] = sum(len(w) * c for w, c in counts.items())
    needed = {g for g in needed if g}
    if needed:
        joined = "\0".join(
            itertools.chain.from_iterable(map(itertools.repeat, counts.keys(), counts.values()))
        )
        for g in sorted(needed):
            if "\0" in g:  # (cannot happen with token strings; counted as the loop did)
                chances[g] = sum(w.count(g) * c for w, c in counts.items())
            else:
                chances[g] = joined.count(g)
    return chances


#: The rules of the options that the document's channel prices anew (word readings).
_ADAPTABLE = frozenset({"word", "far"})


#: The most raised confusions undone at once in a token (see :func:`_doc_variants`).
_ADAPT_MAX_REWRITES = 4
#: Tokens with more places a raised confusion fits than this are not rewritten.
_ADAPT_MAX_SITES = 8


def _adapted(
    stage: FixOcrWords,
    d: _Decision | None,
    tok: str,
    midcap: bool,
    count: int,
    shift: float,
    channel: _DocChannel,
) -> _Decision | None:
    """``d`` judged with the document's channel: its word options priced anew, and the
    words that undoing the document's raised confusions gives (:func:`_doc_variants`)
    added, both with rule ``adapted`` where the document's channel makes them likelier.
    Only tokens that a raised confusion fits are judged anew; others keep ``d``."""
    if not channel.touches(tok) or len(tok) > _MAX_TOKEN or _is_protected_token(tok):
        return d
    model = channel.base
    out: list[tuple[float, str, str]] = []
    changed = False
    have: set[str] = set()
    for gain, rep, rule in d.options if d is not None else ():
        have.add(rep)
        if rule in _ADAPTABLE and " " not in rep:
            delta = channel_logprob_delta(channel.model, model, tok, rep)
            if delta > 0:
                # (rule "adapted" when only the document's channel lifts it over the bar)
                out.append((round(gain + delta, 3), rep, rule if gain >= 0 else "adapted"))
                changed = True
                continue
        out.append((gain, rep, rule))
    if d is None or not any(o[0] >= 0 for o in out):
        variants = _doc_variants(stage, tok, channel) - have
        if variants:
            lex = load_lexicon(stage.lang, stage.user_dicts)
            bar = _keep_score(stage, tok, count, shift) + _margin(stage, tok, midcap, shift)
            for w in sorted(variants):
                score = math.log10(lex.freq(w.lower())) + channel_logprob(channel.model, tok, w)
                if score - bar >= -2 * _CONTEXT_BONUS - _DOC_BONUS:
                    out.append((round(score - bar, 3), w, "adapted"))
                    changed = True
    if not changed:
        return d
    out.sort(reverse=True)
    return _Decision(tuple(out[:_KEEP_OPTIONS]))


def _doc_variants(stage: FixOcrWords, tok: str, channel: _DocChannel) -> set[str]:
    """The words at least ``known_zipf`` frequent that ``tok`` becomes when up to
    :data:`_ADAPT_MAX_REWRITES` of the document's raised confusions are undone ("chaiacteis"
    → "characters" where the document reads "r" as "i"), in the case of ``tok``."""
    low = tok.lower()
    sites: list[tuple[int, int, str]] = []  # (start, end, gt)
    for g, o in channel.raised:
        if not o:
            continue
        i = low.find(o)
        while i >= 0:
            sites.append((i, i + len(o), g))
            i = low.find(o, i + 1)
    if not sites or len(sites) > _ADAPT_MAX_SITES:
        return set()
    sites.sort()
    lex = load_lexicon(stage.lang, stage.user_dicts)
    known = 10 ** (stage.known_zipf - 9)
    mode = _case_mode(tok)
    out: set[str] = set()
    # Every set of 1 to _ADAPT_MAX_REWRITES sites that do not overlap, each site after the
    # last one's end: a walk that extends the rewritten head site by site (the same sets and
    # strings as all combinations of the sites less the overlapping ones, without making
    # those).
    size = len(sites)
    stack: list[tuple[int, int, str, int]] = [(0, 0, "", 0)]  # (next site, pos, head, depth)
    while stack:
        k, pos, head, depth = stack.pop()
        for j in range(k, size):
            start, end, g = sites[j]
            if start < pos:
                continue  # overlaps the last site undone
            new_head = head + low[pos:start] + g
            w = new_head + low[end:]
            if w.isalpha() and lex.freq(w) >= known:
                out.add(w if mode == 0 else w.upper() if mode == 1 else w[:1].upper() + w[1:])
            if depth + 1 < _ADAPT_MAX_REWRITES:
                stack.append((j + 1, end, new_head, depth + 1))
    return out


# --- capitalized tokens: headings in capitals ---------------------------------------------


def _caps_runs(strings: list[str], freqs: Mapping[str, float], known: float) -> frozenset[int]:
    """The indexes of the tokens that stand in a heading set in capitals: a run of tokens
    without a lowercase letter (one-letter words, numbers and damaged tokens with more
    capitals than lowercase letters do not break it) holding at least
    :data:`_HEADLINE_MIN_WORDS` all-capitals words of two letters or more, of which at
    least :data:`_HEADLINE_KNOWN_SHARE` are words at least ``known`` frequent.

    Such capitals are a typeface, not an acronym: "TUE" in "REPORT OF TUE HARBOUR TRUST"
    is a misread "THE". A run of acronyms ("USSR NKVD OGPU") has too few known words.
    Only the all-capitals words are visited (found in C loops), and the tokens between two
    of them until the first that breaks the run.

    >>> freqs = {"the": 0.05, "new": 0.001, "railways": 1e-5}
    >>> sorted(_caps_runs("TUE NEW RAILWAYS and USSR NKVD".split(), freqs, 1e-6))
    [0, 1, 2]
    """
    upper = itertools.compress(range(len(strings)), map(str.isupper, strings))
    words = [i for i in upper if len(strings[i]) >= 2 and strings[i].isalpha()]
    if len(words) < _HEADLINE_MIN_WORDS:
        return frozenset()
    out: set[int] = set()
    run: list[int] = []
    hits = 0
    for i in [*words, -1]:
        if run and (i < 0 or not all(map(_in_caps_run, strings[run[-1] + 1 : i]))):
            if len(run) >= _HEADLINE_MIN_WORDS and hits >= _HEADLINE_KNOWN_SHARE * len(run):
                out.update(run)
            run = []
            hits = 0
        run.append(i)
        hits += freqs.get(strings[i].lower(), 0.0) >= known
    return frozenset(out)


def _in_caps_run(tok: str) -> bool:
    """Whether a token leaves a run of capitals unbroken: no lowercase letter ("A", "1886"),
    or a damaged capital with more capitals than lowercase letters ("HARBOnR")."""
    lower = sum(map(str.islower, tok))
    return not lower or (tok[:1].isupper() and 2 * lower < len(tok))


#: A heading in capitals has at least this many all-capitals words of two letters or more.
_HEADLINE_MIN_WORDS = 3
#: ... and at least this share of them are known words.
_HEADLINE_KNOWN_SHARE = 2 / 3
#: The Zipf frequency of a known word for :func:`_caps_runs` in ``fix_real_word_errors``.
_HEADLINE_KNOWN_ZIPF = 3.0


# --- capitalized tokens: in-document evidence ---------------------------------------------


class _EvidencePool:
    """The words of a document that :func:`_evidence` may read a token as (lowercased
    token counts: used twice or more, or listed in the lexicon as a rare word), by length
    and first letter and by length and last letter, as :func:`_far_buckets` files the
    lexicon; built on first use. A large document has many words: a token is compared only
    with those of about its length that share its first or last letter (OCR seldom damages
    both ends at once)."""

    __slots__ = ("buckets", "counts", "found", "freqs")

    def __init__(self, counts: Mapping[str, int], freqs: Mapping[str, float]) -> None:
        self.counts = counts
        self.freqs = freqs
        self.buckets: dict[tuple[int, str, str], list[str]] | None = None
        self.found: dict[tuple[str, int], set[str]] = {}  # (low, k): near

    def near(self, low: str, k: int) -> set[str]:
        """The document's words within plain edit distance ``k`` of ``low`` (not itself)
        that keep its first or last letter."""
        got = self.found.get((low, k))
        if got is not None:
            return got
        if self.buckets is None:
            self.buckets = {}
            counts, freqs = self.counts, self.freqs
            for w in _word_keys(counts):
                if len(w) >= 3 and (counts[w] >= 2 or 0 < freqs.get(w, 0.0) < _EVIDENCE_RARE):
                    self.buckets.setdefault((len(w), w[0], ""), []).append(w)
                    self.buckets.setdefault((len(w), "", w[-1]), []).append(w)
        out: set[str] = set()
        get = self.buckets.get
        # Both buckets of every length in one call (a word in both is found twice, once kept;
        # the lengths are those within ``k``, as any word within distance ``k`` has).
        words: list[str] = []
        for size in range(len(low) - k, len(low) + k + 1):
            words += get((size, low[0], ""), ())
            words += get((size, "", low[-1]), ())
        if words:
            found = _fuzz_extract(low, words, scorer=_levenshtein, score_cutoff=k, limit=None)
            out.update(w for w, _d, _i in found)
        out.discard(low)
        self.found[low, k] = out
        return out


#: Tokens with fewer letters than this are not read by in-document evidence.
_EVIDENCE_MIN_LETTERS = 4
#: log10 prior of a word the document uses at least twice, and more often than the token (as
#: a word of Zipf 4): a name or a term of the document, whatever the lexicon says of it.
_EVIDENCE_LOGP = -5.0
#: A word the document uses once is a candidate only when the lexicon lists it below this
#: frequency (Zipf 2.5): the search of fix_ocr_words skips those (its distance-1 index starts
#: there), and finds the commoner ones itself.
_EVIDENCE_RARE = 10 ** (2.5 - 9)
#: How much likelier (log10) the best document word must be than the next one.
_EVIDENCE_GAP = 1.0


def _evidence(
    stage: FixOcrWords,
    tok: str,
    midcap: bool,
    counts: Mapping[str, int],
    shift: float,
    pool: _EvidencePool,
) -> tuple[float, str, str] | None:
    """The reading of a capitalized token by a word the same document uses elsewhere, one
    or two edits away, as an option of :func:`_choose` (gain beyond the bar, word, rule
    ``evidence``), or ``None``.

    Two kinds of document word count: one used at least twice, and more often than the
    token, is as likely as a common word (:data:`_EVIDENCE_LOGP`, or its own frequency if
    higher): "Pendorley" in a report that says "Penderley" twice; one used once, by a token
    that occurs once, keeps its own frequency in the lexicon, if it lists it as a rare word
    (:data:`_EVIDENCE_RARE`, which the search for candidates skips). The token keeps its
    usual prior and margins (a capital inside a sentence, all capitals). The channel must
    find the token likelier from the document word than one change it never saw
    (:data:`~textfix.channel.UNSEEN_EDIT`): learned confusions only, not any two letters.
    The document word must not itself read as a misreading of another word, nor differ from
    the token only by an ending ("Brown" / "Browne", "Jenning" / "Jennings": both are
    names), and must be clearly the best document word.
    """
    if not tok.isalpha() or len(tok) < _EVIDENCE_MIN_LETTERS or not _regular_case(tok):
        return None
    low = tok.lower()
    near = pool.near(low, 1 if len(low) < 6 else 2)
    if not near:
        return None
    own = counts.get(low, 0)
    lex = load_lexicon(stage.lang, stage.user_dicts)
    # (The in-document bonus of _choose, for tokens the lexicon lacks.)
    bonus = 0.0 if low in lex.freqs else _DOC_BONUS
    model = load_confusions(stage.confusions)
    mode = _case_mode(tok)
    scored: list[tuple[float, str]] = []
    for w in sorted(near):
        if w.startswith(low) or low.startswith(w):
            continue  # only an ending apart: both may be right
        n = counts.get(w, 0)
        f = lex.freq(w)
        if n >= 2 and n > own:
            prior = max(math.log10(f) + bonus if f > 0 else -99.0, _EVIDENCE_LOGP)
        elif n == 1 and own == 1 and 0 < f < _EVIDENCE_RARE:
            prior = math.log10(f)
        else:
            continue
        cased = w.upper() if mode == 1 else w[:1].upper() + w[1:] if mode == 2 else w
        if cased.isalpha():
            ch = channel_logprob(model, tok, cased)
            if ch > UNSEEN_EDIT:  # likelier than one change the channel never saw
                scored.append((prior + ch, cased))
    if not scored:
        return None
    scored.sort(reverse=True)
    score, word = scored[0]
    if len(scored) > 1 and score - scored[1][0] < _EVIDENCE_GAP:
        return None
    keep = _keep_score(stage, tok, min(own, 8), shift)
    margin = stage.threshold
    if mode == 1:
        margin += stage.caps_margin
    elif midcap:
        margin += max(0.5, stage.name_margin + shift)
    gain = score - keep - margin
    if gain < 0:
        return None
    # The document word must be a reading of its own, not a misreading of another word.
    d = _decide(stage, word, False, min(counts.get(word.lower(), 0), 8), shift)
    if d is not None and any(o[0] >= 0 for o in d.options):
        return None
    return (gain, word, "evidence")


# --- far misreadings ----------------------------------------------------------------------

#: Tokens with fewer letters than this are never searched beyond two plain edits: a short
#: string has many words three edits away, so none of them is a confident reading.
_FAR_MIN_LETTERS = 7
#: Tokens with fewer letters than this are never searched along confusions
#: (:func:`textfix.channelsearch.channel_readings`).
_CHANNEL_MIN_LETTERS = 5
#: ... and only a token spelled like no word (:func:`textfix.wordlike.implausibility`, log10):
#: a word-like unknown token is a name or a rare word as often as a misreading.
_CHANNEL_MIN_UNLIKE = 1.0
#: ... and not when a plain candidate already clears the keep score by this much (log10): a
#: reading must then beat it by the gap too, which the search seldom finds (on the dev OCR
#: 2,618 searches instead of 3,471 without this cap, with the same CER to 0.01 point).
_CHANNEL_MAX_GAIN = 4.0
#: How much likelier (log10) than any other reading the word it finds must be.
_CHANNEL_GAP = 1.5
#: Approximate pruning: the far search is made only for tokens whose keep score plus margin
#: (what a candidate must reach, see :func:`_decide`) is below this (log10). A word three or
#: more plain edits away pays several confusions on top of its frequency; on the dev OCR no
#: far candidate of a token above -9.75 cleared its margin, and about three in four searches
#: were above it (recurring and capitalized tokens, cleaner documents). A listed word's keep
#: score is above it, and so is an unknown token's in a document as clean as clean prose
#: (no noise shift): there the far search never runs.
_FAR_MAX_BAR = -9.5
#: Words at least this frequent (Zipf) are the candidates of the far search.
_FAR_MIN_ZIPF = 3.5
#: How much likelier (log10) the best far candidate must be than the next one: far from the
#: token, two words that fit about as well are two guesses, and neither is taken.
_FAR_GAP = 1.0
#: How much longer or shorter than the token a far candidate may be.
_FAR_LENGTH_SPREAD = 1


def _far_distance(size: int) -> int:
    """The largest plain edit distance searched for a token of ``size`` characters.

    >>> _far_distance(7), _far_distance(12)
    (3, 4)
    """
    return 3 if size < 9 else 4


@functools.cache
def _far_buckets(lang: str, user_dicts: tuple[str, ...]) -> dict[tuple[int, str, str], list[str]]:
    """The words of at least :data:`_FAR_MIN_ZIPF`, by length and first letter
    (``(size, letter, "")``) and by length and last letter (``(size, "", letter)``)."""
    out: dict[tuple[int, str, str], list[str]] = {}
    floor = 10 ** (_FAR_MIN_ZIPF - 9)
    for w, f in load_lexicon(lang, user_dicts).freqs.items():
        if f >= floor and w.isalpha() and len(w) >= _FAR_MIN_LETTERS - _FAR_LENGTH_SPREAD:
            out.setdefault((len(w), w[0], ""), []).append(w)
            out.setdefault((len(w), "", w[-1]), []).append(w)
    return out


@functools.lru_cache(maxsize=1 << 15)
def _far_scored(stage: FixOcrWords, tok: str) -> tuple[tuple[float, str, str], ...]:
    """The best word three or four plain edits from ``tok`` (four for tokens of nine
    letters or more), scored like :func:`_scored` by frequency plus the learned channel: a
    word that several learned confusions explain ("rn" → "m", "li" → "h", "ii" → "u", ...)
    scores well however many characters they change. Cached per process.

    The candidates are the words of at least :data:`_FAR_MIN_ZIPF`, at most
    :data:`_FAR_LENGTH_SPREAD` letters longer or shorter, that keep the token's first or
    last letter (OCR seldom damages both ends of a word at once; 112 of 120 far fixes on the
    dev OCR kept one, and the search is about five times cheaper). The best is returned
    only when it is :data:`_FAR_GAP` likelier than the next word (nearer ones included):
    two words that fit about as well are two guesses.

    >>> _far_scored(FixOcrWords(), "iinportaut")  # "m" printed "in", "n" printed "u"
    ((-8.809, 'important', 'far'),)
    """
    low = tok.lower()
    if not low.isalpha():
        return ()
    lex = load_lexicon(stage.lang, stage.user_dicts)
    model = load_confusions(stage.confusions)
    buckets = _far_buckets(stage.lang, stage.user_dicts)
    k = _far_distance(len(low))
    mode = _case_mode(tok)
    found: dict[str, int] = {}
    get = buckets.get
    # Both buckets of every length in one call (a word in both has one distance; the order
    # found does not matter, as the options are sorted below).
    words: list[str] = []
    for size in range(len(low) - _FAR_LENGTH_SPREAD, len(low) + _FAR_LENGTH_SPREAD + 1):
        words += get((size, low[0], ""), ())
        words += get((size, "", low[-1]), ())
    if words:
        for w, d, _i in _fuzz_extract(low, words, scorer=_levenshtein, score_cutoff=k, limit=None):
            found[w] = d
    out: list[tuple[float, str, str]] = []
    for w, d in found.items():
        cased = w if mode == 0 else w.upper() if mode == 1 else w[:1].upper() + w[1:]
        score = math.log10(lex.freqs[w]) + channel_logprob(model, tok, cased)
        # Nearer words (the near search judged them already) still compete for the gap.
        out.append((round(score, 3), cased, "far" if d >= 3 else ""))
    out.sort(reverse=True)
    if not out or not out[0][2] or (len(out) > 1 and out[0][0] - out[1][0] < _FAR_GAP):
        return ()
    return tuple(out[:1])


#: log10 discount of an old spelling against its modern word (see :func:`_decide`).
_SPELLING_DISCOUNT = -1.0


def _keep_score(stage: FixOcrWords, tok: str, count: int, shift: float) -> float:
    """The score (log10) of reading ``tok`` as printed, in a document with noise shift
    ``shift`` where it occurs ``count`` times (at most 8 counted): a listed word by its
    frequency plus a bonus that grows in clean documents, an old spelling as its modern word
    less a discount, anything else at the document's prior of unknown tokens (lower when a
    digit, glyph or odd capital shows damage), plus a bonus when the token recurs.

    The one keep-prior of the word model: ``fix_ocr_words`` compares candidates with it, and
    ``join_damaged_words`` weighs the reading of fragments apart with it.
    """
    lex = load_lexicon(stage.lang, stage.user_dicts)
    regular = _regular_case(tok)
    low = tok.lower()
    own = lex.freq(low) if regular else 0.0
    unknown = _logp(stage.unknown_zipf) + shift
    if not tok.isalpha():
        unknown -= 2.0  # a digit or glyph among letters is rarely printed on purpose
    elif not regular:
        unknown -= 1.0  # nor is "caUed" or "tHe"
    if shift < 0 and stage.wordlike and own == 0:
        # In a noisy document, a string spelled like no word ("tliuos") is a misreading
        # far more often than a name (see textfix.wordlike.unlike_penalty).
        unknown -= unlike_penalty(tok, shift, stage.lang, stage.user_dicts)
    listed_bonus = _LISTED_BONUS + _LISTED_CLEAN * max(0.0, 1.0 + shift)
    keep = max(math.log10(own) + listed_bonus if own > 0 else -99.0, unknown)
    modern = _spellings(stage.spellings).get(low) if stage.spellings else None
    if modern is not None:
        # An old spelling of a known word ("himselfe", "owne"): as likely as the word itself,
        # less a discount.
        keep = max(keep, math.log10(max(lex.freq(modern), 1e-12)) + _SPELLING_DISCOUNT)
    if count > 1:
        keep += stage.recurrence_bonus * math.log2(min(count, 8))
    return keep


@functools.cache
def _spellings(name: str) -> Mapping[str, str]:
    """The spelling-variant table ``name`` (variant → modern word), keys lowercase."""
    return {k.lower(): v.lower() for k, v in load_table(name).items()}


#: A learned pair is taken as the reading of a token when it was at least this often right.
_LEARNED_MIN_SHARE = 0.5


@functools.cache
def _misreadings(name: str) -> dict[str, tuple[str, float]]:
    """The learned pairs whose OCR token was one word at least half the time ("nnd")."""
    if not name:
        return {}
    floor = math.log10(_LEARNED_MIN_SHARE)
    out: dict[str, tuple[str, float]] = {}
    for ocr, alts in load_real_word_pairs(name).items():
        if ocr.islower():
            best = max(alts, key=lambda a: a[1])
            if best[1] >= floor:
                out[ocr] = best
    return out


def clear_caches() -> None:
    """Forget the per-token decisions cached in this process (to free memory, or to time a
    cold run). Results do not change: the caches only remember pure computations."""
    _scored.cache_clear()
    _decide.cache_clear()
    _far_scored.cache_clear()
    _segment_table.cache_clear()
    _damaged_split.cache_clear()
    clear_channel_search_caches()
    implausibility.cache_clear()
    clear_abbreviation_caches()


#: Approximate pruning: the distance-2 SymSpell search is made only for a token whose decision
#: bar (the score an option needs to be kept, see :func:`_decide`) is below this (log10). A
#: word two plain edits away pays about two unseen confusions in the channel, so above it one
#: rarely wins. High bars are those of recurring tokens, capitalized ones inside a sentence,
#: all-capitals and listed rare words, in cleaner documents. On the dev OCR (23,918 distinct
#: tokens judged) 7,881 tokens of four letters or more had a bar of -9 or more: skipping their
#: distance-2 search changed the best option of 40 (0.5%; mostly old spellings and glued
#: words, kept either way), 7 of 13,115 edits, and saved ~0.65 of the ~2.2 CPU seconds the
#: distance-2 search costs; at -10 it changed 81 (see docs/words.md, "Approximate pruning").
_D2_MAX_BAR = -9.0
#: Approximate pruning: when the best cheap candidate scores at least this (log10; a clear
#: winner, ``_CLEAR_WIN`` above the unknown-word prior, -6.5 by default, skips SymSpell
#: altogether), the search is made at distance 1 only. On the dev OCR it turned 1,667 more
#: distance-2 searches (of 12,150 left by :data:`_D2_MAX_BAR`) into distance-1 ones, saved
#: ~0.6 CPU s of ~4.7 (cold fix_ocr_words, min of 2 A/B) and changed 10 of 13,108 edits;
#: at -9.5 it changed 19 and saved no more.
_D2_CHEAP_SKIP = -8.0

#: How many options :func:`_scored` keeps; :func:`_decide` uses at most this many.
_KEEP_OPTIONS = 4


@functools.lru_cache(maxsize=1 << 17)
def _scored(stage: FixOcrWords, tok: str, far: bool = True) -> tuple[tuple[float, str, str], ...]:
    """The best candidates for ``tok`` with their channel scores, best first. Cached per
    process: it does not depend on the document, so a misreading seen before costs a lookup.

    Candidates are scored most frequent first, and scoring stops as soon as a word's
    frequency plus the best any channel can give (:func:`_channel_ceiling`) falls below the
    :data:`_KEEP_OPTIONS`-th best score so far: the rest could not be among the options
    returned. So the result is the same as scoring them all. (A finer bound per word, by the
    learned confusions that fit both strings, was dropped: it cost more than the alignments
    it saved, which are few, as a token has ~6 candidates.) ``far=False`` skips the
    distance-2 search (see :data:`_D2_MAX_BAR`).
    """
    lex = load_lexicon(stage.lang, stage.user_dicts)
    model = load_confusions(stage.confusions)
    ceiling = _channel_ceiling(stage.confusions)
    low = tok.lower()
    options: list[tuple[float, str, str]] = []
    kept: list[float] = []  # the best _KEEP_OPTIONS scores so far, ascending
    seen: set[str] = {low}
    mode = _case_mode(tok)
    freqs = lex.freqs
    log10 = math.log10
    clear = _logp(stage.unknown_zipf) + _CLEAR_WIN
    plain_case = mode == 0 and tok == low  # cased == w for every candidate w, and w != tok

    def push(option: tuple[float, str, str]) -> None:
        options.append(option)
        if len(kept) < _KEEP_OPTIONS:
            bisect.insort(kept, option[0])
        elif option[0] > kept[0]:
            kept[0] = option[0]
            kept.sort()

    def add(words: set[str], cheap: bool) -> float:
        """Score ``words``; return the best score among them (-inf if none)."""
        found: list[tuple[float, str]] = []
        best = -math.inf
        new = words - seen
        seen.update(new)
        if plain_case:
            # Every word keeps its case and none equals tok (low is in seen): only the
            # frequencies are looked up.
            get = freqs.get
            for w in new:
                f = get(w)
                if f is None:
                    f = get(w.lower(), 0.0)
                if f > 0:
                    found.append((f, w))
        for w in () if plain_case else new:
            f = freqs.get(w)
            if f is None:
                f = freqs.get(w.lower(), 0.0)
            if f > 0:
                cased = w if mode == 0 else w.upper() if mode == 1 else w[:1].upper() + w[1:]
                if cased == tok:  # ("STRASSE" for "straße"): the channel bound does not hold
                    best = max(best, log10(f))
                    push((log10(f), cased, "word"))
                else:
                    found.append((f, cased))
        found.sort(reverse=True)
        for f, cased in found:
            lf = log10(f)
            if len(kept) == _KEEP_OPTIONS:
                # No later word can be among the best options; for the cheap candidates,
                # the best of them must also still be known for the clear-winner test.
                need = kept[0] if not cheap or best >= clear else min(kept[0], clear)
                if lf + ceiling < need:
                    break
            score = lf + channel_logprob(model, tok, cased)
            best = max(best, score)
            push((score, cased, "word"))
        return best

    # Split only strings the lexicon does not list ("hereto" and "berated" are words).
    splittable = tok.isalpha() and len(tok) >= 5 and _regular_case(tok)
    if stage.split and splittable and lex.freq(low) < _SPLIT_MAX_FREQ:
        s = _best_split(stage, tok)
        if s is not None:
            push(s)
    best_cheap = add(_candidates(stage, tok), cheap=True)
    # A clear winner among the cheap candidates makes the SymSpell search unnecessary: it
    # finds words by plain edit distance, which the channel prices lower than these. "Clear"
    # is judged against the prior of an unseen word in clean text.
    if best_cheap < clear:
        near = _edit_candidates(stage, tok, far and best_cheap < _D2_CHEAP_SKIP)
        best = max(best_cheap, add(near, cheap=False))
        if far and best < _RARE_MAX_BEST and len(low) >= _RARE_MIN_LETTERS and low.isalpha():
            add(_rare_neighbours(stage, low), cheap=False)
    options.sort(reverse=True)
    return tuple(options[:_KEEP_OPTIONS])


#: Listed words rarer than the SymSpell vocabulary (Zipf 2.5) but at least this frequent are
#: candidates too, one edit away from a long token ("gladnesa" → "gladness", "enfranohised"
#: → "enfranchised"): the edit-distance indexes leave them out for speed and memory.
_RARE_MIN_ZIPF = 1.5
#: ... for tokens of at least this many letters (a short token has too many rare neighbours).
_RARE_MIN_LETTERS = 6
#: ... when no candidate found before scores this much (log10): a rare word (at most Zipf
#: 2.5, one edit away) rarely beats a better one.
_RARE_MAX_BEST = -9.0


@functools.cache
def _rare_words(lang: str, user_dicts: tuple[str, ...]) -> frozenset[str]:
    """The lowercase words of letters at least :data:`_RARE_MIN_ZIPF` frequent that the
    SymSpell vocabulary (:func:`~textfix.lexicon.symspell_vocabulary`) leaves out."""
    freqs = load_lexicon(lang, user_dicts).freqs
    vocab = symspell_vocabulary(lang, user_dicts)
    floor = 10 ** (_RARE_MIN_ZIPF - 9)
    return frozenset(
        w for w, f in freqs.items() if f >= floor and w not in vocab and w.isalpha() and w.islower()
    )


def _rare_neighbours(stage: FixOcrWords, low: str) -> set[str]:
    """The words of :func:`_rare_words` one edit from ``low``: a character dropped or two
    swapped, a letter put back, or a character replaced by a letter the engine is known to
    print it for (:func:`_rare_edits`), found by making every such string and looking it up
    (the Norvig speller's search, with the channel's substitutions only: a rare word one
    unseen confusion away scores too low to win anyway).

    >>> sorted(_rare_neighbours(FixOcrWords(), "gladnesa"))
    ['gladness']
    """
    subs, letters = _rare_edits(stage.confusions)
    splits = [(low[:i], low[i:]) for i in range(len(low) + 1)]
    near = {a + b[1:] for a, b in splits if b}
    near.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    near.update(a + c + b[1:] for a, b in splits if b for c in subs.get(b[0], ""))
    near.update(a + c + b for a, b in splits for c in letters)
    near.discard(low)
    return set(_rare_words(stage.lang, stage.user_dicts).intersection(near))


@functools.cache
def _rare_edits(confusions: str) -> tuple[dict[str, str], str]:
    """For :func:`_rare_neighbours`: the lowercase letters each printed character may stand
    for (learned single-character confusions at least 10^-4.5 likely), and the letters the
    engine is known to drop."""
    model = load_confusions(confusions)
    subs: dict[str, set[str]] = {}
    dropped: set[str] = set()
    for (g, o), lp in model.logp.items():
        if len(g) != 1 or not g.isalpha() or g.lower() not in string.ascii_lowercase:
            continue
        if not o:
            dropped.add(g.lower())
        elif len(o) == 1 and lp >= -4.5 and g.lower() != o.lower():
            subs.setdefault(o.lower(), set()).add(g.lower())
    return {o: "".join(sorted(gs)) for o, gs in subs.items()}, "".join(sorted(dropped))


@functools.cache
def _channel_ceiling(confusions: str) -> float:
    """An upper bound of ``channel_logprob(model, t, w)`` for any ``t != w``.

    Every changed stretch costs a table entry or a sum of single-character costs (each a
    table entry or :data:`~textfix.channel.UNSEEN_EDIT`), and there is at least one.
    """
    model = load_confusions(confusions)
    top = max([UNSEEN_EDIT, *model.logp.values()])
    return top if top <= 0 else math.inf


#: Gain beyond the margin at which a cheap candidate is taken without a SymSpell search.
_CLEAR_WIN = 1.5

#: log10 bonus for a candidate that forms a known bigram with a neighbouring word.
_CONTEXT_BONUS = 0.5


def _choose(
    d: _Decision,
    prev: str,
    nxt: str,
    midcap: bool,
    doc: Mapping[str, int] | None = None,
) -> tuple[float, str, str] | None:
    """Pick the best option of a decision, adding bigram evidence from the neighbours and
    in-document evidence: a candidate word that the document itself uses elsewhere
    (:data:`_DOC_MIN_COUNT` times) gets :data:`_DOC_BONUS` ("acies" → "acres" in a text
    about land)."""
    bigrams = load_bigrams() if not midcap and (prev or nxt) else None
    # The most bonus an option can get: an option that cannot beat the best so far, or
    # reach 0, even with it, needs no look-up: it would not be returned. (Sums of these
    # halves are exact in floating point, and adding is monotone, so the result is that of
    # looking at every option.)
    most = _DOC_BONUS if doc is not None else 0.0
    if bigrams is not None:
        most += _CONTEXT_BONUS * ((prev != "") + (nxt != ""))
    best_opt: tuple[float, str, str] | None = None
    for gain, rep, rule in d.options:
        if gain + most < 0 or (best_opt is not None and gain + most <= best_opt[0]):
            continue
        low = rep.lower()
        bonus = 0.0
        if doc is not None and doc.get(low, 0) >= _DOC_MIN_COUNT:
            bonus += _DOC_BONUS
        if bigrams is not None:
            parts = low.split(" ")
            if prev and f"{prev} {parts[0]}" in bigrams:
                bonus += _CONTEXT_BONUS
            if nxt and f"{parts[-1]} {nxt}" in bigrams:
                bonus += _CONTEXT_BONUS
        if best_opt is None or gain + bonus > best_opt[0]:
            best_opt = (gain + bonus, rep, rule)
    return best_opt if best_opt is not None and best_opt[0] >= 0 else None


#: log10 bonus for a candidate word that occurs elsewhere in the same document.
_DOC_BONUS = 1.0
#: How often the document must use a candidate word for the in-document bonus.
_DOC_MIN_COUNT = 2


# A missing space costs about as much as one common character confusion.
_SPLIT_LOGP = -2.0
#: A token listed at least this often (Zipf 1.5) is a word, not two glued together.
_SPLIT_MAX_FREQ = 10 ** (1.5 - 9)
_SPLIT_LENGTH_CREDIT = 0.3
#: What a split must gain beyond the bar of any other reading (log10): a string of two known
#: words is often one word the lexicon lacks ("moonwashed", a place name), and
#: splits that clear the bar by less than this were wrong about as often as right on the dev
#: OCR (at 1.5: 24 fewer right splits, 59 fewer wrong ones).
_SPLIT_MARGIN = 1.5
#: A two-letter part must be a common word ("of", "is", "my"), not an abbreviation ("al").
_SPLIT_SHORT_FREQ = 10 ** (5.0 - 9)
# log10 of the size of the corpus behind symspellpy's bigram counts (Google Web 1T, ~10^12).
_BIGRAM_CORPUS = 12.0


def _best_split(stage: FixOcrWords, tok: str) -> tuple[float, str, str] | None:
    """The most likely reading of ``tok`` as 2 to 4 run-together words ("werenoneofthe").

    Each part has at least two letters and is known: at least ``known_zipf`` frequent (Zipf 5
    for two-letter parts), or, for parts of six letters or more, one Zipf point less. The
    score is the parts' log frequencies, :data:`_SPLIT_LOGP` per missing space, and the
    clamped association (PMI) of each adjacent pair: "king was" is likely, "the in" is not.
    """
    low = tok.lower()
    if len(low) > 40:
        return None
    final = _segment(stage, low)
    if final is None or len(final[1]) < 2:
        return None
    return _split_option(tok, final[0], final[1], "split")


def _split_option(
    tok: str, score: float, parts: tuple[str, ...], rule: str
) -> tuple[float, str, str]:
    """A split of ``tok`` into ``parts`` (lowercase words, in order: the token's letters
    for rule ``split``, corrected ones otherwise) as an option of :func:`_decide`: the case
    of the token, a credit for its length and less :data:`_SPLIT_MARGIN`."""
    if rule == "split":  # the token's own letters, cut
        cased = apply_case(tok, tok.lower())
        pieces, pos = [], 0
        for part in parts:
            pieces.append(cased[pos : pos + len(part)])
            pos += len(part)
        text = " ".join(pieces)
    else:
        text = apply_case(tok, " ".join(parts))
    # A long string is less likely to be one unknown word than a short one: credit the split
    # with that (per letter beyond six), so "werenoneofthe" splits and "thein" does not.
    bonus = _SPLIT_LENGTH_CREDIT * max(0, len(tok) - 6)
    return score + bonus - _SPLIT_MARGIN, text, rule


def _pmi(lex: Lexicon, bigrams: Mapping[str, int], a: str, b: str) -> float:
    """The clamped association (log10 PMI, ±2) of two adjacent known words: -1 when the
    bigram list lacks the pair."""
    count = bigrams.get(f"{a} {b}", 0)
    if not count:
        return -1.0
    pmi = math.log10(count) - (math.log10(lex.freq(a)) + math.log10(lex.freq(b)) + _BIGRAM_CORPUS)
    return max(-2.0, min(2.0, pmi))


def _segment(stage: FixOcrWords, low: str) -> tuple[float, tuple[str, ...]] | None:
    """The best reading of the lowercase string ``low`` as 1 to 4 known words (the parts of
    :func:`_best_split`), with its score, or ``None``."""
    return _segment_table(stage, low)[-1]


@functools.lru_cache(maxsize=1 << 16)
def _segment_table(
    stage: FixOcrWords, low: str
) -> tuple[tuple[float, tuple[str, ...]] | None, ...]:
    """:func:`_segment` of every prefix of ``low``: item ``i`` is ``_segment(stage,
    low[:i])``. The search reads ``low`` from the left, and its state at ``i`` depends on
    ``low[:i]`` only, so one search gives them all, as they would be found one by one
    (:func:`_damaged_split` reads the prefixes)."""
    lex = load_lexicon(stage.lang, stage.user_dicts)
    bigrams = load_bigrams()
    n = len(low)
    floor = 10 ** (stage.known_zipf - 9)
    long_floor = floor / 10
    freqs = lex.freqs

    # best[j] = (score, parts) for the best segmentation of low[:j] (parts of >= 2 letters).
    best: list[tuple[float, tuple[str, ...]] | None] = [None] * (n + 1)
    best[0] = (0.0, ())
    # The ends of the prefixes segmented so far into fewer than four parts (the only i for
    # which best[i] can be extended), ascending: the same i the plain loop keeps, in order.
    ends: list[int] = [0]
    for j in range(2, n + 1):
        for i in ends:
            if i < j - 24:
                continue
            if i >= j - 1:
                break
            prev = best[i]
            assert prev is not None
            part = low[i:j]
            f = freqs.get(part, 0.0)  # lex.freq without its lowercase retry: low is lowercase
            need = long_floor if len(part) >= 6 else floor
            if f < (_SPLIT_SHORT_FREQ if len(part) == 2 else need):
                continue
            lf = math.log10(f)
            score = prev[0] + lf
            if prev[1]:
                score += _SPLIT_LOGP + _pmi(lex, bigrams, prev[1][-1], part)
            cur = best[j]
            if cur is None or score > cur[0]:
                best[j] = (score, (*prev[1], part))
        got = best[j]
        if got is not None and len(got[1]) < 4:
            ends.append(j)
    return tuple(best)


#: Tokens with fewer letters than this are not read as run-together words one of which is
#: misread (:func:`_damaged_split`), nor are misread parts shorter than three letters.
_DAMAGED_MIN_LETTERS = 6
_DAMAGED_MIN_PART = 3
#: Only tokens whose keep score plus margin is below this are read so (a lowercase unknown
#: token in a document with some noise, shift -0.75 or lower): in cleaner text an unknown
#: token is seldom a damaged pair. On the dev OCR this skips two thirds of the searches
#: (each reads new strings with the word model) for 2 characters of the gain.
_DAMAGED_MAX_BAR = -8.5


@functools.lru_cache(maxsize=1 << 16)
def _damaged_split(
    stage: FixOcrWords, tok: str, need: float = -math.inf
) -> tuple[tuple[float, str, str], ...]:
    """The best reading of ``tok`` as run-together words of which one is misread
    ("everyfamilv" → "every family", "hisbrotber" → "his brother"), as options of
    :func:`_decide` (rule ``split_fix``), best first; none scoring below ``need``.

    ``tok`` is cut in two. One side must read as 1 to 3 known words (:func:`_segment`); the
    other, of :data:`_DAMAGED_MIN_PART` letters or more and not a word, is read as the word
    model reads a token (:func:`_scored`: its best single word, prior and channel). The
    score is the sum of both, :data:`_SPLIT_LOGP` and the bigram association at the cut, as
    for :func:`_best_split` (length credit, :data:`_SPLIT_MARGIN`). A cut whose known side
    scores too low to reach ``need`` with the best reading the other side could have (the
    most frequent word of about its length, at the cheapest misreading) is not read.
    """
    lex = load_lexicon(stage.lang, stage.user_dicts)
    bigrams = load_bigrams()
    low = tok.lower()
    freqs = lex.freqs
    top = _top_logp_by_length(stage.lang, stage.user_dicts)
    # What a cut adds besides its two sides, at most: the lost space, the best association,
    # the length credit, less the margin; and the most the channel gives a misread side.
    extra = (
        _SPLIT_LOGP + 2.0 + _SPLIT_LENGTH_CREDIT * max(0, len(low) - 6) - _SPLIT_MARGIN
    ) + _channel_ceiling(stage.confusions)
    cuts: list[tuple[float, str, tuple[str, ...], bool]] = []
    prefixes = _segment_table(stage, low)  # _segment of every low[:i], in one search
    for i in range(2, len(low) - 1):
        for side, other, left in ((low[:i], low[i:], True), (low[i:], low[:i], False)):
            if len(other) < _DAMAGED_MIN_PART or freqs.get(other, 0.0) >= _SPLIT_MAX_FREQ:
                continue
            seg = prefixes[i] if left else _segment(stage, side)
            if seg is None or len(seg[1]) > 3:
                continue
            if seg[0] + extra + top[min(len(other), len(top) - 1)] >= need:
                cuts.append((seg[0], other, seg[1], left))
    best: tuple[float, tuple[str, ...]] | None = None
    for seg_score, other, words, left in sorted(cuts, reverse=True):
        read = next((o for o in _scored(stage, other, False) if o[2] == "word"), None)
        if read is None or " " in read[1]:
            continue
        word = read[1].lower()
        if left:
            parts = (*words, word)
            pmi = _pmi(lex, bigrams, words[-1], word)
        else:
            parts = (word, *words)
            pmi = _pmi(lex, bigrams, word, words[0])
        score = seg_score + read[0] + _SPLIT_LOGP + pmi
        if best is None or score > best[0]:
            best = (score, parts)
    if best is None:
        return ()
    option = _split_option(tok, best[0], best[1], "split_fix")
    return (option,) if option[0] >= need else ()


@functools.cache
def _top_logp_by_length(lang: str, user_dicts: tuple[str, ...]) -> tuple[float, ...]:
    """For each length ``n`` (up to 40), the log10 frequency of the most frequent word of
    ``n - 2`` to ``n + 2`` letters: the best prior a misread string of ``n`` letters can
    read as (the candidates of :func:`_scored` are at most two edits away)."""
    # The highest frequency of each length first, its log10 then (log10 is monotone: the
    # same maximum), rather than a log10 per word of the lexicon.
    top = [0.0] * 43
    for w, f in load_lexicon(lang, user_dicts).freqs.items():
        size = len(w)
        if size < 43 and f > top[size]:
            top[size] = f
    best = [math.log10(f) if f > 0 else -99.0 for f in top]
    return tuple(max(best[max(0, n - 2) : n + 3]) for n in range(41))


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
    >>> s = "glad of it,and so.Then see example.com or 3,5 and e.g. this"
    >>> apply_edits(s, FixGluedPunctuation().edits(s))
    'glad of it, and so. Then see example.com or 3,5 and e.g. this'
    """

    name: ClassVar[str] = "fix_glued_punctuation"
    stream_context: ClassVar[int] = 1  # lines read around a token (textfix.stream)
    known_zipf: float = 3.0
    lang: str = "en"

    def __post_init__(self) -> None:
        if not 0 <= self.known_zipf <= 8:
            msg = f"fix_glued_punctuation: known_zipf must be in [0, 8], got {self.known_zipf}"
            raise ConfigError(msg)

    def edits(self, text: str) -> Iterator[Edit]:
        if (
            "," not in text
            and ";" not in text
            and ":" not in text
            and "." not in text
            and "'" not in text
            and "’" not in text
        ):
            return
        lex = load_lexicon(self.lang)
        floor = 10 ** (self.known_zipf - 9)
        protected = _protected_spans(text)
        out: list[Edit] = []
        for m in _GLUED_RE.finditer(text):
            pos = m.end()
            if any(a <= pos < b for a, b in protected):
                continue
            before = _WORD_BEFORE_RE.search(text, max(0, m.start() - 40), m.start())
            after = _WORD_AFTER_RE.match(text[pos : pos + 40])
            if before is None or after is None:
                continue
            if lex.freq(before.group()) >= floor and lex.freq(after.group()) >= floor:
                out.append(Edit(pos, pos, " ", self.name, "space_after_punct"))
        out.extend(
            Edit(a, b, rep, self.name, rule)
            for a, b, rep, rule in _glued_marks(text, lex, floor, protected)
        )
        out.sort(key=lambda e: (e.start, e.end))
        yield from out


# A mark glued between two words where the print has a space: a speck read as a full stop
# between lowercase words or the one-letter words "a" and "I" ("walked.home", "a.good"), an
# apostrophe before a word of three letters or more ("were'quickly"; shorter right parts are
# contractions: "don't", "we're", "ne'er"), and a full stop or comma right after another mark
# ("horses,.and"). See :func:`_glued_marks`.
_SPECK_DOT_RE = regex.compile(
    r"(?<=\b(\p{Lu}\p{Ll}+|\p{Ll}{2,}|[aI]))\.(?=(\p{Ll}{2,}|a)\b)", regex.V1
)
_SPECK_APOS_RE = regex.compile(r"(?<=\b(\p{L}{2,}))['’](?=(\p{L}{2,})\b)", regex.V1)
_DOUBLE_MARK_RE = regex.compile(r"(?<=\b(\p{L}{2,})[,;:.])[.,](?=(\p{L}{2,})\b)", regex.V1)
#: Zipf a part of one, two, three or four letters needs beside a speck read as a full stop
#: (by length; of one letter only "a" and "I" pass, so "a.m.", "i.e." and "U.S.A." stay):
#: short function words ("to.his", "is.or") pass; abbreviations ("etc", "viz"), domain
#: endings and file extensions ("com", "org", "uk", "pdf", "html") do not. The two-letter
#: floor is also the floor of a two-letter word after an apostrophe, above the ends of
#: contractions ("re", "ve", "ll", "em", "st": Zipf 4.2-5.2).
_SPECK_ZIPF = {1: 6.5, 2: 5.5, 3: 5.1, 4: 4.0}
_VOWELS = frozenset("aeiouAEIOU")


def _glued_marks(
    text: str, lex: Lexicon, floor: float, protected: list[tuple[int, int]]
) -> Iterator[tuple[int, int, str, str]]:
    """The glued marks of ``text`` that are specks between two words, as edits
    ``(start, end, replacement, rule)``.

    - ``speck``: a full stop between two lowercase words, or an apostrophe before a word of
      three letters or more, with both words known (``floor``; two-letter words Zipf 5) and
      the string not a word itself: the mark becomes a space ("walked.home" → "walked home",
      "were'quickly" → "were quickly"). After an "s" the apostrophe may be a plural
      possessive ("Girls'School"): it stays and a space follows it. Lowercase words do not
      end a sentence before a lowercase word, and an apostrophe starts no English
      contraction longer than two letters. Short parts beside a full stop must be common
      (:data:`_SPECK_SHORT_ZIPF`), so abbreviations and domain names stay ("etc.and",
      "example.com"); an apostrophe between a consonant and a vowel, the shape of an elision
      ("dell'arte", "all'opera"), needs the two words attested as a bigram.
    - ``speck_join``: a full stop inside a word: the two lowercase parts joined make a known
      word and one part is not a word ("whi.ch" → "which").
    - ``double_mark``: a full stop or comma right after another mark, glued to the next
      word: it becomes a space ("horses,.and" → "horses, and").

    >>> from textfix.edits import apply_edits
    >>> from textfix.lexicon import load_lexicon
    >>> t = "walked.home whi.ch were'quickly Girls'School horses,.and example.com etc.and don't"
    >>> found = list(_glued_marks(t, load_lexicon("en"), 1e-6, []))
    >>> apply_edits(t, [Edit(a, b, r, "glued", rule) for a, b, r, rule in found])
    "walked home which were quickly Girls' School horses, and example.com etc.and don't"
    >>> sorted({rule for *_, rule in found})
    ['double_mark', 'speck', 'speck_join']
    """
    freq = lex.freq
    letter = 10 ** (_SPECK_ZIPF[1] - 9)  # the one-letter words ("a", "I")

    def known(w: str) -> bool:
        return freq(w) >= (floor if len(w) > 2 else _SPLIT_SHORT_FREQ if len(w) == 2 else letter)

    def common(w: str) -> bool:
        z = _SPECK_ZIPF.get(len(w))
        return z is None or freq(w) >= 10 ** (z - 9)

    def free(pos: int) -> bool:
        return not any(a <= pos < b for a, b in protected)

    if "." in text:
        for m in _SPECK_DOT_RE.finditer(text):
            a, b = m.group(1), m.group(2)
            if not free(m.start()) or freq(f"{a}.{b}") > 0:
                continue
            joined = freq(a + b)
            if known(a) and known(b):
                if joined >= floor or not (common(a) and common(b)):
                    continue
                yield m.start(), m.end(), " ", "speck"
            elif joined >= floor:
                yield m.start(), m.end(), "", "speck_join"
        for m in _DOUBLE_MARK_RE.finditer(text):
            if free(m.start()) and known(m.group(1)) and known(m.group(2)):
                yield m.start(), m.end(), " ", "double_mark"
    if "'" in text or "’" in text:
        bigrams: Mapping[str, int] | None = None
        for m in _SPECK_APOS_RE.finditer(text):
            a, b = m.group(1), m.group(2)
            if not (free(m.start()) and known(a) and known(b)) or (len(b) == 2 and not common(b)):
                continue
            if freq(a + b) >= floor or freq(f"{a}'{b}") > 0:
                continue
            if a[-1] not in _VOWELS and b[0] in _VOWELS:
                if bigrams is None:
                    bigrams = load_bigrams()
                if f"{a.lower()} {b.lower()}" not in bigrams:
                    continue
            if a[-1] in "sS":
                yield m.end(), m.end(), " ", "speck"
            else:
                yield m.start(), m.end(), " ", "speck"


# --- broken words ------------------------------------------------------------------------

# Runs of word characters with apostrophes and hyphens: a fragment must be a whole run.
_RUN_RE = regex.compile(r"[\p{L}\p{M}\p{N}'’-]+", regex.V1)
# The run that ends a string (matched right to left: linear however long the string).
_TAIL_RUN_RE = regex.compile(r"[\p{L}\p{M}\p{N}'’-]+\Z", regex.V1 | regex.REVERSE)
# A space inside a word costs about as much as a rare character confusion.
_JOIN_LOGP = -3.0


@register
@dataclass(frozen=True, slots=True)
class JoinBrokenWords:
    """Join a word that OCR broke with a space ("perso nally" → "personally") when the joined
    word is known and far more likely than the two fragments as words.

    Two fragments that are both words ("govern ment", "be fore") are joined on the same
    evidence unless the pair is in the bigram list or one is a single letter: "any one",
    "in to" and "a part" are written as two words often enough to be listed, "be fore" is
    not. In a noisy document (many unknown tokens, as :class:`FixOcrWords` measures it) the
    threshold is lowered by up to 1 (:data:`_JOIN_NOISE_SLOPE`).

    Args:
        threshold: Required log10 advantage of the joined word.
        known_zipf: The joined word must be at least this frequent.
        unknown_zipf: The prior (Zipf) that a fragment the lexicon lacks is a word.
        lang: Lexicon language.

    >>> from textfix.edits import apply_edits
    >>> s = "he was perso nally glad to see it in to the house"
    >>> apply_edits(s, JoinBrokenWords().edits(s))
    'he was personally glad to see it in to the house'
    """

    name: ClassVar[str] = "join_broken_words"
    stream_context: ClassVar[int] = 1  # lines read around a token (textfix.stream)
    threshold: float = 1.0
    known_zipf: float = 3.0
    unknown_zipf: float = 1.0
    lang: str = "en"

    def __post_init__(self) -> None:
        if not 0 <= self.known_zipf <= 8:
            msg = f"join_broken_words: known_zipf must be in [0, 8], got {self.known_zipf}"
            raise ConfigError(msg)

    def survey(self, text: str, earlier: object = None) -> TokenCounts:
        """Count the tokens of ``text`` (the document's noise, for :mod:`textfix.stream`), as
        :meth:`FixOcrWords.survey` does.

        >>> JoinBrokenWords().survey("a cat sat").total
        2
        """
        return FixOcrWords(lang=self.lang).survey(text)

    def edits(self, text: str, survey: TokenCounts | None = None) -> Iterator[Edit]:
        if " " not in text:
            return
        freqs = load_lexicon(self.lang).freqs
        floor = 10 ** (self.known_zipf - 9)
        unknown = _logp(self.unknown_zipf)
        # A pair is two whole runs with one space between them: the run that ends a piece of
        # text.split(" ") and the run that starts the next piece. A piece that is all letters
        # is one whole run (every letter is a run character); the others are looked at by
        # regex. Only the pairs that make a common word together are judged: one look-up per
        # pair in a set of those words, in C loops (see tests/test_fast_paths.py).
        pieces = text.split(" ")
        tails, heads = pieces.copy(), pieces.copy()
        others = itertools.compress(
            range(len(pieces)), map(operator.not_, map(str.isalpha, pieces))
        )
        for i in others:
            tails[i], heads[i] = _tail_run(pieces[i]), _head_run(pieces[i])
        common = _common_words(self.lang, self.known_zipf)
        found = map(common.__contains__, map(str.lower, map(str.__add__, tails, heads[1:])))
        hits = list(itertools.compress(range(len(pieces) - 1), found))
        if not hits:
            return
        ends = list(itertools.accumulate(map(len, pieces)))
        joined = -2  # the last pair joined: "a b c" joins at most once
        bar: float | None = None  # the noise-adjusted threshold, computed when first needed
        for i in hits:
            a, b = tails[i], heads[i + 1]
            if i == joined + 1 or not (a.isalpha() and b.isalpha() and b.islower()):
                continue
            if not (a.islower() or (a[0].isupper() and a[1:].islower())):
                continue
            fj = freqs.get(f"{a}{b}".lower(), 0.0)
            if fj < floor:
                continue
            # (b is lowercase, so it is its own lowercase form.)
            fa, fb = freqs.get(a.lower(), 0.0), freqs.get(b, 0.0)
            apart = max(math.log10(fa) if fa > 0 else -99.0, unknown) + max(
                math.log10(fb) if fb > 0 else -99.0, unknown
            )
            if fa >= floor and a.lower() == b:
                # A known word said twice ("ha ha", "bye bye") is a pair in its own right: in
                # context it is about as likely as the word once (symspellpy's bigram list
                # counts "bye bye" 1,700 times more often than the two words independently).
                apart = max(apart, math.log10(fa))
            gain = math.log10(fj) + _JOIN_LOGP - apart
            if (
                fa >= floor
                and fb >= floor
                and (min(len(a), len(b)) < 2 or f"{a} {b}".lower() in load_bigrams())
            ):
                continue  # a listed pair of words ("any one", "in to") or a letter stays apart
            if bar is None and self.threshold + _JOIN_NOISE_SLOPE * _MAX_NOISE_SHIFT <= gain:
                if gain < self.threshold:  # (the document's noise is needed only then)
                    if survey is None:
                        survey = self.survey(text)
                    bar = self.threshold + _JOIN_NOISE_SLOPE * _survey_shift(survey)
            if gain >= (self.threshold if bar is None else bar):
                space = ends[i] + i  # the space after piece i
                yield Edit(
                    space, space + 1, "", self.name, "join", _confidence(gain - self.threshold)
                )
                joined = i


#: How far the bar of a join falls with the document's noise shift (log10 per unit of
#: shift, at most 1 at the largest shift): in a noisy document a space inside a word is a
#: common misreading, so "mean while" or "pass port" need less evidence to be joined. At
#: 0.25, 21 dev records got better, 2 worse (0.5: 32 and 10).
_JOIN_NOISE_SLOPE = 0.25


#: The old-spelling table that tells a document in old spelling (``fix_ocr_words``' default).
_JOIN_SPELLINGS = "en/archaic_en"


def _survey_shift(survey: TokenCounts) -> float:
    """The noise shift of a surveyed document as :class:`FixOcrWords` takes it with its
    default settings: none in a document in old spelling (:func:`_archaic`), where unknown
    tokens are often old spellings and old compounds are often printed apart.

    >>> _survey_shift(JoinBrokenWords().survey("the cat sat on the mat"))
    0.0
    """
    shift = _shift(survey.total, survey.unknown)
    if shift < 0 and _archaic(survey.counts, _spellings(_JOIN_SPELLINGS)):
        return 0.0
    return shift


def _tail_run(piece: str) -> str:
    """The run of word characters that ends ``piece`` if it is all letters, else "\\0"."""
    if not piece or piece[-1] in _NOT_RUN:
        return "\0"
    m = _TAIL_RUN_RE.search(piece)
    return m.group() if m is not None and m.group().isalpha() else "\0"


def _head_run(piece: str) -> str:
    """The run of word characters that starts ``piece`` if it is all letters, else "\\0"."""
    if not piece or piece[0] in _NOT_RUN:
        return "\0"
    if piece[-1] in _NOT_RUN and piece[:-1].isalpha():
        return piece[:-1]  # "king," (the commonest case, without the regex)
    m = _RUN_RE.match(piece)
    return m.group() if m is not None and m.group().isalpha() else "\0"


#: Common characters that are not run characters (:data:`_RUN_RE`).
_NOT_RUN = frozenset('.,;:!?()[]"“”‘«»\n\t')


@functools.cache
def _common_words(lang: str, known_zipf: float) -> frozenset[str]:
    """The lexicon words at least ``known_zipf`` frequent: a set far smaller than the
    lexicon, so that looking up a string it lacks is quicker."""
    floor = 10 ** (known_zipf - 9)
    return frozenset(w for w, f in load_lexicon(lang).freqs.items() if f >= floor)


# --- real-word errors ---------------------------------------------------------------------


@register
@dataclass(frozen=True, slots=True)
class FixRealWordErrors:
    """Fix OCR misreadings that produce another real word ("bo" → "be", "tho" → "the",
    "bis" → "his"), choosing by the neighbouring words.

    The confusable pairs are learned from aligned OCR and ground truth (``textfix learn``;
    ``dictionaries/en/real_word_pairs.tsv``), with the share of the OCR word's occurrences
    that were that error. A token becomes the intended word when that prior, times how well
    each word fits its neighbours (bigram association), beats keeping it by ``threshold``.
    A word with no neighbour is never changed.

    Args:
        threshold: Required log10 advantage of the alternative.
        min_share: Use only pairs where the OCR word was this error at least this often
            (0.2: "tho" is nearly always "the"; "end" is rarely "and" and stays).
        low_share_threshold: Required log10 advantage for a pair below ``min_share`` (a
            word rarely that error: "hold" for "held", "he" for "be"): used only for a
            lowercase token of 2+ letters with a lowercase word adjacent on each side, when
            both together speak for the other word ("was hold at" → "held"), and for a
            capitalized token starting a name inside a sentence ("of Now Zealand");
            ``inf``: never.
        midcap: Also judge a capitalized token between two lowercase words of one paragraph
            ("laid In that", "the bower Tho banquet"), by the pairs learned for that very
            capitalized form in that context. Titles ("Policy and Its Critics") and
            paragraph starts are left alone.
        midcap_threshold: Required log10 advantage for those (0: the error must be the
            likelier reading; its prior already comes from that very context).
        midcap_style: A document whose other capitals inside sentences (common words the
            table has no row for: "sublime In new" beside "stood And", "grace The") outnumber
            the ones the table knows by more than this ratio (and are 5 or more) capitalizes
            inside sentences by style (verse, titles): its capitals are kept (0: never).
        headlines: Also judge an all-capitals token inside a heading set in capitals (a
            run of all-capitals words, most of them known) by its lowercase form beside the
            lowercase of its neighbours, capitals kept ("REPORT OF TUE" → "REPORT OF THE").
            Capitals elsewhere (acronyms) are left alone.
        titles: Name or path of the abbreviation table (``""``: none): a short capitalized
            token before a name that a learned confusion turns into a title the document
            uses before names ("Mi. Smith" → "Mr. Smith"; rule ``title``), and the OCR forms
            of "&c." closing a list ("nails, Ac." → "nails, &c."; rule ``etc``). See
            :func:`textfix.stages.abbreviations.abbreviation_edits`.
        title_min_count: The document must put the title before a capitalized word at
            least this often (and more often than the token).
        lang: Lexicon language.
        pairs: Name or path of the learned real-word pair table.
        confusions: Name or path of the learned OCR confusion table (for titles).

    >>> from textfix.edits import apply_edits
    >>> s = "It will bo done by tho end of the week."
    >>> apply_edits(s, FixRealWordErrors().edits(s))
    'It will be done by the end of the week.'
    """

    name: ClassVar[str] = "fix_real_word_errors"
    stream_context: ClassVar[int] = 2  # lines read around a token (textfix.stream)
    threshold: float = 0.25
    min_share: float = 0.2
    low_share_threshold: float = 2.5
    midcap: bool = True
    midcap_threshold: float = 0.0
    midcap_style: float = 3.0
    headlines: bool = True
    titles: str = "en/abbreviations"
    title_min_count: int = 2
    lang: str = "en"
    pairs: str = "en/real_word_pairs"
    confusions: str = "en/ocr_confusions"

    def __post_init__(self) -> None:
        count = self.title_min_count
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            msg = f"fix_real_word_errors: title_min_count must be an integer >= 1, got {count!r}"
            raise ConfigError(msg)
        if not isinstance(self.threshold, (int, float)) or math.isnan(self.threshold):
            msg = f"fix_real_word_errors: threshold must be a number, got {self.threshold!r}"
            raise ConfigError(msg)
        if not 0 <= self.min_share <= 1:
            msg = f"fix_real_word_errors: min_share must be in [0, 1], got {self.min_share}"
            raise ConfigError(msg)
        value: float = self.low_share_threshold
        if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
            msg = f"fix_real_word_errors: low_share_threshold must be a number, got {value!r}"
            raise ConfigError(msg)
        value = self.midcap_threshold
        if not isinstance(value, (int, float)) or math.isnan(value):
            msg = f"fix_real_word_errors: midcap_threshold must be a number, got {value!r}"
            raise ConfigError(msg)
        value = self.midcap_style
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
            msg = f"fix_real_word_errors: midcap_style must be a number >= 0, got {value!r}"
            raise ConfigError(msg)

    def survey(self, text: str, earlier: object = None) -> RealWordCounts:
        """Count what the stage reads from the whole document: the words before names (for
        titles) and the capitals inside sentences (for ``midcap_style``).

        >>> stage = FixRealWordErrors()
        >>> a, b = "Mr. Brown came.\\n", "He saw Mr. Hall.\\n"
        >>> stage.survey(a) + stage.survey(b) == stage.survey(a + b)
        True
        """
        table = load_real_word_pairs(self.pairs)
        keyed, other = _midcap_counts(text, list(_TOKEN_RE.finditer(text)), table, self.lang)
        return RealWordCounts(title_counts(text) if self.titles else Counter(), keyed, other)

    def edits(self, text: str, survey: RealWordCounts | None = None) -> Iterator[Edit]:
        tokens = list(_TOKEN_RE.finditer(text))
        memo: list[bool] = []

        def styled() -> bool:
            """Whether the document capitalizes inside sentences by style (computed once,
            from the survey or this text, only when a capital inside a sentence is met)."""
            if not memo:
                counts = survey
                if counts is None:
                    table = load_real_word_pairs(self.pairs)
                    counts = RealWordCounts(
                        Counter(), *_midcap_counts(text, tokens, table, self.lang)
                    )
                memo.append(self.midcap_style > 0 and counts.styled(self.midcap_style))
            return memo[0]

        found: list[Edit] = []
        if self.titles:
            found.extend(
                Edit(start, end, rep, self.name, rule, conf)
                for start, end, rep, rule, conf in abbreviation_edits(
                    text,
                    table=self.titles,
                    confusions=self.confusions,
                    pairs=self.pairs,
                    min_count=self.title_min_count,
                    before_name=None if survey is None else survey.before_name,
                    tokens=tokens,
                )
            )
        found.extend(self._word_edits(text, tokens, styled, {e.start for e in found}))
        if not found:
            return
        found.sort(key=_START)
        # A change alters the context of its neighbours ("was hold" after "wns" became
        # "was"): they are judged again with the change, so that the output gets no edit of
        # its own (as fix_context_words does).
        for _ in range(_MAX_REJUDGE_ROUNDS):
            more = self._rejudged(text, found, styled)
            if not more:
                break
            found = sorted(found + more, key=_START)
        yield from found

    def _rejudged(self, text: str, found: list[Edit], styled: Callable[[], bool]) -> list[Edit]:
        """The edits, in ``text``'s offsets, that the words next to the ``found`` edits get
        when judged in the text with those edits applied."""
        changed = apply_edits(text, found)
        spans = []  # (start, end) of each edit in ``changed``, and its length change
        shift = 0
        for e in found:
            spans.append((e.start + shift, e.start + shift + len(e.replacement), shift))
            shift += len(e.replacement) - (e.end - e.start)
        tokens = list(_TOKEN_RE.finditer(changed))
        starts = [m.start() for m in tokens]
        edited = {s for s, _, _ in spans}
        only = set()
        for s, _, _ in spans:
            j = bisect.bisect_left(starts, s)
            for k in (j - 1, j + 1):
                if 0 <= k < len(tokens) and starts[k] not in edited:
                    only.add(k)
        if not only:
            return []
        out = []
        new_starts = [s for s, _, _ in spans]
        for e in self._word_edits(changed, tokens, styled, set(), sorted(only)):
            k = bisect.bisect_right(new_starts, e.start) - 1  # the last edit before it
            if k >= 0 and e.start < spans[k][1]:
                continue  # inside a change (cannot happen: only unchanged words are judged)
            # Length change of the edits before it: spans[k][2] is the one before edit k.
            cum = 0
            if k >= 0:
                f = found[k]
                cum = spans[k][2] + len(f.replacement) - (f.end - f.start)
            start, end = e.start - cum, e.end - cum
            out.append(Edit(start, end, e.replacement, e.stage, e.rule, e.confidence))
        return out

    def _word_edits(
        self,
        text: str,
        tokens: list[regex.Match[str]],
        styled: Callable[[], bool],
        done: set[int],
        only: list[int] | None = None,
    ) -> Iterator[Edit]:
        """The word edits of ``text``: not of the tokens starting at ``done``, and only of
        the tokens of index ``only`` (sorted; ``None``: all). ``styled()``: whether the
        document capitalizes inside sentences by style (see :meth:`RealWordCounts.styled`)."""
        table = load_real_word_pairs(self.pairs)
        strings = list(map(_GROUP, tokens))
        # The distinct tokens that have learned pairs (as printed, or lowercased), found by
        # set operations in C, and only their occurrences visited.
        distinct = list(set(strings) if only is None else {strings[i] for i in only})
        has = table.__contains__
        paired = set(itertools.compress(distinct, map(has, distinct)))
        paired.update(itertools.compress(distinct, map(has, map(str.lower, distinct))))
        if not paired:
            return
        breaks = _LINE_END_HYPHEN_RE.search(text) is not None  # (see _at_line_break)
        lex = bigrams = None
        floor = math.log10(max(self.min_share, 1e-9))
        headlines: frozenset[int] | None = None
        strict = self.low_share_threshold < math.inf
        if only is None:
            visit: Iterable[int] = itertools.compress(
                range(len(strings)), map(paired.__contains__, strings)
            )
        else:
            visit = [i for i in only if strings[i] in paired]
        for i in visit:
            tok = strings[i]
            m = tokens[i]
            if done and m.start() in done:
                continue
            strict_below = -math.inf  # pairs rarer than this need low_share_threshold
            midcap = False
            alts = table.get(tok.lower())
            if tok.islower() or _title_at_start(text, tok, m.start()):
                pass
            elif self.headlines and len(tok) > 1 and tok.isupper():
                # A word of a heading in capitals is text ("OF TUE"): judged by its
                # lowercase form beside the lowercase of its neighbours, capitals kept.
                if headlines is None:
                    freqs = load_lexicon(self.lang).freqs
                    headlines = _caps_runs(strings, freqs, 10 ** (_HEADLINE_KNOWN_ZIPF - 9))
                if i not in headlines:
                    continue
            elif (
                self.midcap
                and _titlecase(tok)
                and tok in table
                and _inside_lowercase(text, tokens, i)
            ):
                # A capital between two lowercase words, in one paragraph: only the pairs
                # learned for that very form in that context ("In" -> "in", "Tho" -> "The").
                # (Gating this on the document's noise level does not work here: the
                # earlier word stages have already fixed most of the noise.)
                if styled():
                    continue
                alts = table.get(tok)
                midcap = True
            elif _titlecase(tok) and alts is not None:
                # Elsewhere a capital may start a sentence whose full stop the OCR lost
                # ("the mail Tho committee"): the word's own misreadings, when they are most
                # of its occurrences, with its capital kept. Inside a name (a lowercase word
                # before, a capital after: "of Now Zealand") its rarer misreadings too, by
                # the stricter low_share_threshold.
                if strict and _in_name(text, tokens, i):
                    strict_below = math.log10(_TITLE_MIN_SHARE)
                else:
                    alts = tuple(a for a in alts if a[1] >= math.log10(_TITLE_MIN_SHARE))
            else:
                continue
            if alts is None:
                continue
            # Pairs below min_share ("he" for "be"): for a lowercase token with a lowercase
            # word on each side, by the stricter low_share_threshold (a capital next is
            # often a lost "?" or "!": "years t This").
            if (
                strict
                and tok.islower()
                and len(tok) >= _LOW_SHARE_MIN_LEN
                and 0 < i < len(tokens) - 1
                and strings[i + 1][:1].islower()
            ):
                strict_below = floor
            elif strict_below == -math.inf:
                alts = tuple(a for a in alts if a[1] >= floor)
            if not alts:
                continue
            if any(_hyphen_neighbours(text, m.start(), m.end())) or _by_apostrophe(text, m):
                continue
            if len(tok) == 1 and _after_number(text, m.start()):
                continue  # a unit ("1,234.5 m long"), not a misread "in"
            if breaks and _at_line_break(text, m.start(), m.end()):
                continue
            prev = strings[i - 1].lower() if i and _adjacent(text, tokens[i - 1], m) else ""
            nxt = (
                strings[i + 1].lower()
                if i + 1 < len(tokens) and _adjacent(text, m, tokens[i + 1])
                else ""
            )
            if not prev and not nxt:
                continue
            if lex is None:
                lex, bigrams = load_lexicon(self.lang), load_bigrams()
            assert bigrams is not None
            low = tok.lower()
            p_err = sum(10**lp for _, lp in alts)
            keep = math.log10(max(1e-3, 1.0 - p_err)) + _fit(lex, bigrams, prev, low, nxt)
            bar = self.midcap_threshold if midcap else self.threshold
            best: tuple[float, str] | None = None  # (margin over the bar, word)
            for w, lp in alts:
                if lp >= max(floor, strict_below):
                    need = bar
                elif prev and nxt:
                    need = max(bar, self.low_share_threshold)
                else:
                    continue
                margin = lp + _fit(lex, bigrams, prev, w.lower(), nxt) - keep - need
                if best is None or margin > best[0]:
                    best = (margin, w)
            if best is not None and best[0] >= 0:
                gain = best[0]
                rep = best[1] if midcap else apply_case(tok, best[1])
                if _lowers_line_start(text, m.start(), tok, rep):
                    continue  # the reflow, which ran before, kept the line for its capital
                rule = "case" if rep.lower() == low else "real_word"
                yield Edit(m.start(), m.end(), rep, self.name, rule, _confidence(gain))


_START = operator.attrgetter("start")
#: Rounds of judging again the neighbours of changed words (one more is rarely needed).
_MAX_REJUDGE_ROUNDS = 3
#: Pairs below min_share are judged only for tokens this long: a stray letter is as often
#: punctuation misread ("years t This") as a short word.
_LOW_SHARE_MIN_LEN = 2
#: A Titlecase token outside a sentence start and outside the learned midcap context takes
#: only the pairs learned for its lowercase form that were at least this often right.
_TITLE_MIN_SHARE = 0.5
#: Capitals inside sentences count as a document's style only when there are this many.
_STYLE_MIN_CAPS = 5
#: Common words (Zipf) whose capitals inside a sentence show a style, not a misreading.
_STYLE_ZIPF = 5.0


class RealWordCounts:
    """The survey of :class:`FixRealWordErrors`: what it reads from the whole document.

    Surveys add: ``a + b`` (or ``a += b``) is the survey of the two texts together (cut at a
    line break: everything counted stands on one line).

    Attributes:
        before_name: How often each short capitalized word stands before a capitalized word,
            and each short word occurs in lowercase
            (:func:`~textfix.stages.abbreviations.title_counts`).
        keyed: Titlecase tokens between two lowercase words that the pair table has a row
            for ("In", "Tho": the learned misreadings).
        other: Those of other common words ("And", "The", "With").
    """

    __slots__ = ("before_name", "keyed", "other")

    def __init__(self, before_name: Counter[str], keyed: int, other: int) -> None:
        self.before_name = before_name
        self.keyed = keyed
        self.other = other

    def styled(self, ratio: float) -> bool:
        """Whether the document capitalizes common words inside sentences by style: verse,
        whose lines start with a capital, and titles have many capitals of other common
        words; OCR text whose capitals are misreadings has few of them beside the learned
        forms."""
        return self.other >= _STYLE_MIN_CAPS and self.other > ratio * self.keyed

    def __iadd__(self, other: RealWordCounts) -> RealWordCounts:
        self.before_name.update(other.before_name)
        self.keyed += other.keyed
        self.other += other.other
        return self

    def __add__(self, other: RealWordCounts) -> RealWordCounts:
        out = RealWordCounts(Counter(self.before_name), self.keyed, self.other)
        out += other
        return out

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RealWordCounts):
            return NotImplemented
        return (self.before_name, self.keyed, self.other) == (
            other.before_name,
            other.keyed,
            other.other,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __reduce__(self) -> tuple[type[RealWordCounts], tuple[Counter[str], int, int]]:
        return (RealWordCounts, (self.before_name, self.keyed, self.other))


def _midcap_counts(
    text: str,
    tokens: list[regex.Match[str]],
    table: Mapping[str, tuple[tuple[str, float], ...]],
    lang: str,
) -> tuple[int, int]:
    """Count the Titlecase tokens between two lowercase words of the same line (see
    :class:`RealWordCounts`): ``(keyed, other)``."""
    freqs = load_lexicon(lang).freqs
    floor = 10 ** (_STYLE_ZIPF - 9)
    keyed = other = 0
    for i, m in enumerate(tokens):
        tok = m.group()
        if not _titlecase(tok) or not _inside_lowercase(text, tokens, i):
            continue
        if "\n" in text[tokens[i - 1].end() : tokens[i + 1].start()]:
            continue  # one line only: a survey of lines adds up
        if tok in table:
            keyed += 1
        elif freqs.get(tok.lower(), 0.0) >= floor:
            other += 1
    return keyed, other


#: The most an unlisted pair counts for (log10 association): mildly against, at best.
_ABSENT_CAP = -0.5


#: A token after a number is read as a unit or a code ("24 kW", "3 cwt", "6 qrs") when it has
#: at most this many letters, or is in capitals or holds a digit; a longer word in lower case
#: ("25 vears", "52 ucres") is judged as any other.
_UNIT_MAX_LETTERS = 4


def _unit_like(tok: str) -> bool:
    """Whether ``tok`` after a number may be a unit or a code, and is left alone.

    >>> _unit_like("kW"), _unit_like("cwt"), _unit_like("vears"), _unit_like("MILES")
    (True, True, False, True)
    """
    return len(tok) <= _UNIT_MAX_LETTERS or not tok.isalpha() or tok.isupper()


def _after_number(text: str, start: int) -> bool:
    """Whether the token follows a number (only spaces between): a unit or a code."""
    i = start - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    return i >= 0 and text[i].isdigit()


def _by_apostrophe(text: str, m: regex.Match[str]) -> bool:
    """Whether the token is part of a word with an apostrophe ("don't", "Stalin's")."""
    s, e = m.span()
    return (s > 0 and text[s - 1] in "'’") or (e < len(text) and text[e] in "'’")


def _in_name(text: str, tokens: list[regex.Match[str]], i: int) -> bool:
    """Whether token ``i`` starts a name inside a sentence: a lowercase word before it and a
    capitalized word after it, only spaces between ("of Now Zealand")."""
    if not 0 < i < len(tokens) - 1:
        return False
    a, m, b = tokens[i - 1], tokens[i], tokens[i + 1]
    return (
        a.group().islower()
        and b.group()[:1].isupper()
        and _adjacent(text, a, m)
        and _adjacent(text, m, b)
    )


def _titlecase(tok: str) -> bool:
    return len(tok) > 1 and tok[0].isupper() and tok[1:].islower()


def _inside_lowercase(text: str, tokens: list[regex.Match[str]], i: int) -> bool:
    """Whether token ``i`` stands between two lowercase words with only spaces around it and
    no blank line before it: inside a sentence of running text, not in a heading or a title
    ("Policy and Its Critics") nor at the start of a paragraph."""
    if not 0 < i < len(tokens) - 1:
        return False
    a, b = tokens[i - 1], tokens[i + 1]
    if not (a.group().islower() and b.group()[:1].islower()):
        return False
    gap = text[a.end() : tokens[i].start()]
    return _adjacent(text, a, tokens[i]) and gap.count("\n") < 2 and _adjacent(text, tokens[i], b)


def _title_at_start(text: str, tok: str, start: int) -> bool:
    return tok[:1].isupper() and tok[1:].islower() and _sentence_start(text, start)


def _adjacent(text: str, a: regex.Match[str], b: regex.Match[str]) -> bool:
    """Whether only spaces (no punctuation) separate two tokens."""
    gap = text[a.end() : b.start()]
    return 0 < len(gap) <= 3 and gap.isspace()


@functools.cache
def _bigram_floor() -> float:
    """log10 of the smallest count in the bigram list: an unlisted pair occurred fewer times."""
    return math.log10(min(load_bigrams().values(), default=1))


def _fit(lex: Lexicon, bigrams: Mapping[str, int], prev: str, w: str, nxt: str) -> float:
    """How well ``w`` fits between its neighbours: summed bigram association (PMI), clamped.

    An unattested bigram of two known words counts as evidence against the pair as far as
    its expected count under independence lies above the list's floor (at most
    :data:`_ABSENT_CAP`, at least -2 as any association is clamped); a neighbour that is
    not a known word says nothing.
    """
    fw = lex.freq(w)
    if fw <= 0:
        return -2.0
    lw = math.log10(fw)
    total = 0.0
    for a, b, other in ((prev, w, prev), (w, nxt, nxt)):
        if not other:
            continue
        fo = lex.freq(other)
        if fo <= 0:
            continue
        c = bigrams.get(f"{a} {b}", 0)
        expected = lw + math.log10(fo) + _BIGRAM_CORPUS
        if c:
            pmi = math.log10(c) - expected
        else:
            # Unlisted: the count is below the list's floor, so the association is at most
            # floor - expected. For two common words that bound is low (evidence against
            # the pair); for a rare word the pair was never expected to be listed, and its
            # absence says little ("the lie always": "lie always" is unlisted).
            pmi = min(_ABSENT_CAP, _bigram_floor() - expected)
        total += max(-2.0, min(2.0, pmi))
    return total
