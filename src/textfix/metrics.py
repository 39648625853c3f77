"""Character and word error rates, with the normalizations of the evaluation corpora.

CER is the Levenshtein distance between hypothesis and ground truth divided by the length of
the ground truth, summed over records before dividing (a micro-average). Before scoring, every
run of whitespace becomes one space and both ends are stripped ("plain"). The "dehyph" variant
also removes a hyphen-like character followed by a space between two word characters, so that
a cleaner that joins line-break hyphens is not penalised against a ground truth that keeps them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

__all__ = ["ErrorCounts", "cer", "dehyphenate_for_scoring", "normalize_for_scoring", "wer"]

_SPACE_RE = re.compile(r"\s+")
_DEHYPH_RE = re.compile(r"(?<=\w)[-\u00ac\u00ad\u2010\u2011] (?=\w)")
MODES = ("plain", "dehyph")


def normalize_for_scoring(text: str) -> str:
    """Collapse every run of whitespace to one space and strip both ends.

    >>> normalize_for_scoring("  a\\n\\n b\\t")
    'a b'
    """
    return _SPACE_RE.sub(" ", text).strip()


def dehyphenate_for_scoring(text: str) -> str:
    """Apply the "dehyph" normalization on top of :func:`normalize_for_scoring`.

    >>> dehyphenate_for_scoring("Thorns-\\nhope and 1914- 1918")
    'Thornshope and 19141918'
    """
    return _DEHYPH_RE.sub("", normalize_for_scoring(text))


def _normalize(text: str, mode: str) -> str:
    if mode == "plain":
        return normalize_for_scoring(text)
    if mode == "dehyph":
        return dehyphenate_for_scoring(text)
    msg = f"unknown scoring mode {mode!r}; use one of {', '.join(MODES)}"
    raise ValueError(msg)


@dataclass
class ErrorCounts:
    """Summed edit distances and reference lengths, for micro-averaged CER and WER."""

    char_errors: int = 0
    chars: int = 0
    word_errors: int = 0
    words: int = 0

    def add(self, hypothesis: str, reference: str, *, mode: str = "plain") -> None:
        """Score one record and add it to the totals."""
        hyp = _normalize(hypothesis, mode)
        ref = _normalize(reference, mode)
        self.char_errors += Levenshtein.distance(hyp, ref)
        self.chars += len(ref)
        hyp_words, ref_words = hyp.split(), ref.split()
        self.word_errors += Levenshtein.distance(hyp_words, ref_words)
        self.words += len(ref_words)

    def __add__(self, other: ErrorCounts) -> ErrorCounts:
        return ErrorCounts(
            self.char_errors + other.char_errors,
            self.chars + other.chars,
            self.word_errors + other.word_errors,
            self.words + other.words,
        )

    @property
    def cer(self) -> float:
        """Character error rate (0 when there is no reference text)."""
        return self.char_errors / self.chars if self.chars else 0.0

    @property
    def wer(self) -> float:
        """Word error rate (0 when there is no reference text)."""
        return self.word_errors / self.words if self.words else 0.0


def cer(hypothesis: str, reference: str, *, mode: str = "plain") -> float:
    """Character error rate of one hypothesis against its reference.

    >>> round(cer("tbe cat", "the cat"), 3)
    0.143
    """
    counts = ErrorCounts()
    counts.add(hypothesis, reference, mode=mode)
    return counts.cer


def wer(hypothesis: str, reference: str, *, mode: str = "plain") -> float:
    """Word error rate of one hypothesis against its reference.

    >>> wer("tbe cat", "the cat")
    0.5
    """
    counts = ErrorCounts()
    counts.add(hypothesis, reference, mode=mode)
    return counts.wer
