"""The code passes ruff's lint and format checks (settings in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from repo_paths import REPO

PATHS = ["flashpoint", "benchmarks", "tests"]


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("ruff") or str(REPO / ".venv" / "bin" / "ruff")
    return subprocess.run([exe, *args], cwd=REPO, capture_output=True, text=True, check=False)


@pytest.mark.skipif(
    not (shutil.which("ruff") or (REPO / ".venv" / "bin" / "ruff").exists()), reason="ruff not installed"
)
def test_ruff_check_passes():
    result = ruff("check", *PATHS)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(
    not (shutil.which("ruff") or (REPO / ".venv" / "bin" / "ruff").exists()), reason="ruff not installed"
)
def test_ruff_format_is_clean():
    result = ruff("format", "--check", *PATHS)
    assert result.returncode == 0, result.stdout + result.stderr
