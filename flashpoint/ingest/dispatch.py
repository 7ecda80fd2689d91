"""read_inputs: every INPUT argument in, good Articles and numbered ItemErrors out, streamed.

Sources (files, folders, feed URLs, stdin) → a reader per format → RawStory → the shared checks → one
Article per story id per run. Nothing here holds more than one story at a time, except the map
of story ids already seen (a short digest per story) that catches E014 id collisions.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable, Iterator
from enum import Enum
from typing import BinaryIO

from ..config import Settings
from ..errors import ItemError
from ..records import Article
from .feeds import read_feed_url
from .options import ReadOptions
from .readers import reader_for, suffix_of
from .sources import Source, iter_sources
from .stdin import read_stdin
from .story import RawStory, check_default_date, check_story


class Seen(Enum):
    NEW = "new"
    SAME = "same"  # same id, same text: an exact duplicate, dropped silently
    CONFLICT = "conflict"  # same id, different text: E014


class SeenStories:
    """Story ids seen in this run, with a digest of each text."""

    def __init__(self) -> None:
        self._digests: dict[str, bytes] = {}

    def add(self, article: Article) -> Seen:
        digest = hashlib.blake2b(article.text.encode("utf-8"), digest_size=8).digest()
        previous = self._digests.get(article.story_id)
        if previous is None:
            self._digests[article.story_id] = digest
            return Seen.NEW
        return Seen.SAME if previous == digest else Seen.CONFLICT


def read_source(
    source: Source,
    settings: Settings,
    stdin: BinaryIO | None = None,
    options: ReadOptions | None = None,
) -> Iterator[RawStory | ItemError]:
    """The unchecked stories of one source (what a parallel worker runs on its share of sources)."""
    options = options or ReadOptions()
    if source.url is not None:
        yield from read_feed_url(source.url, options)
        return
    if source.path is None:
        yield from read_stdin(stdin or sys.stdin.buffer, source.name, settings.max_chars)
        return
    reader = reader_for(source.path)
    if reader is None:
        yield ItemError.make("E012", source.name, suffix=suffix_of(source.path))
        return
    yield from reader(source.path, source.name, source.story_id, settings, options)


def _read(
    inputs: Iterable[str],
    settings: Settings,
    default_date: str | None,
    stdin: BinaryIO | None,
    options: ReadOptions | None,
) -> Iterator[Article | ItemError]:
    seen = SeenStories()
    for source in iter_sources(inputs):
        if isinstance(source, ItemError):
            yield source
            continue
        for raw in read_source(source, settings, stdin, options):
            if isinstance(raw, ItemError):
                yield raw
                continue
            checked = check_story(raw, settings, default_date)
            article = checked.article
            if article is None:
                yield from checked.problems
                continue
            verdict = seen.add(article)
            if verdict is Seen.SAME:
                continue
            if verdict is Seen.CONFLICT:
                yield ItemError.make("E014", raw.location, story_id=article.story_id)
                continue
            yield from checked.problems
            yield article


def read_inputs(
    inputs: Iterable[str],
    settings: Settings,
    default_date: str | None = None,
    *,
    stdin: BinaryIO | None = None,
    options: ReadOptions | None = None,
) -> Iterator[Article | ItemError]:
    """Articles and ItemErrors from INPUT arguments (files, folders, "-" for stdin), in input order.

    A warning (E009, E010) is yielded just before its article, which is still yielded; every other
    ItemError means the item was skipped. ``default_date`` (YYYY-MM-DD) dates stories that have
    none; a malformed one raises FlashpointError E104 here, before anything is read. ``options``
    carries the CSV column mapping and the HTTP settings for feed URLs.
    """
    return _read(inputs, settings, check_default_date(default_date), stdin, options)


def split_items(items: Iterable[Article | ItemError]) -> tuple[list[Article], list[ItemError]]:
    """Articles and errors in two lists, for small inputs and tests (holds everything in memory)."""
    articles: list[Article] = []
    errors: list[ItemError] = []
    for item in items:
        (errors if isinstance(item, ItemError) else articles).append(item)  # type: ignore[arg-type]
    return articles, errors
