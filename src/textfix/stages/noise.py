"""Noise: runs of stray glyphs that OCR reads from specks, rules and show-through.

A damaged or dirty page gives OCR output such as ``¦ • .¦ .• ¦ • ? . ..-¦¦¦¦`` or
``-, , . . '. _ .``: several "tokens" in a row with no letter and no digit, made of many
different marks. No text is written that way; the deliberate runs of marks that real text
has repeat one or two characters (an ellipsis ". . .", a dinkus "* * *", a rule "- - -").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import regex

from textfix.edits import Edit
from textfix.errors import ConfigError
from textfix.registry import register

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["RemoveNoiseRuns"]

# Whitespace-separated tokens of marks only (no letter, digit or mark of a letter), on one
# line, with the horizontal space after them. Each token starts after a space or a line start.
_RUN_RE = regex.compile(
    r"(?<!\S)[^\p{L}\p{N}\p{M}\s]+(?!\S)(?:[ \t]+[^\p{L}\p{N}\p{M}\s]+(?!\S))*[ \t]*",
    regex.V1,
)


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
        for m in _RUN_RE.finditer(text):
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
