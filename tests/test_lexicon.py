"""Tests of the lexicon, user dictionaries, the SymSpell index and the bigrams."""

from __future__ import annotations

import pytest

from textfix.errors import DictionaryError, DictionaryNotFoundError
from textfix.lexicon import (
    delete_index,
    load_bigrams,
    load_lexicon,
    read_user_dict,
    symspell_index,
    symspell_terms,
    symspell_terms_near_far,
)


def test_lexicon_basics():
    lex = load_lexicon("en")
    assert lex.zipf("the") > 7
    assert "the" in lex and "qzxvw" not in lex
    assert len(lex) > 100_000


def test_user_dicts_add_words(tmp_path):
    f = tmp_path / "words.txt"
    f.write_text("# names\nQuibblethorpe\nzorbing\t5.0\n", encoding="utf-8")
    lex = load_lexicon("en", (str(f),))
    assert lex.zipf("quibblethorpe") == pytest.approx(4.0)
    assert lex.zipf("zorbing") == pytest.approx(5.0)
    assert "quibblethorpe" not in load_lexicon("en")


def test_user_dict_errors(tmp_path):
    with pytest.raises(DictionaryNotFoundError):
        read_user_dict(str(tmp_path / "missing.txt"))
    bad = tmp_path / "bad.txt"
    bad.write_text("word\tlots\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"bad\.txt:1"):
        read_user_dict(str(bad))


def test_symspell_index_and_bigrams():
    idx = symspell_index()
    assert "the" in idx.words
    assert load_bigrams().get("of the", 0) > 0


@pytest.mark.parametrize(
    "word",
    [
        "tbe",
        "tliere",
        "gardcn",
        "kingwas",
        "a",
        "ab",
        "xq",
        "",
        "perspicacious",
        "bcen",
        "straße",
        "wliich",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "iiiiii",
    ],
)
@pytest.mark.parametrize("distance", [0, 1, 2])
def test_symspell_terms_equal_symspellpy(word, distance):
    from symspellpy import Verbosity

    idx = symspell_index()
    expected = {s.term for s in idx.lookup(word, Verbosity.ALL, max_edit_distance=distance)}
    assert symspell_terms(idx, word, distance) == expected


@pytest.mark.parametrize("word", ["tbe", "gardcn", "kingwas", "ab", "", "perspicacious", "iiiiii"])
def test_delete_index_finds_what_symspellpy_finds(word):
    full = symspell_index()
    for distance in (1, 2):
        assert symspell_terms(delete_index(), word, distance) == symspell_terms(
            full, word, distance
        )
    assert symspell_terms(delete_index(max_distance=1), word, 1) == symspell_terms(full, word, 1)
    # A frequency floor gives the frequent part of the same set.
    lex = load_lexicon("en")
    frequent = symspell_terms(delete_index(min_zipf=4.0), word, 2)
    assert frequent == {w for w in symspell_terms(full, word, 2) if lex.zipf(w) >= 4.0}


@pytest.mark.parametrize(
    "word",
    ["tbe", "gardcn", "kingwas", "ab", "", "x", "perspicacious", "iiiiii", "straße", "bhnded"],
)
@pytest.mark.parametrize("floor", [3.0, 4.5])
def test_near_far_lookup_is_the_two_lookups(word, floor):
    near, far = delete_index(max_distance=1), delete_index(min_zipf=floor)
    extra = {"blinded", "garden", "the", "qzxv"}
    expected = symspell_terms(near, word, 1) | symspell_terms(far, word, 2)
    assert symspell_terms_near_far(near, far, word) == expected
    got = symspell_terms_near_far(near, far, word, extra=extra)
    assert got == expected | {w for w in extra if _osa(word, w) <= 2}


def _osa(a: str, b: str) -> int:
    from rapidfuzz.distance import OSA

    return int(OSA.distance(a, b))
