"""The DuckDB schema: articles, events, runs, rejects, a meta table with the schema version, and the
cross-story dedup views (:mod:`flashpoint.analysis.dedup`).

Events keep the full PLOVER record (actor/recipient/event_loc/text_info as JSON text) so they
round-trip exactly, plus flattened copies of the first actor and recipient and of the place for
plain SQL (``GROUP BY actor_code, recipient_code``). JSON is stored as VARCHAR so no DuckDB
extension is needed offline. Timestamps are naive UTC. An article's ``identity`` is its normalised
URL or its text hash (:mod:`.identity`): one article, one row, whatever story id it came with.

A later schema change bumps SCHEMA_VERSION; :func:`ensure_schema` adds the columns a file made by
an older version lacks (new columns are nullable) and fills those that need it.
"""

from __future__ import annotations

import re

import duckdb

from ..analysis.dedup import ensure_dedup_views
from .identity import article_identity

SCHEMA_VERSION = 2  # 2: articles.identity, the dedup views, events' mention and speaker columns

TABLES = {
    "meta": """
        CREATE TABLE IF NOT EXISTS meta (
            key VARCHAR PRIMARY KEY,
            value VARCHAR
        )""",
    "articles": """
        CREATE TABLE IF NOT EXISTS articles (
            story_id VARCHAR PRIMARY KEY,
            date DATE,
            title VARCHAR,
            source VARCHAR,
            url VARCHAR,
            text VARCHAR NOT NULL,
            text_hash VARCHAR NOT NULL,
            location VARCHAR,
            ingested_at TIMESTAMP NOT NULL,
            run_id VARCHAR,
            identity VARCHAR
        )""",
    "events": """
        CREATE TABLE IF NOT EXISTS events (
            id VARCHAR PRIMARY KEY,
            story_id VARCHAR NOT NULL,
            date DATE,
            date_precision VARCHAR,
            event VARCHAR NOT NULL,
            mode VARCHAR,
            context VARCHAR[],
            modality VARCHAR,
            quad_code INTEGER,
            event_scale DOUBLE,
            actor VARCHAR,
            recipient VARCHAR,
            actor_code VARCHAR,
            actor_sector VARCHAR,
            recipient_code VARCHAR,
            recipient_sector VARCHAR,
            event_loc VARCHAR,
            loc_name VARCHAR,
            geonameid BIGINT,
            lat DOUBLE,
            lon DOUBLE,
            loc_country VARCHAR,
            event_text VARCHAR,
            text_info VARCHAR,
            sentence VARCHAR,
            confidence DOUBLE,
            num_mentions INTEGER,
            evidence VARCHAR,
            reported_by VARCHAR,
            claimed BOOLEAN,
            run_id VARCHAR
        )""",
    "runs": """
        CREATE TABLE IF NOT EXISTS runs (
            run_id VARCHAR PRIMARY KEY,
            started_at TIMESTAMP NOT NULL,
            finished_at TIMESTAMP,
            command VARCHAR,
            n_articles INTEGER,
            n_events INTEGER,
            n_rejects INTEGER
        )""",
    "rejects": """
        CREATE TABLE IF NOT EXISTS rejects (
            run_id VARCHAR,
            code VARCHAR NOT NULL,
            severity VARCHAR NOT NULL,
            location VARCHAR,
            reason VARCHAR,
            "at" TIMESTAMP NOT NULL  -- AT is a DuckDB keyword: quote it in SQL
        )""",
}

INDEXES = (
    "CREATE INDEX IF NOT EXISTS events_story ON events (story_id)",
    "CREATE INDEX IF NOT EXISTS rejects_run ON rejects (run_id)",
    "CREATE INDEX IF NOT EXISTS articles_identity ON articles (identity)",
)

# Column order of the events table as written by rows.event_row (the table above is the truth).
EVENT_COLUMNS = (
    "id", "story_id", "date", "date_precision", "event", "mode", "context", "modality", "quad_code",
    "event_scale", "actor", "recipient", "actor_code", "actor_sector", "recipient_code",
    "recipient_sector", "event_loc", "loc_name", "geonameid", "lat", "lon", "loc_country",
    "event_text", "text_info", "sentence", "confidence", "num_mentions", "evidence", "reported_by", "claimed",
    "run_id",
)  # fmt: skip
ARTICLE_COLUMNS = (
    "story_id", "date", "title", "source", "url", "text", "text_hash", "location", "ingested_at", "run_id",
    "identity",
)  # fmt: skip
_COLUMN = re.compile(r"^\s*(\w+)\s+([A-Z][A-Z\[\]]*)", re.MULTILINE)  # "name TYPE" lines of the DDL above


def declared_columns(ddl: str) -> list[tuple[str, str]]:
    """(name, type) of each column a CREATE TABLE statement above declares."""
    body = ddl.split("(", 1)[1]
    return [(name, kind) for name, kind in _COLUMN.findall(body) if name.upper() not in {"PRIMARY", "KEY"}]


def _add_missing_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Bring a file made by an older flashpoint up to the tables above (new columns start empty)."""
    for table, ddl in TABLES.items():
        rows = con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND schema_name = 'main'", [table]
        ).fetchall()
        existing = {row[0] for row in rows}
        for name, kind in declared_columns(ddl):
            if name not in existing:
                con.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")


def _fill_identities(con: duckdb.DuckDBPyConnection) -> None:
    """Articles stored before identities existed get theirs (a one-off pass over a version-1 file)."""
    missing = con.execute("SELECT story_id, url, text FROM articles WHERE identity IS NULL").fetchall()
    for story_id, url, text in missing:
        con.execute(
            "UPDATE articles SET identity = ? WHERE story_id = ?",
            [article_identity(url or "", text), story_id],
        )


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create whatever tables, columns, indexes and views are missing and record the schema version."""
    for ddl in TABLES.values():
        con.execute(ddl)
    _add_missing_columns(con)
    _fill_identities(con)
    for ddl in INDEXES:
        con.execute(ddl)
    ensure_dedup_views(con)
    con.execute(
        "INSERT INTO meta VALUES ('schema_version', ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [str(SCHEMA_VERSION)],
    )
