"""Read-side queries over an open connection: counts, event listings, the type and dyad tallies.

Plain functions of a DuckDB connection, so the analysis and web layers can call them on a
read-only connection without going through :class:`Store`'s write machinery.
"""

from __future__ import annotations

from typing import Any

import duckdb

from ..errors import FlashpointError
from .rows import event_record

TABLE_NAMES = ("articles", "events", "runs", "rejects")


def fetch_dicts(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> list[dict[str, Any]]:
    """Run ``sql`` and return its rows as column→value dicts."""
    cursor = con.execute(sql, params or [])
    names = [column[0] for column in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per table: {"articles": n, "events": n, "runs": n, "rejects": n}."""
    return {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in TABLE_NAMES}  # type: ignore[index]


def count_events_by_type(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """PLOVER event type → number of events, most frequent first."""
    rows = con.execute(
        "SELECT event, count(*) AS n FROM events GROUP BY event ORDER BY n DESC, event"
    ).fetchall()
    return {event: n for event, n in rows}


def count_events_by_dyad(con: duckdb.DuckDBPyConnection, limit: int = 20) -> list[dict[str, Any]]:
    """The most frequent directed dyads (first actor's code → first recipient's code)."""
    return fetch_dicts(
        con,
        """
        SELECT actor_code || '-' || recipient_code AS dyad, actor_code, recipient_code, count(*) AS n
        FROM events
        WHERE actor_code IS NOT NULL AND recipient_code IS NOT NULL
        GROUP BY actor_code, recipient_code
        ORDER BY n DESC, dyad
        LIMIT ?
        """,
        [limit],
    )


def parse_dyad(dyad: str) -> tuple[str, str]:
    """``"RUS-UKR"`` → ``("RUS", "UKR")``; FlashpointError E202 for anything else."""
    parts = dyad.strip().upper().split("-")
    if len(parts) != 2 or not all(parts):
        raise FlashpointError("E202", value=dyad)
    return parts[0], parts[1]


def select_events(
    con: duckdb.DuckDBPyConnection,
    limit: int | None = 100,
    offset: int = 0,
    *,
    story_id: str | None = None,
    event: str | None = None,
    actor_code: str | None = None,
    recipient_code: str | None = None,
    dyad: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> list[dict[str, Any]]:
    """Event records (the PLOVER JSON shape) matching every filter given, ordered by date and story.
    ``dyad`` ("RUS-UKR") is shorthand for actor_code and recipient_code of the first actor/recipient."""
    if dyad is not None:
        actor_code, recipient_code = parse_dyad(dyad)
    filters = {
        "story_id = ?": story_id,
        "event = ?": event,
        "actor_code = ?": actor_code,
        "recipient_code = ?": recipient_code,
        "date >= CAST(? AS DATE)": date_from,
        "date <= CAST(? AS DATE)": date_to,
    }
    used = {clause: value for clause, value in filters.items() if value is not None}
    where = " AND ".join(used) or "TRUE"
    params: list[Any] = list(used.values())
    page = ""
    if limit is not None:
        page = "LIMIT ? OFFSET ?"
        params += [limit, offset]
    rows = fetch_dicts(
        con, f"SELECT * FROM events WHERE {where} ORDER BY date NULLS LAST, story_id, id {page}", params
    )
    return [event_record(row) for row in rows]
