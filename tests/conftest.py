"""Shared test fixtures: where the evaluation data is, and the Hypothesis profiles.

The corpora and seeds live outside the repository, in ``../shared`` beside the checkout (or
wherever ``TEXTFIX_SHARED`` points). Tests that need them skip cleanly when they are absent.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parents[1]

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow]
)
# A longer search to run by hand (TEXTFIX_HYPOTHESIS_PROFILE=thorough, or pytest
# --hypothesis-profile=thorough); tests that set their own max_examples keep it.
settings.register_profile(
    "thorough", deadline=None, max_examples=1000, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(
    os.environ.get("TEXTFIX_HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)


def pytest_configure(config: pytest.Config) -> None:
    """Point textfix's on-disk cache (``textfix.cache``) at a fresh temporary folder for the
    whole run, subprocesses included, so tests never read or write the user's cache."""
    folder = tempfile.mkdtemp(prefix="textfix-test-cache-")
    config.stash[_CACHE_KEY] = (folder, os.environ.get("TEXTFIX_CACHE_DIR"))
    os.environ["TEXTFIX_CACHE_DIR"] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    folder, before = config.stash.get(_CACHE_KEY, (None, None))
    if folder is None:
        return
    shutil.rmtree(folder, ignore_errors=True)
    if before is None:
        os.environ.pop("TEXTFIX_CACHE_DIR", None)
    else:
        os.environ["TEXTFIX_CACHE_DIR"] = before


_CACHE_KEY = pytest.StashKey[tuple[str, "str | None"]]()


def shared_dir() -> Path | None:
    """Return the shared data folder, or ``None`` when it is not there."""
    env = os.environ.get("TEXTFIX_SHARED")
    candidates = [Path(env)] if env else []
    candidates.append(REPO.parent / "shared")
    for c in candidates:
        if (c / "corpora").is_dir() or (c / "seeds").is_dir():
            return c
    return None


@pytest.fixture(scope="session")
def corpora_dir() -> Path:
    """The folder of gold JSONL files; skips the test when absent."""
    root = shared_dir()
    if root is None or not (root / "corpora" / "dev").is_dir():
        pytest.skip("the shared evaluation corpora are not present beside the checkout")
    return root / "corpora" / "dev"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The folder of seed documents; skips the test when absent."""
    root = shared_dir()
    if root is None or not (root / "seeds").is_dir():
        pytest.skip("the shared seed documents are not present beside the checkout")
    return root / "seeds"
