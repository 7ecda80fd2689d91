"""The registry of file readers by suffix: the one place a new format (CSV, RSS, WARC) is added.

A reader takes a file and yields :class:`RawStory` items and the :class:`ItemError` of whatever it
could not read; it never checks stories itself (that is :func:`story.check_story`, the same for all).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from ..config import Settings
from ..errors import ItemError
from .html import read_html
from .jsonl import read_jsonl
from .story import RawStory
from .text import read_text


class FileReader(Protocol):
    def __call__(
        self, path: Path, name: str, story_id: str | None, settings: Settings
    ) -> Iterator[RawStory | ItemError]:
        """Stories in ``path``; ``name`` is its location in reports, ``story_id`` the id for a
        one-story file (None: use the content hash)."""
        ...


def _jsonl(path: Path, name: str, story_id: str | None, settings: Settings) -> Iterator[RawStory | ItemError]:
    return read_jsonl(path, name)  # each line carries its own id


def _text(path: Path, name: str, story_id: str | None, settings: Settings) -> Iterator[RawStory | ItemError]:
    return read_text(path, name, story_id, settings.max_chars)


def _html(path: Path, name: str, story_id: str | None, settings: Settings) -> Iterator[RawStory | ItemError]:
    return read_html(path, name, story_id)


READERS: dict[str, FileReader] = {
    ".jsonl": _jsonl,
    ".ndjson": _jsonl,
    ".txt": _text,
    ".text": _text,
    ".html": _html,
    ".htm": _html,
}


def reader_for(path: Path) -> FileReader | None:
    """The reader for ``path``'s suffix (case-insensitive), or None when the type is unsupported."""
    return READERS.get(path.suffix.lower())
