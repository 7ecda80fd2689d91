"""How well the escalation detector finds known change points in synthetic dyad series.

Usage::

    .venv/bin/python benchmarks/escalation_synthetic.py [--series N] [--seed S] [--tolerance D]

Each synthetic dyad runs for 150 days. Conflict and cooperation events arrive as Poisson processes
whose daily rates are multiplied by gamma noise (news is burstier than Poisson: shape 4, a coefficient
of variation of 0.5), and each event carries a PLOVER score drawn from the scores of real types
(conflict −2 … −10, cooperation +1.5 … +10). The conflict rate is piecewise constant: a calm base
rate (0.5 to 15 events a day: from a sparse dyad like the example corpus's to a busy one) that steps
up by a factor of 2.5 to 5 for an escalation and back down for a de-escalation, every 20 to 40 days,
so each series holds three or four known change points. Article volume follows the events (a topical
corpus). The events go through :func:`flashpoint.analysis.series.aggregate_series`, the same
aggregation as the store's, and the detector runs with its defaults.

A flag is a true positive when it has the direction of a change point not yet matched and its date
falls from 3 days before it to ``tolerance`` days (default 7) after it. Printed: precision (true
flags / all flags), recall (change points found / all change points), the mean detection delay in days
from change point to flag (the flag is raised on its own date, from data up to that day: what an
analyst watching daily would wait), the mean absolute gap between the two, and false flags per
series-year.
``tests/analysis/test_escalation.py`` asserts floors on the same numbers.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import numpy as np
import pandas as pd

from flashpoint.analysis.escalation import DEESCALATION, ESCALATION, Flag, detect_escalation
from flashpoint.analysis.series import aggregate_series

DAYS = 150  # length of each synthetic series
START = pd.Timestamp("2020-01-01")
SEGMENT_DAYS = (20, 40)  # days between change points: crises move in weeks, not days
BASE_RATE = (0.5, 15.0)  # calm conflict events per day: sparse to busy dyads
STEP_FACTOR = (2.5, 5.0)  # how much an escalation multiplies the conflict rate
COOPERATION_RATE = 0.6  # cooperation events per conflict event in calm times (talks go on)
BURST_SHAPE = 4.0  # gamma shape of the day-to-day rate noise (CV 0.5): news is bursty
CONFLICT_SCORES = (-2.0, -3.0, -3.5, -5.0, -6.0, -6.5, -7.0, -9.0, -10.0)  # PLOVER conflict scores
COOPERATION_SCORES = (1.5, 2.5, 4.0, 4.5, 5.0, 6.5, 8.0, 10.0)  # PLOVER cooperation scores
ARTICLES_PER_EVENT = 0.5  # a topical corpus: about one article per two coded events, plus a floor
TOLERANCE_DAYS = 7  # a flag this many days after a change still counts as finding it
EARLY_DAYS = 3  # a flag may precede the change by days: noisy days just before it can tip the window


@dataclass(frozen=True)
class ChangePoint:
    day: pd.Timestamp
    direction: str


@dataclass(frozen=True)
class Result:
    precision: float
    recall: float
    mean_delay: float
    mean_abs_gap: float
    false_flags_per_year: float
    n_flags: int
    n_change_points: int


def synthetic_series(
    rng: np.random.Generator, dyad: str = "AAA-BBB"
) -> tuple[pd.DataFrame, list[ChangePoint]]:
    """One synthetic dyad's series (the documented columns) and its true change points."""
    base = rng.uniform(*BASE_RATE)
    rates = np.empty(DAYS)
    changes: list[ChangePoint] = []
    day, high = 0, False
    while day < DAYS:
        length = int(rng.integers(*SEGMENT_DAYS, endpoint=True))
        rates[day : day + length] = base * (rng.uniform(*STEP_FACTOR) if high else 1.0)
        day += length
        if day < DAYS:
            high = not high
            changes.append(ChangePoint(START + pd.Timedelta(days=day), ESCALATION if high else DEESCALATION))
    bursts = rng.gamma(BURST_SHAPE, 1.0 / BURST_SHAPE, DAYS)
    conflict = rng.poisson(rates * bursts)
    cooperation = rng.poisson(base * COOPERATION_RATE * rng.gamma(BURST_SHAPE, 1.0 / BURST_SHAPE, DAYS))
    rows = []
    for offset in range(DAYS):
        date = START + pd.Timedelta(days=offset)
        for kind, n, scores, quads in (
            ("c", conflict[offset], CONFLICT_SCORES, (3, 4)),
            ("k", cooperation[offset], COOPERATION_SCORES, (1, 2)),
        ):
            for index in range(n):
                score = float(rng.choice(scores))
                quad = quads[1] if abs(score) >= 5 else quads[0]
                rows.append((f"{kind}{offset}-{index}", date, "AAA", "BBB", quad, score))
    events = pd.DataFrame(rows, columns=["id", "date", "actor", "recipient", "quad_code", "event_scale"])
    events["dyad"] = dyad
    volume = rng.poisson(ARTICLES_PER_EVENT * (conflict + cooperation) + 1)
    articles = pd.Series(volume, index=pd.date_range(START, periods=DAYS, freq="D"))
    return aggregate_series(events, articles, "day"), changes


def match(flags: list[Flag], changes: list[ChangePoint], tolerance: int) -> list[tuple[Flag, ChangePoint]]:
    """Greedy one-to-one matching of flags to change points of the same direction, in date order."""
    pairs: list[tuple[Flag, ChangePoint]] = []
    used: set[int] = set()
    for flag in sorted(flags, key=lambda f: f.date):
        when = pd.Timestamp(flag.date)
        for index, change in enumerate(changes):
            lag = (when - change.day).days
            if index not in used and change.direction == flag.direction and -EARLY_DAYS <= lag <= tolerance:
                used.add(index)
                pairs.append((flag, change))
                break
    return pairs


def run_benchmark(n_series: int = 200, seed: int = 7, tolerance: int = TOLERANCE_DAYS) -> Result:
    """Precision, recall and delay of :func:`detect_escalation` with its defaults over ``n_series``."""
    rng = np.random.default_rng(seed)
    n_flags = n_changes = n_matched = 0
    delays: list[int] = []
    gaps: list[int] = []
    for _ in range(n_series):
        series, changes = synthetic_series(rng)
        flags = detect_escalation(series)
        pairs = match(flags, changes, tolerance)
        n_flags += len(flags)
        n_changes += len(changes)
        n_matched += len(pairs)
        delays.extend((pd.Timestamp(flag.date) - change.day).days for flag, change in pairs)
        gaps.extend(abs((pd.Timestamp(flag.date) - change.day).days) for flag, change in pairs)
    return Result(
        precision=n_matched / n_flags if n_flags else 0.0,
        recall=n_matched / n_changes if n_changes else 0.0,
        mean_delay=float(np.mean(delays)) if delays else float("nan"),
        mean_abs_gap=float(np.mean(gaps)) if gaps else float("nan"),
        false_flags_per_year=(n_flags - n_matched) / (n_series * DAYS / 365.0),
        n_flags=n_flags,
        n_change_points=n_changes,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--series", type=int, default=200, help="synthetic dyads to generate")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tolerance", type=int, default=TOLERANCE_DAYS, help="days a flag may lag a change")
    args = parser.parse_args()
    result = run_benchmark(args.series, args.seed, args.tolerance)
    print(f"series {args.series}, change points {result.n_change_points}, flags {result.n_flags}")
    print(f"precision {result.precision:.3f}")
    print(f"recall    {result.recall:.3f}")
    print(f"mean delay {result.mean_delay:.2f} days (change point to flag)")
    print(f"mean |flag - change| {result.mean_abs_gap:.2f} days (tolerance {args.tolerance})")
    print(f"false flags per series-year {result.false_flags_per_year:.2f}")


if __name__ == "__main__":
    main()
