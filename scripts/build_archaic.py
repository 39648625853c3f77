"""Rebuild ``dictionaries/en/archaic_en.tsv``: early modern English spellings → modern ones.

The table is generated, not typed in: every common modern word of SCOWL (the Debian ``scowl``
package, levels <= ``MAX_LEVEL``) is respelled with the regular habits of early modern
printing, and a respelling is kept only when it is *not* a word of any SCOWL list at any level
or variety. So "bookes" → "books" and "controversie" → "controversy" are in, while "doe" (a
deer), "bee", "wee" or "toe" can never be rewritten. A respelling reached from two modern words
is dropped (it is ambiguous).

Habits used (each alone, or one of them combined with u/v and i/j):

* final -y after a consonant written -ie: "mercie", "controversie";
* a silent final -e after a consonant, and plural/verb -s written -es: "owne", "bookes";
* -ic written -ick: "publick", "musick";
* -ful written -full, -ness written -nesse, -less written -lesse;
* u and v by position: "v" at the start of a word for "u" ("vnto"), "u" inside for "v"
  ("haue", "euery");
* "i" at the start of a word for "j" ("iustice").

Usage::

    python scripts/build_archaic.py [--deb scowl_*.deb | --scowl-dir DIR]
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_variants import SCOWL_NOTICE, add_source_args, scowl_source

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "dictionaries" / "en" / "archaic_en.tsv"
# SCOWL level 35 is about the 35k most common forms: enough for running text of the period,
# and it keeps the shipped table small.
MAX_LEVEL = 35
# The silent final -e is only tried on words of SCOWL level <= 20 (the commonest words).
COMMON_LEVEL = 20
_VOWELS = frozenset("aeiouy")


def _read(root: Path, max_level: int, *, lower_only: bool) -> set[str]:
    words: set[str] = set()
    for path in sorted(root.glob("*.*")):
        try:
            level = int(path.suffix[1:])
        except ValueError:
            continue
        if level > max_level or (lower_only and not path.name.endswith(f"-words.{level}")):
            continue
        for line in path.read_text("latin-1").splitlines():
            word = line.strip()
            if lower_only and not (word.isalpha() and word.islower() and word.isascii()):
                continue
            words.add(word.lower())
    return words


# Endings that were not given a silent -e (inflections and Latinate suffixes).
_NO_E = ("ed", "ing", "ion", "ly", "al", "ic", "er", "or", "ar", "ty", "ism", "ist", "ent")


def _endings(w: str, *, common: bool) -> set[str]:
    out: set[str] = set()
    last = w[-1]
    if len(w) >= 4 and last == "y" and w[-2] not in _VOWELS:
        out.add(w[:-1] + "ie")
    # The silent -e belongs to short native words ("owne", "booke", "himselfe"), so it is
    # only tried on the commonest words, and never after an inflection or learned suffix.
    if common and len(w) >= 3 and last not in _VOWELS and last not in "sxzhw":
        if not w.endswith(_NO_E):
            out.add(w + "e")
    if common and len(w) >= 4 and last == "s" and w[-2] not in _VOWELS and w[-2] not in "sxz":
        if not w[:-1].endswith(_NO_E):
            out.add(w[:-1] + "es")
    if len(w) >= 5 and w.endswith("ic"):
        out.add(w + "k")
    if len(w) >= 6 and w.endswith("ics"):
        out.add(w[:-1] + "ks")
    for old, new in (("ful", "full"), ("ness", "nesse"), ("less", "lesse")):
        if len(w) > len(old) + 2 and w.endswith(old):
            out.add(w + new[len(old) :])
    return out


def _letters(w: str) -> set[str]:
    out: set[str] = set()
    if w.startswith("u") and len(w) >= 3:
        out.add("v" + w[1:])
    if w.startswith("j") and len(w) >= 3:
        out.add("i" + w[1:])
    inner = w[1:-1]
    if "v" in inner:
        out.add(w[0] + inner.replace("v", "u") + w[-1])
    return out


def respellings(w: str, *, common: bool = True) -> set[str]:
    """Every early modern respelling of the modern word ``w`` by the habits above."""
    ends = _endings(w, common=common)
    out = ends | _letters(w)
    for e in ends:
        out |= _letters(e)
    out.discard(w)
    return out


def build(scowl: Path) -> list[tuple[str, str]]:
    modern = _read(scowl, MAX_LEVEL, lower_only=True)
    commonest = _read(scowl, COMMON_LEVEL, lower_only=True)
    known = _read(scowl, 95, lower_only=False)
    sources: dict[str, set[str]] = collections.defaultdict(set)
    for w in modern:
        for r in respellings(w, common=w in commonest):
            if r not in known:
                sources[r].add(w)
    return sorted((r, next(iter(ws))) for r, ws in sources.items() if len(ws) == 1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_source_args(ap)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmpname:
        scowl, version = scowl_source(args, Path(tmpname))
        rows = build(scowl)
    header = [
        "# early modern English spelling <TAB> modern spelling",
        f"# source: generated from SCOWL word lists, Debian package scowl {version},"
        f" levels <= {MAX_LEVEL}",
        *SCOWL_NOTICE,
        "# rebuilt by: python scripts/build_archaic.py",
        "# a respelling that is a word of any SCOWL list, or comes from two words, is left out",
    ]
    lines = [*header, *(f"{a}\t{m}" for a, m in rows)]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.out.name}: {len(rows)} entries", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
