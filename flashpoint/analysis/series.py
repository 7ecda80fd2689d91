"""Dyad time series: per directed dyad and day or week, what happened and how hostile it was.

Job: turn the stored events into one row per dyad and period with event counts per PLOVER quad class,
the PLOVER-score-weighted intensity (the sum of ``event_scale``), and the same numbers per 1,000
articles, as GDELT advises, because more coverage alone means more coded events. Boundary: reads the
``events`` and ``articles`` tables with parameterised SQL and aggregates in pandas; it knows nothing of
escalation, charts or the command line. :func:`aggregate_series` is the pure step (events and article
counts in, series out) that tests and the synthetic benchmark call without a database.

Which events count: asserted ones (a threat that *was made* counts; a future, hypothetical, negated or
historical event did not happen in the period) whose date is known to the day or week (``day``, ``week``,
or ``story``: the publication date). A dyad needs both an actor and a recipient code; an event's dyad is
its first actor and first recipient (the flattened ``actor_code``/``recipient_code`` columns).

Columns of the DataFrame (one row per dyad and period; dense, so a quiet day is a row of zeros):

============================  ====================================================================
``period``                    the day, or the Monday that starts the ISO week (datetime64)
``dyad``                      ``ACTOR-RECIPIENT``: ``RUS-UKR``, or ``RUS/MIL-UKR/GOV`` at sector level
                              (a side whose sector is unknown is just its country code);
                              ``ALL`` or a country code in :func:`overall_series`
``actor``, ``recipient``      the two sides of ``dyad`` (``*`` in :func:`overall_series`)
``n_events``                  events in the period
``verbal_cooperation`` …      events per quad class: ``verbal_cooperation`` (1),
                              ``material_cooperation`` (2), ``verbal_conflict`` (3), ``material_conflict`` (4)
``intensity``                 sum of ``event_scale`` (PLOVER score, −10…+10): negative is hostile
``conflict_intensity``        sum of −``event_scale`` over events scoring below zero (≥ 0)
``cooperation_intensity``     sum of ``event_scale`` over events scoring above zero (≥ 0)
``n_articles``                articles published in the period (the whole corpus, not just the dyad)
``article_volume``            the denominator for the ``*_per_1k`` columns: articles in the period for
                              weeks; for days, the mean daily count over a centred 7-day window (an
                              event is often dated the day before the article that reports it);
                              NaN where no article was published in reach
``events_per_1k`` …           ``n_events``, conflict events (quads 3+4), ``intensity``,
                              ``conflict_intensity`` and ``cooperation_intensity`` per 1,000 articles:
                              ``events_per_1k``, ``conflict_events_per_1k``, ``intensity_per_1k``,
                              ``conflict_intensity_per_1k``, ``cooperation_intensity_per_1k``
``conflict_event_ids``        ids of the period's events scoring below zero, most hostile first
``cooperation_event_ids``     ids of the period's events scoring above zero, most cooperative first
============================  ====================================================================

``df.attrs`` carries ``freq`` and ``level``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date as Date
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from ..errors import FlashpointError
from ..store import Store
from ..store.queries import parse_dyad

FREQS = ("day", "week")
LEVELS = ("country", "sector")
COUNTED_MODALITIES = ("asserted",)  # only events that happened; a threatened strike is not a strike
COUNTED_PRECISIONS = ("day", "week", "story")  # a month- or year-precision date cannot be placed on a day
PER_ARTICLES = 1000.0  # GDELT's normalisation unit: events per 1,000 articles
VOLUME_WINDOW_DAYS = 7  # smooths daily article volume: events are often dated a day before their article
ALL_LABEL = "ALL"  # the dyad label of the series over all events
ANY_SIDE = "*"  # the actor/recipient label of a series that is not one dyad

QUAD_COLUMNS = {
    1: "verbal_cooperation",
    2: "material_cooperation",
    3: "verbal_conflict",
    4: "material_conflict",
}  # PLOVER quad class -> count column
KEYS = ["dyad", "actor", "recipient", "period"]
SUMS = ["intensity", "conflict_intensity", "cooperation_intensity"]
COUNTS = ["n_events", *QUAD_COLUMNS.values()]
NORMALISED = {
    "events_per_1k": "n_events",
    "conflict_events_per_1k": "conflict_events",
    "intensity_per_1k": "intensity",
    "conflict_intensity_per_1k": "conflict_intensity",
    "cooperation_intensity_per_1k": "cooperation_intensity",
}  # normalised column -> what it divides
ID_COLUMNS = ["conflict_event_ids", "cooperation_event_ids"]
COLUMNS = [*KEYS, *COUNTS, *SUMS, "n_articles", "article_volume", *NORMALISED, *ID_COLUMNS]
EVENT_FRAME_COLUMNS = ["id", "date", "actor", "recipient", "quad_code", "event_scale"]

Connection = duckdb.DuckDBPyConnection | Store


def connection(con: Connection) -> duckdb.DuckDBPyConnection:
    """The DuckDB connection behind ``con`` (a connection or a :class:`Store`)."""
    return con.con if isinstance(con, Store) else con


def check_choice(name: str, value: str, allowed: Sequence[str]) -> None:
    """ValueError for an argument outside its allowed values (the CLI restricts these itself)."""
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")


def check_dates(*values: str | None) -> None:
    """FlashpointError E104 for a date that is not a real ``YYYY-MM-DD`` day (None passes)."""
    for value in values:
        if value is None:
            continue
        try:
            Date.fromisoformat(value)
        except (TypeError, ValueError):
            raise FlashpointError("E104", value=value) from None
        if len(value) != len("2014-03-16"):
            raise FlashpointError("E104", value=value)


def parse_side(side: str) -> tuple[str, str | None]:
    """``"RUS"`` → ``("RUS", None)``; ``"RUS/MIL"`` → ``("RUS", "MIL")``."""
    code, _, sector = side.partition("/")
    return code, sector or None


def parse_dyad_spec(dyad: str) -> tuple[tuple[str, str | None], tuple[str, str | None]]:
    """``"RUS/MIL-UKR"`` → ``(("RUS", "MIL"), ("UKR", None))``; FlashpointError E202 when malformed."""
    actor, recipient = parse_dyad(dyad)
    sides = parse_side(actor), parse_side(recipient)
    if not all(code for code, _ in sides) or any(
        sector == "" or "/" in (sector or "") for _, sector in sides
    ):
        raise FlashpointError("E202", value=dyad)
    return sides


def dyad_clauses(dyad: str, prefix: str = "") -> tuple[list[str], list[Any], bool]:
    """SQL conditions (and their parameters) selecting a dyad's events, and whether it names sectors.

    ``prefix`` qualifies the column names ("e." for a joined query)."""
    clauses: list[str] = []
    params: list[Any] = []
    with_sectors = False
    for column, (code, sector) in zip(("actor", "recipient"), parse_dyad_spec(dyad), strict=True):
        clauses.append(f"{prefix}{column}_code = ?")
        params.append(code)
        if sector is not None:
            clauses.append(f"{prefix}{column}_sector = ?")
            params.append(sector)
            with_sectors = True
    return clauses, params, with_sectors


def period_start(dates: pd.Series, freq: str) -> pd.Series:
    """The period each date falls in: the day itself, or the Monday of its ISO week."""
    days = pd.to_datetime(dates).dt.normalize()
    if freq == "week":
        return days - pd.to_timedelta(days.dt.day_of_week, unit="D")
    return days


def _placeholders(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


def counted_clause(modalities: Sequence[str], precisions: Sequence[str]) -> tuple[str, list[Any]]:
    """The SQL condition (and its parameters) for the events the series count: dated, of these modalities
    and date precisions."""
    clause = (
        f"date IS NOT NULL AND modality IN ({_placeholders(modalities)})"
        f" AND coalesce(date_precision, 'story') IN ({_placeholders(precisions)})"
    )
    return clause, [*modalities, *precisions]


def date_clause(date_from: str | None, date_to: str | None) -> tuple[str, list[Any]]:
    """The SQL condition (and its parameters) for events within [date_from, date_to], either end open."""
    clauses, params = [], []
    if date_from is not None:
        clauses.append("date >= CAST(? AS DATE)")
        params.append(date_from)
    if date_to is not None:
        clauses.append("date <= CAST(? AS DATE)")
        params.append(date_to)
    return " AND ".join(clauses) or "TRUE", params


def article_counts(con: Connection, date_from: str | None = None, date_to: str | None = None) -> pd.Series:
    """Articles published per day (a Series indexed by day), over the whole corpus."""
    where, params = date_clause(date_from, date_to)
    rows = (
        connection(con)
        .execute(
            f"SELECT date, count(*) FROM articles WHERE date IS NOT NULL AND {where}"
            " GROUP BY date ORDER BY date",
            params,
        )
        .fetchall()
    )
    index = pd.DatetimeIndex([pd.Timestamp(day) for day, _ in rows], name="day")
    return pd.Series([n for _, n in rows], index=index, dtype="int64", name="n_articles")


def _article_volume(articles_per_day: pd.Series, periods: pd.DatetimeIndex, freq: str) -> pd.DataFrame:
    """``n_articles`` and ``article_volume`` for each period (see the module docstring)."""
    if articles_per_day.empty or periods.empty:
        return pd.DataFrame({"n_articles": 0, "article_volume": np.nan}, index=periods)
    per_day = articles_per_day.copy()
    per_day.index = pd.DatetimeIndex(per_day.index).normalize()
    per_day = per_day.groupby(level=0).sum()
    if freq == "week":
        weeks = period_start(per_day.index.to_series(), "week")
        per_week = per_day.groupby(weeks.to_numpy()).sum()
        n_articles = per_week.reindex(periods, fill_value=0)
        volume = n_articles.astype(float).where(n_articles > 0)
        return pd.DataFrame({"n_articles": n_articles, "article_volume": volume}, index=periods)
    reach = VOLUME_WINDOW_DAYS // 2
    covered = pd.date_range(per_day.index.min(), per_day.index.max(), freq="D")
    padded = pd.date_range(
        min(covered[0], periods.min()) - pd.Timedelta(days=reach),
        max(covered[-1], periods.max()) + pd.Timedelta(days=reach),
        freq="D",
    )
    # zero inside the span the corpus covers, unknown outside it, so the edges are not diluted
    daily = per_day.reindex(covered, fill_value=0).astype(float).reindex(padded)
    smoothed = daily.rolling(VOLUME_WINDOW_DAYS, center=True, min_periods=1).mean()
    n_articles = per_day.reindex(periods, fill_value=0)
    volume = smoothed.reindex(periods)
    return pd.DataFrame(
        {"n_articles": n_articles.to_numpy(), "article_volume": volume.where(volume > 0).to_numpy()},
        index=periods,
    )


def _id_lists(
    events: pd.DataFrame, mask: pd.Series, ascending: bool, index: pd.MultiIndex
) -> list[list[str]]:
    chosen = events[mask].sort_values(["event_scale", "id"], ascending=[ascending, True])
    lists = chosen.groupby(KEYS, sort=False)["id"].agg(list).reindex(index)
    return [value if isinstance(value, list) else [] for value in lists]


def empty_series(freq: str = "day", level: str = "country") -> pd.DataFrame:
    """A series with the documented columns and no rows."""
    frame = pd.DataFrame({name: pd.Series(dtype="object") for name in COLUMNS})
    frame["period"] = pd.Series(dtype="datetime64[ns]")
    frame.attrs.update(freq=freq, level=level)
    return frame


def aggregate_series(
    events: pd.DataFrame,
    articles_per_day: pd.Series,
    freq: str = "day",
    *,
    level: str = "country",
    date_from: str | None = None,
    date_to: str | None = None,
    fill: bool = True,
    always: Sequence[tuple[str, str, str]] = (),
) -> pd.DataFrame:
    """The pure step: events (columns ``id, date, actor, recipient, quad_code, event_scale``, the two
    sides already labelled; a ``dyad`` column where the label is not ``actor-recipient``) and articles
    per day in, the documented series out.

    ``fill`` makes the series dense: every dyad gets a row for every period from the first to the last
    day that has an event or an article (or ``date_from``/``date_to`` where given); the dyads in
    ``always`` (``(dyad, actor, recipient)`` triples) get rows even without an event."""
    check_choice("freq", freq, FREQS)
    if events.empty and articles_per_day.empty:
        return empty_series(freq, level)
    ev = events.loc[:, [*EVENT_FRAME_COLUMNS, *(["dyad"] if "dyad" in events else [])]].copy()
    ev["period"] = period_start(ev["date"], freq)
    if "dyad" not in ev:
        ev["dyad"] = ev["actor"] + "-" + ev["recipient"]
    ev["event_scale"] = pd.to_numeric(ev["event_scale"], errors="coerce").fillna(0.0).astype(float)
    ev["intensity"] = ev["event_scale"]
    ev["conflict_intensity"] = (-ev["event_scale"]).clip(lower=0.0) + 0.0  # + 0.0: no negative zeros
    ev["cooperation_intensity"] = ev["event_scale"].clip(lower=0.0)
    for quad, name in QUAD_COLUMNS.items():
        ev[name] = (ev["quad_code"] == quad).astype("int64")
    ev["n_events"] = 1

    first = pd.Timestamp(date_from) if date_from else None
    last = pd.Timestamp(date_to) if date_to else None
    if first is not None:
        ev = ev[ev["period"] >= period_start(pd.Series([first]), freq).iloc[0]]
    if last is not None:
        ev = ev[ev["period"] <= last]

    grouped = ev.groupby(KEYS, sort=True)[[*COUNTS, *SUMS]].sum()
    known = pd.concat(
        [pd.Series(pd.to_datetime(ev["date"])), pd.Series(pd.DatetimeIndex(articles_per_day.index))]
    ).dropna()
    start = first if first is not None else (known.min() if len(known) else None)
    end = last if last is not None else (known.max() if len(known) else None)
    if start is None or end is None or (grouped.empty and not (fill and always)):
        return empty_series(freq, level)
    bounds = period_start(pd.Series([start, end]), freq)
    periods = pd.date_range(bounds.iloc[0], bounds.iloc[1], freq="7D" if freq == "week" else "D")

    if fill:
        sides = list(dict.fromkeys([*grouped.index.droplevel("period"), *always]))
        index = pd.MultiIndex.from_tuples(
            [(*side, period) for side in sides for period in periods], names=KEYS
        )
        grouped = grouped.reindex(index, fill_value=0)
    frame = grouped.reset_index()
    frame["conflict_event_ids"] = _id_lists(ev, ev["event_scale"] < 0, True, grouped.index)
    frame["cooperation_event_ids"] = _id_lists(ev, ev["event_scale"] > 0, False, grouped.index)
    for name in COUNTS:
        frame[name] = frame[name].astype("int64")

    volume = _article_volume(articles_per_day, periods, freq)
    frame = frame.join(volume, on="period")
    frame["n_articles"] = frame["n_articles"].fillna(0).astype("int64")
    frame["conflict_events"] = frame["verbal_conflict"] + frame["material_conflict"]
    for name, source in NORMALISED.items():
        frame[name] = frame[source] * PER_ARTICLES / frame["article_volume"]
    frame = frame.loc[:, COLUMNS].sort_values(["dyad", "period"], kind="stable").reset_index(drop=True)
    frame.attrs.update(freq=freq, level=level)
    return frame


def _label(code: pd.Series, sector: pd.Series, level: str) -> pd.Series:
    if level == "country":
        return code
    return code.where(sector.isna(), code + "/" + sector.fillna(""))


def fetch_events(
    con: Connection,
    where: str = "TRUE",
    params: Sequence[Any] = (),
    *,
    modalities: Sequence[str] = COUNTED_MODALITIES,
    precisions: Sequence[str] = COUNTED_PRECISIONS,
) -> pd.DataFrame:
    """The counted events matching ``where`` (a SQL condition with ``?`` placeholders for ``params``)."""
    counted, counted_params = counted_clause(modalities, precisions)
    sql = (
        "SELECT id, date, actor_code, actor_sector, recipient_code, recipient_sector, quad_code, event_scale"
        f" FROM events WHERE {counted} AND ({where}) ORDER BY date, id"
    )
    return connection(con).execute(sql, [*counted_params, *params]).df()


def dyad_series(
    con: Connection,
    dyad: str | None = None,
    freq: str = "day",
    level: str = "country",
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    fill: bool = True,
) -> pd.DataFrame:
    """Per directed dyad and period: counts by quad class, intensity, and both per 1,000 articles.

    ``con`` is a DuckDB connection or a :class:`~flashpoint.store.Store`. ``dyad`` ``"RUS-UKR"`` keeps
    that directed dyad (``None``: every dyad); a side may name a sector (``"RUS/MIL-UKR/GOV"``), which
    keeps only that sector and implies ``level="sector"``. ``freq`` is ``"day"`` or ``"week"``;
    ``level`` ``"country"`` groups by country codes, ``"sector"`` by code and sector. Dates are
    ``YYYY-MM-DD`` strings, both ends included. The columns are documented in the module docstring.
    Raises FlashpointError E202 for a malformed dyad, E104 for a malformed date, and ValueError for an
    unknown freq or level."""
    check_choice("freq", freq, FREQS)
    check_choice("level", level, LEVELS)
    check_dates(date_from, date_to)
    clauses = ["actor_code IS NOT NULL", "recipient_code IS NOT NULL"]
    params: list[Any] = []
    if dyad is not None:
        dyad_where, dyad_params, with_sectors = dyad_clauses(dyad)
        clauses += dyad_where
        params += dyad_params
        if with_sectors:
            level = "sector"
    dates, date_params = date_clause(date_from, date_to)
    rows = fetch_events(con, " AND ".join([*clauses, dates]), [*params, *date_params])
    rows["actor"] = _label(rows["actor_code"], rows["actor_sector"], level)
    rows["recipient"] = _label(rows["recipient_code"], rows["recipient_sector"], level)
    return aggregate_series(
        rows,
        article_counts(con, date_from, date_to),
        freq,
        level=level,
        date_from=date_from,
        date_to=date_to,
        fill=fill,
    )


def overall_series(
    con: Connection,
    freq: str = "day",
    *,
    country: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> pd.DataFrame:
    """One series over all counted events (dyad ``ALL``), or over those involving ``country`` as actor,
    recipient or place (dyad = the country code). Same columns as :func:`dyad_series`; events without a
    recipient count here, which is why a corpus's overall series is fuller than any one dyad's."""
    check_choice("freq", freq, FREQS)
    check_dates(date_from, date_to)
    clause, params = "TRUE", []
    if country is not None:
        country = country.strip().upper()
        clause, params = "(actor_code = ? OR recipient_code = ? OR loc_country = ?)", [country] * 3
    dates, date_params = date_clause(date_from, date_to)
    rows = fetch_events(con, f"{clause} AND {dates}", [*params, *date_params])
    label = country or ALL_LABEL
    rows["actor"] = ANY_SIDE
    rows["recipient"] = ANY_SIDE
    rows["dyad"] = label
    return aggregate_series(
        rows,
        article_counts(con, date_from, date_to),
        freq,
        date_from=date_from,
        date_to=date_to,
        always=[(label, ANY_SIDE, ANY_SIDE)],
    )
