"""Large files: `textfix clean` streams them in bounded memory, with the whole-text output.

    python benchmarks/bench_stream.py --size 1GB --preset characters
    python benchmarks/bench_stream.py --size 100MB        # the default preset
    python benchmarks/bench_stream.py --size 200KB --check-size 100KB   # tiny: the CI check

A synthetic OCR-like file of ``--size`` is written to a temporary folder: pages of wrapped
lines with a running head and a page number, words hyphenated at line ends, and OCR noise
(letter confusions, split and run-together words, ligatures, odd spaces, CRLF). The text
comes from the clean seeds in ``../shared/seeds`` (or ``TEXTFIX_SHARED``), read at run time,
or from invented sentences when they are absent. A pool of pages is made once and repeated
with new page numbers, so that making a large file is fast.

The file is cleaned by ``textfix clean`` in a subprocess; the table gives the wall time,
MB/s and the peak resident memory of that process (its ``ru_maxrss``, from ``os.wait4``). Then a
smaller file (``--check-size``) is cleaned both whole (``--stream-mb 0``) and streamed with
tiny chunks, and the two outputs are compared byte for byte.

Nothing is asserted: the figures go in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

INVENTED = (
    "The keeper of the lighthouse wrote every evening in a narrow ledger, noting the wind, "
    "the ships that passed and the price of oil in the harbour town below. In the spring of "
    "that year a surveyor arrived with instruments nobody had seen before, and the children "
    "followed him along the cliffs to watch him measure the distance to the northern reef. "
    "Their questions were many and his answers were patient, although he admitted that the "
    "charts of the coast had been wrong for a generation and that several wrecks might have "
    "been avoided had anyone troubled to correct them. "
)
CONFUSIONS = [
    ("e", "c"),
    ("h", "b"),
    ("m", "rn"),
    ("l", "1"),
    ("o", "0"),
    ("i", "l"),
    ("fi", "ﬁ"),
    ("ff", "ﬀ"),
    (" ", "\u00a0"),
    ("th", "tli"),
    ("u", "n"),
]
_WORD_RE = re.compile(r"\S+")


def _shared() -> Path | None:
    env = os.environ.get("TEXTFIX_SHARED")
    for c in [Path(env)] if env else [ROOT.parent / "shared"]:
        if (c / "seeds").is_dir():
            return c
    return None


def _source_text() -> tuple[str, str]:
    shared = _shared()
    if shared is not None:
        texts = [p.read_text("utf-8") for p in sorted((shared / "seeds").glob("*.txt"))]
        if texts:
            return "\n\n".join(texts), "the clean seeds"
    return INVENTED * 200, "invented text"


def _noisy(word: str, r: random.Random) -> str:
    x = r.random()
    if x < 0.06:
        a, b = r.choice(CONFUSIONS)
        if a in word:
            return word.replace(a, b, 1)
    elif x < 0.07 and len(word) > 5:
        cut = r.randint(2, len(word) - 2)
        return word[:cut] + " " + word[cut:]
    return word


def _pages(text: str, r: random.Random, width: int = 62, lines: int = 38) -> list[list[str]]:
    """Wrap noisy words into pages of lines, hyphenating a long word at the line end."""
    words = [_noisy(w, r) for w in _WORD_RE.findall(text)]
    pages: list[list[str]] = []
    page: list[str] = []
    line = ""
    for w in words:
        if len(line) + 1 + len(w) > width:
            room = width - len(line) - 2
            if len(w) >= 8 and room >= 3 and w.isalpha():
                page.append(f"{line} {w[:room]}-".lstrip())
                line = w[room:]
            else:
                page.append(line)
                line = w
            if len(page) >= lines:
                pages.append(page)
                page = []
        else:
            line = f"{line} {w}" if line else w
    if page:
        pages.append(page)
    return pages


def make_file(path: Path, size: int, seed: int = 1) -> str:
    """Write about ``size`` bytes of synthetic OCR text to ``path``; return its source name."""
    r = random.Random(seed)
    text, source = _source_text()
    pool = _pages(text, r)
    heads = ["THE HISTORY OF THE COAST", "A SURVEY OF THE NORTHERN REEF"]
    written = 0
    number = 1
    with path.open("w", encoding="utf-8", newline="") as fh:
        while written < size:
            body = pool[(number - 1) % len(pool)]
            head = heads[number % 2] + (f" {number}" if number % 3 == 0 else "")
            eol = "\r\n" if number % 7 == 0 else "\n"
            page = eol.join([head, "", *body, "", str(number), "", ""])
            data = page.encode("utf-8")
            if written + len(data) > size:
                data = data[: size - written].decode("utf-8", "ignore").encode("utf-8")
            fh.write(data.decode("utf-8"))
            written += len(data)
            number += 1
    return source


def _run(args: list[str], out: Path) -> tuple[float, float]:
    """Run ``textfix clean`` in a subprocess; return the wall time and its peak RSS in MB."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "textfix", "clean", *args, "-o", str(out)],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0:
        msg = f"textfix clean failed ({proc.returncode}): {err[-2000:]}"
        raise SystemExit(msg)
    return wall, usage.ru_maxrss / 1024  # kilobytes on Linux


def _size(value: str) -> int:
    m = re.fullmatch(r"(?i)\s*([\d.]+)\s*([kmg]?)b?\s*", value)
    if m is None:
        msg = f"not a size: {value!r} (e.g. 200KB, 100MB, 1GB)"
        raise argparse.ArgumentTypeError(msg)
    scale = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9}[m[2].lower()]
    return int(float(m[1]) * scale)


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--size", type=_size, default=_size("100MB"))
    ap.add_argument("--check-size", type=_size, default=_size("2MB"))
    ap.add_argument("--preset", default="default")
    ap.add_argument("--skip", action="append", default=[], metavar="STAGE")
    ap.add_argument("--chunk-mb", type=float, default=1.0)
    ap.add_argument("--tmpdir", default=None, help="where to write the files (default: system)")
    args = ap.parse_args()
    pipeline = ["--preset", args.preset] + [a for s in args.skip for a in ("--skip", s)]

    print(f"Python {platform.python_version()} on {platform.platform()}")
    with tempfile.TemporaryDirectory(dir=args.tmpdir) as tmp:
        tmpdir = Path(tmp)
        big = tmpdir / "big" / "in.txt"
        big.parent.mkdir()
        t0 = time.perf_counter()
        source = make_file(big, args.size)
        size = big.stat().st_size
        print(f"made {size / 1e6:.1f} MB from {source} in {time.perf_counter() - t0:.1f} s")
        print(f"pipeline: {' '.join(pipeline)}; --chunk-mb {args.chunk_mb:g}")
        print()
        print("| input | mode | wall s | MB/s | peak RSS MB |")
        print("|---|---|---|---|---|")
        stream = ["--stream-mb", "0.0001", "--chunk-mb", str(args.chunk_mb)]
        wall, rss = _run([*stream, *pipeline, str(big)], tmpdir / "o1")
        print(
            f"| {size / 1e6:.0f} MB | streamed | {wall:.1f} | {size / 1e6 / wall:.2f} | {rss:.0f} |"
        )
        big.unlink()
        (tmpdir / "o1" / "in.txt").unlink()

        small = tmpdir / "small" / "in.txt"
        small.parent.mkdir()
        make_file(small, args.check_size, seed=2)
        size = small.stat().st_size
        wall_w, rss_w = _run([*pipeline, "--stream-mb", "0", str(small)], tmpdir / "whole")
        label = f"{size / 1e6:.1f} MB"
        print(f"| {label} | whole | {wall_w:.1f} | {size / 1e6 / wall_w:.2f} | {rss_w:.0f} |")
        tiny = max(0.0001, size / 1e6 / 50)  # about fifty windows
        stream = ["--stream-mb", "0.0001", "--chunk-mb", f"{tiny:.6f}"]
        wall_s, rss_s = _run([*stream, *pipeline, str(small)], tmpdir / "s")
        print(f"| {label} | streamed, {tiny * 1e3:.0f} KB chunks | {wall_s:.1f} | ", end="")
        print(f"{size / 1e6 / wall_s:.2f} | {rss_s:.0f} |")
        same = (tmpdir / "whole" / "in.txt").read_bytes() == (tmpdir / "s" / "in.txt").read_bytes()
        print()
        print(f"streamed output identical to whole-text output: {'yes' if same else 'NO'}")
        return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
