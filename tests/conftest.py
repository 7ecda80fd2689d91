"""Shared fixtures: one loaded coder per test session, and where the team's ../shared data lives."""

from __future__ import annotations

from pathlib import Path

import pytest
from repo_paths import SHARED


@pytest.fixture(scope="session")
def coder():
    import flashpoint

    return flashpoint.load()


@pytest.fixture(scope="session")
def shared_eval() -> Path:
    path = SHARED / "eval"
    if not (path / "score.py").is_file():
        pytest.skip(f"the team's shared dev data is not here ({path}); in-repo gold still gates accuracy")
    return path
