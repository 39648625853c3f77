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
import math
import os
import re
from collections import Counter
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from textfix.channel import (
    learn_confusions,
    learn_real_word_pairs,
    word_pairs,
    write_confusions,
)
from textfix.evaluate import read_pairs
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


# Misread words that are not words ("tlio" for "the"): learned only when seen often and
# nearly always as the same word, since the table then acts on them without a channel.
MISREAD_MIN_COUNT = 5
MISREAD_MIN_SHARE = 0.5
# Capitalized words inside a sentence ("laid In that", "bower Tho banquet"): learned from
# capitalized OCR tokens between lowercase words, keyed by the exact capitalized form.
MIDCAP_MIN_COUNT = 5
MIDCAP_MIN_SHARE = 0.3
# Smoothing of the shares of these rows: count / (occurrences + 5). With 5, a token seen 5
# times and always as one word has share 0.5 (checked on held-out records: 10 kept too few).
SHARE_SMOOTHING = 5
# Real-word pairs that are rarely the error ("he" printed for "be" in 1% of its uses) are
# kept too when seen often enough to trust the share: fix_real_word_errors acts on them only
# when both neighbours speak for the other word by a wide margin (low_share_threshold).
LOW_SHARE_MIN_COUNT = 8
LOW_SHARE_MIN_SHARE = 0.005
_SPACE = re.compile(r"\s+")
_EDGE = re.compile(r"^[^\w]+|[^\w]+$")
_LOWER_WORD = re.compile(r"[a-z]+")


def _triples(recs):
    """Yield ``(previous OCR token, OCR token, next OCR token, gt token)`` for words aligned
    one to one."""
    for rec in recs:
        o = _SPACE.split(rec["ocr"].strip())
        g = _SPACE.split(rec["gt"].strip())
        for op in Levenshtein.opcodes(o, g):
            if op.tag not in {"equal", "replace"}:
                continue
            if op.src_end - op.src_start != op.dest_end - op.dest_start:
                continue
            for i in range(op.src_end - op.src_start):
                k = op.src_start + i
                nxt = o[k + 1] if k + 1 < len(o) else ""
                yield (o[k - 1] if k else ""), o[k], nxt, g[op.dest_start + i]


def _share_rows(seen, wrong, min_count, min_share):
    out = {}
    for (o, g), c in wrong.items():
        share = c / (seen[o] + SHARE_SMOOTHING)
        if c >= min_count and share >= min_share:
            out[o, g] = (c, seen[o], round(math.log10(share), 3))
    return out


def learn_context_pairs(recs, lex):
    """Learn the two kinds of word error that fix_real_word_errors undoes beside real words.

    - misreadings that are not words: an OCR token the lexicon lacks (Zipf < 3) that was
      nearly always one known word at most two edits away (keys lowercase);
    - capitals inside a sentence: a Titlecase OCR token between two lowercase words (so
      the OCR shows no sentence end) whose ground truth was another form, its lowercase
      ("In" → "in") or another word ("Tho" → "The"); keys keep the capital.
    """
    seen, wrong = Counter(), Counter()
    cap_seen, cap_wrong = Counter(), Counter()
    for prev, a, nxt, b in _triples(recs):
        ca, cb = _EDGE.sub("", a), _EDGE.sub("", b)
        if not ca.isalpha() or not cb.isalpha():
            continue
        o, g = ca.lower(), cb.lower()
        if lex.zipf(o) < 3.0:
            seen[o] += 1
            # Up to 3 edits for tokens of 4+ letters ("tlio" for "the"): the share required
            # (most of the token's occurrences) keeps misalignments out.
            reach = 3 if len(o) >= 4 else 2
            if o != g and lex.zipf(g) >= 3.0 and Levenshtein.distance(o, g) <= reach:
                wrong[o, g] += 1
        if (
            a == ca
            and len(ca) >= 2
            and ca[0].isupper()
            and ca[1:].islower()
            and _LOWER_WORD.fullmatch(prev)
            and nxt[:1].islower()
        ):
            cap_seen[ca] += 1
            if cb != ca and lex.zipf(g) >= 3.0 and Levenshtein.distance(o, g) <= 2:
                if cb == g or (cb[0].isupper() and cb[1:].islower()):
                    cap_wrong[ca, cb] += 1
    out = _share_rows(seen, wrong, MISREAD_MIN_COUNT, MISREAD_MIN_SHARE)
    out.update(_share_rows(cap_seen, cap_wrong, MIDCAP_MIN_COUNT, MIDCAP_MIN_SHARE))
    return out


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
    recs = [r for f in files for r in read_pairs(f)]
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
    pairs = learn_real_word_pairs(
        word_pairs(recs),
        lambda w: lex.zipf(w) >= 3.0,
        min_count=LOW_SHARE_MIN_COUNT,
        min_share=LOW_SHARE_MIN_SHARE,
    )
    pairs.update(learn_real_word_pairs(word_pairs(recs), lambda w: lex.zipf(w) >= 3.0))
    pairs.update(learn_context_pairs(recs, lex))
    out = Path(args.output).with_name(
        Path(args.output).name.replace("ocr_confusions", "real_word_pairs")
    )
    write_confusions(
        pairs,
        out,
        header=[
            "Real-word OCR errors (ocr word -> intended word) learned from aligned word pairs;",
            "count = times seen as that error, gt_count column = times the OCR word was seen.",
            "Also: frequent misreadings that are not words (>= 5 times, share >= 0.5), and",
            "Titlecase tokens between lowercase words, keyed by that exact form (In -> in).",
            f"source: the same {len(recs)} records; derived statistics only, no text.",
            "rebuild: python scripts/build_confusions.py",
        ],
    )
    print(f"wrote {len(pairs)} real-word pairs to {out}")


if __name__ == "__main__":
    main()
