"""Built-in stages, grouped by the layer of text they work on.

Importing this package registers every built-in stage.
"""

from __future__ import annotations

from textfix.stages import unicode, words

__all__ = ["unicode", "words"]
