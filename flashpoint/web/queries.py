"""The API's read queries: an events page, dyad and actor tallies, places, one article with its spans.

Plain functions of a cursor and checked :class:`~.filters.EventFilters`; every value reaches SQL as a
bound parameter. Listings and tallies run on the key table of :mod:`.keys` when the filters allow
(everything but a story filter), else on the store's events table. Rows come back as the record of
DESIGN.md (via the store's ``event_record``) or as small dicts ready for JSON.
"""

from __future__ import annotations

from typing import Any

import duckdb

from ..store.queries import fetch_dicts
from ..store.rows import event_record
from .filters import EventFilters
from .keys import KEY_TABLE

ORDERS = {
    "asc": "date ASC NULLS LAST, story_id ASC, id ASC",
    "desc": "date DESC NULLS FIRST, story_id DESC, id DESC",
}  # the listing order and its exact reverse (the key table's pos follows "asc"); constants, not client text


def _table(filters: EventFilters) -> tuple[str, str, list[Any]]:
    """Where to answer: the key table when it has the columns, else the store's events table."""
    keys = filters.fits_keys
    where, params = filters.where(keys=keys)
    return (KEY_TABLE if keys else "events"), where, params


def _records_by_id(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[dict[str, Any]]:
    """Full stored rows for these event ids (a primary-key lookup), in the order given."""
    if not ids:
        return []
    rows = fetch_dicts(con, f"SELECT * FROM events WHERE id IN ({', '.join('?' * len(ids))})", ids)
    by_id = {row["id"]: row for row in rows}
    return [by_id[event_id] for event_id in ids if event_id in by_id]


def events_page(
    con: duckdb.DuckDBPyConnection, filters: EventFilters, page: int, page_size: int, order: str = "asc"
) -> tuple[list[dict[str, Any]], int]:
    """One page of matching events (records plus their story's title) and how many match in all."""
    table, where, params = _table(filters)
    offset = (page - 1) * page_size
    if table == KEY_TABLE:
        total = con.execute(f"SELECT count(*) FROM {KEY_TABLE} WHERE {where}", params).fetchone()
        direction = "ASC" if order == "asc" else "DESC"
        ids = con.execute(
            f"SELECT id FROM {KEY_TABLE} WHERE {where} ORDER BY pos {direction} LIMIT ? OFFSET ?",
            [*params, page_size, offset],
        ).fetchall()
    else:  # one story's events, which the store's index on story_id finds
        total = con.execute(f"SELECT count(*) FROM events WHERE {where}", params).fetchone()
        ids = con.execute(
            f"SELECT id FROM events WHERE {where} ORDER BY {ORDERS[order]} LIMIT ? OFFSET ?",
            [*params, page_size, offset],
        ).fetchall()
    rows = _records_by_id(con, [row[0] for row in ids])
    stories = sorted({row["story_id"] for row in rows})
    placeholders = ", ".join("?" * len(stories))  # a list of keys: the primary-key index answers it
    titles = (
        dict(
            con.execute(
                f"SELECT story_id, title FROM articles WHERE story_id IN ({placeholders})", stories
            ).fetchall()
        )
        if stories
        else {}
    )
    records = [{**event_record(row), "story_title": titles.get(row["story_id"])} for row in rows]
    return records, int(total[0]) if total else 0


def dyad_counts(con: duckdb.DuckDBPyConnection, filters: EventFilters, limit: int) -> list[dict[str, Any]]:
    """Directed dyads (first actor → first recipient) by number of events, with counts per quad class."""
    table, where, params = _table(filters)
    return fetch_dicts(
        con,
        f"""
        SELECT actor_code || '-' || recipient_code AS dyad, actor_code AS actor, recipient_code AS recipient,
               count(*) AS n,
               count(*) FILTER (WHERE quad_code = 1) AS verbal_cooperation,
               count(*) FILTER (WHERE quad_code = 2) AS material_cooperation,
               count(*) FILTER (WHERE quad_code = 3) AS verbal_conflict,
               count(*) FILTER (WHERE quad_code = 4) AS material_conflict,
               round(avg(event_scale), 2) AS mean_scale,
               strftime(min(date), '%Y-%m-%d') AS first_date,
               strftime(max(date), '%Y-%m-%d') AS last_date
        FROM {table}
        WHERE actor_code IS NOT NULL AND recipient_code IS NOT NULL AND {where}
        GROUP BY actor_code, recipient_code
        ORDER BY n DESC, dyad
        LIMIT ?
        """,
        [*params, limit],
    )


def actor_counts(con: duckdb.DuckDBPyConnection, filters: EventFilters, limit: int) -> list[dict[str, Any]]:
    """Codes by how often they act and are acted upon."""
    table, where, params = _table(filters)
    return fetch_dicts(
        con,
        f"""
        WITH matching AS (SELECT actor_code, recipient_code FROM {table} WHERE {where}),
        sides AS (
            SELECT actor_code AS code, 1 AS as_actor, 0 AS as_recipient FROM matching
            WHERE actor_code IS NOT NULL
            UNION ALL
            SELECT recipient_code, 0, 1 FROM matching WHERE recipient_code IS NOT NULL
        )
        SELECT code, sum(as_actor)::BIGINT AS as_actor, sum(as_recipient)::BIGINT AS as_recipient,
               count(*) AS n
        FROM sides GROUP BY code ORDER BY n DESC, code LIMIT ?
        """,
        [*params, limit],
    )


def place_counts(con: duckdb.DuckDBPyConnection, filters: EventFilters, limit: int) -> list[dict[str, Any]]:
    """Located events grouped by place, most events first."""
    where, params = filters.where()
    return fetch_dicts(
        con,
        f"""
        SELECT loc_name AS place, round(lat, 4) AS lat, round(lon, 4) AS lon, loc_country AS country,
               count(*) AS n,
               count(*) FILTER (WHERE quad_code IN (1, 2)) AS cooperation,
               count(*) FILTER (WHERE quad_code IN (3, 4)) AS conflict
        FROM events
        WHERE lat IS NOT NULL AND lon IS NOT NULL AND {where}
        GROUP BY loc_name, round(lat, 4), round(lon, 4), loc_country
        ORDER BY n DESC, place
        LIMIT ?
        """,
        [*params, limit],
    )


def volume_by_type(con: duckdb.DuckDBPyConnection, filters: EventFilters) -> list[dict[str, Any]]:
    table, where, params = _table(filters)
    return fetch_dicts(
        con,
        f"SELECT event, quad_code AS quad, count(*) AS n FROM {table} WHERE {where}"
        " GROUP BY event, quad_code ORDER BY n DESC, event",
        params,
    )


def article(con: duckdb.DuckDBPyConnection, story_id: str) -> dict[str, Any] | None:
    rows = fetch_dicts(
        con,
        "SELECT story_id, strftime(date, '%Y-%m-%d') AS date, title, source, url, text FROM articles"
        " WHERE story_id = ?",
        [story_id],
    )
    return rows[0] if rows else None


def article_events(con: duckdb.DuckDBPyConnection, story_id: str) -> list[dict[str, Any]]:
    rows = fetch_dicts(con, "SELECT * FROM events WHERE story_id = ? ORDER BY id", [story_id])
    return [event_record(row) for row in rows]


def _locate(text: str, info: dict[str, Any]) -> tuple[int, int, bool] | None:
    """Where one evidence span sits: its stored offsets when the text there is the stored evidence,
    else where that evidence first occurs (``aligned`` False), else None (it is not in this text)."""
    evidence = info.get("text") or ""
    start, end = info.get("start"), info.get("end")
    if isinstance(start, int) and isinstance(end, int) and evidence and text[start:end] == evidence:
        return start, end, True
    found = text.find(evidence) if evidence else -1
    return (found, found + len(evidence), False) if found >= 0 else None


def evidence_spans(text: str, record: dict[str, Any]) -> list[dict[str, Any]]:
    """Character offsets in the article of an event's evidence: its ``text_info`` sentence and every
    other mention in ``evidence``, each with the trigger inside it where the trigger is found there."""
    trigger = record.get("event_text") or ""
    infos = [record.get("text_info") or {}, *(record.get("evidence") or [])]
    spans: dict[tuple[int, int], dict[str, Any]] = {}
    for info in infos:
        located = _locate(text, info)
        if located is None or located[:2] in spans:
            continue
        start, end, aligned = located
        at = text.find(trigger, start, end) if trigger else -1
        spans[(start, end)] = {
            "event_id": record["id"],
            "start": start,
            "end": end,
            "trigger_start": at if at >= 0 else None,
            "trigger_end": at + len(trigger) if at >= 0 else None,
            "aligned": aligned,
        }
    return list(spans.values())
