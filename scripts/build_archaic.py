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

Later habits (each alone, or combined with one other habit) add respellings that are kept only
when no word ten times as frequent as their source lies one edit away (wordfreq's frequencies):
there a misprint or misreading of that word is the likelier reading ("nore" of "more", not
"nor" with a silent e). A respelling that is a SCOWL word of level <= 70 is left out; the
rarest levels (80, 95) list many old spellings themselves ("carryed", "meane").

* "i" for "j" inside a word ("coniure", "enioyed");
* "y" for "i": in ai and oi before a consonant ("rayse", "noyse"), in the past tense -ied
  ("carryed"), and in a long i before a consonant and final e of a common word ("tyme");
* an unstressed e dropped before a final -red or -ned ("entred", "remembred");
* a doubled consonant with a silent e after the short vowel of a common one-syllable word
  ("ranne", "warre", "starres");
* plural and verb -s written -es after a vowel and y ("dayes", "alwayes");
* -ness written -nes and -less written -les ("busines", "nevertheles");
* the silent -e and -es also on short words that end like a suffix ("neare", "needes",
  "thinges").

Usage::

    python scripts/build_archaic.py [--deb scowl_*.deb | --scowl-dir DIR]
"""

from __future__ import annotations

import argparse
import collections
import functools
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_variants import SCOWL_NOTICE, add_source_args, scowl_source

if TYPE_CHECKING:
    from collections.abc import Callable

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "dictionaries" / "en" / "archaic_en.tsv"
# SCOWL level 35 is about the 35k most common forms: enough for running text of the period,
# and it keeps the shipped table small.
MAX_LEVEL = 35
# Later habits: a respelling that is a SCOWL word up to this level is left out, and one that
# lies one edit from a word 10**SHADOW_GAP times as frequent as its source.
KNOWN_LEVEL = 70
SHADOW_GAP = 1.0
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


def _later(w: str, *, common: bool) -> set[str]:
    """The later habits (see the module docstring)."""
    out: set[str] = set()
    n = len(w)
    if "j" in w[1:] and n >= 4:
        out.add(w[0] + w[1:].replace("j", "i"))
    for k in range(1, n - 1):
        # ai and oi as one vowel: not after another vowel ("teeing"), not the -ing of a verb
        # ("going"), not before a final -c ("mosaic").
        if w[k] != "i" or w[k - 1] not in "ao" or w[k + 1] in _VOWELS:
            continue
        if (k > 1 and w[k - 2] in _VOWELS) or w.startswith("ing", k) or w[k + 1 :] == "c":
            continue
        out.add(w[:k] + "y" + w[k + 1 :])
    if n >= 5 and w.endswith("ied") and w[-4] not in _VOWELS:
        out.add(w[:-3] + "yed")
    if common and 4 <= n <= 6 and w.endswith("e") and w[-3] == "i":
        if w[-2] not in _VOWELS and w[-4] not in _VOWELS:
            out.add(w[:-3] + "y" + w[-2:])
    if n >= 7 and w.endswith(("ered", "ened")) and w[-5] not in _VOWELS:
        out.add(w[:-4] + w[-3:])
    stem, plural = (w[:-1], True) if w.endswith("s") and n in (4, 5) else (w, False)
    if (
        common
        and len(stem) in (3, 4)
        and stem[-2] in "aeiou"
        and stem[-1] in "bdglmnprt"
        and not any(c in _VOWELS for c in stem[:-2])
    ):
        out.add(stem + stem[-1] + ("es" if plural else "e"))
    if n >= 4 and w.endswith("ys") and w[-3] in "aeo":
        out.add(w[:-1] + "es")
    for end in ("ness", "less"):
        if n > len(end) + 2 and w.endswith(end):
            out.add(w[:-1])
    if common and 3 <= n <= 5 and w.endswith(_NO_E) and w[-1] not in _VOWELS:
        if w[-1] not in "sxzhw":
            out.add(w + "e")
    if common and 4 <= n <= 6 and w.endswith("s") and w[:-1].endswith(_NO_E):
        if w[-2] not in _VOWELS and w[-2] not in "sxz":
            out.add(w[:-1] + "es")
    return out


def respellings(w: str, *, common: bool = True) -> set[str]:
    """Every early modern respelling of the modern word ``w`` by the first habits."""
    ends = _endings(w, common=common)
    out = ends | _letters(w)
    for e in ends:
        out |= _letters(e)
    out.discard(w)
    return out


def later_respellings(w: str, *, common: bool = True) -> set[str]:
    """The respellings of ``w`` that take a later habit, alone or with one other habit."""
    habits = (
        lambda x: _endings(x, common=common),
        _letters,
        lambda x: _later(x, common=common),
    )
    once = [h(w) for h in habits]
    out = set(once[2])
    for i, forms in enumerate(once):
        for j, h in enumerate(habits):
            if i != j and 2 in (i, j):
                for f in forms:
                    out |= h(f)
    out.discard(w)
    return out


def _pairs(
    modern: set[str], commonest: set[str], known: set[str], spell: Callable[..., set[str]]
) -> list[tuple[str, str]]:
    """(respelling, word) for every respelling not in ``known`` and reached from one word."""
    sources: dict[str, set[str]] = collections.defaultdict(set)
    for w in modern:
        for r in spell(w, common=w in commonest):
            if r not in known:
                sources[r].add(w)
    return [(r, next(iter(ws))) for r, ws in sources.items() if len(ws) == 1]


def build(scowl: Path) -> list[tuple[str, str]]:
    modern = _read(scowl, MAX_LEVEL, lower_only=True)
    commonest = _read(scowl, COMMON_LEVEL, lower_only=True)
    rows = dict(_pairs(modern, commonest, _read(scowl, 95, lower_only=False), respellings))
    known = _read(scowl, KNOWN_LEVEL, lower_only=False) | rows.keys()
    for r, w in _pairs(modern, commonest, known, later_respellings):
        if not _shadowed(r, w):
            rows[r] = w
    return sorted(rows.items())


@functools.cache
def _frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return get_frequency_dict("en", wordlist="large")


def _shadowed(old: str, modern: str) -> bool:
    """Whether a word 10**SHADOW_GAP times as frequent as ``modern`` is one edit from ``old``."""
    freq = _frequencies()
    bar = freq.get(modern, 0.0) * 10**SHADOW_GAP
    near = {old[:i] + old[i + 1 :] for i in range(len(old))}
    for i in range(len(old) + 1):
        for c in "abcdefghijklmnopqrstuvwxyz":
            near.add(old[:i] + c + old[i:])
            if i < len(old):
                near.add(old[:i] + c + old[i + 1 :])
    near.discard(old)
    return bar > 0 and any(freq.get(x, 0.0) >= bar for x in near)


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
        "# a respelling that is a word of any SCOWL list, or comes from two words, is left out;",
        "# later habits: not a SCOWL word of level <= 70, nor one edit from a word ten times as",
        "# frequent as its source (wordfreq)",
    ]
    lines = [*header, *(f"{a}\t{m}" for a, m in rows)]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.out.name}: {len(rows)} entries", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
