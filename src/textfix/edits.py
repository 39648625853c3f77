"""Edits: the only way a stage changes text.

A stage returns :class:`Edit` objects whose offsets point into the text the stage received.
The pipeline checks and applies them, records them as a :class:`Step`, and composes the steps
into edits on the *original* input, so that every change can be shown, reviewed and undone.
"""

from __future__ import annotations

import operator
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from textfix.errors import OverlappingEditsError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence

__all__ = ["Edit", "Fixed", "Step", "apply_edits", "compose", "replay", "sorted_edits", "splice"]


@dataclass(frozen=True, slots=True, init=False)
class Edit:
    """One replacement of ``text[start:end]`` by ``replacement``.

    Args:
        start: Offset of the first replaced character.
        end: Offset just past the last replaced character (``start == end`` inserts).
        replacement: The new text.
        stage: Registry name of the stage that made the edit.
        rule: A short, stable reason ("ligature", "6->é"); also the key of the stats.
        confidence: How sure the stage is, from 0 to 1; rule-based repairs use 1.
    """

    start: int
    end: int
    replacement: str
    stage: str
    rule: str = ""
    confidence: float = 1.0

    def __init__(
        self,
        start: int,
        end: int,
        replacement: str,
        stage: str,
        rule: str = "",
        confidence: float = 1.0,
    ) -> None:
        # The fields are set through their slot descriptors: the same as the __init__ that
        # dataclass writes for a frozen class, in half the time (stages make many edits).
        _set_start(self, start)
        _set_end(self, end)
        _set_replacement(self, replacement)
        _set_stage(self, stage)
        _set_rule(self, rule)
        _set_confidence(self, confidence)

    def shifted(self, offset: int) -> Edit:
        """Return the same edit moved by ``offset`` characters."""
        return Edit(
            self.start + offset,
            self.end + offset,
            self.replacement,
            self.stage,
            self.rule,
            self.confidence,
        )

    def to_dict(self, text: str | None = None) -> dict[str, Any]:
        """Return the edit as a JSON-ready dict; with ``text``, include the replaced string."""
        row: dict[str, Any] = {"start": self.start, "end": self.end}
        if text is not None:
            row["before"] = text[self.start : self.end]
        row.update(
            after=self.replacement,
            stage=self.stage,
            rule=self.rule,
            confidence=round(self.confidence, 4),
        )
        return row


_set_start = Edit.__dict__["start"].__set__
_set_end = Edit.__dict__["end"].__set__
_set_replacement = Edit.__dict__["replacement"].__set__
_set_stage = Edit.__dict__["stage"].__set__
_set_rule = Edit.__dict__["rule"].__set__
_set_confidence = Edit.__dict__["confidence"].__set__
_position = attrgetter("start", "end")
_START = attrgetter("start")
_END = attrgetter("end")
_LE = operator.le


def sorted_edits(text: str, edits: Iterable[Edit]) -> list[Edit]:
    """Sort ``edits`` by position and check that they fit ``text`` and do not overlap.

    Two insertions at the same offset keep the order in which they were given.

    Raises:
        OverlappingEditsError: An edit falls outside the text or overlaps another.
    """
    ordered = edits if type(edits) is list else list(edits)
    n = len(text)
    if ordered:
        # Most stages give their edits in order, apart and in range: checked pairwise by
        # C loops (start <= end, each end <= the next start), the list is returned as it is,
        # which is what sorting it (stable) and the loop below would give.
        starts = list(map(_START, ordered))
        ends = list(map(_END, ordered))
        if (
            starts[0] >= 0
            and ends[-1] <= n
            and all(map(_LE, starts, ends))
            and all(map(_LE, ends, islice(starts, 1, None)))
        ):
            return ordered if ordered is not edits else list(ordered)
    ordered = sorted(ordered, key=_position)
    prev_end = 0
    prev: Edit | None = None
    for e in ordered:
        if not 0 <= e.start <= e.end <= n:
            msg = f"edit {e!r} is outside the text (length {n})"
            raise OverlappingEditsError(msg)
        if e.start < prev_end:
            msg = f"edits overlap: {prev!r} and {e!r}"
            raise OverlappingEditsError(msg)
        prev_end = e.end
        prev = e
    return ordered


def splice(text: str, ordered: Sequence[Edit]) -> str:
    """Apply edits that are already sorted and checked (by :func:`sorted_edits`)."""
    parts: list[str] = []
    pos = 0
    for e in ordered:
        parts.append(text[pos : e.start])
        parts.append(e.replacement)
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply ``edits`` (offsets into ``text``) and return the new text.

    >>> apply_edits("tbe cat", [Edit(1, 2, "h", "demo")])
    'the cat'

    Raises:
        OverlappingEditsError: The edits overlap or fall outside the text.
    """
    ordered = sorted_edits(text, edits)
    return splice(text, ordered) if ordered else text


@dataclass(frozen=True, slots=True)
class Step:
    """What one stage did: its name, its non-default settings and its edits.

    The offsets of ``edits`` point into the text this stage received, so a list of steps can
    be replayed on the original input with :func:`replay`.
    """

    stage: str
    params: Mapping[str, Any]
    edits: tuple[Edit, ...]


def replay(text: str, steps: Iterable[Step]) -> str:
    """Apply recorded steps to ``text`` in order and return the result.

    >>> replay("ﬁne", [Step("expand_ligatures", {}, (Edit(0, 1, "fi", "expand_ligatures"),))])
    'fine'
    """
    for step in steps:
        text = apply_edits(text, step.edits)
    return text


def _touch(a0: int, a1: int, b0: int, b1: int) -> bool:
    """Whether two spans overlap, or meet where one of them is empty."""
    if max(a0, b0) < min(a1, b1):
        return True
    return (a0 == a1 or b0 == b1) and a0 <= b1 and b0 <= a1


def _merge_stage(names: Iterable[str]) -> str:
    seen: list[str] = []
    for name in names:
        for part in name.split("+"):
            if part not in seen:
                seen.append(part)
    return "+".join(seen)


def compose(base: Sequence[Edit], later: Sequence[Edit], current: str) -> list[Edit]:
    """Fold ``later`` edits into ``base`` edits, in the coordinates of the original text.

    Args:
        base: Sorted, non-overlapping edits on the original text that produce ``current``.
        later: Sorted, non-overlapping edits on ``current``.
        current: The text that ``base`` produces.

    Returns:
        Sorted, non-overlapping edits on the original text that produce the text ``later``
        makes of ``current``. Where a later edit touches an earlier one, the two become one
        edit whose ``stage`` and ``rule`` join both with ``+`` and whose confidence is the
        lower of the two.
    """
    if not later:
        return list(base)
    # Every edit as an interval of ``current``: kind 0 = base (its output span), 1 = later.
    items: list[tuple[int, int, int, Edit]] = []
    shift = 0
    for c in base:
        ks = c.start + shift
        items.append((ks, ks + len(c.replacement), 0, c))
        shift += len(c.replacement) - (c.end - c.start)
    items.extend((e.start, e.end, 1, e) for e in later)
    items.sort(key=lambda t: (t[0], t[1], t[2]))

    clusters: list[list[tuple[int, int, int, Edit]]] = []
    for item in items:
        if clusters:
            last = clusters[-1]
            if any(m[2] != item[2] and _touch(m[0], m[1], item[0], item[1]) for m in last):
                last.append(item)
                continue
        clusters.append([item])

    out: list[Edit] = []
    shift = 0  # growth of ``current`` over the original, from base edits already passed
    for cluster in clusters:
        bases = [m for m in cluster if m[2] == 0]
        if len(cluster) == 1 and bases:
            c = cluster[0][3]
            out.append(c)
            shift += len(c.replacement) - (c.end - c.start)
            continue
        lo = min(m[0] for m in cluster)
        hi = max(m[1] for m in cluster)
        growth = sum(len(m[3].replacement) - (m[3].end - m[3].start) for m in bases)
        start0 = lo - shift
        end0 = start0 + (hi - lo) - growth
        laters = sorted((m[3] for m in cluster if m[2] == 1), key=lambda e: (e.start, e.end))
        replacement = splice(current[lo:hi], [e.shifted(-lo) for e in laters])
        members = [m[3] for m in sorted(cluster, key=lambda m: (m[2], m[0]))]
        out.append(
            Edit(
                start0,
                end0,
                replacement,
                _merge_stage(e.stage for e in members),
                "+".join(e.rule for e in members if e.rule),
                min(e.confidence for e in members),
            )
        )
        shift += growth
    return out


@dataclass(frozen=True)
class Fixed:
    """The result of :meth:`textfix.Pipeline.explain`.

    Unpacks as ``text, steps = pipe.explain(s)``.

    Attributes:
        text: The cleaned text.
        steps: One :class:`Step` per stage, in the order they ran.
        source: The original input.
        edits: The changes as edits on ``source``: sorted, non-overlapping, and applying them
            to ``source`` gives ``text``.
    """

    text: str
    steps: tuple[Step, ...]
    source: str = ""
    edits: tuple[Edit, ...] = field(default=())

    def __iter__(self) -> Iterator[Any]:
        return iter((self.text, self.steps))

    def stats(self) -> Counter[str]:
        """Count the edits by ``stage`` and by ``stage:rule``; counters of a batch add up."""
        counts: Counter[str] = Counter()
        for step in self.steps:
            for e in step.edits:
                counts[e.stage] += 1
                if e.rule:
                    counts[f"{e.stage}:{e.rule}"] += 1
        return counts

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of :attr:`text` to the span of :attr:`source` it came from.

        A span that ends inside a replacement is widened to the whole replaced stretch.

        >>> fixed = Fixed("the", (), "tbe", (Edit(1, 2, "h", "demo"),))
        >>> fixed.to_original(0, 2)
        (0, 2)
        """
        if not 0 <= start <= end <= len(self.text):
            msg = f"span ({start}, {end}) is outside the text (length {len(self.text)})"
            raise ValueError(msg)
        return self._map(start, left=True), self._map(end, left=False)

    def _map(self, pos: int, *, left: bool) -> int:
        shift = 0
        for e in self.edits:
            out_start = e.start + shift
            # A span takes in a deletion at either of its ends: it starts before it and ends
            # after it, so the whole output maps to the whole source.
            if pos < out_start or (pos == out_start and (left or e.replacement)):
                break
            if pos < out_start + len(e.replacement):
                return e.start if left else e.end
            shift += len(e.replacement) - (e.end - e.start)
        return pos - shift
