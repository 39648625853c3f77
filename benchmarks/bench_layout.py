"""Benchmark of the layout stages on generated page layouts (seeded, rerunnable).

The generator writes paragraphs of real words (common lowercase words of the lexicon), wraps
them at a random width, hyphenates words at valid hyphenation points (pyphen) to fill lines,
optionally double-spaces the lines (Internet Archive style), and cuts the lines into pages
with a page number and a running head. The character and layout layers of the default preset
must give back the original paragraphs (the word stages are left out of the accuracy figures:
on random sequences of words, real-word correction acts by design). Reported: join accuracy
over the generated breaks, page-furniture recall and precision, exact-document rate, and throughput.

Usage::

    python benchmarks/bench_layout.py [--breaks 10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

_LAYOUT = ("remove_page_furniture", "dehyphenate", "unwrap_lines")
# Running heads of the generated books.
_HEADS = ("THE HISTORY OF SMALL THINGS", "A BOOK OF COMMON WORDS", "NOTES ON THE WEATHER")


@dataclass
class Generated:
    """One generated document and what the pipeline must find in it."""

    text: str
    paragraphs: list[str]
    breaks: list[str] = field(default_factory=list)  # the words split at a line end
    furniture: list[str] = field(default_factory=list)  # the furniture lines inserted


def _words(min_zipf: float = 3.0) -> list[str]:
    from textfix.lexicon import load_lexicon

    lex = load_lexicon("en")
    return sorted(
        w
        for w in lex.freqs
        if w.isalpha() and w.isascii() and w.islower() and 2 <= len(w) <= 12
        if lex.zipf(w) >= min_zipf
    )


_COMMON: dict[int, list[str]] = {}


def _common(words: list[str]) -> list[str]:
    """The most common of ``words``, for the halves of invented compounds."""
    if len(words) not in _COMMON:
        from textfix.lexicon import load_lexicon

        lex = load_lexicon("en")
        _COMMON[len(words)] = [w for w in words if lex.zipf(w) >= 4.8 and len(w) >= 3]
    return _COMMON[len(words)]


def _compound(rng: random.Random, words: list[str]) -> str:
    """Two common words joined by a hyphen whose joined form is no word ("river-garden")."""
    from textfix.lexicon import load_lexicon

    lex = load_lexicon("en")
    common = _common(words)
    while True:
        a, b = rng.choice(common), rng.choice(common)
        if lex.zipf(a + b) == 0:
            return f"{a}-{b}"


def _paragraph(rng: random.Random, words: list[str]) -> str:
    sentences = []
    for _ in range(rng.randint(1, 5)):
        n = rng.randint(4, 18)
        ws = [rng.choice(words) for _ in range(n)]
        ws[0] = ws[0].capitalize()
        for i in range(1, n - 1):
            if rng.random() < 0.05:
                ws[i] = _compound(rng, words)
            if rng.random() < 0.06:
                ws[i] += ","
        sentences.append(" ".join(ws) + rng.choice(".....?!"))
    return " ".join(sentences)


def _wrap(para: str, width: int, hyph: object, rng: random.Random, out: Generated) -> list[str]:
    """Greedy wrap; a word that does not fit is hyphenated at the last point that fits."""
    lines: list[str] = []
    line = ""
    for word in para.split(" "):
        cand = f"{line} {word}" if line else word
        if len(cand) <= width:
            line = cand
            continue
        room = width - len(line) - (1 if line else 0) - 1
        split = None
        core = word.rstrip(",.?!")
        if "-" in core and 0 < core.index("-") + 1 <= room:
            # A compound breaks at its own hyphen, which must stay.
            cut = core.index("-") + 1
            lines.append(f"{line} {word[:cut]}" if line else word[:cut])
            out.breaks.append(core)
            line = word[cut:]
            continue
        if room >= 2 and core.isalpha() and len(core) >= 5:
            for left, right in hyph.iterate(core):  # type: ignore[attr-defined]
                if len(left) <= room and len(left) >= 2 and len(right) >= 2:
                    split = (left, right + word[len(core) :])
                    break
        if split is not None:
            mark = rng.choice("--------¬\u00ad")
            lines.append(f"{line} {split[0]}{mark}" if line else f"{split[0]}{mark}")
            out.breaks.append(core)
            line = split[1]
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def generate(seed: int, words: list[str], *, n_paragraphs: int = 12) -> Generated:
    """Generate one document (see the module docstring)."""
    import pyphen

    rng = random.Random(seed)
    hyph = pyphen.Pyphen(lang="en_US")
    paragraphs = [_paragraph(rng, words) for _ in range(n_paragraphs)]
    out = Generated("", paragraphs)
    width = rng.randint(40, 80)
    double = rng.random() < 0.3
    page_len = rng.randint(8, 16)
    head = rng.choice(_HEADS)
    style = rng.choice(("bare", "dash", "fused", "head_line"))
    page = rng.randint(2, 300)
    # Physical lines, with None for a paragraph gap.
    phys: list[str | None] = []
    for p in paragraphs:
        if phys:
            phys.append(None)
        phys.extend(_wrap(p, width, hyph, rng, out))
    rendered: list[str] = []
    since_page = 0
    for i, line in enumerate(phys):
        if line is None:
            rendered.extend(["", ""] if double else [""])
            continue
        rendered.append(line)
        if double:
            rendered.append("")
        since_page += 1
        nxt = phys[i + 1] if i + 1 < len(phys) else None
        # A page ends after a line that does not end a sentence (where a page break is
        # ambiguous with a paragraph break even for a reader), inside a paragraph.
        if since_page >= page_len and nxt is not None and line[-1] not in ".?!":
            since_page = 0
            page += 1
            furniture = _furniture(style, head, page)
            out.furniture.extend(furniture)
            if not double:
                rendered.append("")
            for f in furniture:
                rendered.extend([f, ""])
    out.text = "\n".join(rendered) + "\n"
    return out


def _furniture(style: str, head: str, page: int) -> list[str]:
    if style == "bare":
        return [str(page)]
    if style == "dash":
        return [f"- {page} -"]
    if style == "fused":
        return [f"{page} {head}" if page % 2 == 0 else f"{head}. {page}"]
    return [str(page), head]


def score(gen: Generated, fixed_text: str, removed: list[str]) -> dict[str, int]:
    """Count correct joins, found and false furniture, and exact paragraphs."""
    got = [p for p in fixed_text.split("\n\n") if p.strip()]
    # Every other word is copied through, so a gold word missing from the output is a
    # break that was not joined right (or a page break that went wrong).
    missing = Counter(" ".join(gen.paragraphs).split()) - Counter(" ".join(got).split())
    joined_ok = max(0, len(gen.breaks) - sum(missing.values()))
    inserted = list(gen.furniture)
    tp = 0
    for line in removed:
        if line in inserted:
            inserted.remove(line)
            tp += 1
    return {
        "breaks": len(gen.breaks),
        "joined_ok": joined_ok,
        "furniture": len(gen.furniture),
        "removed": len(removed),
        "removed_ok": tp,
        "docs": 1,
        "docs_exact": int([p.strip() for p in got] == gen.paragraphs),
    }


def run(n_breaks: int, seed: int) -> dict[str, float]:
    """Generate documents until ``n_breaks`` breaks are made; return the figures."""
    from textfix import load_preset
    from textfix.pipeline import Pipeline

    pipe = load_preset("default")
    layout = Pipeline(tuple(s for s in pipe.stages if s.name in _LAYOUT), "layout")
    layers = Pipeline(
        tuple(s for s in pipe.stages if type(s).__module__.endswith((".unicode", ".layout"))),
        "characters+layout",
    )
    words = _words()
    totals: dict[str, int] = {}
    chars = 0
    seconds = 0.0
    layout_seconds = 0.0
    i = 0
    while totals.get("breaks", 0) < n_breaks:
        gen = generate(seed * 1_000_003 + i, words)
        i += 1
        t0 = time.perf_counter()
        pipe(gen.text)
        t1 = time.perf_counter()
        layout(gen.text)
        layout_seconds += time.perf_counter() - t1
        seconds += t1 - t0
        chars += len(gen.text.encode("utf-8"))
        fixed = layers.explain(gen.text)
        removed = [
            gen.text[e.start : e.end].strip()
            for s in fixed.steps
            if s.stage == "remove_page_furniture"
            for e in s.edits
        ]
        for k, v in score(gen, fixed.text, removed).items():
            totals[k] = totals.get(k, 0) + v
    return {
        "breaks": totals["breaks"],
        "join_accuracy": totals["joined_ok"] / max(1, totals["breaks"]),
        "furniture_recall": totals["removed_ok"] / max(1, totals["furniture"]),
        "furniture_precision": totals["removed_ok"] / max(1, totals["removed"]),
        "docs": totals["docs"],
        "docs_exact": totals["docs_exact"] / max(1, totals["docs"]),
        "mb_per_s": chars / 1e6 / seconds if seconds else 0.0,
        "layout_mb_per_s": chars / 1e6 / layout_seconds if layout_seconds else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--breaks", type=int, default=10_000, help="line-end breaks to generate")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    from textfix import load_preset

    res = run(args.breaks, args.seed)
    print(f"# bench_layout seed={args.seed} python={platform.python_version()} {sys.platform}")
    print(f"# signature: {load_preset('default').signature()}")
    print(
        "| breaks | join accuracy | furniture recall | furniture precision | docs exact "
        "| MB/s default | MB/s layout stages |"
    )
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {res['breaks']} | {res['join_accuracy']:.2%} | {res['furniture_recall']:.2%} "
        f"| {res['furniture_precision']:.2%} | {res['docs_exact']:.1%} of {res['docs']} "
        f"| {res['mb_per_s']:.2f} | {res['layout_mb_per_s']:.2f} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
