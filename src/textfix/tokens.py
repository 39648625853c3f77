"""The one tokenizer that every word-level stage shares.

A token is a maximal run of letters, digits and the characters OCR puts inside words
(apostrophes, and glyphs such as ``&``, ``£`` or ``^`` that stand in for damaged letters
when they sit between letters). Everything else is a separator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import regex

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["WORD_RE", "Token", "is_word", "tokenize"]

# Letters, marks and digits, with apostrophes and hyphens allowed *inside* a token.
WORD_RE = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:['’\-][\p{L}\p{M}\p{N}]+)*", regex.V1)
_ALPHA_RE = regex.compile(r"^[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*$", regex.V1)


class Token(NamedTuple):
    """A token and its span in the text."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> Iterator[Token]:
    """Yield the word tokens of ``text`` with their offsets.

    >>> [t.text for t in tokenize("Mr. O'Brien's co-op, 1886!")]
    ['Mr', "O'Brien's", 'co-op', '1886']
    """
    for m in WORD_RE.finditer(text):
        yield Token(m.group(), m.start(), m.end())


def is_word(token: str) -> bool:
    """Whether ``token`` is made of letters only (apostrophes allowed inside).

    >>> is_word("don't"), is_word("Caf6"), is_word("1886")
    (True, False, False)
    """
    return _ALPHA_RE.match(token) is not None
