"""Character repair: line endings, mojibake, control characters, NFC, ligatures, spaces.

These stages work on characters and know nothing of words or lines beyond the newline. They
run first, so that every later stage sees one newline convention, composed accents and plain
spaces. Each is a pure function of its input, and clean text passes through untouched.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import regex
from rapidfuzz.distance import Levenshtein

from textfix.edits import Edit
from textfix.registry import register

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "ExpandLigatures",
    "FixMojibake",
    "FoldTypography",
    "NormalizeNewlines",
    "NormalizeSpaces",
    "NormalizeUnicode",
    "RemoveControlChars",
]


def _has_any(text: str, chars: str) -> bool:
    """Whether ``text`` holds any of ``chars``.

    A few ``in`` tests, each a C scan (and none at all for a character wider than any in the
    text), are several times faster than one regular expression scan; the stages below only run
    their pattern when this finds something.
    """
    return any(c in text for c in chars)


def _diff_edits(start: int, old: str, new: str, stage: str, rule: str) -> Iterator[Edit]:
    """Yield the smallest edits that turn ``old`` (at ``start``) into ``new``.

    Neighbouring changed characters are grouped into one edit, so that a repaired sequence
    such as a mojibake "Ã©" becomes one edit "é" rather than a deletion and a replacement.
    """
    pending: list[int] = []  # [old_start, old_end, new_start, new_end] of the open group
    for op in Levenshtein.opcodes(old, new):
        if op.tag == "equal":
            if pending:
                yield Edit(
                    start + pending[0],
                    start + pending[1],
                    new[pending[2] : pending[3]],
                    stage,
                    rule,
                )
                pending = []
            continue
        if pending:
            pending[1], pending[3] = op.src_end, op.dest_end
        else:
            pending = [op.src_start, op.src_end, op.dest_start, op.dest_end]
    if pending:
        yield Edit(
            start + pending[0], start + pending[1], new[pending[2] : pending[3]], stage, rule
        )


# --- newlines -----------------------------------------------------------------------------

# Plain ``re`` for the simple character classes of this module: it is faster than ``regex``
# on them and gives the same matches.
_NEWLINE_RE = re.compile(r"\r\n?|[\x85\u2028\u2029]")
_NEWLINE_CHARS = "\r\x85\u2028\u2029"


@register
@dataclass(frozen=True, slots=True)
class NormalizeNewlines:
    r"""Turn every line ending (CRLF, CR, NEL, U+2028, U+2029) into ``\n``.

    >>> from textfix.edits import apply_edits
    >>> s = "one\r\ntwo\rthree"
    >>> apply_edits(s, NormalizeNewlines().edits(s))
    'one\ntwo\nthree'
    """

    name: ClassVar[str] = "normalize_newlines"

    def edits(self, text: str) -> Iterator[Edit]:
        if not _has_any(text, _NEWLINE_CHARS):
            return
        for m in _NEWLINE_RE.finditer(text):
            rule = "paragraph_separator" if m.group() == "\u2029" else "newline"
            yield Edit(m.start(), m.end(), "\n\n" if rule != "newline" else "\n", self.name, rule)


# --- mojibake -----------------------------------------------------------------------------

# UTF-8 text decoded as Latin-1 or Windows-1252 shows a UTF-8 lead byte (Â..ô) followed by a
# continuation byte (\x80..\xbf, or the Windows-1252 characters those bytes map to). Only lines
# with such a pair go to ftfy, whose own badness test then decides; this keeps the stage fast on
# the common case of clean or merely accented text.
_CONTINUATION = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
_SUSPECT_PAIR_RE = regex.compile(f"[\u00c2-\u00f4][{_CONTINUATION}]")


def _suspect_lines(text: str) -> Iterator[tuple[int, int]]:
    """Yield the (start, end) of each line that holds a suspect pair, once per line."""
    pos = 0
    while True:
        m = _SUSPECT_PAIR_RE.search(text, pos)
        if m is None:
            return
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        if end < 0:
            end = len(text)
        yield start, end
        pos = end


@register
@dataclass(frozen=True, slots=True)
class FixMojibake:
    """Repair text that was decoded with the wrong encoding ("CafÃ©" → "Café"), using ftfy.

    ftfy is the well-kept library for this; we call it line by line and record what it changed
    as edits. Lines that ftfy does not judge "bad" are not touched.

    >>> from textfix.edits import apply_edits
    >>> s = "The CafÃ© opened."
    >>> apply_edits(s, FixMojibake().edits(s))
    'The Café opened.'
    """

    name: ClassVar[str] = "fix_mojibake"

    def edits(self, text: str) -> Iterator[Edit]:
        if text.isascii():
            return
        import ftfy
        from ftfy.badness import is_bad

        for start, end in _suspect_lines(text):
            line = text[start:end]
            if not is_bad(line):
                continue
            fixed = ftfy.fix_encoding(line)
            if fixed != line:
                yield from _diff_edits(start, line, fixed, self.name, "mojibake")


# --- control and zero-width characters ----------------------------------------------------

# C0 controls except tab, newline, form feed (a page break) and carriage return; DEL; C1.
# Zero-width space, word joiner, BOM and Mongolian vowel separator are always invisible noise.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u200b\u2060\ufeff\u180e]")
_CONTROL_CHARS = (
    "".join(chr(c) for c in range(0xA0) if _CONTROL_RE.match(chr(c))) + "\u200b\u2060\ufeff\u180e"
)
# ZWJ and ZWNJ carry meaning in emoji sequences and in Arabic and Indic scripts; next to Latin
# text or a space they are noise from the scanner or the web page.
_JOINER_RE = regex.compile(
    r"(?:(?<=^|[\p{Latin}\s])[\u200c\u200d]+|[\u200c\u200d]+(?=$|[\p{Latin}\s]))", regex.V1
)


@register
@dataclass(frozen=True, slots=True)
class RemoveControlChars:
    r"""Delete control characters and zero-width characters; keep tabs, newlines, form feeds.

    >>> from textfix.edits import apply_edits
    >>> s = "zero\u200bwidth\x00 and\tkept"
    >>> apply_edits(s, RemoveControlChars().edits(s))
    'zerowidth and\tkept'
    """

    name: ClassVar[str] = "remove_control_chars"

    def edits(self, text: str) -> Iterator[Edit]:
        if text.isascii() and text.isprintable():
            return
        if _has_any(text, _CONTROL_CHARS):
            for m in _CONTROL_RE.finditer(text):
                yield Edit(m.start(), m.end(), "", self.name, "control")
        if "\u200c" in text or "\u200d" in text:
            for j in _JOINER_RE.finditer(text):
                yield Edit(j.start(), j.end(), "", self.name, "zero_width_joiner")


# --- NFC ----------------------------------------------------------------------------------

# ASCII characters are NFC starters that never compose with what precedes them, so text can be
# normalized run by run: one (optional) ASCII character followed by non-ASCII characters.
_NON_ASCII_RUN_RE = regex.compile(r"[\x00-\x7f]?[^\x00-\x7f]+")


@register
@dataclass(frozen=True, slots=True)
class NormalizeUnicode:
    """Put text in Unicode NFC form, so "e" + combining acute becomes one "é".

    >>> from textfix.edits import apply_edits
    >>> s = "Cafe\u0301"
    >>> apply_edits(s, NormalizeUnicode().edits(s)) == "Caf\u00e9"
    True
    """

    name: ClassVar[str] = "normalize_unicode"

    def edits(self, text: str) -> Iterator[Edit]:
        if text.isascii() or unicodedata.is_normalized("NFC", text):
            return
        for m in _NON_ASCII_RUN_RE.finditer(text):
            run = m.group()
            if not unicodedata.is_normalized("NFC", run):
                yield from _diff_edits(
                    m.start(), run, unicodedata.normalize("NFC", run), self.name, "nfc"
                )


# --- ligatures ----------------------------------------------------------------------------

_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",  # ﬅ, long s + t
    "\ufb06": "st",
}
_LIGATURE_CHARS = "".join(_LIGATURES)
_LIGATURE_RE = re.compile("[" + _LIGATURE_CHARS + "]")


@register
@dataclass(frozen=True, slots=True)
class ExpandLigatures:
    """Expand Latin typographic ligatures (ﬁ ﬂ ﬀ ﬃ ﬄ ﬅ ﬆ) into their letters.

    >>> from textfix.edits import apply_edits
    >>> s = "ﬁnancial eﬀort"
    >>> apply_edits(s, ExpandLigatures().edits(s))
    'financial effort'
    """

    name: ClassVar[str] = "expand_ligatures"

    def edits(self, text: str) -> Iterator[Edit]:
        if text.isascii() or not _has_any(text, _LIGATURE_CHARS):
            return
        for m in _LIGATURE_RE.finditer(text):
            yield Edit(m.start(), m.end(), _LIGATURES[m.group()], self.name, "ligature")


# --- spaces -------------------------------------------------------------------------------

# No-break, Ogham, en/em and other fixed-width spaces, narrow no-break, math and ideographic
# space. Tabs and newlines are layout and stay.
_ODD_SPACE_RE = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_ODD_SPACE_CHARS = "\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"


@register
@dataclass(frozen=True, slots=True)
class NormalizeSpaces:
    """Turn no-break, thin and other odd spaces into plain spaces.

    >>> from textfix.edits import apply_edits
    >>> s = "10\u00a0km and\u2009more"
    >>> apply_edits(s, NormalizeSpaces().edits(s))
    '10 km and more'
    """

    name: ClassVar[str] = "normalize_spaces"

    def edits(self, text: str) -> Iterator[Edit]:
        if text.isascii() or not _has_any(text, _ODD_SPACE_CHARS):
            return
        for m in _ODD_SPACE_RE.finditer(text):
            yield Edit(m.start(), m.end(), " ", self.name, "space")


# --- typography (off by default) ----------------------------------------------------------

_QUOTES = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
}
_DASHES = {
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2212": "-",
    "\u2014": "--",
    "\u2015": "--",
}
_QUOTE_RE = regex.compile("[" + "".join(_QUOTES) + "]")
_DASH_RE = regex.compile("[" + "".join(_DASHES) + "]")


@register
@dataclass(frozen=True, slots=True)
class FoldTypography:
    """Fold curly quotes and typographic dashes into ASCII. Not in the default preset.

    Typography is part of the printed text, so textfix keeps it unless asked; corpus builders
    who want one quote and one dash character turn this stage on.

    Args:
        quotes: Fold ‘ ’ “ ” „ « » and primes into ``'`` and ``"``.
        dashes: Fold hyphen, figure and en dashes and minus into ``-``, em dashes into ``--``.

    >>> from textfix.edits import apply_edits
    >>> s = "“Yes”—she said, ‘1914–18’"
    >>> apply_edits(s, FoldTypography().edits(s))
    '"Yes"--she said, \\'1914-18\\''
    """

    name: ClassVar[str] = "fold_typography"
    quotes: bool = True
    dashes: bool = True

    def edits(self, text: str) -> Iterator[Edit]:
        if text.isascii():
            return
        if self.quotes:
            for m in _QUOTE_RE.finditer(text):
                yield Edit(m.start(), m.end(), _QUOTES[m.group()], self.name, "quote")
        if self.dashes:
            for m in _DASH_RE.finditer(text):
                yield Edit(m.start(), m.end(), _DASHES[m.group()], self.name, "dash")
