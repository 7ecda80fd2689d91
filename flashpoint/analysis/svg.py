"""Charts as inline SVG strings: the escalation chart, the dyad heatmap and horizontal bars.

Job: draw the brief's charts in plain Python so a report opens anywhere with no network, no CDN and no
JavaScript. Boundary: numbers and labels in, an ``<svg>`` string out; every text is escaped here; no
database, no pandas. Marks carry classes (``fp-bar``, ``fp-line``, ``fp-flag``, ``fp-cell``,
``fp-hbar``) so tests and stylesheets can find them, and a ``<title>`` each, which browsers show as a
tooltip.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date as Date
from html import escape

FONT = "font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:11px"
CONFLICT_COLOUR = "#c0392b"  # red: hostile
COOPERATION_COLOUR = "#2471a3"  # blue: cooperative
LINE_COLOUR = "#222222"
GRID_COLOUR = "#e5e5e5"
TARGET_TICKS = 5  # y-axis ticks wanted; nice_ticks rounds to 1-2-5 steps
HEATMAP_CELL = 34  # pixels per heatmap cell: room for a three-digit count


@dataclass(frozen=True)
class Marker:
    """A flag on the escalation chart: its date, direction (escalation / de-escalation) and tooltip."""

    date: Date
    direction: str
    label: str


def nice_ticks(low: float, high: float, count: int = TARGET_TICKS) -> list[float]:
    """Round tick values covering [low, high] in steps of 1, 2 or 5 times a power of ten."""
    if high <= low:
        high = low + 1.0
    raw = (high - low) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _fmt(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e6 else f"{value:.3g}"


def _svg_open(width: int, height: int, css_class: str, label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fp-chart {css_class}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        f'style="{FONT}">'
        f"<title>{escape(label)}</title>"
    )


def escalation_chart(
    days: Sequence[Date],
    conflict: Sequence[float],
    cooperation: Sequence[float],
    trend: Sequence[float | None],
    markers: Sequence[Marker] = (),
    *,
    width: int = 900,
    height: int = 300,
    label: str = "Conflict and cooperation intensity per day",
) -> str:
    """Bars up for conflict intensity, bars down for cooperation intensity, a line for the trend (a
    rolling mean of conflict) and a triangle with a dashed rule for each flagged day."""
    left, right, top, bottom = 48, 12, 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(days), 1)
    high = max([*conflict, *(v for v in trend if v is not None), 1.0])
    low = -max([*cooperation, 0.0])
    ticks = nice_ticks(low, high)
    y_min, y_max = ticks[0], ticks[-1]

    def y(value: float) -> float:
        return top + plot_h * (y_max - value) / (y_max - y_min)

    slot = plot_w / n

    def x(index: int) -> float:
        return left + slot * (index + 0.5)

    parts = [_svg_open(width, height, "fp-escalation", label)]
    for tick in ticks:
        parts.append(
            f'<line class="fp-grid" x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="{GRID_COLOUR}"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="#555">{_fmt(tick)}</text>'
        )
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#999"/>')
    bar_w = max(slot * 0.8, 1.0)
    for index, day in enumerate(days):
        for value, colour, name in (
            (conflict[index], CONFLICT_COLOUR, "conflict"),
            (-cooperation[index], COOPERATION_COLOUR, "cooperation"),
        ):
            if value == 0:
                continue
            top_y, bottom_y = sorted((y(value), y(0)))
            parts.append(
                f'<rect class="fp-bar fp-bar-{name}" x="{x(index) - bar_w / 2:.1f}" y="{top_y:.1f}" '
                f'width="{bar_w:.1f}" height="{max(bottom_y - top_y, 0.5):.1f}" fill="{colour}" '
                f'fill-opacity="0.75"><title>{day.isoformat()}: {name} {_fmt(abs(value))}</title></rect>'
            )
    points = [f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(trend) if v is not None and not math.isnan(v)]
    if len(points) > 1:
        parts.append(
            f'<polyline class="fp-line" points="{" ".join(points)}" fill="none" stroke="{LINE_COLOUR}" '
            f'stroke-width="2"><title>trend: rolling mean of conflict intensity</title></polyline>'
        )
    positions = {day: index for index, day in enumerate(days)}
    for marker in markers:
        if marker.date not in positions:
            continue
        cx = x(positions[marker.date])
        up = marker.direction == "escalation"
        colour = CONFLICT_COLOUR if up else COOPERATION_COLOUR
        tip = top + 2
        shape = (
            f"{cx - 7:.1f},{tip + 12:.1f} {cx + 7:.1f},{tip + 12:.1f} {cx:.1f},{tip:.1f}"
            if up
            else f"{cx - 7:.1f},{tip:.1f} {cx + 7:.1f},{tip:.1f} {cx:.1f},{tip + 12:.1f}"
        )
        kind = "escalation" if up else "deescalation"
        parts.append(
            f'<g class="fp-flag fp-flag-{kind}" data-date="{marker.date.isoformat()}">'
            f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{tip + 12:.1f}" y2="{top + plot_h:.1f}" '
            f'stroke="{colour}" stroke-dasharray="4 3" stroke-width="1.5"/>'
            f'<polygon points="{shape}" fill="{colour}" stroke="#fff" stroke-width="1"/>'
            f"<title>{escape(marker.label)}</title></g>"
        )
    label_every = max(1, math.ceil(n / 12))
    for index, day in enumerate(days):
        if index % label_every == 0:
            parts.append(
                f'<text class="fp-xlabel" x="{x(index):.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                f'fill="#555">{day.strftime("%b %d")}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _heat_colour(mean_scale: float) -> str:
    """Diverging fill for a mean PLOVER score: red for hostile, blue for cooperative, pale near zero."""
    strength = min(abs(mean_scale) / 10.0, 1.0) ** 0.6
    base = (192, 57, 43) if mean_scale < 0 else (36, 113, 163)
    r, g, b = (round(255 + (c - 255) * strength) for c in base)
    return f"rgb({r},{g},{b})"


def heatmap(
    actors: Sequence[str],
    recipients: Sequence[str],
    counts: dict[tuple[str, str], int],
    mean_scale: dict[tuple[str, str], float],
    *,
    highlight: tuple[str, str] | None = None,
    label: str = "Events per dyad (actor row, recipient column)",
) -> str:
    """A grid of dyads: each cell's number is its event count, its colour the mean PLOVER score."""
    left, top = 64, 64
    width = left + HEATMAP_CELL * len(recipients) + 12
    height = top + HEATMAP_CELL * len(actors) + 12
    parts = [_svg_open(width, height, "fp-heatmap", label)]
    for column, recipient in enumerate(recipients):
        cx = left + HEATMAP_CELL * (column + 0.5)
        parts.append(
            f'<text x="{cx:.1f}" y="{top - 8}" text-anchor="start" '
            f'transform="rotate(-45 {cx:.1f} {top - 8})" fill="#333">{escape(recipient)}</text>'
        )
    for row, actor in enumerate(actors):
        cy = top + HEATMAP_CELL * (row + 0.5)
        parts.append(
            f'<text x="{left - 6}" y="{cy + 4:.1f}" text-anchor="end" fill="#333">{escape(actor)}</text>'
        )
        for column, recipient in enumerate(recipients):
            key = (actor, recipient)
            n = counts.get(key, 0)
            fill = _heat_colour(mean_scale.get(key, 0.0)) if n else "#fafafa"
            stroke = LINE_COLOUR if key == highlight else "#fff"
            x0, y0 = left + HEATMAP_CELL * column, top + HEATMAP_CELL * row
            parts.append(
                f'<rect class="fp-cell" x="{x0}" y="{y0}" width="{HEATMAP_CELL - 1}" '
                f'height="{HEATMAP_CELL - 1}" '
                f'fill="{fill}" stroke="{stroke}" stroke-width="{2 if key == highlight else 1}">'
                f"<title>{escape(actor)} → {escape(recipient)}: {n} events, mean score "
                f"{mean_scale.get(key, 0.0):+.1f}</title></rect>"
            )
            if n:
                shade = "#fff" if abs(mean_scale.get(key, 0.0)) > 5 else "#222"
                parts.append(
                    f'<text x="{x0 + HEATMAP_CELL / 2:.1f}" y="{y0 + HEATMAP_CELL / 2 + 4:.1f}" '
                    f'text-anchor="middle" fill="{shade}" pointer-events="none">{n}</text>'
                )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    labels: Sequence[str],
    conflict: Sequence[int],
    cooperation: Sequence[int],
    *,
    width: int = 440,
    label: str = "Events per actor",
) -> str:
    """Horizontal stacked bars: each actor's conflict events (red) and cooperation events (blue)."""
    left, row_h, top = 120, 22, 8
    height = top + row_h * len(labels) + 8
    high = max([c + k for c, k in zip(conflict, cooperation, strict=True)] or [1]) or 1
    scale = (width - left - 40) / high
    parts = [_svg_open(width, height, "fp-bars", label)]
    for row, name in enumerate(labels):
        y0 = top + row_h * row
        parts.append(
            f'<text x="{left - 6}" y="{y0 + 15}" text-anchor="end" fill="#333">{escape(name)}</text>'
        )
        x0 = float(left)
        for value, colour, kind in (
            (conflict[row], CONFLICT_COLOUR, "conflict"),
            (cooperation[row], COOPERATION_COLOUR, "cooperation"),
        ):
            if value:
                parts.append(
                    f'<rect class="fp-hbar fp-hbar-{kind}" x="{x0:.1f}" y="{y0 + 3}" '
                    f'width="{value * scale:.1f}" height="{row_h - 6}" fill="{colour}" fill-opacity="0.8">'
                    f"<title>{escape(name)}: {value} {kind} events</title></rect>"
                )
                x0 += value * scale
        parts.append(
            f'<text x="{x0 + 4:.1f}" y="{y0 + 15}" fill="#555">{conflict[row] + cooperation[row]}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
