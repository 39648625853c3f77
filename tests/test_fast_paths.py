"""The fast paths of the character, noise, layout and amount stages agree with the plain way.

Each fast path (a prefilter that skips text, a pass that finds only some lines, a shortcut for
the commonest case) must give exactly what the straightforward code gives; these properties
compare the two on generated text.
"""

from __future__ import annotations

from collections import deque

from hypothesis import example, given
from hypothesis import strategies as st

from textfix.edits import Edit

_MARKS = st.text(
    st.sampled_from([*"¦•.?-,'_*~|/ \t\n\r\f\u00a0\u2009abZ9é\u0301«»—…·", " ", " "]),
    max_size=40,
)


@given(_MARKS)
@example("x ¦ • ¦ y\n. . .\n")
@example("a\u00a0¦ •\u0301 ¦\n")
def test_noise_runs_found_on_candidate_lines_only(text: str) -> None:
    from textfix.stages.noise import _RUN_RE, _runs

    def runs(matches: object) -> list[tuple[int, int]]:
        return [m.span() for m in matches if len(m.group().split()) >= 2]  # type: ignore[attr-defined]

    assert runs(_runs(text)) == runs(_RUN_RE.finditer(text))


_AMOUNT_TEXT = st.lists(
    st.sampled_from(
        [
            *("Is.", "Gd.", "3s.", "6d", "£5", "£ 1", "12s,", "is", "and", "as", " ", " ", "\n"),
            *("x", "1", "a" * 21, "I1s", "Os.", "'Is", "\u0661s", "7d."),
        ]
    ),
    max_size=30,
).map(" ".join)


@given(_AMOUNT_TEXT)
@example("Is. " + " " * 19 + "6d.")
@example("6d." + " " * 19 + " Is.")
def test_amount_tokens_found_near_amounts_only(text: str) -> None:
    from textfix.stages.amounts import (
        _ANY_AMOUNT_RE,
        _UNIT_TOKEN_RE,
        _anchors,
        _neighbour_is_amount,
        _unit_tokens,
    )

    anchors = _anchors(text)
    assert any(_ANY_AMOUNT_RE.match(text, p) for p in anchors) == bool(_ANY_AMOUNT_RE.search(text))
    fast = [t for t in _unit_tokens(text, anchors) if _neighbour_is_amount(text, t[0], t[1])]
    plain = [
        (m.start(), m.end(), m[1], m[2], m[3])
        for m in _UNIT_TOKEN_RE.finditer(text)
        if _neighbour_is_amount(text, m.start(), m.end())
    ]
    assert fast == plain


def _glue_lines_plainly(
    lines: list[tuple[int, int, str]], blanks: list[int], indents: list[int]
) -> tuple[list[tuple[int, int, str]], list[int], list[int], deque[Edit]]:
    from textfix.stages.layout import _glued_end, _glues, _is_page_number

    glued: deque[Edit] = deque()
    out, out_blanks, out_indents = [lines[0]], [blanks[0]], [indents[0]]
    for i in range(1, len(lines)):
        a_start, a_end, a = out[-1]
        b_start, b_end, b = lines[i]
        if blanks[i] <= 3 and _glued_end(a) and _glues(a, b) and not _is_page_number(b):
            glued.append(Edit(a_end, b_start, "", "s", "join_hyphen", 0.9))
            out[-1] = (a_start, b_end, a + b)
        else:
            out.append(lines[i])
            out_blanks.append(blanks[i])
            out_indents.append(indents[i])
    return out, out_blanks, out_indents, glued


@given(
    st.lists(
        st.sampled_from(
            [
                *("\n", "\n", "\n\n", "a", "b-", "1-", "—", "-", " ", "\t", "12", "¬", "\f"),
                *("ab", "\u2010", "x—", "iv", "\n\n\n\n"),
            ]
        ),
        max_size=16,
    ).map("".join)
)
@example("ab-\ncd-\n-\nef")
def test_glued_lines_found_by_search(text: str) -> None:
    from textfix.stages.layout import _glue_lines, _split_lines

    lines, blanks, indents, _trail = _split_lines(text)
    if len(lines) < 2:
        return
    assert _glue_lines(text, lines, blanks, indents, "s") == _glue_lines_plainly(
        lines, blanks, indents
    )


@given(
    st.lists(st.sampled_from(["\n", " ", "\t", "ab", "cd", "é", "x", "A", "-", "1"]), max_size=60)
)
def test_lines_starting_with_many_words(pieces: list[str]) -> None:
    from textfix.stages.layout import _LINE_START_WORD_RE, _lines_starting_with

    text = "".join(pieces)
    starts = {m.group(1) for m in _LINE_START_WORD_RE.finditer(text)}
    words = starts | {f"w{i}" for i in range(10)}  # more than are found one by one
    expected = [
        (m.start(), m.start(1)) for m in _LINE_START_WORD_RE.finditer(text) if m.group(1) in words
    ]
    assert _lines_starting_with(text, words) == expected


@given(
    a=st.text(st.sampled_from([*"abcXYZ .,:;!?\"'”»)]0123 \u00a0É"]), min_size=1, max_size=70),
    b=st.text(st.sampled_from([*"abc .)XY1-(•"]), min_size=1, max_size=20),
)
@example(a="THE HISTORY OF IT", b="and so")
@example(a="\u00a0THE END", b="an end")
def test_commonest_break_shortcut_agrees_with_boundary(a: str, b: str) -> None:
    from textfix.stages.layout import _boundary, _heading_like, _upper_ratio

    a, b = a.strip(" \t\f\r") or "a", b.strip(" \t\f\r") or "b"
    if not (a[-1].isalpha() and b[0].islower() and b[1:2] not in (".", ")")):
        return
    kind = "join"
    if (
        (len(a) <= 60 or a[0].isspace())
        and not a[0].islower()
        and _upper_ratio(a) >= 0.8
        and _heading_like(a)
    ):
        kind = "paragraph"
    assert _boundary(a, len(a), b, 0, 0, 0, 40.0, 30.0) == kind
