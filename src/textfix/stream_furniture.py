"""Streaming :class:`~textfix.stages.layout.RemovePageFurniture`: its decisions, window by window.

Page furniture is judged on the whole document: a year is told from a page number by the other
page numbers, a running head by its recurrence on a good share of the pages, and detection runs
again (up to four rounds) on the text without the furniture found so far. The candidates are
few (a handful of lines per page), so the streamer (:mod:`textfix.stream`) makes these
decisions in passes over the spooled text, reading it window by window:

1. the editor's page markers and the bare numbers (possible years' neighbours) are collected;
2. each round finds, in every window, the page numbers and the candidate heads of its core,
   in the text without the lines found in earlier rounds; the heads are then clustered over
   the whole document, exactly as :func:`~textfix.stages.layout._furniture_lines` does;
3. the edit pass deletes the lines found, window by window.

Offsets: ``T`` is the text the stage receives, ``B`` the same text without the page markers
(the text furniture is judged on), and the *current* text of a round is ``B`` without the
lines found in earlier rounds. The survey holds the markers (in ``T``) and the furniture lines
(in ``B``): memory grows with the number of pages, not with the length of the text.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from textfix.edits import Edit, apply_edits
from textfix.stages.layout import (
    _head_clusters,
    _head_items,
    _marker_edits,
    _marker_re,
    _page_number_matches,
    _page_numbers,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from textfix.stages.layout import RemovePageFurniture

__all__ = ["FurnitureSurvey", "survey_furniture"]

Window = tuple[str, int, int, int]  # text, core start, core end (in text), offset of the text
Line = tuple[int, int, str, float]


class _Spans:
    """Sorted, disjoint deletions, with the number of characters deleted before a position."""

    __slots__ = ("ends", "starts", "totals")

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.starts = [s for s, _e in spans]
        self.ends = [e for _s, e in spans]
        self.totals: list[int] = []
        total = 0
        for s, e in spans:
            total += e - s
            self.totals.append(total)

    def before(self, pos: int) -> int:
        """Characters deleted before ``pos``."""
        i = bisect.bisect_left(self.starts, pos) - 1
        if i < 0:
            return 0
        done = self.totals[i - 1] if i else 0
        return done + min(self.ends[i], pos) - self.starts[i]

    def inside(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]

    def within(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The deletions that meet ``[lo, hi)``, clipped to it."""
        i = max(0, bisect.bisect_right(self.starts, lo) - 1)
        out = []
        while i < len(self.starts) and self.starts[i] < hi:
            s, e = max(self.starts[i], lo), min(self.ends[i], hi)
            if e > s:
                out.append((s, e))
            i += 1
        return out


class FurnitureSurvey:
    """What :class:`RemovePageFurniture` decided over the whole document.

    Attributes:
        marks: The deletions of editor's page markers, in the stage's input.
        lines: The furniture lines ``(start, end, rule, confidence)``, in the text without
            the markers, sorted.
    """

    __slots__ = ("_marks", "_starts", "lines")

    def __init__(self, marks: list[tuple[int, int]], lines: list[Line]) -> None:
        self._marks = _Spans(marks)
        self.lines = lines
        self._starts = [line[0] for line in lines]

    def at(self, offset: int) -> _FurnitureView:
        """The survey as seen by a window of text starting at ``offset``."""
        return _FurnitureView(self, offset - self._marks.before(offset))


class _FurnitureView:
    __slots__ = ("base", "survey")

    def __init__(self, survey: FurnitureSurvey, base: int) -> None:
        self.survey = survey
        self.base = base

    def lines(self, length: int) -> list[Line]:
        """The furniture lines of the window, in its text without markers of ``length``."""
        s = self.survey
        lo = bisect.bisect_left(s._starts, self.base)
        hi = bisect.bisect_left(s._starts, self.base + length)
        return [(a - self.base, b - self.base, r, c) for a, b, r, c in s.lines[lo:hi]]


def _base(stage: RemovePageFurniture, text: str) -> tuple[list[Edit], str]:
    marker_re = _marker_re(stage.markers)
    marks: list[Edit] = []
    if marker_re is not None and ("{" in text or "[" in text):
        marks = _marker_edits(text, marker_re, stage.name)
    return marks, (apply_edits(text, marks) if marks else text)


def _to_base(marks: list[Edit], pos: int) -> int:
    """Map a line start of a window to the window's text without markers."""
    return pos - sum(min(e.end, pos) - e.start for e in marks if e.start < pos)


def survey_furniture(
    stage: RemovePageFurniture, windows: Callable[[], Iterator[Window]]
) -> FurnitureSurvey:
    """Make the document-wide decisions of ``stage`` in passes over ``windows()``."""
    # Pass 1: the markers and the bare numbers (in B), and the length of B. Cores follow
    # each other, so ``deleted`` counts the marker characters before the current core.
    marks: list[tuple[int, int]] = []
    bare: list[tuple[int, int]] = []
    deleted = length = 0
    for text, lo, hi, offset in windows():
        window_marks, base = _base(stage, text)
        b_lo, b_hi = _to_base(window_marks, lo), _to_base(window_marks, hi)
        core_at = offset + lo - deleted  # where the core starts in B
        for m in _page_number_matches(base):
            at = m.start() if base[m.start()] != "\n" else m.start() + 1
            if m["bare"] is not None and m["bare"][0] != "0" and b_lo <= at < b_hi:
                value = int(m["bare"])
                if 980 <= value <= 2120:  # the only ones a year (1000-2100) asks about
                    bare.append((core_at + at - b_lo, value))
        for mark in window_marks:
            if lo <= mark.start < hi:
                marks.append((offset + mark.start, offset + mark.end))
                deleted += mark.end - mark.start
        length += b_hi - b_lo
    mark_spans = _Spans(marks)
    found: dict[int, Line] = {}
    for _round in range(4):
        spans = _Spans(_line_spans(sorted(found.values()), length))
        current = [(p - spans.before(p), v) for p, v in bare if not spans.inside(p)]
        pages: list[tuple[int, int, str]] = []
        fused: list[tuple[int, int, str]] = []
        near: list[tuple[int, int, str]] = []
        n_bounds = 0
        for text, lo, hi, offset in windows():
            window_marks, base = _base(stage, text)
            b_offset = offset - mark_spans.before(offset)
            b_lo, b_hi = _to_base(window_marks, lo), _to_base(window_marks, hi)
            window_cuts = spans.within(b_offset, b_offset + len(base))
            cuts = [(s - b_offset, e - b_offset) for s, e in window_cuts]
            cw, segs = _cut(base, cuts)
            if not cw:
                continue
            c_lo, c_hi = _to_cut(cuts, b_lo), _to_cut(cuts, b_hi)
            first = b_offset + _from_cut(segs, 0)
            found_pages = list(_page_numbers(cw, current, first - spans.before(first)))
            items = _head_items(cw, sorted(p[0] for p in found_pages))
            for s, e, rule in found_pages:
                if c_lo <= s < c_hi:
                    g = b_offset + _from_cut(segs, s)
                    pages.append((g, g + e - s, rule))
            for s, e, key in items[0]:
                if c_lo <= s < c_hi:
                    g = b_offset + _from_cut(segs, s)
                    fused.append((g, g + e - s, key))
            for s, e, key, bound in items[1]:
                if c_lo <= bound < c_hi:
                    g = b_offset + _from_cut(segs, s)
                    near.append((g, g + e - s, key))
            n_bounds += sum(1 for b in items[2] if c_lo <= b < c_hi)
        new: list[Line] = [(s, e, rule, 0.95) for s, e, rule in pages]
        taken = {s for s, _e, _r in pages}
        for s, e, rule in _head_clusters(
            fused, near, n_bounds, stage.min_head_repeats, stage.head_similarity
        ):
            if s not in taken:
                taken.add(s)
                new.append((s, e, rule, 0.9))
        if not new:
            break
        for line in new:
            found.setdefault(line[0], line)
    return FurnitureSurvey(marks, sorted(found.values()))


def _line_spans(lines: list[Line], length: int) -> list[tuple[int, int]]:
    """The deletions of ``lines`` in a text of ``length``, as ``_furniture_lines`` makes them."""
    out = []
    pos = 0
    for start, end, _rule, _conf in lines:
        if end < length:
            end += 1
        elif start > 0:
            start -= 1
        start = max(start, pos)
        if end <= start:
            continue
        out.append((start, end))
        pos = end
    return out


def _cut(text: str, cuts: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """Delete ``cuts`` from ``text``; return it and its segments ``(new start, old start)``."""
    pieces: list[str] = []
    segs: list[tuple[int, int]] = []
    pos = new = 0
    for s, e in cuts:
        if s > pos:
            segs.append((new, pos))
            pieces.append(text[pos:s])
            new += s - pos
        pos = max(pos, e)
    if pos < len(text):
        segs.append((new, pos))
        pieces.append(text[pos:])
    return "".join(pieces), segs


def _to_cut(cuts: list[tuple[int, int]], pos: int) -> int:
    """Map ``pos`` to the text without ``cuts`` (a deleted position goes to where it was)."""
    return pos - sum(min(e, pos) - s for s, e in cuts if s < pos)


def _from_cut(segs: list[tuple[int, int]], pos: int) -> int:
    i = bisect.bisect_right(segs, (pos, float("inf"))) - 1
    new, old = segs[i]
    return old + pos - new
