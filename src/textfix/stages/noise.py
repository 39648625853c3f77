"""Noise: runs of stray glyphs that OCR reads from specks, rules and show-through.

A damaged or dirty page gives OCR output such as ``¦ • .¦ .• ¦ • ? . ..-¦¦¦¦`` or
``-, , . . '. _ .``: several "tokens" in a row with no letter and no digit, made of many
different marks. No text is written that way; the deliberate runs of marks that real text
has repeat one or two characters (an ellipsis ". . .", a dinkus "* * *", a rule "- - -").
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import regex

from textfix.edits import Edit
from textfix.errors import ConfigError
from textfix.registry import register

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["FixGluedGlyphs", "RemoveNoiseRuns"]

# Whitespace-separated tokens of marks only (no letter, digit or mark of a letter), on one
# line, with the horizontal space after them. Each token starts after a space or a line start.
_RUN_RE = regex.compile(
    r"(?<!\S)[^\p{L}\p{N}\p{M}\s]+(?!\S)(?:[ \t]+[^\p{L}\p{N}\p{M}\s]+(?!\S))*[ \t]*",
    regex.V1,
)
# Two tokens of a run side by side: a mark, spaces or tabs, and a token of marks that ends at a
# space or the line end. Marks are every character but ASCII letters, digits and spaces here,
# so a line that holds a run of two tokens or more holds a match. ``re`` scans for this many
# times faster than ``regex`` scans for a run.
_TWO_TOKENS_RE = re.compile(r"[^a-zA-Z0-9 \t\n][ \t]+[^a-zA-Z0-9 \t\n]+(?![a-zA-Z0-9])")


def _runs(text: str) -> Iterator[regex.Match[str]]:
    r"""Yield the matches of ``_RUN_RE`` of two tokens or more (and maybe some shorter ones).

    A run never crosses a line break, so the pattern is run on the lines that can hold one
    only (:data:`_TWO_TOKENS_RE`); on such a line it finds what a scan of the whole text finds.

    >>> [m.group() for m in _runs("a -- b\nx ¦ • ¦ y\n")]
    ['¦ • ¦ ']
    """
    search = _TWO_TOKENS_RE.search
    finditer = _RUN_RE.finditer
    m = search(text)
    while m is not None:
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        if line_end < 0:
            line_end = len(text)
        yield from finditer(text, line_start, line_end)
        m = search(text, line_end)


@register
@dataclass(frozen=True, slots=True)
class RemoveNoiseRuns:
    """Delete runs of stray glyphs: at least ``min_tokens`` tokens in a row without a letter
    or digit, holding at least ``min_kinds`` different marks and ``min_chars`` marks in all.

    A run that fills its line is deleted with the line break, so the lines around it stay
    one paragraph. Runs of one or two repeated marks (". . .", "* * *", "- - -") are text.

    Args:
        min_tokens: The fewest tokens a run has.
        min_kinds: The fewest different marks in a run.
        min_chars: The fewest marks in a run, spaces not counted.

    >>> from textfix.edits import apply_edits
    >>> s = "the end of it\\n¦ • .¦ .• ¦ • ? .\\nand on . . . to * * * here\\n"
    >>> apply_edits(s, RemoveNoiseRuns().edits(s))
    'the end of it\\nand on . . . to * * * here\\n'
    """

    name: ClassVar[str] = "remove_noise_runs"
    stream_context: ClassVar[int] = 1  # judged within a line (see textfix.stream)
    min_tokens: int = 3
    min_kinds: int = 3
    min_chars: int = 5

    def __post_init__(self) -> None:
        for field in ("min_tokens", "min_kinds", "min_chars"):
            value = getattr(self, field)
            if not isinstance(value, int) or value < 2:
                msg = f"remove_noise_runs: {field} must be an integer of at least 2, got {value!r}"
                raise ConfigError(msg)

    def edits(self, text: str) -> Iterator[Edit]:
        for m in _runs(text):
            run = m.group()
            parts = run.split()
            if len(parts) < self.min_tokens:
                continue
            marks = "".join(parts)
            if len(marks) < self.min_chars or len(set(marks)) < self.min_kinds:
                continue
            start, end = m.span()
            line_start = text.rfind("\n", 0, start) + 1
            if text[line_start:start].strip() == "" and (end == len(text) or text[end] == "\n"):
                # The run fills its line: delete the line, break included.
                start = line_start
                if end < len(text):
                    end += 1
                elif start > 0:
                    start -= 1
            yield Edit(start, end, "", self.name, "noise_run", 0.9)


# Letters ending or starting at a guillemet ("earning»", "»hip"); found around each guillemet
# only, so a text without any costs two `in` tests.
_GLYPH_RE = regex.compile(r"[«»]")
_LETTERS_BEFORE_RE = regex.compile(r"(?<![\p{L}\p{M}«»])\p{L}{2,}$", regex.V1)
_LETTERS_AFTER_RE = regex.compile(r"^\p{L}{2,}(?![\p{L}\p{M}«»])", regex.V1)
_GLUE_BLOCK = frozenset("«»")


_HYPHENS = frozenset("-\u00ac\u00ad\u2010\u2011")


def _glues(c: str, beyond: str) -> bool:
    """Whether ``c``, beside a glyph, is part of a word (letter, digit, mark), a glyph, a
    joiner, or a hyphen with a letter ``beyond`` it (one that dehyphenate would read between
    two letters once the glyph is gone)."""
    return (
        c.isalnum()
        or c in _GLUE_BLOCK
        or unicodedata.category(c)[0] == "M"
        or unicodedata.category(c) == "Cf"  # a joiner: it would be beside the word
        or (c in _HYPHENS and beyond.isalpha())
    )


def _line_start(text: str, at: int) -> bool:
    """Whether only spaces or tabs lie between the last line break and ``at`` (not the text
    start)."""
    i = at - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i >= 0 and text[i] == "\n"


# A quotation between guillemets on one line («Bonjour», »so«): such glyphs are quotes.
_GUILLEMET_QUOTE_RE = regex.compile(
    r"(?<!\S)«[^«»\n]{1,300}?»(?!\p{L})|(?<!\S)»[^«»\n]{1,300}?«(?!\p{L})", regex.V1
)
_WORD_LEFT_RE = regex.compile(r"(\p{L}+)\s+$", regex.V1)
_WORD_RIGHT_RE = regex.compile(r"^\s+(\p{L}+)", regex.V1)


@register
@dataclass(frozen=True, slots=True)
class FixGluedGlyphs:
    """Repair a guillemet glued to a word that OCR printed for a damaged letter or a speck
    ("earning»" → "earnings", "»hip" → "ship", "the»" → "the").

    A glued « or » that no other guillemet on its line pairs with as a quotation is not a
    quote mark. OCR prints it mostly for a damaged "s" (the letter beside it) and otherwise
    for a speck. Reading it as "s" is taken when that gives a known word and dropping it does
    not; dropping it when only that gives a known word; when both do, the neighbouring word
    decides by bigram evidence, and without any, the glyph is dropped. Lines with a
    guillemet quotation («Bonjour», »so«) are left alone.

    Args:
        known_zipf: A reading must be at least this frequent in the lexicon to count as known.
        lang: Lexicon language.

    >>> from textfix.edits import apply_edits
    >>> s = "the earning» of »ome ships were paid»\\nHe said «oui» and left."
    >>> apply_edits(s, FixGluedGlyphs().edits(s))
    'the earnings of some ships were paid\\nHe said «oui» and left.'
    """

    name: ClassVar[str] = "fix_glued_glyphs"
    stream_context: ClassVar[int] = 2  # lines read around a glyph (textfix.stream)
    known_zipf: float = 3.0
    lang: str = "en"

    def __post_init__(self) -> None:
        if not isinstance(self.known_zipf, (int, float)) or not 0 <= self.known_zipf <= 8:
            msg = f"fix_glued_glyphs: known_zipf must be in [0, 8], got {self.known_zipf!r}"
            raise ConfigError(msg)

    def edits(self, text: str) -> Iterator[Edit]:
        if "«" not in text and "»" not in text:
            return
        from textfix.lexicon import load_bigrams, load_lexicon

        quoted = [m.span() for m in _GUILLEMET_QUOTE_RE.finditer(text)]  # sorted, disjoint
        quote_starts = [a for a, _b in quoted]
        lex = load_lexicon(self.lang)
        floor = 10 ** (self.known_zipf - 9)
        for g in _GLYPH_RE.finditer(text):
            at = g.start()
            q = bisect.bisect_right(quote_starts, at) - 1
            if q >= 0 and at < quoted[q][1]:
                continue  # inside a quotation between guillemets
            before = text[at - 1] if at else " "
            after = text[at + 1] if at + 1 < len(text) else " "
            # The other side must not be part of a word either: deleting the glyph there
            # would glue two tokens into one ("AA«0" -> "AA0"), which a word stage would
            # judge anew on a second run.
            beyond_after = text[at + 2] if at + 2 < len(text) else " "
            beyond_before = text[at - 2] if at >= 2 else " "
            if before.isalpha() and not _glues(after, beyond_after):
                m = _LETTERS_BEFORE_RE.search(text, max(0, at - 40), at)
                at_start = False
            elif after.isalpha() and not _glues(before, beyond_before):
                m = _LETTERS_AFTER_RE.match(text[at + 1 : at + 41])
                at_start = True
            else:
                continue
            if m is None:
                continue
            word = m.group()
            if at_start and len(word) == 40:
                continue  # a longer run of letters than we look at
            if at_start and word[0].islower() and _line_start(text, at):
                # The line would start with a lowercase letter: unwrap_lines, which ran
                # before, read the glyph there, and would join the line on a second run.
                continue
            start, end = (at, at + 1 + len(word)) if at_start else (m.start(), at + 1)
            glyph_at = at
            with_s = "s" + word if at_start else word + "s"
            if word.isupper():
                with_s = with_s.upper()
            s_known = lex.freq(with_s.lower()) >= floor
            bare_known = lex.freq(word.lower()) >= floor
            if not s_known and not bare_known:
                continue
            rep = ""
            if s_known and not bare_known:
                rep = "S" if word.isupper() else "s"
            elif s_known and bare_known:
                if at_start:
                    left = _WORD_LEFT_RE.search(text, max(0, start - 30), start)
                    pair = (left.group(1).lower() + " ") if left else ""
                    a, b = f"{pair}{with_s.lower()}", f"{pair}{word.lower()}"
                else:
                    right = _WORD_RIGHT_RE.match(text[end : end + 30])
                    pair = (" " + right.group(1).lower()) if right else ""
                    a, b = f"{with_s.lower()}{pair}", f"{word.lower()}{pair}"
                if pair:
                    bigrams = load_bigrams()
                    if bigrams.get(a, 0) > 2 * bigrams.get(b, 0):
                        rep = "S" if word.isupper() else "s"
            yield Edit(glyph_at, glyph_at + 1, rep, self.name, "glyph_s" if rep else "glyph", 0.8)
