"""The DuckDB schema: articles, events, runs, rejects, and a meta table with the schema version.

Events keep the full PLOVER record (actor/recipient/event_loc/text_info as JSON text) so they
round-trip exactly, plus flattened copies of the first actor and recipient and of the place for
plain SQL (``GROUP BY actor_code, recipient_code``). JSON is stored as VARCHAR so no DuckDB
extension is needed offline. Timestamps are naive UTC. A later schema change bumps SCHEMA_VERSION
and adds its migration to :func:`ensure_schema`.
"""

from __future__ import annotations

import duckdb

SCHEMA_VERSION = 1

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
            run_id VARCHAR
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
)  # fmt: skip


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create whatever tables and indexes are missing and record the schema version."""
    for ddl in TABLES.values():
        con.execute(ddl)
    for ddl in INDEXES:
        con.execute(ddl)
    con.execute(
        "INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT (key) DO NOTHING", [str(SCHEMA_VERSION)]
    )
