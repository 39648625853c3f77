"""The command line, run in-process through ``main([...])``, plus one subprocess smoke test."""

from __future__ import annotations

import io
import itertools
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

import textfix
from textfix import batch, cli
from textfix import io as tio
from textfix.cli import main

# Exact outputs are checked with the character preset, which later stages do not change.
CHARS = ("--preset", "characters")
DIRTY = "The ﬁrst\u00a0page\r\nof the eﬀort.\n"
CLEAN = "The first page\nof the effort.\n"


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def set_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def leftovers(folder: Path) -> list[Path]:
    """Temporary files that a write left behind."""
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


# --- basics ---------------------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"textfix {textfix.__version__}"


def test_no_command_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exc:
        main([])
    assert exc.value.code == 2


def test_stdin_to_stdout(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    set_stdin(monkeypatch, DIRTY.encode())
    assert main(["clean", *CHARS]) == 0
    assert capsys.readouterr().out == CLEAN


def test_dash_means_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    set_stdin(monkeypatch, "ﬁ".encode())
    assert main(["clean", *CHARS, "-"]) == 0
    assert capsys.readouterr().out == "fi"


def test_closed_stdin_is_reported(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(sys, "stdin", None)
    assert main(["clean"]) == 1
    assert "<stdin>: there is no standard input" in capsys.readouterr().err


def test_one_file_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path / "a.txt", DIRTY)
    assert main(["clean", *CHARS, str(f)]) == 0
    assert capsys.readouterr().out == CLEAN
    assert f.read_bytes().decode("utf-8") == DIRTY  # the input is untouched


def test_folder_is_mirrored(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write(src / "a.txt", DIRTY)
    write(src / "deep" / "er" / "b.txt", "ﬂat\n")
    write(src / "skip.md", "ﬁ")
    write(src / ".hidden" / "c.txt", "ﬁ")
    out = tmp_path / "out"
    assert main(["clean", *CHARS, str(src), "-o", str(out)]) == 0
    got = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert got == ["a.txt", "deep/er/b.txt"]
    assert (out / "a.txt").read_bytes().decode("utf-8") == CLEAN
    assert (out / "deep" / "er" / "b.txt").read_bytes().decode("utf-8") == "flat\n"


def test_output_folder_inside_or_around_the_input(tmp_path: Path, capsys) -> None:
    src = tmp_path / "corpus"
    write(src / "a.txt", DIRTY)
    write(src / "sub" / "b.txt", DIRTY)
    # Inside: its files are not taken as inputs, now or on a second run.
    for _ in range(2):
        assert main(["clean", *CHARS, str(src), "-o", str(src / "clean")]) == 0
    assert sorted(p.name for p in (src / "clean").rglob("*.txt")) == ["a.txt", "b.txt"]
    # Around: the input folder is still read; its outputs go to corpus/b.txt, not over it.
    out = main(["clean", *CHARS, str(src / "sub"), "-o", str(src)])
    assert out == 0
    assert (src / "b.txt").read_bytes().decode("utf-8") == CLEAN
    # The same folder: refused, nothing changed.
    assert main(["clean", *CHARS, str(src), "-o", str(src)]) == 2
    assert (src / "a.txt").read_bytes().decode("utf-8") == DIRTY


def test_empty_folder_is_a_warning(tmp_path: Path, capsys) -> None:
    (tmp_path / "in").mkdir()
    assert main(["clean", *CHARS, str(tmp_path / "in"), "-o", str(tmp_path / "out")]) == 0
    assert "textfix warning:" in capsys.readouterr().err


def test_glob_picks_other_files(tmp_path: Path) -> None:
    src = tmp_path / "in"
    write(src / "a.txt", "ﬁ")
    write(src / "b.ocr", "ﬂ")
    out = tmp_path / "out"
    assert main(["clean", *CHARS, str(src), "-o", str(out), "--glob", "*.ocr"]) == 0
    assert [p.name for p in out.iterdir()] == ["b.ocr"]


def test_several_inputs_need_an_output_dir(tmp_path: Path, capsys) -> None:
    a, b = write(tmp_path / "a.txt", "x"), write(tmp_path / "b.txt", "y")
    assert main(["clean", *CHARS, str(a), str(b)]) == 2
    assert "need -o DIR" in capsys.readouterr().err
    assert main(["clean", *CHARS, str(tmp_path)]) == 2  # a folder counts as several


def test_two_inputs_to_one_output_are_refused(tmp_path: Path, capsys) -> None:
    a = write(tmp_path / "x" / "a.txt", "1")
    b = write(tmp_path / "y" / "a.txt", "2")
    assert main(["clean", *CHARS, str(a), str(b), "-o", str(tmp_path / "out")]) == 2
    assert "both be written" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# --- safety of outputs ----------------------------------------------------------------------


def test_refuses_to_overwrite_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path / "a.txt", DIRTY)
    assert main(["clean", *CHARS, str(f), "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("textfix error: refusing to write")
    assert f.read_bytes().decode("utf-8") == DIRTY


def test_refuses_explain_over_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path / "a.txt", DIRTY)
    assert main(["clean", *CHARS, str(f), "--explain", str(f)]) == 2
    assert f.read_bytes().decode("utf-8") == DIRTY


def test_in_place_with_backup(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", DIRTY)
    same = write(tmp_path / "b.txt", CLEAN)
    f.chmod(0o640)
    before = same.stat().st_mtime_ns
    assert main(["clean", *CHARS, "--in-place", "--backup", ".orig", str(f), str(same)]) == 0
    assert f.read_bytes().decode("utf-8") == CLEAN
    assert (tmp_path / "a.txt.orig").read_bytes().decode("utf-8") == DIRTY
    assert f.stat().st_mode & 0o777 == 0o640
    # An input that needs no change is not rewritten and gets no backup.
    assert same.stat().st_mtime_ns == before
    assert not (tmp_path / "b.txt.orig").exists()
    assert leftovers(tmp_path) == []


def test_output_files_get_the_usual_permissions(tmp_path: Path) -> None:
    # New outputs are made as open() makes them (0o666 less the umask), not 0o600; an output
    # written over keeps its own permissions.
    f = write(tmp_path / "a.txt", DIRTY)
    old = write(tmp_path / "out" / "b.txt", "old")
    old.chmod(0o604)
    g = write(tmp_path / "b.txt", DIRTY)
    mask = os.umask(0o027)
    tio._umask.cache_clear()  # read once per process: read it under this test's umask
    try:
        assert main(["clean", *CHARS, str(f), str(g), "-o", str(tmp_path / "out")]) == 0
    finally:
        os.umask(mask)
    tio._umask.cache_clear()
    assert (tmp_path / "out" / "a.txt").stat().st_mode & 0o777 == 0o640
    assert old.stat().st_mode & 0o777 == 0o604
    assert old.read_bytes().decode("utf-8") == CLEAN


def test_in_place_failure_keeps_the_original(tmp_path: Path, monkeypatch, capsys) -> None:
    f = write(tmp_path / "a.txt", DIRTY)

    def broken(self: Path, target: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", broken)
    assert main(["clean", *CHARS, "--in-place", str(f)]) == 1
    assert "cannot write" in capsys.readouterr().err
    assert f.read_bytes().decode("utf-8") == DIRTY
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "argv",
    [
        ["--backup", ".bak"],
        ["--in-place", "-o", "out"],
        ["--in-place", "-"],
    ],
)
def test_option_conflicts(tmp_path: Path, argv: list[str], monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.txt", "x")
    args = ["clean", *argv] if "-" in argv else ["clean", "a.txt", *argv]
    assert main(args) == 2


# --- bad input ------------------------------------------------------------------------------


def test_undecodable_file_names_the_byte(tmp_path: Path, capsys) -> None:
    f = write(tmp_path / "bad.txt", b"line one\nab\xffcd\n")
    assert main(["clean", *CHARS, str(f)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "bad.txt" in captured.err
    assert "at byte 11 (line 2)" in captured.err
    assert captured.err.startswith("textfix error:")


def test_errors_replace_and_encoding(tmp_path: Path, capsys) -> None:
    f = write(tmp_path / "bad.txt", b"ab\xffcd")
    assert main(["clean", *CHARS, "--errors", "replace", str(f)]) == 0
    assert capsys.readouterr().out == "ab\ufffdcd"
    latin = write(tmp_path / "latin.txt", "Café".encode("latin-1"))
    assert main(["clean", *CHARS, "--encoding", "latin-1", str(latin)]) == 0
    assert capsys.readouterr().out == "Café"  # written as UTF-8


def test_unknown_encoding_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["clean", *CHARS, "--encoding", "no-such-codec", str(tmp_path)])
    assert exc.value.code == 2


def test_missing_file_batch_goes_on(tmp_path: Path, capsys) -> None:
    a = write(tmp_path / "a.txt", DIRTY)
    bad = write(tmp_path / "bad.txt", b"\xff")
    out = tmp_path / "out"
    code = main(["clean", *CHARS, str(a), str(tmp_path / "nope.txt"), str(bad), "-o", str(out)])
    assert code == 1
    err = capsys.readouterr().err
    assert "nope.txt: no such file" in err
    assert "bad.txt: not valid utf-8 at byte 0" in err
    assert (out / "a.txt").read_bytes().decode("utf-8") == CLEAN
    assert not (out / "bad.txt").exists()


def test_unreadable_file_is_reported(tmp_path: Path, monkeypatch, capsys) -> None:
    a = write(tmp_path / "a.txt", "x")
    b = write(tmp_path / "b.txt", "ﬁ")
    real = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self.name == "a.txt":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    assert main(["clean", *CHARS, str(a), str(b), "-o", str(tmp_path / "out")]) == 1
    assert "a.txt: cannot read: Permission denied" in capsys.readouterr().err
    assert (tmp_path / "out" / "b.txt").read_bytes() == b"fi"


def test_in_place_through_a_symlink(tmp_path: Path) -> None:
    real = write(tmp_path / "real.txt", DIRTY)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    assert main(["clean", *CHARS, "--in-place", str(link)]) == 0
    assert link.is_symlink()
    assert real.read_bytes().decode("utf-8") == CLEAN


def test_unwritable_explanation_is_reported(tmp_path: Path, capsys) -> None:
    f = write(tmp_path / "a.txt", DIRTY)
    (tmp_path / "edits").mkdir()
    assert main(["clean", *CHARS, str(f), "--explain", str(tmp_path / "edits")]) == 1
    assert capsys.readouterr().err.startswith("textfix error:")
    assert leftovers(tmp_path) == []


def test_interrupted_batch_leaves_no_partial_file(tmp_path: Path, monkeypatch, capsys) -> None:
    src = tmp_path / "in"
    for name in "abc":
        write(src / f"{name}.txt", DIRTY)
    out = tmp_path / "out"
    real = batch.process

    def interrupt_on_b(pipe, source, options):
        if source.name.endswith("b.txt"):
            raise KeyboardInterrupt
        return real(pipe, source, options)

    monkeypatch.setattr(batch, "process", interrupt_on_b)
    explain = tmp_path / "edits.jsonl"
    assert main(["clean", *CHARS, str(src), "-o", str(out), "--explain", str(explain)]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert (out / "a.txt").read_bytes().decode("utf-8") == CLEAN
    assert not (out / "b.txt").exists()
    assert not (out / "c.txt").exists()
    assert not explain.exists()  # unfinished, so absent
    assert leftovers(tmp_path) == []


def test_interrupt_while_writing_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "out" / "a.txt"

    def interrupt(self: Path, target: Path) -> Path:
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt), tio.atomic_write(target) as fh:
        fh.write(b"half")
    assert not target.exists()
    assert leftovers(tmp_path) == []


# --- jsonl ----------------------------------------------------------------------------------


def test_jsonl_cleans_one_field_and_keeps_the_rest(tmp_path: Path, capsys) -> None:
    rows = [
        {"id": "r1", "text": "ﬁne\u00a0day", "meta": {"page": 3}, "n": 1.5},
        {"text": "plain", "id": "r2"},
    ]
    f = write(tmp_path / "d.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n\n")
    assert main(["clean", *CHARS, "--format", "jsonl", str(f)]) == 0
    got = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert got == [{**rows[0], "text": "fine day"}, rows[1]]
    assert list(got[1]) == ["text", "id"]  # field order kept


def test_jsonl_other_field_and_u2028(tmp_path: Path, capsys) -> None:
    f = write(tmp_path / "d.jsonl", '{"body": "a\u2028b ﬁ", "text": 5}\n')
    assert main(["clean", *CHARS, "--format", "jsonl", "--text-field", "body", str(f)]) == 0
    assert json.loads(capsys.readouterr().out) == {"body": "a\nb fi", "text": 5}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "d.jsonl:2: not valid JSON"),
        ('{"id": 1}', "d.jsonl:2: record has no field 'text'"),
        ('{"text": 3}', "d.jsonl:2: record has a non-string field 'text'"),
        ('["text"]', "d.jsonl:2: expected a JSON object"),
    ],
)
def test_jsonl_bad_line(tmp_path: Path, capsys, line: str, message: str) -> None:
    f = write(tmp_path / "d.jsonl", '{"text": "ok"}\n' + line + "\n")
    out = tmp_path / "out"
    assert main(["clean", *CHARS, "--format", "jsonl", str(f), "-o", str(out)]) == 1
    assert message in capsys.readouterr().err
    assert not (out / "d.jsonl").exists()


def test_jsonl_folder_uses_jsonl_glob(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.jsonl", '{"text": "ﬁ"}\n')
    write(tmp_path / "in" / "b.txt", "ﬁ")
    out = tmp_path / "out"
    assert main(["clean", *CHARS, "--format", "jsonl", str(tmp_path / "in"), "-o", str(out)]) == 0
    assert [p.name for p in out.iterdir()] == ["a.jsonl"]


# --- explain, stats, stages, subsets ----------------------------------------------------------


def test_explain_command_gives_original_offsets(tmp_path: Path, capsys) -> None:
    f = write(tmp_path / "a.txt", DIRTY)
    assert main(["explain", *CHARS, str(f)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["stage"] for r in rows] == [
        "expand_ligatures",
        "normalize_spaces",
        "normalize_newlines",
        "expand_ligatures",
    ]
    for r in rows:
        assert set(r) == {"file", "start", "end", "before", "after", "stage", "rule", "confidence"}
        assert DIRTY[r["start"] : r["end"]] == r["before"]
        assert r["file"] == str(f)
    edits = [textfix.Edit(r["start"], r["end"], r["after"], r["stage"]) for r in rows]
    assert textfix.apply_edits(DIRTY, edits) == CLEAN


def test_explain_jsonl_rows_have_line(tmp_path: Path, capsys) -> None:
    f = write(tmp_path / "d.jsonl", '{"text": "ok"}\n{"text": "eﬀ"}\n')
    assert main(["explain", *CHARS, "--format", "jsonl", str(f)]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (row["line"], row["start"], row["before"], row["after"]) == (2, 1, "ﬀ", "ff")


def test_clean_explain_file_and_stats(tmp_path: Path, capsys) -> None:
    f = write(tmp_path / "a.txt", DIRTY)
    explain = tmp_path / "edits.jsonl"
    assert main(["clean", *CHARS, str(f), "--explain", str(explain), "--stats"]) == 0
    captured = capsys.readouterr()
    assert captured.out == CLEAN
    rows = [json.loads(line) for line in explain.read_bytes().decode("utf-8").splitlines()]
    assert len(rows) == 4
    stats = json.loads(captured.err)
    assert stats["signature"] == textfix.load_preset("characters").signature()
    assert stats["edits"]["expand_ligatures"] == 2
    assert stats["edits"]["normalize_spaces:space"] == 1
    assert stats["documents"] == 1


def test_stage_and_skip_select_a_subset(tmp_path: Path, capsys) -> None:
    f = write(tmp_path / "a.txt", DIRTY)
    assert main(["clean", *CHARS, str(f), "--stage", "expand_ligatures"]) == 0
    assert capsys.readouterr().out == DIRTY.replace("ﬁ", "fi").replace("ﬀ", "ff")
    assert main(["clean", *CHARS, str(f), "--skip", "expand_ligatures"]) == 0
    assert capsys.readouterr().out == CLEAN.replace("fi", "ﬁ").replace("ff", "ﬀ")


@pytest.mark.parametrize(
    "argv",
    [["--stage", "no_such_stage"], ["--skip", "fold_typography"], ["--preset", "nope"]],
)
def test_bad_pipeline_options(tmp_path: Path, capsys, argv: list[str]) -> None:
    f = write(tmp_path / "a.txt", "x")
    assert main(["clean", *CHARS, str(f), *argv]) == 2
    assert capsys.readouterr().err.startswith("textfix error:")


def test_preset_file(tmp_path: Path, capsys) -> None:
    preset = write(tmp_path / "mine.toml", '[[stage]]\nname = "fold_typography"\ndashes = false\n')
    f = write(tmp_path / "a.txt", "“ﬁ”—x")
    assert main(["clean", *CHARS, str(f), "--preset", str(preset)]) == 0
    assert capsys.readouterr().out == '"ﬁ"—x'


def test_stages_lists_every_stage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stages"]) == 0
    out = capsys.readouterr().out
    for name, cls in textfix.available_stages().items():
        first = cls.__doc__.strip().splitlines()[0]
        assert any(name in line and first in line for line in out.splitlines())


def test_jobs_give_the_same_output(tmp_path: Path, capsys) -> None:
    src = tmp_path / "in"
    for i in range(4):
        write(src / f"f{i}.txt", DIRTY * (i + 1))
    write(src / "bad.txt", b"\xff")
    serial, parallel = tmp_path / "s", tmp_path / "p"
    assert main(["clean", *CHARS, str(src), "-o", str(serial)]) == 1
    capsys.readouterr()
    argv = ["clean", *CHARS, str(src), "-o", str(parallel), "--jobs", "2", "--stats"]
    assert main(argv) == 1
    for f in serial.iterdir():
        assert (parallel / f.name).read_bytes() == f.read_bytes()
    assert len(list(parallel.iterdir())) == 4
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("textfix error:") and "bad.txt" in err[0]
    stats = json.loads(err[-1])  # merged from the workers
    assert (stats["documents"], stats["failed"]) == (4, 1)
    assert stats["edits"]["expand_ligatures"] == 2 * (1 + 2 + 3 + 4)


def test_progress_bar_can_be_forced(tmp_path: Path, capsys) -> None:
    src = tmp_path / "in"
    write(src / "a.txt", "x")
    write(src / "b.txt", "y")
    assert main(["clean", *CHARS, str(src), "-o", str(tmp_path / "out"), "--progress"]) == 0
    assert "2/2" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["0", "-2", "many"])
def test_bad_jobs(value: str) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["clean", *CHARS, "--jobs", value])
    assert exc.value.code == 2


# --- hooks for other modules -----------------------------------------------------------------


def test_report_hook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    fake = types.ModuleType("textfix.report")
    fake.write_report = lambda path, documents: calls.append((path, documents))  # type: ignore[attr-defined]
    fake.register_cli = lambda subparsers: None  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "textfix.report", fake)
    src = tmp_path / "in"
    write(src / "a.txt", DIRTY)
    write(src / "b.txt", "clean\n")
    report = tmp_path / "r.html"
    assert (
        main(["clean", *CHARS, str(src), "-o", str(tmp_path / "out"), "--report", str(report)]) == 0
    )
    ((path, documents),) = calls
    assert path == report
    assert [name for name, _ in documents] == [str(src / "a.txt"), str(src / "b.txt")]
    fixed = documents[0][1]
    assert isinstance(fixed, textfix.Fixed)
    assert (fixed.source, fixed.text) == (DIRTY, CLEAN)


def test_plugin_subcommand(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    plugin = types.ModuleType("textfix_fake_plugin")

    def handler(args) -> int:
        print(f"hello {args.who}")
        return 3

    def register_cli(subparsers) -> None:
        p = subparsers.add_parser("hello")
        p.add_argument("who")
        p.set_defaults(func=handler)

    plugin.register_cli = register_cli  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "textfix_fake_plugin", plugin)
    monkeypatch.setattr(cli, "_COMMAND_MODULES", ("textfix_fake_plugin",))
    assert main(["hello", "world"]) == 3
    assert capsys.readouterr().out == "hello world\n"


def test_command_modules_register_commands() -> None:
    import importlib

    for name in cli._COMMAND_MODULES:
        assert callable(importlib.import_module(name).register_cli), name


# --- eval -----------------------------------------------------------------------------------


def gold(tmp_path: Path) -> Path:
    recs = [
        {"id": "1", "source": "alpha", "ocr": "The ﬁrst line", "gt": "The first line"},
        {"id": "2", "source": "beta", "ocr": "A fine day", "gt": "A fine dav"},
    ]
    return write(tmp_path / "g.jsonl", "".join(json.dumps(r) + "\n" for r in recs))


def test_eval_table(tmp_path: Path, capsys) -> None:
    assert main(["eval", *CHARS, str(gold(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert "| g.jsonl | 2 |" in out
    assert "| alpha | 1 | 14.29% | 0.00% | +100.0% |" in out
    assert "signature: normalize_newlines|" in out


def test_eval_json(tmp_path: Path, capsys) -> None:
    assert main(["eval", *CHARS, "--json", "--stage", "expand_ligatures", str(gold(tmp_path))]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["signature"].startswith("expand_ligatures|")
    assert [s["name"] for s in data["sources"]] == ["alpha", "beta"]
    alpha = data["sources"][0]
    assert alpha["plain"]["cer_after"] == 0.0
    assert alpha["dehyph"]["cer_reduction"] == 1.0
    assert data["files"][0]["records"] == 2


def test_eval_errors(tmp_path: Path, capsys) -> None:
    assert main(["eval", *CHARS, str(tmp_path / "none.jsonl")]) == 1
    assert "none.jsonl: no such file" in capsys.readouterr().err
    bad = write(tmp_path / "bad.jsonl", '{"ocr": "x"}\n')
    assert main(["eval", *CHARS, str(bad)]) == 1
    assert "bad.jsonl:1:" in capsys.readouterr().err
    binary = write(tmp_path / "bin.jsonl", b'{"ocr": "x", "gt": "\xff"}\n')
    assert main(["eval", *CHARS, str(binary)]) == 1
    assert "bin.jsonl: not valid utf-8 at byte 20" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.corpora
def test_eval_default_preset_never_harms_the_corpora(corpora_dir: Path, capsys) -> None:
    files = sorted(str(p) for p in corpora_dir.glob("*.jsonl"))
    assert main(["eval", "--json", *files]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["files"]) == len(files)
    for group in data["files"] + data["sources"]:
        for mode in ("plain", "dehyph"):
            assert group[mode]["cer_after"] <= group[mode]["cer_before"], group["name"]


# --- the real program -----------------------------------------------------------------------


def test_python_m_textfix_smoke() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "textfix", "clean", *CHARS],
        input=DIRTY.encode(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8") == CLEAN


# --- options that change stage settings ------------------------------------------------------


def test_keep_lines_keeps_the_line_structure(tmp_path: Path, capsys) -> None:
    f = write(tmp_path / "a.txt", "A line of the para-\ngraph that goes on\nand ends here.\n")
    assert main(["clean", "--keep-lines", str(f)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 3
    assert "paragraph" in out


def test_to_and_variants_tables(tmp_path: Path, capsys) -> None:
    table = write(tmp_path / "names.tsv", "Dostoyevsky\tDostoevsky\n")
    f = write(tmp_path / "a.txt", "The colour of Dostoyevsky.\n")
    assert main(["clean", "--to", "en-US", "--variants", str(table), str(f)]) == 0
    assert capsys.readouterr().out == "The color of Dostoevsky.\n"


def test_dict_needs_the_word_stage(tmp_path: Path, capsys) -> None:
    words = write(tmp_path / "words.txt", "Quirrelby\n")
    f = write(tmp_path / "a.txt", "text\n")
    assert main(["clean", *CHARS, "--dict", str(words), str(f)]) == 2
    assert "--dict needs the fix_ocr_words stage" in capsys.readouterr().err


def test_dict_is_passed_to_the_word_stage(tmp_path: Path) -> None:
    words = write(tmp_path / "words.txt", "Quirrelby\n")
    args = cli.build_parser().parse_args(["clean", "--dict", str(words)])
    stage = next(s for s in cli._pipeline(args).stages if s.name == "fix_ocr_words")
    assert stage.user_dicts == (str(words),)


@pytest.mark.parametrize(("method", "preset"), [("spawn", "characters"), ("fork", "default")])
def test_worker_start_methods_give_the_serial_results(
    tmp_path: Path, method: str, preset: str
) -> None:
    import multiprocessing

    from textfix.batch import Options, run
    from textfix.io import Source

    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} start method on this platform")
    paths = []
    for i in range(3):
        p = tmp_path / f"d{i}.txt"
        p.write_text(f"Tbe ﬁrst houfe of tbe kingwas sold in {1850 + i}.\n" * (i + 1), "utf-8")
        paths.append(p)
    sources = [Source(p, p.name, Path(p.name)) for p in paths]
    pipe = textfix.load_preset(preset)
    serial = [r.output for r in run(pipe, sources, Options())]
    parallel = [r.output for r in run(pipe, sources, Options(), jobs=2, method=method)]
    assert parallel == serial
    assert all(out for out in serial)


def test_runs_of_files_keep_order_and_errors(tmp_path: Path) -> None:
    from textfix.batch import Options, run
    from textfix.io import Source

    sources = []
    for i in range(70):  # enough files for runs of several files each
        p = tmp_path / f"r{i:02d}.txt"
        p.write_bytes(b"\xff\xfe bad" if i % 23 == 5 else f"ﬁle {i}: ﬂat ﬁeld.\n".encode())
        sources.append(Source(p, p.name, Path(p.name)))
    sources.append(Source(tmp_path / "missing.txt", "missing.txt", Path("missing.txt")))
    pipe = textfix.load_preset("characters")
    serial = [(r.source.name, r.output, r.error) for r in run(pipe, sources, Options())]
    parallel = [(r.source.name, r.output, r.error) for r in run(pipe, sources, Options(), jobs=2)]
    assert parallel == serial
    assert [name for name, _, err in serial if err] == [
        "r05.txt",
        "r28.txt",
        "r51.txt",
        "missing.txt",
    ]


@pytest.mark.parametrize("n", [0, 1, 7, 100, 1000])
@pytest.mark.parametrize("workers", [1, 2, 8])
def test_plan_hands_out_every_input_once(n: int, workers: int) -> None:
    import random

    sizes = [(i * 7919) % 5000 for i in range(n)]
    plan = batch.Plan(sizes, workers, budget=20_000, window=60_000, window_items=50)
    rng = random.Random(n * 10 + workers)
    runs: list[tuple[int, tuple[int, int]]] = []
    live = list(range(workers))
    while live:  # workers ask in a random order, as they finish at random
        k = rng.choice(live)
        got = plan.take(k)
        if got is None:
            live.remove(k)
        else:
            runs.append((k, got))
    assert sorted(i for _, (a, b) in runs for i in range(a, b)) == list(range(n))
    assert all(b - a == 1 or sum(sizes[a:b]) <= 20_000 for _, (a, b) in runs)
    assert all(b - a <= 32 for _, (a, b) in runs)
    # The windows are handed out in order: a run never starts before an earlier window is out.
    windows = [plan.window_of(a) for _, (a, _) in runs]
    assert all(w <= max(windows[: i + 1]) for i, w in enumerate(windows))
    if n >= 100 and workers == 2:
        # Each worker keeps to neighbouring inputs: few jumps between its successive runs
        # (to its lane in the next window, or to help at the back of another lane).
        for k in range(workers):
            mine = [r for w, r in runs if w == k]
            jumps = sum(1 for x, y in itertools.pairwise(mine) if y[0] != x[1] and y[1] != x[0])
            assert jumps <= 3 * (plan.window_of(n - 1) + 1)


def test_plan_keeps_windows_closed_until_asked() -> None:
    plan = batch.Plan([100] * 10, 2, window=200, window_items=100)  # windows of 4 inputs
    first = [plan.take(0, last_window=0) for _ in range(5)]
    assert first[-1] is None  # window 0 handed out; window 1 not opened yet
    assert sorted(first[:-1]) == [(0, 1), (1, 2), (2, 3), (3, 4)]
    assert plan.take(1, last_window=1) == (6, 7)  # worker 1's lane of window 1: 6-7
    assert plan.window_of(6) == 1
