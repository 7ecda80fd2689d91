"""Dyad series and escalation flags for the API: :mod:`flashpoint.analysis` computes, this caches and shapes.

The store is read-only for the server's whole life, so a series computed once stays right: results
are kept in a small LRU cache keyed by the request's parameters, and the busiest dyads are computed
in a background thread at startup, so the dashboard's first clicks are answered from memory. The
JSON is columnar (one list per measure, aligned with ``periods``): compact, and what a chart wants.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from ..analysis.escalation import detect_escalation
from ..analysis.series import dyad_series, overall_series
from ..errors import FlashpointError
from .database import ReadOnlyDatabase

log = logging.getLogger(__name__)

CACHE_SIZE = 256  # series kept; a daily series of five years is ~2k rows: tens of MB in all
WARM_DYADS = 20  # busiest dyads computed at startup, for day and week
DECIMALS = 4  # measures are rounded: intensities per 1,000 articles need no more
MEASURES = (
    "n_events",
    "verbal_cooperation",
    "material_cooperation",
    "verbal_conflict",
    "material_conflict",
    "intensity",
    "conflict_intensity",
    "cooperation_intensity",
    "n_articles",
    "events_per_1k",
    "conflict_events_per_1k",
    "intensity_per_1k",
)  # the series columns the API returns (the event-id lists are left out: /api/events?counted=true has them)

SeriesKey = tuple[str | None, str | None, str, str, str | None, str | None]


def _number(value: Any) -> Any:
    """A JSON-ready measure: NaN (no article volume to divide by) becomes null."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, DECIMALS)
    return value


def _clean(value: Any) -> Any:
    """NaN and infinities (a flag over an empty baseline) become null: JSON has no such numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    return value


def series_json(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """One object per dyad in the frame: its periods and one aligned list per measure."""
    out = []
    for dyad, rows in frame.groupby("dyad", sort=True):
        rows = rows.sort_values("period")
        item: dict[str, Any] = {
            "dyad": str(dyad),
            "actor": str(rows["actor"].iloc[0]),
            "recipient": str(rows["recipient"].iloc[0]),
            "periods": [day.strftime("%Y-%m-%d") for day in pd.to_datetime(rows["period"])],
        }
        for name in MEASURES:
            item[name] = [_number(value) for value in rows[name].tolist()]
        out.append(item)
    return out


@dataclass
class _Entry:
    """One computed series, its flags once asked for, and its JSON bodies (with and without flags)."""

    frame: pd.DataFrame
    flags: list[dict[str, Any]] | None = None
    bodies: dict[bool, bytes] = field(default_factory=dict)


class SeriesService:
    """Computes series through :mod:`flashpoint.analysis`, remembering recent results."""

    def __init__(self, db: ReadOnlyDatabase) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._entries: OrderedDict[SeriesKey, _Entry] = OrderedDict()
        self.warmed = threading.Event()  # set when the startup warm-up has finished (or was not asked for)

    @property
    def size(self) -> int:
        return len(self._entries)

    def _entry(self, key: SeriesKey) -> _Entry:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        dyad, country, freq, level, date_from, date_to = key
        with self.db.cursor() as con:
            if dyad is not None:
                frame = dyad_series(con, dyad, freq, level, date_from=date_from, date_to=date_to)
            else:
                frame = overall_series(con, freq, country=country, date_from=date_from, date_to=date_to)
        with self._lock:
            entry = self._entries.setdefault(key, _Entry(frame))
            while len(self._entries) > CACHE_SIZE:
                self._entries.popitem(last=False)
        return entry

    def _flags(self, entry: _Entry) -> list[dict[str, Any]]:
        if entry.flags is None:
            entry.flags = [_clean(flag.to_dict()) for flag in detect_escalation(entry.frame)]
        return entry.flags

    def body(self, key: SeriesKey, with_flags: bool) -> bytes:
        """The /api/series answer for ``key`` as JSON bytes, computed once."""
        entry = self._entry(key)
        if with_flags not in entry.bodies:
            dyad, country, freq, level, _, _ = key
            payload = {
                "dyad": dyad,
                "country": country,
                "freq": freq,
                "level": entry.frame.attrs.get("level", level),
                "series": series_json(entry.frame),
                "flags": self._flags(entry) if with_flags else None,
            }
            entry.bodies[with_flags] = json.dumps(payload, separators=(",", ":"), allow_nan=False).encode()
        return entry.bodies[with_flags]

    def flags(
        self, dyads: list[str], freq: str, date_from: str | None, date_to: str | None
    ) -> list[dict[str, Any]]:
        """The flags of these dyads' country-level series, newest first."""
        found = []
        for dyad in dyads:
            found.extend(self._flags(self._entry((dyad, None, freq, "country", date_from, date_to))))
        return sorted(found, key=lambda flag: (flag["date"], abs(flag["score"])), reverse=True)

    def warm(self, busiest: Callable[[], list[str]]) -> threading.Thread:
        """Compute the overall series and the busiest dyads' series and flags in the background."""

        def run() -> None:
            try:
                for freq in ("week", "day"):
                    self.body((None, None, freq, "country", None, None), with_flags=False)
                    for dyad in busiest()[:WARM_DYADS]:
                        self.body((dyad, None, freq, "country", None, None), with_flags=True)
            except (duckdb.Error, FlashpointError) as err:  # the server closed under it; requests still work
                log.warning("series warm-up stopped: %s", err)
            finally:
                self.warmed.set()

        thread = threading.Thread(target=run, name="flashpoint-series-warmup", daemon=True)
        thread.start()
        return thread
