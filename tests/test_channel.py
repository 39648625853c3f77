"""Tests of the learned OCR noisy channel and of `textfix learn`."""

from __future__ import annotations

import argparse
import json

import pytest

from textfix.channel import (
    channel_logprob,
    learn_confusions,
    learn_real_word_pairs,
    load_confusions,
    load_real_word_pairs,
    register_cli,
    word_pairs,
)
from textfix.errors import DictionaryError


def test_shipped_table_loads_and_ranks_ocr_confusions():
    model = load_confusions("en/ocr_confusions")
    assert channel_logprob(model, "tbe", "the") > channel_logprob(model, "tze", "the")
    assert channel_logprob(model, "rn", "m") > channel_logprob(model, "qx", "m")
    assert channel_logprob(model, "word", "word") == 0.0


def test_word_pairs_and_learning():
    records = [
        {"ocr": "tbe cat sat on tbe mat,", "gt": "the cat sat on the mat."},
        {"ocr": "a rnoment passed", "gt": "a moment passed"},
    ]
    pairs = list(word_pairs(records))
    assert ("tbe", "the") in pairs and ("mat", "mat") in pairs
    table = learn_confusions(pairs, min_count=1)
    assert table["h", "b"][0] == 2
    assert ("m", "rn") in table


def test_learn_cli_roundtrip(tmp_path):
    data = tmp_path / "pairs.jsonl"
    rows = [{"ocr": "tbe end of tbe day", "gt": "the end of the day"}] * 3
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "conf.tsv"
    parser = argparse.ArgumentParser()
    register_cli(parser.add_subparsers())
    args = parser.parse_args(["learn", "--data", str(data), "-o", str(out)])
    assert args.func(args) == 0
    model = load_confusions(str(out))
    assert ("h", "b") in model.logp


def test_learn_cli_writes_real_word_pairs(tmp_path):
    data = tmp_path / "pairs.jsonl"
    rows = [{"ocr": "it was hold at noon", "gt": "it was held at noon"}] * 4
    rows += [{"ocr": "we hold the key", "gt": "we hold the key"}] * 6
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    parser = argparse.ArgumentParser()
    register_cli(parser.add_subparsers())
    out, pairs = tmp_path / "conf.tsv", tmp_path / "pairs.tsv"
    args = parser.parse_args(["learn", "--data", str(data), "-o", str(out), "--pairs", str(pairs)])
    assert args.func(args) == 0
    table = load_real_word_pairs(str(pairs))
    assert [w for w, _ in table["hold"]] == ["held"]


def test_real_word_pairs():
    pairs = [("tho", "the")] * 5 + [("tho", "tho"), ("cat", "cat")]
    table = learn_real_word_pairs(pairs, lambda w: True)
    assert table["tho", "the"][:2] == (5, 6)
    assert table["tho", "the"][2] < 0
    shipped = load_real_word_pairs("en/real_word_pairs")
    assert any(w == "the" for w, _ in shipped.get("tho", ()))


def test_bad_table_raises(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("h\tb\t3\t10\tnot-a-number\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"bad\.tsv"):
        load_confusions(str(bad))


def test_channel_cache_gives_same_costs():
    from textfix.channel import ConfusionModel

    table = load_confusions("en/ocr_confusions")
    fresh = ConfusionModel(dict(table.logp), table.max_span)
    pairs = [("tbe", "the"), ("rnay", "may"), ("Caf6", "Café"), ("wiU", "will"), ("x", "yz")]
    first = [channel_logprob(fresh, o, w) for o, w in pairs]
    assert [channel_logprob(fresh, o, w) for o, w in pairs] == first  # cached now
    assert first == [sum(fresh.block(g, o2) for g, o2 in _blocks_of(w, o)) for o, w in pairs]


def _blocks_of(word, ocr):
    from textfix.channel import _blocks

    return list(_blocks(word, ocr))
