"""Expand the command line's INPUT arguments into sources: one file, feed URL (or stdin) each.

A folder becomes its files, each with a story id taken from its path relative to the folder; an
``http://`` or ``https://`` argument is a feed to fetch; a missing path is E011 and an unsupported
suffix E012 (once per suffix per folder argument). The list of sources is what a parallel runner
splits across workers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import ItemError
from .folders import walk_files
from .readers import reader_for, suffix_of

STDIN = "-"
STDIN_NAME = "<stdin>"
URL_SCHEMES = ("http://", "https://")


@dataclass(frozen=True)
class Source:
    """One input file. ``name`` is its location in reports; ``story_id`` the id for a one-story file
    (a path relative to the folder argument), None for a file given directly (content hash)."""

    path: Path | None  # None: standard input, or the feed at ``url``
    name: str
    story_id: str | None = None
    url: str | None = None  # an RSS/Atom feed to fetch

    @property
    def is_stdin(self) -> bool:
        return self.path is None and self.url is None


def _folder_sources(folder: Path) -> Iterator[Source | ItemError]:
    reported: set[str] = set()
    for found in walk_files(folder):
        if isinstance(found, ItemError):
            yield found
            continue
        if reader_for(found) is None:
            suffix = suffix_of(found)
            if suffix not in reported:
                reported.add(suffix)
                yield ItemError.make("E012", str(found), suffix=suffix)
            continue
        yield Source(found, str(found), found.relative_to(folder).as_posix())


def iter_sources(inputs: Iterable[str]) -> Iterator[Source | ItemError]:
    """Sources for each INPUT argument, in the order given; problems with the arguments as errors."""
    for argument in inputs:
        if argument == STDIN:
            yield Source(None, STDIN_NAME)
            continue
        if argument.lower().startswith(URL_SCHEMES):
            yield Source(None, argument, url=argument)
            continue
        path = Path(argument)
        if path.is_dir():
            yield from _folder_sources(path)
        elif not path.exists():
            yield ItemError.make("E011", argument)
        elif reader_for(path) is None:
            yield ItemError.make("E012", argument, suffix=suffix_of(path))
        else:
            yield Source(path, argument)
