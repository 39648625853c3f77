"""Speed-up of ``textfix clean --jobs N`` on a batch of files, against one process.

    python benchmarks/bench_jobs.py            # the dev OCR records as files, jobs 1 and 2
    python benchmarks/bench_jobs.py --quick    # a few small files: checks the script works

The OCR side of every record of ``corpora/dev/*.jsonl`` (read at run time from ``../shared`` or
``--data``) is written as one file per record into a temporary folder, then the same CLI command
cleans the folder with ``--jobs 1`` and with ``--jobs N``. Each timing includes starting the
workers and loading the dictionaries once per worker, as a user would see it. Outputs must be
identical; the speed-up is printed, not asserted.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
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


def clean(folder: Path, out: Path, jobs: int) -> float:
    cmd = [sys.executable, "-m", "textfix", "clean", str(folder), "-o", str(out)]
    cmd += ["--jobs", str(jobs), "--no-progress"]
    t = time.perf_counter()
    subprocess.run(cmd, check=True)
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=default_data())
    ap.add_argument("--jobs", type=int, default=2)
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
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp, "in")
        src.mkdir()
        for i, text in enumerate(texts):
            Path(src, f"{i:05d}.txt").write_text(text, "utf-8")
        size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        one = clean(src, Path(tmp, "one"), 1)
        many = clean(src, Path(tmp, "many"), args.jobs)
        cmp = filecmp.dircmp(Path(tmp, "one"), Path(tmp, "many"))
        same = not (cmp.diff_files or cmp.left_only or cmp.right_only)
    print(f"{len(texts)} files, {size:.2f} MB, {os.cpu_count()} cores")
    print("| jobs | seconds | MB/s | speed-up |")
    print("|---|---|---|---|")
    print(f"| 1 | {one:.1f} | {size / one:.2f} | 1.00 |")
    print(f"| {args.jobs} | {many:.1f} | {size / many:.2f} | {one / many:.2f} |")
    print(f"outputs identical: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
