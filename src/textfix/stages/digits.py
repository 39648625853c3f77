"""Letter/digit confusions, judged by context, in both directions.

OCR reads look-alike glyphs across the letter/digit line: the pronoun "I" as "1", "than" as
"1han", "she" as "8he", and the other way round "18th" as "i8th" and "18" as "l8". The word
stages leave every token that holds a digit alone (numbers, dates and amounts must never be
damaged), so these tokens need their own judge, with its own bars:

- a **digit token among words** ("and 1 will") is read as a word when the learned channel
  reads its digits as letters and that word fits the word after it (bigram association)
  clearly: a number before a word ("1 acre") fits as "I" no better than "I acre" does;
  once a document shows that its engine prints "I" as "1", a weaker fit will do;
- a **token mixing letters and digits** ("1han", "a11") is read as a word when reading its
  digits as the letters the channel prints them for gives a common word, by a clear margin
  over every other reading, and no neighbour holds a digit;
- **digits after a word's apostrophe** ("heaven'6") are read as the ending the channel
  reads for them, when the word with that ending is known;
- a **number with look-alike letters** ("l8", "18I3", "i8th") is read as the number when
  its letters are ones the channel prints for one digit (lowercase ones anywhere but last,
  capitals only between digits or before an ordinal ending), an ordinal ending agrees with
  the number ("18th", not "18st"), and no word reading of the token is likely.

Which letters stand for which digits is learned: the letter/digit rows of the OCR confusion
table. Every rule needs the token to stand on its own (no "£", "/", "-", "." or "," glued
to it, as in "£1", "1/2", "3.15"), so amounts, dates and codes are not read.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import regex

from textfix.edits import Edit
from textfix.errors import ConfigError
from textfix.lexicon import load_bigrams, load_lexicon
from textfix.registry import register

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

__all__ = ["FixLetterDigits"]

# A token: letters, marks and digits (apostrophes, hyphens and stops split tokens).
_TOKEN_RE = regex.compile(r"[\p{L}\p{M}\p{N}]+", regex.V1)
# Characters that glue a token into an amount, a date, a code or a number ("£1", "1/2",
# "3.15", "1,000", "No-1", "#4"): a token with one of them on either side is not judged.
_GLUE_BEFORE = frozenset("£$€¥#№/\\-–—.,:+*=%&@_~^'’")
_GLUE_AFTER = frozenset("£$€¥#№/\\-–—+*=%&@_~^'’")
# Between two tokens of one sentence: spaces, at most one line break.
_SENTENCE_END = frozenset(".!?")
_OPENERS = frozenset("\"'“‘«([")
_ORDINAL_RE = regex.compile(r"^(?P<head>.+?)(?P<suffix>st|nd|rd|th|d)$")

#: A digit reads as a letter (or the other way) when the confusion table has seen it at
#: least this often.
_MIN_COUNT = 2
#: A letter is read for a digit inside a number when the table has seen it for that digit
#: this often, and this many times more often than for any other digit.
_NUMBER_MIN_COUNT = 15
#: A word read out of a mixed token must be at least this common (Zipf) ...
_MIXED_MIN_ZIPF = 4.0
#: ... and beat every other reading by this much (log10, frequency times channel).
_MIXED_MARGIN = 1.0
#: The most digits a mixed token may hold (the readings multiply).
_MIXED_MAX_DIGITS = 3
#: A word with the ending read out of digits after its apostrophe must be this common (Zipf).
_CLITIC_MIN_ZIPF = 2.5
#: A token is not read as a number when a word reading scores this well ("i1": "if", "it").
_NUMBER_MAX_WORD = 3.0
#: A word read out of a digit token must not fit its left neighbour worse than this.
_LEFT_FLOOR = -0.5
#: ... or, on the document's evidence, worse than this.
_DOC_LEFT_FLOOR = -1.0
#: A digit token is read as letters the channel prints it for at least this likely (log10):
#: "1" as "I", not as the rarer "a" ("1 horse" stays).
_DIGIT_WORD_MIN_LOGP = -2.5


@functools.cache
def _digit_letters(confusions: str) -> Mapping[str, tuple[tuple[str, float], ...]]:
    """Digit string → the letter strings the table has seen printed as it, with log10
    P(digits | letters), commonest first ("1" → "I", "l", "t", ...; "11" → "ll")."""
    from textfix.stages.words import resolve_counts

    out: dict[str, dict[str, float]] = {}
    for (gt, ocr), (count, lp) in resolve_counts(confusions).items():
        if count < _MIN_COUNT or not ocr.isdigit() or not gt.isalpha():
            continue
        low = gt.lower()
        row = out.setdefault(ocr, {})
        row[low] = max(row.get(low, -math.inf), lp)
    return {d: tuple(sorted(row.items(), key=lambda kv: -kv[1])) for d, row in sorted(out.items())}


@functools.cache
def _capital_digits(confusions: str) -> frozenset[str]:
    """The digits the table has seen printed for capitals more often than for lowercase
    letters ("8" for "S", "1" for "I")."""
    from textfix.stages.words import resolve_counts

    upper: dict[str, int] = {}
    lower: dict[str, int] = {}
    for (gt, ocr), (count, _lp) in resolve_counts(confusions).items():
        if len(ocr) == 1 and ocr.isdigit() and gt.isalpha():
            side = upper if gt.isupper() else lower
            side[ocr] = side.get(ocr, 0) + count
    return frozenset(d for d, n in upper.items() if n > lower.get(d, 0))


def _letter_digit(confusions: str) -> Mapping[str, str]:
    """Letter → the digit it is printed for inside numbers, when one digit clearly
    dominates (the table :mod:`textfix.stages.amounts` reads "Is." with, on more evidence)."""
    from textfix.stages.amounts import _letter_digits

    return _letter_digits(confusions, _NUMBER_MIN_COUNT)


def _ordinal_ok(number: str, suffix: str) -> bool:
    """Whether ``suffix`` is the English ordinal ending of ``number`` ("1st", "2d", "11th").

    >>> _ordinal_ok("18", "th"), _ordinal_ok("21", "st"), _ordinal_ok("12", "nd")
    (True, True, False)
    """
    n = int(number)
    if 10 <= n % 100 <= 20:
        return suffix == "th"
    last = n % 10
    if last == 1:
        return suffix == "st"
    if last == 2:
        return suffix in ("nd", "d")
    if last == 3:
        return suffix in ("rd", "d")
    return suffix == "th"


def read_number(tok: str, confusions: str = "en/ocr_confusions") -> str | None:
    """The number a token of digits and look-alike letters stands for, or ``None``.

    The token must hold a digit; its letters must all be ones the channel prints for one
    digit (:func:`_letter_digit`). Lowercase ones may stand anywhere ("l8"); capitals only
    between two digits or before an ordinal ending ("1S43", "3Cth"), since a capital before
    digits starts many codes ("S12", "I5"). An ordinal ending must fit the number.

    >>> read_number("l8"), read_number("i8th"), read_number("18I3"), read_number("18st")
    ('18', '18th', '1813', None)
    >>> read_number("A320"), read_number("S12"), read_number("4th"), read_number("lo")
    (None, None, None, None)
    """
    suffix = ""
    head = tok
    m = _ORDINAL_RE.match(tok)
    if m is not None and any(c.isdigit() for c in m["head"]):
        head, suffix = m["head"], m["suffix"]
    if len(head) < 2 or not any(c.isdigit() for c in head) or head.isdigit():
        return None
    table = _letter_digit(confusions)
    out = []
    for i, c in enumerate(head):
        if c.isdigit():
            out.append(c)
            continue
        digit = table.get(c)
        if digit is None or not c.isascii():
            return None
        if c.isupper():
            inside = 0 < i < len(head) - 1 and head[i - 1].isdigit() and head[i + 1].isdigit()
            if not (inside or (suffix and i == len(head) - 1 and head[i - 1].isdigit())):
                return None
        elif i == len(head) - 1 and not suffix:
            return None  # a letter after digits is more often a unit or a fraction ("88i")
        out.append(digit)
    number = "".join(out)
    if number[0] == "0" or (suffix and not _ordinal_ok(number, suffix)):
        return None
    return number + suffix


def _readings(tok: str, confusions: str) -> tuple[tuple[float, str], ...]:
    """The words a token with digits can be read as: each digit replaced by letters the
    channel prints it for, with the summed log10 channel probability; lowercase."""
    return _readings_of(tok.lower(), confusions)


@functools.lru_cache(maxsize=8192)
def _readings_of(low: str, confusions: str) -> tuple[tuple[float, str], ...]:
    if sum(c.isdigit() for c in low) > _MIXED_MAX_DIGITS:
        return ()  # the readings multiply with each digit: a long number is not a word
    table = _digit_letters(confusions)
    options: list[list[tuple[str, float]]] = []
    i = 0
    while i < len(low):
        c = low[i]
        if not c.isdigit():
            options.append([(c, 0.0)])
            i += 1
            continue
        pair = low[i : i + 2]
        if len(pair) == 2 and pair.isdigit() and pair in table:
            # A pair of digits may stand for a pair of letters ("11" for "ll").
            singles = [
                (a + b, la + lb)
                for (a, la), (b, lb) in itertools.product(
                    table.get(c, ()), table.get(low[i + 1], ())
                )
            ]
            options.append([*table[pair], *singles])
            i += 2
            continue
        row = table.get(c)
        if not row:
            return ()
        options.append(list(row))
        i += 1
    best: dict[str, float] = {}
    for combo in itertools.product(*options):
        word = "".join(s for s, _lp in combo)
        best[word] = max(best.get(word, -math.inf), sum(lp for _s, lp in combo))
    return tuple((lp, word) for word, lp in best.items())


def _word_score(tok: str, confusions: str, lang: str) -> float:
    """The best score (Zipf plus log10 channel probability) of a word reading of ``tok``."""
    lex = load_lexicon(lang)
    return max(
        (lex.zipf(w) + lp for lp, w in _readings(tok, confusions) if lex.zipf(w) > 0),
        default=-math.inf,
    )


def read_word(tok: str, confusions: str = "en/ocr_confusions", lang: str = "en") -> str | None:
    """The common word a token mixing letters and digits stands for, or ``None``.

    Every reading of its digits as letters (:func:`_readings`) is scored by the word's
    frequency times the channel's probability; the best must be a common word (Zipf
    :data:`_MIXED_MIN_ZIPF`), at least as likely as not misread, and beat the next reading
    by :data:`_MIXED_MARGIN`. Lowercase; the caller restores the case.

    >>> read_word("1han"), read_word("a11"), read_word("8he"), read_word("no1")
    ('than', 'all', 'she', None)
    >>> read_word("1st"), read_word("4th"), read_word("10th"), read_word("1in"), read_word("mp3")
    (None, None, None, None, None)
    """
    if sum(c.isdigit() for c in tok) > _MIXED_MAX_DIGITS or len(tok) < 3:
        return None
    if tok[:2].isdigit() or (tok[0].isdigit() and sum(c.isalpha() for c in tok) < 2):
        return None  # a number with a unit or an ordinal ending ("10s", "11th", "3d")
    lex = load_lexicon(lang)
    scored = []
    for lp, word in _readings(tok, confusions):
        z = lex.zipf(word)
        if z > 0:
            scored.append((z + lp, z, word))
    if not scored:
        return None
    scored.sort(reverse=True)
    score, z, word = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else -math.inf
    if z < _MIXED_MIN_ZIPF or score < _MIXED_SCORE or score - runner_up < _MIXED_MARGIN:
        return None
    return word


#: The least score (Zipf of the word plus log10 channel probability) of a mixed token's
#: reading: "1han" → "than" scores 6.1 - 4.6 = 1.5, "1in" → "tin" 4.0 - 4.6 < 0.
_MIXED_SCORE = 1.0


@functools.lru_cache(maxsize=65536)
def _fits(lang: str, prev: str, word: str, nxt: str) -> tuple[float, float]:
    """(left, right) bigram association of ``word`` with its neighbours (0 when absent)."""
    from textfix.stages.words import _fit

    lex, bigrams = load_lexicon(lang), load_bigrams()
    left = _fit(lex, bigrams, prev, word, "") if prev else 0.0
    right = _fit(lex, bigrams, "", word, nxt) if nxt else 0.0
    return left, right


def _sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in _OPENERS):
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _gap_ok(gap: str) -> bool:
    """Whether a gap between two tokens keeps them in one line of text: spaces and at most
    one line break, with punctuation of running text (not a digit glue) allowed."""
    return gap.count("\n") <= 1 and len(gap) <= 6


def _glued(text: str, start: int, end: int) -> bool:
    """Whether a mark joins the token to a letter or digit on either side ("8l!vered")."""
    before = text[start - 2 : start] if start >= 2 else ""
    after = text[end : end + 2]
    return (len(before) == 2 and not before[1].isspace() and before[0].isalnum()) or (
        len(after) == 2 and not after[0].isspace() and after[1].isalnum()
    )


def _number_near(text: str, tokens: list[regex.Match[str]], k: int) -> bool:
    """Whether the second token before or after token ``k`` is a number on the same line."""
    for j in (k - 2, k + 2):
        if 0 <= j < len(tokens) and _has_digit(tokens[j].group()):
            a, b = sorted((tokens[j].start(), tokens[k].start()))
            if "\n" not in text[a:b]:
                return True
    return False


_DIGIT_RE = regex.compile(r"\d")
_DIGITS_RE = regex.compile(r"\d+")
# A digit a decision can be made on: one beside a letter (or another character of a token
# that is not a digit: "1han", "l8"), or a lone digit ("1", "01") before a word. A number of
# digits only ("1887") is never changed, and is read only as a neighbour of these.
_CANDIDATE_DIGIT_RE = regex.compile(
    r"(?<=[\p{L}\p{M}\p{N}--\d])\d|\d(?=[\p{L}\p{M}\p{N}--\d])"
    r"|(?<![\p{L}\p{M}\p{N}])0?\d(?=\s{1,6}\p{L})"
    r"|(?<=\p{L}['’])\d",
    regex.V1,
)
# A token of one digit, or of two starting with 0, before a word: the only ones read as words
# on the bar of ``min_fit`` (see FixLetterDigits._digit_token), so the only lines a survey
# must judge.
_LONE_DIGIT_RE = regex.compile(r"(?<![\p{L}\p{M}\p{N}])0?\d(?=\s{1,6}\p{L})", regex.V1)
_START = regex.Match.start


#: Characters read on either side of a digit: the tokens a decision looks at (two on each side)
#: lie within it unless they are absurdly long.
_MARGIN = 80


def _stretches(text: str) -> Iterator[tuple[list[regex.Match[str]], list[int]]]:
    """The stretches of ``text`` around the digits a decision can be made on
    (:data:`_CANDIDATE_DIGIT_RE`; :data:`_MARGIN` characters on either side, overlapping
    ones merged): the tokens of each, and the indexes of the tokens with such a digit. Most
    of a text is far from any such digit and is not tokenized at all.

    >>> t = "a 1 bb c3 dd 45"
    >>> [([m.group() for m in toks], ks) for toks, ks in _stretches(t)]
    [(['a', '1', 'bb', 'c3', 'dd', '45'], [1, 3])]
    """
    spans: list[list[int]] = []
    for d in _CANDIDATE_DIGIT_RE.finditer(text):
        lo, hi = max(0, d.start() - _MARGIN), min(len(text), d.end() + _MARGIN)
        if spans and lo <= spans[-1][1]:
            spans[-1][1] = hi
        else:
            spans.append([lo, hi])
    match = _TOKEN_RE.match
    for lo, hi in spans:
        tokens = list(_TOKEN_RE.finditer(text, lo, hi))
        # A token cut by an edge of the stretch is not a token of the text.
        if tokens and lo > 0 and tokens[0].start() == lo and match(text, lo - 1, lo):
            tokens.pop(0)
        if tokens and hi < len(text) and tokens[-1].end() == hi and match(text, hi, hi + 1):
            tokens.pop()
        starts = list(map(_START, tokens))
        found: list[int] = []
        for d in _CANDIDATE_DIGIT_RE.finditer(text, lo, hi):
            k = bisect.bisect_right(starts, d.start()) - 1
            if k >= 0 and tokens[k].end() > d.start() and (not found or found[-1] != k):
                found.append(k)
        yield tokens, found


def _has_digit(s: str) -> bool:
    return _DIGIT_RE.search(s) is not None


@register
@dataclass(frozen=True, slots=True)
class FixLetterDigits:
    """Fix letters read as digits and digits read as letters, by context ("and 1 will" →
    "and I will", "1han" → "than", "l8 years" → "18 years", "the i8th of May" → "the 18th
    of May"), leaving genuine numbers, amounts, dates and codes alone.

    Rules: ``digit_word``, ``digit_word_doc`` (on the document's evidence, see
    :meth:`survey`), ``mixed_word``, ``clitic`` and ``letter_number``.

    Args:
        min_fit: How well (bigram association, log10) the word read out of a digit token
            must fit the word after it ("1 will" → "I will": "i will" is a common pair;
            "1 acre" stays).
        doc_evidence: Once this many digit tokens of a document were read as one word on
            the ``min_fit`` bar, read the others like them whenever the word fits the next
            word no worse than an unseen pair of known words (rule ``digit_word_doc``);
            0 turns this off.
        numbers: Also read numbers printed with look-alike letters ("l8", "i8th").
        confusions: Name or path of the OCR confusion table (which digits are printed for
            which letters).
        lang: Lexicon language.

    >>> from textfix.edits import apply_edits
    >>> s = "Then 1 will go, and a11 later 1han the l8th of May; 1 acre at £1 1s."
    >>> apply_edits(s, FixLetterDigits().edits(s))
    'Then I will go, and all later than the 18th of May; 1 acre at £1 1s.'
    """

    name: ClassVar[str] = "fix_letter_digits"
    stream_context: ClassVar[int] = 2  # lines read around a token (textfix.stream)
    min_fit: float = 0.5
    doc_evidence: int = 3
    numbers: bool = True
    confusions: str = "en/ocr_confusions"
    lang: str = "en"

    def __post_init__(self) -> None:
        if not isinstance(self.min_fit, (int, float)) or math.isnan(self.min_fit):
            msg = f"fix_letter_digits: min_fit must be a number, got {self.min_fit!r}"
            raise ConfigError(msg)
        if not isinstance(self.doc_evidence, int) or self.doc_evidence < 0:
            msg = f"fix_letter_digits: doc_evidence must be a count >= 0, got {self.doc_evidence!r}"
            raise ConfigError(msg)
        for field in ("confusions", "lang"):
            if not isinstance(getattr(self, field), str):
                msg = f"fix_letter_digits: {field} must be a string"
                raise ConfigError(msg)

    def survey(self, text: str, earlier: object = None) -> Counter[tuple[str, str]]:
        """How often each digit token of ``text`` was read as each word on the ``min_fit``
        bar, each line judged on its own: the document's evidence for ``doc_evidence``.

        Judged line by line, the counts of pieces of a text cut at line breaks add up to
        those of the whole, so :mod:`textfix.stream` can survey a large file piece by piece.

        >>> stage = FixLetterDigits()
        >>> stage.survey("Then 1 will go.\\nNow 1 am here.\\n")
        Counter({('1', 'i'): 2})
        """
        sure: Counter[tuple[str, str]] = Counter()
        end = 0
        for d in _LONE_DIGIT_RE.finditer(text):
            if d.start() < end:
                continue  # in the line just judged
            start = text.rfind("\n", 0, d.start()) + 1
            end = text.find("\n", d.start())
            if end < 0:
                end = len(text)
            sure.update(self._judge(text[start:end])[2])
        return sure

    def edits(self, text: str, survey: Counter[tuple[str, str]] | None = None) -> Iterator[Edit]:
        if _DIGIT_RE.search(text) is None:
            return
        out, weak, _sure = self._judge(text)
        # An engine that prints "I" as "1" does so all through a document: once it has been
        # read so on its own bar often enough, a weaker fit will do for the rest.
        if self.doc_evidence and weak:
            sure = self.survey(text) if survey is None else survey
            out.extend(e for key, e in weak if sure[key] >= self.doc_evidence)
            out.sort(key=lambda e: e.start)
        yield from out

    def _judge(
        self, text: str
    ) -> tuple[list[Edit], list[tuple[tuple[str, str], Edit]], Counter[tuple[str, str]]]:
        """The edits made on their own bars; the digit tokens read as words on the
        document's evidence only (keyed by token and lowercase word); and how often each
        digit token was read as each word on its own bar."""
        out: list[Edit] = []
        weak: list[tuple[tuple[str, str], Edit]] = []
        sure: Counter[tuple[str, str]] = Counter()
        for tokens, k in ((toks, k) for toks, ks in _stretches(text) for k in ks):
            m = tokens[k]
            tok = m.group()
            start, end = m.span()
            if k and tok.isdigit() and text[start - 1 : start] in ("'", "’"):
                clitic = self._clitic(text, tokens, k)
                if clitic is not None:
                    out.append(clitic)
                continue
            if (start and text[start - 1] in _GLUE_BEFORE) or text[end : end + 1] in _GLUE_AFTER:
                continue
            if text[end : end + 1] in ".," and text[end + 1 : end + 2].isdigit():
                continue  # "3.15", "1,000"
            if _glued(text, start, end):
                continue  # a piece of a longer token ("8l!vered")
            if tok.isdigit():
                found = self._digit_token(text, tokens, k)
                if found is not None:
                    e, strong = found
                    key = (tok, e.replacement.lower())
                    if strong:
                        sure[key] += 1
                        out.append(e)
                    else:
                        weak.append((key, e))
            elif any(c.isalpha() for c in tok):
                mixed = self._mixed_token(text, tokens, k)
                if mixed is not None:
                    out.append(mixed)
        return out, weak, sure

    def _neighbours(
        self, text: str, tokens: list[regex.Match[str]], k: int
    ) -> tuple[str | None, str, str | None, str]:
        """(previous token, gap before, next token, gap after); a token is ``None`` when
        there is none in the same stretch of text."""
        m = tokens[k]
        prev = gap_before = None
        if k:
            gap_before = text[tokens[k - 1].end() : m.start()]
            if _gap_ok(gap_before):
                prev = tokens[k - 1].group()
        nxt = gap_after = None
        if k + 1 < len(tokens):
            gap_after = text[m.end() : tokens[k + 1].start()]
            if _gap_ok(gap_after):
                nxt = tokens[k + 1].group()
        return prev, gap_before or "", nxt, gap_after or ""

    def _digit_token(
        self, text: str, tokens: list[regex.Match[str]], k: int
    ) -> tuple[Edit, bool] | None:
        """A token of digits between words: the word its digits are printed for, when that
        word fits the next word clearly ("and 1 will" → "and I will"), with ``True``; or
        when it fits it no worse than an unseen pair of words does, next to a known word,
        with ``False`` (made only on the document's evidence)."""
        tok = tokens[k].group()
        if len(tok) > 2 or (len(tok) == 2 and tok[0] != "0"):
            return None  # a number of two digits or more is a number ("10 cases")
        prev, gap_before, nxt, gap_after = self._neighbours(text, tokens, k)
        if nxt is None or not gap_after.isspace() or not (nxt.isalpha() and nxt.islower()):
            return None
        if prev is not None and _has_digit(prev):
            return None
        if _number_near(text, tokens, k):
            return None  # in a list of numbers ("2 goals 1 try 11 points")
        if (
            prev is not None
            and gap_before.isspace()
            and prev[:1].isupper()
            and not _sentence_start(text, tokens[k - 1].start())
        ):
            return None  # a number after a name: a date, a chapter ("on August 1 will")
        # The left neighbour counts when only spaces separate it; punctuation ends a clause.
        left = prev.lower() if prev is not None and gap_before.isspace() else ""
        best = None
        lex = load_lexicon(self.lang)
        for lp, word in _readings(tok, self.confusions):
            if len(word) != len(tok) or lp < _DIGIT_WORD_MIN_LOGP * len(tok):
                continue
            if lex.zipf(word) < 3.0:
                continue
            fit_left, fit_right = _fits(self.lang, left, word, nxt.lower())
            if fit_left < _DOC_LEFT_FLOOR or fit_right < min(self.min_fit, _LEFT_FLOOR):
                continue
            strong = fit_right >= self.min_fit and fit_left >= _LEFT_FLOOR
            score = (strong, fit_left + fit_right + lp)
            if best is None or score > best[0]:
                best = (score, word)
        if best is None:
            return None
        strong, word = best[0][0], best[1]
        start, end = tokens[k].span()
        if len(word) == 1:
            word = word.upper() if word in "io" else word  # the pronoun, the interjection
        elif _sentence_start(text, start):
            word = word[0].upper() + word[1:]
        if strong:
            return Edit(start, end, word, self.name, "digit_word", 0.9), True
        return Edit(start, end, word, self.name, "digit_word_doc", 0.7), False

    def _clitic(self, text: str, tokens: list[regex.Match[str]], k: int) -> Edit | None:
        """Digits after a word and an apostrophe: the ending the channel reads for them, when
        the word with that ending is in the lexicon ("heaven'6" → "heaven's", "you'11" →
        "you'll"); a number's apostrophe ("1990's") is left alone."""
        m, word = tokens[k], tokens[k - 1]
        if word.end() != m.start() - 1 or not word.group().isalpha():
            return None
        after = text[m.end() : m.end() + 2]
        if after[:1] in _GLUE_AFTER or (
            len(after) == 2 and after[1].isalnum() and not after[0].isspace()
        ):
            return None  # more of the token follows ("heaven'6-fold", "x'1.5")
        lex = load_lexicon(self.lang)
        best = None
        for lp, reading in _readings(m.group(), self.confusions):
            z = lex.zipf(f"{word.group()}'{reading}".lower())
            if z >= _CLITIC_MIN_ZIPF and (best is None or z + lp > best[0]):
                best = (z + lp, reading)
        if best is None:
            return None
        reading = best[1].upper() if word.group().isupper() and len(word.group()) > 1 else best[1]
        return Edit(m.start(), m.end(), reading, self.name, "clitic", 0.8)

    def _mixed_token(self, text: str, tokens: list[regex.Match[str]], k: int) -> Edit | None:
        tok = tokens[k].group()
        start, end = tokens[k].span()
        if self.numbers:
            number = read_number(tok, self.confusions)
            if (
                number is not None
                and _word_score(tok, self.confusions, self.lang) < _NUMBER_MAX_WORD
            ):
                return Edit(start, end, number, self.name, "letter_number", 0.9)
        letters = [c for c in tok if c.isalpha()]
        # Lowercase letters, or a capital first: capitals among digits are codes ("B2B",
        # "MP3", "A1").
        if not all(c.islower() for c in letters[1:]):
            return None
        if letters[0].isupper() and tok[0] != letters[0]:
            return None
        prev, _gap_before, nxt, _gap_after = self._neighbours(text, tokens, k)
        if (prev is not None and _has_digit(prev)) or (nxt is not None and _has_digit(nxt)):
            return None  # beside a number: an amount, a measure or a code
        if prev is None and nxt is None:
            return None  # no text around it: a label, a code
        word = read_word(tok, self.confusions, self.lang)
        if word is None:
            return None
        # A digit first stands for a capital when the channel prints it mostly for capitals
        # and a neighbour is capitalized too ("8ir Wm." → "Sir Wm.", "United 8tates").
        capital = tok[0].isdigit() and tok[0] in _capital_digits(self.confusions)
        capital = capital and any(t is not None and t[:1].isupper() for t in (prev, nxt))
        if tok[0].isupper() or capital or _sentence_start(text, start):
            word = word[0].upper() + word[1:]
        return Edit(start, end, word, self.name, "mixed_word", 0.8)
