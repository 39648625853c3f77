"""Every benchmark script runs once on a tiny input, so the scripts keep working.

The figures they print are not asserted: speed is measured, never tested. Scripts that need the
shared corpora or seeds say so and exit 0 when they are absent.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import shared_dir

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
SMALL = {
    "bench_jobs.py": ["--quick"],
    "bench_layers.py": ["--quick"],
    "bench_layout.py": ["--breaks", "200"],
    "bench_linear.py": ["--quick"],
    "bench_speed.py": ["--quick", "--no-peers"],
    "bench_startup.py": ["--repeat", "1"],
    "bench_stream.py": ["--size", "200KB", "--check-size", "60KB"],
    "bench_variants.py": [],
    "bench_words.py": ["--quick"],
    "caps_errors.py": [],
    "error_kinds.py": [],
    "second_run.py": [],
    "split_merge.py": [],
}


def test_every_script_is_listed() -> None:
    assert sorted(p.name for p in BENCH.glob("*.py")) == sorted(SMALL)


@pytest.mark.slow
@pytest.mark.parametrize("script", sorted(SMALL))
def test_benchmark_runs_on_tiny_input(script: str, tmp_path: Path) -> None:
    args = list(SMALL[script])
    if script in ("caps_errors.py", "error_kinds.py", "second_run.py", "split_merge.py"):
        root = shared_dir()
        if root is None or not (root / "corpora" / "dev").is_dir():
            pytest.skip(f"{script} needs the shared corpora")
        tiny = tmp_path / "tiny.jsonl"
        first = (root / "corpora" / "dev" / "overproof-loc.jsonl").read_text("utf-8").splitlines()
        tiny.write_text("\n".join(first[:3]) + "\n", "utf-8")
        args.append(str(tiny))
    env = dict(os.environ)
    root = shared_dir()
    if root is not None:
        env["TEXTFIX_SHARED"] = str(root)
    proc = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
