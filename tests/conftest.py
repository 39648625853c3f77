"""Shared test fixtures: where the evaluation data is, and the Hypothesis profiles.

The corpora and seeds live outside the repository, in ``../shared`` beside the checkout (or
wherever ``TEXTFIX_SHARED`` points). Tests that need them skip cleanly when they are absent.
"""

from __future__ import annotations

import os
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
settings.load_profile(
    os.environ.get("TEXTFIX_HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)


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
