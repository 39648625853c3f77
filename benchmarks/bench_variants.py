"""Precision and recall of variant discovery on the labelled pairs of the seed documents.

The seeds are read at run time from ``../shared/seeds`` beside the checkout (or
``$TEXTFIX_SHARED/seeds``, or ``--seeds DIR``); the script skips cleanly when they are absent.
``benchmarks/data/variant_labels.tsv`` holds our own yes/no labels for word pairs (no text).

A predicted pair is any two spellings put in one cluster. Precision is counted over the
predicted pairs that are labelled; predicted pairs without a label are listed so that they can
be annotated. Recall is over the pairs labelled "yes".

    python benchmarks/bench_variants.py [--seeds DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import sys
import time
from pathlib import Path

from textfix import __version__
from textfix.variants import discover

REPO = Path(__file__).resolve().parents[1]
LABELS = REPO / "benchmarks" / "data" / "variant_labels.tsv"


def find_seeds(arg: str | None) -> Path | None:
    candidates = [Path(arg)] if arg else []
    if os.environ.get("TEXTFIX_SHARED"):
        candidates.append(Path(os.environ["TEXTFIX_SHARED"]) / "seeds")
    candidates.append(REPO.parent / "shared" / "seeds")
    return next((c for c in candidates if c.is_dir() and any(c.glob("*.txt"))), None)


def load_labels(path: Path = LABELS) -> dict[tuple[str, str], bool]:
    labels: dict[tuple[str, str], bool] = {}
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        a, b, label = line.split("\t")[:3]
        labels[(min(a, b), max(a, b))] = label.strip() == "yes"
    return labels


def score(
    predicted: set[tuple[str, str]], labels: dict[tuple[str, str], bool]
) -> dict[str, object]:
    tp = sorted(p for p in predicted if labels.get(p) is True)
    fp = sorted(p for p in predicted if labels.get(p) is False)
    fn = sorted(p for p, yes in labels.items() if yes and p not in predicted)
    unlabelled = sorted(p for p in predicted if p not in labels)
    precision = len(tp) / (len(tp) + len(fp)) if tp or fp else 0.0
    recall = len(tp) / (len(tp) + len(fn)) if tp or fn else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "unlabelled": unlabelled,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", help="folder of seed .txt files")
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--verbose", action="store_true", help="list every error")
    args = ap.parse_args(argv)

    seeds = find_seeds(args.seeds)
    if seeds is None:
        print("bench_variants: seed documents not found; skipped")
        return 0
    docs = [(p.name, p.read_text("utf-8")) for p in sorted(seeds.glob("*.txt"))]
    labels = load_labels(args.labels)

    t0 = time.perf_counter()
    clusters = discover(docs)
    elapsed = time.perf_counter() - t0
    chars = sum(len(t) for _, t in docs)

    print(f"python {platform.python_version()} on {platform.platform()}; textfix {__version__}")
    print(f"{len(docs)} seed documents, {chars:,} characters; {len(labels)} labelled pairs")
    print(
        f"discovery: {len(clusters)} clusters in {elapsed:.2f} s ({chars / elapsed / 1e3:.0f} kB/s)"
    )
    print()
    print("| pairs | predicted | precision | recall | tp | fp | fn | unlabelled |")
    print("|---|---|---|---|---|---|---|---|")
    result = {}
    for subset in ("all", "names (transliteration)"):
        chosen = [c for c in clusters if subset == "all" or c.evidence.endswith("transliteration")]
        predicted = {
            (min(a, b), max(a, b))
            for c in chosen
            for a, b in itertools.combinations([f.text.lower() for f in c.forms], 2)
        }
        sub_labels = labels
        if subset != "all":
            table_pairs = {
                (min(a, b), max(a, b))
                for c in clusters
                if not c.evidence.endswith("transliteration")
                for a, b in itertools.combinations([f.text.lower() for f in c.forms], 2)
            }
            sub_labels = {p: v for p, v in labels.items() if p not in table_pairs}
        result = score(predicted, sub_labels)
        print(
            f"| {subset} | {len(predicted)} | {result['precision']:.1%} | {result['recall']:.1%} "
            f"| {len(result['tp'])} | {len(result['fp'])} | {len(result['fn'])} "  # type: ignore[arg-type]
            f"| {len(result['unlabelled'])} |"  # type: ignore[arg-type]
        )
        if args.verbose or subset == "all":
            for kind in ("fp", "fn", "unlabelled"):
                items = result[kind]
                if items:
                    shown = ", ".join(f"{a}/{b}" for a, b in items)  # type: ignore[union-attr]
                    print(f"  {kind}: {shown}", file=sys.stderr)
    stage_speed("".join(t for _, t in docs))
    return 0


def stage_speed(text: str, repeat: int = 3) -> None:
    """Throughput of the stage against a plain split-and-look-up loop over the same table."""
    from textfix.stages.variants import NormalizeVariants, variant_table

    table = variant_table("en-US")
    stage = NormalizeVariants(to="en-US", archaic=True)
    list(stage.edits(text))  # load the tables once

    def best(fn: object) -> float:
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn()  # type: ignore[operator]
            times.append(time.perf_counter() - t0)
        return min(times)

    t_stage = best(lambda: list(stage.edits(text)))
    t_base = best(lambda: [table.get(w.lower()) for w in text.split()])
    mb = len(text.encode("utf-8")) / 1e6
    print()
    print("| what | MB/s | ratio to split+lookup |")
    print("|---|---|---|")
    print(
        f"| normalize_variants(to=en-US, archaic) | {mb / t_stage:.1f} | {t_base / t_stage:.2f} |"
    )
    print(f"| str.split + dict lookup | {mb / t_base:.1f} | 1.00 |")


if __name__ == "__main__":
    raise SystemExit(main())
