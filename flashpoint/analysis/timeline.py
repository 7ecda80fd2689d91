"""Timelines: the most important events of each day, with the sentences and articles behind them.

Job: for a dyad, an actor or a country and a date range, pick each day's most important events and
hand them back with their evidence. Boundary: parameterised SQL over ``events`` and ``articles``, then
plain Python; no rendering.

Reports of one event in several articles are merged first, with the key of cross-story dedup
(:func:`flashpoint.analysis.dedup.dedup_key_sql`: date, type, actor, recipient, place, modality), so an
event told by five outlets is one timeline entry with five mentions. Importance is
``(|event_scale| + 1) * (1 + ln mentions) * (1 + ln sources)``: PLOVER's score says how much the event
matters, mentions and distinct outlets how widely it was reported (logarithms: the hundredth mention
adds little); the ``+ 1`` lets a zero-scored event (a request) still rank by its coverage. Mentions are
the ``num_mentions`` column where the store has it (repeats within a story), else one per article.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from typing import Any

from ..store.queries import fetch_dicts
from .dedup import dedup_key_sql
from .series import (
    COUNTED_MODALITIES,
    COUNTED_PRECISIONS,
    Connection,
    check_dates,
    connection,
    dyad_clauses,
    parse_side,
)

PER_DAY = 5  # entries per day by default: a day's headlines, not its every sentence
MAX_EVIDENCE = 3  # evidence sentences kept per entry, from distinct articles
SCALE_FLOOR = 1.0  # added to |event_scale| so a zero-scored event still ranks by its coverage
ACTOR_CODE = re.compile(r"^[A-Z]{3}(/[A-Z]{3})?$")  # RUS, RUS/MIL: an actor given as a code, else a name
_URL_HOST = r"^[a-zA-Z][a-zA-Z0-9+.-]*://(?:www\.)?([^/:?#]+)"  # an outlet from a URL: its host


def _has_column(con: Any, table: str, column: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE table_name = ? AND column_name = ?", [table, column]
    ).fetchone()
    return bool(row and row[0])


def _filters(
    dyad: str | None, actor: str | None, country: str | None, date_from: str | None, date_to: str | None
) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if dyad is not None:
        dyad_where, dyad_params, _ = dyad_clauses(dyad, prefix="e.")
        clauses += dyad_where
        params += dyad_params
    if actor is not None:
        wanted = actor.strip()
        if ACTOR_CODE.match(wanted.upper()):
            code, sector = parse_side(wanted.upper())
            sides = []
            for column in ("actor", "recipient"):
                if sector is None:
                    sides.append(f"e.{column}_code = ?")
                    params.append(code)
                else:
                    sides.append(f"(e.{column}_code = ? AND e.{column}_sector = ?)")
                    params.extend([code, sector])
            clauses.append(f"({' OR '.join(sides)})")
        else:  # a name: matched in the actor and recipient records (entity text and name)
            clauses.append("(lower(e.actor) LIKE ? OR lower(e.recipient) LIKE ?)")
            params.extend([f"%{wanted.lower()}%"] * 2)
    if country is not None:
        clauses.append("(e.actor_code = ? OR e.recipient_code = ? OR e.loc_country = ?)")
        params.extend([country.strip().upper()] * 3)
    if date_from is not None:
        clauses.append("e.date >= CAST(? AS DATE)")
        params.append(date_from)
    if date_to is not None:
        clauses.append("e.date <= CAST(? AS DATE)")
        params.append(date_to)
    return clauses, params


def _first_name(record: str | None) -> str:
    people = json.loads(record) if record else []
    return str(people[0].get("entity_name") or people[0].get("entity_text") or "") if people else ""


def _side(code: str | None, sector: str | None) -> str:
    if not code:
        return ""
    return f"{code}/{sector}" if sector else code


def importance(event_scale: float | None, mentions: int, sources: int) -> float:
    """The ranking score of a timeline entry (see the module docstring)."""
    return (
        (abs(event_scale or 0.0) + SCALE_FLOOR)
        * (1 + math.log(max(mentions, 1)))
        * (1 + math.log(max(sources, 1)))
    )


def _entry(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One timeline entry from the rows (mentions) of one deduplicated event."""
    best = max(rows, key=lambda row: (row["confidence"] or 0.0, row["id"]))
    mentions = sum(int(row["mentions"] or 1) for row in rows)
    stories = sorted({row["story_id"] for row in rows})
    sources = max(len({row["outlet"] for row in rows if row["outlet"]}), 1)
    evidence: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in sorted(rows, key=lambda row: (str(row["article_date"] or ""), row["story_id"])):
        if row["story_id"] in seen or len(evidence) >= MAX_EVIDENCE:
            continue
        seen.add(row["story_id"])
        evidence.append(
            {
                "event_id": row["id"],
                "sentence": row["sentence"] or row["event_text"] or "",
                "trigger": row["event_text"] or "",
                "story_id": row["story_id"],
                "title": row["title"] or "",
                "url": row["url"] or "",
                "source": row["source"] or "",
                "article_date": row["article_date"].isoformat() if row["article_date"] else None,
            }
        )
    return {
        "date": best["date"].isoformat(),
        "event": best["event"],
        "mode": best["mode"],
        "modality": best["modality"],
        "quad_code": best["quad_code"],
        "event_scale": best["event_scale"],
        "actor": _side(best["actor_code"], best["actor_sector"]),
        "actor_name": _first_name(best["actor"]),
        "recipient": _side(best["recipient_code"], best["recipient_sector"]),
        "recipient_name": _first_name(best["recipient"]),
        "place": best["loc_name"],
        "importance": round(importance(best["event_scale"], mentions, sources), 3),
        "mentions": mentions,
        "articles": len(stories),
        "sources": sources,
        "event_ids": sorted(row["id"] for row in rows),
        "evidence": evidence,
    }


def timeline(
    con: Connection,
    dyad: str | None = None,
    actor: str | None = None,
    country: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    per_day: int = PER_DAY,
    *,
    modalities: Sequence[str] = COUNTED_MODALITIES,
) -> list[dict[str, Any]]:
    """Each day's ``per_day`` most important events, oldest day first and most important first.

    Filters (all optional, combined with AND): ``dyad`` ``"RUS-UKR"`` (directed; a side may carry a
    sector, ``"RUS/MIL-UKR"``); ``actor`` a code on either side (``"RUS"``, ``"RUS/MIL"``) or a name
    found in the actor or recipient records (``"Putin"``); ``country`` a code as actor, recipient or
    place; ``date_from``/``date_to`` ``YYYY-MM-DD``, both included. Only events that happened
    (``modalities``, default asserted) and are dated to the day, week or story count.

    Each entry: ``date, event, mode, modality, quad_code, event_scale, actor, actor_name, recipient,
    recipient_name, place, importance, mentions, articles, sources, event_ids`` and ``evidence``, a list
    of ``{event_id, sentence, trigger, story_id, title, url, source, article_date}`` from up to three
    distinct articles. Raises FlashpointError E202 for a malformed dyad, E104 for a malformed date."""
    check_dates(date_from, date_to)
    db = connection(con)
    clauses, params = _filters(dyad, actor, country, date_from, date_to)
    mentions = "coalesce(e.num_mentions, 1)" if _has_column(db, "events", "num_mentions") else "1"
    marks = ", ".join("?" * len(modalities))
    precision_marks = ", ".join("?" * len(COUNTED_PRECISIONS))
    where = " AND ".join(
        [
            "e.date IS NOT NULL",
            f"e.modality IN ({marks})",
            f"coalesce(e.date_precision, 'story') IN ({precision_marks})",
            *clauses,
        ]
    )
    sql = f"""
        SELECT {dedup_key_sql("e.")} AS dedup_id, e.id, e.date, e.event, e.mode, e.modality, e.quad_code,
               e.event_scale, e.actor, e.recipient, e.actor_code, e.actor_sector, e.recipient_code,
               e.recipient_sector, e.loc_name, e.sentence, e.event_text, e.confidence, e.story_id,
               {mentions} AS mentions, a.title, a.url, a.source, a.date AS article_date,
               coalesce(nullif(a.source, ''), nullif(regexp_extract(a.url, '{_URL_HOST}', 1), '')) AS outlet
        FROM events e LEFT JOIN articles a ON a.story_id = e.story_id
        WHERE {where}
        ORDER BY e.date, e.id"""
    rows = fetch_dicts(db, sql, [*modalities, *COUNTED_PRECISIONS, *params])
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["dedup_id"], []).append(row)
    by_day: dict[str, list[dict[str, Any]]] = {}
    for group in groups.values():
        entry = _entry(group)
        by_day.setdefault(entry["date"], []).append(entry)
    out: list[dict[str, Any]] = []
    for day in sorted(by_day):
        # ties: the more hostile event first, then a stable order
        ranked = sorted(
            by_day[day], key=lambda e: (-e["importance"], e["event_scale"] or 0.0, e["event_ids"])
        )
        out.extend(ranked[:per_day])
    return out
