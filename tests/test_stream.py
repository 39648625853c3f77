"""Streaming (textfix.stream, ``textfix clean --stream-mb``): the output equals whole-text cleaning.

The texts are built from invented OCR-like pieces that put the document-wide evidence and the
cross-line decisions right at the chunk boundaries: words hyphenated across lines (and across
blank lines), running heads and page numbers, names and misreadings that recur, blank lines,
CRLF, long lines and tiny chunks.
"""

from __future__ import annotations

import io
import json
import pickle
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textfix import load_preset
from textfix.cli import main
from textfix.errors import ConfigError
from textfix.io import DecodeError, decode
from textfix.pipeline import Pipeline
from textfix.stream import can_stream, clean_stream, iter_clean

if TYPE_CHECKING:
    from pathlib import Path

DEFAULT = load_preset("default")
KEEP_LINES = load_preset("keep_lines")
CHARACTERS = load_preset("characters")
PIPES = {"default": DEFAULT, "keep_lines": KEEP_LINES}

WORDS = (
    "the king was in tbe garden and Mr Zorbrant said that tliere were kingwas perso nally "
    "rail-way railway Ameri-can co-operate Caf6 bo done by tho end Zorbrant colour theatre "
    "Valdemir Valdemir's 1886 xiv iv. (a) THE"
).split()
PIECES = (
    "dele-\ngation ",
    "dele-\n\n\ngation ",
    "member-\nparties ",
    "rail-\nway ",
    "gov¬\nernment ",
    "social-demo¬\ncratic ",
    "Mont-le-\nGrand ",
    "con\nstitution ",
    "ab-\ncd-\nef ",
    "\n\n12\n\n",
    "\n- 14 -\n",
    "\nTHE HISTORY OF ZORBRANT. 23\n",
    "\nTHE HISTORY OF ZORBRANT\n",
    "\n\f\n",
    "\n{p. 7}\n",
    "see [Pg 9] here ",
    "\n",
    "\n\n",
    "\r\n",
    ".\n",
    "?\n   ",
    '"\n',
    "—\n",
    "ﬁne eﬀort ",
    "Cafe\u0301 ",
    "10\u00a0km ",
    "CafÃ© ",
    "zero\u200bwidth ",
    "word " * 40,
    "x" * 300 + " ",
    "\n1. First item\n2. Second item\n",
    "A Heading In Title Case\n",
)


@st.composite
def ocr_texts(draw: st.DrawFn) -> str:
    parts = draw(
        st.lists(
            st.one_of(
                st.sampled_from(PIECES),
                st.tuples(st.sampled_from(WORDS), st.sampled_from((" ", " ", "\n", ". ", ", "))),
            ),
            max_size=80,
        )
    )
    return "".join(p if isinstance(p, str) else "".join(p) for p in parts)


def _cut(text: str, cuts: list[int]) -> list[str]:
    points = sorted({min(c, len(text)) for c in cuts})
    return [text[a:b] for a, b in zip([0, *points], [*points, len(text)], strict=True)]


@pytest.mark.parametrize("preset", sorted(PIPES))
@given(
    text=ocr_texts(),
    chunk=st.one_of(st.integers(1, 40), st.integers(41, 3000)),
    cuts=st.lists(st.integers(0, 5000), max_size=6),
)
@settings(deadline=None, max_examples=40)
def test_streamed_equals_whole(preset: str, text: str, chunk: int, cuts: list[int]) -> None:
    pipe = PIPES[preset]
    assert "".join(iter_clean(pipe, _cut(text, cuts), chunk_chars=chunk)) == pipe(text)


@given(text=st.text(max_size=300), chunk=st.integers(1, 50))
@settings(deadline=None, max_examples=60)
def test_streamed_equals_whole_on_any_text(text: str, chunk: int) -> None:
    for pipe in (CHARACTERS, DEFAULT):
        assert "".join(iter_clean(pipe, [text], chunk_chars=chunk)) == pipe(text)


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 20])
def test_surveys_cross_chunks(chunk: int) -> None:
    # A misreading that recurs, written once far from the others: its count is document-wide.
    text = ("Zorbrant came. " * 3 + "\n") * 30 + "tbe end of it.\n" + "rail-\nway " * 3
    text += "and the railway\n" * 5
    assert "".join(iter_clean(DEFAULT, [text], chunk_chars=chunk)) == DEFAULT(text)


def test_clean_stream_writes_and_reads_file_objects() -> None:
    text = "ﬁrst dele-\ngation\r\nsecond line of it.\n" * 50
    out = io.StringIO()
    clean_stream(DEFAULT, io.StringIO(text), out, chunk_chars=100)
    assert out.getvalue() == DEFAULT(text)


def test_long_line_without_newline() -> None:
    text = "a tbe word " * 5000  # one line: the whole line is one window
    assert "".join(iter_clean(DEFAULT, [text], chunk_chars=10)) == DEFAULT(text)


def test_empty_and_tiny_inputs() -> None:
    for text in ("", "\n", "a", "\n\n\n", "tbe"):
        assert "".join(iter_clean(DEFAULT, [text], chunk_chars=1)) == DEFAULT(text)


def test_every_shipped_stage_streams() -> None:
    from textfix.registry import available_stages, get_stage

    assert can_stream(Pipeline(tuple(get_stage(n) for n in available_stages())))
    with pytest.raises(ConfigError, match="chunk_chars"):
        iter_clean(CHARACTERS, ["x"], chunk_chars=0)


def test_furniture_decided_over_the_whole_document() -> None:
    # The running head recurs on every page, the year is told from the page numbers by the
    # other pages: both are decided from pages far from the chunk being cleaned.
    page = "some running text of the page goes on here\n" * 8
    text = "".join(f"THE HISTORY OF ZORBRANT\n\n{page}\n{n}\n\n" for n in range(1, 30))
    text += "it was in 1889 that\n\n1889\n\nmore text follows here.\n"
    pipe = DEFAULT.select(only=["remove_page_furniture"])
    assert pipe(text).count("ZORBRANT") < 5
    for chunk in (1, 50, 400, 1 << 20):
        assert "".join(iter_clean(pipe, [text], chunk_chars=chunk)) == pipe(text)


def test_bytes_are_refused() -> None:
    with pytest.raises(TypeError, match="decode"):
        list(iter_clean(CHARACTERS, [b"x"], chunk_chars=4))  # type: ignore[list-item]


def test_surveys_add_up() -> None:
    text = "One line that runs\non here. Rail-\nway and the railway tbe\n\n\nNext\n" * 3
    cut = text.index("Next") - 1
    for stage in DEFAULT.stages:
        if not hasattr(stage, "survey"):
            continue
        whole = stage.survey(text)
        assert stage.survey(text[:cut]) + stage.survey(text[cut:]) == whole
        assert pickle.loads(pickle.dumps(stage)) == stage


@pytest.mark.slow
def test_dev_records_streamed(corpora_dir: Path) -> None:
    """The real OCR records, concatenated, streamed in small chunks."""
    texts = []
    for path in sorted(corpora_dir.glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines()[:15]:
            if line.strip():
                texts.append(json.loads(line)["ocr"])
    text = "\n\n".join(texts)
    for pipe in (DEFAULT, KEEP_LINES):
        assert "".join(iter_clean(pipe, [text], chunk_chars=2000)) == pipe(text)


@pytest.mark.slow
def test_seeds_streamed(seeds_dir: Path) -> None:
    for path in sorted(seeds_dir.glob("*.txt"))[:3]:
        text = path.read_text("utf-8")[:200_000]
        assert "".join(iter_clean(DEFAULT, [text], chunk_chars=5000)) == DEFAULT(text)


# --- command line -------------------------------------------------------------------------

SAMPLE = ("The ﬁrst dele-\ngation of tbe king\r\nwas here.\n\nZorbrant said so.\n" * 40).encode()


def _clean(tmp_path: Path, *args: str) -> bytes:
    out = tmp_path / "out"
    assert main(["clean", *args, "-o", str(out), str(tmp_path / "in.txt")]) == 0
    return (out / "in.txt").read_bytes()


@pytest.mark.parametrize("pipeline", [["--preset", "characters"], [], ["--keep-lines"]])
def test_cli_streams_large_files_with_same_bytes(tmp_path: Path, pipeline: list[str]) -> None:
    (tmp_path / "in.txt").write_bytes(SAMPLE)
    whole = _clean(tmp_path, *pipeline, "--stream-mb", "0")
    streamed = _clean(tmp_path, *pipeline, "--stream-mb", "0.0001", "--chunk-mb", "0.0002")
    assert streamed == whole


def test_cli_explain_falls_back_to_whole(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_bytes(SAMPLE)
    whole = _clean(tmp_path, "--stream-mb", "0")
    assert _clean(tmp_path, "--stream-mb", "0.0001", "--chunk-mb", "0.0002", "--stats") == whole


def test_cli_stream_to_stdout(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    (tmp_path / "in.txt").write_bytes(SAMPLE)
    args = ["clean", "--preset", "characters", str(tmp_path / "in.txt")]
    assert main([*args, "--stream-mb", "0"]) == 0
    whole = capsysbinary.readouterr().out
    assert main([*args, "--stream-mb", "0.0001", "--chunk-mb", "0.0001"]) == 0
    assert capsysbinary.readouterr().out == whole


def test_cli_stream_bad_file_does_not_stop_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_bytes(SAMPLE)
    (src / "b.txt").write_bytes(SAMPLE[:500] + b"\xff" + SAMPLE)  # bad byte past a chunk
    (src / "c.txt").write_bytes(SAMPLE)
    out = tmp_path / "out"
    args = ["clean", "--preset", "characters", "--stream-mb", "0.0001", "--chunk-mb", "0.0001"]
    code = main([*args, str(src), "-o", str(out)])
    assert code == 1
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "c.txt"]  # no partial b.txt
    with pytest.raises(DecodeError) as whole:
        decode((src / "b.txt").read_bytes(), str(src / "b.txt"))
    assert str(whole.value) in capsys.readouterr().err  # the same offset and line
    assert (out / "a.txt").read_bytes() == CHARACTERS(SAMPLE.decode()).encode()


def test_cli_stream_split_utf8_and_replace(tmp_path: Path) -> None:
    data = ("café\n" * 3000).encode() + b"\xc3" + ("é" * 10).encode()
    (tmp_path / "in.txt").write_bytes(data)
    args = ["--preset", "characters", "--errors", "replace"]
    assert _clean(tmp_path, *args, "--stream-mb", "0.0001", "--chunk-mb", "0.0001") == _clean(
        tmp_path, *args, "--stream-mb", "0"
    )


def test_cli_stream_in_place_unchanged_keeps_file(tmp_path: Path) -> None:
    path = tmp_path / "in.txt"
    path.write_bytes(b"already clean text\n" * 100)
    before = path.stat().st_mtime_ns
    args = [
        "clean",
        "--preset",
        "characters",
        "--stream-mb",
        "0.0001",
        "--chunk-mb",
        "0.0001",
        "--in-place",
    ]
    assert main([*args, "--backup", ".bak", str(path)]) == 0
    assert path.stat().st_mtime_ns == before
    assert not (tmp_path / "in.txt.bak").exists()
    path.write_bytes(b"\xef\xac\x81ne\n" * 100)  # "ﬁne": changed, backed up
    assert main([*args, "--backup", ".bak", str(path)]) == 0
    assert path.read_bytes() == b"fine\n" * 100
    assert (tmp_path / "in.txt.bak").read_bytes() == b"\xef\xac\x81ne\n" * 100


def test_pipeline_of_custom_stage_without_context_is_not_streamed() -> None:
    from dataclasses import dataclass
    from typing import ClassVar

    @dataclass(frozen=True)
    class Upper:
        name: ClassVar[str] = "upper"

        def edits(self, text: str) -> list[object]:
            return []

    assert not can_stream(Pipeline((Upper(),)))


def test_cli_streams_jsonl_record_by_record(tmp_path: Path) -> None:
    recs = [{"id": i, "text": f"tbe ﬁrst dele-\ngation {i}\r\nof it", "n": [i]} for i in range(300)]
    data = "".join(
        json.dumps(r, ensure_ascii=False) + "\n" + ("\n" if i % 7 else "")
        for i, r in enumerate(recs)
    )
    path = tmp_path / "in.txt"
    path.write_text(data, "utf-8")
    args = ["--format", "jsonl"]
    assert _clean(tmp_path, *args, "--stream-mb", "0.0001", "--chunk-mb", "0.0001") == _clean(
        tmp_path, *args, "--stream-mb", "0"
    )
    path.write_text(data + "{oops\n" + data, "utf-8")
    out = tmp_path / "bad"
    assert (
        main(
            [
                "clean",
                *args,
                "--stream-mb",
                "0.0001",
                "--chunk-mb",
                "0.0001",
                str(path),
                "-o",
                str(out),
            ]
        )
        == 1
    )
    assert not (out / "in.txt").exists()
