"""WARC web archives (.warc, .warc.gz): one story per archived HTML page.

Only ``response`` (and ``resource``) records holding an HTML page with HTTP status 200 are stories;
images, scripts, redirects and request records are not news and are passed over silently. Each page goes
through the same trafilatura extraction as an .html file; its story id and URL are the record's target
URI, and a page whose metadata carries no date is dated by the capture (WARC-Date), as GDELT dates what
it crawls. A file cut off or damaged part-way yields the pages before the damage and one E019; records
stream through one at a time (each page's bytes are capped at ``WARC_MAX_PAGE_BYTES``).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..errors import ItemError
from .decode import CHUNK_BYTES
from .html import extract_html
from .story import RawStory

WARC_SUFFIXES = (".warc", ".warc.gz")
STORY_RECORD_TYPES = frozenset({"response", "resource"})
HTML_TYPES = ("text/html", "application/xhtml+xml")
WARC_MAX_PAGE_BYTES = 16 << 20  # a news page is well under 1 MiB; this stops a giant media file
# What a damaged archive raises from inside warcio: its own error, a cut gzip stream, a short read,
# and (warcio 1.8) an AttributeError when a record header line is cut in half.
DAMAGE_ERRORS = (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError, AttributeError)
GZIP_WINDOW = 16 + zlib.MAX_WBITS  # zlib's code for "expect a gzip header and trailer"


class RecordCutOff(Exception):
    """The archive is damaged at a record: cut before its Content-Length, or not a WARC record at all."""


def gzip_damage(path: Path) -> str | None:
    """Why a multi-member gzip file is incomplete (warcio stops silently at a cut member), else None."""
    decompressor = zlib.decompressobj(GZIP_WINDOW)
    in_member = False
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                while chunk:
                    in_member = True
                    decompressor.decompress(chunk)
                    if not decompressor.eof:
                        break
                    chunk = decompressor.unused_data
                    decompressor = zlib.decompressobj(GZIP_WINDOW)
                    in_member = False
    except zlib.error as err:
        return f"gzip data is corrupt: {err}"
    return "the last gzip member is cut off" if in_member else None


def _record_story(record: Any, name: str) -> RawStory | ItemError | None:
    """A story from one record, an error, or None for a record that is not an HTML page."""
    if record.rec_type not in STORY_RECORD_TYPES:
        return None
    headers = record.http_headers
    content_type = headers.get_header("Content-Type", "") if headers is not None else ""
    if record.rec_type == "resource":
        content_type = record.rec_headers.get_header("Content-Type", "")
    if not content_type.lower().startswith(HTML_TYPES):
        return None
    if headers is not None and headers.get_statuscode() != "200":
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or None
    data = record.content_stream().read(WARC_MAX_PAGE_BYTES)
    if len(data) < WARC_MAX_PAGE_BYTES and record.raw_stream.limit > 0:
        raise RecordCutOff(f"{name} is cut off")
    story = extract_html(data, name, uri)
    if isinstance(story, RawStory):
        story.url = story.url or uri or ""
        story.date = story.date or record.rec_headers.get_header("WARC-Date")
    return story


def read_warc(path: Path, name: str) -> Iterator[RawStory | ItemError]:
    """Stories from a WARC file, streamed record by record; ``name:N`` locates the Nth record."""
    damage = gzip_damage(path) if path.name.lower().endswith(".gz") else None
    count = 0
    try:
        with path.open("rb") as handle:
            for number, record in enumerate(ArchiveIterator(handle), start=1):
                if record.format != "warc":  # warcio reads any text as old-style ARC records
                    raise RecordCutOff(f"record {number} is not a WARC record")
                story = _record_story(record, f"{name}:{number}")
                count = number
                if story is not None:
                    yield story
    except FileNotFoundError as err:
        yield ItemError.make("E001", name, detail=err.strerror or err)
        return
    except RecordCutOff as err:
        damage = str(err)
    except DAMAGE_ERRORS as err:
        damage = f"{type(err).__name__}: {err}"
    if damage:
        yield ItemError.make("E019", name, count=count, detail=damage)
    elif count == 0:
        yield ItemError.make("E008", name)
