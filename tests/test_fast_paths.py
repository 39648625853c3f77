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
        if (
            blanks[i] <= 3
            and _glued_end(a)
            and _glues(a, b)
            and not _is_page_number(b)
            and not _is_page_number(a + b)
        ):
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


# --- word stages: the warm path -------------------------------------------------------------


def _join_plainly(text: str) -> list[tuple[int, int, str, str, float | None]]:
    """join_broken_words as one loop over the runs of the text (the code before the fast path)."""
    import math

    from textfix.lexicon import load_bigrams, load_lexicon
    from textfix.stages.words import _JOIN_LOGP, _RUN_RE, JoinBrokenWords, _confidence

    stage = JoinBrokenWords()
    freqs = load_lexicon(stage.lang).freqs
    floor = 10 ** (stage.known_zipf - 9)
    unknown = stage.unknown_zipf - 9.0
    out = []
    prev, prev_known = None, True
    for m in _RUN_RE.finditer(text):
        b = m.group()
        b_known = freqs.get(b.lower(), 0.0) >= floor
        pm, pk = prev, prev_known
        prev, prev_known = m, b_known
        if pm is None or pm.end() + 1 != m.start():
            continue
        a = pm.group()
        if text[pm.end()] != " " or not (a.isalpha() and b.isalpha() and b.islower()):
            continue
        if not (a.islower() or (a[0].isupper() and a[1:].islower())):
            continue
        fj = freqs.get(f"{a}{b}".lower(), 0.0)
        if fj < floor:
            continue
        fa, fb = freqs.get(a.lower(), 0.0), freqs.get(b, 0.0)
        apart = max(math.log10(fa) if fa > 0 else -99.0, unknown) + max(
            math.log10(fb) if fb > 0 else -99.0, unknown
        )
        if pk and a.lower() == b:  # a word said twice: the pair is as likely as the word
            apart = max(apart, math.log10(fa))
        gain = math.log10(fj) + _JOIN_LOGP - apart
        if pk and b_known and (min(len(a), len(b)) < 2 or f"{a} {b}".lower() in load_bigrams()):
            continue
        if gain >= stage.threshold:
            conf = _confidence(gain - stage.threshold)
            out.append((pm.end(), m.start(), "", "join", conf))
            prev = None
    return out


_JOIN_TEXT = st.lists(
    st.sampled_from(
        [
            *("perso", "nally", "govern", "ment", "be", "fore", "any", "one", "in", "to", "a"),
            *("ha",),
            *("way", "some", "thing", "Some", "WAY", "x1", "it's", "'", "’", "-", "Σ", "İn"),
            *(" ", " ", " ", "  ", "\n", "\t", ",", ".", '"', "(", "é", "\u0301", "~", "¬"),
        ]
    ),
    max_size=30,
).map("".join)


@given(_JOIN_TEXT)
@example("he was perso nally glad, any one in to a way some thing")
@example("be fore be fore fore")
@example("ha ha fore fore")
@example('"perso nally," (govern ment) x1perso nally it\'s a way')
def test_join_broken_words_pairs_from_pieces(text: str) -> None:
    from textfix.stages.words import JoinBrokenWords

    fast = [
        (e.start, e.end, e.replacement, e.rule, e.confidence) for e in JoinBrokenWords().edits(text)
    ]
    assert fast == _join_plainly(text)


def test_every_letter_is_a_run_and_token_character() -> None:
    # The fast paths take a piece that is all str.isalpha letters as one whole run
    # (join_broken_words) and the first character of a token, when a letter, as its first
    # \p{L} letter (fix_ocr_words): both need every such letter in the regex classes.
    import sys

    import regex

    from textfix.stages.words import _NOT_RUN, _RUN_RE, _TOKEN_RE

    letters = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isalpha())
    assert _RUN_RE.fullmatch(letters)
    assert _TOKEN_RE.fullmatch(letters)
    assert regex.fullmatch(r"\p{L}+", letters, regex.V1)
    assert not any(_RUN_RE.match(c) for c in _NOT_RUN)


def test_settled_tokens_are_never_worth_a_look() -> None:
    from textfix.lexicon import load_lexicon
    from textfix.stages.words import FixOcrWords, _regular_case, _settled_tokens

    stage = FixOcrWords()
    freqs = load_lexicon(stage.lang).freqs
    known = 10 ** (stage.known_zipf - 9)
    settled = _settled_tokens(stage.lang, stage.user_dicts, stage.known_zipf)
    assert {"the", "The", "THE"} <= settled
    for tok in settled:  # the test of FixOcrWords.edits, negated
        assert len(tok) < 2 or (freqs.get(tok.lower(), 0.0) >= known and _regular_case(tok))


_COUNTS = st.dictionaries(
    st.sampled_from(
        ["the", "tbe", "a", "1st", "owne", "doe", "haue", "x2", "zzq", "é", "ab", "ın"]
    ),
    st.integers(1, 40),
)


@given(_COUNTS)
def test_word_totals_in_c_loops(counts: dict[str, int]) -> None:
    from textfix.stages.words import _archaic, _oov_totals, _word_keys

    freqs = {"the": 0.05, "a": 0.02, "ab": 1e-7}
    spellings = {"owne": "own", "doe": "do", "haue": "have", "x2": "x"}
    total = unknown = n = types = 0
    for w, c in counts.items():
        if len(w) >= 2 and w.isalpha():
            total += c
            unknown += c if w not in freqs else 0
            n += c if w in spellings else 0
            types += w in spellings
    assert _oov_totals(counts, freqs) == (total, unknown)
    assert _archaic(counts, spellings) == (types >= 3 and total >= 50 and n >= 0.01 * total)
    assert _archaic(counts, spellings, _word_keys(counts)) == _archaic(counts, spellings)


def _choose_plainly(
    options: tuple[tuple[float, str, str], ...],
    prev: str,
    nxt: str,
    midcap: bool,
    doc: dict[str, int] | None,
) -> tuple[float, str, str] | None:
    from textfix.lexicon import load_bigrams

    bigrams = load_bigrams() if not midcap and (prev or nxt) else None
    best = None
    for gain, rep, rule in options:
        low, bonus = rep.lower(), 0.0
        if doc is not None and doc.get(low, 0) >= 2:
            bonus += 1.0
        if bigrams is not None:
            parts = low.split(" ")
            bonus += 0.5 if prev and f"{prev} {parts[0]}" in bigrams else 0.0
            bonus += 0.5 if nxt and f"{parts[-1]} {nxt}" in bigrams else 0.0
        if best is None or gain + bonus > best[0]:
            best = (gain + bonus, rep, rule)
    return best if best is not None and best[0] >= 0 else None


@given(
    gains=st.lists(st.sampled_from([-2.0, -1.5, -1.0, -0.5, -0.25, 0.0, 0.3, 1.0]), max_size=4),
    words=st.lists(st.sampled_from(["the", "tho", "of the", "he", "be", "King"]), min_size=4),
    prev=st.sampled_from(["", "of", "in", "to"]),
    nxt=st.sampled_from(["", "king", "end", "said"]),
    midcap=st.booleans(),
    doc=st.sampled_from([None, {"the": 3, "he": 2}, {}]),
)
def test_choose_skips_only_options_that_cannot_win(
    gains: list[float],
    words: list[str],
    prev: str,
    nxt: str,
    midcap: bool,
    doc: dict[str, int] | None,
) -> None:
    from textfix.stages.words import _choose, _Decision

    options = tuple((g, w, "word") for g, w in zip(gains, words, strict=False))
    got = _choose(_Decision(options), prev, nxt, midcap, doc)
    assert got == _choose_plainly(options, prev, nxt, midcap, doc)


_BREAK_TEXT = st.lists(
    st.sampled_from(["ab", "cd", "-", "¬", "\u00ad", "\u2010", " ", "\t", "\n", "\n\n", "1"]),
    max_size=20,
).map("".join)


@given(_BREAK_TEXT)
@example("con-\nfes")
@example("con¬ \n\n fes")
def test_line_break_and_hyphen_prechecks(text: str) -> None:
    from textfix.stages.words import (
        _HYPHEN_SET,
        _LINE_END_HYPHEN_RE,
        _TOKEN_RE,
        _at_line_break,
        _hyphen_neighbours,
    )

    breaks = _LINE_END_HYPHEN_RE.search(text) is not None
    for m in _TOKEN_RE.finditer(text):
        start, end = m.span()
        if not breaks:
            assert not _at_line_break(text, start, end)
        if not ((start and text[start - 1] in _HYPHEN_SET) or text[end : end + 1] in _HYPHEN_SET):
            assert _hyphen_neighbours(text, start, end) == ("", "")


@given(
    st.lists(
        st.sampled_from(
            [*("the", "The", "tbe", "Tbe", "TBE", "zzq", "İn", "İ", "x2", "a", "ab", "owne"), " "]
        ),
        max_size=80,
    ).map(" ".join)
)
@example(" ".join(["tbe"] * 10 + ["the"] * 50))
def test_noise_shift_from_the_tokens_worth_a_look(text: str) -> None:
    from collections import Counter

    from textfix.lexicon import load_lexicon
    from textfix.stages.words import (
        _TOKEN_RE,
        FixOcrWords,
        _doc_shift,
        _noise_shift,
        _settled_tokens,
        _word_keys,
        _worth_a_look,
    )

    stage = FixOcrWords()
    freqs = load_lexicon(stage.lang).freqs
    known = 10 ** (stage.known_zipf - 9)
    strings = _TOKEN_RE.findall(text)
    todo = _worth_a_look(strings, freqs, _settled_tokens("en", (), stage.known_zipf), known)
    counts = Counter(map(str.lower, strings))
    assert _doc_shift(counts, _word_keys(counts), todo, freqs) == _noise_shift(counts, freqs)


_OCR_TOKENS = st.text(st.sampled_from([*"rnmliIh1l0oOcetaswWvuf'.5ß", *"ΣéA"]), max_size=14)


@given(_OCR_TOKENS)
@example("modem")
@example("bhnded")
def test_confusion_variants_try_lengths_by_first_character(tok: str) -> None:
    from textfix.stages.words import _confusion_variants, _rewrite_lengths, _rewrites

    conf = "en/ocr_confusions"
    table, _ = _rewrites(conf)
    plain: set[str] = set()
    for i in range(len(tok)):
        for n in _rewrite_lengths(conf):
            gs = table.get(tok[i : i + n])
            if gs is not None:
                plain.update(tok[:i] + g + tok[i + n :] for g in gs)
                break
    assert _confusion_variants(conf, tok) == plain


@given(_OCR_TOKENS)
@example("bhnded")
def test_block_words_try_lengths_by_first_character(tok: str) -> None:
    from textfix.lexicon import symspell_vocabulary
    from textfix.stages.words import FixOcrWords, _block_rewrites, _block_words

    stage, low = FixOcrWords(), tok.lower()
    words = symspell_vocabulary(stage.lang, stage.user_dicts)
    table, lengths = _block_rewrites(stage.confusions)
    plain = {
        low[:i] + g + low[i + n :]
        for i in range(len(low))
        for n in lengths
        if i + n <= len(low)
        for g in table.get(low[i : i + n], ())
    }
    assert _block_words(stage, low) == plain & set(words)


def _plain_split_parts(tok: str) -> tuple[str, ...] | None:
    """The segmentation of words._best_split, by the plain loop over every start."""
    import math

    from textfix.lexicon import load_bigrams, load_lexicon
    from textfix.stages import words as w

    stage = w.FixOcrWords()
    lex, bigrams, low = load_lexicon(stage.lang, stage.user_dicts), load_bigrams(), tok.lower()
    floor = 10 ** (stage.known_zipf - 9)
    best: list[tuple[float, tuple[str, ...]] | None] = [None] * (len(low) + 1)
    best[0] = (0.0, ())
    for j in range(2, len(low) + 1):
        for i in range(max(0, j - 24), j - 1):
            prev = best[i]
            if prev is None or len(prev[1]) >= 4:
                continue
            part = low[i:j]
            f = lex.freqs.get(part, 0.0)
            need = floor / 10 if len(part) >= 6 else floor
            if f < (w._SPLIT_SHORT_FREQ if len(part) == 2 else need):
                continue
            score = prev[0] + math.log10(f)
            if prev[1]:
                last = prev[1][-1]
                count = bigrams.get(f"{last} {part}", 0)
                pmi = (
                    math.log10(count)
                    - (math.log10(lex.freq(last)) + math.log10(f) + w._BIGRAM_CORPUS)
                    if count
                    else -1.0
                )
                score += w._SPLIT_LOGP + max(-2.0, min(2.0, pmi))
            cur = best[j]
            if cur is None or score > cur[0]:
                best[j] = (score, (*prev[1], part))
    final = best[len(low)]
    return None if final is None or len(final[1]) < 2 else final[1]


@given(
    st.lists(st.sampled_from(["the", "of", "in", "and", "was", "king", "a", "to", "x"]), max_size=7)
)
@example(["were", "none", "of", "the"])
@example(["the", "in"])
def test_best_split_extends_reachable_prefixes_only(parts: list[str]) -> None:
    from textfix.stages.words import FixOcrWords, _best_split

    tok = "".join(parts)
    got = _best_split(FixOcrWords(), tok)
    want = _plain_split_parts(tok)
    assert (None if got is None else tuple(got[1].split())) == want


@given(_OCR_TOKENS, _OCR_TOKENS)
@example("tbe", "the")
@example("iinportaut", "important")
@example("helo", "hello")
def test_channel_logprob_blocks_from_editops(ocr: str, word: str) -> None:
    from textfix.channel import _blocks, channel_logprob, load_confusions

    model = load_confusions("en/ocr_confusions")
    plain = 0.0
    for g, o in _blocks(word, ocr):
        plain += model.block(g, o)
    assert channel_logprob(model, ocr, word) == plain
