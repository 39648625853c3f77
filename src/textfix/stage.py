"""The :class:`Stage` protocol that every normalizer implements."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

if TYPE_CHECKING:
    from collections.abc import Iterable

    from textfix.edits import Edit

__all__ = ["Stage"]


@runtime_checkable
class Stage(Protocol):
    """A named, pure, deterministic text normalizer.

    A stage is a frozen dataclass whose fields are its settings. It never changes text
    itself: :meth:`edits` returns the changes, with offsets into the text it was given.
    Running a stage on its own output yields no edits.
    """

    name: ClassVar[str]

    def edits(self, text: str) -> Iterable[Edit]:
        """Return the edits this stage makes to ``text``."""
        ...
