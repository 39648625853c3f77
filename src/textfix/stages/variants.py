"""Spelling variants: one form for a word spelled several ways. Not in the default preset.

British and American spellings ("mobilise"/"mobilize"), early modern forms ("bookes") and
transliterated names ("Dostoyevsky"/"Dostoevsky") make search, counting and entity linking
miss. :class:`NormalizeVariants` rewrites them to one chosen form from tables:

* the shipped en-GB/en-US table (``dictionaries/en/variants_en-GB_en-US.tsv``, derived from
  SCOWL by ``scripts/build_variants.py``), used in either direction with ``to``;
* the shipped early modern English table (``dictionaries/en/archaic_en.tsv``) with
  ``archaic=True``; OCR correction never modernizes, only this opt-in stage does;
* the user's own tables (``variant<TAB>canonical``, such as the ones ``textfix variants``
  writes), applied after the shipped ones and composed in the order given.

The stage changes the author's text, so it is off unless a preset or the caller turns it on.
Matching is by whole word, and the case of the word is kept (``Colour`` → ``Color``,
``COLOUR`` → ``COLOR``); a capitalized table entry (a name) matches only capitalized and
all-caps words. Parts of hyphenated words and the stem of a possessive are matched too
("well-organised", "colour's").
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, ClassVar, NamedTuple

import regex

from textfix.edits import Edit
from textfix.errors import ConfigError, DictionaryError
from textfix.registry import register
from textfix.resources import parse_tsv, resolve
from textfix.tokens import WORD_RE, tokenize

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence

    from textfix.pipeline import Pipeline

__all__ = [
    "FAMILIES",
    "TARGETS",
    "NormalizeVariants",
    "Variant",
    "apply_case",
    "load_user_table",
    "variant_edits",
    "variant_table",
    "with_variants",
]

#: The spelling varieties the shipped table can normalize to.
TARGETS = ("en-US", "en-GB")
#: The spelling families of the shipped en-GB/en-US table (its third column).
FAMILIES = ("ise", "yse", "our", "re", "ogue", "ll", "ae", "oe", "ce")

_VARIETY_TABLE = "en/variants_en-GB_en-US"
_ARCHAIC_TABLE = "en/archaic_en"
_PART_RE = regex.compile(r"[\p{L}\p{M}\p{N}]+", regex.V1)
_POSSESSIVE_RE = regex.compile(r"['’][sS]$")
_OPENERS = frozenset("\"'“‘«([{")
_SENTENCE_ENDS = frozenset(".!?:;…")
# A run of letters that no digit touches (possessive: linear time, no backtracking).
_LETTERS_RE = regex.compile(r"(?<![\p{L}\p{M}\p{N}])[\p{L}\p{M}]++(?!\p{N})", regex.V1)


class Variant(NamedTuple):
    """One entry of a variant table: the variant as written, its canonical form, the rule."""

    key: str
    value: str
    rule: str


def apply_case(token: str, key: str, value: str) -> str | None:
    """Return ``value`` in the case ``token`` has relative to ``key``, or ``None``.

    A lowercase key matches the word in lowercase, Capitalized and ALL CAPS; a capitalized
    key (a name) matches it Capitalized and ALL CAPS only, so "Bill" → "William" never turns
    the noun "bill" into "william". Any other mixture of cases is left alone.

    >>> apply_case("Colour", "colour", "color"), apply_case("COLOUR", "colour", "color")
    ('Color', 'COLOR')
    >>> apply_case("gorki", "Gorki", "Gorky") is None
    True
    """
    if token == key:
        return value
    if len(token) > 1 and token.isupper() and token == key.upper():
        return value.upper()
    if token == key[:1].upper() + key[1:]:
        return value[:1].upper() + value[1:]
    return None


def _add(table: dict[str, Variant], key: str, value: str, rule: str, source: str) -> None:
    if WORD_RE.fullmatch(key) is None or WORD_RE.fullmatch(value) is None:
        msg = f"{source}: {key!r} -> {value!r}: both sides must be single words"
        raise DictionaryError(msg)
    fold = key.lower()
    old = table.get(fold)
    if old is not None and old.key == key and old.value != value:
        msg = f"{source}: {key!r} is mapped twice ({old.value!r} and {value!r})"
        raise DictionaryError(msg)
    if key != value and (old is None or key.islower()):
        table[fold] = Variant(key, value, rule)


@functools.cache
def variant_table(to: str, skip_families: frozenset[str] = frozenset()) -> Mapping[str, Variant]:
    """Load the shipped en-GB/en-US table in the direction of ``to``, keyed by lowercase word.

    Args:
        to: ``"en-US"`` (British forms become American) or ``"en-GB"`` (the reverse).
        skip_families: Families to leave alone, such as ``{"ise"}`` for Oxford spelling.

    >>> variant_table("en-US")["colour"].value, variant_table("en-GB")["mobilize"].value
    ('color', 'mobilise')
    """
    res = resolve(_VARIETY_TABLE)
    out: dict[str, Variant] = {}
    rule = "en-GB>en-US" if to == "en-US" else "en-US>en-GB"
    for row in parse_tsv(res.read_text("utf-8-sig"), res.name):
        gb, us = row[0], row[1]
        family = row[2] if len(row) > 2 else ""
        if skip_families and skip_families.intersection(family.split("+")):
            continue
        key, value = (gb, us) if to == "en-US" else (us, gb)
        _add(out, key, value, rule, res.name)
    return MappingProxyType(out)


def load_user_table(name: str, rule: str = "table") -> Mapping[str, Variant]:
    """Load a ``variant<TAB>canonical`` table (a file path or a shipped name).

    Columns after the second are ignored, so the table ``textfix variants`` writes, with its
    counts, loads as it is. Chains inside one table (a → b, b → c) are followed to their end.
    The table is cached per process and read again when the file changes.

    Raises:
        DictionaryNotFoundError: No such file or dictionary.
        DictionaryError: A line is malformed, a key is mapped twice or the table has a cycle.
    """
    return _load_user_table(name, rule, _version(name))


def _version(name: str) -> int:
    """The modification time of a user file (0 for a shipped name), part of the cache keys."""
    try:
        return Path(name).stat().st_mtime_ns if name.endswith((".tsv", ".txt")) else 0
    except OSError:
        return 0


@functools.lru_cache(maxsize=64)
def _load_user_table(name: str, rule: str, _version: int) -> Mapping[str, Variant]:
    res = resolve(name)
    out: dict[str, Variant] = {}
    for row in parse_tsv(res.read_text("utf-8-sig"), res.name):
        _add(out, row[0].strip(), row[1].strip(), rule, res.name)
    return MappingProxyType(_close(out, res.name))


def _lookup(table: Mapping[str, Variant], word: str) -> Variant | None:
    entry = table.get(word.lower())
    if entry is None:
        return None
    value = apply_case(word, entry.key, entry.value)
    return None if value is None else Variant(word, value, entry.rule)


def _close(table: dict[str, Variant], source: str) -> dict[str, Variant]:
    """Follow chains so that no value is itself a key; drop entries that map to themselves."""
    out: dict[str, Variant] = {}
    for fold, entry in table.items():
        value, rules, seen = entry.value, [entry.rule], {fold}
        while (nxt := _lookup(table, value)) is not None:
            if nxt.value.lower() in seen:
                msg = f"{source}: the variants of {entry.key!r} form a cycle"
                raise DictionaryError(msg)
            seen.add(nxt.value.lower())
            value = nxt.value
            rules.append(table[nxt.key.lower()].rule)
        if value != entry.key:
            out[fold] = Variant(entry.key, value, "+".join(dict.fromkeys(rules)))
    return out


def _compose(tables: Iterable[Mapping[str, Variant]]) -> dict[str, Variant]:
    """Compose tables in order: a word is rewritten by the first, then its result by the next."""
    out: dict[str, Variant] = {}
    for table in tables:
        for fold, entry in list(out.items()):
            nxt = _lookup(table, entry.value)
            if nxt is None:
                continue
            if nxt.value == entry.key:  # the later table undoes the earlier one
                out[fold] = Variant(entry.key, entry.key, "")
            else:
                out[fold] = Variant(entry.key, nxt.value, f"{entry.rule}+{nxt.rule}")
        for fold, entry in table.items():
            out.setdefault(fold, entry)
    return {fold: e for fold, e in out.items() if e.value != e.key}


def _stem(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]


def _compound(table: Mapping[str, Variant]) -> bool:
    return any(not k.isalpha() for k in table)


@functools.lru_cache(maxsize=32)
def _compiled(
    to: str,
    tables: tuple[str, ...],
    archaic: bool,
    skip_families: frozenset[str],
    _versions: tuple[int, ...] = (),
) -> tuple[Mapping[str, Variant], bool]:
    table = _mapping(to, tables, archaic, skip_families)
    return table, _compound(table)


def _mapping(
    to: str, tables: tuple[str, ...], archaic: bool, skip_families: frozenset[str]
) -> Mapping[str, Variant]:
    parts: list[Mapping[str, Variant]] = []
    if archaic:
        parts.append(load_user_table(_ARCHAIC_TABLE, "archaic"))
    if to:
        parts.append(variant_table(to, skip_families))
    parts.extend(load_user_table(t, f"table:{_stem(t)}") for t in tables)
    if len(parts) == 1:
        return parts[0]
    return MappingProxyType(_close(_compose(parts), "variant tables"))


@register
@dataclass(frozen=True, slots=True)
class NormalizeVariants:
    """Rewrite spelling variants to one form: en-GB ↔ en-US, early modern forms, user tables.

    Args:
        to: ``"en-US"`` or ``"en-GB"`` to normalize British/American spelling, or ``""``.
        tables: User tables (``variant<TAB>canonical`` files), applied after the shipped
            ones and composed in this order.
        archaic: Modernize early modern English spellings ("bookes" → "books").
        skip_families: Families of the en-GB/en-US table to leave alone; ``("ise",)`` keeps
            Oxford "-ize" spelling when ``to="en-GB"``. Known families: see :data:`FAMILIES`.
        proper_nouns: Also respell Capitalized words inside a sentence with the en-GB/en-US
            table. Off by default: those are mostly names with an official spelling
            ("Pearl Harbor", "the Labor Party", "World Trade Center").

    Raises:
        ConfigError: ``to`` or a family is unknown, or ``tables`` is not a list of names.

    >>> from textfix.edits import apply_edits
    >>> s = "Colour of the centre, COLOURED, well-organised; Pearl Harbour stays."
    >>> apply_edits(s, NormalizeVariants(to="en-US").edits(s))
    'Color of the center, COLORED, well-organized; Pearl Harbour stays.'
    >>> s = "A mobilized, colorful theater."
    >>> apply_edits(s, NormalizeVariants(to="en-GB", skip_families=("ise",)).edits(s))
    'A mobilized, colourful theatre.'
    """

    name: ClassVar[str] = "normalize_variants"
    stream_context: ClassVar[int] = 2  # lines read around a word (textfix.stream)
    to: str = ""
    tables: tuple[str, ...] = ()
    archaic: bool = False
    skip_families: tuple[str, ...] = ()
    proper_nouns: bool = False

    def __post_init__(self) -> None:
        if self.to not in ("", *TARGETS):
            msg = f"normalize_variants: 'to' must be one of {', '.join(TARGETS)}, not {self.to!r}"
            raise ConfigError(msg)
        for field_name in ("tables", "skip_families"):
            value = getattr(self, field_name)
            if isinstance(value, str):
                value = (value,)
            if not isinstance(value, (tuple, list)) or not all(isinstance(v, str) for v in value):
                msg = f"normalize_variants: {field_name!r} must be a list of strings"
                raise ConfigError(msg)
            object.__setattr__(self, field_name, tuple(value))
        unknown = sorted(set(self.skip_families) - set(FAMILIES))
        if unknown:
            msg = (
                f"normalize_variants: unknown famil{'ies' if len(unknown) > 1 else 'y'} "
                f"{', '.join(unknown)}; known: {', '.join(FAMILIES)}"
            )
            raise ConfigError(msg)
        for flag in ("archaic", "proper_nouns"):
            if not isinstance(getattr(self, flag), bool):
                msg = f"normalize_variants: {flag!r} must be true or false"
                raise ConfigError(msg)

    def edits(self, text: str) -> Iterator[Edit]:
        if not (self.to or self.tables or self.archaic):
            return
        versions = tuple(_version(t) for t in self.tables)
        table, compound = _compiled(
            self.to, self.tables, self.archaic, frozenset(self.skip_families), versions
        )
        yield from variant_edits(
            text, table, self.name, compound=compound, proper_nouns=self.proper_nouns
        )


def variant_edits(
    text: str,
    table: Mapping[str, Variant],
    stage: str,
    *,
    compound: bool | None = None,
    proper_nouns: bool = False,
) -> Iterator[Edit]:
    """Yield an edit for every whole word (or part of a hyphenated word) found in ``table``.

    ``compound`` says whether some key holds a hyphen or an apostrophe (computed when
    ``None``); only then is each token tried whole before its parts. Unless ``proper_nouns``,
    a Capitalized word inside a sentence is left to its owner when the British/American table
    would change it ("Pearl Harbor", "the Labor Party", "Centre Pompidou").

    >>> table = variant_table("en-US")
    >>> [(e.start, e.replacement) for e in variant_edits("well-organised, 3colour", table, "x")]
    [(5, 'organized')]
    """
    if compound is None:
        compound = _compound(table)
    edits = _token_edits(text, table, stage) if compound else _run_edits(text, table, stage)
    if proper_nouns:
        yield from edits
        return
    for e in edits:
        word = text[e.start : e.end]
        if (
            e.rule.startswith("en-")
            and word[:1].isupper()
            and not word.isupper()
            and not _sentence_start(text, e.start)
        ):
            continue
        yield e


def _sentence_start(text: str, pos: int) -> bool:
    """Whether only spaces and opening quotes or brackets separate ``pos`` from a sentence end.

    >>> _sentence_start("Done. “Colour", 7), _sentence_start("the Colour", 4)
    (True, False)
    """
    i = pos - 1
    while i >= 0 and (text[i].isspace() or text[i] in _OPENERS):
        i -= 1
    return i < 0 or text[i] in _SENTENCE_ENDS


def _run_edits(text: str, table: Mapping[str, Variant], stage: str) -> Iterator[Edit]:
    # No key holds a hyphen or an apostrophe, so a word is a run of letters that no digit
    # touches: the same words as the tokenizer's parts, found in one scan.
    get = table.get
    for m in _LETTERS_RE.finditer(text):
        entry = get(m.group().lower())
        if entry is not None:
            value = apply_case(m.group(), entry.key, entry.value)
            if value is not None:
                yield Edit(m.start(), m.end(), value, stage, entry.rule)


def _token_edits(text: str, table: Mapping[str, Variant], stage: str) -> Iterator[Edit]:
    for tok in tokenize(text):
        word = _POSSESSIVE_RE.sub("", tok.text)
        hit = _lookup(table, word)
        if hit is not None:
            yield Edit(tok.start, tok.start + len(word), hit.value, stage, hit.rule)
            continue
        first = _PART_RE.match(tok.text)
        if first is None or first.end() == len(tok.text):
            continue
        for m in _PART_RE.finditer(tok.text):
            hit = _lookup(table, m.group())
            if hit is not None:
                yield Edit(tok.start + m.start(), tok.start + m.end(), hit.value, stage, hit.rule)


def with_variants(pipe: Pipeline, *, to: str = "", tables: Sequence[str] = ()) -> Pipeline:
    """Return ``pipe`` with ``normalize_variants`` set to ``to`` and extra ``tables``.

    This is what ``textfix clean --to en-GB --variants FILE.tsv`` does: when the pipeline has
    the stage, ``to`` replaces its setting (if given) and ``tables`` are appended to its own;
    otherwise the stage is added at the end, after OCR correction. Nothing asked, nothing
    changed.

    Raises:
        ConfigError: ``to`` is not a known variety.

    >>> from textfix.pipeline import Pipeline
    >>> pipe = with_variants(Pipeline.from_stages(["normalize_spaces"]), to="en-GB")
    >>> [s.name for s in pipe.stages], pipe("The color.")
    (['normalize_spaces', 'normalize_variants'], 'The colour.')
    """
    from textfix.pipeline import Pipeline

    if not to and not tables:
        return pipe
    for stage in pipe.stages:
        if stage.name == NormalizeVariants.name:
            changes: dict[str, object] = {"tables": (*stage.tables, *tables)}
            if to:
                changes["to"] = to
            return pipe.replace_stage(NormalizeVariants.name, **changes)
    return Pipeline((*pipe.stages, NormalizeVariants(to=to, tables=tuple(tables))), pipe.name)
