"""The registry of file readers by suffix: the one place a new format is added.

A reader takes a file and yields :class:`RawStory` items and the :class:`ItemError` of whatever it
could not read; it never checks stories itself (that is :func:`story.check_story`, the same for all).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from ..config import Settings
from ..errors import ItemError
from .delimited import read_delimited
from .feeds import FEED_SUFFIXES, read_feed_file
from .html import read_html
from .jsonl import read_jsonl
from .options import ReadOptions
from .story import RawStory
from .text import read_text
from .warc import WARC_SUFFIXES, read_warc


class FileReader(Protocol):
    def __call__(
        self, path: Path, name: str, story_id: str | None, settings: Settings, options: ReadOptions
    ) -> Iterator[RawStory | ItemError]:
        """Stories in ``path``; ``name`` is its location in reports, ``story_id`` the id for a
        one-story file (None: use the content hash)."""
        ...


def _jsonl(
    path: Path, name: str, story_id: str | None, settings: Settings, options: ReadOptions
) -> Iterator[RawStory | ItemError]:
    return read_jsonl(path, name)  # each line carries its own id


def _delimited(
    path: Path, name: str, story_id: str | None, settings: Settings, options: ReadOptions
) -> Iterator[RawStory | ItemError]:
    return read_delimited(path, name, options)  # each row carries its own id


def _text(
    path: Path, name: str, story_id: str | None, settings: Settings, options: ReadOptions
) -> Iterator[RawStory | ItemError]:
    return read_text(path, name, story_id, settings.max_chars)


def _html(
    path: Path, name: str, story_id: str | None, settings: Settings, options: ReadOptions
) -> Iterator[RawStory | ItemError]:
    return read_html(path, name, story_id)


def _feed(
    path: Path, name: str, story_id: str | None, settings: Settings, options: ReadOptions
) -> Iterator[RawStory | ItemError]:
    return read_feed_file(path, name)  # each entry carries its own id


def _warc(
    path: Path, name: str, story_id: str | None, settings: Settings, options: ReadOptions
) -> Iterator[RawStory | ItemError]:
    return read_warc(path, name)  # each page is identified by its URI


READERS: dict[str, FileReader] = {
    ".jsonl": _jsonl,
    ".ndjson": _jsonl,
    ".csv": _delimited,
    ".tsv": _delimited,
    ".txt": _text,
    ".text": _text,
    ".html": _html,
    ".htm": _html,
    **{suffix: _feed for suffix in FEED_SUFFIXES},
    **{suffix: _warc for suffix in WARC_SUFFIXES},
}


def suffix_of(path: Path) -> str:
    """The registry key for ``path``: a known two-part suffix (".warc.gz") or the last one, lower case."""
    name = path.name.lower()
    for suffix in READERS:
        if suffix.count(".") > 1 and name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def reader_for(path: Path) -> FileReader | None:
    """The reader for ``path``'s suffix (case-insensitive), or None when the type is unsupported."""
    return READERS.get(suffix_of(path))
