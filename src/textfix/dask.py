"""Run a textfix pipeline on a Dask cluster: bags of texts, DataFrame columns, whole files.

Install the extra first: ``pip install 'textfix[dask]'``. Dask ships the pipeline to each
worker once per task graph (a pipeline pickles small: stages hold only names of their data),
and every worker process loads the dictionaries once, on its first text.

>>> import dask.bag as db
>>> from textfix.dask import clean_bag
>>> clean_bag(db.from_sequence(["ﬁrst", "eﬀort"], npartitions=1)).compute(scheduler="sync")
['first', 'effort']
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from textfix.pipeline import Pipeline, load_preset

if TYPE_CHECKING:
    from collections import Counter
    from collections.abc import Iterable, Iterator, Sequence

    import dask.bag
    import dask.dataframe
    from distributed import Client

__all__ = [
    "DocumentResult",
    "clean_bag",
    "clean_dataframe",
    "clean_texts",
    "connect",
    "explain_bag",
]

_EXTRA_HINT = "the Dask integration needs the 'dask' extra: pip install 'textfix[dask]'"


def _require_dask() -> None:
    try:
        import dask.bag  # noqa: F401
    except ImportError as exc:
        raise ImportError(_EXTRA_HINT) from exc


def _pipeline(pipeline: Pipeline | str) -> Pipeline:
    return pipeline if isinstance(pipeline, Pipeline) else load_preset(pipeline)


def _clean_partition(texts: Iterable[str], pipeline: Pipeline) -> list[str]:
    return [pipeline(t) for t in texts]


@dataclass(frozen=True)
class DocumentResult:
    """A cleaned document and what happened to it, as returned by :func:`explain_bag`."""

    key: str
    text: str
    stats: Counter[str]


def _explain_partition(
    items: Iterable[tuple[str, str]], pipeline: Pipeline
) -> list[DocumentResult]:
    out = []
    for key, text in items:
        fixed = pipeline.explain(text)
        out.append(DocumentResult(key, fixed.text, fixed.stats()))
    return out


def clean_bag(bag: dask.bag.Bag, pipeline: Pipeline | str = "default") -> dask.bag.Bag:
    """Return a lazy bag of the cleaned texts of ``bag``, in the same order.

    Args:
        bag: A Dask bag of ``str``.
        pipeline: A :class:`~textfix.Pipeline` or a preset name.
    """
    _require_dask()
    out: dask.bag.Bag = bag.map_partitions(_clean_partition, _pipeline(pipeline))
    return out


def explain_bag(bag: dask.bag.Bag, pipeline: Pipeline | str = "default") -> dask.bag.Bag:
    """Clean a bag of ``(key, text)`` pairs into :class:`DocumentResult` items with stats.

    The stats of a whole corpus add up: ``sum((r.stats for r in results), Counter())``.
    """
    _require_dask()
    out: dask.bag.Bag = bag.map_partitions(_explain_partition, _pipeline(pipeline))
    return out


def clean_dataframe(
    df: dask.dataframe.DataFrame,
    column: str,
    pipeline: Pipeline | str = "default",
    *,
    output_column: str | None = None,
) -> dask.dataframe.DataFrame:
    """Clean one text column of a Dask DataFrame, lazily.

    Args:
        df: The DataFrame.
        column: The column of texts to clean; missing values stay missing.
        pipeline: A :class:`~textfix.Pipeline` or a preset name.
        output_column: Write the result here instead of replacing ``column``.

    Raises:
        KeyError: ``column`` is not in the DataFrame.
    """
    _require_dask()
    if column not in df.columns:
        msg = f"column {column!r} is not in the DataFrame; columns: {list(df.columns)}"
        raise KeyError(msg)
    pipe = _pipeline(pipeline)
    target = output_column or column
    meta = df._meta.copy()
    meta[target] = meta[column].astype(object)
    out: dask.dataframe.DataFrame = df.map_partitions(_clean_frame, column, target, pipe, meta=meta)
    return out


def _clean_frame(frame: Any, column: str, target: str, pipeline: Pipeline) -> Any:
    frame = frame.copy()
    frame[target] = frame[column].map(partial(_clean_value, pipeline)).astype(object)
    return frame


def _clean_value(pipeline: Pipeline, value: Any) -> Any:
    return pipeline(value) if isinstance(value, str) else value


def connect(address: str) -> Client:
    """Connect to a Dask scheduler, or start a local cluster when ``address`` is ``"local"``.

    Args:
        address: ``"local"``, or a scheduler address such as ``"tcp://10.0.0.5:8786"``.
    """
    _require_dask()
    from distributed import Client, LocalCluster

    if address == "local":
        return Client(LocalCluster(processes=True, threads_per_worker=1))
    return Client(address)


def clean_texts(
    items: Sequence[tuple[str, str]],
    pipeline: Pipeline | str,
    client: Client,
    *,
    batch: int = 16,
) -> Iterator[DocumentResult]:
    """Clean ``(key, text)`` pairs on a cluster and yield results as they complete.

    Texts travel to the workers and back through the client, so no shared file system is
    needed. Results come in completion order; each carries its key.
    """
    _require_dask()
    from distributed import as_completed

    pipe = client.scatter(_pipeline(pipeline), broadcast=True)
    futures = [
        client.submit(_explain_partition, list(items[i : i + batch]), pipe, pure=False)
        for i in range(0, len(items), batch)
    ]
    for future in as_completed(futures):
        yield from future.result()
