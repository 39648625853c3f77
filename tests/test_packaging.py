"""The shipped artefacts: dictionary files, and the wheel installed into a fresh environment.

The wheel tests are marked ``slow``: they build the wheel, install it with its dependencies
from the package index into a new virtual environment (no system site-packages, so a missing
dependency shows), and clean the bundled sample there, from a folder outside the checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest

from textfix.resources import parse_tsv

REPO = Path(__file__).resolve().parents[1]
DICTIONARIES = REPO / "dictionaries"
DATA_FILES = sorted(
    p for p in DICTIONARIES.rglob("*") if p.suffix in {".tsv", ".txt"} and p.is_file()
)
SAMPLE = REPO / "examples" / "sample_ocr.txt"


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.relative_to(DICTIONARIES).as_posix())
def test_dictionary_file_is_well_formed(path: Path) -> None:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    text = raw.decode("utf-8")
    assert unicodedata.is_normalized("NFC", text), "not NFC"
    assert "\r" not in text, "use \\n line ends"
    if path.suffix != ".tsv":
        return
    # Confusion tables map one string to several (gt -> ocr pairs, one row each): their key is
    # the pair. Every other table maps each key once.
    width = 2 if "# columns: gt, ocr" in text else 1
    keys: set[tuple[str, ...]] = set()
    for row in parse_tsv(text, path.name, columns=1):  # raises on a bad row
        key = row[:width]
        assert key not in keys, f"duplicate key {key!r}"
        keys.add(key)


def test_dictionaries_folder_has_provenance() -> None:
    readme = (DICTIONARIES / "README.md").read_text(encoding="utf-8")
    for path in DATA_FILES:
        assert path.name in readme, f"{path.name} has no row in dictionaries/README.md"


def test_sample_is_bundled() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    assert 30 <= len(text.splitlines()) <= 60
    assert "ﬁ" in text and "\u00a0" in text and "¬\n" in text


# --- the wheel ------------------------------------------------------------------------------


def _run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    assert proc.returncode == 0, f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO)], timeout=900)
    (whl,) = out.glob("textfix-*.whl")
    return whl


@pytest.mark.slow
def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert any(n.startswith("textfix/dictionaries/") for n in names)
    for path in DATA_FILES:
        assert f"textfix/dictionaries/{path.relative_to(DICTIONARIES).as_posix()}" in names
    for preset in (REPO / "src" / "textfix" / "presets").glob("*.toml"):
        assert f"textfix/presets/{preset.name}" in names
    assert "textfix/py.typed" in names
    assert not any("/.venv/" in n or n.endswith(".pyc") for n in names)


@pytest.mark.slow
def test_wheel_installs_and_cleans_the_sample(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(env_dir)])
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    # Dependencies come from the package index, as for any user: nothing leaks in from here.
    _run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], timeout=900)
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    where = _run(
        [str(python), "-c", "import textfix.resources as r; print(r.dictionary_root())"],
        cwd=tmp_path,
        env=env,
    ).stdout
    assert str(env_dir) in where, "dictionaries must come from the installed wheel"
    out = _run([str(bindir / "textfix"), "clean", "--stats", str(SAMPLE)], cwd=tmp_path, env=env)
    assert "ﬁ" not in out.stdout and "\u00a0" not in out.stdout
    assert "LOCAL INTELLIGENCE." in out.stdout
    assert '"signature": ' in out.stderr
