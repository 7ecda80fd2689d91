"""CSV and TSV stories: one story a row, a header row naming the columns.

Which column holds which Article field comes from ``ReadOptions.csv_columns`` (``--csv-column
text=body``), else from the usual header names (:data:`~.options.CSV_FIELD_COLUMNS`). The file is read
as bytes line by line and each line decoded on its own, so a badly encoded row (E003) or a broken row
(E016, e.g. a quote left open by truncation) costs that row only; every location is ``file:LINE``, the
line where the row starts. Rows stream through; a huge field costs memory for that row only.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from ..errors import ItemError
from .decode import BOM, stream_file
from .options import CSV_FIELD_COLUMNS, ReadOptions
from .story import RawStory

DELIMITERS = {".csv": ",", ".tsv": "\t"}
# The csv module refuses fields over 128 KiB by default; articles are longer. This bound still stops a
# file with a lost closing quote from swallowing gigabytes into one field (the story check cuts to max_chars).
CSV_FIELD_LIMIT = 64 << 20


class _DecodedLines:
    """The file's lines as text for the csv module, remembering which line numbers were not UTF-8."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self.bad_offsets: dict[int, int] = {}  # line number -> file offset of the first bad byte

    def __iter__(self) -> Iterator[str]:
        offset = 0
        for lineno, raw in enumerate(self._handle, start=1):
            line_offset = offset
            offset += len(raw)
            if lineno == 1 and raw.startswith(BOM):
                raw = raw[len(BOM) :]
                line_offset += len(BOM)
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as err:
                self.bad_offsets[lineno] = line_offset + err.start
                yield raw.decode("utf-8", "replace")


def column_positions(header: list[str], mapping: Mapping[str, str]) -> dict[str, int]:
    """Article field -> column index, from the explicit mapping first, else the usual header names."""
    by_name = {name.strip().lower(): index for index, name in enumerate(header)}
    positions: dict[str, int] = {}
    for field_name, candidates in CSV_FIELD_COLUMNS.items():
        wanted = (mapping[field_name],) if field_name in mapping else candidates
        for candidate in wanted:
            if candidate.strip().lower() in by_name:
                positions[field_name] = by_name[candidate.strip().lower()]
                break
    return positions


def read_delimited_stream(
    handle: BinaryIO, name: str, delimiter: str, options: ReadOptions
) -> Iterator[RawStory | ItemError]:
    """Stories from an open binary CSV/TSV stream; ``name`` prefixes every location."""
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    lines = _DecodedLines(handle)
    rows = csv.reader(iter(lines), delimiter=delimiter, strict=True)
    try:
        header = next(rows)
    except StopIteration:
        yield ItemError.make("E008", name)
        return
    except csv.Error as err:
        yield ItemError.make("E016", f"{name}:1", detail=err)
        return
    positions = column_positions(header, options.csv_columns)
    if "text" not in positions:
        looked = options.csv_columns.get("text") or ", ".join(CSV_FIELD_COLUMNS["text"])
        yield ItemError.make("E015", name, looked=looked)
        return
    last_line = rows.line_num
    seen_row = False
    while True:
        start = last_line + 1
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as err:
            last_line = rows.line_num
            yield ItemError.make("E016", f"{name}:{start}", detail=err)
            continue
        last_line = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        seen_row = True
        location = f"{name}:{start}"
        bad = [lines.bad_offsets[n] for n in range(start, last_line + 1) if n in lines.bad_offsets]
        if bad:
            yield ItemError.make("E003", location, offset=bad[0])
            continue
        if positions["text"] >= len(row):
            yield ItemError.make(
                "E016", location, detail=f"the row has {len(row)} fields, the header {len(header)}"
            )
            continue
        values = {
            field_name: row[index] if index < len(row) else "" for field_name, index in positions.items()
        }
        yield RawStory(
            location=location,
            text=values["text"],
            story_id=values.get("story_id") or None,
            date=values.get("date") or None,
            title=values.get("title", ""),
            source=values.get("source", ""),
            url=values.get("url", ""),
        )
    if not seen_row:
        yield ItemError.make("E008", name)


def read_delimited(path: Path, name: str, options: ReadOptions) -> Iterator[RawStory | ItemError]:
    """Stories from a .csv (comma) or .tsv (tab) file, streamed; E001/E002 for an unreadable file."""
    delimiter = DELIMITERS.get(path.suffix.lower(), ",")
    return stream_file(path, name, lambda handle: read_delimited_stream(handle, name, delimiter, options))
