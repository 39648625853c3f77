"""The on-disk cache of derived structures (``textfix.cache``): round trip, keys, damaged and
unwritable caches, concurrent writers, and the same results with or without it."""

from __future__ import annotations

import gc
import multiprocessing
import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from textfix import cache, lexicon
from textfix.stages import words

CALLS: list[tuple[object, ...]] = []


@cache.persistent("test_table")
def build_table(n: int, user_file: str = "") -> dict[str, list[int]]:
    """A small builder for the tests: records each real build."""
    CALLS.append((n, user_file))
    extra = Path(user_file).read_text("utf-8") if user_file else ""
    return {f"w{i}{extra}": [i, i * 2] for i in range(n)}


@cache.persistent("test_pair", encode=lambda r: r[1], decode=lambda data, n, **_: (n, data))
def build_pair(n: int) -> tuple[int, list[int]]:
    CALLS.append(("pair", n))
    return n, list(range(n))


@cache.persistent("test_unmarshallable")
def build_object(n: int) -> object:
    CALLS.append(("object", n))
    return Path(str(n))  # marshal cannot write a Path


def _failing_encode(result: object) -> object:
    raise ZeroDivisionError


@cache.persistent("test_bad_encode", encode=_failing_encode)
def build_bad_encode(n: int) -> int:
    CALLS.append(("bad", n))
    return n


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty cache folder for one test."""
    monkeypatch.setenv("TEXTFIX_CACHE_DIR", str(tmp_path / "cache"))
    CALLS.clear()
    return tmp_path / "cache"


def only_entry(folder: Path, kind: str) -> Path:
    (entry,) = [e for e in cache.entries(folder) if e.kind == kind]
    return entry.path


def test_round_trip(folder: Path) -> None:
    first = build_table(5)
    assert CALLS == [(5, "")]
    second = build_table(5)
    assert second == first and CALLS == [(5, "")]  # read back, not rebuilt
    assert build_table(n=5) == first and len(CALLS) == 1  # same key however the call is spelled
    build_table(6)
    assert len(CALLS) == 2  # other arguments, other entry
    assert {e.kind for e in cache.entries(folder)} == {"test_table"}
    assert len(cache.entries(folder)) == 2


def test_encode_decode(folder: Path) -> None:
    assert build_pair(4) == (4, [0, 1, 2, 3])
    assert build_pair(4) == (4, [0, 1, 2, 3])
    assert CALLS == [("pair", 4)]


def test_unmarshallable_result_is_not_cached(folder: Path) -> None:
    assert build_object(3) == Path("3")
    assert build_object(3) == Path("3")
    assert len(CALLS) == 2
    assert cache.entries(folder) == []


def test_failing_encoder_is_not_cached(folder: Path) -> None:
    assert build_bad_encode(2) == build_bad_encode(2) == 2
    assert len(CALLS) == 2
    assert cache.entries(folder) == []


def test_gc_state_is_restored(folder: Path) -> None:
    assert gc.isenabled()
    build_table(3)
    build_table(3)
    assert gc.isenabled()
    gc.disable()
    try:
        build_table(3)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_user_file_change_invalidates(folder: Path, tmp_path: Path) -> None:
    user = tmp_path / "words.txt"
    user.write_text("a", "utf-8")
    assert "w0a" in build_table(2, str(user))
    assert "w0a" in build_table(2, str(user)) and len(CALLS) == 1
    user.write_text("b", "utf-8")
    assert "w0b" in build_table(2, str(user))
    assert len(CALLS) == 2


def test_shipped_dictionaries_change_invalidates(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import textfix.resources

    build_table(2)
    monkeypatch.setattr(textfix.resources, "dictionary_digest", lambda: "changed")
    build_table(2)
    assert len(CALLS) == 2
    monkeypatch.undo()
    monkeypatch.setenv("TEXTFIX_CACHE_DIR", str(folder))
    build_table(2)
    assert len(CALLS) == 2  # the first entry is still there


def test_code_or_format_change_invalidates(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_table(2)
    monkeypatch.setattr(cache, "_code_digest", lambda module: "other code")
    build_table(2)
    assert len(CALLS) == 2
    monkeypatch.setattr(cache, "FORMAT_VERSION", cache.FORMAT_VERSION + 1)
    build_table(2)
    assert len(CALLS) == 3


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b[:10],  # shorter than the header
        lambda b: b"",  # empty
        lambda b: b[:-5] + bytes(x ^ 0xFF for x in b[-5:]),  # payload bytes flipped
        lambda b: b"NOTOURS!" + b[8:],  # another file
        lambda b: b[:8] + (0).to_bytes(2, "little") + b[10:],  # an old format version
        lambda b: os.urandom(len(b)),  # garbage
    ],
    ids=["truncated", "short", "empty", "flipped", "magic", "format", "garbage"],
)
def test_damaged_entry_is_rebuilt(folder: Path, damage: object) -> None:
    expected = build_table(50)
    path = only_entry(folder, "test_table")
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    assert build_table(50) == expected
    assert len(CALLS) == 2
    assert build_table(50) == expected  # and the entry was written again, whole
    assert len(CALLS) == 2


def test_valid_frame_with_bad_payload_is_rebuilt(folder: Path) -> None:
    """An entry with a right frame (key, length, CRC) but a payload marshal cannot read."""
    import zlib

    expected = build_pair(3)
    path = only_entry(folder, "test_pair")
    key = cache._key("test_pair", build_pair.__wrapped__, {"n": 3})  # type: ignore[attr-defined]
    assert key is not None
    payload = b"\xff not marshal data"
    body = key.encode() + payload
    head = cache._HEADER.pack(
        cache._MAGIC, cache.FORMAT_VERSION, len(key.encode()), len(payload), zlib.crc32(body)
    )
    path.write_bytes(head + body)
    assert cache._read(path, key) is not None  # the frame is right
    assert build_pair(3) == expected
    assert len(CALLS) == 2


@pytest.mark.parametrize("value", ["", "off", "0", "OFF", "false", "no"])
def test_disabled(value: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TEXTFIX_CACHE_DIR", value)
    monkeypatch.chdir(tmp_path)
    CALLS.clear()
    assert cache.cache_dir() is None
    build_table(3)
    build_table(3)
    assert len(CALLS) == 2
    assert list(tmp_path.iterdir()) == []
    assert cache.entries() == [] and cache.clear() == 0


def test_default_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TEXTFIX_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    got = cache.cache_dir()
    assert got is not None and "textfix" in got.parts
    if sys.platform.startswith("linux"):
        assert got == tmp_path / "xdg" / "textfix"
        monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
        assert cache.cache_dir() == Path.home() / ".cache" / "textfix"


def test_unwritable_folder_means_no_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A path under a regular file can be neither created nor written, even by root.
    blocker = tmp_path / "file"
    blocker.write_text("x", "utf-8")
    monkeypatch.setenv("TEXTFIX_CACHE_DIR", str(blocker / "cache"))
    CALLS.clear()
    assert build_table(3) == build_table(3)
    assert len(CALLS) == 2
    assert blocker.read_text("utf-8") == "x"


def test_prune_keeps_the_most_recent(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "KEEP_PER_KIND", 3)
    for n in range(6):
        build_table(n)
    assert len(cache.entries(folder)) == 3
    assert build_table(5) and len(CALLS) == 6  # the newest are kept
    build_table(0)
    assert len(CALLS) == 7  # the oldest went


def test_clear(folder: Path) -> None:
    build_table(2)
    build_pair(2)
    (folder / "notes.txt").write_text("not ours", "utf-8")
    assert cache.clear(folder) == 2
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def _write_many(args: tuple[str, str, int]) -> int:
    folder, key, rounds = args
    data = {f"word{i}": [i] * 3 for i in range(20_000)}
    for _ in range(rounds):
        cache._write(Path(folder), "test_race", key, data)
    return rounds


def test_concurrent_writers(tmp_path: Path) -> None:
    """Processes writing the same entry at once: a reader sees all of it or nothing."""
    key = "a key for the race"
    path = tmp_path / f"test_race-{cache._short(key)}.marshal"
    expected = {f"word{i}": [i] * 3 for i in range(20_000)}
    ctx = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    seen = 0
    with ProcessPoolExecutor(3, mp_context=ctx) as pool:
        futures = [pool.submit(_write_many, (str(tmp_path), key, 15)) for _ in range(3)]
        while not all(f.done() for f in futures):
            payload = cache._read(path, key)
            if payload is not None:
                import marshal

                assert marshal.loads(payload) == expected
                seen += 1
        assert [f.result() for f in futures] == [15, 15, 15]
    assert cache._read(path, key) is not None
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def _build_in_child(folder: str) -> int:
    os.environ["TEXTFIX_CACHE_DIR"] = folder
    return len(build_table(30_000))


def test_concurrent_builders(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ProcessPoolExecutor(2, mp_context=ctx) as pool:
        got = list(pool.map(_build_in_child, [str(tmp_path)] * 4))
    assert got == [30_000] * 4
    assert len(cache.entries(tmp_path)) == 1


# --- the real builders ------------------------------------------------------------------


def _unwrapped(fn: object) -> object:
    """The persistent builder under a builder's ``functools.cache``."""
    return fn.__wrapped__  # type: ignore[attr-defined]


def test_real_structures_round_trip(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every cached structure reads back equal to the one built without the cache."""
    calls = [
        (lexicon.delete_index, ("en",), {"max_distance": 1, "min_zipf": 4.5}),
        (lexicon.load_lexicon, ("en",), {}),
        (lexicon.symspell_vocabulary, ("en",), {}),
        (lexicon.load_bigrams, (), {}),
        (words._shape_index, ("en", (), "en/ocr_confusions"), {}),
    ]
    for fn, args, kwargs in calls:
        persistent = _unwrapped(fn)
        monkeypatch.setenv("TEXTFIX_CACHE_DIR", "off")
        built = persistent(*args, **kwargs)  # type: ignore[operator]
        monkeypatch.setenv("TEXTFIX_CACHE_DIR", str(folder))
        persistent(*args, **kwargs)  # type: ignore[operator]
        loaded = persistent(*args, **kwargs)  # type: ignore[operator]
        assert type(loaded) is type(built)
        if fn is words._shape_index:
            assert loaded[1] == built[1]
            assert loaded[0]("tbe") == built[0]("tbe")
        elif isinstance(built, (lexicon.DeleteIndex, lexicon.Lexicon)):
            assert cache.fields(loaded) == cache.fields(built)
        else:
            assert loaded == built
    kinds = {e.kind for e in cache.entries(folder)}
    assert kinds == {"delete_index", "lexicon", "vocabulary", "bigrams", "shape_index"}


def test_user_dictionary_change_reaches_the_lexicon(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = tmp_path / "mine.txt"
    user.write_text("zorblaxian\n", "utf-8")
    load = _unwrapped(lexicon.load_lexicon)
    assert "zorblaxian" in load("en", (str(user),))  # type: ignore[operator]
    user.write_text("quintarrow\n", "utf-8")
    lex = load("en", (str(user),))  # type: ignore[operator]
    assert "quintarrow" in lex and "zorblaxian" not in lex


OCR = (
    "Tbe old houfe stood at tbe end of tbe lane, and the gardcn was full of\n"
    "rofes. Wc walked there evcry morning with tbe dog.\n"
)
_CLEAN = "import sys, textfix; sys.stdout.write(textfix.clean(sys.stdin.read()))"


def _clean_in_subprocess(cache_setting: str) -> str:
    env = {**os.environ, "TEXTFIX_CACHE_DIR": cache_setting}
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(cache.__file__).parents[1]), env.get("PYTHONPATH", "")]
    )
    out = subprocess.run(
        [sys.executable, "-c", _CLEAN],
        input=OCR,
        capture_output=True,
        text=True,
        check=True,
        env=env,
        encoding="utf-8",
    )
    return out.stdout


@pytest.mark.slow
def test_same_output_with_and_without_cache(tmp_path: Path) -> None:
    without = _clean_in_subprocess("off")
    cold = _clean_in_subprocess(str(tmp_path))
    assert len(cache.entries(tmp_path)) >= 5
    warm = _clean_in_subprocess(str(tmp_path))
    assert without == cold == warm
    assert without != OCR  # the text did go through the word stages


def test_cli_info_and_clear(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from textfix.cli import main

    build_table(2)
    assert main(["cache", "info"]) == 0
    out = capsys.readouterr().out
    assert str(folder) in out and "1 files" in out and "test_table: 1 files" in out
    assert main(["cache", "clear"]) == 0
    assert "removed 1 files" in capsys.readouterr().out
    assert cache.entries(folder) == []


def test_cli_off(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from textfix.cli import main

    monkeypatch.setenv("TEXTFIX_CACHE_DIR", "off")
    assert main(["cache", "info"]) == 0
    assert "off" in capsys.readouterr().out


def test_one_structure_per_setting_however_written() -> None:
    """Equal calls written differently share one lexicon and one index (memory, start-up)."""
    assert lexicon.load_lexicon("en") is lexicon.load_lexicon("en", ())
    assert lexicon.load_lexicon() is lexicon.load_lexicon(lang="en", user_dicts=())
    one = lexicon.delete_index("en", max_distance=1)
    assert one is lexicon.delete_index("en", (), max_distance=1, min_zipf=2.5)
    assert _unwrapped(lexicon.load_lexicon) is not lexicon.load_lexicon  # the builder itself
