"""The Dask integration gives the same results on a real two-process cluster as in-process."""

from __future__ import annotations

from collections import Counter

import pytest

from textfix import load_preset

dask_bag = pytest.importorskip("dask.bag", reason="the 'dask' extra is not installed")
dd = pytest.importorskip("dask.dataframe", reason="the 'dask' extra is not installed")
distributed = pytest.importorskip("distributed", reason="the 'dask' extra is not installed")
pd = pytest.importorskip("pandas", reason="the 'dask' extra is not installed")

from textfix.dask import (  # noqa: E402 - after the skips, so a missing extra skips cleanly
    clean_bag,
    clean_dataframe,
    clean_texts,
    explain_bag,
)

TEXTS = [
    "The ﬁrst\u00a0page of the Gazette, CafÃ© news.",
    "Nothing to change here.",
    "",
    "e\u0301t\u00e9 \u200bzero width\r\nnext line",
    "Fourth: the eﬀort\u2009and the ﬂow.",
] * 3


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def test_bag_on_cluster_equals_single_process(client):
    pipe = load_preset("default")
    bag = dask_bag.from_sequence(TEXTS, npartitions=4)
    assert clean_bag(bag, pipe).compute() == [pipe(t) for t in TEXTS]


def test_explain_bag_stats_add_up(client):
    pipe = load_preset("default")
    items = [(f"doc{i}", t) for i, t in enumerate(TEXTS)]
    results = explain_bag(dask_bag.from_sequence(items, npartitions=3), "default").compute()
    assert [r.key for r in results] == [k for k, _ in items]
    assert [r.text for r in results] == [pipe(t) for t in TEXTS]
    total = sum((r.stats for r in results), Counter())
    expected = sum((pipe.explain(t).stats() for t in TEXTS), Counter())
    assert total == expected


def test_dataframe_column_on_cluster(client):
    pipe = load_preset("default")
    frame = pd.DataFrame({"id": range(len(TEXTS)), "text": TEXTS})
    frame.loc[2, "text"] = None
    ddf = dd.from_pandas(frame, npartitions=3)
    out = clean_dataframe(ddf, "text", pipe, output_column="clean").compute()
    expected = [pipe(t) if isinstance(t, str) else None for t in frame["text"]]
    assert _plain(out["clean"]) == expected
    assert _plain(out["text"]) == _plain(frame["text"])


def _plain(column):
    return [None if pd.isna(v) else v for v in column]


def test_dataframe_unknown_column_is_a_clear_error():
    frame = dd.from_pandas(pd.DataFrame({"a": ["x"]}), npartitions=1)
    with pytest.raises(KeyError, match="column 'text' is not in the DataFrame"):
        clean_dataframe(frame, "text")


def test_clean_texts_on_cluster(client):
    pipe = load_preset("default")
    items = [(f"doc{i}", t) for i, t in enumerate(TEXTS)]
    got = {r.key: r.text for r in clean_texts(items, "default", client, batch=4)}
    assert got == {k: pipe(t) for k, t in items}


def test_cli_dask_batch_equals_single_process(client, tmp_path):
    from textfix.cli import main

    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    for i, text in enumerate(TEXTS[:5]):
        (src / ("sub" if i % 2 else "") / f"doc{i}.txt").write_text(text, "utf-8")
    (src / "bad.txt").write_bytes(b"\xff not utf-8")
    address = client.scheduler.address
    assert main(["clean", str(src), "-o", str(tmp_path / "dask"), "--dask", address]) == 1
    assert main(["clean", str(src), "-o", str(tmp_path / "local")]) == 1
    dask_files = sorted(
        p.relative_to(tmp_path / "dask") for p in (tmp_path / "dask").rglob("*.txt")
    )
    local_files = sorted(
        p.relative_to(tmp_path / "local") for p in (tmp_path / "local").rglob("*.txt")
    )
    assert dask_files == local_files and len(dask_files) == 5  # the bad file failed in both
    for rel in dask_files:
        assert (tmp_path / "dask" / rel).read_bytes() == (tmp_path / "local" / rel).read_bytes()
