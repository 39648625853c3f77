"""The ``textfix`` command line: ``clean``, ``explain``, ``stages`` and ``eval``.

The library raises typed errors; this module is the one place that turns them into
``textfix error: ...`` lines on stderr and exit codes: 0 when everything went well, 1 when
an input or output failed (the batch goes on with the other files), 2 for usage errors, 130
when interrupted. Other modules add subcommands through ``register_cli(subparsers)``; their
names are listed in :data:`_COMMAND_MODULES`.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import importlib
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textfix import __version__
from textfix.errors import ConfigError, TextfixError, UnknownStageError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from types import ModuleType

    from textfix.batch import Result
    from textfix.edits import Fixed
    from textfix.io import Source
    from textfix.pipeline import Pipeline

__all__ = ["build_parser", "main"]

# Modules that add subcommands: each exposes ``register_cli(subparsers) -> None``.
_COMMAND_MODULES: tuple[str, ...] = (
    "textfix.report",
    "textfix.variants",
    "textfix.channel",
    "textfix.cache",
)

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """The command line asks for something that cannot be done; nothing was changed."""


def _error(message: str) -> None:
    line = f"textfix error: {message}"
    tqdm = sys.modules.get("tqdm")
    if tqdm is not None:  # a progress bar may be on screen: print above it
        tqdm.tqdm.write(line, file=sys.stderr)
    else:
        print(line, file=sys.stderr)


# --- argument types -------------------------------------------------------------------------


def _encoding(value: str) -> str:
    try:
        return codecs.lookup(value).name
    except LookupError:
        msg = f"unknown encoding {value!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1 and n != -1:
        msg = f"expected a positive number of processes or -1 for all cores, got {value!r}"
        raise argparse.ArgumentTypeError(msg)
    return n


# --- parser -------------------------------------------------------------------------------


def _pipeline_options() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("pipeline")
    g.add_argument(
        "--preset",
        default="default",
        metavar="NAME|FILE.toml",
        help="a shipped preset or a preset file (default: %(default)s)",
    )
    g.add_argument(
        "--stage",
        action="append",
        default=[],
        metavar="NAME",
        help="run only this stage of the preset (repeatable)",
    )
    g.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="NAME",
        help="leave out this stage (repeatable)",
    )
    g.add_argument(
        "--keep-lines",
        action="store_true",
        help="keep the original line structure (line-break hyphens are still joined)",
    )
    g.add_argument(
        "--dict",
        action="append",
        default=[],
        dest="dicts",
        metavar="FILE",
        help="a user dictionary for word correction: one word per line, optionally a tab and "
        "its Zipf frequency (repeatable)",
    )
    g.add_argument(
        "--variants",
        action="append",
        default=[],
        metavar="FILE.tsv",
        help="apply a table of spelling variants (variant<TAB>canonical; repeatable, in order)",
    )
    g.add_argument(
        "--to",
        choices=("en-US", "en-GB"),
        help="normalize British/American spelling to this variety",
    )
    return p


def _input_options() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or folders (searched recursively); '-' or nothing reads stdin",
    )
    g = p.add_argument_group("input")
    g.add_argument(
        "--glob",
        metavar="PATTERN",
        help="file names to take inside folders (default: *.txt, or *.jsonl with --format jsonl)",
    )
    g.add_argument("--format", choices=("text", "jsonl"), default="text", dest="fmt")
    g.add_argument(
        "--text-field",
        default="text",
        metavar="NAME",
        help="the field cleaned in each JSON line with --format jsonl (default: %(default)s)",
    )
    g.add_argument(
        "--encoding",
        type=_encoding,
        default="utf-8",
        help="encoding of the inputs (default: %(default)s); output is always UTF-8",
    )
    g.add_argument(
        "--errors",
        choices=("strict", "replace"),
        default="strict",
        help="undecodable bytes: fail the file (strict) or put U+FFFD in their place",
    )
    g.add_argument(
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="worker processes for a batch (default 1; -1 = all cores)",
    )
    g.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="clean the batch on a Dask cluster: a scheduler address (tcp://host:8786) or "
        "'local' for a local cluster; needs the 'dask' extra",
    )
    g.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar on stderr (default: when stderr is a terminal)",
    )
    return p


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser, including the subcommands of plug-in modules."""
    parser = argparse.ArgumentParser(
        prog="textfix",
        description="Turn raw OCR output into clean text, with every change explained.",
    )
    parser.add_argument("--version", action="version", version=f"textfix {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    pipe_opts, input_opts = _pipeline_options(), _input_options()

    clean = sub.add_parser(
        "clean",
        parents=[input_opts, pipe_opts],
        help="clean files or stdin",
        description="Clean text files, folders of them, or stdin (written to stdout).",
    )
    out = clean.add_argument_group("output")
    out.add_argument(
        "-o",
        "--output-dir",
        metavar="DIR",
        type=Path,
        help="write outputs here, mirroring the input tree",
    )
    out.add_argument(
        "--in-place",
        action="store_true",
        help="rewrite the inputs (atomically: temporary file, then rename)",
    )
    out.add_argument(
        "--backup",
        metavar="SUFFIX",
        help="with --in-place, keep each changed input as FILE+SUFFIX",
    )
    out.add_argument(
        "--explain",
        metavar="FILE.jsonl",
        type=Path,
        help="also write every edit, one JSON object per line, to this file",
    )
    out.add_argument(
        "--stats",
        action="store_true",
        help="print the edit counts and the pipeline signature as JSON to stderr",
    )
    out.add_argument("--report", metavar="FILE.html", type=Path, help="write an HTML report")
    out.add_argument(
        "--stream-mb",
        type=float,
        default=64.0,
        metavar="MB",
        help="clean files larger than this in bounded memory, window by window, with the same "
        "output (default: %(default)g; 0: never); --explain, --stats and --report clean whole, "
        "and such files are not sent to --jobs workers (see docs/streaming.md)",
    )
    out.add_argument(
        "--chunk-mb",
        type=float,
        default=1.0,
        metavar="MB",
        help="the size of a window when streaming (default: %(default)g)",
    )
    clean.set_defaults(func=_cmd_clean)

    explain = sub.add_parser(
        "explain",
        parents=[input_opts, pipe_opts],
        help="print every edit as JSON lines",
        description=(
            "Print one JSON object per edit to stdout: file, start, end (offsets into the "
            "original input, in characters), before, after, stage, rule, confidence."
        ),
    )
    explain.set_defaults(func=_cmd_explain)

    stages = sub.add_parser("stages", help="list the available stages")
    stages.set_defaults(func=_cmd_stages)

    ev = sub.add_parser(
        "eval",
        parents=[pipe_opts],
        help="score the pipeline on gold JSONL files",
        description=(
            "Clean the 'ocr' field of each record and score it against 'gt': CER and WER "
            "before and after, plain and dehyph, per file and per 'source', and MB/s."
        ),
    )
    ev.add_argument("data", nargs="+", metavar="DATA.jsonl", type=Path)
    ev.add_argument("--json", action="store_true", help="print JSON instead of Markdown tables")
    ev.set_defaults(func=_cmd_eval)

    for module in _COMMAND_MODULES:
        importlib.import_module(module).register_cli(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code.

    Args:
        argv: The arguments (without the program name); ``None`` reads ``sys.argv``.
    """
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except UsageError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except TextfixError as exc:
        _error(str(exc))
        return EXIT_FAILED
    except KeyboardInterrupt:
        _error("interrupted; finished outputs are complete, unfinished ones were not written")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``textfix explain | head``): stop quietly.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILED
    except OSError as exc:  # an output that cannot be written (explanation, report, folder)
        where = f"{exc.filename}: " if exc.filename else ""
        _error(f"{where}{exc.strerror or exc}")
        return EXIT_FAILED


# --- shared pieces ------------------------------------------------------------------------


def _pipeline(args: argparse.Namespace) -> Pipeline:
    from textfix.pipeline import load_preset

    try:
        pipe = load_preset(args.preset)
        if args.stage or args.skip:
            pipe = pipe.select(only=args.stage or None, skip=args.skip)
        pipe = _with_options(pipe, args)
    except (ConfigError, UnknownStageError) as exc:
        raise UsageError(str(exc)) from None
    return pipe


def _with_options(pipe: Pipeline, args: argparse.Namespace) -> Pipeline:
    """Apply the pipeline options that change stage settings (--keep-lines, --variants, --to)."""
    names = {s.name for s in pipe.stages}
    if getattr(args, "keep_lines", False):
        if "dehyphenate" in names:
            pipe = pipe.replace_stage("dehyphenate", keep_lines=True)
        if "unwrap_lines" in names:
            pipe = pipe.select(skip=["unwrap_lines"])
    dicts = getattr(args, "dicts", [])
    if dicts:
        if "fix_ocr_words" not in names:
            msg = "--dict needs the fix_ocr_words stage, which this pipeline does not run"
            raise ConfigError(msg)
        current = next(s for s in pipe.stages if s.name == "fix_ocr_words").user_dicts
        pipe = pipe.replace_stage("fix_ocr_words", user_dicts=(*current, *dicts))
    variants = getattr(args, "variants", [])
    to = getattr(args, "to", None)
    if variants or to:
        from textfix.stages.variants import with_variants

        pipe = with_variants(pipe, to=to or "", tables=variants)
    return pipe


def _sources(args: argparse.Namespace, exclude: Path | None = None) -> list[Source]:
    """Expand the input arguments; report the ones that name nothing."""
    from textfix.io import discover

    pattern = args.glob or ("*.jsonl" if args.fmt == "jsonl" else "*.txt")
    paths = args.paths or ["-"]
    if "-" in paths and len(paths) > 1:
        msg = "'-' (stdin) cannot be mixed with other inputs"
        raise UsageError(msg)
    sources, missing, empty = discover(paths, pattern=pattern, exclude=exclude)
    args.missing = missing
    for name in missing:
        _error(f"{name}: no such file or folder")
    for name in empty:
        print(f"textfix warning: {name}: no file matches {pattern}", file=sys.stderr)
    return sources


def _options(args: argparse.Namespace, **extra: bool) -> Any:
    from textfix.batch import Options

    return Options(args.encoding, args.errors, args.fmt, args.text_field, **extra)


def _progress(args: argparse.Namespace, total: int) -> Any:
    show = args.progress if args.progress is not None else (total > 1 and sys.stderr.isatty())
    if not show:
        return contextlib.nullcontext(None)
    from tqdm import tqdm

    return tqdm(total=total, file=sys.stderr, unit="file", dynamic_ncols=True)


def _write_stdout(data: bytes) -> None:
    buf = getattr(sys.stdout, "buffer", None)
    if buf is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        sys.stdout.flush()
        buf.write(data)
        buf.flush()


def _inode(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _check_not_input(path: Path, inputs: set[tuple[int, int]], what: str) -> None:
    ino = _inode(path)
    if ino is not None and ino in inputs:
        msg = f"refusing to write {what} {path} over an input (use --in-place to rewrite inputs)"
        raise UsageError(msg)


def _load_report() -> ModuleType:
    return importlib.import_module("textfix.report")


def _targets(args: argparse.Namespace, sources: list[Source]) -> list[Path | None]:
    """Decide where each output goes (``None`` = stdout) and refuse unsafe choices."""
    if args.in_place and args.output_dir is not None:
        msg = "--in-place and -o/--output-dir cannot be used together"
        raise UsageError(msg)
    if args.backup is not None and not args.in_place:
        msg = "--backup needs --in-place"
        raise UsageError(msg)
    if args.backup is not None and (not args.backup or "/" in args.backup):
        msg = f"--backup: {args.backup!r} is not a file name suffix"
        raise UsageError(msg)
    stdin = any(s.path is None for s in sources)
    if stdin and (args.in_place or args.output_dir is not None):
        msg = "stdin is written to stdout; --in-place and -o need file inputs"
        raise UsageError(msg)
    if args.in_place:  # through symbolic links, so that a link keeps pointing at the file
        return [s.path.resolve() if s.path is not None else None for s in sources]
    if args.output_dir is None:
        several = len(args.paths) > 1 or any(Path(p).is_dir() for p in args.paths)
        if several:
            msg = "several inputs (or a folder) need -o DIR, or --in-place"
            raise UsageError(msg)
        return [None for _ in sources]

    inputs = {ino for s in sources if s.path is not None and (ino := _inode(s.path))}
    targets: list[Path | None] = []
    seen: dict[Path, str] = {}
    for s in sources:
        target = args.output_dir / s.relative
        key = target.resolve()
        if key in seen:
            msg = f"{seen[key]} and {s.name} would both be written to {target}"
            raise UsageError(msg)
        seen[key] = s.name
        _check_not_input(target, inputs, "output")
        targets.append(target)
    return targets


def _report_failure(res: Result) -> None:
    hint = " (see --encoding, or --errors replace)" if res.undecodable else ""
    _error(res.error + hint)


def _cmd_clean(args: argparse.Namespace) -> int:
    from textfix.batch import run, streams
    from textfix.io import atomic_write

    pipe = _pipeline(args)
    report = _load_report() if args.report is not None else None
    sources = _sources(args, exclude=args.output_dir)
    targets = _targets(args, sources)
    inputs = {ino for s in sources if s.path is not None and (ino := _inode(s.path))}
    for extra, what in ((args.explain, "the explanation"), (args.report, "the report")):
        if extra is not None:
            _check_not_input(extra, inputs, what)
    options = _options(
        args, explain=args.explain is not None, keep_fixed=report is not None, stats=args.stats
    )

    failed = bool(args.missing)
    stats: Counter[str] = Counter()
    documents: list[tuple[str, Fixed]] = []
    done = 0
    threshold = int(args.stream_mb * 1_000_000)
    big = {
        i
        for i, (s, t) in enumerate(zip(sources, targets, strict=True))
        # a JSON error half-way could not be taken back from stdout: JSONL streams to files
        if streams(pipe, s, options, threshold) and (t is not None or options.fmt == "text")
    }
    with contextlib.ExitStack() as stack:
        explain_fh = stack.enter_context(atomic_write(args.explain)) if args.explain else None
        bar = stack.enter_context(_progress(args, len(sources)))
        small = [s for i, s in enumerate(sources) if i not in big]
        results = stack.enter_context(
            contextlib.closing(
                run(pipe, small, options, jobs=args.jobs, client=_dask_client(args, stack))
            )
        )
        small_targets = [t for i, t in enumerate(targets) if i not in big]
        for i in sorted(big):  # large files: streamed here, one at a time
            if bar is not None:
                bar.update()
            if _stream_output(args, pipe, sources[i], targets[i], options):
                done += 1
            else:
                failed = True
        for target, res in zip(small_targets, results, strict=True):
            if bar is not None:
                bar.update()
            if res.error:
                _report_failure(res)
                failed = True
                continue
            if not _write_output(args, res, target):
                failed = True
                continue
            done += 1
            stats.update(res.stats)
            documents.extend(res.documents)
            if explain_fh is not None:
                explain_fh.write(_jsonl(res.rows))
    if report is not None:
        report.write_report(args.report, documents)
    if args.stats:
        _print_stats(pipe, stats, done, len(sources) + len(args.missing) - done)
    return EXIT_FAILED if failed else EXIT_OK


class _UnchangedError(Exception):
    """Raised inside ``atomic_write`` to leave an unchanged input as it is (--in-place)."""


def _stream_output(
    args: argparse.Namespace, pipe: Pipeline, source: Source, target: Path | None, options: Any
) -> bool:
    """Stream-clean one large plain-text file to its target (see textfix.stream)."""
    from textfix.batch import stream_file
    from textfix.io import DecodeError, InputError, atomic_write, iter_decode

    chunk = max(1, int(args.chunk_mb * 1_000_000))
    try:
        if target is None:
            assert source.path is not None
            if options.errors == "strict":  # fail before writing anything, as whole mode does
                for _ in iter_decode(source.path, source.name, encoding=options.encoding):
                    pass
            sys.stdout.flush()
            stream_file(pipe, source, options, _StdoutBytes(), chunk_chars=chunk)
            return True
        with atomic_write(
            target,
            backup=args.backup if args.in_place else None,
            mode_from=source.path if args.in_place else None,
        ) as fh:
            if stream_file(pipe, source, options, fh, chunk_chars=chunk) and args.in_place:
                raise _UnchangedError
    except _UnchangedError:
        return True
    except InputError as exc:
        hint = " (see --encoding, or --errors replace)" if isinstance(exc, DecodeError) else ""
        _error(str(exc) + hint)
        return False
    except OSError as exc:
        _error(f"{target}: cannot write: {exc.strerror or exc}")
        return False
    return True


class _StdoutBytes:
    def write(self, data: bytes) -> None:
        _write_stdout(data)


def _dask_client(args: argparse.Namespace, stack: contextlib.ExitStack) -> Any:
    """Connect to the cluster named by ``--dask`` (closed with ``stack``), or return None."""
    if not getattr(args, "dask", None):
        return None
    from textfix.dask import connect

    try:
        client = connect(args.dask)
    except ImportError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        msg = f"cannot reach the Dask scheduler at {args.dask}: {exc}"
        raise UsageError(msg) from None
    stack.callback(client.close)
    return client


def _write_output(args: argparse.Namespace, res: Result, target: Path | None) -> bool:
    from textfix.io import atomic_write

    if target is None:
        _write_stdout(res.output)
        return True
    if args.in_place and res.unchanged:
        return True
    try:
        with atomic_write(
            target,
            backup=args.backup if args.in_place else None,
            mode_from=res.source.path if args.in_place else None,
        ) as fh:
            fh.write(res.output)
    except OSError as exc:
        _error(f"{target}: cannot write: {exc.strerror or exc}")
        return False
    return True


def _jsonl(rows: Iterable[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


def _print_stats(pipe: Pipeline, stats: Counter[str], done: int, failed: int) -> None:
    data = {
        "signature": pipe.signature(),
        "documents": done,
        "failed": failed,
        "edits": dict(sorted(stats.items())),
    }
    print(json.dumps(data, ensure_ascii=False), file=sys.stderr)


# --- explain ------------------------------------------------------------------------------


def _cmd_explain(args: argparse.Namespace) -> int:
    from textfix.batch import run

    pipe = _pipeline(args)
    sources = _sources(args)
    failed = bool(args.missing)
    results = run(pipe, sources, _options(args, explain=True), jobs=args.jobs)
    with _progress(args, len(sources)) as bar, contextlib.closing(results):
        for res in results:
            if bar is not None:
                bar.update()
            if res.error:
                _report_failure(res)
                failed = True
                continue
            _write_stdout(_jsonl(res.rows))
    return EXIT_FAILED if failed else EXIT_OK


# --- stages -------------------------------------------------------------------------------


def _cmd_stages(args: argparse.Namespace) -> int:
    from textfix.pipeline import load_preset
    from textfix.registry import available_stages

    default = {s.name for s in load_preset("default").stages}
    stages = available_stages()
    width = max((len(n) for n in stages), default=0)
    for name, cls in stages.items():
        doc = (cls.__doc__ or "").strip()
        first = doc.splitlines()[0] if doc else ""
        mark = "*" if name in default else " "
        print(f"{mark} {name:<{width}}  {first}")
    print("\n* = in the default preset")
    return EXIT_OK


# --- eval ---------------------------------------------------------------------------------


def _cmd_eval(args: argparse.Namespace) -> int:
    from textfix.evaluate import evaluate, format_table

    pipe = _pipeline(args)
    files, sources = evaluate(args.data, pipe)
    signature = pipe.signature()
    if args.json:
        data = {
            "signature": signature,
            "files": [r.to_dict() for r in files],
            "sources": [r.to_dict() for r in sources],
        }
        print(json.dumps(data, indent=2))
    else:
        print("Per file\n\n" + format_table(files) + "\n")
        print("Per source\n\n" + format_table(sources) + "\n")
        print(f"signature: {signature}")
    return EXIT_OK
