"""Speed of each character, noise, layout and amount stage, as it runs inside the default preset.

    python benchmarks/bench_layers.py                       # this checkout, per stage and set
    python benchmarks/bench_layers.py --before REV          # A/B against git revision REV
    python benchmarks/bench_layers.py --before REV --check  # also: same edits as REV?
    python benchmarks/bench_layers.py --quick               # tiny inputs: checks the script works
    python benchmarks/bench_layers.py --before REV --instructions  # counts, not times (valgrind)

Each stage is timed on the text it receives inside the default preset (the output of the
stages before it), CPU time (``time.process_time``), best of ``--repeat`` passes over each set;
MB of UTF-8 per second. ``characters+layout`` is the sum over the stages of the modules
``unicode`` and ``layout`` (the ``layers:characters+layout`` subject of ``bench_speed.py``);
``+noise+amounts`` adds ``remove_noise_runs`` and ``fix_amount_digits``.

With ``--before REV`` the source of REV is exported (``git archive``) into a temporary folder and
the two versions run in alternating subprocesses (``--rounds`` rounds each), so both see the
same load of a shared machine. With ``--check`` every stage's edits (start, end, replacement,
rule, confidence) are compared between the two versions on every input of the sets, the gold
side of the dev corpora, the behaviour cases of ``tests/cases`` and seeded random strings, and
the streamed output of the layers on random documents with small windows.

With ``--instructions`` each version runs once under valgrind's callgrind instead, and the
table gives the machine instructions each stage executes on each set (one pass, after a warm-up
pass; ``PYTHONHASHSEED=0``). The counts repeat to within about 0.5% from run to run and do not
depend on the load of the machine, so a change of a few per cent can be seen on a shared
machine where CPU times swing by 30%; they are a proxy for time (memory stalls are not
counted), so report times too. A run takes a few minutes (callgrind is about 50 times slower).

Text sets (read at run time from ``../shared`` beside the checkout, or ``TEXTFIX_SHARED``):
  ocr-seed   the raw OCR seed document (``seeds/004_*.txt``)
  dev-ocr    the OCR side of every record of ``corpora/dev/*.jsonl``
  clean      the three clean seed documents (``seeds/00[023]_*.txt``)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import random
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
MODULES = ("unicode", "noise", "layout", "amounts")
CORE = ("unicode", "layout")
SETS = ("ocr-seed", "dev-ocr", "clean")
PIPELINE = "characters+layout as a pipeline"


def data_dir() -> Path | None:
    env = os.environ.get("TEXTFIX_SHARED")
    for cand in ([Path(env)] if env else []) + [REPO.parent / "shared"]:
        if (cand / "corpora").is_dir() or (cand / "seeds").is_dir():
            return cand
    return None


def load_sets(data: Path, *, gold: bool = False, quick: bool = False) -> dict[str, list[str]]:
    seeds = data / "seeds"
    sets = {
        "ocr-seed": [p.read_text("utf-8") for p in sorted(seeds.glob("004_*.txt"))],
        "clean": [p.read_text("utf-8") for p in sorted(seeds.glob("00[023]_*.txt"))],
    }
    records = [
        json.loads(line)
        for f in sorted((data / "corpora" / "dev").glob("*.jsonl"))
        for line in f.read_text("utf-8").splitlines()
        if line.strip()
    ]
    sets["dev-ocr"] = [r["ocr"] for r in records]
    if gold:
        sets["dev-gold"] = [r["gold"] for r in records if isinstance(r.get("gold"), str)]
    if quick:
        sets = {k: [d[:3000] for d in v[:5]] for k, v in sets.items()}
    return sets


def layer_stages() -> list[Any]:
    from textfix import load_preset

    # A stage that the preset runs twice (fix_glued_glyphs) is timed once, at its first place.
    out, seen = [], set()
    for s in load_preset("default").stages:
        if type(s).__module__.rsplit(".", 1)[-1] in MODULES and s.name not in seen:
            seen.add(s.name)
            out.append(s)
    return out


def stage_inputs(stages: list[Any], docs: list[str]) -> list[list[str]]:
    """Return, per stage, the texts it receives inside the pipeline."""
    from textfix import Pipeline

    inputs: list[list[str]] = []
    texts = docs
    for s in stages:
        inputs.append(texts)
        texts = [Pipeline((s,))(t) for t in texts]
    return inputs


# --- worker modes (run in a subprocess with the version under test first on sys.path) -------


def time_worker(repeat: int, *, quick: bool = False) -> dict[str, Any]:
    data = data_dir()
    assert data is not None
    sets = load_sets(data, quick=quick)
    stages = layer_stages()
    out: dict[str, Any] = {}
    for set_name in SETS:
        docs = sets[set_name]
        inputs = stage_inputs(stages, docs)
        for s, texts in zip(stages, inputs, strict=True):
            mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
            best = float("inf")
            for _ in range(repeat):
                t0 = time.process_time()
                for t in texts:
                    list(s.edits(t))
                best = min(best, time.process_time() - t0)
            out[f"{set_name}|{s.name}|{type(s).__module__.rsplit('.', 1)[-1]}"] = (mb, best)
    return out


def count_worker(*, quick: bool = False) -> list[str]:
    """Run each stage once on each set between two markers, for callgrind (``--instructions``).

    The marker is a call of ``os.getppid``, before which callgrind dumps its counts (its
    ``--dump-before`` option): the n-th dump after the first holds the n-th label returned.
    """
    from textfix import Pipeline

    data = data_dir()
    assert data is not None
    sets = load_sets(data, quick=quick)
    stages = layer_stages()
    plan: list[tuple[str, float, Any, list[str]]] = []
    for set_name in SETS:
        inputs = stage_inputs(stages, sets[set_name])
        for s, texts in zip(stages, inputs, strict=True):
            mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
            key = f"{set_name}|{s.name}|{type(s).__module__.rsplit('.', 1)[-1]}"
            plan.append((key, mb, s, texts))
        # The characters+layout layers as one pipeline, edits applied between the stages
        # (what the ``layers:characters+layout`` subject of bench_speed.py runs).
        layers = Pipeline(tuple(s for s in stages if type(s).__module__.rsplit(".", 1)[-1] in CORE))
        plan.append((f"{set_name}|{PIPELINE}|pipeline", plan[-len(stages)][1], layers, inputs[0]))
    for _key, _mb, s, texts in plan:  # warm-up: lexicon, caches, lazy imports
        _run(s, texts)
    os.getppid()
    labels = []
    for key, mb, s, texts in plan:
        _run(s, texts)
        os.getppid()
        labels.append(f"{key}|{mb}")
    return labels


def _run(subject: Any, texts: list[str]) -> None:
    from textfix import Pipeline

    if isinstance(subject, Pipeline):
        for t in texts:
            subject(t)
    else:
        for t in texts:
            list(subject.edits(t))


def count_instructions(src: Path, quick: bool, out: Path) -> dict[str, tuple[float, float]]:
    """Return ``{set|stage|module: (MB, instructions)}`` for the version in ``src``; the dumps
    of callgrind go to the new folder ``out``."""
    out.mkdir()
    env = dict(os.environ, PYTHONPATH=str(src), PYTHONHASHSEED="0")
    cmd = [
        "valgrind",
        "--tool=callgrind",
        "--dump-before=os_getppid*",
        f"--callgrind-out-file={out / 'cg.out'}",
        sys.executable,
        __file__,
        "--worker",
        "count",
        "0",
        str(int(quick)),
    ]
    proc = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    labels = json.loads(proc.stdout.strip().splitlines()[-1])
    dumps = sorted(out.glob("cg.out.*"), key=lambda p: int(p.suffix[1:]))
    totals = []
    for dump in dumps:
        for line in dump.read_text().splitlines():
            if line.startswith("totals:"):
                totals.append(float(line.split()[1]))
                break
    # dump 1 holds the start-up and the warm-up; dump k + 1 the k-th labelled phase
    result = {}
    for label, count in zip(labels, totals[1:], strict=False):
        key, mb = label.rsplit("|", 1)
        result[key] = (float(mb), count)
    return result


def instruction_table(results: dict[str, dict[str, tuple[float, float]]]) -> None:
    labels = list(results)
    keys = list(next(iter(results.values())))
    stages = [n for n in dict.fromkeys(k.split("|")[1] for k in keys) if n != PIPELINE]
    module = {k.split("|")[1]: k.split("|")[2] for k in keys}

    def cell(set_name: str, names: list[str]) -> str:
        counts = [
            sum(results[lb][f"{set_name}|{n}|{module[n]}"][1] for n in names) for lb in labels
        ]
        text = " → ".join(f"{c / 1e6:.1f}" for c in counts)
        if len(counts) == 2 and counts[0]:
            text += f" ({(counts[1] - counts[0]) / counts[0] * 100:+.0f}%)"
        return text

    arrow = " → ".join(labels)
    print("millions of instructions (callgrind), one pass of each stage over each set")
    print(f"| stage | {' | '.join(f'{s} {arrow}' for s in SETS)} |")
    print("|---|" + "---|" * len(SETS))
    for name in stages:
        print(f"| {name} | {' | '.join(cell(s, [name]) for s in SETS)} |")
    core = [n for n in stages if module[n] in CORE]
    for title, names in (("characters+layout", core), ("+noise+amounts", stages)):
        print(f"| **{title}** | {' | '.join(cell(s, names) for s in SETS)} |")
    print(f"| **{PIPELINE}** | {' | '.join(cell(s, [PIPELINE]) for s in SETS)} |")


def fuzz_texts(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    alphabet = (
        "aaaeeiioouu tnrsldhcmwygpbfvk TNRSAEIO"
        "\n\n\n\n\n   -----¬\u00ad\u2010\u2011—–.,;:!?'\"()[]{}|/*~«»0123456789 12 xiv"
        "\t\f\r\u00a0ﬁéÃ©Â\x85\x0c€œ"
    )
    words = (
        "the of and government con- dele- gation rail- way co-operate Page 12 - 14 - "
        "CHAPTER THE HISTORY OF ZORBRANT. 23 (a) xiv £ 1,0O0 l8s6 $ 5O ... ____ ~~~ "
        "Ameri- can social-demo¬ cratic Mont-le- Grand ab- cd- ef Is. 6d. 3s Gd. £5 £ 12s, Os. "
        "ls. 1d"
    ).split()
    texts = []
    for i in range(n):
        if i % 2:
            k = rng.randint(0, 300)
            texts.append("".join(rng.choice(alphabet) for _ in range(k)))
        else:
            parts = []
            for _ in range(rng.randint(0, 120)):
                parts.append(rng.choice(words))
                parts.append(rng.choice((" ", " ", " ", "\n", "\n\n", "-\n", "¬\n", "\n\f\n")))
            texts.append("".join(parts))
    return texts


def check_worker(fuzz: int, *, quick: bool = False) -> str:
    """Return a file holding every stage's edits on every check input (a pickle)."""
    from textfix import Pipeline
    from textfix.stream import iter_clean

    data = data_dir()
    assert data is not None
    sets = load_sets(data, gold=True, quick=quick)
    cases = []
    for path in sorted((REPO / "tests" / "cases").glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                cases.append(json.loads(line)["input"])
    sets["cases"] = cases
    sets["fuzz"] = fuzz_texts(fuzz)
    stages = layer_stages()
    result: dict[str, Any] = {}
    for set_name, docs in sets.items():
        # each stage on its pipeline input, and each stage alone on the raw input
        for mode, inputs in (
            ("pipe", stage_inputs(stages, docs)),
            ("alone", [docs] * len(stages)),
        ):
            for s, texts in zip(stages, inputs, strict=True):
                result[f"{set_name}|{mode}|{s.name}"] = [
                    [(e.start, e.end, e.replacement, e.rule, e.confidence) for e in s.edits(t)]
                    for t in texts
                ]
    pipe = Pipeline(tuple(stages), "layers")
    stream_docs = fuzz_texts(max(fuzz // 10, 1), seed=11)
    result["stream"] = [
        "".join(iter_clean(pipe, [d], chunk_chars=chunk)) for d in stream_docs for chunk in (17, 64)
    ]
    result["stream-whole"] = [pipe(d) for d in stream_docs]
    fd, name = tempfile.mkstemp(suffix=".pickle")
    with os.fdopen(fd, "wb") as f:
        pickle.dump(result, f)
    return name


# --- driver ---------------------------------------------------------------------------------


def run_worker(src: Path, args: list[str]) -> Any:
    env = dict(os.environ, PYTHONPATH=str(src))
    out = subprocess.run(
        [sys.executable, __file__, "--worker", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def export(rev: str, dest: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", rev, "src", "dictionaries"],
        check=True,
        capture_output=True,
    ).stdout
    path = dest / "src.tar"
    path.write_bytes(archive)
    with tarfile.open(path) as tar:
        tar.extractall(dest, filter="data")
    return dest / "src"


def compare(before: Path, after: Path, fuzz: int, *, quick: bool = False) -> bool:
    files = [run_worker(src, ["check", str(fuzz), str(int(quick))]) for src in (before, after)]
    old, new = (pickle.loads(Path(f).read_bytes()) for f in files)
    for f in files:
        Path(f).unlink()
    same = True
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        if a != b:
            same = False
            n = sum(x != y for x, y in zip(a or [], b or [], strict=False))
            print(f"DIFFER {key}: {n} inputs")
    digest = hashlib.sha256(pickle.dumps(sorted(new.items()))).hexdigest()[:12]
    n_inputs = sum(len(v) for v in new.values())
    print(f"edits compared on {n_inputs} stage inputs: {'same' if same else 'DIFFERENT'}")
    print(f"(digest {digest})")
    return same


def table(results: dict[str, list[dict[str, Any]]]) -> None:
    labels = list(results)
    best: dict[str, dict[str, tuple[float, float]]] = {}
    for label, runs in results.items():
        best[label] = {}
        for run in runs:
            for key, (mb, sec) in run.items():
                old = best[label].get(key)
                if old is None or sec < old[1]:
                    best[label][key] = (mb, sec)
    keys = list(next(iter(best.values())))
    stages = list(dict.fromkeys(k.split("|")[1] for k in keys))
    module = {k.split("|")[1]: k.split("|")[2] for k in keys}

    def rate(label: str, set_name: str, names: list[str]) -> str:
        secs = sum(best[label][f"{set_name}|{n}|{module[n]}"][1] for n in names)
        mb = best[label][f"{set_name}|{names[0]}|{module[names[0]]}"][0]
        return f"{mb / secs:.1f}" if secs else "inf"

    arrow = " → ".join(labels)
    print(f"| stage | {' | '.join(f'{s} {arrow}' for s in SETS)} |")
    print("|---|" + "---|" * len(SETS))
    for name in stages:
        cells = [" → ".join(rate(lb, s, [name]) for lb in labels) for s in SETS]
        print(f"| {name} | {' | '.join(cells)} |")
    core = [n for n in stages if module[n] in CORE]
    for title, names in (("characters+layout", core), ("+noise+amounts", stages)):
        cells = []
        for s in SETS:
            # the set's size is the input of the first stage
            secs = {lb: sum(best[lb][f"{s}|{n}|{module[n]}"][1] for n in names) for lb in labels}
            mb = best[labels[0]][f"{s}|{stages[0]}|{module[stages[0]]}"][0]
            cells.append(" → ".join(f"{mb / secs[lb]:.1f}" for lb in labels))
        print(f"| **{title}** | {' | '.join(cells)} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", metavar="REV", help="git revision to compare with")
    parser.add_argument("--check", action="store_true", help="compare edits with --before")
    parser.add_argument("--repeat", type=int, default=3, help="passes per set and round")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per version")
    parser.add_argument("--fuzz", type=int, default=3000, help="random strings for --check")
    parser.add_argument("--quick", action="store_true", help="tiny inputs; checks the script")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions under valgrind instead"
    )
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        mode, number, quick = args.worker[0], int(args.worker[1]), args.worker[2] == "1"
        if mode == "time":
            print(json.dumps(time_worker(number, quick=quick)))
        elif mode == "count":
            print(json.dumps(count_worker(quick=quick)))
        else:
            print(json.dumps(check_worker(number, quick=quick)))
        return 0
    if args.quick:
        args.repeat, args.rounds, args.fuzz = 1, 1, min(args.fuzz, 50)
    if data_dir() is None:
        print("no data: set TEXTFIX_SHARED or put shared/ beside the checkout")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        versions = {"after": REPO / "src"}
        if args.before:
            versions = {"before": export(args.before, Path(tmp)), **versions}
        if args.check:
            if not args.before:
                parser.error("--check needs --before")
            if not compare(versions["before"], versions["after"], args.fuzz, quick=args.quick):
                return 1
        if args.instructions:
            if shutil.which("valgrind") is None:
                print("--instructions needs valgrind on the PATH")
                return 1
            counts = {
                label: count_instructions(src, args.quick, Path(tmp) / f"callgrind-{label}")
                for label, src in versions.items()
            }
            instruction_table(counts)
            return 0
        results: dict[str, list[dict[str, Any]]] = {label: [] for label in versions}
        for _ in range(args.rounds):
            for label, src in versions.items():
                worker = ["time", str(args.repeat), str(int(args.quick))]
                results[label].append(run_worker(src, worker))
    print(
        f"MB/s, CPU time, best of {args.repeat} passes x {args.rounds} rounds; "
        f"load {os.getloadavg()[0]:.1f}"
    )
    table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
