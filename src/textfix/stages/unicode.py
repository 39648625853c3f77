"""Character repair: line endings, mojibake, control characters, NFC, ligatures, spaces.

These stages work on characters and know nothing of words or lines beyond the newline. They
run first, so that every later stage sees one newline convention, composed accents and plain
spaces. Each is a pure function of its input, and clean text passes through untouched.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import accumulate, repeat
from typing import TYPE_CHECKING, ClassVar

import regex
from rapidfuzz.distance import Levenshtein

from textfix.edits import Edit, apply_edits
from textfix.errors import ConfigError
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


# The character stages ask the same questions of the same text: a stage that makes no edit
# passes its input on unchanged, as the same object. The last answer to each question is kept
# with the text it is about (one text, compared by identity), so that the next stage reuses it
# instead of scanning the whole text again. (Each memo is one tuple, read and replaced whole:
# safe across threads.)
_NFC_MEMO: list[tuple[str | None, bool]] = [(None, False)]
_ASCII_CONTROL_MEMO: list[tuple[str | None, bool]] = [(None, False)]


def _is_nfc(text: str) -> bool:
    """``unicodedata.is_normalized("NFC", text)``, remembered for the last text asked about."""
    memo = _NFC_MEMO[0]
    if memo[0] is text:
        return memo[1]
    answer = unicodedata.is_normalized("NFC", text)
    _NFC_MEMO[0] = (text, answer)
    return answer


def _has_ascii_controls(text: str) -> bool:
    """Whether ``text`` holds an ASCII control character (but tab, newline, form feed and
    carriage return), remembered for the last text asked about."""
    memo = _ASCII_CONTROL_MEMO[0]
    if memo[0] is text:
        return memo[1]
    answer = _has_any(text, _ASCII_CONTROL_CHARS)
    _ASCII_CONTROL_MEMO[0] = (text, answer)
    return answer


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
    stream_context: ClassVar[int] = 1  # judged within a line (see textfix.stream)

    def edits(self, text: str) -> Iterator[Edit]:
        if not _has_any(text, _NEWLINE_CHARS):
            return
        for m in _NEWLINE_RE.finditer(text):
            rule = "paragraph_separator" if m.group() == "\u2029" else "newline"
            yield Edit(m.start(), m.end(), "\n\n" if rule != "newline" else "\n", self.name, rule)


# --- mojibake -----------------------------------------------------------------------------


def _lines_with(pattern: regex.Pattern[str], text: str) -> Iterator[tuple[int, int]]:
    """Yield the (start, end) of each line holding a match of ``pattern``, once per line.

    Linear in the length of the text, however long its lines are.
    """
    pos = 0
    while True:
        m = pattern.search(text, pos)
        if m is None:
            return
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        if end < 0:
            end = len(text)
        yield start, end
        pos = end + 1


def _split_at_newlines(text: str, lines: Iterator[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Split each (start, end) line further at the other line endings (CR, NEL, U+2028, U+2029).

    normalize_newlines makes them ``\n``, so a repair judges each part as a line of its own,
    the way a second run (after them) will.
    """
    for start, end in lines:
        if not _has_any(text[start:end], _NEWLINE_CHARS):
            yield start, end
            continue
        pos = start
        for m in _NEWLINE_RE.finditer(text, start, end):
            yield pos, m.start()
            pos = m.end()
        yield pos, end


_MOJIBAKE_ROUNDS = 4
# ftfy's badness patterns are at most 6 characters long and each holds a non-ASCII character,
# so searching windows of 8 characters around the non-ASCII runs finds every match: the same
# answer as ``ftfy.badness.is_bad(line)`` without scanning long stretches of plain ASCII.
_NON_ASCII_RE = regex.compile(r"[^\x00-\x7f]+")
_BADNESS_RADIUS = 8


def _looks_bad(line: str) -> bool:
    """Whether ftfy would judge ``line`` (which holds no newline) to contain mojibake."""
    from ftfy.badness import BADNESS_RE

    n = len(line)
    lo = hi = -1
    for m in _NON_ASCII_RE.finditer(line):
        start, end = max(m.start() - _BADNESS_RADIUS, 0), min(m.end() + _BADNESS_RADIUS, n)
        if start <= hi:
            hi = end
            continue
        if hi > lo and BADNESS_RE.search(line, lo, hi):
            return True
        lo, hi = start, end
    return hi > lo and BADNESS_RE.search(line, lo, hi) is not None


# Every match of ftfy's badness pattern holds a C1 control, "Â", "Ã", "Œ" or "œ", or two
# non-ASCII characters side by side of which at most one is one of ftfy's "common" characters
# (no-break space, soft hyphen, middle dot, acute accent, en/em dash, bar, ellipsis, "’"): each
# of its alternatives does (see ftfy/badness.py). A line without any of these is not bad. The
# later character stages can make a line bad (a control character, a joiner or a ligature
# removed, a decomposed accent composed), so the lines that hold such a character are judged
# too. (A no-break or other odd space only becomes a plain space: no new hint, no new match.)
_FTFY_COMMON = "\u00a0\u00ad\u00b7\u00b4\u2013\u2014\u2015\u2026\u2019"
_HINT_CHARS = frozenset(
    [chr(c) for c in range(0x80, 0xA0)]
    + list("\u00c2\u00c3\u0152\u0153\u200b\u200c\u200d\u2060\ufeff\u180e")
    + [chr(c) for c in range(0xFB00, 0xFB07)]
)
# ASCII control characters (but tab, newline, form feed, carriage return): where the text holds
# any, every non-ASCII line is judged, since the hints are looked for in non-ASCII runs only.
_ASCII_CONTROL_CHARS = "".join(map(chr, [*range(9), 11, *range(14, 32), 127]))


def _hinted_lines(text: str) -> Iterator[tuple[int, int]]:
    """Yield the (start, end) of each line that holds a hint of mojibake (see above), once.

    ASCII control characters are left to the caller.
    """
    next_line = 0
    for m in _NON_ASCII_RE.finditer(text):
        if m.start() < next_line:
            continue
        run = m.group()
        # A single character is a hint by itself; in a longer run, any character that is not
        # "common" sits beside a non-ASCII one.
        if run not in _HINT_CHARS if len(run) == 1 else not run.strip(_FTFY_COMMON):
            continue
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        if end < 0:
            end = len(text)
        yield start, end
        next_line = end + 1


def _settle(line: str) -> str:
    """Apply what the later character stages do to ``line``, in the order they run."""
    # normalize_newlines runs before, but a repair may make a line or paragraph separator.
    stages = (
        NormalizeNewlines(),
        RemoveControlChars(),
        NormalizeUnicode(),
        ExpandLigatures(),
        NormalizeSpaces(),
    )
    for stage in stages:
        edits = list(stage.edits(line))
        if edits:
            line = apply_edits(line, edits)
    return line


#: What the reflow deletes at the end of a line (see :class:`FixMojibake`).
_LINE_END_SPACE = " \t\f"


def _repair(line: str) -> str:
    """ftfy's repair of ``line``, as the later character stages leave it, to a fixed point."""
    import ftfy

    # ftfy sees the raw line first: C1 controls are often part of the mojibake.
    fixed = _settle(ftfy.fix_encoding(line))
    for _ in range(_MOJIBAKE_ROUNDS):  # ftfy's own repairs can reveal more mojibake
        new = _settle(ftfy.fix_encoding(fixed))
        if new == fixed:
            break
        fixed = new
    return fixed


# The typesetter's hyphens, "¬" and the soft hyphen, are bytes 0xAC and 0xAD in Windows-1252:
# UTF-8 continuation bytes, after which ftfy does not look for mojibake ("¬ÃŸ" stays while
# "-ÃŸ" is repaired). dehyphenate later makes them plain hyphens or deletes them, so mojibake
# after one would only be repaired on a second run. Each is judged as a plain hyphen: the
# repair is made now, and the hyphen itself is left for dehyphenate.
_TYPESET_HYPHENS = "\u00ac\u00ad"
#: A typesetter's hyphen that dehyphenate reads inside a line: between letters, maybe with one
#: space after it ("Ameri¬can", "conversa¬ tion"). Others stay as they are ("Ã¬" is "ì").
_INLINE_TYPESET_HYPHEN_RE = regex.compile(r"(?<=\p{L})[\u00ac\u00ad](?= ?\p{L})", regex.V1)


def _mask_hyphens(line: str) -> str:
    """``line`` with each typesetter's hyphen inside a word as a plain ``-`` (see above)."""
    if not _has_any(line, _TYPESET_HYPHENS):
        return line
    return _INLINE_TYPESET_HYPHEN_RE.sub("-", line)


def _unmasked_repair(fixed: str) -> str:
    """Repair what the typesetter's hyphens left in ``fixed`` hide from ftfy, keeping them.

    Unchanged when a repair would take in one of the hyphens themselves, or when ftfy would
    repair the result again under both views.
    """
    masked = _mask_hyphens(fixed)
    if masked == fixed:
        return fixed
    new = _repair(masked)
    if new == masked:
        return fixed
    out: list[str] = []
    for op in Levenshtein.opcodes(masked, new):
        if op.tag == "equal":
            out.append(fixed[op.src_start : op.src_end])
        elif any(fixed[i] != masked[i] for i in range(op.src_start, op.src_end)):
            return fixed
        else:
            out.append(new[op.dest_start : op.dest_end])
    result = "".join(out)
    # With the hyphens back, ftfy must find nothing more ("¬Â§" -> "¬§" would become "¤").
    if _repair(result) == result:
        return result
    # Else ftfy would read the hyphen as part of new mojibake ("ä¬’" -> "䬒"): it is written as
    # the plain hyphen that dehyphenate makes of it, when that repair is final.
    return new if _repair(new) == new else fixed


@register
@dataclass(frozen=True, slots=True)
class FixMojibake:
    """Repair text that was decoded with the wrong encoding ("CafÃ©" → "Café"), using ftfy.

    ftfy is the well-kept library for this; we call it line by line and record what it changed
    as edits. Lines that ftfy does not judge "bad" are not touched. On a line it repairs, the
    edits also do what the later character stages would (drop control characters, NFC, expand
    ligatures, plain spaces), so that the repair is final and a second run changes nothing.

    >>> from textfix.edits import apply_edits
    >>> s = "The CafÃ© opened."
    >>> apply_edits(s, FixMojibake().edits(s))
    'The Café opened.'
    """

    name: ClassVar[str] = "fix_mojibake"
    stream_context: ClassVar[int] = 1  # judged within a line (see textfix.stream)

    def edits(self, text: str) -> Iterator[Edit]:
        if text.isascii():
            return
        # A text that is not in NFC may compose into mojibake, and one with ASCII control
        # characters may hide it: there every non-ASCII line is judged.
        if _is_nfc(text) and not _has_ascii_controls(text):
            lines = _hinted_lines(text)
        else:
            lines = _lines_with(_NON_ASCII_RE, text)
        for start, end in _split_at_newlines(text, lines):
            line = text[start:end]
            # A line break may become a space when lines are reflowed, and ftfy reads a space
            # after "Â" or "Ã" as part of the mojibake; so a line that a newline follows is
            # judged with that space, which is dropped again unless the repair took it in.
            # Spaces, tabs and form feeds before that newline are judged as gone, since the
            # reflow deletes them ("Â\t" / "0" becomes "Â" / "0").
            tail = " " if end < len(text) else ""
            body = line.rstrip(_LINE_END_SPACE) if tail else line
            # So is the indentation of a line after a line break ("0" / "\tÂ "), odd spaces
            # too, which normalize_spaces makes plain ones ("\u00a0Â").
            lead = len(body) - len(body.lstrip(_LINE_END_SPACE + _ODD_SPACE_CHARS)) if start else 0
            body = body[lead:]
            probe_src = body + tail
            # ftfy judges the line as the later character stages will leave it: a control
            # character removed, a ligature expanded or a no-break space made plain can reveal
            # mojibake ("Ã\x00©", "Ä©ﬀ", "Â\u202f"), which a second run would otherwise repair.
            probe = _settle(probe_src)
            masked = _mask_hyphens(probe)  # (``probe`` itself when it has no such hyphen)
            if not (
                _looks_bad(probe_src)
                or (probe != probe_src and _looks_bad(probe))
                or (masked != probe and _looks_bad(masked))
            ):
                continue
            fixed = _unmasked_repair(_repair(probe_src))
            if tail and fixed.endswith(tail):
                fixed = fixed[: -len(tail)]
            fixed = line[:lead] + fixed + line[lead + len(body) :]
            if fixed != line:
                yield from _diff_edits(start, line, fixed, self.name, "mojibake")


# --- control and zero-width characters ----------------------------------------------------

# C0 controls except tab, newline, form feed (a page break) and carriage return; DEL; C1.
# Zero-width space, word joiner, BOM and Mongolian vowel separator are always invisible noise.
_CONTROLS = r"\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u200b\u2060\ufeff\u180e"
_CONTROL_RE = regex.compile(f"[{_CONTROLS}]")
_CONTROL_CHARS = (
    "".join(chr(c) for c in range(0xA0) if _CONTROL_RE.match(chr(c))) + "\u200b\u2060\ufeff\u180e"
)
#: Those of them that are not ASCII: the C1 controls and the zero-width characters.
_WIDE_CONTROL_CHARS = "".join(c for c in _CONTROL_CHARS if not c.isascii())
# ZWJ and ZWNJ carry meaning in emoji sequences and in Arabic and Indic scripts: between two
# letters (or marks) of a script other than Latin, or symbols. Beside anything else (Latin, a
# digit, punctuation, a space, the edge of the text) they are noise from the scanner or the web
# page. Digits and punctuation count as noise too because a word stage may turn them into Latin
# letters ("0roud" -> "proud"), which a second run would judge anew. The neighbours are judged
# around the whole run of joiners and control characters, since the controls go too: judging
# them around the joiners alone would find new noise on a second run.
_JOINER_RUN_RE = regex.compile(rf"[\u200c\u200d{_CONTROLS}]++")
_ZW_JOINERS_RE = regex.compile(r"[\u200c\u200d]+")
_JOINING_RE = regex.compile(r"[[\p{L}\p{M}\p{So}\p{Sk}]--\p{Latin}]", regex.V1)


def _joiner_is_noise(text: str, start: int, end: int) -> bool:
    """Whether a run of joiners and controls at ``text[start:end]`` has a side where a joiner
    means nothing (see above).

    On the left, the base character counts: combining marks (and controls, which go) are
    skipped, since "A" + grave is Latin once normalize_unicode has composed it; so are other
    joiners, which may go too ("\u200c" + grave + "\u200c").
    """
    before = start - 1
    while before >= 0 and (
        unicodedata.category(text[before])[0] == "M"
        or _CONTROL_RE.match(text, before)
        or text[before] in "\u200c\u200d"
    ):
        before -= 1
    # On the right, marks glued to the joiner are judged by the base character after them: a
    # word stage may drop such a mark from the word it starts ("\u0300aa" -> "aa").
    after = end
    while after < len(text) and (
        unicodedata.category(text[after])[0] == "M"
        or _CONTROL_RE.match(text, after)
        or text[after] in "\u200c\u200d"
    ):
        after += 1
    if after == len(text):
        after = end
    return (
        before < 0
        or end == len(text)
        or _JOINING_RE.match(text, before) is None
        or _JOINING_RE.match(text, after) is None
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
    stream_context: ClassVar[int] = 1  # judged within a line (see textfix.stream)

    def edits(self, text: str) -> Iterator[Edit]:
        ascii_only = text.isascii()
        if ascii_only and text.isprintable():
            return
        # (the C1 and zero-width controls are looked for only in a text that can hold them)
        if _has_ascii_controls(text) or (not ascii_only and _has_any(text, _WIDE_CONTROL_CHARS)):
            for m in _CONTROL_RE.finditer(text):
                yield Edit(m.start(), m.end(), "", self.name, "control")
        if "\u200c" in text or "\u200d" in text:
            for run in _JOINER_RUN_RE.finditer(text):
                if not _joiner_is_noise(text, run.start(), run.end()):
                    continue
                for m in _ZW_JOINERS_RE.finditer(text, run.start(), run.end()):
                    yield Edit(m.start(), m.end(), "", self.name, "zero_width_joiner")


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
    stream_context: ClassVar[int] = 1  # judged within a line (see textfix.stream)

    def edits(self, text: str) -> Iterator[Edit]:
        if text.isascii() or _is_nfc(text):
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
# Combining marks after a ligature go with it: "ﬁ" + grave becomes "fì", already composed,
# since normalize_unicode runs before this stage.
_LIGATURE_RE = regex.compile("([" + "".join(_LIGATURES) + r"])(\p{M}*)", regex.V1)


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
    stream_context: ClassVar[int] = 1  # judged within a line (see textfix.stream)

    def edits(self, text: str) -> Iterator[Edit]:
        if text.isascii() or not _has_any(text, _LIGATURE_CHARS):
            return
        for m in _LIGATURE_RE.finditer(text):
            letters = _LIGATURES[m.group(1)]
            if m.group(2):
                letters = unicodedata.normalize("NFC", letters + m.group(2))
            yield Edit(m.start(), m.end(), letters, self.name, "ligature")


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
    stream_context: ClassVar[int] = 1  # judged within a line (see textfix.stream)

    def edits(self, text: str) -> Iterator[Edit]:
        if text.isascii():
            return
        kinds = [c for c in _ODD_SPACE_CHARS if c in text]
        if not kinds:
            return
        # Every odd space is one character; a text may hold thousands (no-break spaces), so
        # the edits are made in one ``map`` over the offsets.
        if len(kinds) == 1:
            # One kind (the usual no-break space): its offsets are the running sums of the
            # lengths of the pieces between them, at C speed (3x faster than ``finditer``).
            sizes = map((1).__add__, map(len, text.split(kinds[0])))
            starts = list(accumulate(sizes, initial=-1))[1:-1]
        else:
            starts = [m.start() for m in _ODD_SPACE_RE.finditer(text)]
        n = len(starts)
        yield from map(
            Edit,
            starts,
            [i + 1 for i in starts],
            repeat(" ", n),
            repeat(self.name, n),
            repeat("space", n),
        )


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
    "\u2039": "'",
    "\u203a": "'",
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
        quotes: Fold ‘ ’ “ ” „ « » ‹ › and primes into ``'`` and ``"``.
        dashes: Fold hyphen, figure and en dashes and minus into ``-``, em dashes into ``--``.

    >>> from textfix.edits import apply_edits
    >>> s = "“Yes”—she said, ‘1914–18’"
    >>> apply_edits(s, FoldTypography().edits(s))
    '"Yes"--she said, \\'1914-18\\''
    """

    name: ClassVar[str] = "fold_typography"
    stream_context: ClassVar[int] = 1  # judged within a line (see textfix.stream)
    quotes: bool = True
    dashes: bool = True

    def __post_init__(self) -> None:
        for key in ("quotes", "dashes"):
            if not isinstance(getattr(self, key), bool):
                msg = f"fold_typography: {key} must be true or false, got {getattr(self, key)!r}"
                raise ConfigError(msg)

    def edits(self, text: str) -> Iterator[Edit]:
        if text.isascii():
            return
        if self.quotes:
            for m in _QUOTE_RE.finditer(text):
                yield Edit(m.start(), m.end(), _QUOTES[m.group()], self.name, "quote")
        if self.dashes:
            for m in _DASH_RE.finditer(text):
                yield Edit(m.start(), m.end(), _DASHES[m.group()], self.name, "dash")
