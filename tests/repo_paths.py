"""Where the repository and the team's ../shared data are, for tests in any folder.

A module of its own, not conftest: several folders have a conftest.py, and which one a bare
``import conftest`` finds depends on the order pytest collected them in.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
