"""Speed, memory and quality of textfix and of the peers a user would pick instead.

One command measures everything in one run, on the same texts, and prints Markdown tables:

    python benchmarks/bench_speed.py                 # full run (several minutes)
    python benchmarks/bench_speed.py --quick         # tiny inputs: checks the script works
    python benchmarks/bench_speed.py --update-readme # also rewrite benchmarks/README.md

Every subject (a textfix preset, a single stage, a peer, a plain-Python floor) runs in a fresh
subprocess, so its peak resident memory (``ru_maxrss``) includes what it loads and nothing
else. Throughput is the median of several runs over each text set, in MB of UTF-8 per second
on one core; slow subjects stop after ``--budget`` seconds and are timed on what they did.
These are *cold* figures: before each run the per-token decisions cached by the word stages
are forgotten, so each unknown token pays its candidate search. What a subject loads lazily
(ftfy, a stage's tables) is loaded before timing by one untimed document of each set: it is
start-up, measured by ``bench_startup.py``. Next to them, for textfix
subjects, a *warm* figure: the same texts again (those the cold run did) with the caches kept,
in CPU time, as in a process that cleans many pages, where per-token decisions repeat.
Ratios compare each figure to the default preset measured in the same run. Quality: the
dehyph CER each subject reaches on the gold corpora (a fixed sample of records for the slow
peers, whose size is given), so that speed is never shown without quality.

Text sets (read at run time from ``../shared`` beside the checkout, or ``--data``):
  ocr-seed   the raw OCR seed document (``seeds/004_*.txt``)
  dev-ocr    the OCR side of every record of ``corpora/dev/*.jsonl``
  clean      the three clean seed documents (``seeds/00[023]_*.txt``)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

REPO = Path(__file__).resolve().parents[1]
README = REPO / "benchmarks" / "README.md"
BEGIN, END = "<!-- speed:begin -->", "<!-- speed:end -->"

PEERS = (
    "floor:str.split",
    "floor:split+dict",
    "floor:regex-scan",
    "ftfy.fix_text",
    "symspellpy.lookup",
    "symspellpy.lookup_compound",
    "pyspellchecker",
)


# --- data -----------------------------------------------------------------------------------


def default_data() -> Path | None:
    env = os.environ.get("TEXTFIX_SHARED")
    for cand in ([Path(env)] if env else []) + [REPO.parent / "shared"]:
        if (cand / "corpora").is_dir() or (cand / "seeds").is_dir():
            return cand
    return None


def load_sets(data: Path, *, quick: bool) -> dict[str, list[str]]:
    """Return the text sets as lists of documents."""
    sets: dict[str, list[str]] = {}
    seeds = data / "seeds"
    if seeds.is_dir():
        sets["ocr-seed"] = [p.read_text("utf-8") for p in sorted(seeds.glob("004_*.txt"))]
        sets["clean"] = [p.read_text("utf-8") for p in sorted(seeds.glob("00[023]_*.txt"))]
    corpora = data / "corpora" / "dev"
    if corpora.is_dir():
        sets["dev-ocr"] = [
            json.loads(line)["ocr"]
            for f in sorted(corpora.glob("*.jsonl"))
            for line in f.read_text("utf-8").splitlines()
            if line.strip()
        ]
    if quick:
        sets = {k: [d[:2000] for d in v[:3]] for k, v in sets.items()}
    return {k: v for k, v in sets.items() if v}


def gold_records(data: Path, *, quick: bool) -> dict[str, list[tuple[str, str]]]:
    corpora = data / "corpora" / "dev"
    out: dict[str, list[tuple[str, str]]] = {}
    for f in sorted(corpora.glob("*.jsonl")) if corpora.is_dir() else []:
        recs = [json.loads(line) for line in f.read_text("utf-8").splitlines() if line.strip()]
        if quick:  # a smoke test: one short record per file
            recs = [{"ocr": r["ocr"][:300], "gt": r["gt"][:300]} for r in recs[:1]]
        out[f.stem] = [(r["ocr"], r["gt"]) for r in recs]
    return out


# --- subjects -------------------------------------------------------------------------------


def make_subject(name: str) -> Callable[[str], str]:
    """Build the function that a subject applies to one document."""
    if name.startswith("preset:"):
        from textfix import load_preset

        return load_preset(name.split(":", 1)[1])
    if name.startswith("stage:"):
        from textfix import Pipeline, get_stage

        return Pipeline((get_stage(name.split(":", 1)[1]),))
    if name == "layers:characters+layout":
        from textfix import Pipeline, load_preset

        pipe = load_preset("default")
        keep = tuple(
            s for s in pipe.stages if type(s).__module__.rsplit(".", 1)[-1] in {"unicode", "layout"}
        )
        return Pipeline(keep, "characters+layout")
    if name == "floor:str.split":
        return lambda t: " ".join(t.split())
    if name == "floor:split+dict":
        from textfix.lexicon import load_lexicon

        freqs = load_lexicon("en").freqs

        def split_dict(t: str) -> str:
            for w in t.split():
                freqs.get(w)
            return t

        return split_dict
    if name == "floor:regex-scan":
        import regex

        word = regex.compile(r"\w+")

        def scan(t: str) -> str:
            for _ in word.finditer(t):
                pass
            return t

        return scan
    if name == "ftfy.fix_text":
        import ftfy

        return ftfy.fix_text
    if name.startswith("symspellpy"):
        return _symspell(compound=name.endswith("compound"))
    if name == "pyspellchecker":
        import regex
        from spellchecker import SpellChecker

        spell = SpellChecker()
        word = regex.compile(r"[A-Za-z]+")

        def pyspell(t: str) -> str:
            return word.sub(lambda m: spell.correction(m.group()) or m.group(), t)

        return pyspell
    msg = f"unknown subject {name!r}"
    raise SystemExit(msg)


def _symspell(*, compound: bool) -> Callable[[str], str]:
    from importlib.resources import files

    import regex
    from symspellpy import SymSpell, Verbosity

    sym = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    base = files("symspellpy")
    sym.load_dictionary(str(base / "frequency_dictionary_en_82_765.txt"), 0, 1)
    if compound:
        sym.load_bigram_dictionary(str(base / "frequency_bigramdictionary_en_243_342.txt"), 0, 2)

        def per_line(t: str) -> str:
            out = []
            for line in t.split("\n"):
                res = sym.lookup_compound(line, 2) if line.strip() else []
                out.append(res[0].term if res else line)
            return "\n".join(out)

        return per_line
    word = regex.compile(r"[A-Za-z]+")

    def per_token(t: str) -> str:
        def fix(m: Any) -> str:
            res = sym.lookup(m.group(), Verbosity.TOP, 2, transfer_casing=True)
            return res[0].term if res else m.group()

        return word.sub(fix, t)

    return per_token


# --- worker: runs in its own process --------------------------------------------------------


def run_worker(args: argparse.Namespace) -> None:
    data = Path(args.data)
    t0 = time.perf_counter()
    fn = make_subject(args.worker)
    sets = load_sets(data, quick=args.quick)
    # The first call loads dictionaries and indexes; it is start-up, timed on its own.
    first_doc = next(iter(sets.values()))[0] if sets else ""
    fn(first_doc[:1000])
    startup = time.perf_counter() - t0
    # Whatever the subject loads lazily (ftfy at the first suspicious line, a stage's tables
    # at the first token that calls for them) is start-up too: one untimed document of each
    # set loads it, and the per-token decisions it leaves are forgotten before each cold run.
    for docs in sets.values():
        if docs:
            fn(docs[0])
    result: dict[str, Any] = {"subject": args.worker, "startup_s": startup, "sets": {}}
    textfix_subject = args.worker.startswith(("preset:", "stage:", "layers:"))
    if textfix_subject:
        result["warm"] = {}
    for set_name, docs in sets.items():
        runs, done = [], docs
        for _ in range(1 if args.quick else args.repeat):
            if textfix_subject:
                clear_word_caches()  # every cold run starts with no per-token decision cached
            done_bytes, t = 0, time.perf_counter()
            for i, doc in enumerate(docs):
                fn(doc)
                done_bytes += len(doc.encode("utf-8"))
                if time.perf_counter() - t > args.budget:
                    done = docs[: i + 1]
                    break
            dt = time.perf_counter() - t
            runs.append(done_bytes / 1e6 / dt if dt else 0.0)
            if dt > args.budget:
                break
        result["sets"][set_name] = statistics.median(runs)
        if textfix_subject:
            result["warm"][set_name] = warm_rate(fn, done, 1 if args.quick else args.repeat)
    if args.cer:
        from textfix.metrics import ErrorCounts

        cer: dict[str, Any] = {}
        for fname, recs in gold_records(data, quick=args.quick).items():
            before, after, t, n = ErrorCounts(), ErrorCounts(), time.perf_counter(), 0
            step = max(1, args.sample_every)
            for ocr, gt in recs[::step]:
                before.add(ocr, gt, mode="dehyph")
                after.add(fn(ocr), gt, mode="dehyph")
                n += 1
                if time.perf_counter() - t > args.budget * 4:
                    break
            cer[fname] = {"records": n, "of": len(recs), "before": before.cer, "after": after.cer}
        result["cer"] = cer
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def clear_word_caches() -> None:
    """Forget the per-token decisions cached in this process (the next pass is cold)."""
    from textfix.stages import words

    words.clear_caches()


def warm_rate(fn: Callable[[str], str], docs: list[str], repeat: int) -> float:
    """MB/s of CPU time (one core) over ``docs`` again, with the per-token decisions of the
    pass just made kept: the steady state of a process that cleans many pages, where the
    same tokens recur. The median of ``repeat`` passes, each timed by ``time.process_time``
    (steadier than the wall clock on a shared machine)."""
    size = sum(len(d.encode("utf-8")) for d in docs)
    rates = []
    for _ in range(repeat):
        t = time.process_time()
        for doc in docs:
            fn(doc)
        dt = time.process_time() - t
        rates.append(size / 1e6 / dt if dt else 0.0)
    return statistics.median(rates)


# --- parent ---------------------------------------------------------------------------------


def measure(
    subject: str, args: argparse.Namespace, *, cer: bool, sample_every: int = 1
) -> dict[str, Any]:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        subject,
        "--data",
        str(args.data),
        "--repeat",
        str(args.repeat),
        "--budget",
        str(args.budget),
        "--sample-every",
        str(sample_every),
    ]
    if args.quick:
        cmd.append("--quick")
    if cer:
        cmd.append("--cer")
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1:] or ["no output"]
        return {"subject": subject, "error": tail[0]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def startup_times(repeat: int) -> dict[str, float]:
    code = (
        "import time; t=time.perf_counter(); import textfix; t1=time.perf_counter();"
        "textfix.clean('The ﬁrst tbe page'); t2=time.perf_counter();"
        "print(t1-t, t2-t)"
    )
    imports, firsts = [], []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        a, b = map(float, out.stdout.split())
        imports.append(a)
        firsts.append(b)
    return {"import_s": statistics.median(imports), "first_clean_s": statistics.median(firsts)}


def subjects() -> list[str]:
    from textfix import available_presets, load_preset

    names = [f"preset:{p}" for p in available_presets()]
    names.append("layers:characters+layout")
    names += [f"stage:{s.name}" for s in load_preset("default").stages]
    return names


def fmt_rate(x: float | None) -> str:
    return "—" if x is None else (f"{x:.3f}" if x < 1 else f"{x:.1f}")


def render(results: list[dict[str, Any]], start: dict[str, float], set_names: list[str]) -> str:
    from textfix import __version__, load_preset

    ref = next((r for r in results if r["subject"] == "preset:default"), None)
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} with textfix {__version__}, Python "
        f"{platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} cores; one process per subject, MB/s = MB of UTF-8 per second.",
        "",
        f"Default preset signature: `{load_preset('default').signature()}`",
        "",
        f"Start-up (fresh process, median): `import textfix` {start['import_s'] * 1000:.0f} ms; "
        f"first `clean()` including dictionary loading {start['first_clean_s']:.2f} s.",
        "",
        "| subject | "
        + " | ".join(f"{s} MB/s" for s in set_names)
        + f" | warm MB/s, CPU ({' / '.join(set_names)})"
        + " | × default (dev-ocr) | peak RSS MB | dehyph CER after (dev, all files) |",
        "|---|" + "---|" * (len(set_names) + 4),
    ]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['subject']} | failed: {r['error']} |")
            continue
        rates = [r["sets"].get(s) for s in set_names]
        ratio = "—"
        if ref and "error" not in ref and ref["sets"].get("dev-ocr") and r["sets"].get("dev-ocr"):
            ratio = f"{r['sets']['dev-ocr'] / ref['sets']['dev-ocr']:.3g}"
        cer = "—"
        if "cer" in r:
            rec = sum(v["records"] for v in r["cer"].values())
            of = sum(v["of"] for v in r["cer"].values())
            parts = ", ".join(
                f"{k.split('-', 1)[-1]} {v['before']:.2%}→{v['after']:.2%}"
                for k, v in r["cer"].items()
            )
            cer = parts + ("" if rec == of else f" ({rec} of {of} records)")
        warm = "—"
        if "warm" in r:
            warm = " / ".join(fmt_rate(r["warm"].get(s)) for s in set_names)
        lines.append(
            f"| {r['subject']} | "
            + " | ".join(fmt_rate(x) for x in rates)
            + f" | {warm} | {ratio} | {r['peak_rss_mb']:.0f} | {cer} |"
        )
    return "\n".join(lines)


def update_readme(table: str) -> None:
    text = README.read_text("utf-8") if README.is_file() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    README.write_text(f"{head}{BEGIN}\n{table}\n{END}{tail}", "utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=default_data(), help="the shared data folder")
    ap.add_argument("--quick", action="store_true", help="tiny inputs; checks the script runs")
    ap.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    ap.add_argument("--budget", type=float, default=20.0, help="seconds per set for slow subjects")
    ap.add_argument("--no-peers", action="store_true", help="measure textfix only")
    ap.add_argument("--subject", action="append", help="measure only these subjects")
    ap.add_argument(
        "--update-readme", action="store_true", help="write the table into benchmarks/README.md"
    )
    ap.add_argument("--json", type=Path, help="also write raw results to this file")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--cer", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--sample-every", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.data is None or not Path(args.data).is_dir():
        print("bench_speed: no data folder (../shared beside the checkout, or --data); skipping")
        return 0
    if args.quick:
        args.budget = min(args.budget, 2.0)
    if args.worker:
        run_worker(args)
        return 0
    set_names = list(load_sets(args.data, quick=True))
    names = args.subject or subjects() + ([] if args.no_peers else list(PEERS))
    results = []
    for name in names:
        with_cer = name.startswith(("preset:", "layers:")) or name in PEERS
        # The slow correctors are scored on every 10th record so the run stays in minutes.
        slow = name in {"pyspellchecker", "symspellpy.lookup_compound"}
        res = measure(
            name,
            args,
            cer=with_cer and not name.startswith("floor:"),
            sample_every=10 if slow and not args.quick else 1,
        )
        results.append(res)
        print(f"measured {name}", file=sys.stderr)
    table = render(results, startup_times(1 if args.quick else 3), set_names)
    print(table)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), "utf-8")
    if args.update_readme:
        update_readme(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
