"""textfix: turn raw OCR output into clean text, edit by explainable edit.

>>> import textfix
>>> textfix.clean("The ﬁrst\u00a0page")
'The first page'
>>> fixed = textfix.explain("The ﬁrst page")
>>> [(e.start, e.end, e.replacement, e.stage) for e in fixed.edits]
[(4, 5, 'fi', 'expand_ligatures')]
"""

from __future__ import annotations

from textfix.edits import Edit, Fixed, Step, apply_edits, replay
from textfix.errors import (
    ConfigError,
    DictionaryError,
    DictionaryNotFoundError,
    OverlappingEditsError,
    TextfixError,
    UnknownStageError,
)
from textfix.pipeline import Pipeline, available_presets, load_preset
from textfix.registry import available_stages, get_stage, register

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "DictionaryError",
    "DictionaryNotFoundError",
    "Edit",
    "Fixed",
    "OverlappingEditsError",
    "Pipeline",
    "Step",
    "TextfixError",
    "UnknownStageError",
    "__version__",
    "apply_edits",
    "available_presets",
    "available_stages",
    "clean",
    "explain",
    "get_stage",
    "load_preset",
    "register",
    "replay",
]


def clean(text: str, *, preset: str = "default") -> str:
    """Clean ``text`` with a preset and return the result.

    Args:
        text: The OCR text (a ``str``; decode bytes first).
        preset: A shipped preset name or a path to a preset ``.toml`` file.

    Raises:
        TypeError: ``text`` is not a ``str``.
        ConfigError: The preset does not exist or is invalid.
    """
    return load_preset(preset)(text)


def explain(text: str, *, preset: str = "default") -> Fixed:
    """Clean ``text`` and return the result with every edit, as offsets into ``text``.

    The returned :class:`Fixed` unpacks as ``cleaned, steps``; ``fixed.edits`` lists the
    changes on the original input, each with the stage, the rule and a confidence, and
    ``apply_edits(text, fixed.edits) == fixed.text``.

    Raises:
        TypeError: ``text`` is not a ``str``.
        ConfigError: The preset does not exist or is invalid.
    """
    return load_preset(preset).explain(text)
