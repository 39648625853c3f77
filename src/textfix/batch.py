"""Cleaning many files: one document at a time, or in worker processes on one machine.

:func:`process` turns the bytes of one input into the bytes of its output, with the edit counts,
the explanation rows and (on request) the :class:`~textfix.Fixed` results. :func:`run` maps it
over inputs in this process or in a pool of worker processes. The pipeline goes to each worker
once, when the worker starts. On Linux the workers are forked from a parent that has
already loaded the dictionaries, so they share them and start at once; elsewhere (or when the
parent runs threads) they are spawned and load the dictionaries on first use, once per worker
(from the on-disk cache of indexes when it holds them, see :mod:`textfix.cache`). Each worker
cleans runs of neighbouring files from its own share of the batch (:class:`Plan`); results
come back in input order.
Writing outputs stays with the caller, in the main process.
"""

from __future__ import annotations

import bisect
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

__all__ = ["Options", "Plan", "Result", "process", "resolve_jobs", "run", "stream_file", "streams"]


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
    """Clean a run of consecutive inputs in one round trip (see :class:`Plan`)."""
    return [_work(source) for source in chunk]


class Plan:
    """Which inputs each worker cleans next, so that every worker keeps to neighbouring files.

    The inputs are cut into windows of consecutive files (about ``window`` bytes and
    ``window_items`` files per worker) and each window into one lane per worker, of about
    equal bytes. A worker takes runs from the front of its own lane (about a quarter of what
    is left in it, at most ``most`` files and about ``budget`` bytes, so the runs shrink to
    single files at its end); with its lane empty it takes small runs from the back of the
    fullest lane of the window; with the window handed out, it opens the next one. So the
    pages of one book or issue, which share their unusual words, mostly go to one worker
    (each worker judges an unknown token once, in its own cache), and the workers still
    finish together.

    Args:
        sizes: The bytes of each input (0 when unknown).
        workers: The number of workers.

    >>> plan = Plan([10] * 40, 2, most=8)  # lanes: inputs 0-19 and 20-39
    >>> [plan.take(0), plan.take(1), plan.take(0), plan.take(1), plan.take(0)]
    [(0, 5), (20, 25), (5, 8), (25, 28), (8, 11)]
    >>> plan = Plan([10] * 8, 2)  # worker 0 ends its lane, then helps from the other end
    >>> [plan.take(0) for _ in range(5)], plan.take(1), plan.take(1), plan.take(0)
    ([(0, 1), (1, 2), (2, 3), (3, 4), (7, 8)], (4, 5), (5, 6), (6, 7))
    >>> plan.take(1) is None
    True
    """

    __slots__ = (
        "_cum",
        "_lanes",
        "_next",
        "_window",
        "_window_items",
        "budget",
        "most",
        "starts",
        "workers",
    )

    def __init__(
        self,
        sizes: Sequence[int],
        workers: int,
        *,
        most: int = 32,
        budget: int = 1 << 22,
        window: int = 1 << 23,
        window_items: int = 1024,
    ) -> None:
        self.workers = max(1, workers)
        self.most = max(1, most)
        self.budget = budget
        self._window = window * self.workers
        self._window_items = max(1, window_items) * self.workers
        cum = [0]
        for size in sizes:
            cum.append(cum[-1] + max(1, size))  # an empty file still costs a little
        self._cum = cum
        self._lanes: list[list[int]] = []
        self._next = 0
        #: The first input of each window opened so far.
        self.starts: list[int] = []

    def window_of(self, index: int) -> int:
        """The number of the window (0, 1, ...) that holds input ``index``."""
        return bisect.bisect_right(self.starts, index) - 1

    def take(self, worker: int, *, last_window: int | None = None) -> tuple[int, int] | None:
        """The next run ``(start, stop)`` of inputs for ``worker``, or ``None`` when nothing
        is left (or only windows after ``last_window``, which are not opened yet)."""
        while True:
            if self._lanes:
                lane = self._lanes[worker]
                if lane[0] < lane[1]:
                    return self._front(lane)
                fullest = max(self._lanes, key=lambda ln: self._cum[ln[1]] - self._cum[ln[0]])
                if fullest[0] < fullest[1]:
                    return self._back(fullest)
            if self._next >= len(self._cum) - 1:
                return None
            if last_window is not None and len(self.starts) > last_window:
                return None
            self._open()

    def _count(self, lane: list[int]) -> int:
        return max(1, min(self.most, (lane[1] - lane[0]) // 4))

    def _front(self, lane: list[int]) -> tuple[int, int]:
        start, stop = lane[0], lane[0] + 1
        cum, limit = self._cum, lane[0] + self._count(lane)
        while stop < limit and cum[stop + 1] - cum[start] <= self.budget:
            stop += 1
        lane[0] = stop
        return start, stop

    def _back(self, lane: list[int]) -> tuple[int, int]:
        start, stop = lane[1] - 1, lane[1]
        cum, limit = self._cum, lane[1] - self._count(lane)
        while start > limit and cum[stop] - cum[start - 1] <= self.budget:
            start -= 1
        lane[1] = start
        return start, stop

    def _open(self) -> None:
        """Cut the next window and its lanes."""
        cum, start = self._cum, self._next
        end = min(len(cum) - 1, start + self._window_items)
        end = max(start + 1, min(end, bisect.bisect_right(cum, cum[start] + self._window) - 1))
        self.starts.append(start)
        self._next = end
        bounds = [start]
        for k in range(1, self.workers):
            goal = cum[start] + (cum[end] - cum[start]) * k / self.workers
            cut = bisect.bisect_left(cum, goal, start, end)
            if cut > start and goal - cum[cut - 1] < cum[cut] - goal:
                cut -= 1  # the nearer of the two boundaries around the goal
            bounds.append(max(bounds[-1], cut))
        bounds.append(end)
        self._lanes = [[bounds[k], bounds[k + 1]] for k in range(self.workers)]


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

    With ``jobs > 1`` and more than one input, the work runs in worker processes started as
    :func:`start_method` says. With "fork" the dictionaries are loaded here first and shared;
    with "spawn" each worker loads them. The pipeline and the list of inputs go to each worker
    once; then each worker gets runs of inputs as :class:`Plan` assigns them (two ahead), as
    ``(start, stop)`` pairs, and sends back their results. A worker that dies raises
    :class:`concurrent.futures.process.BrokenProcessPool`; an error that does not concern one
    input (see :func:`process`) is raised here, when its input's turn comes.

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

    method = method or start_method()
    if method == "fork":
        _warm(pipe)
    yield from _run_pool(pipe, sources, options, workers, method)


#: Runs handed to a worker ahead of the one it cleans, so that it never waits for the parent.
_DEPTH = 2


class _Failure:
    """An exception raised in a worker, sent to the parent with its traceback as text."""

    __slots__ = ("exc", "trace")

    def __init__(self, exc: BaseException) -> None:
        import pickle
        import traceback

        self.trace = "".join(traceback.format_exception(exc))
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:
            exc = RuntimeError(f"{type(exc).__name__}: {exc}")
        self.exc = exc

    def __reduce__(self) -> tuple[Any, ...]:
        return (_Failure._rebuild, (self.exc, self.trace))

    @staticmethod
    def _rebuild(exc: BaseException, trace: str) -> _Failure:
        failure = _Failure.__new__(_Failure)
        failure.exc, failure.trace = exc, trace
        return failure


class _RemoteTracebackError(Exception):
    """The traceback of an exception raised in a worker process (shown as its cause)."""

    def __str__(self) -> str:
        return "\n" + str(self.args[0])


def _serve(tasks: Any, results: Any, pipe: Pipeline, options: Options, sources: Any) -> None:
    """A worker process: clean the runs ``(start, stop)`` of ``sources`` read from ``tasks``
    until ``None`` comes, sending ``(start, stop, results or failure)`` back. A thread sends,
    so that the worker goes on with its next run while the parent is busy writing."""
    import queue
    import threading

    _init_worker(pipe, options)
    out: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def send() -> None:
        while (message := out.get()) is not None:
            results.send(message)

    sender = threading.Thread(target=send, name="textfix-send", daemon=True)
    sender.start()
    try:
        while (task := tasks.recv()) is not None:
            start, stop = task
            try:
                done: Any = _work_chunk(sources[start:stop])
            except BaseException as exc:  # re-raised in the parent
                done = _Failure(exc)
            out.put((start, stop, done))
    except (EOFError, OSError):
        pass  # the parent is gone
    finally:
        out.put(None)
        sender.join()


def _run_pool(
    pipe: Pipeline, sources: Sequence[Source], options: Options, workers: int, method: str
) -> Generator[Result, None, None]:
    """Clean ``sources`` in ``workers`` processes as :class:`Plan` assigns them, yielding the
    results in input order (see :func:`run`)."""
    import multiprocessing
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing.connection import wait

    ctx: Any = multiprocessing.get_context(method)
    plan = Plan([_size(s) for s in sources], workers)
    procs: list[Any] = []
    tasks: list[Any] = []
    results: list[Any] = []
    finished = False
    try:
        for _ in range(workers):
            recv_task, send_task = ctx.Pipe(duplex=False)
            recv_result, send_result = ctx.Pipe(duplex=False)
            proc = ctx.Process(
                target=_serve,
                args=(recv_task, send_result, pipe, options, sources),
                name="textfix-worker",
                daemon=True,
            )
            proc.start()
            recv_task.close()
            send_result.close()
            procs.append(proc)
            tasks.append(send_task)
            results.append(recv_result)
        busy = [0] * workers
        done: dict[int, tuple[int, Any]] = {}
        owner = {id(conn): k for k, conn in enumerate(results)}
        nxt = 0  # the first input not yet yielded

        def feed() -> None:
            # Windows beyond the next one stay closed until the results before them are
            # yielded, so that finished results never pile up here.
            last = plan.window_of(nxt) + 1 if plan.starts else 0
            for k in range(workers):
                while busy[k] < _DEPTH:
                    run_ = plan.take(k, last_window=last)
                    if run_ is None:
                        break
                    tasks[k].send(run_)
                    busy[k] += 1

        def collect(timeout: float | None) -> None:
            for conn in wait([c for k, c in enumerate(results) if busy[k]], timeout):
                k = owner[id(conn)]
                try:
                    start, stop, out = results[k].recv()
                except (EOFError, OSError):
                    procs[k].join(1)
                    msg = f"a worker process ended abruptly (exit code {procs[k].exitcode})"
                    raise BrokenProcessPool(msg) from None
                busy[k] -= 1
                done[start] = (stop, out)
            feed()

        feed()
        while nxt < len(sources):
            if nxt not in done:
                if not any(busy):  # pragma: no cover - the plan always hands out ``nxt``
                    msg = f"input {nxt} was never handed to a worker"
                    raise RuntimeError(msg)
                collect(None)
                continue
            stop, out = done.pop(nxt)
            if isinstance(out, _Failure):
                raise out.exc from _RemoteTracebackError(out.trace)
            for res in out:
                yield res
                collect(0)  # hand out work while the caller writes
            nxt = stop
            feed()
        finished = True
    finally:
        for conn in tasks:
            try:
                conn.send(None)
            except OSError:
                pass
        for proc in procs:
            if not finished:
                proc.terminate()
            proc.join()
        for conn in (*tasks, *results):
            conn.close()


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
