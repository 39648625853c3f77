"""Words with a letter read as a mark: "c!ose" → "close", "Cntho.ic" → "Catholic".

OCR engines read a broken or faint letter as a glyph: "l" as "!", "s" as ",", "t" as "." or a
speck as a "*". The tokenizer of the word stages cuts such a word at the mark, so each piece
is judged alone and none is a word ("c" and "ose"). :class:`FixMarkedWords` judges the whole
run instead: every mark inside it may stand for a letter, for two, or for nothing, and the
word that the learned channel and the lexicon make clearly the likeliest reading replaces the
run. A mark that is punctuation (a full stop before a capital, a comma between two words,
"e.g.", "a.m.") is left to the other stages.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import regex

from textfix.channel import channel_logprob, load_confusions
from textfix.channelsearch import channel_words
from textfix.edits import Edit
from textfix.errors import ConfigError
from textfix.lexicon import load_lexicon
from textfix.registry import register
from textfix.stages.words import (
    FixOcrWords,
    TokenCounts,
    _keep_score,
    _protected_spans,
    _sentence_start,
    _survey_shift,
    apply_case,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["FixMarkedWords"]

# The marks an engine prints for a letter (not the apostrophe or hyphen of a word, nor the
# "~^&" that the word stages already read inside a token).
_MARKS = r"""!"#$%()*+,./:;<=>?@\[\\\]_{|}«»¡¿°"""
# A run of letters with one or two blocks of one or two marks inside, standing alone between
# spaces or the usual punctuation around a word.
_RUN_RE = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}\p{{M}}'’\-{regex.escape(_MARKS)}])"
    rf"\p{{L}}+(?:[{regex.escape(_MARKS)}]{{1,2}}\p{{L}}+){{1,2}}"
    rf"(?![\p{{L}}\p{{N}}\p{{M}}'’\-])",
    regex.V1,
)
# A letter, a mark and a letter: the lines that may hold a run (``re`` scans for this many
# times faster than ``regex`` scans for a run).
_HINT_RE = re.compile(rf"[^\W\d_][{re.escape(_MARKS)}]{{1,2}}[^\W\d_]")
# The same hint found from its marks (a pattern that starts with a rare class is scanned
# about twice as fast), the letter before them checked apart (see _find_hint).
_HINT_MARKS_RE = re.compile(rf"[{re.escape(_MARKS)}]{{1,2}}[^\W\d_]")
_HINT_LETTER_RE = re.compile(r"[^\W\d_]")
_PIECE_RE = regex.compile(r"\p{L}+", regex.V1)
_MARK_BLOCK_RE = regex.compile(rf"[{regex.escape(_MARKS)}]+", regex.V1)
# Marks that end a sentence or a clause: before a capital after a lowercase letter they are
# punctuation glued to the next word ("home.Then").
_STOPS = frozenset(".,;:!?")
# Marks that text puts between words; the others ("*", "«", "#", "\\") never stand there.
_PUNCTUATION = frozenset('.,;:!?"()[]{}/')
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# A lone speck between two lowercase words of one line, read as a mark that no text puts
# there alone ("walked | home", "of . the", "the ' house"): the mark and the space before it
# go. Commas, colons, semicolons, question and exclamation marks, dashes and double quotes
# stay: text spaced by hand puts them there ("word , word"), and a lost word may leave them;
# so does an apostrophe after an "s" (a plural's possessive: "three days ' work"), and any
# lone apostrophe in a clean document (a quotation mark there: see FixMarkedWords.edits).
_STRAY_RE = regex.compile(
    r"(?<=\b\p{Ll}{2,})[ ](?:[.|¡•\\■¦<]|(?<!s[ ])')(?=[ ]\p{Ll}{2,}\b)", regex.V1
)
# What every match of _STRAY_RE starts with (a space, one of its marks, a space), found by
# ``re`` many times faster than ``regex`` scans for the whole pattern (see _strays).
_STRAY_HINT_RE = re.compile(r" [.|¡•\\■¦<'](?= )")
_STRAY_CONFIDENCE = 0.9
#: Candidate words are at least this frequent (Zipf): a damaged run is read as a common word.
_MIN_ZIPF = 3.0
#: How much likelier (log10) than the next reading the chosen word must be.
_GAP = 1.0


@register
@dataclass(frozen=True, slots=True)
class FixMarkedWords:
    """Read a word with a letter printed as a mark ("c!ose" → "close", "Cntho.ic" →
    "Catholic", "w*s" → "was"), when one common word is clearly the likeliest reading.

    Each block of marks inside a run of letters may stand for nothing, for one letter or
    (a block of two marks) for two; every reading that is a common word (Zipf ≥ 3) is scored
    by its frequency and the learned OCR channel, as ``fix_ocr_words`` scores a token, and
    the best replaces the run when it beats the run as printed (the word model's prior of an
    unknown token with a glyph, which falls in a noisy document) by ``threshold`` and the
    next reading by a clear gap. Left alone: runs whose pieces are all common words
    ("and,so"), a stop or comma before a capital ("home.Then"), abbreviations ("e.g",
    "a.m"), runs with digits, URLs and paths.

    Args:
        threshold: How much likelier (log10) the word must be than the run as printed.
        lang: Lexicon language.
        confusions: Name or path of the OCR confusion table.

    >>> from textfix.edits import apply_edits
    >>> s = "The door was c!ose to the m!dst of it, and so.Then e.g. a.m. and,so"
    >>> apply_edits(s, FixMarkedWords().edits(s))
    'The door was close to the midst of it, and so.Then e.g. a.m. and,so'
    """

    name: ClassVar[str] = "fix_marked_words"
    stream_context: ClassVar[int] = 1  # lines read around a token (textfix.stream)
    threshold: float = 0.0
    lang: str = "en"
    confusions: str = "en/ocr_confusions"

    def __post_init__(self) -> None:
        if not isinstance(self.threshold, (int, float)) or math.isnan(self.threshold):
            msg = f"fix_marked_words: threshold must be a number, got {self.threshold!r}"
            raise ConfigError(msg)

    def survey(self, text: str, earlier: object = None) -> TokenCounts:
        """The token counts and noise totals of ``text``, as ``fix_ocr_words`` surveys them
        (the document's noise sets the prior of a run as printed; see :mod:`textfix.stream`).

        >>> s = FixMarkedWords()
        >>> s.survey("Tbe king.\\n") + s.survey("tbe end\\n") == s.survey("Tbe king.\\ntbe end\\n")
        True
        """
        return self._model().survey(text)

    def _model(self) -> FixOcrWords:
        return FixOcrWords(lang=self.lang, confusions=self.confusions)

    def edits(self, text: str, survey: TokenCounts | None = None) -> Iterator[Edit]:
        runs = [m for m in _runs(text) if _worth_a_look(text, m)]
        strays = _strays(text)
        if not runs and not strays:
            return
        model = self._model()
        shifts: list[float] = []  # the document's noise shift, found when first needed

        def noise() -> float:
            if not shifts:
                # (none in old spelling: as fix_ocr_words judges it with its defaults)
                shifts.append(_survey_shift(model.survey(text) if survey is None else survey))
            return shifts[0]

        protected = _protected_spans(text)
        for m in strays:
            # A lone apostrophe is a speck only in a noisy document: clean text spaced by
            # hand quotes with it ("he said ' come ' and went").
            if m.group().endswith("'") and noise() >= 0:
                continue
            if not any(a < m.end() and m.start() < b for a, b in protected):
                yield Edit(m.start(), m.end(), "", self.name, "stray_mark", _STRAY_CONFIDENCE)
        for m in runs:
            start, end = m.span()
            if any(a < end and start < b for a, b in protected):
                continue
            run = m.group()
            found = _readings(run, self.lang, self.confusions)
            if not found:
                continue
            shift = noise()
            keep = _keep_score(model, run, 1, shift)
            if run[0].isupper() and not _sentence_start(text, start):
                keep += max(0.5, model.name_margin + shift)  # a name as often as a word
            best, word = found[0]
            rival = found[1][0] if len(found) > 1 else -math.inf
            gain = best - keep - self.threshold
            if gain >= 0 and best - rival >= _GAP:
                yield Edit(start, end, word, self.name, "mark_letter", _confidence(gain))


def _runs(text: str) -> Iterator[regex.Match[str]]:
    """The matches of :data:`_RUN_RE` in ``text``, looked for only on the lines that hold a
    letter, a mark and a letter (a run never crosses a line break).

    >>> [m.group() for m in _runs("one c!ose\\ntwo\\nand w*s")]
    ['c!ose', 'w*s']
    """
    m = _find_hint(text, 0)
    while m is not None:
        line_start = text.rfind("\n", 0, m[0]) + 1
        line_end = text.find("\n", m[1])
        if line_end < 0:
            line_end = len(text)
        yield from _RUN_RE.finditer(text, line_start, line_end)
        m = _find_hint(text, line_end)


def _find_hint(text: str, pos: int) -> tuple[int, int] | None:
    """The span of ``_HINT_RE.search(text, pos)`` (or ``None``): its marks and the letter
    after them are searched for first, the letter before them checked after.

    >>> _find_hint("a, b c!ose", 0), _HINT_RE.search("a, b c!ose").span()
    ((5, 8), (5, 8))
    """
    search = _HINT_MARKS_RE.search
    letter = _HINT_LETTER_RE.match
    m = search(text, pos + 1)  # (the marks of a hint at pos or later start after pos)
    while m is not None:
        c = m.start()
        if letter(text, c - 1) is not None:
            return c - 1, m.end()
        m = search(text, c + 1)
    return None


def _strays(text: str) -> list[regex.Match[str]]:
    """The matches of :data:`_STRAY_RE` in ``text``: the pattern is tried only where
    :data:`_STRAY_HINT_RE` finds its first two characters (a match is two characters long and
    holds one space, so the matches found so are those of a scan, in order).

    >>> [m.span() for m in _strays("walked | home and of . the end")]
    [(6, 8), (20, 22)]
    """
    match = _STRAY_RE.match
    found = (match(text, h.start()) for h in _STRAY_HINT_RE.finditer(text))
    return [m for m in found if m is not None]


def _confidence(gain: float) -> float:
    return round(1.0 / (1.0 + 10 ** (-gain)), 3)


def _worth_a_look(text: str, m: regex.Match[str]) -> bool:
    """Whether the run of ``m`` may be a word with a letter read as a mark: not all its
    pieces common words, not an abbreviation, no sentence or clause break inside."""
    run = m.group()
    pieces = _PIECE_RE.findall(run)
    if len(run) < 3:
        return False
    blocks = _MARK_BLOCK_RE.findall(run)
    if all(set(b) <= _PUNCTUATION for b in blocks):
        # Punctuation between common words is punctuation ("and,so", "he said:yes").
        lex = load_lexicon("en")
        floor = 10 ** (_MIN_ZIPF - 9)
        if all(len(p) > 1 and lex.freq(p.lower()) >= floor for p in pieces):
            return False
    for i, b in enumerate(blocks):
        before, after = pieces[i], pieces[i + 1]
        if after[0].isupper() and not before[-1].isupper() and set(b) & _STOPS:
            return False  # "home.Then", "Yes!No"
        if b == "." and (len(before) == 1 or len(after) == 1):
            return False  # an abbreviation: "e.g", "a.m", "U.S", "Ph.D"
    # "i.e." or "etc.," with its closing stop: an abbreviation too.
    return not ("." in blocks and text[m.end() : m.end() + 1] == ".")


@functools.lru_cache(maxsize=1 << 14)
def _readings(run: str, lang: str, confusions: str) -> tuple[tuple[float, str], ...]:
    """The two best readings of ``run`` as a common word, ``(score, word in the run's
    case)``, best first, each mark block read as nothing, one letter or (two marks) two."""
    freqs = load_lexicon(lang).freqs
    floor = 10 ** (_MIN_ZIPF - 9)
    model = load_confusions(confusions)
    parts = _MARK_BLOCK_RE.split(run.lower())
    blocks = _MARK_BLOCK_RE.findall(run)
    options = []
    for b in blocks:
        opts = ["", *_LETTERS]
        if len(b) == 2 and len(blocks) == 1:
            opts += [x + y for x in _LETTERS for y in _LETTERS]
        options.append(opts)
    cased_letters = "".join(_PIECE_RE.findall(run))
    out: dict[str, float] = {}
    for combo in itertools.product(*options):
        w = parts[0] + "".join(c + p for c, p in zip(combo, parts[1:], strict=True))
        f = freqs.get(w, 0.0)
        if f < floor:
            continue
        cased = apply_case(cased_letters, w)
        out[cased] = math.log10(f) + channel_logprob(model, run, cased)
    ranked = sorted(((s, w) for w, s in out.items()), reverse=True)
    if ranked and (len(ranked) == 1 or ranked[0][0] - ranked[1][0] >= _GAP):
        return tuple(ranked[:2])  # a clear reading already: no need to look further
    # Readings where other letters of the run were misread too ("Mar»arct" → "Margaret").
    for w in channel_words(run, confusions, lang, marks=True):
        cased = apply_case(cased_letters, w)
        if cased not in out:
            out[cased] = math.log10(freqs[w]) + channel_logprob(model, run, cased)
    ranked = sorted(((s, w) for w, s in out.items()), reverse=True)
    return tuple(ranked[:2])
