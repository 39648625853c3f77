"""Rebuild dictionaries/en/ocr_confusions.tsv from the shared evaluation corpora.

Usage (from the repository root):

    python scripts/build_confusions.py [--shared DIR] [--half learn|all] [-o PATH]

The corpora are read from ``../shared/corpora/dev`` (or ``$TEXTFIX_SHARED/corpora/dev``).
``--half learn`` uses only the records whose id hashes to the learning half, so that the other
half can be used to measure without overfitting (see docs/words.md).
"""

from __future__ import annotations

import argparse
import hashlib
import os
from pathlib import Path

from textfix.channel import (
    _read_jsonl,
    learn_confusions,
    learn_real_word_pairs,
    word_pairs,
    write_confusions,
)
from textfix.lexicon import load_lexicon

REPO = Path(__file__).resolve().parents[1]


def in_learning_half(rec_id: str) -> bool:
    """Whether a record belongs to the learning half (stable hash of its id)."""
    return hashlib.sha1(rec_id.encode()).digest()[0] % 2 == 0


# Confusions that real OCR makes but that the learning corpora (English, mostly ASCII) rarely
# show: digits and glyphs read for accented letters, and "~" / "^" printed for a damaged
# letter. They enter the table with a modest probability unless the data taught a better one.
PRIORS = [("é", "6"), ("b", "6"), ("è", "&"), ("é", "&")]
PRIOR_LOG10P = -2.0
DAMAGED = "~^"
DAMAGED_LOG10P = -2.5


def add_priors(table):
    for g, o in PRIORS:
        table.setdefault((g, o), (0, 0, PRIOR_LOG10P))
    for o in DAMAGED:
        for g in "abcdefghijklmnopqrstuvwxyz":
            table.setdefault((g, o), (0, 0, DAMAGED_LOG10P))
    return table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--shared", default=os.environ.get("TEXTFIX_SHARED", str(REPO.parent / "shared"))
    )
    ap.add_argument("--half", choices=["learn", "all"], default="all")
    ap.add_argument("-o", "--output", default=str(REPO / "dictionaries/en/ocr_confusions.tsv"))
    args = ap.parse_args()
    files = sorted((Path(args.shared) / "corpora" / "dev").glob("*.jsonl"))
    if not files:
        raise SystemExit(f"no corpora under {args.shared}/corpora/dev")
    recs = [r for f in files for r in _read_jsonl(str(f))]
    if args.half == "learn":
        recs = [r for r in recs if in_learning_half(str(r.get("id", "")))]
    table = add_priors(learn_confusions(word_pairs(recs)))
    write_confusions(
        table,
        args.output,
        header=[
            "OCR confusions (gt -> ocr) learned from aligned OCR/ground-truth word pairs.",
            "source: ICDAR 2017 post-OCR eng_monograph + eng_periodical, Overproof datasets 2 + 3"
            f" ({len(recs)} records, {'learning half' if args.half == 'learn' else 'all'});"
            " derived statistics only, no text.",
            "license: derived counts; see dictionaries/README.md",
            "rebuild: python scripts/build_confusions.py",
        ],
    )
    print(f"wrote {len(table)} confusions to {args.output}")
    lex = load_lexicon("en")
    pairs = learn_real_word_pairs(word_pairs(recs), lambda w: lex.zipf(w) >= 3.0)
    out = Path(args.output).with_name(
        Path(args.output).name.replace("ocr_confusions", "real_word_pairs")
    )
    write_confusions(
        pairs,
        out,
        header=[
            "Real-word OCR errors (ocr word -> intended word) learned from aligned word pairs;",
            "count = times seen as that error, gt_count column = times the OCR word was seen.",
            f"source: the same {len(recs)} records; derived statistics only, no text.",
            "rebuild: python scripts/build_confusions.py",
        ],
    )
    print(f"wrote {len(pairs)} real-word pairs to {out}")


if __name__ == "__main__":
    main()
