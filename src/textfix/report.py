"""Review report: one self-contained HTML file that shows every edit of a cleaning run.

The cleaned text is shown with each edit highlighted in the colour of its stage; hovering an
edit (its ``title``) or focusing it with the keyboard shows the original text, the replacement,
the stage, the rule and the confidence. A side panel counts edits by stage and rule, a radio
toggle shows the original text with removals struck through (plain CSS, so it works without
JavaScript), and a small inline script adds filtering by stage, pagination of big batches and
next/previous navigation with the ``n``/``p`` keys.

The file loads nothing: styles and script are inline and a Content-Security-Policy allows only
those two (by hash), so even a failure of escaping could not run injected script. All document
text, file names, stage names and rules are escaped.

>>> from textfix.edits import Edit, Fixed
>>> fixed = Fixed("the cat", (), "tbe cat", (Edit(1, 2, "h", "fix_ocr_confusions", "b->h", 0.6),))
>>> page = render_report([("page1.txt", fixed)])
>>> page.count('<mark class="e ')
1
>>> render_report([("<script>alert(1)</script>.txt", fixed)]).count("<script")
1
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import io
import re
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from textfix.edits import sorted_edits
from textfix.errors import ConfigError, TextfixError

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Iterable, Iterator

    from textfix.edits import Edit, Fixed

__all__ = ["LOW_CONFIDENCE", "register_cli", "render_report", "write_report"]

#: Edits below this confidence are marked as "low confidence" (dashed red outline).
LOW_CONFIDENCE = 0.8

# Source characters per chunk of the text view. Each chunk is a block with
# ``content-visibility: auto``, so the browser lays out only the chunks near the screen.
_CHUNK_CHARS = 16_384
# A page of a batch ends after this many files or source characters, whichever comes first.
_PAGE_FILES = 50
_PAGE_CHARS = 2_000_000
# Longer originals/replacements are cut in the tooltip (the text itself is always complete).
_TIP_CHARS = 120

# Stage colours: light background (--b) with dark text, darker border (--k). Every background
# gives a contrast ratio above 12:1 with the text colour #1b1b1b, and each border colour above
# 5:1 with its background, since markers are drawn in it (checked by the tests).
_PALETTE = (
    ("#fde68a", "#92400e"),
    ("#bfdbfe", "#1e40af"),
    ("#bbf7d0", "#166534"),
    ("#fbcfe8", "#9d174d"),
    ("#ddd6fe", "#5b21b6"),
    ("#fed7aa", "#9a3412"),
    ("#a5f3fc", "#155e75"),
    ("#e5e7eb", "#374151"),
    ("#d9f99d", "#3f6212"),
    ("#fecdd3", "#881337"),
)

# Characters HTML cannot carry faithfully (C0/C1 controls, CR) are always shown by name; inside
# an edit, invisible and unusual space characters are too, so that a removed zero-width space
# or a replaced no-break space can be seen.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\xa0\xad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e"
    r"\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff\ufff9-\ufffb]"
)
_PICTURES = {"\t": "⇥", "\n": "↵", "\r": "␍", " ": "·", "\xa0": "⍽"}


@dataclass(slots=True)
class _Summary:
    """What the index and the side panel need to know about one rendered document."""

    number: int
    name: str
    page: int
    edits: int = 0
    low: int = 0
    chars: int = 0
    stages: Counter[int] = field(default_factory=Counter)
    rules: Counter[tuple[str, str]] = field(default_factory=Counter)


@functools.cache
def _asset(name: str) -> str:
    return (files("textfix") / "report_assets" / name).read_text("utf-8")


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _name_char(m: re.Match[str]) -> str:
    c = m.group()
    label = f"U+{ord(c):04X}"
    # Control pictures (U+2400...) for C0 and DEL, the code point for everything else.
    picture = chr(0x2400 + ord(c)) if ord(c) < 0x20 else "␡" if c == "\x7f" else label
    shown = _PICTURES.get(c, picture)
    return f'<span class="cc" title="{label}">{html.escape(shown)}</span>'


def _text(s: str) -> str:
    """Escape plain document text."""
    out = html.escape(s, quote=False)
    return _CONTROL.sub(_name_char, out) if _CONTROL.search(out) else out


def _edit_text(s: str) -> str:
    """Escape the text of an edit, showing invisible characters by name."""
    out = html.escape(s, quote=False)
    return _INVISIBLE.sub(_name_char, out) if _INVISIBLE.search(out) else out


def _show(s: str) -> str:
    """A one-line, visible rendering of ``s`` for a tooltip."""
    if not s:
        return "(nothing)"
    if len(s) > _TIP_CHARS:
        s = s[: _TIP_CHARS - 1] + "…"
    out = []
    for c in s:
        if c in _PICTURES and c != " ":
            out.append(_PICTURES[c])
        elif _INVISIBLE.fullmatch(c):
            out.append(f"<U+{ord(c):04X}>")
        else:
            out.append(c)
    return "“" + "".join(out) + "”"


def _attr(s: str) -> str:
    return html.escape(_CONTROL.sub(lambda m: f"<U+{ord(m.group()):04X}>", s), quote=True)


class _Stages:
    """Assigns each stage name a number, in order of first appearance; numbers pick colours."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def number(self, name: str) -> int:
        if name not in self.index:
            self.index[name] = len(self.index)
        return self.index[name]

    def css(self) -> str:
        rules = []
        for name, i in self.index.items():
            b, k = _PALETTE[i % len(_PALETTE)]
            rules.append(f".s{i}{{--b:{b};--k:{k}}} /* {_css_comment(name)} */")
        return "\n".join(rules)


def _css_comment(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.:+-]", "_", s)


def _parts(stage: str) -> list[str]:
    return [p for p in stage.split("+") if p] or [stage]


def _render_edit(e: Edit, source: str, doc: int, k: int, stages: _Stages, low: float) -> str:
    nums = [stages.number(p) for p in _parts(e.stage)]
    before = source[e.start : e.end]
    classes = f"e s{nums[0]}"
    if e.confidence < low:
        classes += " lo"
    if not e.replacement:
        classes += " d"
    elif not before:
        classes += " i"
    # Kept short: on a big text the tooltips are most of the file.
    tip = (
        f"{_show(before)} → {_show(e.replacement)}\n{e.stage} · {e.rule or '-'}\n"
        f"confidence {e.confidence:.2f}" + (" (low)" if e.confidence < low else "")
    )
    # Merged edits ("a+b") list every stage for the filter; others have it in their class.
    merged = f'data-s="{" ".join(map(str, nums))}" ' if len(nums) > 1 else ""
    inner = (f"<del>{_edit_text(before)}</del>" if before else "") + (
        f"<ins>{_edit_text(e.replacement)}</ins>" if e.replacement else ""
    )
    return (
        f'<mark class="{classes}" id="e{doc}-{k}" tabindex="0" '
        f'{merged}title="{_attr(tip)}">{inner}</mark>'
    )


def _chunks(source: str, edits: list[Edit], render: Callable[[int, Edit], str]) -> Iterator[str]:
    """Yield the text view of ``source`` as chunks of about ``_CHUNK_CHARS`` characters.

    Chunks end only in plain text, after a newline where one is near, so no edit is split.
    ``render(k, edit)`` returns the markup of the ``k``-th edit.
    """
    yield '<div class="chunk">'
    pos = 0
    size = 0
    for k in range(len(edits) + 1):
        if k < len(edits):
            start, end = edits[k].start, edits[k].end
        else:
            start = end = len(source)
        while size + (start - pos) > _CHUNK_CHARS:
            lo = pos + max(0, _CHUNK_CHARS - size)
            cut = source.find("\n", lo, start)
            if cut < 0 and size + (start - pos) > 4 * _CHUNK_CHARS:
                cut = source.find(" ", lo, start)
            if cut < 0:
                break
            yield _text(source[pos : cut + 1])
            yield '</div><div class="chunk">'
            pos = cut + 1
            size = 0
        yield _text(source[pos:start])
        if k < len(edits):
            yield render(k, edits[k])
        size += end - pos
        pos = end
    yield "</div>"


def _render_doc(
    name: str, fixed: Fixed, summary: _Summary, stages: _Stages, low: float
) -> Iterator[str]:
    source = fixed.source
    edits = sorted_edits(source, fixed.edits)
    if not source and not edits:
        source = fixed.text  # a hand-made Fixed without its source: show the text as is
    summary.chars = len(source)
    summary.edits = len(edits)
    for e in edits:
        for p in _parts(e.stage):
            summary.stages[stages.number(p)] += 1
        summary.rules[(e.stage, e.rule)] += 1
        summary.low += e.confidence < low
    n = summary.number
    yield f'<section class="doc" id="f{n}" aria-labelledby="f{n}-h">'
    yield f'<h2 id="f{n}-h">{html.escape(name)}</h2>'
    by_stage = ", ".join(
        f"{html.escape(s)} {summary.stages[i]}"
        for s, i in stages.index.items()
        if summary.stages[i]
    )
    yield (
        f'<p class="docstats">{summary.edits} edit{"s" if summary.edits != 1 else ""}'
        f", {summary.low} low-confidence"
        + (f" ({by_stage})" if by_stage else "")
        + ' · <a href="#index">index</a></p>'
    )
    big = " big" if len(source) > 2 * _CHUNK_CHARS else ""
    yield f'<div class="text{big}">'
    yield from _chunks(source, edits, lambda k, e: _render_edit(e, source, n, k, stages, low))
    yield "</div></section>\n"


@dataclass(frozen=True, slots=True)
class _Options:
    title: str
    signature: str | None
    low_confidence: float
    page_files: int
    page_chars: int

    def __post_init__(self) -> None:
        if not 0.0 <= self.low_confidence <= 1.0:
            msg = f"low_confidence must be between 0 and 1, got {self.low_confidence!r}"
            raise ConfigError(msg)
        if self.page_files < 1 or self.page_chars < 1:
            msg = "page_files and page_chars must be at least 1"
            raise ConfigError(msg)


def _stream(out: TextIO, documents: Iterable[tuple[str, Fixed]], opts: _Options) -> None:
    stages = _Stages()
    summaries: list[_Summary] = []
    # Documents are rendered one at a time into a spool file, so a batch never sits in memory
    # as HTML; the panel and the index, which need the totals, are written before it at the end.
    with tempfile.SpooledTemporaryFile(
        max_size=8 << 20, mode="w+", encoding="utf-8", errors="backslashreplace", newline="\n"
    ) as body:
        page = 0
        in_page = 0
        page_size = 0
        for number, (name, fixed) in enumerate(documents, 1):
            if page == 0 or in_page >= opts.page_files or page_size >= opts.page_chars:
                if page:
                    body.write("</section>\n")
                page += 1
                in_page = 0
                page_size = 0
                body.write(f'<section class="page" id="page-{page}" aria-label="Page {page}">\n')
            summary = _Summary(number, str(name), page)
            body.writelines(_render_doc(str(name), fixed, summary, stages, opts.low_confidence))
            summaries.append(summary)
            in_page += 1
            page_size += summary.chars
        if page:
            body.write("</section>\n")
        _write_head(out, opts.title, stages)
        _write_panel(out, opts, stages, summaries, page)
        out.write('<main id="main">\n')
        _write_index(out, summaries, stages, page)
        body.seek(0)
        shutil.copyfileobj(body, out)
    script = _asset("report.js")
    out.write(f"</main>\n<script>{script}</script>\n</body>\n</html>\n")


def _write_head(out: TextIO, title: str, stages: _Stages) -> None:
    style = _asset("report.css") + "\n" + stages.css() + "\n"
    csp = (
        f"default-src 'none'; style-src {_csp_hash(style)}; "
        f"script-src {_csp_hash(_asset('report.js'))}; img-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )
    out.write(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="textfix">\n'
        f"<title>{html.escape(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n"
        '<a class="skip" href="#main">Skip to the text</a>\n'
    )


def _write_panel(
    out: TextIO, opts: _Options, stages: _Stages, summaries: list[_Summary], pages: int
) -> None:
    title, signature, threshold = opts.title, opts.signature, opts.low_confidence
    total = sum(s.edits for s in summaries)
    low = sum(s.low for s in summaries)
    by_stage: Counter[int] = sum((s.stages for s in summaries), Counter())
    rules: Counter[tuple[str, str]] = sum((s.rules for s in summaries), Counter())
    w = out.write
    w('<aside id="panel" aria-label="Edits and filters">\n')
    w(f"<h1>{html.escape(title)}</h1>\n")
    files_label = f"{len(summaries)} file{'s' if len(summaries) != 1 else ''}"
    w(
        f'<p>{files_label}, <strong id="total">{total}</strong> edits, '
        f"{low} low-confidence.<br>"
        f'<span data-needs-js hidden>Showing <strong id="shown">{total}</strong>.</span></p>\n'
    )
    if signature:
        w(f'<p class="sig">Pipeline: <code>{html.escape(signature)}</code></p>\n')
    w(
        "<fieldset><legend>View</legend>\n"
        '<label><input type="radio" name="view" id="view-cleaned" checked> '
        "Cleaned text</label>\n"
        '<label><input type="radio" name="view" id="view-original"> '
        "Original, removals struck through</label>\n"
        '<label><input type="radio" name="view" id="view-both"> Both</label>\n</fieldset>\n'
    )
    if pages > 1:
        w(_pager(pages, "Pages of files (panel)"))
    w("<fieldset><legend>Edits by stage</legend>\n")
    if not stages.index:
        w("<p>No edits.</p>\n")
    w(
        '<p class="hint" data-no-js>Filtering needs JavaScript; '
        "everything else works without it.</p>\n"
    )
    for name, i in stages.index.items():
        w(
            f'<label><input type="checkbox" data-stage="{i}" value="{_attr(name)}" checked '
            f'disabled data-needs-js> <span class="swatch s{i}"></span> '
            f'{html.escape(name)} <span class="n">{by_stage[i]}</span></label>\n'
        )
    w(
        '<label><input type="checkbox" id="low-only" disabled data-needs-js> '
        f"Only low confidence (below {threshold:g}) "
        f'<span class="n">{low}</span></label>\n'
    )
    w("</fieldset>\n")
    w(
        '<div class="nav-buttons"><button type="button" id="prev-edit" disabled data-needs-js>'
        "Previous edit</button>"
        '<button type="button" id="next-edit" disabled data-needs-js>Next edit</button></div>\n'
        '<p class="hint">Keys: <kbd>n</kbd>/<kbd>j</kbd> next edit, <kbd>p</kbd>/<kbd>k</kbd> '
        "previous; <kbd>Tab</kbd> also walks the edits. Hover or focus an edit for details.</p>\n"
        '<p id="position" aria-live="polite" class="muted"></p>\n'
    )
    w(
        "<details open><summary>Edits by rule</summary>\n<table><thead><tr>"
        '<th scope="col">Stage: rule</th><th scope="col">Edits</th></tr></thead><tbody>\n'
    )
    for (stage, rule), n in sorted(rules.items(), key=lambda kv: (-kv[1], kv[0])):
        w(
            f"<tr><td>{html.escape(stage)}: {html.escape(rule or '-')}</td>"
            f'<td class="n">{n}</td></tr>\n'
        )
    w("</tbody></table></details>\n</aside>\n")


def _write_index(out: TextIO, summaries: list[_Summary], stages: _Stages, pages: int) -> None:
    w = out.write
    if len(summaries) > 1:
        w('<section id="index" aria-labelledby="index-h">\n<h2 id="index-h">Files</h2>\n')
        w(
            '<table><thead><tr><th scope="col">#</th><th scope="col">File</th>'
            '<th scope="col">Edits</th><th scope="col">Low confidence</th>'
            '<th scope="col">By stage</th>'
            + ('<th scope="col">Page</th>' if pages > 1 else "")
            + "</tr></thead><tbody>\n"
        )
        names = {i: name for name, i in stages.index.items()}
        for s in summaries:
            by_stage = ", ".join(
                f"{html.escape(names[i])} {n}" for i, n in sorted(s.stages.items())
            )
            w(
                f'<tr><td class="n">{s.number}</td>'
                f'<td><a href="#f{s.number}">{html.escape(s.name)}</a></td>'
                f'<td class="n">{s.edits}</td><td class="n">{s.low}</td><td>{by_stage}</td>'
                + (f'<td class="n"><a href="#page-{s.page}">{s.page}</a></td>' if pages > 1 else "")
                + "</tr>\n"
            )
        w("</tbody></table>\n</section>\n")
    else:
        w('<span id="index"></span>\n')
    if pages > 1:
        w(_pager(pages, "Pages of files"))


def _pager(pages: int, label: str) -> str:
    links = " ".join(f'<a href="#page-{p}">{p}</a>' for p in range(1, pages + 1))
    return f'<nav class="pager" aria-label="{label}">Pages: {links}</nav>\n'


def render_report(
    documents: Iterable[tuple[str, Fixed]],
    *,
    title: str = "textfix review",
    signature: str | None = None,
    low_confidence: float = LOW_CONFIDENCE,
    page_files: int = _PAGE_FILES,
    page_chars: int = _PAGE_CHARS,
) -> str:
    """Return the review report of ``documents`` as one HTML string.

    Args:
        documents: ``(name, fixed)`` pairs, one per input file, in the order to show them.
        title: The title of the page.
        signature: The pipeline signature, shown in the side panel when given.
        low_confidence: Edits with a lower confidence are marked as low-confidence.
        page_files: A page of a batch holds at most this many files.
        page_chars: A page ends once its files reach this many characters.

    Returns:
        A self-contained HTML document: no network, no external scripts, styles or fonts.

    Raises:
        ConfigError: An option is out of range.
        OverlappingEditsError: The edits of a document overlap or fall outside its source.
    """
    buf = io.StringIO()
    _stream(buf, documents, _Options(title, signature, low_confidence, page_files, page_chars))
    return buf.getvalue()


def write_report(
    path: str | Path,
    documents: Iterable[tuple[str, Fixed]],
    *,
    title: str = "textfix review",
    signature: str | None = None,
    low_confidence: float = LOW_CONFIDENCE,
    page_files: int = _PAGE_FILES,
    page_chars: int = _PAGE_CHARS,
) -> None:
    """Write the review report of ``documents`` to ``path`` (``"-"`` for standard output).

    Documents are rendered one at a time, so ``documents`` can be a generator over a batch.
    The file is UTF-8. Arguments are those of :func:`render_report`.

    Raises:
        ConfigError: An option is out of range.
        OverlappingEditsError: The edits of a document overlap or fall outside its source.
        OSError: The file cannot be written.
    """
    options = _Options(title, signature, low_confidence, page_files, page_chars)
    if str(path) == "-":
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:  # a text-only stream, e.g. a StringIO put in place by a caller
            _stream(sys.stdout, documents, options)
            return
        sys.stdout.flush()
        # Output is always UTF-8, whatever the locale says.
        out = io.TextIOWrapper(buffer, encoding="utf-8", errors="backslashreplace", newline="\n")
        try:
            _stream(out, documents, options)
            out.flush()
        finally:
            out.detach()
        return
    with Path(path).open("w", encoding="utf-8", errors="backslashreplace", newline="\n") as out:
        _stream(out, documents, options)


def register_cli(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``textfix review FILE [-o report.html] [--preset P] [--encoding E]``."""
    p = subparsers.add_parser(
        "review",
        help="clean one file and write an HTML report that shows every edit",
        description=(
            "Clean FILE and write a self-contained HTML report: the cleaned text with every "
            "edit highlighted by stage, the original on a toggle, counts and filters."
        ),
    )
    p.add_argument("file", metavar="FILE", help="text file to clean ('-' for standard input)")
    p.add_argument(
        "-o",
        "--output",
        default="-",
        metavar="REPORT.html",
        help="where to write the report (default: standard output)",
    )
    p.add_argument(
        "--preset", default="default", help="preset name or .toml file (default: default)"
    )
    p.add_argument("--encoding", default="utf-8", help="encoding of FILE (default: utf-8)")
    p.add_argument(
        "--errors",
        default="strict",
        choices=("strict", "replace", "surrogateescape"),
        help="what to do with bytes that do not decode (default: strict)",
    )
    p.add_argument(
        "--low-confidence",
        type=float,
        default=LOW_CONFIDENCE,
        metavar="X",
        help=f"mark edits below this confidence (default: {LOW_CONFIDENCE})",
    )
    p.set_defaults(func=_review)


def _review(args: argparse.Namespace) -> int:
    from textfix.pipeline import load_preset

    name = str(args.file)
    if name != "-" and args.output != "-":
        src, dst = Path(name), Path(args.output)
        if dst.exists() and src.exists() and dst.resolve() == src.resolve():
            msg = f"refusing to write the report over the input file {name}"
            raise TextfixError(msg)
    try:
        if name == "-":
            data = sys.stdin.buffer.read()
        else:
            data = Path(name).read_bytes()
        text = data.decode(args.encoding, args.errors)
    except LookupError:
        msg = f"unknown encoding {args.encoding!r}"
        raise TextfixError(msg) from None
    except UnicodeDecodeError as exc:
        msg = (
            f"{name}: cannot decode byte {exc.start} as {args.encoding} ({exc.reason}); "
            "try --encoding or --errors replace"
        )
        raise TextfixError(msg) from None
    except OSError as exc:
        msg = f"cannot read {name}: {exc.strerror or exc}"
        raise TextfixError(msg) from None
    pipe = load_preset(args.preset)
    fixed = pipe.explain(text)
    try:
        write_report(
            args.output,
            [(name if name != "-" else "<stdin>", fixed)],
            title=f"textfix review: {Path(name).name if name != '-' else 'stdin'}",
            signature=pipe.signature(),
            low_confidence=args.low_confidence,
        )
    except OSError as exc:
        msg = f"cannot write {args.output}: {exc.strerror or exc}"
        raise TextfixError(msg) from None
    return 0
