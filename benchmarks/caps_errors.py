"""What error is left on capitalized and all-capitals words, and why fix_ocr_words leaves it.

Usage (from the repository root):

    python benchmarks/caps_errors.py [--preset default] [FILE.jsonl ...]

By default the shared corpora in ``../shared/corpora/dev`` (or ``$TEXTFIX_SHARED``) are read.
Output and ground truth are normalized as the "dehyph" metric does and aligned word by word;
every pair of aligned words whose ground truth is Titlecase or ALL CAPS, and that differ in
at most half of their letters (the rest is layout: merged, lost or misaligned words), is
charged its character edit distance to one class:

- ``case``: only the case differs;
- ``real-word``: the output is a known word (Zipf >= 3) in place of another;
- ``common``: the truth, lowercased, is a known word (a misread "Road", "Council", "THE");
- ``name+doc``: a name whose truth spelling occurs elsewhere in the record's OCR;
- ``name``: a name without such evidence.

and to one reason, found by asking the word model of ``fix_ocr_words`` about the token as the
stage saw it (its sentence position, the document's noise shift and token counts):

- ``known``: the output is a known word, which ``fix_ocr_words`` never changes;
- ``not alpha``: the token holds digits or punctuation (a glued or damaged token);
- ``no candidate``: the truth is not among the options of the search; ``(far)`` when it
  would score more than 1 (log10) below the bar anyway;
- ``outranked``: another option scores higher;
- ``name margin`` / ``caps margin``: the truth would win without that margin;
- ``margin``: the truth scores below the keep-prior even without those margins.

The figures of benchmarks/README.md ("Session 5: capitalized tokens") come from this script.
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import re
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from error_kinds import corpus_files
from textfix.channel import channel_logprob, load_confusions
from textfix.lexicon import load_lexicon
from textfix.metrics import dehyphenate_for_scoring
from textfix.pipeline import Pipeline, load_preset
from textfix.stages import words

REPO = Path(__file__).resolve().parents[1]
_CORE = re.compile(r"^\W*(.*?)\W*$")
CLASSES = ("case", "real-word", "common", "name+doc", "name")
REASONS = (
    "known",
    "not alpha",
    "no candidate",
    "no candidate (far)",
    "outranked",
    "name margin",
    "caps margin",
    "margin",
)


def _core(t: str) -> str:
    m = _CORE.match(t)
    return m.group(1) if m else t


def _shape(t: str) -> str | None:
    letters = [c for c in t if c.isalpha()]
    if len(letters) < 2:
        return None
    if all(c.isupper() for c in letters):
        return "CAPS"
    if t[0].isupper() and t[1:].islower():
        return "Title"
    return None


def _reason(stage, tok: str, truth: str, midcap: bool, count: int, shift: float) -> str:
    lex = load_lexicon(stage.lang)
    if not tok.isalpha():
        return "not alpha"
    if lex.zipf(tok.lower()) >= stage.known_zipf and words._regular_case(tok):
        return "known"
    keep = words._keep_score(stage, tok, count, shift)
    caps = tok.isupper()
    extra = stage.caps_margin if caps else max(0.5, stage.name_margin + shift) if midcap else 0.0
    bar = keep + stage.threshold
    options = words._scored(stage, tok, True) + words._far_scored(stage, tok)
    mine = [o[0] for o in options if o[1] == truth]
    if not mine:
        f = lex.freq(truth.lower())
        score = (math.log10(f) if f > 0 else -99.0) + channel_logprob(
            load_confusions(stage.confusions), tok, truth
        )
        return "no candidate" if score - bar - extra >= -1 else "no candidate (far)"
    if max(o[0] for o in options) > mine[0]:
        return "outranked"
    if mine[0] - bar >= 0:
        return "caps margin" if caps else "name margin"
    return "margin"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("files", nargs="*")
    ap.add_argument("--preset", default="default")
    args = ap.parse_args()
    files = corpus_files(args.files)
    pipe = load_preset(args.preset)
    names = [s.name for s in pipe.stages]
    if "fix_ocr_words" not in names:
        raise SystemExit(f"preset {args.preset!r} has no fix_ocr_words")
    i = names.index("fix_ocr_words")
    before, stage = Pipeline(pipe.stages[:i]), pipe.stages[i]
    lex = load_lexicon(stage.lang)
    print(f"signature: {pipe.signature()}")
    rows = []
    for f in files:
        classes: collections.Counter[str] = collections.Counter()
        reasons: collections.Counter[tuple[str, str]] = collections.Counter()
        errors = 0
        with Path(f).open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                seen = before(rec["ocr"])
                hyp = pipe(rec["ocr"])
                printed = collections.Counter(m.group() for m in words._TOKEN_RE.finditer(seen))
                counts = collections.Counter(t.lower() for t in printed.elements())
                shift = words._noise_shift(counts, lex.freqs)
                if words._archaic(counts, words._spellings(stage.spellings)):
                    shift = 0.0
                h, g = dehyphenate_for_scoring(hyp), dehyphenate_for_scoring(rec["gt"])
                errors += Levenshtein.distance(h, g)
                hs, gs = h.split(" "), g.split(" ")
                starts, pos = [], 0  # the offset of each output word
                for t in hs:
                    starts.append(pos)
                    pos += len(t) + 1
                for op in Levenshtein.opcodes(hs, gs):
                    if (
                        op.tag != "replace"
                        or op.src_end - op.src_start != op.dest_end - op.dest_start
                    ):
                        continue
                    for k, (a, b) in enumerate(
                        zip(
                            hs[op.src_start : op.src_end],
                            gs[op.dest_start : op.dest_end],
                            strict=True,
                        ),
                        start=op.src_start,
                    ):
                        ca, cb = _core(a), _core(b)
                        if _shape(cb) is None or ca == cb or not cb.isalpha() or not ca:
                            continue
                        if Levenshtein.normalized_distance(ca.lower(), cb.lower()) > 0.5:
                            continue
                        d = Levenshtein.distance(a, b)
                        if ca.lower() == cb.lower():
                            cls = "case"
                        elif ca.isalpha() and lex.zipf(ca.lower()) >= 3.0:
                            cls = "real-word"
                        elif lex.zipf(cb.lower()) >= 3.0:
                            cls = "common"
                        else:
                            cls = "name+doc" if printed[cb] else "name"
                        classes[cls] += d
                        if cls == "case":
                            continue
                        start = starts[k] + a.find(ca)
                        midcap = ca[:1].isupper() and not words._sentence_start(h, start)
                        count = min(max(counts[ca.lower()], 1), 8)
                        truth = words.apply_case(ca, cb.lower())
                        reasons[cls, _reason(stage, ca, truth, midcap, count, shift)] += d
        rows.append((Path(f).name, errors, classes, reasons))
    print("\nShare of the dehyph error on Titlecase / ALL CAPS truth words, by class\n")
    print("| file | error | " + " | ".join(CLASSES) + " |")
    print("|---|---:|" + "---:|" * len(CLASSES))
    for name, errors, classes, _ in rows:
        cells = " | ".join(f"{100 * classes[c] / max(errors, 1):.1f}%" for c in CLASSES)
        print(f"| {name} | {errors} | {cells} |")
    print("\nWhy fix_ocr_words leaves them (characters; classes real-word, common, names)\n")
    print("| file | class | " + " | ".join(REASONS) + " |")
    print("|---|---|" + "---:|" * len(REASONS))
    for name, _, _, reasons in rows:
        for cls in CLASSES[1:]:
            if any(reasons[cls, r] for r in REASONS):
                print(
                    f"| {name} | {cls} | "
                    + " | ".join(str(reasons[cls, r]) for r in REASONS)
                    + " |"
                )


if __name__ == "__main__":
    main()
