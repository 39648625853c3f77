"""Rebuild ``dictionaries/en/variants_en-GB_en-US.tsv`` from SCOWL (the Debian ``scowl`` package).

SCOWL (Kevin Atkinson's Spell Checker Oriented Word Lists) sorts every word by the spelling
variety it belongs to: ``english-words.*`` hold words spelled the same everywhere,
``american-words.*`` words spelled only the American way, ``british-words.*`` words spelled
only the British (-ise) way. Inflected forms are listed too. SCOWL does not say which British
word answers which American one, so this script pairs them with the classic spelling families
(-ize/-ise, -yze/-yse, -or/-our, -er/-re, -og/-ogue, doubled l, e/ae, e/oe, -se/-ce) and keeps
a pair only when it is safe to rewrite in both directions:

* the American form is only American and the British form only British (a word that is also
  a common word of the other variety, such as "tire", "curb", "meter", "program" or "license",
  is never a key: "tyre"→"tire" would hit the verb "tire");
* the pairing is one to one (a word with two candidate partners is dropped);
* the pair is reached by at most two family substitutions ("maneuver" → "manoeuvre").

Words that differ by anything else ("practise"/"practice", "draught"/"draft", "kerb"/"curb",
"grey"/"gray", "aeroplane"/"airplane") are not spelling-family variants and are left out.

Usage::

    python scripts/build_variants.py                 # apt-get download scowl into a temp dir
    python scripts/build_variants.py --deb scowl_2020.12.07-2_all.deb
    python scripts/build_variants.py --scowl-dir /path/to/usr/share/dict/scowl

The dropped candidates and why are written to stderr with ``--report``.
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "dictionaries" / "en" / "variants_en-GB_en-US.tsv"

# Levels 10-70 are SCOWL's "large" dictionary, the size spell checkers ship; 80 and 95 add
# rare and dubious words. Partners are looked for up to ``MAX_LEVEL``; a word counts as common
# English (and so is never rewritten) if it appears at *any* level.
MAX_LEVEL = 70

# American → British substitutions, each with its family label. Applied at every position.
FAMILIES: tuple[tuple[str, str, str], ...] = (
    ("iz", "is", "ise"),
    ("yz", "ys", "yse"),
    ("or", "our", "our"),
    ("er", "re", "re"),
    ("ter", "tre", "re"),
    ("og", "ogue", "ogue"),
    ("oged", "ogued", "ogue"),
    ("oging", "oguing", "ogue"),
    ("ered", "red", "re"),
    ("ering", "ring", "re"),
    ("l", "ll", "ll"),
    ("ll", "l", "ll"),
    ("e", "ae", "ae"),
    ("e", "oe", "oe"),
    ("nse", "nce", "ce"),
)


_VOWELS = frozenset("aeiouy")


# SCOWL's licence asks that its copyright and permission notice travel with every copy.
SCOWL_NOTICE = (
    "# license: derived from SCOWL, under SCOWL's terms:",
    "#   Copyright 2000-2011 by Kevin Atkinson",
    "#   Permission to use, copy, modify, distribute and sell these word lists, the associated",
    "#   scripts, the output created from the scripts, and its documentation for any purpose",
    "#   is hereby granted without fee, provided that the above copyright notice appears in",
    "#   all copies and that both that copyright notice and this permission notice appear in",
    "#   supporting documentation. Kevin Atkinson makes no representations about the",
    '#   suitability of this array for any purpose. It is provided "as is" without express',
    "#   or implied warranty.",
)


def _read_lists(root: Path, stem: str, max_level: int) -> set[str]:
    words: set[str] = set()
    for path in sorted(root.glob(f"{stem}.*")):
        level = int(path.suffix[1:])
        if level > max_level:
            continue
        for line in path.read_text("latin-1").splitlines():
            word = line.strip()
            if word and word.isalpha() and word.islower():
                words.add(word)
    return words


def _neighbours(word: str, stems: set[str]) -> dict[str, str]:
    """Every string one family substitution away from ``word``, with its family."""
    out: dict[str, str] = {}
    for old, new, family in FAMILIES:
        start = word.find(old)
        while start != -1:
            if _fits(family, word, start, old, stems):
                cand = word[:start] + new + word[start + len(old) :]
                out.setdefault(cand, family)
            start = word.find(old, start + 1)
    return out


_INFLECTIONS = frozenset({"", "s", "ed", "ing"})


def _fits(family: str, word: str, i: int, old: str, stems: set[str]) -> bool:
    """Whether a family substitution at ``word[i:]`` is at a place where that family occurs.

    "-er"/"-re" and "-or"/"-our" are word endings: the "er"/"or" must close the stem, either
    before an inflection (center, centers, centered) or before a suffix or a second word when
    the stem is a word itself (colorful, centerpiece). This drops chance look-alikes such as
    "performative"/"preformative" or "borage"/"bourage".
    """
    if family in {"ae", "oe"}:
        return _digraph_fits(word, i)
    if family in {"re", "our"}:
        j = i + 1 if old == "ter" else i  # where the "er"/"or" starts
        before = word[j - 1] if j else ""
        rest = word[j + 2 :]
        min_stem = 3 if family == "re" else 2
        if j < min_stem or before in _VOWELS.difference("i" if family == "our" else ""):
            return False
        return rest in _INFLECTIONS or word[: j + 2] in stems
    return True


def _digraph_fits(word: str, i: int) -> bool:
    """Whether the "e" at ``word[i]`` may stand for a Greek/Latin "ae" or "oe".

    The digraph sits inside a stem: after a consonant (or at the start, but not in the "aer-"
    of air words), and before "a" (-rrhoea), "u" (manoeuvre) or a consonant followed by at least
    two more letters (anaemia, foetal). This drops the Latin plurals in "-ae" ("siliquae" is not
    British "silique") and chance look-alikes such as "shoer"/"sher" or "tael"/"tel".
    """
    before = word[i - 1] if i else ""
    after = word[i + 1 :]
    if before in _VOWELS or (not before and after.startswith("r")):
        return False
    if after[:1] in {"a", "u"}:
        return True
    return len(after) >= 3 and after[0] not in _VOWELS


def build_pairs(
    scowl: Path, max_level: int = MAX_LEVEL
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """Return the kept ``(british, american, family)`` pairs and the dropped ones with a reason."""
    us = _read_lists(scowl, "american-words", max_level)
    gb = _read_lists(scowl, "british-words", max_level)
    common = _read_lists(scowl, "english-words", 95)
    us_all = _read_lists(scowl, "american-words", 95)
    gb_all = _read_lists(scowl, "british-words", 95)

    # Words of both varieties are searched too, only so that the report can list the pairs
    # they would have made ("meter"/"metre", "license"/"licence") as dropped.
    common_here = _read_lists(scowl, "english-words", max_level)
    candidates: list[tuple[str, str, str]] = []
    for a in sorted(us | common_here):
        seen: dict[str, str] = {}
        for b1, f1 in _neighbours(a, us_all).items():
            seen.setdefault(b1, f1)
            for b2, f2 in _neighbours(b1, us_all).items():
                if b2 != a:
                    seen.setdefault(b2, f1 if f1 == f2 else "+".join(sorted({f1, f2})))
        candidates.extend((b, a, fam) for b, fam in seen.items() if b in gb_all)

    kept: list[tuple[str, str, str]] = []
    dropped: list[tuple[str, str, str]] = []
    by_gb = collections.Counter(b for b, _, _ in candidates)
    by_us = collections.Counter(a for _, a, _ in candidates)
    for b, a, fam in candidates:
        if b not in gb:
            dropped.append((b, a, f"British form above level {max_level}"))
        elif a in common or a in gb_all:
            dropped.append((b, a, "American form is also a British/common word"))
        elif b in common or b in us_all:
            dropped.append((b, a, "British form is also an American/common word"))
        elif by_gb[b] > 1 or by_us[a] > 1:
            dropped.append((b, a, "not one to one"))
        else:
            kept.append((b, a, fam))
    kept.sort()
    return kept, dropped


def _fetch_deb(tmp: Path) -> Path:
    subprocess.run(["apt-get", "download", "scowl"], cwd=tmp, check=True)
    return next(tmp.glob("scowl_*.deb"))


def _deb_version(deb: Path) -> str:
    out = subprocess.run(
        ["dpkg-deb", "--field", str(deb), "Version"], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def add_source_args(ap: argparse.ArgumentParser) -> None:
    """The options that say where the SCOWL word lists come from."""
    ap.add_argument("--deb", type=Path, help="the scowl .deb (default: apt-get download scowl)")
    ap.add_argument("--scowl-dir", type=Path, help="an extracted usr/share/dict/scowl folder")


def scowl_source(args: argparse.Namespace, tmp: Path) -> tuple[Path, str]:
    """Return the SCOWL folder (extracting the .deb into ``tmp`` if needed) and its version."""
    if args.scowl_dir:
        return args.scowl_dir, "unknown"
    deb = args.deb or _fetch_deb(tmp)
    subprocess.run(["dpkg-deb", "-x", str(deb), str(tmp / "x")], check=True)
    return tmp / "x" / "usr" / "share" / "dict" / "scowl", _deb_version(deb)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_source_args(ap)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--report", action="store_true", help="list dropped candidates on stderr")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmpname:
        scowl, version = scowl_source(args, Path(tmpname))
        kept, dropped = build_pairs(scowl)

    header = [
        "# British (en-GB, -ise) spelling <TAB> American (en-US) spelling <TAB> family",
        f"# source: SCOWL word lists, Debian package scowl {version}, levels <= {MAX_LEVEL}",
        *SCOWL_NOTICE,
        "# rebuilt by: python scripts/build_variants.py",
        "# only one-to-one pairs whose forms are exclusive to their variety are kept",
    ]
    lines = [*header, *("\t".join(row) for row in kept)]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.out.name}: {len(kept)} pairs kept, {len(dropped)} dropped", file=sys.stderr)
    if args.report:
        reasons = collections.Counter(r for _, _, r in dropped)
        for reason, n in reasons.most_common():
            print(f"  {n:6d}  {reason}", file=sys.stderr)
        for b, a, reason in dropped:
            print(f"  {b}\t{a}\t{reason}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
