"""How many items an ingest will read, estimated up front for the progress bar's ETA.

JSONL and CSV files are counted by their lines (a fast byte scan, no parsing; a CSV row spanning
lines counts more than once, blank lines count too), a text or HTML file is one item. Feeds, WARC
archives, URLs and stdin cannot be counted without reading them: the estimate is then None.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import ItemError
from .decode import CHUNK_BYTES
from .readers import suffix_of
from .sources import iter_sources

LINE_COUNTED = {".jsonl": 0, ".ndjson": 0, ".csv": 1, ".tsv": 1}  # suffix -> header lines to subtract
ONE_STORY = {".txt", ".text", ".html", ".htm"}


def count_lines(path: Path) -> int:
    """Lines in a file (a last line without a newline counts too)."""
    lines = 0
    last = b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last != b"\n")


def estimate_items(inputs: Iterable[str]) -> int | None:
    """The expected number of input items, or None when some input cannot be counted up front."""
    total = 0
    for source in iter_sources(inputs):
        if isinstance(source, ItemError):
            total += 1
            continue
        if source.path is None:
            return None
        suffix = suffix_of(source.path)
        if suffix in ONE_STORY:
            total += 1
        elif suffix in LINE_COUNTED:
            try:
                total += max(count_lines(source.path) - LINE_COUNTED[suffix], 0)
            except OSError:
                total += 1
        else:
            return None
    return total
