"""Pure conversions between records and table rows: Event ⇄ events row, Article → articles row.

Kept apart from the connection code so they are unit-tested without a database and reused by the
Parquet writer of a distributed run.
"""

from __future__ import annotations

import json
from datetime import date as Date
from datetime import datetime
from typing import Any

from ..records import Article, Event
from .identity import article_identity, text_hash
from .schema import EVENT_COLUMNS

JSON_COLUMNS = ("actor", "recipient", "event_loc", "text_info", "evidence", "reported_by")
# Record fields as they appear in Event.to_dict(); the other columns are flattened copies.
RECORD_FIELDS = (
    "id", "story_id", "date", "date_precision", "event", "mode", "context", "modality", "quad_code",
    "event_scale", "actor", "recipient", "event_loc", "event_text", "text_info", "confidence",
    "num_mentions", "evidence", "reported_by", "claimed",
)  # fmt: skip


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def article_row(article: Article, run_id: str | None, now: datetime) -> list[Any]:
    """One articles row, in ARTICLE_COLUMNS order."""
    return [
        article.story_id, article.date, article.title, article.source, article.url, article.text,
        text_hash(article.text), article.location, now, run_id, article_identity(article.url, article.text),
    ]  # fmt: skip


def event_row(event: Event, run_id: str | None) -> list[Any]:
    """One events row, in EVENT_COLUMNS order."""
    record = event.to_dict()
    first_actor = record["actor"][0] if record["actor"] else {}
    first_recipient = record["recipient"][0] if record["recipient"] else {}
    loc = record["event_loc"] or {}
    info = record["text_info"] or {}
    values = {
        **{name: record[name] for name in RECORD_FIELDS if name not in JSON_COLUMNS},
        **{name: _json(record[name]) for name in JSON_COLUMNS},
        "context": list(record["context"] or []),
        "actor_code": first_actor.get("code"),
        "actor_sector": first_actor.get("sector"),
        "recipient_code": first_recipient.get("code"),
        "recipient_sector": first_recipient.get("sector"),
        "loc_name": loc.get("resolved_place") or loc.get("extracted_place"),
        "geonameid": loc.get("geonameid"),
        "lat": loc.get("lat"),
        "lon": loc.get("lon"),
        "loc_country": loc.get("country_code"),
        "sentence": info.get("text"),
        "run_id": run_id,
    }
    return [values[name] for name in EVENT_COLUMNS]


def event_record(row: dict[str, Any]) -> dict[str, Any]:
    """An events row (as a column→value dict) back to the record of DESIGN.md (Event.to_dict shape)."""
    record: dict[str, Any] = {}
    for name in RECORD_FIELDS:
        value = row.get(name)
        if name in JSON_COLUMNS:
            value = json.loads(value) if value is not None else None
        elif isinstance(value, Date):
            value = value.isoformat()
        record[name] = value
    record["actor"] = record["actor"] or []
    record["recipient"] = record["recipient"] or []
    record["evidence"] = record["evidence"] or []
    record["reported_by"] = record["reported_by"] or []
    record["num_mentions"] = record["num_mentions"] or 1
    record["claimed"] = bool(record["claimed"])
    record["context"] = list(record["context"] or [])
    return record
