"""Amounts: letters that OCR printed for the digits of a money amount ("Is. 6d." → "1s. 6d.").

Old British prices are written as numbers with a unit letter ("1s. 6d.", "3s 9d"). OCR reads
their digits as look-alike letters ("Is.", "Gd."), which no word stage can fix: "Is" is a word,
and "Gd" is judged as one. Next to a genuine amount, though, the token is an amount too. Which
letters stand for which digit is learned: the letter-for-digit rows of the OCR confusion table.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import regex

from textfix.edits import Edit, apply_edits
from textfix.errors import ConfigError
from textfix.lexicon import load_lexicon
from textfix.registry import register

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

__all__ = ["FixAmountDigits"]

# A short token ending in a unit letter ("Is.", "Gd", "3s."), not inside a longer word.
_UNIT_TOKEN_RE = regex.compile(
    r"(?<![\p{L}\p{N}£$'’-])([A-Za-z0-9]{1,2})([sd])(\.?)(?![\p{L}\p{N}])"
)
# A genuine amount: digits with a unit letter ("6d.", "12s") or a pound sign and digits.
_AMOUNT_RE = regex.compile(r"^(?:\d{1,3}[sd]\.?,?|£\s?\d[\d,.]*)$")
# A capital read for a digit before a unit and its stop, standing alone ("price Is. each").
_LONE_UNIT_RE = regex.compile(r"(?<![\p{L}\p{N}£$'’.-])([A-Z])([sd])\.(?!\S)")
# The word before a token, with what separates them (see _inside_sentence).
_WORD_BEFORE_RE = regex.compile(r"([\p{L}\p{N}]+)([,;:]?)\s+$")
# Any genuine amount in the text at all (most texts have none: one fast scan, then done).
_ANY_AMOUNT_RE = regex.compile(r"\d[sd](?![\p{L}\p{N}])|£\s?\d", regex.V1)


#: A letter stands for a digit when seen for it this often, and this many times more often
#: than for any other digit ("I" is "1"; "O" is as often "6" as "0", so it stays).
_MIN_COUNT = 5
_MIN_RATIO = 2.0


@functools.cache
def _letter_digits(confusions: str, min_count: int = _MIN_COUNT) -> Mapping[str, str]:
    """Letter → the digit it is printed for, from the letter-for-digit rows of the learned
    confusion table, when one digit clearly dominates: seen at least ``min_count`` times and
    ``_MIN_RATIO`` times as often as the runner-up."""
    from textfix.stages.words import resolve_counts

    seen: dict[str, list[tuple[int, str]]] = {}
    for (gt, ocr), (count, _lp) in resolve_counts(confusions).items():
        if len(gt) == 1 and gt.isdigit() and len(ocr) == 1 and ocr.isalpha():
            seen.setdefault(ocr, []).append((count, gt))
    out: dict[str, str] = {}
    for letter, rows in seen.items():
        rows.sort(reverse=True)
        runner_up = rows[1][0] if len(rows) > 1 else 0
        if rows[0][0] >= min_count and rows[0][0] >= _MIN_RATIO * runner_up:
            out[letter] = rows[0][1]
    return out


# Where a genuine amount can stand: a digit before a unit letter ("6d", "12s."), or a pound
# sign. ``regex`` scans for an ASCII digit and a unit letter many times faster than for
# ``\d``, and finds the same places when no other character of the text is a ``\d``.
_DIGIT_UNIT_RE = regex.compile(r"\d[sd]")
_ASCII_DIGIT_UNIT_RE = regex.compile(r"[0-9][sd]")
_DIGIT_RE = regex.compile(r"\d")
_NON_ASCII_RUN_RE = regex.compile(r"[^\x00-\x7f]+")
_WINDOW = 20  # characters read on either side of a token for its neighbour
_TOKEN_MAX = 4  # the longest match of ``_UNIT_TOKEN_RE``


def _anchors(text: str) -> list[int]:
    """Return the offsets of the digits before a unit letter and of the pound signs, in order.

    Every genuine amount that :func:`_neighbour_is_amount` can read holds one of them, and
    every match of ``_ANY_AMOUNT_RE`` starts at one.
    """
    finder = _ASCII_DIGIT_UNIT_RE
    if not text.isascii() and _DIGIT_RE.search("".join(_NON_ASCII_RUN_RE.findall(text))):
        finder = _DIGIT_UNIT_RE
    out = [m.start() for m in finder.finditer(text)]
    if "£" in text:
        i = text.find("£")
        while i >= 0:
            out.append(i)
            i = text.find("£", i + 1)
        out.sort()
    return out


def _unit_tokens(text: str, anchors: list[int]) -> list[tuple[int, int, str, str, str]]:
    """Return ``(start, end, head, unit, dot)`` of the matches of ``_UNIT_TOKEN_RE`` (its
    groups) that may stand beside a genuine amount, given the :func:`_anchors` of ``text``.

    :func:`_neighbour_is_amount` reads a token within :data:`_WINDOW` characters of the match,
    and every genuine amount holds an anchor, so only the matches that start near an anchor
    can pass. Those stretches of the text (with the characters the pattern looks at around
    them) are joined by NULs and scanned at once. A match never starts inside another one and
    holds no NUL, so each stretch gives what a scan of the whole text gives there.

    >>> text = "It is 3s. Gd. and as Is. is." + " and" * 8 + " Is."
    >>> [(s, e) for s, e, _h, _u, _d in _unit_tokens(text, _anchors(text))]
    [(3, 5), (6, 9), (10, 13), (14, 17), (18, 20), (21, 24), (25, 28)]
    """
    spans: list[list[int]] = []
    for p in anchors:
        lo = p - _WINDOW - _TOKEN_MAX + 1
        hi = p + _WINDOW  # the last start whose window still holds the anchor
        if spans and lo <= spans[-1][1] + 1:
            spans[-1][1] = hi
        else:
            spans.append([max(lo, 0), hi])
    if not spans:
        return []
    # Each piece runs from the character before its first start (for the lookbehind) to the
    # character after the end of a match at its last start (for the lookahead).
    pieces, where, size = [], [], 0
    for lo, hi in spans:
        first = max(lo - 1, 0)
        piece = text[first : hi + _TOKEN_MAX + 1]
        where.append((size, size + len(piece), first - size, lo, hi))
        pieces.append(piece)
        size += len(piece) + 1
    out = []
    k = 0
    for m in _UNIT_TOKEN_RE.finditer("\0".join(pieces)):
        while m.start() >= where[k][1]:
            k += 1
        _j, _e, shift, lo, hi = where[k]
        start = m.start() + shift
        if lo <= start <= hi:
            out.append((start, m.end() + shift, m.group(1), m.group(2), m.group(3)))
    return out


def _neighbour_is_amount(text: str, start: int, end: int) -> bool:
    """Whether the whitespace-separated token before or after the span is a genuine amount."""
    before = text[max(0, start - 20) : start]
    after = text[end : end + 20]
    if before[-1:].isspace():
        parts = before.split()
        if parts and _AMOUNT_RE.match(parts[-1]):
            return True
    if after[:1].isspace():
        parts = after.split()
        if parts and _AMOUNT_RE.match(parts[0]):
            return True
    return False


def _inside_sentence(text: str, start: int) -> bool:
    """Whether the token at ``start`` follows a lowercase word, or any word and a comma,
    semicolon or colon, on the same line: it is inside a sentence, where the verb "is"
    is not capitalized ("admission, Is." but not "Is." after a full stop or in a title)."""
    m = _WORD_BEFORE_RE.search(text[max(0, start - 40) : start])
    if m is None or "\n" in m.group():
        return False
    return bool(m.group(2)) or m.group(1).islower()


@register
@dataclass(frozen=True, slots=True)
class FixAmountDigits:
    """Put back the digits of a money amount that OCR read as letters ("Is. 6d." → "1s. 6d.",
    "3s. Gd." → "3s. 6d."), when a genuine amount stands right beside it.

    A token that is an English word once the unit is read as a letter ("Is", "as") must end
    with the abbreviation's full stop ("Is." but not "it Is 6d"), so a sentence is never
    turned into a price.

    In a text that holds genuine amounts, a capital read for a digit before a unit and its
    stop is an amount on its own too when it stands inside a sentence (after a lowercase
    word, or after a comma: "price Is. each", "Admission, Is."), where the verb would not
    be capitalized (rule ``lone_amount``).

    Args:
        confusions: Name or path of the OCR confusion table the letter → digit map comes from
            (a letter is used when seen for one digit at least 5 times, and twice as often as
            for any other digit).
        lang: Lexicon language.

    >>> from textfix.edits import apply_edits
    >>> s = "Admission Is. 6d. each; bacon 3s. Gd. per lb. It Is good."
    >>> apply_edits(s, FixAmountDigits().edits(s))
    'Admission 1s. 6d. each; bacon 3s. 6d. per lb. It Is good.'
    >>> s = "Eggs 9d. a dozen; tea, Is. per lb. What Is. Is. It?"
    >>> apply_edits(s, FixAmountDigits().edits(s))
    'Eggs 9d. a dozen; tea, 1s. per lb. What Is. Is. It?'
    """

    name: ClassVar[str] = "fix_amount_digits"
    stream_context: ClassVar[int] = 2  # lines read around a token (textfix.stream)
    confusions: str = "en/ocr_confusions"
    lang: str = "en"

    def __post_init__(self) -> None:
        for field in ("confusions", "lang"):
            if not isinstance(getattr(self, field), str):
                msg = f"fix_amount_digits: {field} must be a string"
                raise ConfigError(msg)

    def edits(self, text: str) -> Iterator[Edit]:
        anchors = _anchors(text)
        match = _ANY_AMOUNT_RE.match
        if not any(match(text, p) for p in anchors):
            return  # (no genuine amount in the text at all)
        # Every edit puts digits in place of as many letters, so offsets never move: a token
        # fixed in one round is a genuine amount beside the next one ("Is. Gd. 3s.": "Gd."
        # first, then "Is."), and rounds run until nothing changes, as a second run would.
        found: dict[int, Edit] = {}
        current = text
        while True:
            new = [e for e in _round(self, current, anchors) if e.start not in found]
            if not new:
                break
            for e in new:
                found[e.start] = e
            current = apply_edits(text, sorted(found.values(), key=lambda e: e.start))
            anchors = _anchors(current)
        yield from sorted(found.values(), key=lambda e: e.start)


def _round(stage: FixAmountDigits, text: str, anchors: list[int]) -> list[Edit]:
    """The edits of one reading of ``text`` (see :meth:`FixAmountDigits.edits`)."""
    table: Mapping[str, str] | None = None
    done: list[Edit] = []
    for start, end, head, unit, dot in _unit_tokens(text, anchors):
        if head.isdigit():
            continue  # already an amount
        if not _neighbour_is_amount(text, start, end):
            continue
        if table is None:
            table = _letter_digits(stage.confusions)
        if not all(c.isdigit() or c in table for c in head):
            continue
        word = (head + unit).lower()
        if not dot and load_lexicon(stage.lang).zipf(word) >= 3.0:
            continue  # "is", "as": a word unless written as an abbreviation ("Is.")
        digits = "".join(c if c.isdigit() else table[c] for c in head)
        done.append(Edit(start, start + len(head), digits, stage.name, "letter_digit", 0.9))
    taken = {e.start for e in done}
    for m in _LONE_UNIT_RE.finditer(text):
        head = m.group(1)
        if m.start() in taken or not _inside_sentence(text, m.start()):
            continue
        if table is None:
            table = _letter_digits(stage.confusions)
        if head in table:
            done.append(Edit(m.start(), m.start() + 1, table[head], stage.name, "lone_amount", 0.8))
    return done
