"""The OCR noisy channel: how likely an OCR engine is to print one string for another.

The model is a table of *confusions* learned from aligned OCR / ground-truth pairs. Each row
says how often the engine printed ``ocr`` where the page had ``gt`` (a single character such
as ``e`` → ``c``, or a short sequence such as ``m`` → ``rn``, ``ll`` → ``U``, ``h`` → ``li``),
relative to how often ``gt`` occurs. :func:`channel_logprob` turns the table into
``log10 P(ocr string | intended word)``, which the word stages add to the word's frequency
(a noisy channel) to decide whether a token is an OCR corruption of a more likely word.

:func:`learn_confusions` builds the table from JSONL gold pairs (the format of the evaluation
corpora), and ``textfix learn`` exposes it on the command line through :func:`register_cli`,
so users can adapt the model to their own OCR engine.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

import regex
from rapidfuzz.distance import Levenshtein

from textfix.errors import DictionaryError
from textfix.resources import parse_tsv, resolve

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Iterable, Iterator, Mapping

__all__ = [
    "ConfusionModel",
    "adapt_confusions",
    "channel_logprob",
    "channel_logprob_delta",
    "confusion_blocks",
    "learn_confusions",
    "learn_real_word_pairs",
    "load_confusions",
    "load_real_word_pairs",
    "register_cli",
    "word_pairs",
    "write_confusions",
]

#: Longest ``gt`` or ``ocr`` side of a learned confusion, in characters.
MAX_SPAN = 3
#: log10 probability of one character edit that the table has never seen.
UNSEEN_EDIT = -4.0
#: Occurrences added to an OCR word's count when its real-word error share is estimated.
_SHARE_SMOOTHING = 5
#: Smoothing added to every count, so rare confusions are not over-trusted.
_ALPHA = 0.5

_TOKEN_SPLIT_RE = regex.compile(r"\s+")
_STRIP_RE = regex.compile(r"^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$", regex.V1)


@dataclass(frozen=True, eq=False)
class ConfusionModel:
    """Learned confusions as log10 probabilities.

    Attributes:
        logp: ``(gt, ocr)`` → log10 P(the engine prints ``ocr`` | the page has ``gt``).
        max_span: The longest side of any confusion in the table.
    """

    logp: Mapping[tuple[str, str], float]
    max_span: int = MAX_SPAN
    _block_cache: dict[tuple[str, str], float] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def block(self, gt: str, ocr: str) -> float:
        """Return log10 P(``ocr`` | ``gt``) for one changed stretch of an alignment."""
        lp = self.logp.get((gt, ocr))
        if lp is not None:
            return lp
        # Capitals are rarer in the training data: "É" printed as "6" borrows from "é" → "6".
        lp = self.logp.get((gt.lower(), ocr.lower()))
        if lp is not None:
            return lp
        # Back off to single-character edits: pair the characters that both sides have, and
        # charge the rest as insertions or deletions.
        total = 0.0
        n = min(len(gt), len(ocr))
        for a, b in zip(gt[:n], ocr[:n], strict=True):
            total += self.logp.get((a, b), UNSEEN_EDIT)
        for a in gt[n:]:
            total += self.logp.get((a, ""), UNSEEN_EDIT)
        for b in ocr[n:]:
            total += self.logp.get(("", b), UNSEEN_EDIT)
        return total


def _blocks(gt: str, ocr: str) -> Iterator[tuple[str, str]]:
    """Yield the changed stretches ``(gt_part, ocr_part)`` of an alignment of two words."""
    pending: list[int] | None = None
    ops = cast("list[tuple[str, int, int, int, int]]", Levenshtein.opcodes(gt, ocr).as_list())
    for tag, src_start, src_end, dest_start, dest_end in ops:
        if tag == "equal":
            if pending is not None:
                yield gt[pending[0] : pending[1]], ocr[pending[2] : pending[3]]
                pending = None
            continue
        if pending is None:
            pending = [src_start, src_end, dest_start, dest_end]
        else:
            pending[1], pending[3] = src_end, dest_end
    if pending is not None:
        yield gt[pending[0] : pending[1]], ocr[pending[2] : pending[3]]


def confusion_blocks(gt: str, ocr: str) -> list[tuple[str, str]]:
    """The changed stretches ``(gt_part, ocr_part)`` of an alignment of a word and its OCR.

    >>> confusion_blocks("previous", "pievlous")
    [('r', 'i'), ('i', 'l')]
    """
    return list(_blocks(gt, ocr))


def adapt_confusions(
    model: ConfusionModel,
    seen: Mapping[tuple[str, str], int],
    chances: Mapping[str, int],
    *,
    prior: float,
    cap: float,
) -> ConfusionModel:
    """The channel of one document: ``model`` with the confusions the document shows raised.

    A Bayesian update per confusion: the global probability ``p`` counts as ``prior``
    observations of its ``gt`` string, the document adds ``seen[gt, ocr]`` confusions in
    ``chances[gt]`` occurrences, so the document's estimate is
    ``(p * prior + seen) / (prior + chances)``. A confusion is only ever raised, by at most
    ``cap`` (log10) and to at most one half, so a few corrections cannot reshape the channel.

    >>> m = ConfusionModel({("r", "i"): -3.0})
    >>> a = adapt_confusions(m, {("r", "i"): 20}, {"r": 400}, prior=100, cap=1.0)
    >>> round(a.logp["r", "i"], 3)
    -2.0
    >>> adapt_confusions(m, {}, {}, prior=100, cap=1.0) is m
    True
    """
    raised: dict[tuple[str, str], float] = {}
    for (g, o), c in seen.items():
        if c <= 0:
            continue
        base = model.logp.get((g, o))
        if base is None:
            base = model.block(g, o)
        n = max(chances.get(g, 0), c)
        post = (10**base * prior + c) / (prior + n)
        lp = min(math.log10(min(post, 0.5)), base + cap)
        if lp > base:
            raised[g, o] = round(lp, 3)
    if not raised:
        return model
    return ConfusionModel({**model.logp, **raised}, max(model.max_span, *map(_span, raised)))


def _span(key: tuple[str, str]) -> int:
    return max(len(key[0]), len(key[1]))


#: Most block costs remembered per model (a bounded cache: cleared when full).
_BLOCK_CACHE_SIZE = 1 << 16


def channel_logprob(model: ConfusionModel, ocr: str, word: str) -> float:
    """Return log10 P(``ocr`` | ``word``): the chance that ``word`` is printed as ``ocr``.

    Characters that match cost nothing; each changed stretch costs its learned confusion.

    >>> m = load_confusions("en/ocr_confusions")
    >>> channel_logprob(m, "the", "the")
    0.0
    >>> channel_logprob(m, "tbe", "the") > channel_logprob(m, "tqe", "the")
    True
    """
    if ocr == word:
        return 0.0
    cache = model._block_cache
    total = 0.0
    # The blocks of _blocks(word, ocr), inlined: this runs for every candidate of every token.
    # They are read off the edit operations (fewer than the opcodes, which add the equal
    # stretches): an operation that starts where the last one ended extends its block.
    ops = cast("list[tuple[str, int, int]]", Levenshtein.editops(word, ocr).as_list())
    ops.append(("", -2, -2))  # starts no block of its own: flushes the last one
    g0 = g1 = o0 = o1 = -1
    for tag, src, dest in ops:
        if src != g1:
            if g0 >= 0:
                key = (word[g0:g1], ocr[o0:o1])
                lp = cache.get(key)
                if lp is None:
                    if len(cache) >= _BLOCK_CACHE_SIZE:
                        cache.clear()
                    lp = cache[key] = model.block(*key)
                total += lp
            g0, o0 = src, dest
        if tag == "replace":
            g1, o1 = src + 1, dest + 1
        elif tag == "delete":
            g1, o1 = src + 1, dest
        else:
            g1, o1 = src, dest + 1
    return total


def channel_logprob_delta(
    model: ConfusionModel, base: ConfusionModel, ocr: str, word: str
) -> float:
    """``channel_logprob(model, ocr, word) - channel_logprob(base, ocr, word)``, with the
    alignment made once (it does not depend on the model): each total is the same sum, in
    the same order, as :func:`channel_logprob` makes, so the result is exactly that.

    >>> m = load_confusions("en/ocr_confusions")
    >>> a = adapt_confusions(m, {("h", "b"): 50}, {"h": 60}, prior=30, cap=1.5)
    >>> channel_logprob_delta(a, m, "tbe", "the") == (
    ...     channel_logprob(a, "tbe", "the") - channel_logprob(m, "tbe", "the"))
    True
    """
    if ocr == word:
        return 0.0
    total = base_total = 0.0
    for key in _blocks(word, ocr):
        total += _cached_block(model, key)
        base_total += _cached_block(base, key)
    return total - base_total


def _cached_block(model: ConfusionModel, key: tuple[str, str]) -> float:
    """``model.block(*key)``, through the model's bounded cache (as :func:`channel_logprob`)."""
    cache = model._block_cache
    lp = cache.get(key)
    if lp is None:
        if len(cache) >= _BLOCK_CACHE_SIZE:
            cache.clear()
        lp = cache[key] = model.block(*key)
    return lp


# --- loading ------------------------------------------------------------------------------


@functools.cache
def load_confusions(name: str = "en/ocr_confusions") -> ConfusionModel:
    """Load a confusion table (shipped name or path to a ``.tsv`` file), once per process.

    The file has the columns ``gt``, ``ocr``, ``count``, ``gt_count`` and ``log10p``; empty
    strings (insertions and deletions) are written as ``∅``.

    Raises:
        DictionaryNotFoundError: No such table.
        DictionaryError: A row is malformed.
    """
    res = resolve(name)
    logp: dict[tuple[str, str], float] = {}
    span = 1
    for row in parse_tsv(res.read_text("utf-8-sig"), res.name, columns=5):
        gt, ocr = _unempty(row[0]), _unempty(row[1])
        try:
            lp = float(row[4])
        except ValueError:
            msg = f"{res.name}: bad log10p {row[4]!r} for {row[0]!r} -> {row[1]!r}"
            raise DictionaryError(msg) from None
        logp[gt, ocr] = lp
        span = max(span, len(gt), len(ocr))
    return ConfusionModel(logp, span)


_EMPTY = "∅"


@functools.cache
def load_real_word_pairs(
    name: str = "en/real_word_pairs",
) -> Mapping[str, tuple[tuple[str, float], ...]]:
    """Load learned real-word confusions: OCR word → ``((intended word, log10 P), ...)``.

    The file has the columns ``ocr``, ``gt``, ``count``, ``ocr_count`` and ``log10p``.

    Raises:
        DictionaryNotFoundError: No such table.
        DictionaryError: A row is malformed.
    """
    res = resolve(name)
    out: dict[str, list[tuple[str, float]]] = {}
    for row in parse_tsv(res.read_text("utf-8-sig"), res.name, columns=5):
        try:
            lp = float(row[4])
        except ValueError:
            msg = f"{res.name}: bad log10p {row[4]!r} for {row[0]!r} -> {row[1]!r}"
            raise DictionaryError(msg) from None
        out.setdefault(row[0], []).append((row[1], lp))
    return {k: tuple(v) for k, v in out.items()}


def _unempty(s: str) -> str:
    return "" if s == _EMPTY else s


# --- learning -----------------------------------------------------------------------------


def _core(token: str) -> str:
    return _STRIP_RE.sub("", token)


def word_pairs(records: Iterable[Mapping[str, str]]) -> Iterator[tuple[str, str]]:
    """Yield ``(ocr_word, gt_word)`` for every aligned word of gold records.

    Words are aligned by a Levenshtein alignment of the whitespace-separated tokens; a
    stretch where OCR and ground truth have the same number of tokens is paired one to one.
    Leading and trailing punctuation is stripped. Equal pairs are yielded too, since they
    count how often each character is read correctly.
    """
    for rec in records:
        o = _TOKEN_SPLIT_RE.split(rec["ocr"].strip())
        g = _TOKEN_SPLIT_RE.split(rec["gt"].strip())
        for op in Levenshtein.opcodes(o, g):
            if op.tag not in {"equal", "replace"}:
                continue
            if op.src_end - op.src_start != op.dest_end - op.dest_start:
                continue
            for a, b in zip(
                o[op.src_start : op.src_end], g[op.dest_start : op.dest_end], strict=True
            ):
                ca, cb = _core(a), _core(b)
                if ca and cb:
                    yield ca, cb


def learn_confusions(
    pairs: Iterable[tuple[str, str]], *, min_count: int = 2
) -> dict[tuple[str, str], tuple[int, int, float]]:
    """Learn confusion probabilities from ``(ocr_word, gt_word)`` pairs.

    Only pairs that are close (at most a third of the word changed, and at most 3 edits)
    teach confusions, so misaligned words do not. Each changed stretch of the alignment of a
    pair is counted as one confusion ``gt → ocr``; its probability is its count divided by
    the number of times ``gt`` occurs in the ground-truth words (an insertion is divided by
    the number of characters).

    Args:
        pairs: Aligned words, OCR first.
        min_count: Drop confusions seen fewer times.

    Returns:
        ``(gt, ocr)`` → ``(count, gt_count, log10p)``.

    >>> table = learn_confusions([("tbe", "the"), ("the", "the")] * 3)
    >>> table["h", "b"][:2]
    (3, 6)
    """
    conf: Counter[tuple[str, str]] = Counter()
    words: Counter[str] = Counter()
    for ocr, gt in pairs:
        words[gt] += 1
        if ocr == gt:
            continue
        d = Levenshtein.distance(gt, ocr)
        if d > 3 or 3 * d > max(len(gt), 3):
            continue
        for g, o in _blocks(gt, ocr):
            if len(g) <= MAX_SPAN and len(o) <= MAX_SPAN:
                conf[g, o] += 1
    # How often each gt substring occurs: the denominators.
    needed = {g for g, _ in conf}
    occ: Counter[str] = Counter()
    chars = 0
    for w, c in words.items():
        chars += len(w) * c
        for n in range(1, MAX_SPAN + 1):
            for i in range(len(w) - n + 1):
                s = w[i : i + n]
                if s in needed:
                    occ[s] += c
    out: dict[tuple[str, str], tuple[int, int, float]] = {}
    for (g, o), c in conf.items():
        if c < min_count:
            continue
        denom = occ[g] if g else chars
        if denom <= 0:
            continue
        p = min((c + _ALPHA) / (denom + 1.0), 0.5)
        out[g, o] = (c, denom, round(math.log10(p), 3))
    return out


def learn_real_word_pairs(
    pairs: Iterable[tuple[str, str]],
    is_word: Callable[[str], bool],
    *,
    min_count: int = 3,
    min_share: float = 0.05,
) -> dict[tuple[str, str], tuple[int, int, float]]:
    """Learn which real words an OCR engine prints for other real words ("tho" for "the").

    Counts, for every OCR word that ``is_word`` accepts, how often the ground truth had
    another word that ``is_word`` also accepts and that differs by at most two characters
    (a misreading, not a misalignment). Case is folded.

    Args:
        pairs: Aligned words, OCR first (see :func:`word_pairs`).
        is_word: Whether a lowercase string is a known word.
        min_count: Drop pairs seen fewer times.
        min_share: Drop pairs whose share of the OCR word's occurrences is lower.

    Returns:
        ``(ocr, gt)`` → ``(count, ocr_count, log10 P(gt | ocr))``.

    >>> pairs = [("tho", "the")] * 40 + [("tho", "tho")]
    >>> learn_real_word_pairs(pairs, lambda w: True)["tho", "the"]
    (40, 41, -0.061)
    """
    seen: Counter[str] = Counter()
    wrong: Counter[tuple[str, str]] = Counter()
    for ocr, gt in pairs:
        o, g = ocr.lower(), gt.lower()
        if not o.isalpha() or not is_word(o):
            continue
        seen[o] += 1
        if o != g and g.isalpha() and is_word(g) and Levenshtein.distance(o, g) <= 2:
            if _glued(o, g, is_word):
                continue
            wrong[o, g] += 1
    out: dict[tuple[str, str], tuple[int, int, float]] = {}
    for (o, g), c in wrong.items():
        # Smoothed share: a pair seen 5 times in 23 is weaker evidence than 500 in 2300.
        share = c / (seen[o] + _SHARE_SMOOTHING)
        if c >= min_count and share >= min_share:
            out[o, g] = (c, seen[o], round(math.log10(share), 3))
    return out


def _glued(ocr: str, gt: str, is_word: Callable[[str], bool]) -> bool:
    """Whether ``ocr`` is ``gt`` with another word glued to it ("ofthe" aligned with "the"),
    or with letters glued to a one-letter ``gt`` ("ac" aligned with "c" where the ground truth
    lost the "&" of "&c"): an alignment or transcription artefact, not a misreading.

    >>> _glued("ofthe", "the", lambda w: True), _glued("tho", "the", lambda w: True)
    (True, False)
    """
    if ocr.endswith(gt):
        rest = ocr[: len(ocr) - len(gt)]
    elif ocr.startswith(gt):
        rest = ocr[len(gt) :]
    else:
        return False
    return len(gt) == 1 or (len(rest) >= 2 and is_word(rest))


def write_confusions(
    table: Mapping[tuple[str, str], tuple[int, int, float]],
    path: str | Path,
    *,
    header: Iterable[str] = (),
) -> None:
    """Write a learned table as TSV, most frequent confusions first."""
    lines = [f"# {h}" for h in header]
    lines.append("# columns: gt, ocr, count, gt_count, log10p  (∅ = empty string)")
    for (g, o), (c, n, lp) in sorted(table.items(), key=lambda kv: (-kv[1][0], kv[0])):
        g2 = unicodedata.normalize("NFC", g) or _EMPTY
        o2 = unicodedata.normalize("NFC", o) or _EMPTY
        if "\t" in g2 + o2 or "\n" in g2 + o2:
            continue
        lines.append(f"{g2}\t{o2}\t{c}\t{n}\t{lp}")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _learn_main(args: argparse.Namespace) -> int:
    from textfix.evaluate import read_pairs

    records = [rec for path in args.data for rec in read_pairs(path)]
    table = learn_confusions(word_pairs(records), min_count=args.min_count)
    names = ", ".join(Path(p).name for p in args.data)
    write_confusions(
        table,
        args.output,
        header=[
            "OCR confusions learned by `textfix learn` (textfix.channel.learn_confusions)",
            f"from: {names}",
        ],
    )
    if args.pairs:
        from textfix.lexicon import load_lexicon

        lex = load_lexicon(args.lang)

        def is_word(w: str) -> bool:
            return lex.zipf(w) >= _PAIR_WORD_ZIPF

        # Pairs that are often the error, and pairs rarely the error but seen often enough
        # to trust their share (fix_real_word_errors judges those at low_share_threshold).
        pairs = learn_real_word_pairs(
            word_pairs(records), is_word, min_count=_LOW_SHARE_MIN_COUNT, min_share=0.005
        )
        pairs.update(learn_real_word_pairs(word_pairs(records), is_word))
        write_confusions(
            pairs,
            args.pairs,
            header=[
                "Real-word OCR errors (ocr word -> intended word) learned by `textfix learn`",
                f"from: {names}",
            ],
        )
    return 0


#: Words of the lexicon at least this frequent (Zipf) count as words for real-word pairs.
_PAIR_WORD_ZIPF = 3.0
#: Pairs under 5% of the OCR word's occurrences are kept when seen this often.
_LOW_SHARE_MIN_COUNT = 8


def register_cli(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``textfix learn --data PAIRS.jsonl -o confusions.tsv [--pairs pairs.tsv]`` to
    the command line."""
    p = subparsers.add_parser(
        "learn",
        help="learn an OCR confusion table from gold OCR/ground-truth pairs",
        description=(
            "Align OCR and ground truth word by word and write the character confusions "
            "(with their log10 probabilities) as a table that fix_ocr_words can use."
        ),
    )
    p.add_argument(
        "--data",
        nargs="+",
        required=True,
        metavar="PAIRS.jsonl",
        help="JSONL files with 'ocr' and 'gt' fields",
    )
    p.add_argument("-o", "--output", required=True, metavar="TSV", help="table to write")
    p.add_argument("--min-count", type=int, default=2, help="drop rarer confusions (2)")
    p.add_argument(
        "--pairs",
        metavar="TSV",
        help="also write the real-word pairs (OCR word -> intended word) that "
        "fix_real_word_errors uses (its setting pairs = TSV)",
    )
    p.add_argument("--lang", default="en", help="lexicon language for --pairs (en)")
    p.set_defaults(func=_learn_main)
