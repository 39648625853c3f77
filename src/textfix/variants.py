"""Discovery of spelling variants across a document or a corpus (``textfix variants``).

Transliterated names are spelled several ways, often within one book ("Yezhov"/"Ezhov",
"Tukhachevsky"/"Tukhatchevsky", "Bukharin"/"Bucharin"). :func:`discover` finds such clusters:

1. Every word is counted, with its case habits and a few example lines. Parts of hyphenated
   words and the stem of a possessive count as words.
2. Each word is reduced to a *transliteration skeleton* (:func:`skeleton`) in which the
   spellings that transliteration systems disagree on cost nothing: y/i/j, ch/tch/kh/k,
   sh/sch/shch, zh/dzh/dj, ts/tz, ff/v and w/v at the end of a name, x/ks, ü/ue, doubled
   letters, and the glide "i"/"y" beside a vowel (Nikolaev/Nikolayev/Nikolaiev).
3. Words with the same skeleton are candidates; so are words whose skeletons differ by one
   cheap substitution (o/u, s/z, c/k, e/a) inside the word, when they also share contexts.
   The similarity is computed with RapidFuzz (:func:`similarity`).
4. Candidates that are different words are dropped: two common dictionary words
   ("bite"/"byte"), a lowercase word and a name, and above all *suffix forms*, which never
   have the same skeleton ("Kamenev"/"Kameneva", "Trotsky"/"Trotskyist", "Zinoviev"/
   "Zinovievite"): the method compares whole skeletons, never prefixes.
5. British/American spellings and early modern forms are paired with the shipped tables of
   :mod:`textfix.stages.variants` when both forms occur.

Each cluster proposes its most frequent form as the canonical one. :func:`write_tsv` writes a
table that ``normalize_variants`` accepts (``--variants FILE.tsv``); :func:`to_json` gives the
same for programs.
"""

from __future__ import annotations

import bisect
import collections
import json
import math
import unicodedata
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

import regex

from textfix.errors import ConfigError

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterable, Iterator, Mapping, Sequence

__all__ = [
    "Cluster",
    "FormStats",
    "discover",
    "register_cli",
    "similarity",
    "skeleton",
    "to_json",
    "write_tsv",
]

_PART_RE = regex.compile(r"[\p{L}\p{M}]+", regex.V1)
_NEWLINE_RE = regex.compile(r"\n")

# Multi-letter spellings of one sound, folded to one placeholder (uppercase letters never
# occur in the lowercased word). Order matters: longer spellings first.
_CLUSTERS: tuple[tuple[str, str], ...] = (
    ("shch", "S"),
    ("sch", "S"),
    ("sh", "S"),
    ("dzh", "Z"),
    ("dj", "Z"),
    ("zh", "Z"),
    ("tch", "H"),
    ("ch", "H"),
    ("kh", "H"),
    ("tz", "C"),
    ("ts", "C"),
    ("cz", "C"),
    ("ph", "f"),
    ("ck", "k"),
    ("x", "ks"),
    ("oo", "u"),
)
_UMLAUTS = str.maketrans({"ü": "ue", "ö": "oe", "ä": "ae", "ß": "ss"})
_FOLD_RE = regex.compile("|".join(regex.escape(a) for a, _ in _CLUSTERS))
_FOLD = dict(_CLUSTERS)
_FINAL_FF_RE = regex.compile(r"ff$")
# Polish and German "w" for Russian "v" before a vowel (Abramowitch); "Andrew" keeps its w.
_W_RE = regex.compile(r"w(?=[aeiouy])")
# The glide "y"/"i" before a vowel that is not the last letter: Yezhov/Ezhov, Nikolayev/
# Nikolaev, Blyukher/Blukher. Not after a vowel (Laing is not Lang) and not in a final "-ie"
# (Massie is not Masse).
_GLIDE_RE = regex.compile(r"i(?=[aeou].)")
_ROMAN_RE = regex.compile(r"^[ivxlcdm]+$", regex.IGNORECASE)
# Substitutions that one transliteration or one national spelling makes for another.
_CHEAP_SUBS = frozenset(
    frozenset(p) for p in (("o", "u"), ("s", "z"), ("C", "z"), ("C", "s"), ("c", "k"))
)


def skeleton(word: str) -> str:
    """Reduce ``word`` to the letters that every transliteration of it agrees on.

    >>> skeleton("Dostoyevsky") == skeleton("Dostoevsky")
    True
    >>> skeleton("Tchaikovsky") == skeleton("Chaikovsky"), skeleton("Gorky") == skeleton("Gorki")
    (True, True)
    >>> skeleton("Kamenev") == skeleton("Kameneva")
    False
    """
    w = word.lower().translate(_UMLAUTS)
    w = "".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c))
    w = _FINAL_FF_RE.sub("v", w)
    w = _W_RE.sub("v", w)
    w = _FOLD_RE.sub(lambda m: _FOLD[m.group()], w)
    w = w.replace("y", "i").replace("j", "i")
    # Doubled consonants stay: in names they tell people apart (Barnet/Barnett), and no
    # transliteration system doubles letters the others do not.
    w = w.replace("ii", "i")
    return _GLIDE_RE.sub("", w)


def similarity(a: str, b: str) -> float:
    """Transliteration-aware similarity of two words, from 0 to 1.

    The normalized Indel similarity (RapidFuzz) of the skeletons, so that y/i/j, ch/tch/k,
    ff/v and sch/sh/ch swaps cost nothing and any other difference costs as usual.

    >>> similarity("Tukhachevsky", "Tukhatchevsky")
    1.0
    >>> round(similarity("Lenin", "Levin"), 2)
    0.8
    """
    from rapidfuzz.distance import Indel

    return float(Indel.normalized_similarity(skeleton(a), skeleton(b)))


def _cheap_step(a: str, b: str) -> bool:
    """Whether skeletons ``a`` and ``b`` differ by one cheap substitution inside the word."""
    from rapidfuzz.distance import Levenshtein

    ops = Levenshtein.editops(a, b)
    if len(ops) != 1:
        return False
    op = next(iter(ops))
    tag, src, dest = op.tag, op.src_pos, op.dest_pos
    if tag != "replace" or src == 0 or src >= len(a) - 2:
        return False
    return frozenset((a[src], b[dest])) in _CHEAP_SUBS


@dataclass
class FormStats:
    """One spelling as found in the texts.

    Attributes:
        text: The spelling, in its most frequent case ("Yezhov").
        count: How many times it occurs.
        capitalized: How many of those occurrences start with a capital letter.
        examples: Up to a few ``(source, line number, line)`` places where it occurs.
    """

    text: str
    count: int = 0
    capitalized: int = 0
    examples: list[tuple[str, int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Cluster:
    """A set of spellings judged to be variants of one word.

    Attributes:
        canonical: The proposed form (the most frequent one).
        forms: Every spelling, the canonical one first, then by falling count.
        evidence: Why they were grouped: ``"transliteration"``, ``"near transliteration"``,
            ``"en-GB/en-US"`` or ``"archaic"``.
        context: Cosine similarity of the words around the forms (0 to 1).
    """

    canonical: str
    forms: tuple[FormStats, ...]
    evidence: str
    context: float

    @property
    def variants(self) -> tuple[FormStats, ...]:
        """The forms other than the canonical one."""
        return self.forms[1:]

    def to_dict(self) -> dict[str, Any]:
        """Return the cluster as JSON-ready data."""
        return {
            "canonical": self.canonical,
            "evidence": self.evidence,
            "context": round(self.context, 3),
            "forms": [
                {
                    "form": f.text,
                    "count": f.count,
                    "examples": [
                        {"source": s, "line": n, "text": line} for s, n, line in f.examples
                    ],
                }
                for f in self.forms
            ],
        }


def _words(text: str) -> Iterator[tuple[str, int]]:
    """Yield each run of letters and its offset.

    Parts of hyphenated words count as words, and a possessive "'s" falls away as a
    one-letter part, as in :func:`textfix.stages.variants.variant_edits`.
    """
    for m in _PART_RE.finditer(text):
        yield m.group(), m.start()


def _line_at(text: str, starts: Sequence[int], pos: int, width: int = 100) -> tuple[int, str]:
    """Return the line number of ``pos`` and up to ``width`` characters of its line."""
    lineno = bisect.bisect_right(starts, pos)
    start = starts[lineno - 1]
    end = text.find("\n", pos)
    end = len(text) if end == -1 else end
    lo = max(start, pos - width // 2)
    hi = min(end, lo + width)
    return lineno, ("…" if lo > start else "") + text[lo:hi].strip()


def _cosine(a: Mapping[str, int], b: Mapping[str, int]) -> float:
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    if not dot:
        return 0.0
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.why: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str, why: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra
            why = _stronger(why, self.why.pop(rb, why))
        self.why[ra] = _stronger(self.why.get(ra, why), why)


_EVIDENCE_RANK = ("en-GB/en-US", "archaic", "transliteration", "near transliteration")


def _stronger(a: str, b: str) -> str:
    return min(a, b, key=_EVIDENCE_RANK.index)


def discover(
    docs: Iterable[tuple[str, str]],
    *,
    min_length: int = 4,
    min_count: int = 1,
    max_examples: int = 2,
    min_context: float = 0.1,
    common_zipf: float = 3.0,
    tables: bool = True,
) -> list[Cluster]:
    """Find clusters of spelling variants in ``docs``.

    Args:
        docs: ``(source name, text)`` pairs; one document or a whole corpus.
        min_length: Ignore words shorter than this.
        min_count: Ignore spellings seen fewer times than this.
        max_examples: Example lines kept per spelling.
        min_context: Least context similarity for pairs that are only near in skeleton.
        common_zipf: Two spellings that are both dictionary words at least this common
            (wordfreq Zipf scale) are different words, unless a shipped table pairs them.
        tables: Also pair British/American and early modern spellings with the shipped tables.

    Returns:
        The clusters, the largest first.

    Raises:
        ConfigError: A setting is out of range.

    >>> text = "Gorky wrote. Later Gorki wrote again. Gorky died. Kamenev and Kameneva met."
    >>> [(c.canonical, [f.text for f in c.variants]) for c in discover([("doc", text)])]
    [('Gorky', ['Gorki'])]
    """
    if min_length < 2 or min_count < 1 or max_examples < 0:
        msg = "discover: min_length must be >= 2, min_count >= 1, max_examples >= 0"
        raise ConfigError(msg)
    docs = list(docs)
    stats: dict[str, FormStats] = {}
    cases: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for source, text in docs:
        starts = [0, *(m.end() for m in _NEWLINE_RE.finditer(text))]
        for word, pos in _words(text):
            if len(word) < min_length:
                continue
            key = word.lower()
            st = stats.get(key)
            if st is None:
                st = stats[key] = FormStats(word)
            st.count += 1
            cases[key][word] += 1
            if word[0].isupper():
                st.capitalized += 1
            if len(st.examples) < max_examples:
                lineno, line = _line_at(text, starts, pos)
                st.examples.append((source, lineno, line))
    for key, st in stats.items():
        st.text = _display(cases[key])
    kept = {
        k: st
        for k, st in stats.items()
        if st.count >= min_count and k.isalpha() and not _ROMAN_RE.match(k)
    }

    from textfix.lexicon import load_lexicon

    lex = load_lexicon("en")
    uf = _UnionFind()
    by_skeleton: dict[str, list[str]] = collections.defaultdict(list)
    for key in kept:
        by_skeleton[skeleton(key)].append(key)

    def name_like(k: str) -> bool:
        return kept[k].capitalized * 5 >= kept[k].count * 4

    def different_words(a: str, b: str) -> bool:
        # Transliteration is a matter of names: lowercase words are paired only by the
        # shipped tables. A common dictionary word is not a name ("Committee"/"Commitee" is
        # a misprint, not a variant), and two dictionary words are two words.
        if not (name_like(a) and name_like(b)):
            return True
        za, zb = lex.zipf(a), lex.zipf(b)
        return max(za, zb) >= common_zipf + 1 or min(za, zb) >= common_zipf

    for keys in by_skeleton.values():
        if len(keys) < 2:
            continue
        keys.sort(key=lambda k: (-kept[k].count, k))
        for other in keys[1:]:
            if not different_words(keys[0], other):
                uf.union(keys[0], other, "transliteration")

    contexts = _contexts(docs, kept, min_length)
    _near_pairs(kept, by_skeleton, contexts, uf, name_like, different_words, min_context)
    if tables:
        _table_pairs(kept, uf, name_like)

    groups: dict[str, list[str]] = collections.defaultdict(list)
    for key in kept:
        if key in uf.parent:
            groups[uf.find(key)].append(key)
    clusters = []
    for root, keys in groups.items():
        if len(keys) < 2:
            continue
        keys.sort(key=lambda k: (-kept[k].count, kept[k].text))
        ctx = _cluster_context(keys, contexts)
        forms = tuple(kept[k] for k in keys)
        clusters.append(Cluster(forms[0].text, forms, uf.why.get(root, "transliteration"), ctx))
    clusters.sort(key=lambda c: (-sum(f.count for f in c.forms), c.canonical))
    return clusters


def _display(cases: collections.Counter[str]) -> str:
    """The most frequent case of a word, preferring Capitalized over ALL CAPS on ties."""
    return max(cases.items(), key=lambda kv: (kv[1], not kv[0].isupper(), kv[0]))[0]


def _contexts(
    docs: Sequence[tuple[str, str]], kept: Mapping[str, FormStats], min_length: int, window: int = 3
) -> dict[str, collections.Counter[str]]:
    out: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for _, text in docs:
        words = [w.lower() for w, _ in _words(text)]
        for i, w in enumerate(words):
            if w not in kept:
                continue
            ctx = out[w]
            for n in words[max(0, i - window) : i] + words[i + 1 : i + 1 + window]:
                if len(n) >= min_length and n != w:
                    ctx[n] += 1
    return out


def _cluster_context(keys: Sequence[str], contexts: Mapping[str, Mapping[str, int]]) -> float:
    head = contexts.get(keys[0], {})
    sims = [_cosine(head, contexts.get(k, {})) for k in keys[1:]]
    return max(sims) if sims else 0.0


def _near_pairs(
    kept: Mapping[str, FormStats],
    by_skeleton: Mapping[str, list[str]],
    contexts: Mapping[str, Mapping[str, int]],
    uf: _UnionFind,
    name_like: Any,
    different_words: Any,
    min_context: float,
) -> None:
    """Link skeletons one cheap substitution apart whose words share contexts.

    Skeletons are indexed by each inner position blanked out (as SymSpell indexes deletions),
    so only skeletons that differ at one position meet: linear in the vocabulary.
    """
    skels = sorted(s for s in by_skeleton if len(s) >= 6 and name_like(by_skeleton[s][0]))
    buckets: dict[str, list[str]] = collections.defaultdict(list)
    for s in skels:
        for i in range(1, len(s) - 2):
            buckets[f"{s[:i]}\0{s[i + 1 :]}"].append(s)
    for group in buckets.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if not _cheap_step(a, b):
                    continue
                ka, kb = by_skeleton[a][0], by_skeleton[b][0]
                if not (name_like(ka) and name_like(kb)) or different_words(ka, kb):
                    continue
                if _cosine(contexts.get(ka, {}), contexts.get(kb, {})) >= min_context:
                    uf.union(ka, kb, "near transliteration")


def _table_pairs(kept: Mapping[str, FormStats], uf: _UnionFind, name_like: Any) -> None:
    """Pair spellings that a shipped table maps onto each other, when both occur.

    Both must be used alike: "Labor" (a party's name) is not "labour".
    """
    from textfix.stages.variants import load_user_table, variant_table

    for table, why in (
        (variant_table("en-US"), "en-GB/en-US"),
        (load_user_table("en/archaic_en", "archaic"), "archaic"),
    ):
        for key in kept:
            entry = table.get(key)
            other = entry.value.lower() if entry is not None else ""
            if other in kept and name_like(other) == name_like(key):
                uf.union(other, key, why)


def write_tsv(clusters: Iterable[Cluster], out: IO[str]) -> int:
    """Write ``variant<TAB>canonical<TAB>count<TAB>canonical count<TAB>evidence`` rows.

    The file is meant to be edited (delete the rows you do not want, or swap a canonical
    form) and then given to ``normalize_variants`` as ``--variants FILE.tsv``.

    Returns:
        The number of rows written.
    """
    out.write("# textfix variants: variant <TAB> canonical <TAB> count <TAB> canonical count")
    out.write(" <TAB> evidence\n# delete the rows you do not want; use with --variants\n")
    rows = 0
    for c in clusters:
        head = c.forms[0]
        for f in c.variants:
            out.write(f"{f.text}\t{c.canonical}\t{f.count}\t{head.count}\t{c.evidence}\n")
            rows += 1
    return rows


def to_json(clusters: Iterable[Cluster]) -> str:
    """Return the clusters as a JSON document (a list of cluster objects)."""
    return json.dumps([c.to_dict() for c in clusters], ensure_ascii=False, indent=1)


def format_report(clusters: Sequence[Cluster]) -> str:
    """Return a readable report: one block per cluster with counts and example lines."""
    lines = [f"{len(clusters)} cluster(s) of spelling variants"]
    for c in clusters:
        lines.append("")
        lines.append(f"{c.canonical}  [{c.evidence}, context {c.context:.2f}]")
        for f in c.forms:
            mark = "*" if f is c.forms[0] else " "
            lines.append(f"  {mark} {f.text:<24} {f.count:>6}")
            lines.extend(f"        {src}:{n}: {line}" for src, n, line in f.examples)
    return "\n".join(lines)


# --- command line ------------------------------------------------------------------------


def register_cli(subparsers: Any) -> None:
    """Add the ``variants`` subcommand to the ``textfix`` command line."""
    p = subparsers.add_parser(
        "variants",
        help="find clusters of spelling variants (names especially) in documents",
        description=(
            "Find words spelled several ways across the given documents, propose the most "
            "frequent form, and write a table that 'textfix clean --variants' accepts."
        ),
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="text files or folders; - for stdin")
    p.add_argument("--json", action="store_true", help="print the clusters as JSON")
    p.add_argument("--tsv", metavar="FILE", help="write an editable variant table to FILE")
    p.add_argument("--min-count", type=int, default=1, help="ignore rarer spellings")
    p.add_argument("--min-length", type=int, default=4, help="ignore shorter words")
    p.add_argument("--examples", type=int, default=2, help="example lines per spelling")
    p.add_argument("--no-tables", action="store_true", help="skip en-GB/en-US, archaic pairs")
    p.add_argument("--encoding", default="utf-8", help="encoding of the inputs")
    p.set_defaults(func=_run_cli)


def _read_inputs(paths: Sequence[str], encoding: str) -> list[tuple[str, str]]:
    import sys
    from pathlib import Path

    docs: list[tuple[str, str]] = []
    for name in paths:
        if name == "-":
            docs.append(("<stdin>", sys.stdin.read()))
            continue
        path = Path(name)
        files = sorted(path.rglob("*.txt")) if path.is_dir() else [path]
        for f in files:
            try:
                docs.append((str(f), f.read_text(encoding=encoding)))
            except (OSError, UnicodeDecodeError) as exc:
                msg = f"cannot read {f}: {exc}"
                raise ConfigError(msg) from None
    return docs


def _run_cli(args: argparse.Namespace) -> int:
    import sys

    docs = _read_inputs(args.paths, args.encoding)
    clusters = discover(
        docs,
        min_length=args.min_length,
        min_count=args.min_count,
        max_examples=args.examples,
        tables=not args.no_tables,
    )
    if args.tsv:
        with open(args.tsv, "w", encoding="utf-8") as out:  # noqa: PTH123
            write_tsv(clusters, out)
    sys.stdout.write((to_json(clusters) if args.json else format_report(clusters)) + "\n")
    return 0
