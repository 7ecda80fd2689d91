"""Export stored events to files: PLOVER JSONL, CSV, Parquet, or a GDELT 2.0-style TSV.

``plover`` writes one event record per line, exactly as ``flashpoint code --format jsonl`` prints it
(one row per article that reports the event). ``csv`` and ``parquet`` write the events table's flat
columns, one row per article mention, each with its ``dedup_id`` so rows of one event can be grouped.
``gdelt`` writes one row per *deduplicated* event (the ``dedup_events`` view) in the GDELT 2.0 event
table's 61 columns, tab-separated, with a header line (:mod:`.gdelt` maps the fields). Every format
takes the same filters: first and last event date, a directed dyad (first actor → first recipient)
and a PLOVER event type. Rows stream from DuckDB to the file; the export never holds the table.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from .. import ontology
from ..analysis.dedup import dedup_filters, dedup_key_sql, ensure_dedup_views, has_dedup_views
from ..errors import FlashpointError
from ..ingest.story import check_default_date as check_filter_date
from .gdelt import COLUMNS as GDELT_COLUMNS
from .gdelt import gdelt_row
from .queries import parse_dyad
from .rows import event_record

FORMATS = ("plover", "csv", "parquet", "gdelt")
FETCH_ROWS = 2_000  # rows fetched from DuckDB at a time while writing JSONL or TSV
ORDER = "ORDER BY date NULLS LAST, story_id, id"


@dataclass(frozen=True)
class ExportFilters:
    """Which events to export; None means no limit on that field."""

    date_from: str | None = None
    date_to: str | None = None
    dyad: str | None = None  # "RUS-UKR": first actor RUS, first recipient UKR
    event: str | None = None  # a PLOVER type (old names such as DEMAND are accepted)

    def where(self) -> tuple[str, list[Any]]:
        """The SQL condition and parameters; E104/E202/E204 for a malformed filter."""
        actor = recipient = None
        if self.dyad is not None:
            actor, recipient = parse_dyad(self.dyad)
        event = None
        if self.event is not None:
            try:
                event = ontology.normalise_event_type(self.event)
            except ValueError as err:
                examples = ", ".join(list(ontology.EVENT_TYPES)[:4])
                raise FlashpointError("E204", value=self.event, examples=examples) from err
        return dedup_filters(
            date_from=check_filter_date(self.date_from),
            date_to=check_filter_date(self.date_to),
            event=event,
            actor_code=actor,
            recipient_code=recipient,
        )


def _rows(cursor: duckdb.DuckDBPyConnection) -> Iterator[dict[str, Any]]:
    names = [column[0] for column in cursor.description or []]
    while batch := cursor.fetchmany(FETCH_ROWS):
        for values in batch:
            yield dict(zip(names, values, strict=True))


def _write_plover(con: duckdb.DuckDBPyConnection, out: Path, where: str, params: list[Any]) -> int:
    cursor = con.execute(f"SELECT * FROM events WHERE {where} {ORDER}", params)
    count = 0
    with out.open("w", encoding="utf-8") as handle:
        for row in _rows(cursor):
            handle.write(json.dumps(event_record(row), ensure_ascii=False) + "\n")
            count += 1
    return count


def _write_flat(con: duckdb.DuckDBPyConnection, out: Path, where: str, params: list[Any], fmt: str) -> int:
    query = f"SELECT *, {dedup_key_sql()} AS dedup_id FROM events WHERE {where} {ORDER}"
    cursor = con.cursor()  # DuckDB writes from a relation only on a connection with no open result
    try:
        relation = cursor.sql(query, params=params)
        if fmt == "csv":
            relation.write_csv(str(out), header=True)
        else:
            relation.write_parquet(str(out))
        found = cursor.execute(f"SELECT count(*) FROM events WHERE {where}", params).fetchall()
    finally:
        cursor.close()
    return int(found[0][0])


def _write_gdelt(con: duckdb.DuckDBPyConnection, out: Path, where: str, params: list[Any]) -> int:
    cursor = con.execute(
        f"SELECT * FROM dedup_events WHERE {where} ORDER BY date NULLS LAST, dedup_id", params
    )
    count = 0
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(GDELT_COLUMNS)
        for row in _rows(cursor):
            writer.writerow(gdelt_row(row))
            count += 1
    return count


def export_events(
    con: duckdb.DuckDBPyConnection, fmt: str, out: str, filters: ExportFilters | None = None
) -> int:
    """Write the events matching ``filters`` to ``out`` in ``fmt``; returns the number of rows written.
    E205 when the file cannot be written; the connection may be read-only."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.")
    where, params = (filters or ExportFilters()).where()
    if not has_dedup_views(con):  # a read-only file written by an older flashpoint
        ensure_dedup_views(con, temporary=True)
    path = Path(out)
    try:
        if fmt == "plover":
            return _write_plover(con, path, where, params)
        if fmt == "gdelt":
            return _write_gdelt(con, path, where, params)
        return _write_flat(con, path, where, params, fmt)
    except OSError as err:
        raise FlashpointError("E205", path=out, detail=err.strerror or err) from err
    except duckdb.IOException as err:
        raise FlashpointError("E205", path=out, detail=err) from err
