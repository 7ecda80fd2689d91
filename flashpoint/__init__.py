"""flashpoint: news articles in, PLOVER-coded political events out.

import flashpoint
coder = flashpoint.load()
events = coder.code(text, date="2014-03-15", story_id="a1")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .coder import Coder
    from .config import Settings


def load(settings: Settings | None = None, **overrides: Any) -> Coder:
    """Build the coder: the spaCy model plus flashpoint's components, with their knowledge loaded."""
    from .coder import Coder
    from .config import Settings

    return Coder(settings or Settings.from_env(**overrides))


__all__ = ["__version__", "load"]
