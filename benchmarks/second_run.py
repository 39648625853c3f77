"""How often does a second run of a preset still change the text? (idempotence on real OCR)

Usage (from the repository root):

    python benchmarks/second_run.py [--preset default] [--show N] [FILE.jsonl ...]

By default the shared corpora in ``../shared/corpora/dev`` (or ``$TEXTFIX_SHARED``) are read.
The preset runs on every record's ``ocr``, then again on its own output; the records whose
second run makes edits are counted, and those edits are grouped by ``stage:rule``. A preset
whose stages are each idempotent can still change its output on a second run when a later
stage changes what an earlier one read; this script measures how often that happens.
"""

from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path

from error_kinds import corpus_files
from textfix.edits import apply_edits
from textfix.pipeline import load_preset


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", help="gold JSONL files (default: the shared dev set)")
    ap.add_argument("--preset", default="default")
    ap.add_argument("--show", type=int, default=0, help="print up to N second-run edits")
    args = ap.parse_args()
    pipe = load_preset(args.preset)
    records = changed = 0
    rules: collections.Counter[str] = collections.Counter()
    shown = 0
    for path in corpus_files(args.files):
        with Path(path).open(encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                records += 1
                once = pipe(rec["ocr"])
                again = pipe.explain(once)
                edits = [e for s in again.steps for e in s.edits]
                if not edits:
                    continue
                changed += 1
                rules.update({f"{e.stage}:{e.rule}" for e in edits})
                cur = once
                for s in again.steps:
                    for e in s.edits:
                        if shown < args.show:
                            shown += 1
                            ctx = cur[max(0, e.start - 40) : e.end + 40]
                            print(f"{rec['id']}\t{e.stage}:{e.rule}\t{e.replacement!r}\t{ctx!r}")
                    cur = apply_edits(cur, s.edits)
    print(f"records changed by a second run of {args.preset!r}: {changed} of {records}")
    for rule, n in rules.most_common():
        print(f"  {rule}: {n} records")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
