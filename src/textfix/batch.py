"""Cleaning many files: one document at a time, or in worker processes on one machine.

:func:`process` turns the bytes of one input into the bytes of its output, with the edit counts,
the explanation rows and (on request) the :class:`~textfix.Fixed` results. :func:`run` maps it
over inputs in this process or in a pool of worker processes. The pipeline goes to each worker
once, through the pool initializer. On Linux the workers are forked from a parent that has
already loaded the dictionaries, so they share them and start at once; elsewhere (or when the
parent runs threads) they are spawned and load the dictionaries on first use, once per worker
(from the on-disk cache of indexes when it holds them, see :mod:`textfix.cache`). Inputs go
to the workers in runs of consecutive files (:func:`chunks`), results come back in input order.
Writing outputs stays with the caller, in the main process.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from textfix.io import DecodeError, InputError, Source, decode, map_jsonl, read_bytes

if TYPE_CHECKING:
    from collections.abc import Generator, Iterable, Iterator, Sequence

    from textfix.edits import Fixed
    from textfix.pipeline import Pipeline

__all__ = ["Options", "Result", "process", "resolve_jobs", "run", "stream_file", "streams"]


@dataclass(frozen=True, slots=True)
class Options:
    """How inputs are read and what is collected besides the cleaned text.

    Attributes:
        encoding: The codec of the inputs.
        errors: ``"strict"`` or ``"replace"``: what to do with undecodable bytes.
        fmt: ``"text"``, or ``"jsonl"`` to clean one field of each JSON line.
        text_field: The field cleaned in ``jsonl`` mode.
        explain: Collect one row per edit.
        keep_fixed: Keep the :class:`~textfix.Fixed` result of every document.
        stats: Count the edits by stage and rule.
    """

    encoding: str = "utf-8"
    errors: str = "strict"
    fmt: str = "text"
    text_field: str = "text"
    explain: bool = False
    keep_fixed: bool = False
    stats: bool = False

    @property
    def needs_edits(self) -> bool:
        """Whether documents must go through :meth:`Pipeline.explain`."""
        return self.explain or self.keep_fixed or self.stats


@dataclass
class Result:
    """What cleaning one input produced.

    Attributes:
        source: The input.
        output: The cleaned document as UTF-8 bytes (empty when ``error`` is set).
        unchanged: The output bytes equal the input bytes.
        error: A message naming the input, when it could not be cleaned.
        undecodable: The error is a decoding error.
        stats: Edit counts (with ``Options.stats``).
        rows: One JSON-ready dict per edit (with ``Options.explain``).
        documents: ``(name, fixed)`` per document (with ``Options.keep_fixed``).
    """

    source: Source
    output: bytes = b""
    unchanged: bool = False
    error: str = ""
    undecodable: bool = False
    stats: Counter[str] = field(default_factory=Counter)
    rows: list[dict[str, Any]] = field(default_factory=list)
    documents: list[tuple[str, Fixed]] = field(default_factory=list)


def process(pipe: Pipeline, source: Source, options: Options, data: bytes | None = None) -> Result:
    """Read, decode and clean one input (``data``, when given, is its content, already read).

    Errors that concern the input (unreadable, undecodable, a bad JSON line) are caught and
    returned in :attr:`Result.error`, so that a batch can go on; anything else propagates.
    """
    result = Result(source)
    try:
        if data is None:
            data = read_bytes(source.path, source.name)
        text = decode(data, source.name, encoding=options.encoding, errors=options.errors)
        if options.fmt == "jsonl":
            out = _clean_jsonl(pipe, text, source.name, options, result)
        else:
            out = _clean_text(pipe, text, source.name, None, options, result)
    except InputError as exc:
        result.error = str(exc)
        result.undecodable = isinstance(exc, DecodeError)
        return result
    result.output = out.encode("utf-8")
    result.unchanged = result.output == data
    return result


def _clean_text(
    pipe: Pipeline, text: str, name: str, line: int | None, options: Options, result: Result
) -> str:
    if not options.needs_edits:
        return pipe(text)
    fixed = pipe.explain(text)
    if options.stats:
        result.stats.update(fixed.stats())
    if options.explain:
        for e in fixed.edits:
            row: dict[str, Any] = {"file": name}
            if line is not None:
                row["line"] = line
            row.update(e.to_dict(text))
            result.rows.append(row)
    if options.keep_fixed:
        result.documents.append((name if line is None else f"{name}:{line}", fixed))
    return fixed.text


def _clean_jsonl(pipe: Pipeline, text: str, name: str, options: Options, result: Result) -> str:
    def fix(value: str, lineno: int) -> str:
        return _clean_text(pipe, value, name, lineno, options, result)

    lines = [
        json.dumps(rec, ensure_ascii=False) + "\n"
        for _, rec in map_jsonl(text, name, options.text_field, fix)
    ]
    return "".join(lines)


# --- large files -------------------------------------------------------------------------


def streams(pipe: Pipeline, source: Source, options: Options, threshold: int) -> bool:
    """Whether ``source`` is cleaned with :func:`stream_file` rather than whole.

    Only files (not stdin) larger than ``threshold`` bytes are, and only when every stage of
    the pipeline can be streamed and no edit has to be kept (``--explain``, ``--stats`` and
    ``--report`` need all the edits of a document at once). A JSONL file is read record by
    record (each record is cleaned whole).
    """
    from textfix.stream import can_stream

    if threshold <= 0 or source.path is None or options.needs_edits:
        return False
    try:
        size = source.path.stat().st_size
    except OSError:
        return False  # reading it whole reports the error
    return size > threshold and can_stream(pipe)


class Writer(Protocol):
    """Anything with a ``write(bytes)`` method: a binary file, or standard output."""

    def write(self, data: bytes, /) -> object: ...


def stream_file(
    pipe: Pipeline, source: Source, options: Options, out: Writer, *, chunk_chars: int
) -> bool:
    """Clean a plain-text file into ``out`` (UTF-8) in bounded memory.

    The bytes written equal :func:`process` output for the same file.

    Returns:
        Whether the output bytes equal the input bytes (as :attr:`Result.unchanged`).

    Raises:
        InputError: The file cannot be read or decoded (nothing useful has been written:
            write to a temporary file, as :func:`textfix.io.atomic_write` does).
    """
    from textfix.io import iter_decode
    from textfix.stream import iter_clean

    assert source.path is not None
    pieces = iter_decode(
        source.path,
        source.name,
        encoding=options.encoding,
        errors=options.errors,
        size=max(chunk_chars, 1 << 16),
    )
    cleaned = (
        _jsonl_pieces(pipe, pieces, source.name, options)
        if options.fmt == "jsonl"
        else iter_clean(pipe, pieces, chunk_chars=chunk_chars)
    )
    same = True
    with source.path.open("rb") as original:
        for piece in cleaned:
            data = piece.encode("utf-8")
            out.write(data)
            same = same and original.read(len(data)) == data
        return same and not original.read(1)


def _jsonl_pieces(
    pipe: Pipeline, pieces: Iterable[str], name: str, options: Options
) -> Iterator[str]:
    """Clean JSON lines read in pieces: the output of :func:`_clean_jsonl`, piece by piece."""
    from textfix.stream import _blocks

    result = Result(Source(None, name, Path(name)))
    line = 1
    for block in _blocks(pieces, 1 << 16):
        body = block.removesuffix("\n")

        def fix(value: str, lineno: int) -> str:
            return _clean_text(pipe, value, name, lineno, options, result)

        yield "".join(
            json.dumps(rec, ensure_ascii=False) + "\n"
            for _, rec in map_jsonl(body, name, options.text_field, fix, first_line=line)
        )
        line += block.count("\n")


# --- worker processes ---------------------------------------------------------------------

_WORKER: tuple[Pipeline, Options] | None = None


def _init_worker(pipe: Pipeline, options: Options) -> None:
    """Pool initializer: keep the pipeline for this worker; Ctrl-C is the parent's business."""
    import signal

    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER = (pipe, options)


def _work(source: Source) -> Result:
    if _WORKER is None:  # pragma: no cover - the initializer always runs first
        msg = "worker used without its initializer"
        raise RuntimeError(msg)
    return process(_WORKER[0], source, _WORKER[1])


def _work_chunk(chunk: Sequence[Source]) -> list[Result]:
    """Clean a run of consecutive inputs in one round trip (see :func:`chunks`)."""
    return [_work(source) for source in chunk]


def chunks(
    items: Sequence[Any],
    workers: int,
    *,
    most: int = 32,
    sizes: Sequence[int] | None = None,
    budget: int = 1 << 22,
) -> Iterator[Sequence[Any]]:
    """Cut ``items`` into runs of consecutive items, large first and shrinking to one.

    Each run is about an eighth of what is left per worker, at most ``most`` items and (when
    ``sizes`` gives each item's bytes) about ``budget`` bytes: large runs save round trips
    between processes and keep neighbouring inputs (which tend to share their vocabulary) on
    one worker, so fewer unknown tokens are judged in both; the small runs at the end keep the
    workers finishing together, and the byte budget keeps large files from piling up in memory.

    >>> [len(c) for c in chunks(range(40), 2)][:7], len(list(chunks(range(40), 2)))
    ([2, 2, 2, 2, 2, 1, 1], 35)
    >>> [len(c) for c in chunks(range(1000), 2)][:4], sum(map(len, chunks(range(1000), 2)))
    ([32, 32, 32, 32], 1000)
    >>> [len(c) for c in chunks(range(1000), 2, sizes=[1 << 21] * 1000)][:3]
    [2, 2, 2]
    """
    start = 0
    while start < len(items):
        size = max(1, min(most, (len(items) - start) // (8 * max(1, workers))))
        if sizes is not None:
            total, end = 0, start
            while end < start + size and (end == start or total + sizes[end] <= budget):
                total += sizes[end]
                end += 1
            size = end - start
        yield items[start : start + size]
        start += size


def _size(source: Source) -> int:
    try:
        return source.path.stat().st_size if source.path is not None else 0
    except OSError:
        return 0  # reading it reports the error


#: Invented OCR that makes the default stages load their dictionaries and indexes.
_WARM_TEXT = (
    "Tbe kingwas in tbe gar-\nden of tbe old houfe; he said that caf\u00c3\u00a9 was\n"
    "ofleied to tbe colour of 12 men.\n\n- 7 -\n"
)


def start_method() -> str:
    """How worker processes start: ``"fork"`` on Linux when this process runs no other thread
    (the workers then share the dictionaries the parent loaded), else ``"spawn"``.

    >>> start_method() in {"fork", "spawn"}
    True
    """
    import multiprocessing
    import sys
    import threading

    if (
        sys.platform == "linux"
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    ):
        return "fork"
    return "spawn"


def _warm(pipe: Pipeline) -> None:
    """Load what ``pipe`` loads lazily (dictionaries, indexes) in this process, so forked
    workers inherit it instead of each loading it again."""
    import gc

    # The collector is paused while the tables load (they make no cycles) and then kept off
    # them in the workers too: scanning them would cost passes over millions of objects here
    # (a sixth of the warm-up) and touch, and so copy, every shared page there.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        pipe(_WARM_TEXT)
        gc.freeze()
    except Exception:  # a broken setting fails in the workers, per input, with its message
        return
    finally:
        if was_enabled:
            gc.enable()


def resolve_jobs(jobs: int) -> int:
    """Turn a ``--jobs`` value into a number of processes (``-1`` means every core).

    >>> resolve_jobs(1), resolve_jobs(-1) >= 1
    (1, True)
    """
    if jobs == -1 or jobs == 0:
        return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
    return max(1, jobs)


def run(
    pipe: Pipeline,
    sources: Sequence[Source],
    options: Options,
    *,
    jobs: int = 1,
    client: Any = None,
    method: str | None = None,
) -> Generator[Result, None, None]:
    """Clean every input, yielding results in input order.

    With ``jobs > 1`` and more than one input, the work runs in a pool of worker processes
    started as :func:`start_method` says. With "fork" the dictionaries are loaded here first
    and shared; with "spawn" each worker loads them. The pipeline goes to each worker once.

    Args:
        pipe: The pipeline.
        sources: The inputs.
        options: How to read them and what to collect.
        jobs: The number of processes (see :func:`resolve_jobs`).
        client: A ``distributed.Client``: the inputs are read here and cleaned on its
            cluster (no shared file system needed); ``jobs`` is then ignored.
        method: ``"fork"`` or ``"spawn"`` to override :func:`start_method` (results are the
            same either way).
    """
    if client is not None:
        yield from _run_dask(pipe, sources, options, client)
        return
    workers = min(resolve_jobs(jobs), len(sources))
    if workers <= 1:
        for source in sources:
            yield process(pipe, source, options)
        return

    import itertools
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    method = method or start_method()
    if method == "fork":
        _warm(pipe)
    ctx = multiprocessing.get_context(method)
    pool = ProcessPoolExecutor(workers, ctx, initializer=_init_worker, initargs=(pipe, options))
    try:
        # Inputs go out in runs of consecutive files (fewer round trips, shared vocabulary on
        # one worker); a bounded window of submitted runs keeps memory flat on large batches.
        todo = chunks(sources, workers, sizes=[_size(s) for s in sources])
        pending = deque(pool.submit(_work_chunk, c) for c in itertools.islice(todo, workers * 3))
        while pending:
            done = pending.popleft().result()
            nxt = next(todo, None)
            if nxt is not None:
                pending.append(pool.submit(_work_chunk, nxt))
            yield from done
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _run_dask(
    pipe: Pipeline, sources: Sequence[Source], options: Options, client: Any
) -> Generator[Result, None, None]:
    """Clean inputs on a Dask cluster, in input order, with a bounded window of work."""
    from collections import deque

    window = max(4, 4 * len(client.scheduler_info().get("workers", {})))
    remote_pipe = client.scatter(pipe, broadcast=True)
    pending: deque[Any] = deque()
    todo = iter(sources)

    def submit(source: Source) -> Any:
        try:
            data = read_bytes(source.path, source.name)
        except InputError as exc:
            failed = Result(source)
            failed.error = str(exc)
            return failed
        return client.submit(process, remote_pipe, source, options, data, pure=False)

    for source in todo:
        pending.append(submit(source))
        if len(pending) >= window:
            break
    while pending:
        item = pending.popleft()
        yield item if isinstance(item, Result) else item.result()
        nxt = next(todo, None)
        if nxt is not None:
            pending.append(submit(nxt))
