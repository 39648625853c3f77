"""The worker processes of ``textfix.batch.run``: order, errors, dead workers, early stop."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

import textfix
from textfix import batch
from textfix.io import Source

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs the fork start method"
)


def _sources(folder: Path, n: int) -> list[Source]:
    out = []
    for i in range(n):
        p = folder / f"p{i:03d}.txt"
        p.write_text(f"Page {i}: tbe ﬁrst houfe stood by tbe river.\n" * (1 + i % 5), "utf-8")
        out.append(Source(p, p.name, Path(p.name)))
    return out


def test_many_files_come_back_in_order(tmp_path: Path) -> None:
    sources = _sources(tmp_path, 150)
    pipe = textfix.load_preset("characters")
    serial = [r.output for r in batch.run(pipe, sources, batch.Options())]
    for jobs in (2, 3):
        got = batch.run(pipe, sources, batch.Options(), jobs=jobs, method="fork")
        assert [r.output for r in got] == serial


def test_small_windows_keep_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = _sources(tmp_path, 60)
    pipe = textfix.load_preset("characters")
    serial = [r.output for r in batch.run(pipe, sources, batch.Options())]
    real = batch.Plan.__init__

    def small(self: batch.Plan, sizes: list[int], workers: int, **_: object) -> None:
        real(self, sizes, workers, most=3, window=300, window_items=7)

    monkeypatch.setattr(batch.Plan, "__init__", small)
    got = list(batch.run(pipe, sources, batch.Options(), jobs=2, method="fork"))
    assert [r.output for r in got] == serial


def _failing(name: str, how: str):
    real = batch.process

    def process(pipe, source, options, data=None):
        if source.name == name:
            if how == "die":
                os._exit(3)
            msg = f"broken stage on {source.name}"
            raise ValueError(msg)
        return real(pipe, source, options, data)

    return process


def test_an_error_in_a_worker_is_raised_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = _sources(tmp_path, 40)
    monkeypatch.setattr(batch, "process", _failing("p017.txt", "raise"))  # forked workers see it
    got = []
    with pytest.raises(ValueError, match=r"broken stage on p017\.txt") as info:
        for res in batch.run(
            textfix.load_preset("characters"), sources, batch.Options(), jobs=2, method="fork"
        ):
            got.append(res.source.name)
    assert got == [s.name for s in sources[:17]]  # every result before it, in order
    assert "broken stage" in str(info.value.__cause__)  # the worker's traceback
    assert not multiprocessing.active_children()


def test_a_dead_worker_breaks_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = _sources(tmp_path, 20)
    monkeypatch.setattr(batch, "process", _failing("p011.txt", "die"))
    with pytest.raises(BrokenProcessPool, match="exit code 3"):
        list(
            batch.run(
                textfix.load_preset("characters"), sources, batch.Options(), jobs=2, method="fork"
            )
        )
    assert not multiprocessing.active_children()


def test_stopping_early_ends_the_workers(tmp_path: Path) -> None:
    sources = _sources(tmp_path, 200)
    results = batch.run(
        textfix.load_preset("characters"), sources, batch.Options(), jobs=2, method="fork"
    )
    assert next(results).source.name == "p000.txt"
    results.close()
    assert not multiprocessing.active_children()
