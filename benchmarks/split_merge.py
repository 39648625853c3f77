"""Which split/merge errors remain after cleaning? A breakdown of them by kind.

Usage (from the repository root):

    python benchmarks/split_merge.py [--preset default] [--examples N] [FILE.jsonl ...]

By default the shared corpora in ``../shared/corpora/dev`` (or ``$TEXTFIX_SHARED``) are read.
Hypothesis and ground truth are normalized as the "dehyph" metric does and aligned word by
word (as ``error_kinds.py`` does). A changed stretch whose two sides hold different numbers of
tokens with (nearly) the same letters is a split/merge error; its character edit distance is
charged to one kind:

- ``over-split (ours)`` / ``over-join (ours)``: the raw OCR had these ground-truth tokens
  right, and cleaning split or joined them;
- ``glued punct``: run-together tokens, one of which holds a mark between two letters
  ("word.word", "word'word", "word,.word");
- ``run-together``: run-together tokens whose letters are exactly the ground truth's;
- ``run-together + misread``: run-together tokens with a misread letter as well;
- ``split, fragments``: a word left in pieces that all hold letters ("ever lasting");
- ``split, detached mark``: a piece without letters (a mark or digit set apart: "word ?").

The table gives characters and their share of the file's remaining error (dehyph edit
distance). ``--examples N`` prints N stretches of each kind (hypothesis | ground truth).
"""

from __future__ import annotations

import argparse
import collections
import json
import re
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from error_kinds import corpus_files, stretches
from textfix.metrics import dehyphenate_for_scoring
from textfix.pipeline import load_preset

REPO = Path(__file__).resolve().parents[1]
KINDS = (
    "over-split (ours)",
    "over-join (ours)",
    "glued punct",
    "run-together",
    "run-together + misread",
    "split, fragments",
    "split, detached mark",
)
_NON_WORD = re.compile(r"\W")
_INNER_MARK = re.compile(r"[^\W\d_][.,;:!?'’~]+[^\W\d_]")
_LETTER = re.compile(r"[^\W\d_]")


def classify(hyp: str, gt: str, raw: str) -> list[tuple[str, int, str, str]]:
    """The split/merge stretches of one record: (kind, characters, hypothesis, truth)."""
    h, g = hyp.split(), gt.split()
    right_in_raw: set[int] = set()
    for op in Levenshtein.opcodes(raw.split(), g):
        if op.tag == "equal":
            right_in_raw.update(range(op.dest_start, op.dest_end))
    found = []
    for s0, s1, d0, d1 in stretches(h, g):
        hs, gs = h[s0:s1], g[d0:d1]
        if len(hs) == len(gs) or not hs or not gs:
            continue
        jh = _NON_WORD.sub("", "".join(hs)).lower()
        jg = _NON_WORD.sub("", "".join(gs)).lower()
        if Levenshtein.distance(jh, jg) > max(1, len(jg) // 6):
            continue
        if all(i in right_in_raw for i in range(d0, d1)):
            kind = KINDS[0] if len(hs) > len(gs) else KINDS[1]
        elif len(hs) > len(gs):
            kind = KINDS[5] if all(_LETTER.search(t) for t in hs) else KINDS[6]
        elif any(_INNER_MARK.search(t) for t in hs):
            kind = KINDS[2]
        else:
            kind = KINDS[3] if jh == jg else KINDS[4]
        d = Levenshtein.distance(" ".join(hs), " ".join(gs))
        found.append((kind, d, " ".join(hs), " ".join(gs)))
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("files", nargs="*")
    ap.add_argument("--preset", default="default")
    ap.add_argument("--examples", type=int, default=0, help="print N stretches of each kind")
    args = ap.parse_args()
    files = corpus_files(args.files)
    pipe = load_preset(args.preset)
    print(f"signature: {pipe.signature()}")
    print("| file | error chars | " + " | ".join(KINDS) + " |")
    print("|---|---:|" + "---:|" * len(KINDS))
    examples: dict[str, list[tuple[str, str]]] = collections.defaultdict(list)
    for f in files:
        counts: collections.Counter[str] = collections.Counter()
        errors = 0
        with Path(f).open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                hyp = dehyphenate_for_scoring(pipe(rec["ocr"]))
                gt = dehyphenate_for_scoring(rec["gt"])
                errors += Levenshtein.distance(hyp, gt)
                for kind, d, hs, gs in classify(hyp, gt, dehyphenate_for_scoring(rec["ocr"])):
                    counts[kind] += d
                    if len(examples[kind]) < args.examples:
                        examples[kind].append((hs, gs))
        cells = " | ".join(f"{counts[k]} ({counts[k] / max(errors, 1):.1%})" for k in KINDS)
        print(f"| {Path(f).name} | {errors} | {cells} |")
    for kind in KINDS:
        for hs, gs in examples.get(kind, []):
            print(f"{kind}: {hs} | {gs}")


if __name__ == "__main__":
    main()
