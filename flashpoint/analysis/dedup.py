"""Cross-story dedup: one event however many articles report it, as GDELT and Phoenix count them.

The per-article ``events`` table stays the record of what each story says. Three views over it (so
they are never stale, and a crashed run leaves nothing to rebuild) group its rows into events:

``event_dedup_keys``  every event row → its ``dedup_id``, a hash of the dedup key:
    the event **date** (an undated event is never merged with another story's), the PLOVER **event**
    type, the first **actor** code and first **recipient** code (country level: "Russia" and "Russian
    troops" are one actor, RUS), the **place** (its geonameid; unplaced events merge with other unplaced
    ones only), and the **modality** (a threat that sanctions *will* come and sanctions that came are
    different events).
``dedup_events``      one row per dedup_id: the fields of its most confident mention (ties: smallest
    event id) plus NumMentions (mentions in all articles, counting repeats within a story),
    NumArticles (distinct stories), NumSources (distinct outlets: the article's source, else its URL's
    host; at least 1), the lists of event ids and story ids, the first article URL, the first report
    date and when the latest evidence was added.
``dedup_mentions``    the links to the evidence: one row per (dedup_id, event id) with the story,
    its URL and source, and the sentence.

Boundary: SQL over the store's tables on any DuckDB connection; nothing here writes rows or imports
the store (the store creates these views when it opens a file).
"""

from __future__ import annotations

from typing import Any

import duckdb

DEDUP_ID_CHARS = 20  # hex digits of the key's md5 kept: 80 bits, as event ids keep 80 bits of sha1
# An outlet's name from a URL when the article names no source: the host without "www.".
_URL_HOST = r"^[a-zA-Z][a-zA-Z0-9+.-]*://(?:www\.)?([^/:?#]+)"


def dedup_key_sql(table: str = "") -> str:
    """The SQL expression of an events row's dedup_id; ``table`` qualifies the columns ("e.")."""
    t = table
    return f"""substr(md5(concat_ws('|',
        coalesce(CAST({t}date AS VARCHAR), 'story:' || {t}story_id),
        {t}event,
        coalesce({t}actor_code, ''),
        coalesce({t}recipient_code, ''),
        coalesce(CAST({t}geonameid AS VARCHAR), ''),
        coalesce({t}modality, 'asserted'))), 1, {DEDUP_ID_CHARS})"""


VIEWS = {
    "event_dedup_keys": f"""
        SELECT id AS event_id, story_id, {dedup_key_sql()} AS dedup_id
        FROM events""",
    "dedup_mentions": f"""
        SELECT {dedup_key_sql("e.")} AS dedup_id, e.id AS event_id, e.story_id, a.url, a.source,
               a.date AS article_date, e.event_text, e.sentence, coalesce(e.num_mentions, 1) AS num_mentions
        FROM events e LEFT JOIN articles a ON a.story_id = e.story_id""",
    "dedup_events": f"""
        WITH mentions AS (
            SELECT e.id, e.story_id, e.confidence, coalesce(e.num_mentions, 1) AS num_mentions,
                   {dedup_key_sql("e.")} AS dedup_id,
                   a.url, a.date AS article_date, a.ingested_at,
                   coalesce(nullif(a.source, ''),
                            nullif(regexp_extract(a.url, '{_URL_HOST}', 1), '')) AS outlet
            FROM events e LEFT JOIN articles a ON a.story_id = e.story_id
        ),
        grouped AS (
            SELECT dedup_id,
                   first(id ORDER BY confidence DESC NULLS LAST, id) AS representative_id,
                   CAST(sum(num_mentions) AS INTEGER) AS num_mentions,
                   CAST(count(DISTINCT story_id) AS INTEGER) AS num_articles,
                   CAST(greatest(count(DISTINCT outlet), 1) AS INTEGER) AS num_sources,
                   list(id ORDER BY id) AS event_ids,
                   list(DISTINCT story_id ORDER BY story_id) AS story_ids,
                   first(url ORDER BY article_date NULLS LAST, story_id)
                       FILTER (WHERE url <> '') AS source_url,
                   min(article_date) AS first_reported,
                   max(ingested_at) AS last_added
            FROM mentions GROUP BY dedup_id
        )
        SELECT g.dedup_id, e.date, e.date_precision, e.event, e.mode, e.context, e.modality, e.quad_code,
               e.event_scale, e.actor, e.recipient, e.actor_code, e.actor_sector, e.recipient_code,
               e.recipient_sector, e.event_loc, e.loc_name, e.geonameid, e.lat, e.lon, e.loc_country,
               e.event_text, e.text_info, e.sentence, e.confidence, e.claimed,
               g.num_mentions, g.num_sources, g.num_articles, g.event_ids, g.story_ids, g.source_url,
               g.first_reported, g.last_added, g.representative_id
        FROM grouped g JOIN events e ON e.id = g.representative_id""",
}


def ensure_dedup_views(con: duckdb.DuckDBPyConnection, temporary: bool = False) -> None:
    """Create (or refresh) the dedup views; ``temporary`` for a read-only connection to an older file."""
    kind = "TEMP VIEW" if temporary else "VIEW"
    for name, sql in VIEWS.items():
        con.execute(f"CREATE OR REPLACE {kind} {name} AS {sql}")


def has_dedup_views(con: duckdb.DuckDBPyConnection) -> bool:
    found = con.execute(
        "SELECT count(*) FROM duckdb_views() WHERE view_name IN (SELECT unnest(?::VARCHAR[]))", [list(VIEWS)]
    ).fetchall()
    return bool(found[0][0] == len(VIEWS))


def dedup_filters(
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    event: str | None = None,
    actor_code: str | None = None,
    recipient_code: str | None = None,
) -> tuple[str, list[Any]]:
    """A WHERE clause and its parameters over dedup_events (or events: the columns have the same names)."""
    clauses = {
        "date >= CAST(? AS DATE)": date_from,
        "date <= CAST(? AS DATE)": date_to,
        "event = ?": event,
        "actor_code = ?": actor_code,
        "recipient_code = ?": recipient_code,
    }
    used = {clause: value for clause, value in clauses.items() if value is not None}
    return " AND ".join(used) or "TRUE", list(used.values())


def dedup_summary(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How much dedup merged: event rows, distinct events, and events reported by more than one article."""
    row = con.execute(
        """
        SELECT (SELECT count(*) FROM events), count(*), count(*) FILTER (WHERE num_articles > 1)
        FROM dedup_events
        """
    ).fetchone()
    rows, events, multi = row if row is not None else (0, 0, 0)
    return {"event_rows": rows, "events": events, "reported_by_several_articles": multi}
