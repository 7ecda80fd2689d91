"""What two ingests must agree on: the stored content of each table, not when or by which run it came."""

from __future__ import annotations

from pathlib import Path

import duckdb

QUERIES = {
    "articles": (
        "SELECT story_id, date, title, source, url, text, text_hash, location, identity"
        " FROM articles ORDER BY ALL"
    ),
    "events": "SELECT * EXCLUDE (run_id) FROM events ORDER BY id",
    "dedup_events": "SELECT * EXCLUDE (last_added) FROM dedup_events ORDER BY dedup_id",
    "rejects": "SELECT DISTINCT code, severity, location, reason FROM rejects ORDER BY ALL",
}


def tables(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {name: con.execute(sql).fetchall() for name, sql in QUERIES.items()}
