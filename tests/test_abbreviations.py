"""fix_real_word_errors, session 7: abbreviations by context (titles, "&c."), learned pairs
that are rarely the error, and capitals inside sentences kept where they are a style.

All sentences are invented.
"""

from __future__ import annotations

import pickle
from typing import TYPE_CHECKING

import pytest

from textfix.edits import apply_edits
from textfix.errors import ConfigError, DictionaryError
from textfix.stages.abbreviations import load_abbreviations
from textfix.stages.words import FixRealWordErrors

if TYPE_CHECKING:
    from pathlib import Path

STAGE = FixRealWordErrors()

# A document that puts "Mr" before names twice, and once prints it as "Mi".
TITLES = (
    "The chair was taken by Mr. Brown, and Mr. Hall read the minutes. "
    "A letter from Mi. Jones was then read to the meeting."
)


def _fixed(text: str, stage: FixRealWordErrors = STAGE) -> str:
    return apply_edits(text, stage.edits(text))


def _rules(text: str, stage: FixRealWordErrors = STAGE) -> list[str]:
    return [e.rule for e in stage.edits(text)]


def test_table_loads() -> None:
    abbr = load_abbreviations()
    assert {"Mr", "Mrs", "Dr", "Pte"} <= abbr.titles
    assert abbr.list_end["Ac"] == "&c"
    assert "&c" not in abbr.list_end  # the right form is never a misreading of itself


def test_title_before_a_name_from_the_document() -> None:
    assert _fixed(TITLES) == TITLES.replace("Mi. Jones", "Mr. Jones")
    assert _rules(TITLES) == ["title"]
    # Without a full stop and before an initial too.
    text = "Mr. Grey and Mr. White thanked Mi J. Black for the loan."
    assert _fixed(text) == "Mr. Grey and Mr. White thanked Mr J. Black for the loan."


def test_title_needs_the_document_to_use_it() -> None:
    # "Di" has no learned pair with "Dr" (only the channel's "i" for "r"): the document must
    # use "Dr" before names at least title_min_count times.
    once = "The patient was seen by Dr. Grey. A note from Di. Jones was read."
    twice = "Dr. Grey and Dr. White saw him. A note from Di. Jones was read."
    assert "title" not in _rules(once)
    assert _fixed(twice) == twice.replace("Di. Jones", "Dr. Jones")
    assert "title" not in _rules(twice, FixRealWordErrors(title_min_count=3))
    # Off with an empty table name.
    assert "title" not in _rules(TITLES, FixRealWordErrors(titles=""))


def test_title_not_when_the_token_is_as_common_there() -> None:
    # "Di" before a name as often as "Dr": a name of its own ("Di Marco"), not a misreading.
    text = "Dr. Grey met Di Marco, and Dr. White met Di Rossi at the station."
    assert "title" not in _rules(text)


def test_title_not_in_a_phrase_of_its_own() -> None:
    # "air" is a learned misreading of "mr" (two edits), but "air force" is a phrase.
    text = "Mr. Brown and Mr. Grey joined the Air Force in May."
    assert _fixed(text) == text


def test_title_not_for_a_word_the_document_uses() -> None:
    # "On" is one learned confusion from "Hon", but the document uses "on" as a word.
    text = "The Hon. A. Grey and the Hon. B. White met on the pier. On Monday they left."
    assert _fixed(text) == text


def test_other_abbreviations_before_names_stay() -> None:
    # "Mt" is one learned confusion from "Mr", but an abbreviation of its own.
    text = "Mr. Brown and Mr. Grey climbed Mt. Kosciuszko and saw St. Paul's."
    assert _fixed(text) == text
    assert "Mt" in load_abbreviations().others


def test_title_not_before_a_lowercase_word() -> None:
    text = "Mr. Brown and Mr. Hall sang do re mi and then left."
    assert _fixed(text) == text


def test_list_end_after_a_comma() -> None:
    text = "Nails, screws, hinges, Ac. Apply at the shop. Pipes, valves, &o., all new."
    assert _fixed(text) == (
        "Nails, screws, hinges, &c. Apply at the shop. Pipes, valves, &c., all new."
    )
    assert set(_rules(text)) == {"etc"}
    # Not without the comma before it, nor before a letter.
    for keep in ("The Ac. unit was sold.", "Nails, Acme tools and more."):
        assert _fixed(keep) == keep


def test_low_share_pairs_need_both_neighbours() -> None:
    # "hold" is rarely a misread "held", but here both neighbours ask for "held".
    text = "A general meeting was hold at the town hall on Friday."
    assert _fixed(text) == text.replace("was hold", "was held")
    assert _rules(text) == ["real_word"]
    # Where "hold" fits, it stays; without the strict margin nothing changes.
    keep = "We hope to hold a meeting at the town hall soon."
    assert _fixed(keep) == keep
    assert _fixed(text, FixRealWordErrors(low_share_threshold=float("inf"))) == text
    # A capital next (often a lost "?" or "!"): not judged.
    assert _fixed("A general meeting was hold At last.") == "A general meeting was hold At last."
    # "he" for "be" needs more than the bigrams give ("will he done"): a miss, not a risk.
    assert _fixed("It will he done soon.") == "It will he done soon."


def test_rare_pair_inside_a_name() -> None:
    text = "The ship sailed for the city of Now York on the first of May."
    assert _fixed(text) == text.replace("Now York", "New York")
    assert _fixed(text, FixRealWordErrors(low_share_threshold=float("inf"))) == text


def test_capitals_inside_sentences_kept_in_verse() -> None:
    prose = "The papers were laid In the hands of the council on Monday."
    assert _fixed(prose) == prose.replace("laid In", "laid in")
    # Verse run together: many lines start with a capital after a lowercase word.
    verse = (
        "the bells ring out With joy and cheer and sound In every home "
        "the stars shine bright And all the night is still The moon is high "
        "the wind is soft And warm the fields lie deep In silver light "
        "the river flows For ever on and on The hills are calm "
        "the songs rise up With every heart "
    )
    assert _fixed(verse) == verse
    assert "in every" in _fixed(verse, FixRealWordErrors(midcap_style=0.0))


def test_idempotent_and_picklable() -> None:
    for text in (TITLES, "Nails, screws, Ac. Apply within.", "A meeting was hold at noon."):
        once = _fixed(text)
        assert _fixed(once) == once
    assert pickle.loads(pickle.dumps(STAGE)) == STAGE


def test_clean_text_unchanged() -> None:
    text = (
        "Mr. and Mrs. Grey, Dr. White and the Rev. Mr. Black came, with books, maps, &c., "
        "and stayed until the end of the meeting. Will he come back? Mi amigo said no."
    )
    assert _fixed(text) == text


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"title_min_count": 0}, "title_min_count"),
        ({"title_min_count": 1.5}, "title_min_count"),
        ({"low_share_threshold": "x"}, "low_share_threshold"),
        ({"low_share_threshold": float("nan")}, "low_share_threshold"),
        ({"midcap_style": -1.0}, "midcap_style"),
    ],
)
def test_bad_settings(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        FixRealWordErrors(**kwargs)  # type: ignore[arg-type]


def test_bad_table_kind(tmp_path: Path) -> None:
    path = tmp_path / "abbr.tsv"
    path.write_text("Mr\ttitle\nXy\tsomething\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match="unknown kind"):
        load_abbreviations(str(path))


def test_user_table(tmp_path: Path) -> None:
    path = tmp_path / "abbr.tsv"
    path.write_text("# my titles\nMr\ttitle\n", encoding="utf-8")
    stage = FixRealWordErrors(titles=str(path))
    assert _fixed(TITLES, stage) == TITLES.replace("Mi. Jones", "Mr. Jones")
    assert _fixed("Nails, screws, Ac. Apply.", stage) == "Nails, screws, Ac. Apply."
