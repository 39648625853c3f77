"""Edits: application, ordering checks, composition against a brute-force reference, mapping."""

from __future__ import annotations

import pickle
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from textfix import Edit, Fixed, OverlappingEditsError, Step, apply_edits, replay
from textfix.edits import compose, sorted_edits


def random_edits(data: st.DataObject, text: str, stage: str) -> list[Edit]:
    """Draw sorted, non-overlapping edits on ``text``: replacements, deletions, insertions."""
    n = len(text)
    points = sorted(data.draw(st.lists(st.integers(0, n), max_size=10), label="points"))
    edits: list[Edit] = []
    prev_end = 0
    for a, b in zip(points[::2], points[1::2], strict=False):
        if a < prev_end:
            continue
        replacement = data.draw(st.text("xyzé", max_size=3), label="replacement")
        if a == b and not replacement:
            continue
        rule = data.draw(st.sampled_from(["", "r1", "r2"]), label="rule")
        conf = data.draw(st.sampled_from([1.0, 0.9, 0.5]), label="confidence")
        edits.append(Edit(a, b, replacement, stage, rule, conf))
        prev_end = b
    return edits


@given(text=st.text("abcd", max_size=12), data=st.data())
def test_compose_matches_sequential_application(text: str, data: st.DataObject) -> None:
    current = text
    total: list[Edit] = []
    for i in range(data.draw(st.integers(1, 4), label="steps")):
        edits = random_edits(data, current, f"s{i}")
        nxt = apply_edits(current, edits)
        total = compose(total, edits, current)
        current = nxt
        # The composed edits are sorted, disjoint, in range, and reproduce the text.
        assert sorted_edits(text, total) == total
        assert apply_edits(text, total) == current
        for e in total:
            assert 0.0 < e.confidence <= 1.0
            assert all(part.startswith("s") for part in e.stage.split("+"))


def test_compose_merges_touching_edits() -> None:
    text = "tbe cat"
    first = [Edit(1, 2, "h", "a", "b->h", 0.9)]
    mid = apply_edits(text, first)
    second = [Edit(0, 3, "The", "b", "case", 0.8)]
    (merged,) = compose(first, second, mid)
    assert merged == Edit(0, 3, "The", "a+b", "b->h+case", 0.8)


def test_compose_keeps_separate_edits_apart() -> None:
    text = "a-b c"
    first = [Edit(1, 2, "", "x")]
    mid = apply_edits(text, first)  # "ab c"
    second = [Edit(3, 4, "d", "y")]
    assert compose(first, second, mid) == [Edit(1, 2, "", "x"), Edit(4, 5, "d", "y")]


@pytest.mark.parametrize(
    ("edits", "message"),
    [
        ([Edit(0, 9, "", "s")], "outside the text"),
        ([Edit(-1, 0, "", "s")], "outside the text"),
        ([Edit(2, 1, "", "s")], "outside the text"),
        ([Edit(0, 3, "", "s"), Edit(2, 4, "", "s")], "overlap"),
    ],
)
def test_bad_edits_are_rejected(edits: list[Edit], message: str) -> None:
    with pytest.raises(OverlappingEditsError, match=message):
        apply_edits("abcdef", edits)


def test_insertions_at_one_offset_keep_their_order() -> None:
    edits = [Edit(1, 1, "x", "s"), Edit(1, 1, "y", "s"), Edit(0, 1, "A", "s")]
    assert apply_edits("ab", edits) == "Axyb"


def test_apply_edits_accepts_any_order() -> None:
    assert apply_edits("abc", [Edit(2, 3, "C", "s"), Edit(0, 1, "A", "s")]) == "AbC"
    assert apply_edits("abc", []) == "abc"


def test_edit_to_dict_and_shift() -> None:
    e = Edit(1, 2, "h", "fix", "b->h", 0.91234567)
    assert e.to_dict("tbe") == {
        "start": 1,
        "end": 2,
        "before": "b",
        "after": "h",
        "stage": "fix",
        "rule": "b->h",
        "confidence": 0.9123,
    }
    assert "before" not in e.to_dict()
    assert e.shifted(3) == Edit(4, 5, "h", "fix", "b->h", 0.91234567)


def test_fixed_unpacks_counts_and_pickles() -> None:
    steps = (
        Step("a", {}, (Edit(0, 1, "x", "a", "r"), Edit(2, 3, "y", "a"))),
        Step("b", {"k": 1}, (Edit(0, 1, "z", "b", "q"),)),
    )
    fixed = Fixed("zby", steps, "abc", (Edit(0, 1, "z", "a+b", "r+q"), Edit(2, 3, "y", "a")))
    text, got_steps = fixed
    assert (text, got_steps) == ("zby", steps)
    assert fixed.stats() == Counter({"a": 2, "a:r": 1, "b": 1, "b:q": 1})
    assert replay("abc", steps) == "zby"
    assert pickle.loads(pickle.dumps(fixed)) == fixed


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ((0, 0), (0, 0)),
        ((0, 5), (0, 4)),  # the whole output maps to the whole source
        ((1, 3), (1, 2)),  # inside the replacement: widened to the replaced stretch
        ((1, 2), (1, 2)),
        ((3, 5), (2, 4)),
        ((4, 5), (3, 4)),
    ],
)
def test_to_original(span: tuple[int, int], expected: tuple[int, int]) -> None:
    fixed = Fixed("aXYcd", (), "abcd", (Edit(1, 2, "XY", "s"),))
    assert fixed.to_original(*span) == expected


def test_to_original_takes_in_deletions_at_both_ends() -> None:
    fixed = Fixed("b", (), "\x00b\x00", (Edit(0, 1, "", "s"), Edit(2, 3, "", "s")))
    assert fixed.to_original(0, 1) == (0, 3)


def test_to_original_rejects_bad_spans() -> None:
    fixed = Fixed("ab", (), "ab", ())
    with pytest.raises(ValueError, match="outside"):
        fixed.to_original(1, 3)
