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
text. On a shared machine the load average is printed with each timing, and the CPU seconds
of each run (the CLI and its workers) are shown: less sensitive to other jobs than wall time.
With ``--repeat``, the speed-up of the fastest run of each side is printed too: other jobs
only ever slow a run down, so the fastest runs are the nearest to an idle machine.
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

try:
    import resource
except ImportError:  # Windows
    resource = None
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def default_data() -> Path | None:
    env = os.environ.get("TEXTFIX_SHARED")
    for cand in ([Path(env)] if env else []) + [REPO.parent / "shared"]:
        if (cand / "corpora" / "dev").is_dir():
            return cand
    return None


def clean(folder: Path, out: Path, jobs: int, env: dict[str, str]) -> tuple[float, float]:
    """Run the CLI; return its wall-clock seconds and the CPU seconds of it and its workers."""
    cmd = [sys.executable, "-m", "textfix", "clean", str(folder), "-o", str(out)]
    cmd += ["--jobs", str(jobs), "--no-progress"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN) if resource else None
    t = time.perf_counter()
    subprocess.run(cmd, check=True, env=env)
    wall = time.perf_counter() - t
    if resource is None or before is None:
        return wall, float("nan")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def breakdown(folder: Path, jobs: int) -> dict[str, object]:
    """CPU seconds of each phase of ``batch.run`` over ``folder`` in this process (forked
    workers on Linux): what the wall time would be on idle cores, whatever the load."""
    c0 = time.process_time()
    from textfix import batch, load_preset
    from textfix.io import Source

    pipe = load_preset("default")
    sources = [Source(p, p.name, Path(p.name)) for p in sorted(folder.iterdir())]
    c1 = time.process_time()
    if jobs == 1:  # the first document loads the dictionaries and indexes
        pipe(batch._WARM_TEXT)
    else:  # what run() does before forking
        batch._warm(pipe)
    c2 = time.process_time()
    options = batch.Options()
    if jobs == 1:
        batch._init_worker(pipe, options)
    per: dict[int, list[float]] = {}
    for res in map(_timed_work, sources) if jobs == 1 else _timed_run(pipe, sources, jobs):
        cpu, pid, misses = res.bench
        slot = per.setdefault(pid, [0.0, 0.0, 0.0])
        slot[0] += cpu
        slot[1] += 1
        slot[2] = max(slot[2], misses)
    c3 = time.process_time()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN) if resource else None
    workers_cpu = kids.ru_utime + kids.ru_stime if kids else float("nan")
    return {
        "jobs": jobs,
        "import_preset": c1 - c0,
        "load": c2 - c1,
        "parent_run": c3 - c2 - (sum(v[0] for v in per.values()) if jobs == 1 else 0.0),
        "workers_total": workers_cpu,
        "workers": [
            {"cpu": v[0], "files": int(v[1]), "token_misses": int(v[2])} for v in per.values()
        ],
    }


def _timed_work(source: object) -> object:
    from textfix import batch
    from textfix.stages import words

    c = time.process_time()
    pipe, options = batch._WORKER
    res = batch.process(pipe, source, options)
    misses = words._scored.cache_info().misses
    res.bench = (time.process_time() - c, os.getpid(), misses)
    return res


def _timed_run(pipe: object, sources: list[object], jobs: int) -> object:
    from textfix import batch

    real = batch._work
    batch._work = _timed_work  # the forked workers inherit it
    try:
        yield from batch.run(pipe, sources, batch.Options(), jobs=jobs, method="fork")
    finally:
        batch._work = real


def show_breakdown(rows: list[dict[str, object]]) -> None:
    print("CPU seconds by phase (one run each; projected wall = the critical path on idle cores):")
    print("| jobs | import+preset | load (parent) | per worker | parent during run | projected s |")
    print("|---|---|---|---|---|---|")
    proj = {}
    for r in rows:
        ws = r["workers"]
        crit = r["import_preset"] + r["load"] + max(w["cpu"] for w in ws)
        if r["jobs"] != 1:
            crit += r["parent_run"] / len(ws)
        proj[r["jobs"]] = crit
        each = " / ".join(
            f"{w['cpu']:.2f} ({w['files']} files, {w['token_misses']} new tokens)" for w in ws
        )
        cells = [r["jobs"], f"{r['import_preset']:.2f}", f"{r['load']:.2f}", each]
        cells += [f"{r['parent_run']:.2f}", f"{crit:.2f}"]
        print("| " + " | ".join(map(str, cells)) + " |")
    for r in rows:
        if r["jobs"] != 1:
            tasks = sum(w["cpu"] for w in r["workers"])
            n = sum(w["files"] for w in r["workers"])
            extra = r["workers_total"] - tasks
            print(
                f"jobs {r['jobs']}: the workers spent {r['workers_total']:.2f} CPU s, "
                f"{extra:.2f} s of it outside the tasks ({1000 * extra / max(n, 1):.2f} ms "
                "per file: start, receiving work, sending results)"
            )
    one, many = proj[1], max(v for k, v in proj.items() if k != 1)
    print(f"projected speed-up: {one / many:.2f}")


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
    ap.add_argument(
        "--breakdown", action="store_true", help="also the CPU seconds by phase (Linux)"
    )
    ap.add_argument("--breakdown-of", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    if args.breakdown_of is not None:  # the child process of --breakdown
        print(json.dumps(breakdown(args.breakdown_of, args.jobs)))
        return 0
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
    cpus: dict[int, list[float]] = {1: [], args.jobs: []}
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
                wall, cpu = clean(src, out, jobs, env)
                times[jobs].append(wall)
                cpus[jobs].append(cpu)
        rows = []
        if args.breakdown:
            for jobs in (1, args.jobs):
                cmd = [sys.executable, __file__, "--breakdown-of", str(src), "--jobs", str(jobs)]
                out = subprocess.run(cmd, check=True, env=env, capture_output=True, text=True)
                rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
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
    cpu1, cpun = statistics.median(cpus[1]), statistics.median(cpus[args.jobs])
    print("| jobs | seconds | MB/s | speed-up | CPU s (all processes) |")
    print("|---|---|---|---|---|")
    print(f"| 1 | {one:.1f} | {size / one:.2f} | 1.00 | {cpu1:.1f} |")
    print(f"| {args.jobs} | {many:.1f} | {size / many:.2f} | {one / many:.2f} | {cpun:.1f} |")
    if args.repeat > 1:
        best1, bestn = min(times[1]), min(times[args.jobs])
        print(
            f"fastest runs: jobs 1 {best1:.1f} s, jobs {args.jobs} {bestn:.1f} s, "
            f"speed-up {best1 / bestn:.2f} (other jobs on the machine only slow runs down)"
        )
    print(f"outputs identical: {'yes' if same else 'NO'}")
    if rows:
        show_breakdown(rows)
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
