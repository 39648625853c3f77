"""Built-in stages, grouped by the layer of text they work on.

Importing this package registers every built-in stage.
"""

from __future__ import annotations

from textfix.stages import (
    amounts,
    digits,
    fragments,
    layout,
    marks,
    noise,
    realwords,
    unicode,
    variants,
    words,
)

__all__ = [
    "amounts",
    "digits",
    "fragments",
    "layout",
    "marks",
    "noise",
    "realwords",
    "unicode",
    "variants",
    "words",
]
