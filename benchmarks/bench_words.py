"""Speed and quality of the word-level stages.

Usage (from the repository root):

    python benchmarks/bench_words.py [--quick] [--shared DIR]

Prints, with the platform, the Python version and the pipeline signature:

1. speed (MB/s, one core) of the default preset and of each word stage alone, on the OCR
   side of the shared corpora (real OCR) and on the clean seeds; the first call, which loads
   the lexicon and builds the SymSpell index, is timed apart ("load");
2. noise injection: clean seed text corrupted by the learned confusion model (fixed seed),
   CER against the clean text before and after cleaning — it should go down;
3. held-out quality: CER reduction of the default preset on the records of each corpus file
   whose id hashes to the *held-out* half (see scripts/build_confusions.py --half learn).

With ``--stage-cpu N`` it prints instead the CPU time of each stage of the default preset
over the OCR of the dev records, cold (the per-token caches of the word stages cleared, the
dictionaries and indexes already loaded), the smallest of N passes: the figure of "Cold cost
of a new unknown token" in benchmarks/README.md. CPU time, not wall time, because the
machine is shared; compare figures of one run, or runs made back to back.

Timings are figures to read, never assertions (CI runs this with --quick on tiny input).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from textfix.channel import load_confusions
from textfix.evaluate import evaluate, format_table
from textfix.metrics import normalize_for_scoring
from textfix.pipeline import Pipeline, load_preset
from textfix.registry import get_stage

REPO = Path(__file__).resolve().parents[1]
WORD_STAGES = (
    "fix_glued_punctuation",
    "join_broken_words",
    "fix_ocr_words",
    "fix_real_word_errors",
    "fix_context_words",
)


def clear_word_caches() -> None:
    """Forget the per-token decisions of the word stages, so the next run is cold."""
    from textfix.stages import realwords, words

    words.clear_caches()
    realwords.clear_caches()


def mb_per_s(fn, docs: list[str], repeat: int = 1) -> float:
    size = sum(len(d.encode("utf-8")) for d in docs) * repeat
    t0 = time.perf_counter()
    for _ in range(repeat):
        for d in docs:
            fn(d)
    return size / 1e6 / (time.perf_counter() - t0)


def inject_noise(text: str, rng: random.Random, rate: float = 0.03) -> str:
    """Corrupt ``text`` with substitutions drawn from the learned confusion table."""
    model = load_confusions("en/ocr_confusions")
    by_gt: dict[str, list[tuple[str, float]]] = {}
    for (g, o), lp in model.logp.items():
        if g and g.isalpha() and len(g) <= 2:
            by_gt.setdefault(g, []).append((o, 10**lp))
    out = []
    i = 0
    while i < len(text):
        done = False
        if text[i].isalpha() and rng.random() < rate:
            for n in (2, 1):
                opts = by_gt.get(text[i : i + n])
                if opts:
                    o = rng.choices([o for o, _ in opts], [p for _, p in opts])[0]
                    out.append(o)
                    i += n
                    done = True
                    break
        if not done:
            out.append(text[i])
            i += 1
    return "".join(out)


def stage_cpu(pipe: Pipeline, docs: list[str], rounds: int) -> None:
    """Print the cold CPU seconds of each stage over ``docs`` (best of ``rounds`` passes)."""
    from textfix.edits import splice
    from textfix.pipeline import _stage_edits

    # Load the dictionaries and build every index first: the cold cost of tokens is timed.
    pipe("Tbe kingwas in tbe garden. Caf6 society was tliere, bhnded perso nally tho end.")
    from textfix.stages import words

    words._edit_candidates(words.FixOcrWords(), "bhnded")
    # A stage may run more than once in a preset: label each run by its position.
    labels: list[str] = []
    for stage in pipe.stages:
        runs = sum(1 for label in labels if label.split(" ")[0] == stage.name)
        labels.append(stage.name if not runs else f"{stage.name} (run {runs + 1})")
    best: dict[str, float] = {}
    for _ in range(rounds):
        clear_word_caches()
        spent = dict.fromkeys(labels, 0.0)
        for text in docs:
            for label, stage in zip(labels, pipe.stages, strict=True):
                t0 = time.process_time()
                edits = _stage_edits(stage, text)
                spent[label] += time.process_time() - t0
                if edits:
                    text = splice(text, edits)
        for name, t in spent.items():
            best[name] = min(best.get(name, t), t)
    size = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    total = sum(best.values())
    print(f"\n{len(docs)} documents, {size:.2f} MB; cold CPU seconds, best of {rounds}")
    print("\n| stage | CPU s | MB/s |\n|---|---|---|")
    for name, t in sorted(best.items(), key=lambda kv: -kv[1]):
        if t >= 0.1 * total / len(best):
            print(f"| {name} | {t:.2f} | {size / t:.2f} |" if t else f"| {name} | 0 | — |")
    print(f"| default preset | {total:.2f} | {size / total:.2f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--shared", default=os.environ.get("TEXTFIX_SHARED", str(REPO.parent / "shared"))
    )
    ap.add_argument("--quick", action="store_true", help="tiny input, for CI")
    ap.add_argument(
        "--tables",
        help="folder with ocr_confusions.tsv and real_word_pairs.tsv to use instead of the "
        "shipped ones, e.g. learned on the learning half only "
        "(python scripts/build_confusions.py --half learn -o DIR/ocr_confusions.tsv)",
    )
    ap.add_argument(
        "--stage-cpu",
        type=int,
        default=0,
        metavar="N",
        help="only print the cold CPU time of each stage of the default preset (best of N)",
    )
    args = ap.parse_args()
    shared = Path(args.shared)
    pipe = load_preset("default")
    if args.tables:
        tables = Path(args.tables)
        pipe = pipe.replace_stage(
            "fix_ocr_words",
            confusions=str(tables / "ocr_confusions.tsv"),
            misreadings=str(tables / "real_word_pairs.tsv"),
        )
        pipe = pipe.replace_stage("fix_real_word_errors", pairs=str(tables / "real_word_pairs.tsv"))
        if any(s.name == "fix_context_words" for s in pipe.stages):
            pipe = pipe.replace_stage(
                "fix_context_words", confusions=str(tables / "ocr_confusions.tsv")
            )
    print(f"python {sys.version.split()[0]} on {platform.platform()}")
    print(f"signature: {pipe.signature()}")

    corpora = sorted((shared / "corpora" / "dev").glob("*.jsonl"))
    ocr_docs = [json.loads(line)["ocr"] for f in corpora for line in f.open(encoding="utf-8")]
    seeds = [
        p.read_text(encoding="utf-8") for p in sorted((shared / "seeds").glob("00[023]_*.txt"))
    ]
    if args.quick or not ocr_docs:
        ocr_docs = (ocr_docs or ["Tbe kingwas glad hereof,and caUed tho court."])[:5]
        seeds = (seeds or ["A clean sentence, with nothing to fix."])[:1]

    if args.stage_cpu:
        stage_cpu(pipe, ocr_docs, args.stage_cpu)
        return

    t0 = time.perf_counter()
    pipe("Tbe kingwas glad.")
    print(f"load (lexicon, confusions, SymSpell index): {time.perf_counter() - t0:.1f} s")
    print("\n| what | real OCR MB/s | clean seeds MB/s |\n|---|---|---|")
    print(f"| default preset | {mb_per_s(pipe, ocr_docs):.2f} | {mb_per_s(pipe, seeds):.2f} |")
    # Same text again: every token decision is now cached (as for a repeated vocabulary).
    print(
        f"| default preset, 2nd pass | {mb_per_s(pipe, ocr_docs):.2f} "
        f"| {mb_per_s(pipe, seeds):.2f} |"
    )
    for name in WORD_STAGES:
        # A word stage outside the default preset (fix_context_words: preset thorough) is
        # timed with its default settings.
        one = Pipeline(tuple(s for s in pipe.stages if s.name == name) or (get_stage(name),))
        cold, warm = [], []
        for docs in (ocr_docs, seeds):
            clear_word_caches()
            cold.append(f"{mb_per_s(one, docs):.2f}")
            warm.append(f"{mb_per_s(one, docs):.2f}")  # the same text again: cached decisions
        print(f"| {name} alone, cold | {cold[0]} | {cold[1]} |")
        print(f"| {name} alone, warm | {warm[0]} | {warm[1]} |")

    rng = random.Random(1234)
    before = after = chars = 0
    for seed in seeds:
        for para in [p for p in seed.split("\n\n") if len(p) > 200][:200]:
            noisy = inject_noise(para, rng)
            ref = normalize_for_scoring(para)
            before += Levenshtein.distance(normalize_for_scoring(noisy), ref)
            after += Levenshtein.distance(normalize_for_scoring(pipe(noisy)), ref)
            chars += len(ref)
    if chars:
        red = (before - after) / before if before else 0.0
        print(
            f"\nnoise injection (learned confusions, 3% of letters): CER {before / chars:.2%} "
            f"-> {after / chars:.2%} ({red:+.1%} reduction)"
        )

    if corpora and not args.quick:
        tmp_files = []
        tmpdir = Path(tempfile.mkdtemp(prefix="textfix-heldout-"))
        for f in corpora:
            rows = [
                line
                for line in f.open(encoding="utf-8")
                if hashlib.sha1(json.loads(line).get("id", "").encode()).digest()[0] % 2 == 1
            ]
            out = tmpdir / f.name
            out.write_text("".join(rows), encoding="utf-8")
            tmp_files.append(out)
        res, _ = evaluate(tmp_files, pipe, by_source=False)
        print("\nheld-out half of each file (ids hashing odd):")
        print(format_table(res))
        for p in tmp_files:
            p.unlink()
        tmpdir.rmdir()


if __name__ == "__main__":
    main()
