"""The exception hierarchy of textfix.

Every error the library raises on purpose derives from :class:`TextfixError`, so a caller
can catch them all at once; the CLI turns them into one-line messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "ConfigError",
    "DictionaryError",
    "DictionaryNotFoundError",
    "OverlappingEditsError",
    "TextfixError",
    "UnknownStageError",
]


class TextfixError(Exception):
    """Base class of every error raised by textfix."""


class ConfigError(TextfixError, ValueError):
    """A stage, preset or pipeline was given a setting it cannot use."""


class UnknownStageError(TextfixError, KeyError):
    """A stage name is not in the registry.

    Args:
        name: The name that was asked for.
        known: The names that are registered, listed in the message.
    """

    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name = name
        self.known = sorted(known)
        super().__init__(name)

    def __str__(self) -> str:
        return f"unknown stage {self.name!r}; known stages: {', '.join(self.known)}"


class OverlappingEditsError(TextfixError):
    """A stage returned edits that overlap each other or fall outside the text."""


class DictionaryError(TextfixError):
    """A dictionary file is malformed; the message names the file and line."""


class DictionaryNotFoundError(DictionaryError, FileNotFoundError):
    """A dictionary name does not resolve to a shipped or user file.

    Args:
        name: The dictionary that was asked for.
        available: The dictionaries that do exist, listed in the message.
    """

    def __init__(self, name: str, available: Iterable[str] = ()) -> None:
        self.name = name
        self.available = sorted(available)
        super().__init__(name)

    def __str__(self) -> str:
        known = ", ".join(self.available) or "none"
        return f"no dictionary named {self.name!r}; available: {known}"
