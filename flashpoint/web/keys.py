"""A read-side key table that answers the API's filtered listings in milliseconds at a million events.

``event_keys`` lives in the web layer's in-memory database (the store file is never written): one
narrow row per event with the columns the filters and tallies use, sorted by the listing order
(date, story, id) and numbered ``pos`` in that order. Sorted storage lets DuckDB skip whole row
groups on a date range, and a page is a top-N on one integer instead of a sort on dates and strings
over the wide events table; the page's full records are then fetched from the store by primary key.
The evidence sentence is kept lower-cased, so a text filter is a scan of memory rather than of the
compressed file (20 ms instead of 200 ms at a million events). Codes and event types are ENUMs, so
their filters compare small integers. Built once when the server opens the store (about 2 s at a
million events, after which the server holds some 500 MB more than over a small store); the store
cannot change under a read-only server, so it never goes stale. A story-id filter, which the store's
index answers directly, runs on the store itself.
"""

from __future__ import annotations

import duckdb

from ..analysis.series import COUNTED_MODALITIES, COUNTED_PRECISIONS

KEY_TABLE = "event_keys"
CODE_TYPE, EVENT_TYPE = "fp_code", "fp_event"  # the key table's ENUM types


def _quoted(values: tuple[str, ...]) -> str:
    # constants of flashpoint.analysis.series, not client input: safe to inline in DDL
    return ", ".join("'" + value.replace("'", "''") + "'" for value in values)


def build_event_keys(con: duckdb.DuckDBPyConnection) -> None:
    counted = (
        f"date IS NOT NULL AND modality IN ({_quoted(COUNTED_MODALITIES)})"
        f" AND coalesce(date_precision, 'story') IN ({_quoted(COUNTED_PRECISIONS)})"
    )
    # Codes and types as ENUMs: a filter compares small integers, not strings (10x faster at 1M rows);
    # comparing with a value the ENUM lacks simply matches nothing.
    con.execute(
        f"""
        CREATE TYPE {CODE_TYPE} AS ENUM (
            SELECT actor_code FROM events WHERE actor_code IS NOT NULL
            UNION SELECT recipient_code FROM events WHERE recipient_code IS NOT NULL
            UNION SELECT loc_country FROM events WHERE loc_country IS NOT NULL
        )"""
    )
    con.execute(
        f"CREATE TYPE {EVENT_TYPE} AS ENUM (SELECT DISTINCT event FROM events WHERE event IS NOT NULL)"
    )
    con.execute(
        f"""
        CREATE TABLE {KEY_TABLE} AS
        SELECT CAST(row_number() OVER (ORDER BY date ASC NULLS LAST, story_id, id) AS INTEGER) AS pos,
               id, date, CAST(event AS {EVENT_TYPE}) AS event, CAST(quad_code AS TINYINT) AS quad_code,
               CAST(event_scale AS FLOAT) AS event_scale,
               CAST(actor_code AS {CODE_TYPE}) AS actor_code,
               CAST(recipient_code AS {CODE_TYPE}) AS recipient_code,
               CAST(loc_country AS {CODE_TYPE}) AS loc_country,
               CAST(lat AS FLOAT) AS lat, CAST(lon AS FLOAT) AS lon,
               coalesce({counted}, false) AS counted,
               lower(sentence) AS evidence
        FROM events
        ORDER BY pos
        """
    )
