"""File handling for batches: finding inputs, decoding them, writing outputs atomically.

Nothing here knows about stages. The command line uses these helpers, and so can any program
that cleans files: inputs are decoded with a named encoding and a decode error names the file
and the byte offset; outputs are always UTF-8 and are written to a temporary file in the target
folder and renamed into place, so a reader never sees a half-written file, even when the
process is interrupted.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from textfix.errors import TextfixError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

__all__ = [
    "DecodeError",
    "InputError",
    "Source",
    "atomic_write",
    "decode",
    "discover",
    "iter_decode",
    "iter_jsonl",
    "map_jsonl",
    "read_bytes",
]


class InputError(TextfixError):
    """An input cannot be read, decoded or parsed; the message names the file."""


class DecodeError(InputError):
    """An input is not valid in the requested encoding; the message gives the byte offset.

    Attributes:
        name: The file, as shown to the user.
        offset: The offset of the first undecodable byte.
    """

    def __init__(self, message: str, name: str, offset: int) -> None:
        super().__init__(message)
        self.name = name
        self.offset = offset


@dataclass(frozen=True, slots=True)
class Source:
    """One input file and where its output goes.

    Attributes:
        path: The input file; ``None`` stands for standard input.
        name: The input as shown in messages and explanations.
        relative: The path of the output relative to the output folder.
    """

    path: Path | None
    name: str
    relative: Path


def read_bytes(path: Path | None, name: str) -> bytes:
    """Read an input file (``None`` reads standard input).

    Raises:
        InputError: The file is missing, is a folder, or cannot be read.
    """
    if path is None:
        import sys

        if sys.stdin is None:  # started with standard input closed
            msg = f"{name}: there is no standard input to read"
            raise InputError(msg)
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:  # a replaced sys.stdin without a byte layer
            return sys.stdin.read().encode("utf-8", "surrogateescape")
        return bytes(stream.read())
    try:
        return path.read_bytes()
    except FileNotFoundError:
        msg = f"{name}: no such file"
    except IsADirectoryError:
        msg = f"{name}: is a folder"
    except OSError as exc:
        msg = f"{name}: cannot read: {exc.strerror or exc}"
    raise InputError(msg)


def decode(data: bytes, name: str, *, encoding: str = "utf-8", errors: str = "strict") -> str:
    """Decode the bytes of input ``name``.

    Args:
        data: The raw bytes.
        name: The input, as named in an error message.
        encoding: A codec name known to Python.
        errors: ``"strict"`` to fail on a bad byte, ``"replace"`` to put U+FFFD in its place.

    Raises:
        DecodeError: ``errors`` is strict and a byte is not valid; gives the byte offset.

    >>> decode(b"caf\\xc3\\xa9", "x.txt")
    'café'
    >>> decode(b"ab\\ncd\\xff", "x.txt")
    Traceback (most recent call last):
    ...
    textfix.io.DecodeError: x.txt: not valid utf-8 at byte 5 (line 2): invalid start byte 0xff
    """
    try:
        return data.decode(encoding, errors)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex()
        msg = f"{name}: not valid {encoding} at byte {exc.start} (line {line}): {exc.reason}"
        if bad:
            msg += f" 0x{bad}"
        raise DecodeError(msg, name, exc.start) from None


def iter_decode(
    path: Path,
    name: str,
    *,
    encoding: str = "utf-8",
    errors: str = "strict",
    size: int = 1 << 20,
) -> Iterator[str]:
    """Read and decode a file piece by piece, in memory bounded by ``size`` bytes.

    The pieces, joined, equal :func:`decode` of the whole file, and a decoding error raises
    the same :class:`DecodeError`, with the same byte offset and line, even when a multi-byte
    sequence is split between two reads.

    Raises:
        InputError: The file is missing, is a folder, or cannot be read.
        DecodeError: ``errors`` is strict and a byte is not valid.

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile(delete=False) as fh:
    ...     _ = fh.write("café\\n".encode() * 3)
    >>> "".join(iter_decode(Path(fh.name), "x.txt", size=3)) == "café\\n" * 3
    True
    >>> Path(fh.name).unlink()
    """
    decoder: codecs.IncrementalDecoder | None = None
    consumed = newlines = 0  # bytes fed so far, and the newlines among them
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        msg = f"{name}: no such file"
        raise InputError(msg) from None
    except IsADirectoryError:
        msg = f"{name}: is a folder"
        raise InputError(msg) from None
    except OSError as exc:
        msg = f"{name}: cannot read: {exc.strerror or exc}"
        raise InputError(msg) from None
    with fh:
        while True:
            try:
                data = fh.read(size if decoder is not None else max(size, 4))
            except OSError as exc:
                msg = f"{name}: cannot read: {exc.strerror or exc}"
                raise InputError(msg) from None
            if decoder is None:
                decoder = _incremental(encoding, errors, data)
            pending = decoder.getstate()[0]
            try:
                text = decoder.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                # The decoder saw its pending bytes, then ``data``.
                start = consumed - len(pending) + exc.start
                line = newlines - pending.count(b"\n") + exc.object.count(b"\n", 0, exc.start)
                bad = exc.object[exc.start : exc.start + 1].hex()
                msg = (
                    f"{name}: not valid {encoding} at byte {start} (line {line + 1}): {exc.reason}"
                )
                if bad:
                    msg += f" 0x{bad}"
                raise DecodeError(msg, name, start) from None
            consumed += len(data)
            newlines += data.count(b"\n")
            if text:
                yield text
            if not data:
                return


def _incremental(encoding: str, errors: str, head: bytes) -> codecs.IncrementalDecoder:
    """An incremental decoder that reads like ``bytes.decode(encoding)``.

    Python's incremental UTF-16 and UTF-32 decoders refuse a stream without a byte order
    mark, where ``bytes.decode`` reads it in the machine's byte order: so does this.
    """
    import sys

    name = codecs.lookup(encoding).name
    if name in ("utf-16", "utf-32"):
        boms = (
            (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
            if name == "utf-16"
            else (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
        )
        if len(head) >= len(boms[0]) and not head.startswith(boms):
            encoding = f"{name}-{'le' if sys.byteorder == 'little' else 'be'}"
    return codecs.getincrementaldecoder(encoding)(errors)


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def discover(
    inputs: Sequence[str], *, pattern: str = "*.txt", exclude: Path | None = None
) -> tuple[list[Source], list[str], list[str]]:
    """Expand input arguments into files, descending into folders.

    A file given by name is taken whatever its name. A folder contributes every file below it
    whose name matches ``pattern`` (hidden files and folders are skipped), in sorted order, each
    with its path relative to that folder. ``"-"`` stands for standard input.

    Args:
        inputs: Paths as given on the command line.
        pattern: A glob for file names inside folders.
        exclude: A folder whose files are never inputs: the output folder, when it lies
            inside an input folder.

    Returns:
        The inputs, the arguments that name nothing, and the folders with no matching file.
    """
    found: list[Source] = []
    missing: list[str] = []
    empty: list[str] = []
    out = exclude.resolve() if exclude is not None else None
    for arg in inputs:
        if arg == "-":
            found.append(Source(None, "<stdin>", Path("stdin.txt")))
            continue
        path = Path(arg)
        if path.is_dir():
            root = path.resolve()
            skip = out if out is not None and out != root and out.is_relative_to(root) else None
            before = len(found)
            for f in sorted(path.rglob(pattern)):
                rel = f.relative_to(path)
                if not f.is_file() or _hidden(rel):
                    continue
                if skip is not None and f.resolve().is_relative_to(skip):
                    continue
                found.append(Source(f, str(f), rel))
            if len(found) == before:
                empty.append(arg)
        elif path.exists():
            found.append(Source(path, arg, Path(path.name)))
        else:
            missing.append(arg)
    return found, missing, empty


@contextlib.contextmanager
def atomic_write(
    path: Path, *, backup: str | None = None, mode_from: Path | None = None
) -> Iterator[BinaryIO]:
    """Write a file through a temporary file in the same folder, renamed into place on success.

    If the block raises (or the process is interrupted), the temporary file is removed and
    ``path`` is left as it was: absent, or with its old content.

    Args:
        path: The file to write; its folder is created if needed.
        backup: Keep the old content of ``path`` (if any) as ``path`` + ``backup``.
        mode_from: Copy the permission bits of this file (the input, when rewriting in place).

    Yields:
        A binary file object to write to.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if mode_from is not None:
            shutil.copymode(mode_from, tmp)
        elif path.exists():
            shutil.copymode(path, tmp)  # a file written over keeps its permissions
        else:
            tmp.chmod(0o666 & ~_umask())  # as open() would make it, not mkstemp's 0o600
        if backup and path.exists():
            _make_backup(path, path.with_name(path.name + backup))
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@functools.cache
def _umask() -> int:
    """The process umask (read once: reading it means setting it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _make_backup(path: Path, target: Path) -> None:
    """Keep the current content of ``path`` as ``target``, itself replaced atomically."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()
        try:
            os.link(path, tmp)  # a hard link keeps the old inode without copying it
        except OSError:
            shutil.copy2(path, tmp)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def iter_jsonl(
    text: str, name: str, *, first_line: int = 1
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Parse JSON lines into ``(line number, record)`` pairs, skipping blank lines.

    Lines are split on ``\\n`` only: a JSON string may hold a raw U+2028, which
    :meth:`str.splitlines` would take for a line break. ``first_line`` is the number of the
    first line (when ``text`` is a piece of a larger file).

    Raises:
        InputError: A line is not a JSON object; the message gives ``file:line``.
    """
    for lineno, line in enumerate(text.split("\n"), first_line):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            msg = f"{name}:{lineno}: not valid JSON ({exc.msg}, column {exc.colno})"
            raise InputError(msg) from None
        if not isinstance(rec, dict):
            msg = f"{name}:{lineno}: expected a JSON object, got {type(rec).__name__}"
            raise InputError(msg)
        yield lineno, rec


def map_jsonl(
    text: str, name: str, field: str, fix: Callable[[str, int], str], *, first_line: int = 1
) -> Iterable[tuple[int, dict[str, Any]]]:
    """Parse JSON lines, replace ``field`` of each record by ``fix(value, lineno)``.

    The whole of ``text`` is held; a large file is read in pieces of whole lines and each
    piece mapped with its ``first_line`` (see :func:`textfix.batch.stream_file`).

    Yields:
        The line number and the record with its field replaced (other fields kept as they are).

    Raises:
        InputError: A line is not a JSON object or its field is missing or not a string;
            the message gives ``file:line``.
    """
    for lineno, rec in iter_jsonl(text, name, first_line=first_line):
        value = rec.get(field)
        if not isinstance(value, str):
            what = "has no field" if field not in rec else "has a non-string field"
            msg = f"{name}:{lineno}: record {what} {field!r}"
            raise InputError(msg)
        rec[field] = fix(value, lineno)
        yield lineno, rec
