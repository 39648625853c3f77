"""Evaluation on gold pairs: CER and WER before and after cleaning, per file and per source.

Each input file is JSONL with one record per line holding at least ``ocr`` and ``gt`` fields
(and usually ``id`` and ``source``), the format of the evaluation corpora. Scores follow the
corpora README exactly: micro-averaged over records, after whitespace collapse ("plain"), and
again with line-break hyphens removed from both sides ("dehyph").
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textfix.errors import TextfixError
from textfix.io import decode, iter_jsonl, read_bytes
from textfix.metrics import MODES, ErrorCounts

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

__all__ = ["EvalResult", "evaluate", "format_table", "read_pairs"]


@dataclass
class EvalResult:
    """Scores of one group of records (a file or a source)."""

    name: str
    records: int = 0
    chars_in: int = 0
    seconds: float = 0.0
    before: dict[str, ErrorCounts] = field(
        default_factory=lambda: {m: ErrorCounts() for m in MODES}
    )
    after: dict[str, ErrorCounts] = field(default_factory=lambda: {m: ErrorCounts() for m in MODES})

    def reduction(self, mode: str = "dehyph") -> float:
        """Relative CER reduction: (before - after) / before; 0 when there was no error."""
        b, a = self.before[mode].cer, self.after[mode].cer
        return (b - a) / b if b else 0.0

    @property
    def mb_per_s(self) -> float:
        """Cleaning throughput in MB (10^6 bytes of UTF-8) per second."""
        return self.chars_in / 1e6 / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return the scores as a JSON-ready dict."""
        out: dict[str, Any] = {"name": self.name, "records": self.records}
        for mode in MODES:
            b, a = self.before[mode], self.after[mode]
            out[mode] = {
                "cer_before": round(b.cer, 6),
                "cer_after": round(a.cer, 6),
                "cer_reduction": round(self.reduction(mode), 6),
                "wer_before": round(b.wer, 6),
                "wer_after": round(a.wer, 6),
                "wer_reduction": round((b.wer - a.wer) / b.wer, 6) if b.wer else 0.0,
            }
        out["mb_per_s"] = round(self.mb_per_s, 4)
        return out


def read_pairs(path: str | Path) -> Iterator[dict[str, Any]]:
    """Yield the records of a JSONL gold file.

    Raises:
        InputError: The file cannot be read or is not UTF-8 (with the byte offset).
        TextfixError: A line is not JSON or lacks ``ocr``/``gt`` strings; names file and line.
    """
    p = Path(path)
    text = decode(read_bytes(p, str(p)), str(p))
    for lineno, rec in iter_jsonl(text, str(p)):
        if not (isinstance(rec.get("ocr"), str) and isinstance(rec.get("gt"), str)):
            msg = f"{p}:{lineno}: a record needs string fields 'ocr' and 'gt'"
            raise TextfixError(msg)
        yield rec


def evaluate(
    paths: Iterable[str | Path],
    clean: Callable[[str], str],
    *,
    by_source: bool = True,
) -> tuple[list[EvalResult], list[EvalResult]]:
    """Clean the ``ocr`` side of every record and score it against ``gt``.

    Args:
        paths: JSONL gold files.
        clean: The cleaning function, usually a :class:`~textfix.Pipeline`.
        by_source: Also group the scores by each record's ``source`` field.

    Returns:
        The results per file and, when ``by_source``, per source.
    """
    files: list[EvalResult] = []
    sources: dict[str, EvalResult] = {}
    warm = False
    for path in paths:
        res = EvalResult(Path(path).name)
        for rec in read_pairs(path):
            if not warm:  # lazy imports and dictionary loads are not part of the throughput
                clean(rec["ocr"])
                warm = True
            t0 = time.perf_counter()
            hyp = clean(rec["ocr"])
            dt = time.perf_counter() - t0
            groups = [res]
            if by_source:
                src = str(rec.get("source") or Path(path).stem)
                groups.append(sources.setdefault(src, EvalResult(src)))
            for g in groups:
                g.records += 1
                g.chars_in += len(rec["ocr"].encode("utf-8"))
                g.seconds += dt
                for mode in MODES:
                    g.before[mode].add(rec["ocr"], rec["gt"], mode=mode)
                    g.after[mode].add(hyp, rec["gt"], mode=mode)
        files.append(res)
    return files, list(sources.values())


def format_table(results: Iterable[EvalResult]) -> str:
    """Format results as a Markdown table: CER and WER in percent, plain and dehyph, and MB/s.

    "red." is the relative CER reduction; a negative figure means cleaning made things worse.
    """
    head = (
        "| name | records | CER before | CER after | CER red. | WER before | WER after "
        "| dehyph CER before | dehyph CER after | dehyph CER red. | dehyph WER before "
        "| dehyph WER after | MB/s |"
    )
    rows = [head, "|---|" + "---:|" * 12]
    for r in results:
        cells = [r.name, str(r.records)]
        for mode in MODES:
            b, a = r.before[mode], r.after[mode]
            cells += [f"{b.cer:.2%}", f"{a.cer:.2%}", f"{r.reduction(mode):+.1%}"]
            cells += [f"{b.wer:.2%}", f"{a.wer:.2%}"]
        cells.append(f"{r.mb_per_s:.2f}")
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)
