"""What kind of error remains after cleaning? A breakdown of the CER by error kind.

Usage (from the repository root):

    python benchmarks/error_kinds.py [--preset default] [--raw] [FILE.jsonl ...]

By default the shared corpora in ``../shared/corpora/dev`` (or ``$TEXTFIX_SHARED``) are read.
Hypothesis and ground truth are normalized as the "dehyph" metric does, aligned word by word,
and every differing stretch is charged (its character edit distance) to one kind:

- ``layout``: hyphen/line-break joins and words the OCR has in excess or lacks (page
  furniture, lost lines) — stretches whose token counts differ and are not split/merge;
- ``split/merge``: one token against several whose letters are the same (or nearly);
- ``real-word``: a known word (Zipf >= 3) that should be another word;
- ``char``: a non-word or rare token that should be a word (character confusions);
- ``punct/case``: only punctuation or letter case differs;
- ``number``: both sides hold digits.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from textfix.lexicon import load_lexicon
from textfix.metrics import dehyphenate_for_scoring
from textfix.pipeline import load_preset

REPO = Path(__file__).resolve().parents[1]
_CORE = re.compile(r"^\W*(.*?)\W*$")
KINDS = ("char", "real-word", "split/merge", "layout", "punct/case", "number")


def _core(t: str) -> str:
    m = _CORE.match(t)
    return m.group(1) if m else t


def stretches(h: list[str], g: list[str]) -> list[list[int]]:
    """The changed stretches of a word alignment ``[h0, h1, g0, g1]``; neighbouring changed
    stretches form one ("kingwas" vs "king" + "was")."""
    out: list[list[int]] = []
    for op in Levenshtein.opcodes(h, g):
        if op.tag == "equal":
            continue
        if out and out[-1][1] == op.src_start and out[-1][3] == op.dest_start:
            out[-1][1], out[-1][3] = op.src_end, op.dest_end
        else:
            out.append([op.src_start, op.src_end, op.dest_start, op.dest_end])
    return out


def corpus_files(files: list[str]) -> list[str]:
    """``files``, or else the gold JSONL files of ``../shared/corpora/dev`` (or
    ``$TEXTFIX_SHARED``); exits with a message when there are none."""
    shared = Path(os.environ.get("TEXTFIX_SHARED", REPO.parent / "shared"))
    files = files or sorted(str(p) for p in (shared / "corpora" / "dev").glob("*.jsonl"))
    if not files:
        raise SystemExit("no corpora found; pass JSONL files or set TEXTFIX_SHARED")
    return files


def classify(hyp: str, gt: str, lex, counts: collections.Counter) -> None:
    h, g = hyp.split(), gt.split()
    for s0, s1, d0, d1 in stretches(h, g):
        hs, gs = h[s0:s1], g[d0:d1]
        if len(hs) == len(gs):
            for a, b in zip(hs, gs, strict=True):
                d = Levenshtein.distance(a, b)
                ca, cb = _core(a), _core(b)
                if ca == cb or ca.lower() == cb.lower():
                    kind = "punct/case"
                elif re.search(r"\d", ca) and re.search(r"\d", cb):
                    kind = "number"
                elif lex.zipf(ca) >= 3.0 and ca.isalpha():
                    kind = "real-word"
                else:
                    kind = "char"
                counts[kind] += d
            continue
        d = Levenshtein.distance(" ".join(hs), " ".join(gs))
        joined_h = re.sub(r"\W", "", "".join(hs)).lower()
        joined_g = re.sub(r"\W", "", "".join(gs)).lower()
        if hs and gs and Levenshtein.distance(joined_h, joined_g) <= max(1, len(joined_g) // 6):
            counts["split/merge"] += d
        else:
            counts["layout"] += d


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("files", nargs="*")
    ap.add_argument("--preset", default="default")
    ap.add_argument("--raw", action="store_true", help="break down the raw OCR instead")
    args = ap.parse_args()
    files = corpus_files(args.files)
    pipe = load_preset(args.preset)
    lex = load_lexicon("en")
    print(f"signature: {pipe.signature()}  ({'raw OCR' if args.raw else 'after cleaning'})")
    print("| file | CER | " + " | ".join(KINDS) + " |")
    print("|---|---|" + "---|" * len(KINDS))
    for f in files:
        counts: collections.Counter = collections.Counter()
        total = errors = 0
        with Path(f).open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                hyp = rec["ocr"] if args.raw else pipe(rec["ocr"])
                h, g = dehyphenate_for_scoring(hyp), dehyphenate_for_scoring(rec["gt"])
                total += len(g)
                errors += Levenshtein.distance(h, g)
                classify(h, g, lex, counts)
        share = sum(counts.values()) or 1
        cells = " | ".join(f"{counts[k] / share:.0%}" for k in KINDS)
        print(f"| {Path(f).name} | {errors / total:.2%} | {cells} |")


if __name__ == "__main__":
    main()
