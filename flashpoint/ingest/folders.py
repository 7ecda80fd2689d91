"""Walk an input folder: every file below it, recursively, in a stable sorted order.

Hidden files and folders (names starting with ".") are skipped, and folder symlinks are not followed
(no loops). The walk streams: one directory listing is held at a time, never the whole tree.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import ItemError


def walk_files(folder: Path) -> Iterator[Path | ItemError]:
    """Files under ``folder`` in path order (names sorted within each folder, depth first);
    an unreadable folder is reported as E001 and the walk goes on."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as err:
        yield ItemError.make("E001", str(folder), detail=err.strerror or err)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from walk_files(Path(entry.path))
        elif entry.is_file():
            yield Path(entry.path)
