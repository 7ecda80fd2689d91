"""JSONL stories, one JSON object a line: ``{story_id|id, date|published, title, text, source?, url?}``.

The file is read line by line as bytes and each line decoded on its own, so one truncated line
(E004) or one badly encoded line (E003) costs that line only; every location is ``file:LINE``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import ItemError
from .decode import BOM, decode_line, stream_file
from .story import RawStory

# Field names accepted for each Article field, first non-empty wins.
ID_KEYS = ("story_id", "id")
DATE_KEYS = ("date", "published")


def _first(obj: dict[str, object], keys: tuple[str, ...]) -> object:
    for key in keys:
        value = obj.get(key)
        if value not in (None, ""):
            return value
    return None


def story_from_object(obj: object, location: str) -> RawStory | ItemError:
    """One parsed JSON value as a RawStory; E005 when it is not an object with a text."""
    if not isinstance(obj, dict) or "text" not in obj:
        return ItemError.make("E005", location)
    return RawStory(
        location=location,
        text=obj["text"],
        story_id=_first(obj, ID_KEYS),
        date=_first(obj, DATE_KEYS),
        title=obj.get("title") or "",
        source=obj.get("source") or "",
        url=obj.get("url") or "",
    )


def read_jsonl_stream(handle: BinaryIO, name: str) -> Iterator[RawStory | ItemError]:
    """Stories from an open binary JSONL stream; ``name`` prefixes every location."""
    offset = 0
    seen_any = False
    for lineno, raw in enumerate(handle, start=1):
        line_offset = offset
        offset += len(raw)
        if lineno == 1 and raw.startswith(BOM):
            raw = raw[len(BOM) :]
            line_offset += len(BOM)
        if not raw.strip():
            continue
        seen_any = True
        location = f"{name}:{lineno}"
        line = decode_line(raw, location, line_offset)
        if isinstance(line, ItemError):
            yield line
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            yield ItemError.make("E004", location, detail=f"{err.msg} at column {err.colno}")
            continue
        yield story_from_object(obj, location)
    if not seen_any:
        yield ItemError.make("E008", name)


def read_jsonl(path: Path, name: str) -> Iterator[RawStory | ItemError]:
    """Stories from a JSONL file, streamed; E001/E002 for a file that cannot be read as text."""
    return stream_file(path, name, lambda handle: read_jsonl_stream(handle, name))
