"""Start-up of a new process, with and without the on-disk cache of indexes (docs/cache.md).

    python benchmarks/bench_startup.py              # 5 fresh processes per cache state
    python benchmarks/bench_startup.py --repeat 1   # one each: checks the script works

Each measurement is a fresh Python process that imports textfix, cleans a short text (the
first ``clean()``: presets, stages, lexicon, bigrams) and then a sentence with new unknown
tokens (the first candidate search: the SymSpell delete indexes and the OCR-shape index). Cache
states: ``off`` (``TEXTFIX_CACHE_DIR=off``: everything built), ``cold`` (an empty cache folder:
built, then written), ``warm`` (the folder the cold run filled: everything loaded). The cache
folders are temporary; the user's cache is never touched. Medians of wall and CPU seconds are
printed with the load average (CPU seconds suffer less from other jobs on a shared machine),
and the peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, resource, time
w0, c0 = time.perf_counter(), time.process_time()
import textfix
w1, c1 = time.perf_counter(), time.process_time()
textfix.clean("The \ufb01rst tbe page")
w2, c2 = time.perf_counter(), time.process_time()
textfix.clean("The qvick brovvn fox jumpcd over the lazv dog in tbe gardcn.")
w3, c3 = time.perf_counter(), time.process_time()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"import": [w1 - w0, c1 - c0], "first": [w2 - w1, c2 - c1],
                  "unknown": [w3 - w2, c3 - c2], "rss": rss}))
"""


def run_child(cache: str) -> dict[str, object]:
    env = {**os.environ, "TEXTFIX_CACHE_DIR": cache}
    out = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    rows: dict[str, list[dict[str, object]]] = {"off": [], "cold": [], "warm": []}
    loads = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "cache")
        for _ in range(max(1, args.repeat)):
            loads.append(os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan"))
            rows["off"].append(run_child("off"))
            shutil.rmtree(folder, ignore_errors=True)
            rows["cold"].append(run_child(str(folder)))
            rows["warm"].append(run_child(str(folder)))
    lo, hi = min(loads), max(loads)
    print(f"{args.repeat} fresh processes per state; 1-min load average {lo:.1f}-{hi:.1f}")
    print("| cache | import textfix s | first clean() s | first unknown tokens s | peak RSS MB |")
    print("|---|---|---|---|---|")
    for state, rs in rows.items():
        cells = []
        for key in ("import", "first", "unknown"):
            wall = statistics.median(r[key][0] for r in rs)
            cpu = statistics.median(r[key][1] for r in rs)
            cells.append(f"{wall:.2f} (CPU {cpu:.2f})")
        rss = statistics.median(r["rss"] for r in rs)
        print(f"| {state} | " + " | ".join(cells) + f" | {rss:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
