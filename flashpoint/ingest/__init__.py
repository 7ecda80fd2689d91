"""Input readers: files (JSONL, CSV/TSV, text, HTML, RSS/Atom, WARC), folders, feed URLs and stdin in,
checked :class:`Article` records and numbered :class:`ItemError` reports out. One module per format;
:mod:`.readers` maps suffixes to them and :mod:`.story` holds the checks every story gets. Nothing here
imports NLP, the store or the CLI.
"""

from __future__ import annotations

from .dispatch import read_inputs, read_source, split_items
from .language import looks_english
from .options import ReadOptions, parse_csv_columns
from .readers import READERS, reader_for
from .sources import Source, iter_sources
from .story import CheckedStory, RawStory, article_from_text, check_story, normalize_date

__all__ = [
    "READERS",
    "CheckedStory",
    "RawStory",
    "ReadOptions",
    "Source",
    "article_from_text",
    "check_story",
    "iter_sources",
    "looks_english",
    "normalize_date",
    "parse_csv_columns",
    "read_inputs",
    "read_source",
    "reader_for",
    "split_items",
]
