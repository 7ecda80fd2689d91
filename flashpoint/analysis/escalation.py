"""Escalation and de-escalation flags on a dyad series, each with the events that drove it.

Job: read a series from :mod:`.series` and say when a dyad's conflict rose or fell clearly away from
its own recent past, and because of which events. Boundary: pure pandas/numpy over the series
DataFrame; no database, no charts.

The signal is a dyad's *conflict intensity* per period: the sum of -PLOVER score over its hostile
events, so an assault (-9) weighs more than an accusation (-3). ``signal="hostility"`` subtracts the
cooperation intensity as well (a withdrawal of troops pulls the other way); it is noisier, because
talks go on through a crisis. By default the raw sums are used, not the per-1,000-article ones: in a
corpus gathered about one crisis, article volume rises with the crisis itself and dividing by it
divides the signal out; pass ``normalised=True`` for a general feed (all news of each day, as GDELT),
where swings in volume are coverage, not conflict.

The method is a rolling-baseline two-window test with a noise floor, an effect-size guard and a
minimum-count guard. For each period ``t``:

1. *Recent* is the ``window`` periods ending at ``t`` (3 for escalation: a step shows within days;
   ``calm_window``, 7, for de-escalation: calm is an absence of events, weak evidence per day).
   *Baseline* is the ``baseline`` periods (14) just before the recent window, with at least
   ``min_baseline`` (5) observed.
2. ``z = (mean_recent - mean_baseline) / (sigma * sqrt(1/n_recent + 1/n_baseline))``. ``sigma`` is the
   largest of three noise scales: the robust noise of the last ``noise_window`` (42) periods and of the
   baseline (median absolute day-to-day change, which level shifts and single spikes hardly move), and
   the compound-Poisson scale of the two windows pooled (events arrive at random, each carrying its
   score: this keeps a silent baseline from making one event look infinitely surprising).
3. Escalation when ``z >= threshold`` (1.5), the recent conflict intensity is at least ``min_ratio``
   (2) times the baseline's and the recent window holds ``min_events`` (3) conflict events (one
   skirmish is not a trend). De-escalation when ``z <= -threshold``, the signal fell by at least
   ``1 - 1/min_ratio`` of the baseline's conflict intensity (conflict halved; for hostility,
   cooperation may make up the difference) and the baseline held ``min_events`` conflict events
   (there was something to calm down from). The z gate is deliberately low: a crisis corpus of a few
   dozen articles a month moves by about one daily standard deviation when it escalates, so z alone
   cannot separate it from noise; the doubling does, since noise in a busy dyad rarely doubles a
   window's mean, and z keeps a sparse dyad's lucky day from passing as a doubling.

Consecutive flagged periods of one direction, and those fewer than ``merge_gap`` (7) periods apart, are
one episode, reported as one :class:`Flag` at its first period with its most extreme z and, as drivers,
the events of the recent window at that period: its conflict events for an escalation (the most hostile
periods first), its cooperative events for a de-escalation (possibly none: calm can be silence).

``benchmarks/escalation_synthetic.py`` measures precision, recall and delay on synthetic series with
known change points; ``tests/analysis/test_escalation.py`` holds the floors.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date as Date
from typing import Any

import numpy as np
import pandas as pd

from .series import ID_COLUMNS, check_choice

ESCALATION, DEESCALATION = "escalation", "de-escalation"
SIGNALS = ("conflict", "hostility")  # conflict intensity alone, or net of cooperation
MAD_TO_SIGMA = 0.6745 * math.sqrt(2.0)  # median |difference| of two standard normals, in their sigmas
MAX_DRIVERS = 12  # driver event ids kept per flag: enough to read the story, small enough to show


@dataclass(frozen=True)
class Method:
    """The detector's tunables; periods count in the series' own frequency (day or week)."""

    window: int = 3  # recent periods for escalation: a step shows within days, one day's noise averages out
    calm_window: int = 7  # recent periods for de-escalation: silence is weak evidence per day, so a week
    baseline: int = 14  # periods of a dyad's own past: learns its noise, still follows a long crisis
    min_baseline: int = 5  # observed baseline periods needed before anything is flagged
    threshold: float = 1.5  # |z| gate against noise; the doubling guard below makes the decision
    min_ratio: float = 2.0  # conflict must double (or halve, for calm): an analyst's "clear change"
    min_events: int = 3  # conflict events in the window (baseline, for calm): one skirmish is no trend
    noise_window: int = 42  # periods the noise scale is learnt from: six weeks of day-to-day changes
    merge_gap: int = 7  # flagged periods of one direction this close are one episode


DEFAULT_METHOD = Method()


@dataclass(frozen=True)
class Flag:
    """One flagged change: when, which way, how strongly, and the events behind it.

    ``date`` is the episode's first flagged period, ``end_date`` its last, ``score`` its most extreme z
    (positive for escalation, negative for de-escalation), ``driver_event_ids`` ids in the ``events``
    table, ``level`` and ``baseline_level`` the signal's recent and baseline means at ``date``."""

    date: Date
    direction: str
    score: float
    driver_event_ids: tuple[str, ...]
    dyad: str = ""
    end_date: Date | None = None
    level: float = 0.0
    baseline_level: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: dates as ``YYYY-MM-DD``, drivers as a list."""
        out = asdict(self)
        for name in ("date", "end_date"):
            out[name] = out[name].isoformat() if out[name] is not None else None
        out["driver_event_ids"] = list(self.driver_event_ids)
        return out


def _signal(frame: pd.DataFrame, signal: str, normalised: bool) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The per-period signal, its compound-Poisson variance (sum of squared event contributions) and
    the conflict intensity alone."""
    normalised = normalised and bool(frame["article_volume"].notna().any())
    conflict = frame["conflict_intensity_per_1k" if normalised else "conflict_intensity"].astype(float)
    cooperation = frame["cooperation_intensity_per_1k" if normalised else "cooperation_intensity"].astype(
        float
    )
    n_conflict = frame["conflict_event_ids"].map(len).clip(lower=1)
    n_cooperation = frame["cooperation_event_ids"].map(len).clip(lower=1)
    # sum of squared contributions, taking a period's events as equal-sized (its mean contribution)
    squares = conflict**2 / n_conflict
    if signal == "hostility":
        return conflict - cooperation, squares + cooperation**2 / n_cooperation, conflict
    return conflict, squares, conflict


def _dense(frame: pd.DataFrame, freq: str) -> pd.DataFrame:
    """One row per period from first to last, so a missing period reads as a quiet one."""
    frame = frame.sort_values("period").drop_duplicates("period", keep="last").set_index("period")
    periods = pd.date_range(frame.index.min(), frame.index.max(), freq="7D" if freq == "week" else "D")
    dense = frame.reindex(periods)
    for name in ID_COLUMNS:
        dense[name] = [value if isinstance(value, list) else [] for value in dense[name]]
    counts = ["verbal_conflict", "material_conflict"]
    dense[counts] = dense[counts].fillna(0)
    for name in ("conflict_intensity", "cooperation_intensity"):
        dense[name] = dense[name].fillna(0.0)
    for name in ("conflict_intensity_per_1k", "cooperation_intensity_per_1k"):
        dense[name] = dense[name].where(dense["article_volume"].isna(), dense[name].fillna(0.0))
    dense.index.name = "period"
    return dense


def _drivers(
    dense: pd.DataFrame, values: pd.Series, last: int, span: int, escalation: bool
) -> tuple[str, ...]:
    """The recent window's events: conflict events from its most hostile periods first, or cooperative
    events from its most cooperative periods first."""
    column = "conflict_event_ids" if escalation else "cooperation_event_ids"
    positions = range(max(0, last - span + 1), last + 1)
    ordered = sorted(positions, key=lambda p: -values.iloc[p] if escalation else values.iloc[p])
    ids = [event_id for position in ordered for event_id in dense[column].iloc[position]]
    return tuple(dict.fromkeys(ids))[:MAX_DRIVERS]


def _rolling_noise(values: pd.Series, periods: int, min_periods: int) -> pd.Series:
    """Robust noise scale over the trailing ``periods``: median absolute first difference, as a sigma."""
    changes = values.diff().abs()
    return changes.rolling(periods, min_periods=min_periods).median() / MAD_TO_SIGMA


def window_test(values: pd.Series, squares: pd.Series, span: int, method: Method) -> pd.DataFrame:
    """For every period: the recent and baseline means, their observed counts, sigma and z."""
    recent = values.rolling(span, min_periods=math.ceil(span / 2))
    past = values.shift(span)
    base = past.rolling(method.baseline, min_periods=method.min_baseline)
    out = pd.DataFrame({"recent": recent.mean(), "baseline": base.mean()})
    n_recent = values.rolling(span, min_periods=1).count()
    n_base = past.rolling(method.baseline, min_periods=1).count()
    pooled = (
        squares.rolling(span, min_periods=1).sum()
        + squares.shift(span).rolling(method.baseline, min_periods=1).sum()
    ) / (n_recent + n_base).clip(lower=1)
    noise = pd.concat(
        [
            _rolling_noise(past, method.noise_window, method.min_baseline),
            _rolling_noise(past, method.baseline, method.min_baseline),
            np.sqrt(pooled),
        ],
        axis=1,
    ).max(axis=1)
    spread = noise * np.sqrt(1.0 / n_recent.clip(lower=1) + 1.0 / n_base.clip(lower=1))
    change = out["recent"] - out["baseline"]
    out["z"] = (change / spread.where(spread > 0)).where(change.abs() > 0, 0.0)
    out.loc[out["baseline"].isna() | out["recent"].isna(), "z"] = np.nan
    return out


def _episodes(candidate: np.ndarray, merge_gap: int) -> list[tuple[int, int]]:
    """(first, last) positions of runs of True, merging runs fewer than ``merge_gap`` periods apart."""
    runs: list[tuple[int, int]] = []
    for position in np.flatnonzero(candidate):
        if runs and position - runs[-1][1] < merge_gap:
            runs[-1] = (runs[-1][0], int(position))
        else:
            runs.append((int(position), int(position)))
    return runs


def _flags_for_one(
    dense: pd.DataFrame, dyad: str, signal: str, normalised: bool, method: Method
) -> list[Flag]:
    values, squares, conflict = _signal(dense, signal, normalised)
    conflict_events = dense["verbal_conflict"] + dense["material_conflict"]
    flags: list[Flag] = []
    for direction, span in ((ESCALATION, method.window), (DEESCALATION, method.calm_window)):
        test = window_test(values, squares, span, method)
        recent_conflict = conflict.rolling(span, min_periods=1).mean()
        base_conflict = conflict.shift(span).rolling(method.baseline, min_periods=1).mean()
        if direction == ESCALATION:
            candidate = (
                (test["z"] >= method.threshold)
                & (recent_conflict >= method.min_ratio * base_conflict)
                & (conflict_events.rolling(span, min_periods=1).sum() >= method.min_events)
            )
        else:
            drop = test["baseline"] - test["recent"]
            candidate = (
                (test["z"] <= -method.threshold)
                & (drop >= (1.0 - 1.0 / method.min_ratio) * base_conflict)
                & (
                    conflict_events.shift(span).rolling(method.baseline, min_periods=1).sum()
                    >= method.min_events
                )
            )
        for first, last in _episodes(candidate.fillna(False).to_numpy(dtype=bool), method.merge_gap):
            scores = test["z"].iloc[first : last + 1].where(candidate.iloc[first : last + 1])
            peak = float(scores.max() if direction == ESCALATION else scores.min())
            flags.append(
                Flag(
                    date=dense.index[first].date(),
                    direction=direction,
                    score=round(peak, 3),
                    driver_event_ids=_drivers(dense, values, first, span, direction == ESCALATION),
                    dyad=dyad,
                    end_date=dense.index[last].date(),
                    level=float(test["recent"].iloc[first]),
                    baseline_level=float(test["baseline"].iloc[first]),
                )
            )
    return flags


def detect_escalation(
    series_df: pd.DataFrame,
    method: Method = DEFAULT_METHOD,
    *,
    signal: str = "conflict",
    normalised: bool = False,
) -> list[Flag]:
    """Flags of escalation and de-escalation in a series from :func:`~.series.dyad_series` (or
    :func:`~.series.overall_series`), per dyad, in date order; the method is in the module docstring.

    ``signal`` is ``"conflict"`` (conflict intensity) or ``"hostility"`` (conflict minus cooperation
    intensity); ``normalised`` uses the per-1,000-article columns (where the series has an
    article volume) instead of the raw sums. ``method`` holds the tunables (:class:`Method`); periods
    count in the series' frequency (``series_df.attrs["freq"]``, default day)."""
    check_choice("signal", signal, SIGNALS)
    if series_df.empty:
        return []
    freq = series_df.attrs.get("freq", "day")
    flags: list[Flag] = []
    for dyad, frame in series_df.groupby("dyad", sort=True):
        flags.extend(_flags_for_one(_dense(frame, freq), str(dyad), signal, normalised, method))
    return sorted(flags, key=lambda flag: (flag.date, flag.dyad, flag.direction))
