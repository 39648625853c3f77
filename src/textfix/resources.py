"""Dictionary files: where they are, how they are parsed, and a digest for signatures.

Data is read on first use and cached once per process; stages hold only the *name* of a
dictionary, so a pipeline pickles small and each worker process loads the data once.
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from textfix.errors import DictionaryError, DictionaryNotFoundError

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from importlib.abc import Traversable

__all__ = [
    "available_tables",
    "dictionary_digest",
    "dictionary_root",
    "load_table",
    "parse_tsv",
    "resolve",
]


@functools.cache
def dictionary_root() -> Traversable:
    """Return the folder of shipped dictionaries.

    An installed wheel carries them in ``textfix/dictionaries``; an editable install from a
    checkout falls back to the checkout's top-level ``dictionaries/`` folder.
    """
    shipped = files("textfix") / "dictionaries"
    if shipped.is_dir():
        return shipped
    checkout = Path(__file__).resolve().parents[2] / "dictionaries"
    if checkout.is_dir():
        return checkout
    msg = "textfix is installed without its dictionaries folder; reinstall the package"
    raise DictionaryNotFoundError(msg)


def _walk(root: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    for child in sorted(root.iterdir(), key=lambda c: c.name):
        if child.is_dir():
            yield from _walk(child, f"{prefix}{child.name}/")
        elif child.name.endswith((".tsv", ".txt")):
            yield f"{prefix}{child.name.rsplit('.', 1)[0]}", child


def available_tables() -> list[str]:
    """Return the names of every shipped dictionary, such as ``en/ocr_confusions``."""
    return [name for name, _ in _walk(dictionary_root())]


def resolve(name: str) -> Traversable:
    """Return the file of the shipped dictionary ``name`` (``"en/lexicon_extra"``).

    A name that ends in ``.tsv`` or ``.txt`` or contains a path separator that exists on
    disk is taken as a user file path.

    Raises:
        DictionaryNotFoundError: No such dictionary.
    """
    path = Path(name)
    if path.suffix in {".tsv", ".txt"} and path.is_file():
        return path
    root = dictionary_root()
    for suffix in (".tsv", ".txt"):
        candidate = root.joinpath(*f"{name}{suffix}".split("/"))
        if candidate.is_file():
            return candidate
    raise DictionaryNotFoundError(name, available_tables())


def parse_tsv(
    text: str, source: str, *, columns: int = 2, strict: bool = True
) -> Iterator[tuple[str, ...]]:
    """Yield the rows of a tab-separated dictionary, skipping blank and ``#`` lines.

    Args:
        text: The file's content.
        source: The file name, used in error messages.
        columns: The least number of columns each row must have.
        strict: Raise on a bad row; when false, skip it.

    Raises:
        DictionaryError: A row has too few columns, or is not NFC (``strict`` only).
    """
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        row = tuple(line.split("\t"))
        problem = ""
        if len(row) < columns or not all(row[:columns]):
            problem = f"expected {columns} tab-separated columns"
        elif not unicodedata.is_normalized("NFC", line):
            problem = "not in Unicode NFC form"
        if problem:
            if strict:
                msg = f"{source}:{lineno}: {problem}: {line[:60]!r}"
                raise DictionaryError(msg)
            continue
        yield row


@functools.cache
def load_table(name: str) -> Mapping[str, str]:
    """Load a two-column dictionary as a read-only mapping from column 1 to column 2.

    Raises:
        DictionaryNotFoundError: No such dictionary.
        DictionaryError: A line is malformed or a key repeats.
    """
    res = resolve(name)
    out: dict[str, str] = {}
    for row in parse_tsv(res.read_text("utf-8-sig"), res.name):
        if row[0] in out:
            msg = f"{res.name}: key {row[0]!r} appears twice"
            raise DictionaryError(msg)
        out[row[0]] = row[1]
    return MappingProxyType(out)


@functools.cache
def dictionary_digest() -> str:
    """Return a short digest of every shipped dictionary file, for pipeline signatures."""
    h = hashlib.sha1(usedforsecurity=False)
    for name, res in _walk(dictionary_root()):
        h.update(name.encode())
        h.update(res.read_bytes())
    return h.hexdigest()[:6]
