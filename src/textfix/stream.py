"""Clean text of any size in bounded memory, with the output of cleaning it whole.

:func:`clean_stream` reads a text stream (a file object, or any iterable of ``str`` pieces)
and writes the cleaned text to an output stream; :func:`iter_clean` yields the cleaned text in
pieces. The output is identical to ``pipeline(text)`` on the whole text, which this module
guarantees for the stages that declare how to be streamed (every shipped stage does; see
:func:`can_stream`).

How it works, stage by stage (each stage reads the output of the one before it):

* The text is cut into *windows*: a *core* of about ``chunk_chars`` characters, ending at a
  line break, with *context* on both sides: whole lines, at least ``stage.stream_context``
  lines holding a letter or digit and at least :data:`CONTEXT_CHARS` characters. A stage
  whose decisions can chain across lines (a word hyphenated over several lines, lines glued
  by a kept hyphen) names the lines after which a cut is unsafe (``stage.stream_joins``, a
  pattern matched against the last non-blank line before the cut); windows are widened
  until their edges are safe.
* The stage runs on the window; the edits that *start* in the core are kept. An edit that
  runs past the end of the core (a word joined across the cut) is kept whole, and the next
  core starts where it ends.
* A stage that reads evidence from the whole document (word counts, the usual line width)
  defines ``survey(text)``, a summary that adds (``a + b``) over pieces of text cut at safe
  line breaks, and ``edits(text, survey=...)``, which uses it instead of the window's own
  evidence. The input of such a stage is spooled to a temporary file (deleted afterwards)
  while it is surveyed, then read back window by window. A stage with
  ``survey_rounds = 2`` is surveyed twice: the second survey (``survey(text, earlier)``)
  may depend on the first, as when dehyphenation counts word forms in the text as it will
  be once its line-end decisions, which use the first counts, are made.

Memory is bounded by the chunk size, the longest run of lines that cannot be cut (a line
without a newline is one such run: memory grows with the longest line), and the surveys,
which grow with the number of distinct word forms in the text, not with its length.

>>> from textfix import load_preset
>>> pipe = load_preset("characters")
>>> text = "ﬁrst line\\r\\nsecond\\u00a0line\\n" * 3
>>> "".join(iter_clean(pipe, [text], chunk_chars=8)) == pipe(text)
True
"""

from __future__ import annotations

import functools
import re
import tempfile
from typing import IO, TYPE_CHECKING, Any

from textfix.edits import Edit, sorted_edits
from textfix.errors import ConfigError, OverlappingEditsError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from textfix.pipeline import Pipeline

__all__ = [
    "CONTEXT_CHARS",
    "DEFAULT_CHUNK_CHARS",
    "can_stream",
    "clean_stream",
    "iter_clean",
    "unstreamable_stages",
]

#: Characters in the core of a window, by default (about 1 MiB of text).
DEFAULT_CHUNK_CHARS = 1 << 20
#: The least context, in characters, on either side of a core (besides the lines).
CONTEXT_CHARS = 256
_READ_CHARS = 1 << 16  # characters read from a spool file at once
_ALNUM_RE = re.compile(r"[^\W_]")


def unstreamable_stages(pipeline: Pipeline) -> list[str]:
    """Return the names of the stages of ``pipeline`` that cannot be streamed.

    A stage can be streamed when it declares ``stream_context`` (how many lines it reads
    around an edit) as an int.

    >>> from textfix import load_preset
    >>> unstreamable_stages(load_preset("characters"))
    []
    """
    return [
        s.name
        for s in pipeline.stages
        if not isinstance(getattr(s, "stream_context", None), int)
        or isinstance(getattr(s, "stream_context", None), bool)
    ]


def can_stream(pipeline: Pipeline) -> bool:
    """Whether every stage of ``pipeline`` can be streamed (see :func:`unstreamable_stages`).

    >>> from textfix import load_preset
    >>> can_stream(load_preset("characters")), can_stream(load_preset("default"))
    (True, True)
    """
    return not unstreamable_stages(pipeline)


def clean_stream(
    pipeline: Pipeline,
    source: Iterable[str],
    out: IO[str] | Any,
    *,
    chunk_chars: int = DEFAULT_CHUNK_CHARS,
    tmpdir: str | None = None,
) -> None:
    """Clean the text read from ``source`` and write it to ``out``, in bounded memory.

    Args:
        pipeline: The pipeline; every stage must stream (see :func:`can_stream`).
        source: A text file object, or any iterable of ``str`` pieces cut anywhere.
        out: Anything with a ``write(str)`` method.
        chunk_chars: The size of the core of a window, in characters.
        tmpdir: Where to spool intermediate text (default: the system temporary folder).

    Raises:
        ConfigError: A stage cannot be streamed, or ``chunk_chars`` is not positive.
    """
    for piece in iter_clean(pipeline, source, chunk_chars=chunk_chars, tmpdir=tmpdir):
        out.write(piece)


def iter_clean(
    pipeline: Pipeline,
    source: Iterable[str],
    *,
    chunk_chars: int = DEFAULT_CHUNK_CHARS,
    tmpdir: str | None = None,
) -> Iterator[str]:
    """Yield the cleaned text of ``source`` in pieces; joined, they equal ``pipeline(text)``.

    Args and errors as for :func:`clean_stream`. Temporary files are removed when the
    iterator is exhausted or closed.

    >>> from textfix import load_preset
    >>> pipe = load_preset("characters")
    >>> "".join(iter_clean(pipe, ["caf", "e\\u0301\\n", "ok"], chunk_chars=1))
    'café\\nok'
    """
    if not isinstance(chunk_chars, int) or chunk_chars < 1:
        msg = f"chunk_chars must be a positive integer, got {chunk_chars!r}"
        raise ConfigError(msg)
    bad = unstreamable_stages(pipeline)
    if bad:
        msg = (
            f"stage(s) {', '.join(bad)} of pipeline {pipeline.name!r} cannot be streamed; "
            "clean the text whole instead"
        )
        raise ConfigError(msg)
    return _run(pipeline, source, chunk_chars, tmpdir)


def _run(
    pipeline: Pipeline, source: Iterable[str], chunk: int, tmpdir: str | None
) -> Iterator[str]:
    spools: list[IO[str]] = []
    try:
        blocks: Iterator[str] = _blocks(_checked(source), chunk)
        for stage in pipeline.stages:
            if callable(getattr(stage, "stream_survey", None)):
                spool = _spool_file(tmpdir)
                spools.append(spool)
                for block in blocks:
                    spool.write(block)
                _close_earlier(spools)
                survey = stage.stream_survey(functools.partial(_cores, stage, spool, chunk))
                blocks = _windows(stage, _read(spool, chunk), chunk, survey)
            elif callable(getattr(stage, "survey", None)):
                spool, survey = _spool(stage, blocks, chunk, tmpdir)
                spools.append(spool)
                _close_earlier(spools)
                for _ in range(1, getattr(stage, "survey_rounds", 1)):
                    survey = _survey(stage, _read(spool, chunk), survey)
                blocks = _windows(stage, _read(spool, chunk), chunk, survey)
            else:
                blocks = _windows(stage, blocks, chunk, None)
        yield from blocks
    finally:
        for spool in spools:
            spool.close()


def _close_earlier(spools: list[IO[str]]) -> None:
    """Close every spool file but the last: writing the last one read the others to the end."""
    while len(spools) > 1:
        spools.pop(0).close()


def _checked(source: Iterable[str]) -> Iterator[str]:
    from textfix.pipeline import _check_text

    if isinstance(source, str):
        source = [source]
    for piece in source:
        yield _check_text(piece)


def _blocks(pieces: Iterable[str], size: int) -> Iterator[str]:
    """Regroup ``pieces`` into blocks of at least ``size`` characters that end with a newline.

    The last block may be shorter and may lack the newline. Memory: one block, so at most
    ``size`` plus the longest line.
    """
    parts: list[str] = []
    have = 0
    for piece in pieces:
        if not piece:
            continue
        parts.append(piece)
        have += len(piece)
        if have < size or "\n" not in piece:
            continue
        text = "".join(parts)
        cut = text.rfind("\n") + 1
        yield text[:cut]
        rest = text[cut:]
        parts, have = ([rest], len(rest)) if rest else ([], 0)
    if parts:
        yield "".join(parts)


def _spool_file(tmpdir: str | None) -> IO[str]:
    return tempfile.TemporaryFile(
        "w+", encoding="utf-8", errors="surrogatepass", newline="", dir=tmpdir
    )


def _read(spool: IO[str], size: int) -> Iterator[str]:
    spool.seek(0)
    return _blocks(iter(lambda: spool.read(_READ_CHARS), ""), size)


def _safe_end(text: str, joins: re.Pattern[str] | None) -> bool:
    """Whether a cut at the end of ``text`` (which ends a line) is safe for the stage."""
    if joins is None:
        return True
    body = text.rstrip(" \t\f\r\n")
    if not body:
        return True
    return joins.search(body[body.rfind("\n") + 1 :]) is None


def _safe_pieces(blocks: Iterable[str], joins: re.Pattern[str] | None) -> Iterator[str]:
    """Merge blocks until each piece ends at a safe cut."""
    parts: list[str] = []
    for block in blocks:
        parts.append(block)
        if not block.endswith("\n"):
            continue
        if joins is not None:
            # A block of blank lines is judged by the last line of text before it.
            tail = block if block.strip() else "".join(parts)
            if not _safe_end(tail, joins):
                continue
        yield "".join(parts)
        parts = []
    if parts:
        yield "".join(parts)


def _spool(
    stage: Any, blocks: Iterable[str], chunk: int, tmpdir: str | None
) -> tuple[IO[str], Any]:
    """Write ``blocks`` to a temporary file while surveying them; return the file and survey."""
    spool = _spool_file(tmpdir)
    survey: Any = None
    try:
        for piece in _safe_pieces(blocks, getattr(stage, "stream_joins", None)):
            spool.write(piece)
            part = stage.survey(piece)
            if survey is None:
                survey = part
            else:
                survey += part
        if survey is None:
            survey = stage.survey("")
    except BaseException:
        spool.close()
        raise
    return spool, survey


def _survey(stage: Any, blocks: Iterable[str], earlier: Any) -> Any:
    survey: Any = None
    for piece in _safe_pieces(blocks, getattr(stage, "stream_joins", None)):
        part = stage.survey(piece, earlier)
        if survey is None:
            survey = part
        else:
            survey += part
    return stage.survey("", earlier) if survey is None else survey


def _stage_edits(stage: Any, text: str, survey: Any, offset: int) -> list[Edit]:
    if survey is None:
        found = stage.edits(text)
    else:
        if callable(getattr(survey, "at", None)):  # a survey that depends on where text is
            survey = survey.at(offset)
        found = stage.edits(text, survey=survey)
    try:
        return sorted_edits(text, found)
    except OverlappingEditsError as exc:
        msg = f"stage {stage.name!r}: {exc}"
        raise OverlappingEditsError(msg) from None


class _Buffer:
    """Text read so far and not yet dropped: ``text`` starts at offset ``start``."""

    __slots__ = ("blocks", "eof", "start", "text")

    def __init__(self, blocks: Iterable[str]) -> None:
        self.blocks = iter(blocks)
        self.text = ""
        self.start = 0
        self.eof = False

    def more(self) -> bool:
        """Read one more block; False at the end of the input."""
        if self.eof:
            return False
        block = next(self.blocks, None)
        if block is None:
            self.eof = True
            return False
        self.text += block
        return True

    def drop(self, upto: int) -> None:
        """Forget the text before offset ``upto``."""
        if upto > self.start:
            self.text = self.text[upto - self.start :]
            self.start = upto


def _windows(stage: Any, blocks: Iterable[str], chunk: int, survey: Any) -> Iterator[str]:
    """Run ``stage`` over ``blocks`` window by window; yield its output in pieces."""
    lines_needed: int = stage.stream_context
    joins: re.Pattern[str] | None = getattr(stage, "stream_joins", None)
    buf = _Buffer(blocks)
    pos = 0  # where the next core starts; everything before it has been written
    while True:
        # The core: from ``pos`` to the first safe line end at least ``chunk`` later.
        core_end = _find_forward(buf, pos, chunk, 0, joins)
        if core_end is None:  # the rest of the text is the last core
            while buf.more():
                pass
            core_end = buf.start + len(buf.text)
            last = True
        else:
            last = False
        win_end = core_end
        if not last:
            found = _find_forward(buf, core_end, CONTEXT_CHARS, lines_needed, joins)
            if found is None:
                while buf.more():
                    pass
                win_end = buf.start + len(buf.text)
            else:
                win_end = found
        win_start = _find_back(buf, pos, lines_needed, joins)
        text = buf.text[win_start - buf.start : win_end - buf.start]
        lo, hi = pos - win_start, core_end - win_start
        edits = _stage_edits(stage, text, survey, win_start)
        out: list[str] = []
        at = lo
        for e in edits:
            if e.start < lo:
                continue
            if e.start >= hi and not (last and e.start == hi):
                break
            out.append(text[at : e.start])
            out.append(e.replacement)
            at = e.end
        end = max(hi, at)
        out.append(text[at:end])
        piece = "".join(out)
        if piece:
            yield piece
        pos = win_start + end
        if last and pos >= buf.start + len(buf.text):
            return
        buf.drop(_find_back(buf, pos, lines_needed, joins))


def _cores(stage: Any, spool: IO[str], chunk: int) -> Iterator[tuple[str, int, int, int]]:
    """Yield the windows of the spooled text as ``(text, core start, core end, offset)``.

    The cores follow each other and cover the text; a stage with ``stream_survey`` reads
    its input through these, as many times as it needs.
    """
    lines_needed: int = stage.stream_context
    joins: re.Pattern[str] | None = getattr(stage, "stream_joins", None)
    buf = _Buffer(_read(spool, chunk))
    pos = 0
    while True:
        core_end = _find_forward(buf, pos, chunk, 0, joins)
        last = core_end is None
        if core_end is None:
            while buf.more():
                pass
            core_end = win_end = buf.start + len(buf.text)
        else:
            found = _find_forward(buf, core_end, CONTEXT_CHARS, lines_needed, joins)
            if found is None:
                while buf.more():
                    pass
                found = buf.start + len(buf.text)
            win_end = found
        win_start = _find_back(buf, pos, lines_needed, joins)
        text = buf.text[win_start - buf.start : win_end - buf.start]
        yield text, pos - win_start, core_end - win_start, win_start
        if last:
            return
        pos = core_end
        buf.drop(_find_back(buf, pos, lines_needed, joins))


def _find_forward(
    buf: _Buffer, start: int, chars: int, lines: int, joins: re.Pattern[str] | None
) -> int | None:
    """Find the first safe line end at least ``chars`` characters and ``lines`` counted
    lines after ``start``, reading more input as needed; ``None`` if the text ends first.
    """
    i = start - buf.start
    counted = 0
    want = i + chars
    while True:
        # Without lines to count, jump straight to the first line end far enough on.
        nl = buf.text.find("\n", i if lines else max(i, want - 1))
        if nl < 0:
            if not buf.more():
                return None
            continue
        if lines and _ALNUM_RE.search(buf.text, i, nl):
            counted += 1
        i = nl + 1
        if i >= want and counted >= lines and (joins is None or _safe_at(buf.text, i, joins)):
            return buf.start + i


def _safe_at(text: str, i: int, joins: re.Pattern[str]) -> bool:
    """Whether a cut at ``text[i]`` (just after a newline) is safe: look at the last
    non-blank line before it, however many blank lines lie in between.
    """
    j = i
    while j > 0:
        k = text.rfind("\n", 0, j - 1) + 1
        line = text[k:j]
        if line.strip(" \t\f\r\n"):
            return joins.search(line.rstrip(" \t\f\r\n")) is None
        j = k
    return True


def _find_back(buf: _Buffer, pos: int, lines: int, joins: re.Pattern[str] | None) -> int:
    """Find the line start at or before ``pos`` with ``lines`` counted lines and at least
    :data:`CONTEXT_CHARS` characters between it and ``pos``, at a safe cut (or the start).
    """
    text = buf.text
    i = text.rfind("\n", 0, pos - buf.start) + 1  # the start of the line holding ``pos``
    counted = 0
    want = pos - buf.start - CONTEXT_CHARS
    while True:
        if i <= 0:
            return buf.start
        if i <= want and counted >= lines and (joins is None or _safe_at(text, i, joins)):
            return buf.start + i
        k = text.rfind("\n", 0, i - 1) + 1
        if _ALNUM_RE.search(text, k, i):
            counted += 1
        i = k
