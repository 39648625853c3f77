"""Lines and pages: page furniture, line-break hyphenation and paragraph reflow.

These stages work on whole documents, because the evidence they need is spread over the
document: a page number is told from a year by its neighbours and by the other page numbers,
a running head by its recurrence near page boundaries, and a line-break hyphen is joined or
kept according to how the same word is written elsewhere in the same text. They run after the
character stages (one newline convention, plain spaces) and in this order:

1. :class:`RemovePageFurniture` deletes page numbers, running heads and editor's page markers,
   so that a word split across a page break becomes a plain line-break split;
2. :class:`Dehyphenate` joins words split by a hyphen (at a line end, or left glued or spaced
   inside a line by earlier processing), or keeps the hyphen of a real compound;
3. :class:`UnwrapLines` joins hard-wrapped lines into paragraphs.

Every edit is minimal (a hyphen and a newline deleted, a newline turned into a space), so the
explanation of a change stays readable.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections import Counter, deque
from dataclasses import dataclass
from itertools import accumulate, compress, filterfalse, islice
from operator import itemgetter
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

import regex

from textfix.edits import Edit, apply_edits
from textfix.errors import ConfigError
from textfix.registry import register

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Iterator, Mapping

    from textfix.lexicon import Lexicon

__all__ = [
    "DEFAULT_PAGE_MARKERS",
    "Dehyphenate",
    "LineStats",
    "RemovePageFurniture",
    "UnwrapLines",
]


@functools.cache
def _lexicon() -> Lexicon:
    from textfix.lexicon import load_lexicon

    return load_lexicon("en")


@functools.lru_cache(maxsize=1 << 14)
def _zipf(word: str) -> float:
    """Return the lexicon's Zipf frequency of ``word``, from a bounded cache.

    The same words recur from line to line and from document to document.
    """
    return _lexicon().zipf(word)


# --- shared line helpers ------------------------------------------------------------------

# Sentence-final punctuation, possibly followed by closing quotes or brackets.
_CLOSERS = "\"'”’»)]"
# A line that starts like an item of a list: bullet, "1.", "(a)", "iv)".
_LIST_ITEM_RE = re.compile(
    r"^[ \t]*(?:[-•*–·▪][ \t]|\(?\d{1,3}[.)][ \t]|\(?[a-zA-Z][.)][ \t]|\([ivxlc]{1,5}\)[ \t])"
)
_LIST_ITEM_FIRST = frozenset(" \t-•*–·▪(")


def _is_list_item(line: str) -> bool:
    """Whether a (non-empty) line matches ``_LIST_ITEM_RE``, with a test of its start first."""
    c = line[0]
    if c in _LIST_ITEM_FIRST or c.isdecimal() or (c.isascii() and line[1:2] in (".", ")")):
        return _LIST_ITEM_RE.match(line) is not None
    return False


# Two or more runs of two spaces, or a tab, between words: a table row or aligned columns.
_TABLE_RE = re.compile(r"\S(?: {3,}|\t)\S")
_LETTERS_RE = re.compile(r"[^\W\d_]")


def _ends_sentence(s: str) -> bool:
    """Whether a (stripped) line ends with sentence-final punctuation, maybe then quotes."""
    if s[-1:].isalpha():
        return False  # (most lines: no closer to strip, and a letter is no digit)
    core = s.rstrip(_CLOSERS)
    if core[-1:].isdigit() and len(core) - len(core.rstrip("0123456789")) <= 3:
        core = core.rstrip("0123456789").rstrip(_CLOSERS)  # a footnote mark: "other.21"
        return core[-1:] in (".", "!", "?")
    return (bool(core) and core[-1] in ".!?:;") or s[-1:] in ('"', "”", "»")


def _is_table(s: str) -> bool:
    return ("   " in s or "\t" in s) and _TABLE_RE.search(s) is not None


_ASCII_NON_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())
_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))


def _upper_ratio(s: str) -> float:
    if s.isascii():  # the same counts, from two byte deletions at C speed
        letters = s.encode("ascii").translate(None, _ASCII_NON_LETTERS)
        lower = len(letters.translate(None, _ASCII_UPPER))
        return (len(letters) - lower) / len(letters) if letters else 0.0
    letters_s = "".join(filter(str.isalpha, s))  # filter and map keep the loop in C
    return sum(map(str.isupper, letters_s)) / len(letters_s) if letters_s else 0.0


# The first character of a line that ``_PAGE_NUMBER_RE`` can match in full (or a digit).
_PAGE_NUMBER_FIRST = frozenset(" \t\fpPgG-–—[ivxlc")


def _is_page_number(line: str) -> bool:
    """Whether a (non-empty) line is shaped like a page number: ``_PAGE_NUMBER_RE`` in full."""
    c = line[0]
    if c in _PAGE_NUMBER_FIRST or c.isdecimal():
        return _PAGE_NUMBER_RE.fullmatch(line) is not None
    return False


# --- page furniture -----------------------------------------------------------------------

_ROMAN = r"(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
# A page number alone on a line, in its common dressings. Named groups say which dressing.
_PAGE_NUMBER_BODY = (
    r"[ \t\f]*(?:"
    r"(?i:page|pg\.?|p\.)[ \t]*(?P<page>\d{1,4}|(?i:" + _ROMAN + r"))"
    r"|[-–—][ \t]*(?P<dash>\d{1,4}|" + _ROMAN + r")[ \t]*[-–—]"
    r"|\[[ \t]*(?P<bracket>\d{1,4})[ \t]*\]"
    r"|(?P<bare>\d{1,4})"
    r"|(?P<roman>" + _ROMAN + r")"
    r")[ \t\f]*"
)
_PAGE_NUMBER_RE = re.compile(r"(?m)^" + _PAGE_NUMBER_BODY + r"$")
# A running head fused with a page number: "OF FRYER BACON. 249", "12 THE SOCIALIST MESSENGER".
# A line can only be such a head when it holds a digit; lines are found from their digits.
_DIGIT_RE = re.compile(r"\d")
# ``regex`` scans for an ASCII digit many times faster than ``re`` scans for ``\d``; it finds
# the same digits when the only digits of the text are ASCII ones (see :func:`_digit_finder`).
_ASCII_DIGIT_RE = regex.compile(r"[0-9]")
_NON_ASCII_RUN_RE = regex.compile(r"[^\x00-\x7f]+")


def _digit_finder(text: str) -> re.Pattern[str] | regex.Pattern[str]:
    r"""Return a pattern that finds in ``text`` exactly the characters ``\d`` finds, fast."""
    # (``re``'s ``\d`` is ``str.isdecimal``: one search of the non-ASCII characters)
    if text.isascii() or _DIGIT_RE.search("".join(_NON_ASCII_RUN_RE.findall(text))) is None:
        return _ASCII_DIGIT_RE
    return _DIGIT_RE


# The same, found from the newline before the line (a literal prefix lets ``re`` jump from
# newline to newline instead of trying the multiline ``^`` at every position); the line that
# opens the text is matched with ``_PAGE_NUMBER_RE`` itself.
_PAGE_NUMBER_AFTER_NL_RE = re.compile(r"\n" + _PAGE_NUMBER_BODY + r"(?=\n|\Z)")
_FUSED_HEAD_RE = re.compile(
    r"[ \t\f]*(?:(?P<num1>\d{1,4})[ \t]+(?P<head1>[^\d\n]{3,70}?)"
    r"|(?P<head2>[^\d\n]{3,70}?)[ \t]+(?P<num2>\d{1,4}))[ \t\f]*"
)

#: Editor's page markers of web transcriptions: "{p. 234}", "[p. 12]", "[Pg 7]", "[Page 7]".
DEFAULT_PAGE_MARKERS: tuple[str, ...] = (
    r"\{(?i:p|pg|page)\.?[ \t]*[\dxvilc]{1,5}\}",
    r"\[(?i:p|pg|page)\.?[ \t]*[\dxvilc]{1,5}\]",
)


@functools.cache
def _marker_re(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _line_at(text: str, pos: int) -> tuple[int, int]:
    """Return the span of the line holding ``pos``, without its newline."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _neighbour(text: str, start: int, end: int, *, forward: bool) -> tuple[str, int, int]:
    """Return the nearest non-blank line before or after the line ``[start, end)``.

    Returns:
        The line (``""`` at the edge of the text), how many blank lines lie in between, and
        the offset where the line starts.
    """
    blanks = 0
    if forward:
        pos = end + 1
        while pos <= len(text):
            nl = text.find("\n", pos)
            stop = len(text) if nl < 0 else nl
            line = text[pos:stop]
            if line.strip(" \t\f\r"):
                return line, blanks, pos
            blanks += 1
            if nl < 0:
                break
            pos = nl + 1
            if blanks > 8:
                break
        return "", blanks, -1
    pos = start - 1
    while pos > 0:
        begin = text.rfind("\n", 0, pos) + 1
        line = text[begin:pos]
        if line.strip(" \t\f\r"):
            return line, blanks, begin
        blanks += 1
        pos = begin - 1
        if blanks > 8:
            break
    return "", blanks, -1


def _numeric_start(line: str) -> bool:
    """Whether a line looks like a row of a table or a list: a number at either end."""
    s = line.strip()
    return bool(s) and (
        s[0].isdigit()
        or s[0] in "([$£€#-"
        or s[-1].isdigit()
        or (len(s) <= 8 and any(c.isdigit() for c in s))
        or _is_table(s)
    )


def _heading_like(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > 60 or s[0].islower() or s[-1] in ",;":
        return False
    upper = _upper_ratio(s)
    if s[-1] == "." and upper < 0.8:
        return False
    return upper >= 0.8 or s.istitle()


def _flows(prev: str, nxt: str) -> bool:
    """Whether a sentence visibly runs on from ``prev`` to ``nxt``."""
    p, n = prev.rstrip(), nxt.lstrip()
    return bool(p and n) and not _ends_sentence(p) and (n[0].islower() or p[-1] in "-¬,")


_NON_LETTERS_RE = re.compile(r"[\d\W_]+")


def _head_key(head: str) -> str:
    return " ".join(_NON_LETTERS_RE.sub(" ", head.casefold()).split())


@register
@dataclass(frozen=True, slots=True)
class RemovePageFurniture:
    r"""Delete page numbers, running heads and editor's page markers.

    A page number alone on a line ("4", "- 12 -", "[12]", "xiv", "Page 7") is removed unless it
    looks like content: a number beside other numeric lines (a table, a list), a number that
    heads a chapter title, a year that nothing marks as a page number. A running head is a
    short line that recurs near the page boundaries the page numbers and form feeds mark,
    fused with a page number ("OF FRYER BACON. 249") or on its own; recurrence is judged with
    a fuzzy match (rapidfuzz), so OCR noise in the head does not hide it. The whole line,
    newline included, is deleted. Editor's page markers ("{p. 234}") are deleted in place.

    Args:
        markers: Regular expressions for editor's page markers; empty to keep them.
        min_head_repeats: How many times a line without a page number must recur near page
            boundaries to count as a running head (and on at least 40% of the pages).
        head_similarity: The rapidfuzz ``ratio`` (0-100) above which two heads are the same.

    >>> from textfix.edits import apply_edits
    >>> s = "the end of a sentence\n\n12\n\nthat runs on. See {p. 3} here.\n"
    >>> apply_edits(s, RemovePageFurniture().edits(s))
    'the end of a sentence\n\n\nthat runs on. See here.\n'
    """

    name: ClassVar[str] = "remove_page_furniture"
    # Streaming (textfix.stream, textfix.stream_furniture): lines read around a candidate
    # (its neighbours up to nine lines away, over up to four rounds of detection).
    stream_context: ClassVar[int] = 48
    markers: tuple[str, ...] = DEFAULT_PAGE_MARKERS
    min_head_repeats: int = 2
    head_similarity: float = 85.0

    def __post_init__(self) -> None:
        if not isinstance(self.markers, tuple) or not all(isinstance(p, str) for p in self.markers):
            msg = "remove_page_furniture: markers must be a tuple of regular expressions"
            raise ConfigError(msg)
        try:
            _marker_re(self.markers)
        except re.error as exc:
            msg = f"remove_page_furniture: bad marker pattern: {exc}"
            raise ConfigError(msg) from None
        if self.min_head_repeats < 2:
            msg = "remove_page_furniture: min_head_repeats must be at least 2"
            raise ConfigError(msg)
        if not 50 <= self.head_similarity <= 100:
            msg = "remove_page_furniture: head_similarity must be between 50 and 100"
            raise ConfigError(msg)

    def stream_survey(self, windows: Callable[[], Iterator[Any]]) -> Any:
        """Decide over a whole streamed document (see :mod:`textfix.stream_furniture`)."""
        from textfix.stream_furniture import survey_furniture

        return survey_furniture(self, windows)

    def edits(self, text: str, survey: Any = None) -> Iterator[Edit]:
        marker_re = _marker_re(self.markers)
        marks: list[Edit] = []
        if marker_re is not None and ("{" in text or "[" in text):
            marks = _marker_edits(text, marker_re, self.name)
        # Furniture is judged on the text without the markers, so that a line left with a
        # page number alone once its marker is gone is treated as a rerun would treat it.
        base = apply_edits(text, marks) if marks else text
        if survey is None:
            lines = _furniture_lines(base, self.min_head_repeats, self.head_similarity)
        else:  # streamed: the lines found in the whole document (textfix.stream_furniture)
            lines = survey.lines(len(base))
        if marks and lines:
            starts: list[int] = []  # where each deletion sits in ``base``
            totals: list[int] = []  # characters deleted up to and including it
            deleted = 0
            for e in marks:
                starts.append(e.start - deleted)
                deleted += e.end - e.start
                totals.append(deleted)
            mapped = []
            for start, _end, rule, conf in lines:
                i = bisect.bisect_right(starts, start) - 1
                ls, le = _line_at(text, start + (totals[i] if i >= 0 else 0))
                mapped.append((ls, le, rule, conf))
            lines = mapped
        cuts: list[Edit] = []
        last_end = -1
        for start, end, rule, conf in lines:
            # Lines are sorted; the last line's deletion takes the newline before it.
            cut = _delete_line(text, start, end, self.name, rule, conf)
            if cut.start < last_end:  # the newline before the last line is already gone
                cut = Edit(last_end, cut.end, "", self.name, rule, conf)
            if cut.end > cut.start:
                last_end = cut.end
                cuts.append(cut)
        # All of these are deletions: where a line and a marker overlap, delete both at once.
        merged: list[Edit] = []
        for e in sorted(cuts + marks, key=lambda e: (e.start, e.end)):
            if merged and e.start < merged[-1].end:
                prev = merged[-1]
                merged[-1] = Edit(prev.start, max(prev.end, e.end), "", self.name, prev.rule)
            else:
                merged.append(e)
        yield from merged


def _marker_edits(text: str, marker_re: re.Pattern[str], stage: str) -> list[Edit]:
    """Delete editor's page markers: the whole line when nothing else is on it."""
    out: list[Edit] = []
    last_end = -1
    for m in marker_re.finditer(text):
        ls, le = _line_at(text, m.start())
        if ls < last_end and m.start() < last_end:
            continue  # the whole line is already gone
        if not marker_re.sub("", text[ls:le]).strip():
            cut = _delete_line(text, ls, le, stage, "page_marker", 1.0)
            if cut.start < last_end:
                cut = Edit(last_end, cut.end, "", stage, "page_marker", 1.0)
            out.append(cut)
            last_end = cut.end
            continue
        s, e = m.start(), m.end()
        before = text[s - 1] if s > 0 else "\n"
        after = text[e] if e < len(text) else "\n"
        if after == " " and before in " \n":
            e += 1
        elif before == " " and after in " \n.,;:!?)":
            s -= 1
        s = max(s, last_end)
        out.append(Edit(s, e, "", stage, "page_marker", 1.0))
        last_end = e
    return out


def _furniture_lines(
    text: str, min_repeats: int, similarity: float
) -> list[tuple[int, int, str, float]]:
    """Return ``(start, end, rule, confidence)`` of the furniture lines, sorted.

    Removing furniture can put new furniture next to a page boundary (a head under a head,
    a number under a head), so detection runs again on the text without the lines found, a
    few rounds, until nothing new turns up; that keeps the stage idempotent.
    """
    found: dict[int, tuple[int, int, str, float]] = {}
    current = text
    starts: list[int] = []  # offsets in ``current`` where deleted text was
    shifts: list[int] = []  # characters deleted before each of those offsets
    for _round in range(4):
        new: list[tuple[int, int, str, float]] = []
        pages = list(_page_numbers(current))
        new.extend((s, e, rule, 0.95) for s, e, rule in pages)
        taken = {s for s, _e, _r in pages}
        for s, e, rule in _running_heads(current, sorted(taken), min_repeats, similarity):
            if s not in taken:
                taken.add(s)
                new.append((s, e, rule, 0.9))
        if not new:
            break
        for s, e, rule, conf in new:
            shift = shifts[bisect.bisect_right(starts, s) - 1] if starts else 0
            found.setdefault(s + shift, (s + shift, e + shift, rule, conf))
        spans = [
            (e.start, e.end)
            for e in (
                _delete_line(text, s, en, "", "", 0.0) for s, en, _r, _c in sorted(found.values())
            )
        ]
        pieces: list[str] = []
        starts, shifts = [0], [0]
        pos = deleted = 0
        for s, e in spans:
            s = max(s, pos)  # the last line's deletion may take the newline already taken
            if e <= s:
                continue
            pieces.append(text[pos:s])
            deleted += e - s
            pos = e
            starts.append(s - deleted + (e - s))
            shifts.append(deleted)
        pieces.append(text[pos:])
        current = "".join(pieces)
    return sorted(found.values())


def _delete_line(text: str, start: int, end: int, stage: str, rule: str, conf: float) -> Edit:
    """Delete the line ``[start, end)`` with its newline."""
    if end < len(text):
        end += 1  # the newline
    elif start > 0:
        start -= 1  # last line: take the newline before it instead
    return Edit(start, end, "", stage, rule, conf)


def _page_number_matches(text: str) -> Iterator[re.Match[str]]:
    """Yield the matches of ``_PAGE_NUMBER_RE`` over ``text``, line by line, in order.

    A match found after a newline starts at that newline.
    """
    m = _PAGE_NUMBER_RE.match(text)
    if m is not None:
        yield m
    if "\n" in text:
        yield from _PAGE_NUMBER_AFTER_NL_RE.finditer(text)


def _page_numbers(
    text: str, bare: list[tuple[int, int]] | None = None, offset: int = 0
) -> Iterator[tuple[int, int, str]]:
    """Yield ``(line_start, line_end, rule)`` of every line that is a page number.

    ``bare`` (for streaming) gives the ``(offset, value)`` of the bare numbers of the whole
    document that could be years' neighbours, ``text`` starting at ``offset`` in it.
    """
    candidates: list[tuple[int, int, str, int]] = []
    for m in _page_number_matches(text):
        start, end = _line_at(text, m.start() if text[m.start()] != "\n" else m.start() + 1)
        if m["bare"] is not None:
            if m["bare"][0] == "0":
                continue  # no page is numbered 0 or 007
            kind, value = "bare", int(m["bare"])
        elif m["roman"] is not None:
            if m["roman"] in {"c", "l"}:
                continue
            kind, value = "roman", -1
        else:
            kind, value = "dressed", -1
        candidates.append((start, end, kind, value))
    if not candidates:
        return
    if len(candidates) == 1:
        start, end = candidates[0][:2]
        if not text[:start].strip() and not text[end:].strip():
            return  # a text that is only a number is content (a field, a cell), not a page's
    starts = {c[0] for c in candidates}
    # Page numbers grow through the document, a page (several hundred characters) apart.
    if bare is None:
        bare = [(c[0], c[3]) for c in candidates if c[2] == "bare"]
    for start, end, kind, value in candidates:
        prev, prev_blanks, prev_at = _neighbour(text, start, end, forward=False)
        nxt, next_blanks, next_at = _neighbour(text, start, end, forward=True)
        # A table or list: a numeric line (or another candidate) right beside this one.
        if (prev and prev_blanks <= 1 and (_numeric_start(prev) or prev_at in starts)) or (
            nxt and next_blanks <= 1 and (_numeric_start(nxt) or next_at in starts)
        ):
            continue
        flows = _flows(prev, nxt)
        if kind == "dressed":
            yield start, end, "page_number"
            continue
        # A chapter number: a heading follows and the text before it is complete.
        if _heading_like(nxt) and not flows and (not prev or _ends_sentence(prev.rstrip())):
            continue
        if kind == "bare" and 1000 <= value <= 2100:
            # A year stays unless the other page numbers or the running text make it a page.
            at = start + offset
            near = [
                v
                for p, v in bare
                if 0 < (v - value) * (p - at) and abs(v - value) <= 20 and abs(p - at) > 400
            ]
            if not (flows or near):
                continue
        if kind == "roman" and not flows:
            continue  # "v" or "xi" alone may be a list mark or a chapter; need running text
        yield start, end, "page_number"


def _running_heads(
    text: str, page_lines: list[int], min_repeats: int, similarity: float
) -> Iterator[tuple[int, int, str]]:
    """Yield the lines that are running heads or footers."""
    fused, near, bounds = _head_items(text, page_lines)
    yield from _head_clusters(fused, [n[:3] for n in near], len(bounds), min_repeats, similarity)


def _head_items(
    text: str, page_lines: list[int]
) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str, int]], list[int]]:
    """Find the lines that may be running heads.

    Returns:
        The heads fused with a page number ``(start, end, key)``, in order; the lines beside
        page boundaries ``(start, end, key, boundary)``, in the order of their boundaries;
        and the boundaries (line starts), sorted.
    """
    # Heads fused with a page number.
    fused: list[tuple[int, int, str]] = []
    pos = 0
    # (a text of one line longer than a head, as many are, has none: no digit to look for)
    digit = None if len(text) > 90 and "\n" not in text else _digit_finder(text)
    while digit is not None and (n := digit.search(text, pos)) is not None:
        start, end = _line_at(text, n.start())
        pos = end + 1  # one look at each line that holds a digit
        if end - start > 90:
            continue
        # (a fused head starts or ends with its number: most lines with a digit do neither)
        core = text[start:end].strip(" \t\f")
        if not (core[:1].isdecimal() or core[-1:].isdecimal()):
            continue
        m = _FUSED_HEAD_RE.fullmatch(text, start, end)
        if m is None:
            continue
        head = m["head1"] if m["head1"] is not None else m["head2"]
        if len(_LETTERS_RE.findall(head)) < 3 or _upper_ratio(head) < 0.8:
            continue
        fused.append((start, end, _head_key(head)))
    # Lines beside page boundaries: form feeds and page-number lines.
    bounds = list(page_lines)
    pos = text.find("\f")
    while pos >= 0:
        bounds.append(text.rfind("\n", 0, pos) + 1)
        pos = text.find("\f", pos + 1)
    bounds.extend(f[0] for f in fused)
    bounds = sorted(set(bounds))
    near: list[tuple[int, int, str, int]] = []
    seen: set[int] = {f[0] for f in fused}
    for b in bounds:
        bs, be = _line_at(text, b)
        for forward in (False, True):
            line, blanks, ls = _neighbour(text, bs, be, forward=forward)
            if not line or blanks > 3 or len(line.strip()) > 80 or ls in seen:
                continue
            seen.add(ls)
            key = _head_key(line)
            if len(key) >= 3:
                near.append((ls, ls + len(line), key, b))
    return fused, near, bounds


def _head_clusters(
    fused: list[tuple[int, int, str]],
    near: list[tuple[int, int, str]],
    n_bounds: int,
    min_repeats: int,
    similarity: float,
) -> Iterator[tuple[int, int, str]]:
    """Cluster the candidate heads by fuzzy similarity; yield those of recurring clusters."""
    if not fused and not near:
        return  # (most texts: no import to look up)
    from rapidfuzz import fuzz

    clusters: list[list[tuple[int, int, str]]] = []
    for item in fused + near:
        for cl in clusters:
            if fuzz.ratio(cl[0][2], item[2]) >= similarity:
                cl.append(item)
                break
        else:
            clusters.append([item])
    fused_starts = {f[0] for f in fused}
    # A running head recurs on a good share of the pages; a chapter heading does not.
    needed = max(min_repeats, (2 * n_bounds + 4) // 5)
    for cl in clusters:
        n_fused = sum(1 for c in cl if c[0] in fused_starts)
        if n_fused >= 2 or len(cl) >= needed:
            for start, end, _key in cl:
                yield start, end, "running_head"


# --- dehyphenation ------------------------------------------------------------------------

_HYPHENS = "-¬\u00ad\u2010\u2011"
_TYPESET_HYPHENS = "¬\u00ad"
_LETTER = r"[^\W\d_]"
# Candidates are found from the hyphen (or the line end) outwards, with the standard ``re``
# module, which is several times faster than ``regex`` on these simple classes; the words on
# either side are then read with anchored matches on a short window. Each pattern starts with
# the hyphen itself and checks the letter before it with a lookbehind placed after it, so that
# ``re`` can skip ahead to the next hyphen character at C speed (a leading lookbehind would be
# tried at every position of the text).
#: A hyphen at a line end, then the line break (blank lines, form feeds and indentation
#: included, a form feed before the newline too), then a letter.
_BREAK_AT_RE = re.compile(
    rf"[-¬\u00ad\u2010\u2011](?<={_LETTER}.)[ \t\f]*\n[ \t\n\f\r]*(?={_LETTER})"
)
#: A hyphen between letters inside a line ("Ameri-can"), or followed by one space in reflowed
#: text ("conversa- tion").
_INLINE_AT_RE = re.compile(rf"[-\u2010\u2011¬\u00ad](?<={_LETTER}.) ?(?={_LETTER})")
#: A line break before a letter; :func:`_lost_breaks` looks back from it for the letter (maybe
#: followed by a misread hyphen glyph) that ends the line before.
_NEWLINE_LETTER_RE = re.compile(rf"\n[ \t]*(?={_LETTER})")
_MISREAD_HYPHENS = ".,:;~=«»*^'\""
_RIGHT_WORD_RE = re.compile(rf"{_LETTER}+")
_WINDOW = 80  # longest word part read on either side of a hyphen


class _Split(NamedTuple):
    """A word split in two: ``left``, the hyphen, the gap, ``right``, with their offsets."""

    start: int  # where ``left`` starts
    left: str
    hy_start: int
    hy: str  # the hyphen character ("" when the OCR lost it)
    gap: str  # what lies between the hyphen and ``right``
    right: str
    right_end: int
    gap_end: int  # where ``right`` starts


def _split_at(
    text: str, hy_start: int, hy_len: int, gap_end: int, *, after_hyphen: bool = False
) -> _Split | None:
    """Read the words on either side of a hyphen; ``None`` when they are not whole words.

    With ``after_hyphen``, ``left`` may be the last part of a hyphenated compound.
    """
    # The left word is read on the reversed window, with an anchored match: several times
    # faster than searching the window for ``{_LETTER}+\Z``, and it finds the same start.
    lm = _RIGHT_WORD_RE.match(text[max(0, hy_start - _WINDOW) : hy_start][::-1])
    start = hy_start - (lm.end() if lm is not None else 0)
    rm = _RIGHT_WORD_RE.match(text, gap_end, gap_end + _WINDOW)
    if start == hy_start or rm is None:
        return None
    right_end = rm.end()
    before = text[start - 1] if start > 0 else " "
    if before.isalnum() or before == "_" or (not after_hyphen and before in _HYPHENS):
        return None  # a digit, or a longer compound before it
    if right_end < len(text) and (text[right_end].isalnum() or text[right_end] == "_"):
        return None  # the window cut a long word
    return _Split(
        start,
        text[start:hy_start],
        hy_start,
        text[hy_start : hy_start + hy_len],
        text[hy_start + hy_len : gap_end],
        rm.group(),
        right_end,
        gap_end,
    )


_ROMAN_LINE_RE = re.compile(_ROMAN + r"[ \t]*(?:\n|\Z)")


_HYPHEN_RUNS = {h: re.compile(re.escape(h) + "+") for h in _HYPHENS}


def _hyphen_offsets(text: str) -> list[int]:
    """Return the offsets of the hyphen characters (``_HYPHENS``) of ``text``, in order.

    Trying the candidate patterns, which start with a hyphen and hold no other, at each of
    these (found with ``str.find`` at C speed) gives what ``finditer`` gives, several times
    faster than letting ``re`` scan the text.
    """
    out: list[int] = []
    find = text.find
    n = len(text)
    for h in _HYPHENS:
        i = find(h)
        while i >= 0:
            # A hyphen after a hyphen never starts a candidate (a letter must come before
            # it), so only the first of a run is kept, and a run is skipped at C speed.
            if i == 0 or text[i - 1] not in _HYPHENS:
                out.append(i)
            i += 1
            if i < n and text[i] == h and (run := _HYPHEN_RUNS[h].match(text, i)) is not None:
                i = run.end()
            i = find(h, i)
    out.sort()
    return out


def _scan_breaks(text: str, hyphens: list[int] | None = None) -> list[_Split]:
    out = []
    match = _BREAK_AT_RE.match
    for p in _hyphen_offsets(text) if hyphens is None else hyphens:
        if (m := match(text, p)) is None:
            continue
        sp = _split_at(text, m.start(), 1, m.end(), after_hyphen=True)
        if sp is not None and not _ROMAN_LINE_RE.match(text, sp.gap_end):
            out.append(sp)  # (a roman numeral alone on the next line is a page number)
    return out


def _scan_inline(text: str, hyphens: list[int] | None = None) -> list[_Split]:
    out = []
    n = len(text)
    match = _INLINE_AT_RE.match
    for p in _hyphen_offsets(text) if hyphens is None else hyphens:
        if (m := match(text, p)) is None or not text[m.end()].islower():
            continue
        sp = _split_at(text, m.start(), 1, m.end())
        if sp is None:
            continue
        e = sp.right_end
        if e + 1 < n and text[e] in _HYPHENS and text[e + 1].isalnum():
            continue  # three parts or more: "Mont-le-Grand"
        out.append(sp)
    return out


def _lost_breaks(text: str) -> Iterator[tuple[int, int]]:
    r"""Yield ``(start, end)`` of each line end between letters, maybe after a misread hyphen.

    The span runs from after the letter that ends the line (the glyph, spaces and the newline)
    to the letter that starts the next one: "con" / "stitution", "con." / "stitution". This is
    what the pattern ``(?<=L)[glyphs]?[ \t]*\n[ \t]*(?=L)`` finds, but found from each newline
    and looking back, which is many times faster than a pattern that opens with a lookbehind.

    >>> list(_lost_breaks("con.\nstitution and 12\nmore\nwords"))
    [(3, 5), (26, 27)]
    """
    for m in _NEWLINE_LETTER_RE.finditer(text):
        start = _lost_break_start(text, m.start())
        if start >= 0:
            yield start, m.end()


def _lost_break_start(text: str, newline: int) -> int:
    """Where the span of :func:`_lost_breaks` ending at the line break ``newline`` starts.

    Returns:
        The offset after the letter that ends the line, or -1 when no letter (maybe followed
        by a misread hyphen glyph) ends it.
    """
    q = newline
    while q > 0 and text[q - 1] in " \t":
        q -= 1
    if q == 0:
        return -1
    if text[q - 1] in _MISREAD_HYPHENS:
        return q - 1 if q >= 2 and _LETTERS_RE.match(text, q - 2) else -1
    return q if _LETTERS_RE.match(text, q - 1) else -1


_LINE_START_WORD_RE = re.compile(rf"\n[ \t]*({_LETTER}+)")
# The same, cutting the text: newline and indent, then the word, at every third piece.
_LINE_START_SPLIT_RE = re.compile(rf"(\n[ \t]*)({_LETTER}+)")


def _scan_lost(text: str) -> Iterator[_Split]:
    # Most lines go on with a word of their own, and then the line end is no lost hyphen:
    # only the lines that start with a rare lowercase word are looked at. One C-speed pass
    # collects the line-start words; most documents have no rare one.
    # A long hard-wrapped text (many short lines, judged on its start) has many rare
    # line-start words, and then the lines are found from one split of the text (see
    # _lines_starting_with), which also gives the words: one pass instead of two.
    parts: list[str] | None = None
    if len(text) > _SPLIT_FIRST_CHARS and text.count("\n", 0, 8000) > 100:
        parts = _LINE_START_SPLIT_RE.split(text)
        words = parts[2::3]
    else:
        words = _LINE_START_WORD_RE.findall(text)
    if max(map(len, words), default=0) > _WINDOW:
        words = [w[:_WINDOW] for w in words]
    rare = {w for w in set(words) if w[0].islower() and _zipf(w) < _LOST_RIGHT_ZIPF}
    if not rare:
        return
    n = len(text)
    for newline, m_end in _lines_starting_with(text, rare, parts):
        m_start = _lost_break_start(text, newline)
        if m_start < 0:
            continue
        hy_len = 1 if text[m_start] not in " \t\n" else 0
        sp = _split_at(text, m_start, hy_len, m_end)
        if sp is None or len(sp.left) < 2 or len(sp.right) < 2:
            continue
        if sp.right_end < n and text[sp.right_end] in "-\u2010\u2011¬":
            continue
        yield sp


# Up to this many words, the lines that start with them are found with ``str.find``.
_FIND_WORDS = 8
# From this length on, a hard-wrapped text is cut at its line starts at once.
_SPLIT_FIRST_CHARS = 20_000


def _lines_starting_with(
    text: str, words: set[str], parts: list[str] | None = None
) -> list[tuple[int, int]]:
    """Return ``(newline, word start)`` of each line whose first word is one of ``words``.

    The first word is the run of letters after the newline and any spaces or tabs, cut to
    :data:`_WINDOW` letters (as :data:`_LINE_START_WORD_RE` reads it). The lines come in order.
    ``parts`` is the text cut by ``_LINE_START_SPLIT_RE``, when the caller has it.
    """
    if len(words) > _FIND_WORDS or "\n " in text or "\n\t" in text:
        # The offsets of the pieces, summed at C speed: the k-th line-start word is piece
        # 3k + 2, after its newline and indent (piece 3k + 1).
        if parts is None:
            parts = _LINE_START_SPLIT_RE.split(text)
        starts = parts[2::3]
        if max(map(len, starts), default=0) > _WINDOW:
            starts = [w[:_WINDOW] for w in starts]
        ends = list(accumulate(map(len, parts)))
        return [
            (ends[3 * k], ends[3 * k + 1])
            for k in compress(range(len(starts)), map(words.__contains__, starts))
        ]
    out = []
    letter = _LETTERS_RE.match
    for w in words:
        key = "\n" + w
        i = text.find(key)
        while i >= 0:
            # The whole run of letters, unless the word was cut to the window.
            if len(w) >= _WINDOW or not letter(text, i + len(key)):
                out.append((i, i + 1))
            i = text.find(key, i + 1)
    out.sort()
    return out


# A line-end split without a hyphen is joined only when the continuation is no word at all.
_LOST_RIGHT_ZIPF = 1.5
# Zipf frequency from which a joined form counts as a known word, and from which both halves
# count as words of their own (then the hyphen is more likely a compound's).
_JOIN_ZIPF = 3.0
_HALF_ZIPF = 4.0
# At a line end, two common halves whose joined form is rarer than this make a compound.
_COMPOUND_ZIPF = 2.0
# A rarer joined word still counts when neither half is a word ("inclina-tions").
_RARE_JOIN_ZIPF = 2.0
# Inside a line, a prefix of one or two letters before a word of this Zipf frequency is kept.
_PREFIXED_ZIPF = 2.5
# A document "glues" its line-break hyphens (the OCR lost the line ends and kept "Ameri-can")
# when it has at least this many inline splits that are joined as breaks, and at least one
# per this many characters. There, two common halves ("how-ever") are joined when the
# document writes the joined word elsewhere, or when the joined word is very common.
_GLUED_MIN = 2
_GLUED_CHARS = 10_000
_GLUED_JOIN_ZIPF = 5.0


# A word form: a run of word characters and hyphens; everything else separates forms.
_FORM_RUN_RE = re.compile(r"[\w\-\u2010\u2011]+")
# The commonest separators, turned into spaces with ``str.replace`` before the split.
_COMMON_PUNCTUATION = ".,;:!?()[]\"'*"


def _evidence(text: str) -> Counter[str]:
    """Count the word forms of ``text``: lowercase, hyphenated forms as one form.

    The text is split at whitespace and the common punctuation, at C speed; the few tokens
    left that hold other characters than word characters (hyphenated forms, rarer
    punctuation) are cut into forms with a regular expression. A half word left at a line end
    ("gov¬", "dele-") counts as a form of its own, which no decision asks for.

    >>> _evidence("The rail-way, the Railway; 12 railways.")["railway"]
    1
    """
    return _count_forms(_form_text(text))


def _count_forms(low: str) -> Counter[str]:
    """Count the word forms of ``low``, a text already put through :func:`_form_text`."""
    for c in _COMMON_PUNCTUATION:
        if c in low:
            low = low.replace(c, " ")
    counts = Counter(low.split())
    # ``isalnum`` is exactly the test of ``\w`` without "_": such a token is one form.
    for token in [t for t in counts if not t.isalnum()]:
        n = counts.pop(token)
        for form in _FORM_RUN_RE.findall(token):
            counts[form] += n
    return counts


def _count_these_forms(low: str, forms: Iterable[str]) -> dict[str, int]:
    """Count each of ``forms`` in ``low`` as :func:`_count_forms` would, in one pass.

    Only the tokens that are one of the forms, or that hold other characters than word
    characters, are looked at: cheaper than counting every form of the text.
    """
    wanted = frozenset(f for f in forms if f and not _NOT_FORM_CHAR_RE.search(f))
    for c in _COMMON_PUNCTUATION:
        if c in low:
            low = low.replace(c, " ")
    tokens = low.split()
    counts = Counter(filter(wanted.__contains__, tokens))  # the tokens that are one form
    # The other tokens that hold other characters than word characters are cut into forms in
    # one pass over them, joined by spaces. A wanted token was counted above, and a token
    # that is one form but not wanted adds nothing: only the tokens of several forms count.
    rest = " ".join(filterfalse(wanted.__contains__, filterfalse(str.isalnum, tokens)))
    if rest:
        counts.update(filter(wanted.__contains__, _FORM_RUN_RE.findall(rest)))
    return {f: counts[f] for f in forms}


def _form_text(text: str) -> str:
    """Lowercase ``text`` and write every hyphen as "-".

    The typesetter's hyphens ("¬", the soft hyphen) count as "-" too, because that is how
    the stage writes them when it keeps them: a rerun on the output then sees the same word
    forms ("social-demo¬" / "cratic" and "social-demo-" / "cratic" give the same evidence).
    """
    low = text.lower()
    for h in "\u2010\u2011¬\u00ad":
        if h in low:
            low = low.replace(h, "-")
    return low


_FORM_CHAR_RE = re.compile(r"[\w\-\u2010\u2011]")
_NOT_FORM_CHAR_RE = re.compile(r"[^\w\-\u2010\u2011]")
# Up to this many word forms are counted one by one with ``str.find``; past that the whole
# text is counted once, so the cost stays linear in the length of the text. Counting the whole
# text costs about as much as a hundred ``str.find`` scans of it.
_FIND_FORMS = 64


class _Evidence:
    """The counts of :func:`_evidence`, computed only for the forms that are asked for.

    Most documents ask for a handful of forms, and finding each with ``str.find`` (and
    checking that the match is a whole form) is far cheaper than splitting the whole text into
    forms. After :data:`_FIND_FORMS` forms the whole text is counted with :func:`_evidence`.
    When the caller knows that it will ask for more ``forms`` than that, they are counted at
    once, in one pass (:func:`_count_these_forms`).

    >>> ev = _Evidence("The rail-way, the Railway; 12 railways.")
    >>> ev["railway"], ev["rail-way"], ev["rail"]
    (1, 1, 0)
    """

    __slots__ = ("_cache", "_full", "_low", "_text")

    def __init__(self, text: str, *, forms: Collection[str] = ()) -> None:
        self._text = text
        self._low = ""  # the text lowercased, made on the first question
        self._cache: dict[str, int] = {}
        self._full: Counter[str] | None = None
        if len(forms) > _FIND_FORMS:  # more than are worth finding one by one
            self._low = _form_text(text)
            self._cache = _count_these_forms(self._low, forms)

    def __getitem__(self, form: str) -> int:
        if self._full is not None:
            return self._full[form]
        n = self._cache.get(form)
        if n is None:
            if not self._low:
                self._low = _form_text(self._text)
            if len(self._cache) >= _FIND_FORMS:
                self._full = _count_forms(self._low)
                return self._full[form]
            n = self._cache[form] = _count_form(self._low, form)
        return n


def _count_form(low: str, form: str) -> int:
    """Count the whole-form occurrences of ``form`` in ``low``, as :func:`_evidence` would."""
    if not form or _NOT_FORM_CHAR_RE.search(form):
        return 0  # no form counted by _evidence holds such characters (or whitespace)
    formchar = _FORM_CHAR_RE.match
    size, n, end = len(form), 0, len(low)
    i = low.find(form)
    while i >= 0:
        j = i + size
        if (i == 0 or not formchar(low, i - 1)) and (j == end or not formchar(low, j)):
            n += 1
        i = low.find(form, i + 1)
    return n


def _decide_break(left: str, right: str, hy: str, counts: _Evidence) -> tuple[bool, str, float]:
    """Decide whether a word split at a line end is joined. Returns (join, rule, confidence)."""
    joined = (left + right).lower()
    hyphened = f"{left}-{right}".lower()
    cj, ch = counts[joined], counts[hyphened]
    if cj != ch:
        return (cj > ch), ("doc_joined" if cj > ch else "doc_hyphenated"), 0.97
    if hy in _TYPESET_HYPHENS:
        return True, "typeset_break", 0.97
    if right[0].isupper() and not (left.isupper() and right.isupper()):
        return False, "capitalized", 0.8
    zj = _zipf(joined)
    if zj >= _JOIN_ZIPF:
        return True, "lexicon", 0.9
    if zj < _COMPOUND_ZIPF and _zipf(left) >= _HALF_ZIPF and _zipf(right) >= _HALF_ZIPF:
        return False, "compound", 0.7
    return True, "line_end", 0.75


def _decide_inline(
    left: str, right: str, counts: _Evidence, *, glued: bool = False
) -> tuple[bool, str, float]:
    """Decide whether a hyphen inside a line ("Ameri-can", "conversa- tion") is a break.

    Such a hyphen is as likely to be a compound's as a forgotten break, so the halves are
    checked first: two words of their own ("volley-ball"), or a short prefix before a word
    ("to-day", "co-operative"), keep the hyphen whatever the rest of the document does;
    except, in a document that ``glued`` its line-break hyphens (see :func:`_glued_breaks`),
    two halves of three letters or more whose joined word the document writes elsewhere and
    never hyphenated more often, or whose joined word is very common ("how-ever").
    """
    if len(left) < 2 or len(right) < 2:
        return False, "fragment", 0.5
    zl, zr = _zipf(left), _zipf(right)
    if len(left) <= 2 and zr >= _PREFIXED_ZIPF:
        return False, "prefix", 0.6
    joined = (left + right).lower()
    if (zl >= _HALF_ZIPF and zr >= _HALF_ZIPF) or (
        zl >= _JOIN_ZIPF and zr >= _JOIN_ZIPF and len(left) >= 4 and len(right) >= 4
    ):
        if glued and len(left) >= 3 and right[0].islower():
            cj = counts[joined]
            ch = counts[f"{left}-{right}".lower()]
            if cj >= max(1, ch):
                return True, "glued_doc", 0.9
            if ch <= 1 and _zipf(joined) >= _GLUED_JOIN_ZIPF:
                return True, "glued_lexicon", 0.85
        return False, "compound", 0.6
    cj = counts[joined]
    ch = counts[f"{left}-{right}".lower()]
    if cj:
        return (cj + 1 >= ch), "doc_joined", 0.95
    if ch >= 2:
        return False, "doc_hyphenated", 0.8
    zj = _zipf(joined)
    if zj >= _JOIN_ZIPF or (zj >= _RARE_JOIN_ZIPF and max(zl, zr) < _JOIN_ZIPF):
        return True, "lexicon", 0.85
    return False, "unknown", 0.5


def _glued_breaks(text: str, counts: Any, inline: list[_Split] | None = None) -> int:
    """Count the hyphens inside lines of ``text`` that are line-break hyphens beyond doubt.

    These are the splits without a space ("Ameri-can") that :func:`_decide_inline` joins on
    the document's own ``counts``: a document with many has lost its line ends and kept
    the hyphens glued, and there a hyphen between two common halves is a break too.

    >>> _glued_breaks("Ameri-can conversa-tion and how-ever", Counter())
    2
    """
    if inline is None:
        inline = _scan_inline(text)
    return sum(1 for m in inline if not m.gap and _decide_inline(m.left, m.right, counts)[0])


def _is_glued(n_glued: int, chars: int) -> bool:
    """Whether ``n_glued`` glued breaks in ``chars`` characters make a document that glues."""
    return n_glued >= _GLUED_MIN and n_glued * _GLUED_CHARS >= chars


def _decide_breaks(
    breaks: list[_Split], counts: Any, chained: tuple[list[str], list[str]] | None = None
) -> tuple[list[str], list[str], dict[tuple[str, str, str], tuple[bool, str, float]]]:
    """Decide every line-end split; returns the chained lefts and rights and the decisions.

    A word broken over three lines or more is a chain of breaks; each break is judged with
    everything before and after it in the chain, as a rerun would see it. ``chained`` is
    :func:`_chain` of ``breaks``, when the caller has it.
    """
    decided: dict[tuple[str, str, str], tuple[bool, str, float]] = {}
    lefts, rights = _chain(breaks) if chained is None else chained
    for b, left, right in zip(breaks, lefts, rights, strict=False):
        key = (left, right, b.hy)
        if key not in decided:
            decided[key] = _decide_break(left, right, b.hy, counts)
    return lefts, rights, decided


#: The longest word a chain of line-end splits is taken to spell. A chain that would be
#: longer starts again (no word is that long), which keeps the chained parts, and so time and
#: memory, linear in the text ("a-\na-\na-\n..." would otherwise be quadratic).
_MAX_CHAIN = 64


def _chain(breaks: list[_Split]) -> tuple[list[str], list[str]]:
    """The left and right parts of every split, extended along chains of splits.

    >>> s = "a-\\n" * 100
    >>> lefts, rights = _chain(_scan_breaks(s))
    >>> max(map(len, lefts)) <= _MAX_CHAIN and max(map(len, rights)) <= _MAX_CHAIN
    True
    """
    lefts = [b.left for b in breaks]
    rights = [b.right for b in breaks]
    for i in range(1, len(breaks)):
        if breaks[i].start == breaks[i - 1].gap_end:
            longer = lefts[i - 1] + lefts[i]
            if len(longer) <= _MAX_CHAIN:
                lefts[i] = longer
    for i in range(len(breaks) - 2, -1, -1):
        if breaks[i + 1].start == breaks[i].gap_end:
            longer = breaks[i].right + rights[i + 1]
            if len(longer) <= _MAX_CHAIN:
                rights[i] = longer
    return lefts, rights


def _glue_breaks(
    text: str,
    breaks: list[_Split],
    lefts: list[str],
    rights: list[str],
    decided: dict[tuple[str, str, str], tuple[bool, str, float]],
) -> str:
    """The text with the joined splits joined and the kept ones glued at their hyphen."""
    cuts = sorted(
        (b.hy_start if decided[(left, right, b.hy)][0] else b.hy_start + 1, b.gap_end)
        for b, left, right in zip(breaks, lefts, rights, strict=False)
    )
    pieces, pos = [], 0
    for cut_start, cut_end in cuts:
        pieces.append(text[pos:cut_start])
        pos = cut_end
    pieces.append(text[pos:])
    return "".join(pieces)


class _FormSurvey:
    """The survey of :class:`Dehyphenate` after two rounds: the form counts of the text, and
    how they change in the text with the line-end splits joined or glued (``plus`` and
    ``minus``, kept apart so that both add as counters).
    """

    __slots__ = ("chars", "counts", "glued", "minus", "plus")

    def __init__(
        self,
        counts: Counter[str],
        plus: Counter[str],
        minus: Counter[str],
        glued: int = 0,
        chars: int = 0,
    ) -> None:
        self.counts = counts
        self.plus = plus
        self.minus = minus
        self.glued = glued  # line-break hyphens glued inside lines (see _glued_breaks)
        self.chars = chars

    def __iadd__(self, other: _FormSurvey) -> _FormSurvey:
        self.plus.update(other.plus)
        self.minus.update(other.minus)
        self.glued += other.glued
        self.chars += other.chars
        return self

    def __add__(self, other: _FormSurvey) -> _FormSurvey:
        out = _FormSurvey(
            self.counts, Counter(self.plus), Counter(self.minus), self.glued, self.chars
        )
        out += other
        return out

    def inline(self) -> _GluedCounts:
        """The form counts of the glued text, on which hyphens inside lines are judged."""
        return _GluedCounts(self)


class _GluedCounts:
    __slots__ = ("_survey",)

    def __init__(self, survey: _FormSurvey) -> None:
        self._survey = survey

    def __getitem__(self, form: str) -> int:
        s = self._survey
        return s.counts[form] + s.plus[form] - s.minus[form]


@register
@dataclass(frozen=True, slots=True)
class Dehyphenate:
    r"""Join words split by a hyphen at a line break; keep the hyphen of real compounds.

    A split at a line end ("dele-" / "gation"), across blank lines or a page break whose
    furniture is gone, is joined or kept from evidence: first how the document itself writes
    the word (joined or hyphenated elsewhere), then the kind of hyphen ("¬" and the soft
    hyphen are a typesetter's breaks), a capital after the break ("White-" / "Guard"), and the
    lexicon (the joined form a known word, or both halves words of their own). Hyphens that a
    previous step left inside a line ("Ameri-can", "conversa- tion") are joined only when the
    joined word is clearly known and the halves are not both words. Numbers, dates and dashes
    are never touched.

    Args:
        keep_lines: Keep the line structure: move the second half of a joined word up to the
            first line instead of deleting the line break.

    >>> from textfix.edits import apply_edits
    >>> s = "the foreign dele-\ngation of the member-\nparties and Ameri-can gov¬\nernment"
    >>> apply_edits(s, Dehyphenate().edits(s))
    'the foreign delegation of the member-\nparties and American government'
    """

    name: ClassVar[str] = "dehyphenate"
    # Streaming (textfix.stream): lines read around a split, and the lines after which text
    # must not be cut (a hyphen at the end: the word, or a chain of parts, goes on below).
    stream_context: ClassVar[int] = 2
    stream_joins: ClassVar[re.Pattern[str] | None] = re.compile(r"[-¬\u00ad\u2010\u2011]\Z")
    survey_rounds: ClassVar[int] = 2
    keep_lines: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.keep_lines, bool):
            msg = "dehyphenate: keep_lines must be true or false"
            raise ConfigError(msg)

    def survey(self, text: str, earlier: Counter[str] | None = None) -> Any:
        """The document-wide evidence: how often each word form occurs (see :func:`_evidence`).

        The streamer (:mod:`textfix.stream`) surveys twice. The first round counts the word
        forms; the second (given the first as ``earlier``) counts how the forms change once
        the line-end splits are joined or glued, as decided with those counts: the hyphens
        inside lines are judged on that text. Both add up over pieces cut at line breaks
        that :attr:`stream_joins` allows.

        >>> stage = Dehyphenate()
        >>> text = "a rail-\\nway and the railway\\n"
        >>> counts = stage.survey(text)
        >>> counts["railway"], stage.survey(text, counts).inline()["railway"]
        (1, 2)
        """
        if earlier is None:
            return _evidence(text)
        breaks = _scan_breaks(text) if any(h in text for h in _HYPHENS) else []
        delta: Counter[str] = Counter()
        if breaks:
            lefts, rights, decided = _decide_breaks(breaks, earlier)
            glued = _glue_breaks(text, breaks, lefts, rights, decided)
            delta.update(_evidence(glued))
            delta.subtract(_evidence(text))
        n_glued = _glued_breaks(text, earlier) if any(h in text for h in _HYPHENS) else 0
        return _FormSurvey(earlier, +delta, -delta, n_glued, len(text))

    def edits(self, text: str, survey: _FormSurvey | None = None) -> Iterator[Edit]:
        made = list(self._hyphen_edits(text, survey)) if any(h in text for h in _HYPHENS) else []
        yield from made
        if "\n" in text:
            yield from self._lost_hyphens(text, made)

    def _hyphen_edits(self, text: str, survey: _FormSurvey | None = None) -> Iterator[Edit]:
        hyphens = _hyphen_offsets(text)
        breaks = _scan_breaks(text, hyphens)
        inline = _scan_inline(text, hyphens)
        if not breaks and not inline:
            return
        counts: Any
        chained = _chain(breaks)
        if survey is None:
            # Each break asks for two forms, joined and hyphenated: count them in one pass.
            pairs = list(zip(*chained, strict=True))
            forms = {f"{left}{right}".lower() for left, right in pairs}
            forms.update(f"{left}-{right}".lower() for left, right in pairs)
            counts = _Evidence(text, forms=forms)
        else:
            counts = survey.counts
        lefts, rights, decided = _decide_breaks(breaks, counts, chained)
        joined = [
            (b, left, right)
            for b, left, right in zip(breaks, lefts, rights, strict=False)
            if decided[(left, right, b.hy)][0]
        ]
        # The inline decisions count word forms in the text with the breaks joined and the
        # kept breaks glued ("gov-" / "Ameri-can" is one form "gov-ameri-can"), as a rerun
        # on the output of the reflow will. Gluing where the reflow does not glue is safe: a
        # rerun on unglued lines glues them here again.
        inline_counts = counts
        kept = [
            b
            for b, left, right in zip(breaks, lefts, rights, strict=False)
            if not decided[(left, right, b.hy)][0]
        ]
        if survey is not None:
            inline_counts = survey.inline()
        elif (joined or kept) and inline:
            inline_counts = _Evidence(_glue_breaks(text, breaks, lefts, rights, decided))
        # An inline hyphen right after or before a kept break is part of a longer compound
        # once the reflow glues the break ("gov-" / "Ameri-can"), which is never joined.
        kept_near = {b.gap_end for b in kept} | {b.hy_start for b in kept}
        last_end = -1
        name = self.name
        for b, left, right in zip(breaks, lefts, rights, strict=False):
            join, rule, conf = decided[(left, right, b.hy)]
            if not self.keep_lines:  # (what _break_edits makes, without a generator)
                if join:
                    yield Edit(b.hy_start, b.gap_end, "", name, rule, conf)
                elif b.hy in _TYPESET_HYPHENS:
                    yield Edit(b.hy_start, b.hy_start + 1, "-", name, "keep_hyphen", conf)
                continue
            for e in self._break_edits(text, b, join, rule, conf):
                if e.start >= last_end:  # keep_lines edits may reach the next break
                    last_end = e.end
                    yield e
        # A hyphen inside a line next to a joined break is judged on the whole joined word.
        before = {b.gap_end: left for b, left, _right in joined}
        after = {b.hy_start: right for b, _left, right in joined}
        inline_decided: dict[tuple[str, str], tuple[bool, str, float]] = {}
        glued: bool | None = None  # whether the document glues its breaks, found when asked
        for m in inline:
            if m.start in kept_near or m.right_end in kept_near:
                continue
            key2 = (before.get(m.start, "") + m.left, m.right + after.get(m.right_end, ""))
            if key2 not in inline_decided:
                decision = _decide_inline(key2[0], key2[1], inline_counts)
                if decision[1] == "compound" and len(key2[0]) >= 3:
                    if glued is None:
                        glued = (
                            _is_glued(survey.glued, survey.chars)
                            if survey is not None
                            else _is_glued(_glued_breaks(text, counts, inline), len(text))
                        )
                    if glued:
                        decision = _decide_inline(key2[0], key2[1], inline_counts, glued=True)
                inline_decided[key2] = decision
            join, rule, conf = inline_decided[key2]
            if join:
                rule = ("spaced_" if m.gap else "inline_") + rule
                yield Edit(m.hy_start, m.gap_end, "", self.name, rule, conf)
            elif m.hy in _TYPESET_HYPHENS and not m.gap:
                yield Edit(m.hy_start, m.hy_start + 1, "-", self.name, "keep_hyphen", conf)

    def _lost_hyphens(self, text: str, made: list[Edit]) -> Iterator[Edit]:
        """Join "con" / "stitution": the joined word is known and the second half is none."""
        taken = sorted((e.start, e.end) for e in made)
        starts = [t[0] for t in taken]
        last_end = -1
        for sp in _scan_lost(text):
            if sp.start < last_end or _zipf(sp.left + sp.right) < _JOIN_ZIPF:
                continue
            rule = "misread_hyphen" if sp.hy else "lost_hyphen"
            for e in self._break_edits(text, sp, True, rule, 0.8):
                i = bisect.bisect_left(starts, e.end)
                if i and taken[i - 1][1] > e.start:
                    break  # an edit of a hyphen is already there (keep_lines moves words)
                last_end = e.end
                yield e

    def _break_edits(
        self, text: str, sp: _Split, join: bool, rule: str, conf: float
    ) -> Iterator[Edit]:
        if not join:
            if sp.hy in _TYPESET_HYPHENS:
                yield Edit(sp.hy_start, sp.hy_start + 1, "-", self.name, "keep_hyphen", conf)
            return
        if not self.keep_lines:
            yield Edit(sp.hy_start, sp.gap_end, "", self.name, rule, conf)
            return
        # Move the second half up: "gov¬\nernment and" -> "government\nand".
        if _LONE_NUMBER_REST_RE.match(text, sp.right_end):
            # What would stay below is a lone number, which remove_page_furniture would then
            # take for a page number: the line comes up whole ("gov¬\nernment 12").
            yield Edit(sp.hy_start, sp.gap_end, "", self.name, rule, conf)
            return
        end = sp.right_end
        while end < len(text) and text[end] in " \t":
            end += 1
        gap = sp.gap.lstrip(" \t")
        if end < len(text) and text[end] == "\n":
            end += 1
        elif end >= len(text):
            gap = ""
        yield Edit(sp.hy_start, end, sp.right + gap, self.name, rule, conf)


#: The rest of a line after a word that keep_lines moves up: a lone number and the line end.
_LONE_NUMBER_REST_RE = re.compile(r"[ \t]+\d+[ \t]*(?:\n|\Z)")


# --- reflow -------------------------------------------------------------------------------

# A line ending in a hyphen glued to a word (kept by dehyphenate, or a number range), or in an
# em dash: the next line follows without a space. Checked on the last two characters only.
_ALNUM_RE = re.compile(r"[^\W_]")


_CONTENT = itemgetter(2)
_LAST = itemgetter(-1)
# The last characters for which :func:`_glued_end` can hold.
_GLUE_LAST = frozenset("—-\u2010\u2011¬")


def _glued_end(a: str) -> bool:
    """Whether a (stripped, non-empty) line ends with ``[^\\W_][-‐‑¬]`` or an em dash."""
    last = a[-1]
    if last == "—":
        return True
    return last in "-\u2010\u2011¬" and len(a) >= 2 and _ALNUM_RE.match(a, len(a) - 2) is not None


@register
@dataclass(frozen=True, slots=True)
class UnwrapLines:
    r"""Join hard-wrapped lines into paragraphs: one paragraph per line, a blank line between.

    Paragraph ends are found from the document's own statistics: a line that ends a sentence
    and is short enough that the next line's first word would have fitted on it, an indented
    line after a finished sentence, or a blank line (two in double-spaced text, where every
    line is followed by a blank line). Headings, list items, table rows and runs of short
    lines (verse, addresses) keep their line breaks. Text that is not hard-wrapped (many
    lines far longer than the usual width, as in a web transcription with one paragraph per
    line) is left alone.

    Args:
        short_line: A line that ends a sentence ends its paragraph when the first word of the
            next line would have fitted on it within this share of the usual width.

    >>> from textfix.edits import apply_edits
    >>> s = ("The first line of a paragraph that\nwraps onto a second line which\n"
    ...      "ends here.\nA new paragraph starts on\nthis line and goes on.\n")
    >>> print(apply_edits(s, UnwrapLines().edits(s)))
    The first line of a paragraph that wraps onto a second line which ends here.
    <BLANKLINE>
    A new paragraph starts on this line and goes on.
    <BLANKLINE>
    """

    name: ClassVar[str] = "unwrap_lines"
    # Streaming (textfix.stream): lines read around a line break, and the lines after which
    # text must not be cut (a kept hyphen or a dash glues the next line on).
    stream_context: ClassVar[int] = 4
    stream_joins: ClassVar[re.Pattern[str] | None] = re.compile(r"(?:[^\W_][-\u2010\u2011¬]|—)\Z")
    short_line: float = 0.95

    def __post_init__(self) -> None:
        if not 0.1 <= self.short_line <= 1.0:
            msg = "unwrap_lines: short_line must be between 0.1 and 1"
            raise ConfigError(msg)

    def survey(self, text: str, earlier: object = None) -> LineStats:
        """The document-wide evidence: line lengths and indents, how often sentences run on.

        Surveys of pieces of a text add up to the survey of the whole when the pieces are
        cut at line breaks that :attr:`stream_joins` allows (see :mod:`textfix.stream`).

        >>> stage = UnwrapLines()
        >>> a, b = "One line that\\nruns on.\\n\\n", "Next\\nline\\n"
        >>> stage.survey(a) + stage.survey(b) == stage.survey(a + b)
        True
        """
        lines, blanks, indents, trail = _split_lines(text)
        if len(lines) > 1:
            lines, blanks, indents, _glued = _glue_lines(text, lines, blanks, indents, self.name)
        return LineStats.of(lines, blanks, indents, trail)

    def edits(self, text: str, survey: LineStats | None = None) -> Iterator[Edit]:
        if "\n" not in text:
            return
        lines, blanks, indents, _trail = _split_lines(text)
        if len(lines) < 2:
            return
        # Lines glued by a kept hyphen or a dash are one line from here on, as a rerun on the
        # output sees them: every later judgement (width, headings, sentence ends) is made on
        # the glued line.
        lines, blanks, indents, glued = _glue_lines(text, lines, blanks, indents, self.name)
        glued_ends = [False] * len(lines)  # whether a line's end came from a glued line
        for e in glued:
            glued_ends[bisect.bisect_left(lines, (e.end,)) - 1] = True
        stats = LineStats.of(lines, blanks, indents, 0) if survey is None else survey
        if stats.n < 2:
            yield from glued
            return
        width = _usual_width(stats.lengths)
        if stats.longer(2.2 * width) * 10 > stats.n and not _runs_on_often(stats):
            # Many lines are paragraphs already (a web transcription, a cleaned text) and
            # sentences do not run on from line to line: the line breaks are the author's.
            return
        usual_indent = stats.median_indent()
        double = _double_spaced(stats)
        short = self.short_line * width
        verse_short = 0.6 * width
        page_number = _PAGE_NUMBER_RE.fullmatch  # (tested on the lines that can start one)
        numbers = [
            i
            for i, (_s, _e, c) in enumerate(lines)
            if (c[0] in _PAGE_NUMBER_FIRST or c[0].isdecimal()) and page_number(c)
        ]
        protect = _kept_breaks(lines, blanks, numbers, form_feeds="\f" in text)
        # Headings right under a number shaped like a page number: the furniture stage kept
        # the number as a chapter number because of the heading, so the heading stays one.
        heads = [False] * len(lines)
        for i in numbers:
            if i + 1 < len(lines) and _heading_like(lines[i + 1][2]):
                heads[i + 1] = True
        # The breaks beside these lines are kept whatever the lines say.
        # (:func:`_layout_line`, with the test for a table only when the text has the spaces
        # or tab of one, and the search for a letter only in lines that start with none)
        tables = "   " in text or "\t" in text
        letter = _LETTERS_RE.search
        keep = [
            p or (tables and _is_table(c)) or not (c[0].isalpha() or letter(c))
            for p, (_s, _e, c) in zip(protect, lines, strict=True)
        ]
        for i in numbers:
            keep[i] = True
        name = self.name
        joined = False  # whether the line before ``a`` was joined onto it
        for i in range(1, len(lines)):
            _a_start, a_end, a = lines[i - 1]
            b_start, _b_end, b = lines[i]
            k = blanks[i]
            was_joined, joined = joined, True
            while glued and glued[0].start < a_end:
                yield glued.popleft()
            soft = k == 0 or (double and k == 1)
            if (
                not soft
                and 2 <= k <= 6
                and not (protect[i - 1] or protect[i])
                # the breaks beside a kept line stay (a line without letters, a table row)
                and not (keep[i - 1] or keep[i])
                and _runs_on(a, b, short)
                # a number the furniture stage kept ("iv" in a list) is not running text
                and not _is_page_number(a)
                and not _is_page_number(b)
                and (a[-1].isalnum() or b[0].isalnum() or not _noise_across(a, b))
            ):
                # A sentence that runs on across blank lines (a page break whose furniture
                # is gone).
                yield Edit(a_end, b_start, " ", self.name, "join_page", 0.75)
                continue
            joined = False
            if not soft:
                if k > 3 and _glued_end(a) and _glues(a, b):
                    # Too far apart to glue; one blank line would glue them on a rerun, so
                    # the gap stays as it is.
                    continue
                if text[a_end:b_start] != "\n\n":
                    yield Edit(a_end, b_start, "\n\n", self.name, "paragraph", 0.9)
                continue
            if keep[i - 1] or keep[i]:
                kind = "line"
            elif a[-1].isalpha() and b[0].islower() and b[1:2] not in (".", ")"):
                # The commonest break, inside a sentence: what _boundary finds for a line
                # that ends in a letter before a line that starts in lowercase and is no list
                # item ("a)"), in fewer steps. Joined at once, unless ``a`` is a heading (in
                # capitals, or under a kept number): a letter ends ``a``, so no noise run
                # forms across the break.
                if not (
                    heads[i - 1]
                    or (
                        (len(a) <= 60 or a[0].isspace())
                        and not a[0].islower()  # (then _heading_like is false)
                        and _upper_ratio(a) >= 0.8
                        and _heading_like(a)
                    )
                ):
                    joined = True
                    yield Edit(a_end, b_start, " ", name, "join", 0.85)
                    continue
                kind = "paragraph"
            else:
                # A line much longer than usual had a word joined onto it by dehyphenate:
                # judge its end by the part that came from the next line.
                a_len = _tail_length(a, width) if len(a) > width else len(a)
                kind = _boundary(
                    a, a_len, b, indents[i - 1], indents[i], usual_indent, short, verse_short
                )
            if kind == "join" and heads[i - 1]:
                kind = "paragraph"  # a heading under a kept number keeps it a chapter number
            if kind == "join" and not (a[-1].isalnum() or b[0].isalnum()) and _noise_across(a, b):
                kind = "line"  # joined, the marks would make a noise run a rerun deletes
            if kind == "line" and (was_joined or glued_ends[i - 1]) and not protect[i]:
                # A short line that ends a reflowed paragraph: after the reflow it is no
                # longer short, so only a paragraph break keeps the decision stable.
                kind = "paragraph"
            if kind == "join":
                joined = True
                yield Edit(a_end, b_start, " ", self.name, "join", 0.85)
            elif kind == "paragraph":
                if text[a_end:b_start] != "\n\n":
                    yield Edit(a_end, b_start, "\n\n", self.name, "paragraph", 0.8)
            elif b_start - a_end != 1:  # (the gap holds a newline: one character is just that)
                yield Edit(a_end, b_start, "\n", self.name, "keep_line", 0.8)
        yield from glued


def _glue_lines(
    text: str,
    lines: list[tuple[int, int, str]],
    blanks: list[int],
    indents: list[int],
    stage: str,
) -> tuple[list[tuple[int, int, str]], list[int], list[int], deque[Edit]]:
    """Merge the lines that end in a hyphen kept by dehyphenate (or a dash) with the next.

    Returns:
        The lines, blank counts and indents with each glued run as one line, and the edits
        that delete the line breaks inside the runs (``join_hyphen``), in order.
    """
    glued: deque[Edit] = deque()
    # Only a line that ends in a hyphen or dash glues the next one on: those lines are found
    # by mapping C functions over the lines (their last characters), and the runs of lines
    # between them are copied whole. Most texts have none.
    n = len(lines)
    last_chars = map(_LAST, map(_CONTENT, islice(lines, n - 1)))
    ends = list(compress(range(n - 1), map(_GLUE_LAST.__contains__, last_chars)))
    if not ends:
        return lines, blanks, indents, glued
    out: list[tuple[int, int, str]] = []
    out_blanks: list[int] = []
    out_indents: list[int] = []
    i = 0  # the next line to look at
    for k in ends:
        if k < i:
            continue  # glued onto an earlier line already
        out += lines[i : k + 1]
        out_blanks += blanks[i : k + 1]
        out_indents += indents[i : k + 1]
        i = k + 1
        while i < n:
            a_start, a_end, a = out[-1]
            b_start, b_end, b = lines[i]
            if not (blanks[i] <= 3 and _glued_end(a) and _glues(a, b) and not _is_page_number(b)):
                break
            if a[0] in _PAGE_NUMBER_FIRST and _is_page_number(a + b):
                break  # "—" and "12—" would make a page number, which a rerun deletes
            # A hyphen kept by dehyphenate, or a dash that glues: no space.
            glued.append(Edit(a_end, b_start, "", stage, "join_hyphen", 0.9))
            out[-1] = (a_start, b_end, a + b)
            i += 1
    out += lines[i:]
    out_blanks += blanks[i:]
    out_indents += indents[i:]
    return out, out_blanks, out_indents, glued


def _kept_breaks(
    lines: list[tuple[int, int, str]],
    blanks: list[int],
    numbers: list[int],
    *,
    form_feeds: bool = True,
) -> list[bool]:
    """Mark the lines whose line breaks are kept: numeric lines beside a page number, form feeds.

    Such a number was kept by ``remove_page_furniture`` because of that neighbour (a table,
    a list); joining the neighbour into a paragraph would hide the reason, and a rerun would
    delete the number. Their line breaks are kept. ``form_feeds`` false says that no line
    holds a form feed (the text has none).
    """
    # A form feed inside a line is a page break in mid-line: layout we cannot read, and the
    # running-head detection reads the lines beside it, so it stays as it is.
    if not form_feeds:
        protect = [False] * len(lines)
    else:
        protect = ["\f" in content for _s, _e, content in lines]
        for i in [i for i, p in enumerate(protect) if p]:  # and the lines beside it
            protect[max(0, i - 1) : i + 2] = [True] * len(protect[max(0, i - 1) : i + 2])
    for i in numbers:  # the lines shaped like a page number
        if i > 0 and blanks[i] <= 1 and _numeric_start(lines[i - 1][2]):
            protect[i - 1] = True
        if i + 1 < len(lines) and blanks[i + 1] <= 1 and _numeric_start(lines[i + 1][2]):
            protect[i + 1] = True
    return protect


def _usual_width(lengths: Mapping[int, int]) -> int:
    """The usual width of a full line, from the counts of the lengths of the non-blank lines.

    Full lines pile up just under the width, so the most common length (in bins of three
    characters) marks it; lines that dehyphenate made longer (a word joined onto them) spread
    above it and are left out by taking the longest line at most 10% longer than that mode.
    """
    bins: dict[int, int] = {}  # (a plain dict: a Counter calls a method for each new bin)
    get = bins.get
    for n, c in lengths.items():
        if n >= 8:
            bins[n // 3] = get(n // 3, 0) + c
    if not bins:
        return max(lengths)
    top = max(bins.values())
    mode = 3 * max(b for b, c in bins.items() if c == top) + 2
    return max((n for n in lengths if n <= 1.1 * mode), default=max(lengths))


def _tail_length(line: str, width: int) -> int:
    """Estimate the length of the last printed line of an over-long (joined) line.

    A joined line is a full line plus the next one, with the split word across the old line
    end. Cutting it once at ``width`` puts that word on the second part, so the estimate errs
    towards long, and a joined line is taken for a paragraph end only when its tail is
    clearly short.
    """
    cut = line.rfind(" ", 0, width + 1)
    return len(line) - (cut + 1) if cut > 0 else len(line)


def _noise_across(a: str, b: str) -> bool:
    """Whether the tokens without a letter or digit that end line ``a`` and start line ``b``
    make, once the lines are joined, a run that ``remove_noise_runs`` (default settings,
    which ran before) deletes, when neither line's part alone is one.

    >>> _noise_across("A ::: ;", "/ a"), _noise_across("so . .", ". on")
    (True, False)
    """
    from textfix.stages.noise import RemoveNoiseRuns

    def marks(tok: str) -> bool:
        return not any(c.isalnum() or unicodedata.category(c)[0] == "M" for c in tok)

    run: list[str] = []
    for tok in reversed(a.split()):
        if not marks(tok):
            break
        run.append(tok)
    n_a = len(run)
    for tok in b.split():
        if not marks(tok):
            break
        run.append(tok)
    if n_a == 0 or n_a == len(run):
        return False
    noise = RemoveNoiseRuns()
    chars = "".join(run)
    return (
        len(run) >= noise.min_tokens
        and len(chars) >= noise.min_chars
        and len(set(chars)) >= noise.min_kinds
    )


def _glues(a: str, b: str) -> bool:
    """Whether ``b`` continues the hyphenated word or number at the end of ``a``."""
    if a[-1] == "—":
        return True
    return (a[-2].isdigit() and b[0].isdigit()) or (a[-2].isalpha() and b[0].isalpha())


def _split_lines(text: str) -> tuple[list[tuple[int, int, str]], list[int], list[int], int]:
    """Read the non-blank lines of ``text``.

    Returns:
        The lines as (content start, content end, stripped content), the blank lines before
        each, where each line's content starts within the line, and the blank lines after the
        last one.
    """
    lines: list[tuple[int, int, str]] = []
    blanks: list[int] = []
    indents: list[int] = []
    add_line, add_blank, add_indent = lines.append, blanks.append, indents.append
    pending = pos = 0
    for body in text.split("\n"):
        content = body.strip(" \t\f\r")
        if content:
            size = len(content)
            # the indent: none when the line starts with its content (most lines)
            lead = 0 if body[0] == content[0] else body.find(content)
            start = pos + lead
            add_line((start, start + size, content))
            add_blank(pending)
            add_indent(lead)
            pending = 0
        else:
            pending += 1
        pos += len(body) + 1
    if not text or text.endswith("\n"):
        pending -= 1  # the empty string after the last newline is no line
    return lines, blanks, indents, pending


class LineStats:
    """The survey of :class:`UnwrapLines`: what the reflow reads from the whole document.

    Surveys add: ``a + b`` is the survey of text ``a`` followed by text ``b``, cut at a line
    break that glues nothing.

    Attributes:
        n: Non-blank lines (lines glued by a kept hyphen count once).
        lengths: How many lines have each length.
        indents: How many lines have each indent.
        runs_on: Line breaks where a sentence runs on (a lowercase word after no sentence end).
        one: Line breaks followed by exactly one blank line.
        spaced_runs_on: Those of them across which a sentence runs on.
        first, last: The first and last line (for the break between two surveys).
        lead, trail: Blank lines before the first line and after the last.
    """

    __slots__ = (
        "first",
        "indents",
        "last",
        "lead",
        "lengths",
        "n",
        "one",
        "runs_on",
        "spaced_runs_on",
        "trail",
    )

    def __init__(self) -> None:
        self.n = self.runs_on = self.one = self.spaced_runs_on = self.lead = self.trail = 0
        self.lengths: Counter[int] = Counter()
        self.indents: Counter[int] = Counter()
        self.first = self.last = ""

    @classmethod
    def of(
        cls, lines: list[tuple[int, int, str]], blanks: list[int], indents: list[int], trail: int
    ) -> LineStats:
        """Survey the (glued) lines of one text."""
        out = cls()
        out.n = len(lines)
        out.lengths.update(map(len, map(_CONTENT, lines)))
        out.indents.update(indents)
        if not lines:
            out.lead = out.trail = max(trail, 0)
            return out
        out.first, out.last = lines[0][2], lines[-1][2]
        out.lead, out.trail = blanks[0], trail
        # (what ``_pair`` counts, in place: a line that ends in a letter ends no sentence)
        runs_on = one = spaced = 0
        a = out.first
        for (_s, _e, b), k in zip(islice(lines, 1, None), islice(blanks, 1, None), strict=True):
            if k == 1:
                one += 1
                low = b[0].islower()
                if (low or a[-1] in ",-¬") and (a[-1].isalpha() or not _ends_sentence(a)):
                    spaced += 1
                    runs_on += low
            elif b[0].islower() and (a[-1].isalpha() or not _ends_sentence(a)):
                runs_on += 1
            a = b
        out.runs_on, out.one, out.spaced_runs_on = runs_on, one, spaced
        return out

    def _pair(self, a: str, b: str, blanks: int) -> None:
        low = b[0].islower()
        if blanks == 1:
            self.one += 1
            if (low or a[-1] in ",-¬") and not _ends_sentence(a):
                self.spaced_runs_on += 1
                self.runs_on += low
                return
        if low and not _ends_sentence(a):
            self.runs_on += 1

    def __iadd__(self, other: LineStats) -> LineStats:
        if not other.n:
            if self.n:
                self.trail += other.lead
            else:
                self.lead += other.lead
                self.trail += other.trail
            return self
        if self.n:
            self._pair(self.last, other.first, self.trail + other.lead)
        else:
            self.lead += other.lead
            self.first = other.first
        self.n += other.n
        self.lengths.update(other.lengths)
        self.indents.update(other.indents)
        self.runs_on += other.runs_on
        self.one += other.one
        self.spaced_runs_on += other.spaced_runs_on
        self.last, self.trail = other.last, other.trail
        return self

    def __add__(self, other: LineStats) -> LineStats:
        out = LineStats()
        out += self
        out += other
        return out

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LineStats):
            return NotImplemented
        return all(getattr(self, k) == getattr(other, k) for k in self.__slots__)

    __hash__ = None  # type: ignore[assignment]

    def longer(self, width: float) -> int:
        """How many lines are longer than ``width``."""
        return sum(c for n, c in self.lengths.items() if n > width)

    def median_indent(self) -> int:
        """The indent of the middle line, in the order of indents."""
        rank = self.n // 2
        for indent in sorted(self.indents):
            rank -= self.indents[indent]
            if rank < 0:
                return indent
        return 0


def _runs_on_often(stats: LineStats) -> bool:
    """Whether sentences often run on from one line to the next, as in hard-wrapped text."""
    return stats.runs_on * 12 >= stats.n


def _double_spaced(stats: LineStats) -> bool:
    """Whether most line breaks are followed by a blank line, even inside sentences."""
    return stats.spaced_runs_on >= 8 and stats.spaced_runs_on * 5 >= stats.one


def _runs_on(a: str, b: str, short: float) -> bool:
    """Whether a sentence clearly runs on from line ``a`` to line ``b`` across a gap."""
    if not b[0].isalpha() or _is_table(a) or _is_table(b):
        return False
    if _is_list_item(b) or _ends_sentence(a) or _heading_like(a):
        return False
    return b[0].islower() or (len(a) >= short and a[-1].isalpha() and not _heading_like(b))


def _layout_line(s: str) -> bool:
    """Whether the line breaks beside a (stripped, non-empty) line are kept whatever it says.

    A table row, or numbers, rules or symbols without a letter: layout we cannot read. (So is
    a number shaped like a page number that the furniture stage kept, "xiv" in a list; the
    caller knows those lines already.)
    """
    # (A line that starts with a letter holds one: the search is only for the others.)
    return _is_table(s) or not (s[0].isalpha() or _LETTERS_RE.search(s))


def _boundary(
    a: str,
    a_len: int,
    b: str,
    a_indent: int,
    b_indent: int,
    usual_indent: int,
    short: float,
    verse: float,
) -> str:
    """Classify the single line break between lines ``a`` and ``b``.

    Breaks beside a :func:`_layout_line` or a page number are kept ("line") by the caller.
    """
    if _is_list_item(b):
        return "line"
    ends = _ends_sentence(a)
    # The line ended early: the first word of the next line would have fitted on it.
    if ends:
        first = b.find(" ")  # the length of the first word
        if a_len + 1 + (first if first >= 0 else len(b)) <= short:
            return "paragraph"
    if ends and b_indent > max(a_indent, usual_indent) + 1:
        return "paragraph"
    if not b[0].islower() and _upper_ratio(b) >= 0.8 and _heading_like(b):
        # A heading in capitals starts a block, whatever the line before it: decided without
        # the width, which the reflow changes (a rerun would join it to a long line).
        return "paragraph"
    if len(a) < verse and not b[0].islower():
        if ends or _heading_like(a):
            # A short line that ends a sentence ends its paragraph even when the next word
            # is too long to have fitted (tiny widths): the reflow lengthens the lines and
            # so the width, and a rerun would find that the word fits.
            return "paragraph"
        return "line"
    # (A line longer than a heading, with no space at either end to strip, is none.)
    if (
        (len(a) <= 60 or a[0].isspace() or a[-1].isspace())
        and _heading_like(a)
        and _upper_ratio(a) >= 0.8
    ):
        return "paragraph"  # a heading in capitals, whatever follows
    return "join"
