"""Plain-text files: the whole file is one story, dated by the caller's default date."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..errors import ItemError
from .decode import read_text_file
from .story import RawStory


def read_text(path: Path, name: str, story_id: str | None, keep_chars: int) -> Iterator[RawStory | ItemError]:
    """One story from a text file; ``story_id`` None means "use the content hash"."""
    decoded = read_text_file(path, name, keep_chars)
    if isinstance(decoded, ItemError):
        yield decoded
        return
    yield RawStory(location=name, text=decoded.text, story_id=story_id, full_length=decoded.total_chars)
