"""A persistent on-disk cache of the structures textfix derives from its dictionaries.

Building the word stages' candidate indexes (the SymSpell delete indexes, the OCR-shape index),
reading the lexicon and the bigrams takes about 4 s of CPU in a new process; loading the same
structures from this cache takes a fraction of that. A builder opts in with
:func:`persistent`, placed under its ``functools.cache``::

    @functools.cache
    @persistent("delete_index", encode=fields, decode=lambda data, **_: DeleteIndex(*data))
    def delete_index(lang: str = "en", ...) -> DeleteIndex: ...

Where: ``TEXTFIX_CACHE_DIR`` when set; an empty value or ``off``/``0``/``false``/``no``
disables the cache. Otherwise the per-user cache folder: ``$XDG_CACHE_HOME/textfix`` (or
``~/.cache/textfix``) on Linux, ``~/Library/Caches/textfix`` on macOS,
``%LOCALAPPDATA%\\textfix\\Cache`` on Windows.

What decides an entry (its key): the builder (module and name), its arguments, the digest of
every file named by an argument (user dictionaries), the digest of the shipped dictionaries,
the versions of textfix, wordfreq and symspellpy, the source of the modules that build, the
Python version (marshal's format follows it) and :data:`FORMAT_VERSION`. Any change gives a new
key, so a stale entry is never read; old entries are pruned (:data:`KEEP_PER_KIND`).

Safety: entries are ``marshal`` data (never pickle: loading one runs no code) behind a header
with the full key, the length and a CRC-32, written to a temporary file and moved into place
with :func:`os.replace`, so a reader sees a whole entry or none and concurrent writers (several
``--jobs`` workers, several processes) are safe. A missing, truncated, corrupt or old entry is
rebuilt silently; a folder that cannot be written means no cache, never an error. Results are
the same with or without the cache (the tests check it).
"""

from __future__ import annotations

import functools
import gc
import hashlib
import inspect
import marshal
import os
import struct
import sys
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

__all__ = [
    "FORMAT_VERSION",
    "KEEP_PER_KIND",
    "Entry",
    "cache_dir",
    "clear",
    "entries",
    "fields",
    "once_per_setting",
    "persistent",
    "register_cli",
]

P = ParamSpec("P")
R = TypeVar("R")

#: Bump when the file layout or the meaning of an entry changes.
FORMAT_VERSION = 1
#: At most this many entries of one kind are kept (the least recently used go first). The
#: default pipeline uses five delete indexes; the rest leaves room for other settings, user
#: dictionaries and other installs of textfix that share the folder.
KEEP_PER_KIND = 20
#: Values of ``TEXTFIX_CACHE_DIR`` that turn the cache off.
_OFF = frozenset({"", "0", "off", "false", "no", "none"})
_MAGIC = b"TEXTFIXC"
#: magic, format version, key length, payload length, CRC-32 of key and payload.
_HEADER = struct.Struct("<8sHIQI")
_SUFFIX = ".marshal"
#: Our modules whose source goes into every key (besides the builder's own module).
_SOURCES = ("cache.py", "lexicon.py", "resources.py")


def cache_dir() -> Path | None:
    """Return the cache folder (which may not exist yet), or ``None`` when caching is off.

    >>> import os
    >>> old = os.environ.get("TEXTFIX_CACHE_DIR")
    >>> os.environ["TEXTFIX_CACHE_DIR"] = "off"
    >>> cache_dir() is None
    True
    >>> os.environ["TEXTFIX_CACHE_DIR"] = "some/folder"
    >>> cache_dir() == Path("some/folder")
    True
    >>> if old is None: del os.environ["TEXTFIX_CACHE_DIR"]
    ... else: os.environ["TEXTFIX_CACHE_DIR"] = old
    """
    env = os.environ.get("TEXTFIX_CACHE_DIR")
    if env is not None:
        return None if env.strip().lower() in _OFF else Path(env).expanduser()
    try:
        home = Path.home()
    except (RuntimeError, KeyError):  # no HOME and no password entry
        return None
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        base = Path(local) if local else home / "AppData" / "Local"
        return base / "textfix" / "Cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "textfix"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG spec says a relative path is invalid and must be ignored.
    return (Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".cache") / "textfix"


@dataclass(frozen=True, slots=True)
class Entry:
    """One file of the cache.

    Attributes:
        path: The file.
        kind: The builder's name given to :func:`persistent` (``"delete_index"``).
        size: Its size in bytes.
        mtime: When it was last written or read (seconds since the epoch).
    """

    path: Path
    kind: str
    size: int
    mtime: float


def entries(folder: Path | None = None) -> list[Entry]:
    """List the cache files in ``folder`` (default :func:`cache_dir`), oldest first."""
    folder = folder if folder is not None else cache_dir()
    if folder is None:
        return []
    out = []
    try:
        for p in folder.iterdir():
            if p.suffix == _SUFFIX and "-" in p.name:
                try:
                    st = p.stat()
                except OSError:
                    continue
                out.append(Entry(p, p.name.rsplit("-", 1)[0], st.st_size, st.st_mtime))
    except OSError:
        return []
    return sorted(out, key=lambda e: (e.mtime, e.path.name))


def clear(folder: Path | None = None) -> int:
    """Delete the cache files in ``folder`` (default :func:`cache_dir`); return how many.

    Only files this module writes are removed (and stale temporary files of its own), never
    the folder or anything else in it.
    """
    folder = folder if folder is not None else cache_dir()
    if folder is None:
        return 0
    removed = 0
    targets = [e.path for e in entries(folder)]
    try:
        targets += [p for p in folder.iterdir() if p.name.startswith(".") and p.suffix == ".tmp"]
    except OSError:
        pass
    for p in targets:
        try:
            p.unlink()
            removed += 1
        except OSError:
            pass
    return removed


def fields(obj: Any) -> tuple[Any, ...]:
    """The field values of a dataclass instance, in order (shallow: no copies, unlike
    :func:`dataclasses.astuple`); the ``encode`` of a dataclass whose ``decode`` is
    ``lambda data, **_: Class(*data)``."""
    import dataclasses

    return tuple(getattr(obj, f.name) for f in dataclasses.fields(obj))


def persistent(
    kind: str,
    *,
    encode: Callable[[Any], Any] | None = None,
    decode: Callable[..., Any] | None = None,
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Keep what the decorated builder returns in the on-disk cache.

    Args:
        kind: A short name for the builder's files (``"delete_index"``), letters, digits and
            underscores.
        encode: Turns a result into data ``marshal`` can write (plain dicts, lists, tuples,
            strings, numbers); default: the result itself.
        decode: ``decode(data, **arguments)`` turns that data back into the result, given the
            builder's arguments by name (defaults filled in); default: the data itself.

    A result that cannot be written (``marshal`` refuses it) is simply not cached. The
    builder runs with the cyclic garbage collector paused, as loading does: neither makes
    cycles, and the collector's passes over the millions of new containers were a third of
    the build time.
    """

    def wrap(build: Callable[P, R]) -> Callable[P, R]:
        sig = inspect.signature(build)

        @functools.wraps(build)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            with _gc_paused():
                bound = sig.bind(*args, **kwargs)
                bound.apply_defaults()
                folder = cache_dir()
                key = _key(kind, build, bound.arguments) if folder is not None else None
                if folder is not None and key is not None:
                    payload = _read(folder / f"{kind}-{_short(key)}{_SUFFIX}", key)
                    if payload is not None:
                        try:
                            data = marshal.loads(payload)
                            result: R = data if decode is None else decode(data, **bound.arguments)
                        except Exception:  # a bad entry is rebuilt
                            pass
                        else:
                            return result
                result = build(*args, **kwargs)
                if folder is not None and key is not None:
                    _write(folder, kind, key, result, encode)
                return result

        return wrapper

    return wrap


def once_per_setting(build: Callable[P, R]) -> functools._lru_cache_wrapper[R]:
    """``functools.cache`` for a builder, with one result per setting however the arguments
    are written.

    ``functools.cache`` keys on the call as written, so ``load_lexicon("en")`` and
    ``load_lexicon("en", ())`` would build (or load) and keep two equal lexicons. Here a call
    written a new way binds its arguments (defaults filled in) and gets the result of any
    earlier equal call; calls written as before stay on ``functools.cache``'s fast path.
    ``__wrapped__`` is ``build`` itself, and ``cache_clear()`` forgets every result.

    >>> calls = []
    >>> @once_per_setting
    ... def table(lang: str = "en", *, size: int = 2) -> list[str]:
    ...     calls.append(lang)
    ...     return [lang] * size
    >>> table() is table("en") is table(lang="en", size=2), calls
    (True, ['en'])
    """
    sig = inspect.signature(build)
    results: dict[tuple[tuple[str, Any], ...], R] = {}

    def shared(*args: Any, **kwargs: Any) -> R:
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        key = tuple(bound.arguments.items())
        if key not in results:
            results[key] = build(*args, **kwargs)
        return results[key]

    cached = functools.cache(shared)
    functools.update_wrapper(cached, build)
    clear = cached.cache_clear

    def cache_clear() -> None:
        clear()
        results.clear()

    cached.cache_clear = cache_clear  # type: ignore[method-assign]
    return cached


class _gc_paused:  # noqa: N801 - used as a function
    """Pause the cyclic garbage collector (when it runs) for the ``with`` block."""

    __slots__ = ("was",)

    def __enter__(self) -> None:
        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.was:
            gc.enable()


def _short(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def _key(kind: str, build: Callable[..., Any], arguments: dict[str, Any]) -> str | None:
    """Everything that decides what ``build(**arguments)`` returns, as one string (``None``
    when it cannot be told, for instance when the shipped dictionaries are missing)."""
    try:
        from textfix import __version__
        from textfix.resources import dictionary_digest

        parts = [
            f"format={FORMAT_VERSION}",
            f"kind={kind}",
            f"builder={build.__module__}.{build.__qualname__}",
            f"textfix={__version__}",
            f"python={sys.implementation.cache_tag};marshal={marshal.version}",
            f"code={_code_digest(build.__module__)}",
            f"dicts={dictionary_digest()}",
            f"deps={_dependencies()}",
        ]
        for name, value in arguments.items():
            parts.append(f"{name}={value!r}")
            for item in value if isinstance(value, tuple) else (value,):
                if isinstance(item, str) and _looks_like_path(item):
                    parts.append(f"file:{item}={_file_digest(item)}")
        return "\n".join(parts)
    except Exception:
        return None


def _looks_like_path(s: str) -> bool:
    return ("/" in s or os.sep in s or s.endswith((".tsv", ".txt"))) and Path(s).is_file()


def _file_digest(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


@functools.cache
def _code_digest(module: str) -> str:
    """A digest of the source of the modules that build: a change of code (even without a
    new version number, as in a checkout) must not read entries the old code wrote."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    files = [here / name for name in _SOURCES]
    mod = sys.modules.get(module)
    if mod is not None and getattr(mod, "__file__", None):
        files.append(Path(str(mod.__file__)))
    for f in files:
        try:
            h.update(f.read_bytes())
        except OSError:
            h.update(f"missing:{f.name}".encode())
    return h.hexdigest()[:16]


@functools.cache
def _dependencies() -> str:
    """The versions of the packages whose data goes into the structures."""
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in ("wordfreq", "symspellpy"):
        try:
            out.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}=none")
    return ",".join(out)


def _read(path: Path, key: str) -> memoryview | None:
    """The payload of the entry at ``path`` when it is whole and has ``key``, else ``None``."""
    try:
        with path.open("rb") as f:
            blob = f.read()
    except OSError:
        return None
    if len(blob) < _HEADER.size:
        return None
    magic, fmt, key_len, size, crc = _HEADER.unpack_from(blob)
    body = memoryview(blob)[_HEADER.size :]
    if magic != _MAGIC or fmt != FORMAT_VERSION or len(body) != key_len + size:
        return None
    if zlib.crc32(body) != crc or bytes(body[:key_len]) != key.encode():
        return None
    try:  # mark it as recently used, for pruning
        os.utime(path)
    except OSError:
        pass
    return body[key_len:]


def _write(
    folder: Path, kind: str, key: str, result: Any, encode: Callable[[Any], Any] | None = None
) -> None:
    """Write an entry atomically; give up silently on any failure."""
    try:
        payload = marshal.dumps(result if encode is None else encode(result))
    except Exception:  # not plain data (or an encoder that fails): not cached
        return
    key_bytes = key.encode()
    crc = zlib.crc32(payload, zlib.crc32(key_bytes))
    header = _HEADER.pack(_MAGIC, FORMAT_VERSION, len(key_bytes), len(payload), crc)
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=f".{kind}-", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(header)
            f.write(key_bytes)
            f.write(payload)
        Path(tmp).replace(folder / f"{kind}-{_short(key)}{_SUFFIX}")
        tmp = None
        _prune(folder, kind)
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                Path(tmp).unlink()
            except OSError:
                pass


def _prune(folder: Path, kind: str) -> None:
    """Keep the :data:`KEEP_PER_KIND` most recently used entries of ``kind``."""
    mine = [e for e in entries(folder) if e.kind == kind]
    for e in mine[: max(0, len(mine) - KEEP_PER_KIND)]:
        try:
            e.path.unlink()
        except OSError:
            pass


# --- command line -------------------------------------------------------------------------


def register_cli(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``textfix cache info|clear|warm`` to the command line."""
    p = subparsers.add_parser(
        "cache",
        help="show, clear or fill the on-disk cache of dictionary indexes",
        description=(
            "textfix keeps the indexes it derives from its dictionaries in a per-user cache "
            "folder, so that a new process starts in a fraction of the time (docs/cache.md). "
            "TEXTFIX_CACHE_DIR moves it; TEXTFIX_CACHE_DIR=off turns it off."
        ),
    )
    p.add_argument(
        "action",
        choices=("info", "clear", "warm"),
        help="info: where it is and what it holds; clear: delete its files; "
        "warm: build what the preset needs now (for an image or a shared machine)",
    )
    p.add_argument("--preset", default="default", help="the preset 'warm' prepares (default)")
    p.set_defaults(func=_cache_main)


def _cache_main(args: argparse.Namespace) -> int:
    folder = cache_dir()
    if folder is None:
        print("cache: off (TEXTFIX_CACHE_DIR is empty or 'off')")
        return 0
    if args.action == "clear":
        print(f"cache: removed {clear(folder)} files from {folder}")
        return 0
    if args.action == "warm":
        from textfix.batch import _WARM_TEXT
        from textfix.pipeline import load_preset

        load_preset(args.preset)(_WARM_TEXT)
    found = entries(folder)
    total = sum(e.size for e in found)
    print(f"cache: {folder}")
    print(f"{len(found)} files, {total / 1e6:.1f} MB")
    kinds: dict[str, list[Entry]] = {}
    for e in found:
        kinds.setdefault(e.kind, []).append(e)
    for kind, es in sorted(kinds.items()):
        print(f"  {kind}: {len(es)} files, {sum(e.size for e in es) / 1e6:.1f} MB")
    return 0
