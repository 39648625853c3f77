"""The :class:`Stage` protocol that every normalizer implements."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

if TYPE_CHECKING:
    import re
    from collections.abc import Iterable

    from textfix.edits import Edit

__all__ = ["Stage", "SurveyingStage"]


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


@runtime_checkable
class SurveyingStage(Stage, Protocol):
    """A stage that can be streamed (:mod:`textfix.stream`) and reads document-wide evidence.

    Streaming is opt-in, through class attributes and methods a stage may define:

    * ``stream_context: ClassVar[int]``: how far the stage looks around an edit, as a number
      of lines holding a letter or digit on each side (the streamer also adds a few hundred
      characters). A stage without it is never streamed.
    * ``stream_joins: ClassVar[re.Pattern[str] | None]``: a pattern for the last non-blank
      line before a line break after which text must not be cut (a line ending in a hyphen
      whose word goes on below).
    * ``survey(text)``: a summary of the document-wide evidence in ``text``, which adds
      (``a + b``) so that the survey of a text equals the sum of the surveys of its pieces,
      cut at line breaks that are safe. With ``survey_rounds = 2`` the streamer surveys
      twice and the second call gets the first survey: ``survey(text, earlier)``.
    * ``edits(text, survey=None)``: with a survey, the stage uses it instead of the evidence
      of ``text`` alone; ``edits(text)`` equals ``edits(text, survey=<survey of text>)``.
    * Instead of ``survey``, a stage whose evidence cannot be summed piece by piece may define
      ``stream_survey(windows)``: ``windows()`` iterates over the whole input as
      ``(text, core_start, core_end, offset)`` windows, as many times as the stage needs, and
      the result is given to ``edits`` (through its ``at(offset)`` method, if it has one, for
      a survey that depends on where the window lies); see ``remove_page_furniture``.
    """

    stream_context: ClassVar[int]
    stream_joins: ClassVar[re.Pattern[str] | None]

    def survey(self, text: str, earlier: Any = None) -> Any:
        """Return the evidence of ``text`` (see the class docstring)."""
        ...

    def edits(self, text: str, survey: Any = None) -> Iterable[Edit]:
        """Return the edits, judged with ``survey`` when it is given."""
        ...
