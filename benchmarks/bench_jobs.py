"""Speed-up of ``textfix clean --jobs N`` on a batch of files, against one process.

    python benchmarks/bench_jobs.py              # the dev OCR records as files, jobs 1 and 2
    python benchmarks/bench_jobs.py --repeat 3   # three runs of each, medians
    python benchmarks/bench_jobs.py --copies 4   # a 4x larger batch (see below)
    python benchmarks/bench_jobs.py --cache off  # without the on-disk cache (docs/cache.md)
    python benchmarks/bench_jobs.py --quick      # a few small files: checks the script works

The OCR side of every record of ``corpora/dev/*.jsonl`` (read at run time from ``../shared`` or
``--data``) is written as one file per record into a temporary folder, then the same CLI command
cleans the folder with ``--jobs 1`` and with ``--jobs N``. Each timing includes starting Python
and the workers and loading the dictionaries, as a user would see it. Outputs must be identical;
the speed-up is printed, not asserted.

The on-disk cache of dictionary indexes is a temporary folder of this run (the user's cache is
never touched): with ``--cache warm`` (default) one untimed run on one file fills it first, as
any earlier use of textfix would, so both timings load the indexes; ``--cache off`` builds them
in every run. ``--copies K`` writes every record K times (under other names): a larger batch,
but the copies find their tokens in each worker's per-token caches, so they are cheaper than new
text. On a shared machine the load average is printed with each timing.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def default_data() -> Path | None:
    env = os.environ.get("TEXTFIX_SHARED")
    for cand in ([Path(env)] if env else []) + [REPO.parent / "shared"]:
        if (cand / "corpora" / "dev").is_dir():
            return cand
    return None


def clean(folder: Path, out: Path, jobs: int, env: dict[str, str]) -> float:
    cmd = [sys.executable, "-m", "textfix", "clean", str(folder), "-o", str(out)]
    cmd += ["--jobs", str(jobs), "--no-progress"]
    t = time.perf_counter()
    subprocess.run(cmd, check=True, env=env)
    return time.perf_counter() - t


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=default_data())
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each; medians are shown")
    ap.add_argument("--copies", type=int, default=1, help="write every record this many times")
    ap.add_argument("--cache", choices=("warm", "off"), default="warm")
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    if args.data is None:
        print("bench_jobs: no shared corpora (../shared beside the checkout, or --data); skipping")
        return 0
    texts = [
        json.loads(line)["ocr"]
        for f in sorted((args.data / "corpora" / "dev").glob("*.jsonl"))
        for line in f.read_text("utf-8").splitlines()
        if line.strip()
    ]
    if args.quick:
        texts = [t[:500] for t in texts[:6]]
    texts = texts * max(1, args.copies)
    times: dict[int, list[float]] = {1: [], args.jobs: []}
    loads: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp, "in")
        src.mkdir()
        for i, text in enumerate(texts):
            Path(src, f"{i:05d}.txt").write_text(text, "utf-8")
        size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        env = dict(os.environ)
        env["TEXTFIX_CACHE_DIR"] = str(Path(tmp, "cache")) if args.cache == "warm" else "off"
        if args.cache == "warm":
            prime = Path(tmp, "prime")
            prime.mkdir()
            Path(prime, "a.txt").write_text(texts[0], "utf-8")
            clean(prime, Path(tmp, "prime-out"), 1, env)
        for r in range(max(1, args.repeat)):
            for jobs in (1, args.jobs):
                out = Path(tmp, f"out-{jobs}-{r}")
                loads.append(load())
                times[jobs].append(clean(src, out, jobs, env))
        same = True
        for r in range(max(1, args.repeat)):
            cmp = filecmp.dircmp(Path(tmp, f"out-1-{r}"), Path(tmp, f"out-{args.jobs}-{r}"))
            same = same and not (cmp.diff_files or cmp.left_only or cmp.right_only)
    one, many = statistics.median(times[1]), statistics.median(times[args.jobs])
    print(f"{len(texts)} files, {size:.2f} MB, {os.cpu_count()} cores, cache {args.cache}")
    print(f"load average (1/5/15 min) before each run: {', '.join(loads)}")
    if args.repeat > 1:
        runs = (f"jobs {j}: {' '.join(f'{t:.1f}' for t in ts)} s" for j, ts in times.items())
        print("runs: " + "; ".join(runs))
    print("| jobs | seconds | MB/s | speed-up |")
    print("|---|---|---|---|")
    print(f"| 1 | {one:.1f} | {size / one:.2f} | 1.00 |")
    print(f"| {args.jobs} | {many:.1f} | {size / many:.2f} | {one / many:.2f} |")
    print(f"outputs identical: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
