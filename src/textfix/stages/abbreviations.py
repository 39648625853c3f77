"""Abbreviations misread by OCR, recognised by their context: titles before a name
("Mi. Smith" → "Mr. Smith", "Pie. J. Brown" → "Pte. J. Brown") and "&c." closing a list
("spectacles, Ac." → "spectacles, &c.").

The abbreviations are a small hand-written table of English print
(``dictionaries/en/abbreviations.tsv``); which misreadings are plausible comes from the learned
OCR confusions and real-word pairs, and whether a title is meant from the document itself.
:class:`~textfix.stages.words.FixRealWordErrors` calls :func:`abbreviation_edits` (rules
``title`` and ``etc``). See docs/words.md, "Abbreviations".
"""

from __future__ import annotations

import functools
import itertools
import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex
from rapidfuzz.distance import Levenshtein

from textfix.channel import UNSEEN_EDIT, channel_logprob, load_confusions, load_real_word_pairs
from textfix.errors import DictionaryError
from textfix.lexicon import load_bigrams
from textfix.resources import parse_tsv, resolve

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

__all__ = ["Abbreviations", "abbreviation_edits", "load_abbreviations", "title_counts"]

_KINDS = frozenset({"title", "before_name", "list_end"})
#: A short capitalized word before a capitalized word of the same line ("Mr. Smith", "Pte J.
#: Brown"): its full stop, then spaces. Linear: the word is bounded (a title is short: longer
#: words are not compared with the titles) and the look-ahead too. Same line only, so that
#: the counts of a text are the sum of the counts of its lines (see :func:`title_counts`).
_BEFORE_NAME_RE = regex.compile(
    r"(?<![\p{L}\p{M}\p{N}&~^])\p{Lu}\p{L}{0,6}(?![\p{L}\p{M}\p{N}])"
    r"(?=\.?[ \t]{1,3}(\p{Lu}\p{L}{0,30}))"
)
#: A short lowercase word (see :func:`title_counts`).
_SHORT_LOWER_RE = regex.compile(r"(?<![\p{L}\p{M}\p{N}])\p{Ll}{2,7}(?![\p{L}\p{M}\p{N}])")
#: A learned real-word pair this strong (log10 share: 30%) makes a token before a name that
#: title without the document's evidence ("mi" → "mr").
_PAIR_LOG_SHARE = math.log10(0.3)


@dataclass(frozen=True, slots=True)
class Abbreviations:
    """A loaded abbreviation table.

    Attributes:
        titles: Honorifics and ranks written before a name ("Mr", "Pte").
        others: Other abbreviations written before a name ("Mt", "St", "Wm"): never taken
            for a misread title.
        list_end: Known OCR form → the list-closing abbreviation it stands for ("Ac" → "&c").
        list_end_re: Matches those forms after a comma and before ".", ",", ";" or ":"
            (``None`` when the table has none).
    """

    titles: frozenset[str]
    others: frozenset[str]
    list_end: dict[str, str]
    list_end_re: regex.Pattern[str] | None


@functools.cache
def load_abbreviations(name: str = "en/abbreviations") -> Abbreviations:
    """Load an abbreviation table (columns: abbreviation, kind, known OCR forms).

    >>> "Mr" in load_abbreviations().titles
    True

    Raises:
        DictionaryNotFoundError: No such table.
        DictionaryError: A row has an unknown kind.
    """
    res = resolve(name)
    titles: set[str] = set()
    others: set[str] = set()
    list_end: dict[str, str] = {}
    for row in parse_tsv(res.read_text("utf-8-sig"), res.name):
        abbr, kind = row[0], row[1]
        if kind not in _KINDS:
            msg = f"{res.name}: unknown kind {kind!r} for {abbr!r} (known: {sorted(_KINDS)})"
            raise DictionaryError(msg)
        if kind == "title":
            titles.add(abbr)
        elif kind == "before_name":
            others.add(abbr)
        else:
            forms = row[2].split() if len(row) > 2 else []
            list_end.update((form, abbr) for form in forms if form != abbr)
    pattern = None
    if list_end:
        alts = "|".join(regex.escape(f) for f in sorted(list_end, key=len, reverse=True))
        # Linear: a fixed set of short literals, a bounded look-behind and a one-character
        # look-ahead.
        pattern = regex.compile(rf"(?<=,[ ]{{0,2}})(?:{alts})(?=[.,;:])")
    return Abbreviations(frozenset(titles), frozenset(others), list_end, pattern)


def title_counts(text: str) -> Counter[str]:
    """How often each short capitalized word stands before a capitalized word of its line
    (keyed as printed: "Mr"), and how often each short word occurs in lowercase (keyed in
    lowercase: "on"; a token used as a word is not taken for a misread title).

    >>> counts = title_counts("Mr. Brown met Mr Hall on Monday.\\nOn Dr. Grey's")
    >>> counts["Mr"], counts["on"], counts["On"]
    (2, 1, 1)
    """
    return _title_counts(text, _BEFORE_NAME_RE.finditer(text))


def _title_counts(text: str, before: Iterable[regex.Match[str]]) -> Counter[str]:
    """:func:`title_counts` of ``text``, given the matches of :data:`_BEFORE_NAME_RE` in it
    (found once by :func:`abbreviation_edits` for both uses)."""
    counts = Counter(m.group() for m in before)
    counts.update(_SHORT_LOWER_RE.findall(text))
    return counts


#: What joins the letter runs of one token of the word stages' tokenizer (``[~^&]+``).
_GLUE_RE = regex.compile(r"[~^&]+")


def _needed_counts(
    before: Iterable[regex.Match[str]],
    tokens: Sequence[regex.Match[str]],
    titles: frozenset[str],
) -> Counter[str]:
    """The counts of :func:`title_counts` that :func:`abbreviation_edits` reads: those of the
    words before names (the ``before`` matches), and, for their lowercase forms and the
    titles, how often each stands as a short lowercase word, counted among the letter runs of
    ``tokens`` (a token of the word stages is letter runs joined by ``~^&``; a match of
    :data:`_SHORT_LOWER_RE` is such a run of 2 to 7 lowercase letters) rather than by a scan
    of the whole text for every short lowercase word.

    >>> import regex as re_
    >>> text = "Mr. Brown met Mi. Hall on Monday.\\nOn Dr. Grey's mi&on"
    >>> toks = list(re_.finditer("[a-zA-Z]+(?:[~^&]+[a-zA-Z]+)*", text))
    >>> got = _needed_counts(_BEFORE_NAME_RE.finditer(text), toks, frozenset({"Mr", "Dr"}))
    >>> full = title_counts(text)
    >>> all(got[k] == full[k] for k in ("Mr", "Mi", "mi", "On", "on", "Dr", "dr"))
    True
    """
    counts = Counter(m.group() for m in before)
    wanted = {w for w in {k.lower() for k in counts} | titles if _SHORT_LOWER_RE.fullmatch(w)}
    if wanted:
        strings = [m.group() for m in tokens]
        counts.update(filter(wanted.__contains__, strings))
        # A token with a glyph inside (or a combining mark: not alphanumeric either) holds
        # several letter runs; a plain token is one run, counted above.
        for s in itertools.filterfalse(str.isalnum, strings):
            pieces = _GLUE_RE.split(s)
            if len(pieces) > 1:
                counts.update(filter(wanted.__contains__, pieces))
    return counts


def abbreviation_edits(
    text: str,
    *,
    table: str,
    confusions: str,
    pairs: str,
    min_count: int,
    before_name: Counter[str] | None = None,
    tokens: Sequence[regex.Match[str]] | None = None,
) -> Iterator[tuple[int, int, str, str, float]]:
    """Yield ``(start, end, replacement, rule, confidence)`` for misread abbreviations.

    ``before_name`` is :func:`title_counts` of the whole document (``None``: of ``text``).
    ``tokens``, if the caller has them, are the matches of the word stages' tokenizer in
    ``text`` (``textfix.stages.words._TOKEN_RE``): the counts of ``text`` are then read off
    them, only for the keys this function reads (:func:`_needed_counts`: the same values).

    - ``title``: a Titlecase token of at most 7 letters, before a capitalized word (after an
      optional full stop), one edit from a title of the table, where that edit is a learned
      OCR confusion or the pair a learned real-word pair, becomes that title when the
      document itself puts the title before a capitalized word at least ``min_count`` times
      and more often than the token and never uses the token in lowercase ("On Monday" in a
      text that says "on"), or when the learned pair says the token is that title
      at least 30% of the time ("mi" → "mr"). A learned pair may be two edits away ("air"
      → "mr"); a token that makes a listed bigram with the next word ("Air Force") stays.
    - ``etc``: a known OCR form of "&c" after a comma and before a punctuation mark.

    >>> text = "Dr. Grey and Dr. White saw him; Di. Jones wrote. Pens, ink, Ac., sold."
    >>> [e[2:4] for e in abbreviation_edits(
    ...     text, table="en/abbreviations", confusions="en/ocr_confusions",
    ...     pairs="en/real_word_pairs", min_count=2)]
    [('&c', 'etc'), ('Dr', 'title')]
    """
    abbr = load_abbreviations(table)
    if abbr.list_end_re is not None:
        for m in abbr.list_end_re.finditer(text):
            yield m.start(), m.end(), abbr.list_end[m.group()], "etc", 0.9
    if not abbr.titles:
        return
    before = list(_BEFORE_NAME_RE.finditer(text))
    spots = [
        m
        for m in before
        if len(m.group()) > 1
        and m.group()[1:].islower()
        and m.group() not in abbr.titles
        and m.group() not in abbr.others
    ]
    if not spots:
        return
    if before_name is None:
        if tokens is None:
            before_name = _title_counts(text, before)
        else:
            before_name = _needed_counts(before, tokens, abbr.titles)
    chosen = _titles_chosen(before_name, abbr, table, confusions, pairs, min_count)
    bigrams = load_bigrams()
    for m in spots:
        tok = m.group()
        title = chosen.get(tok)
        if title is None or f"{tok.lower()} {m.group(1).lower()}" in bigrams:
            continue  # (a phrase of its own, "Air Force": not a misread title)
        n_t, n_a = before_name[tok], before_name[title]
        yield m.start(), m.end(), title, "title", n_a / (n_a + n_t + 1)


def _titles_chosen(
    before_name: Counter[str],
    abbr: Abbreviations,
    table: str,
    confusions: str,
    pairs: str,
    min_count: int,
) -> dict[str, str]:
    """The title each capitalized word of the document before a name misreads, decided for
    the whole document at once: a token taken for a title adds its count to the title's, and
    the others are judged again with it, until nothing changes (so that the output, whose
    counts already have those changes, is decided the same way: idempotence)."""
    counts = Counter(before_name)
    todo = sorted(
        tok
        for tok in before_name
        if len(tok) > 1
        and tok[0].isupper()
        and tok[1:].islower()
        and tok not in abbr.titles
        and tok not in abbr.others
    )
    chosen: dict[str, str] = {}
    while todo:
        left = []
        for tok in todo:
            title = _title_for(tok, counts, table, confusions, pairs, min_count)
            if title is None:
                left.append(tok)
            else:
                chosen[tok] = title
                counts[title] += counts[tok]
                counts[tok] = 0
        if len(left) == len(todo):
            break
        todo = left
    return chosen


def _title_for(
    tok: str,
    before_name: Counter[str],
    table: str,
    confusions: str,
    pairs: str,
    min_count: int,
) -> str | None:
    """The one title that ``tok`` misreads, by the rules of :func:`abbreviation_edits`."""
    found = []
    used = before_name[tok.lower()] > 0  # the document uses the token as a word ("on")
    for title, strong in _title_options(table, confusions, pairs, tok):
        n = before_name[title]
        if strong or (not used and n >= min_count and n > before_name[tok]):
            found.append((n, title))
    if not found:
        return None
    found.sort(reverse=True)
    if len(found) > 1 and found[0][0] == found[1][0]:
        return None  # two titles as likely: not confident
    return found[0][1]


@functools.lru_cache(maxsize=1 << 14)
def _title_options(
    table: str, confusions: str, pairs: str, tok: str
) -> tuple[tuple[str, bool], ...]:
    """The titles ``tok`` may misread: one edit away, by a learned OCR confusion or a learned
    real-word pair; ``True`` beside the titles whose learned pair is strong enough to stand
    in for the document's evidence."""
    low = tok.lower()
    shares = dict(load_real_word_pairs(pairs).get(low, ()))
    model = load_confusions(confusions)
    out = []
    for title in sorted(load_abbreviations(table).titles):
        t_low = title.lower()
        share = shares.get(t_low)
        if share is not None:  # a learned pair (at most two edits: "air" for "mr")
            out.append((title, share >= _PAIR_LOG_SHARE))
        elif (
            abs(len(title) - len(tok)) <= 1
            and Levenshtein.distance(low, t_low) == 1
            and channel_logprob(model, low, t_low) > UNSEEN_EDIT
        ):
            out.append((title, False))
    return tuple(out)


def clear_caches() -> None:
    """Forget the per-token title options cached in this process (to time a cold run)."""
    _title_options.cache_clear()
