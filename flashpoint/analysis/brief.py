"""The crisis brief: one self-contained report on a dyad (or the whole corpus) over a date range.

Job: gather the brief's numbers from the store (headline counts, the daily series and its escalation
flags with their driver events, the dyad heatmap, the top actors, the timeline with evidence) into a
:class:`Brief`, and render it as HTML (inline CSS and inline SVG charts from :mod:`.svg`: no network, no
JavaScript) or Markdown (the same charts as data-URI images, and tables). Boundary: reads through
:mod:`.series`, :mod:`.escalation` and :mod:`.timeline` plus a few parameterised queries; writes one
file in :func:`write_brief`; no command-line parsing.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date as Date
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..errors import FlashpointError
from ..store.queries import fetch_dicts
from . import svg
from .escalation import DEESCALATION, DEFAULT_METHOD, ESCALATION, Flag, Method, detect_escalation
from .series import (
    COUNTED_MODALITIES,
    COUNTED_PRECISIONS,
    Connection,
    article_counts,
    check_dates,
    connection,
    counted_clause,
    date_clause,
    dyad_series,
    overall_series,
    parse_dyad_spec,
)
from .timeline import timeline

HTML_SUFFIXES = (".html", ".htm")
MARKDOWN_SUFFIXES = (".md", ".markdown")
TREND_DAYS = 7  # the chart's trend line: a trailing weekly mean smooths day-of-week and sparse-day noise
TOP_ACTORS = 10  # actors in the bar chart and the names table
HEATMAP_SIZE = 8  # actors (rows) and recipients (columns) in the heatmap
TIMELINE_PER_DAY = 3  # timeline entries per day in the brief: the day's headlines
SENTENCE_CHARS = 320  # evidence shown per entry in the brief; the full sentence is in the store


@dataclass
class Brief:
    """Everything a brief shows, as data (the renderers only format it)."""

    scope: str  # "all events" or "RUS → UKR"
    dyad: str | None
    date_from: str | None
    date_to: str | None
    headline: dict[str, Any]
    days: list[Date]
    conflict: list[float]
    cooperation: list[float]
    trend: list[float | None]
    flags: list[Flag]
    drivers: dict[str, dict[str, Any]]  # event id -> {date, event, actor, recipient, sentence, url, title}
    heat_actors: list[str]
    heat_recipients: list[str]
    heat_counts: dict[tuple[str, str], int]
    heat_scale: dict[tuple[str, str], float]
    top_actors: list[dict[str, Any]]  # {code, conflict, cooperation, events}
    top_names: list[dict[str, Any]]  # {name, code, events}
    timeline: list[dict[str, Any]]
    method: Method = field(default_factory=Method)


def _counted_events(con: Any, date_from: str | None, date_to: str | None) -> list[dict[str, Any]]:
    counted, params = counted_clause(COUNTED_MODALITIES, COUNTED_PRECISIONS)
    dates, date_params = date_clause(date_from, date_to)
    sql = (
        "SELECT id, actor, actor_code, recipient_code, quad_code, event_scale FROM events"
        f" WHERE {counted} AND {dates}"
    )
    return fetch_dicts(con, sql, [*params, *date_params])


def _driver_details(con: Any, ids: list[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    rows = fetch_dicts(
        con,
        """
        SELECT e.id, e.date, e.event, e.mode, e.event_scale, e.actor_code, e.actor_sector, e.recipient_code,
               e.recipient_sector, coalesce(e.sentence, e.event_text) AS sentence, a.url, a.title
        FROM events e LEFT JOIN articles a ON a.story_id = e.story_id
        WHERE e.id IN (SELECT unnest(CAST(? AS VARCHAR[])))
        """,
        [ids],
    )
    return {row["id"]: row for row in rows}


def _heatmap(events: list[dict[str, Any]]) -> tuple[list[str], list[str], dict, dict]:
    dyads = [(e["actor_code"], e["recipient_code"], e["event_scale"] or 0.0) for e in events]
    dyads = [d for d in dyads if d[0] and d[1]]
    actors = [code for code, _ in Counter(a for a, _, _ in dyads).most_common(HEATMAP_SIZE)]
    recipients = [code for code, _ in Counter(r for _, r, _ in dyads).most_common(HEATMAP_SIZE)]
    counts: Counter[tuple[str, str]] = Counter()
    totals: Counter[tuple[str, str]] = Counter()
    for actor, recipient, scale in dyads:
        counts[(actor, recipient)] += 1
        totals[(actor, recipient)] += scale
    means = {key: totals[key] / n for key, n in counts.items()}
    return actors, recipients, dict(counts), means


def _top_actors(events: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    conflict: Counter[str] = Counter()
    cooperation: Counter[str] = Counter()
    names: Counter[tuple[str, str]] = Counter()
    for event in events:
        code = event["actor_code"]
        if not code:
            continue
        if (event["quad_code"] or 0) >= 3:
            conflict[code] += 1
        else:
            cooperation[code] += 1
        for person in json.loads(event["actor"] or "[]")[:1]:
            name = person.get("entity_name") or person.get("entity_text")
            if name:
                names[(name, person.get("code") or code)] += 1
    ranked = sorted(set(conflict) | set(cooperation), key=lambda c: (-(conflict[c] + cooperation[c]), c))
    top = [
        {
            "code": c,
            "conflict": conflict[c],
            "cooperation": cooperation[c],
            "events": conflict[c] + cooperation[c],
        }
        for c in ranked[:TOP_ACTORS]
    ]
    top_names = [{"name": n, "code": c, "events": k} for (n, c), k in names.most_common(TOP_ACTORS)]
    return top, top_names


def build_brief(
    con: Connection,
    dyad: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    *,
    method: Method = DEFAULT_METHOD,
    per_day: int = TIMELINE_PER_DAY,
) -> Brief:
    """Gather a brief: for ``dyad`` (``"RUS-UKR"``, directed) or, without one, all events; dates are
    ``YYYY-MM-DD`` strings, both included. The escalation flags come from :func:`detect_escalation`
    with ``method`` on the daily series; the timeline keeps ``per_day`` entries a day."""
    check_dates(date_from, date_to)
    db = connection(con)
    if dyad is not None:
        (actor, actor_sector), (recipient, recipient_sector) = parse_dyad_spec(dyad)
        scope = f"{actor}{'/' + actor_sector if actor_sector else ''} → {recipient}"
        scope += f"/{recipient_sector}" if recipient_sector else ""
        series = dyad_series(db, dyad, "day", date_from=date_from, date_to=date_to)
    else:
        scope = "all events"
        series = overall_series(db, "day", date_from=date_from, date_to=date_to)
    if dyad is not None and series.empty:  # no event for this dyad: an empty chart over the corpus's days
        series = overall_series(db, "day", date_from=date_from, date_to=date_to).assign(
            **{name: 0 for name in ("n_events", "verbal_conflict", "material_conflict")},
            conflict_intensity=0.0,
            cooperation_intensity=0.0,
        )
        series["conflict_event_ids"] = [[] for _ in range(len(series))]
        series["cooperation_event_ids"] = [[] for _ in range(len(series))]
    flags = detect_escalation(series, method)
    drivers = _driver_details(db, sorted({i for flag in flags for i in flag.driver_event_ids}))
    events = _counted_events(db, date_from, date_to)
    heat_actors, heat_recipients, heat_counts, heat_scale = _heatmap(events)
    top, top_names = _top_actors(events)
    days = [stamp.date() for stamp in pd.to_datetime(series["period"])]
    conflict = series["conflict_intensity"].astype(float).tolist()
    trend = pd.Series(conflict).rolling(TREND_DAYS, min_periods=1).mean().tolist()
    articles = article_counts(db, date_from, date_to)
    n_conflict = int(series["verbal_conflict"].sum() + series["material_conflict"].sum())
    n_events = int(series["n_events"].sum())
    peak = int(pd.Series(conflict).idxmax()) if conflict and max(conflict) > 0 else None
    busiest = max(heat_counts.items(), key=lambda item: (item[1], item[0]), default=None)
    headline = {
        "first_day": days[0].isoformat() if days else None,
        "last_day": days[-1].isoformat() if days else None,
        "articles": int(articles.sum()),
        "events": n_events,
        "conflict_events": n_conflict,
        "conflict_share": round(n_conflict / n_events, 3) if n_events else 0.0,
        "peak_day": days[peak].isoformat() if peak is not None else None,
        "peak_conflict_intensity": conflict[peak] if peak is not None else 0.0,
        "escalations": sum(flag.direction == ESCALATION for flag in flags),
        "de_escalations": sum(flag.direction == DEESCALATION for flag in flags),
        "busiest_dyad": f"{busiest[0][0]}-{busiest[0][1]}" if busiest else None,
        "busiest_dyad_events": busiest[1] if busiest else 0,
    }
    return Brief(
        scope=scope,
        dyad=dyad,
        date_from=date_from,
        date_to=date_to,
        headline=headline,
        days=days,
        conflict=conflict,
        cooperation=series["cooperation_intensity"].astype(float).tolist(),
        trend=trend,
        flags=flags,
        drivers=drivers,
        heat_actors=heat_actors,
        heat_recipients=heat_recipients,
        heat_counts=heat_counts,
        heat_scale=heat_scale,
        top_actors=top,
        top_names=top_names,
        timeline=timeline(db, dyad=dyad, date_from=date_from, date_to=date_to, per_day=per_day),
        method=method,
    )


# ---------------------------------------------------------------- shared pieces


def _flag_label(flag: Flag) -> str:
    arrow = "escalation" if flag.direction == ESCALATION else "de-escalation"
    return (
        f"{flag.date.isoformat()}: {arrow} (z {flag.score:+.1f}; conflict intensity {flag.level:.1f} a day "
        f"against {flag.baseline_level:.1f} before)"
    )


def _side(code: str | None, sector: str | None) -> str:
    return f"{code}/{sector}" if code and sector else (code or "?")


def _driver_line(row: dict[str, Any]) -> str:
    return (
        f"{row['event']} {_side(row['actor_code'], row['actor_sector'])} → "
        f"{_side(row['recipient_code'], row['recipient_sector'])} ({row['event_scale'] or 0:+g})"
    )


def _short(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SENTENCE_CHARS else text[: SENTENCE_CHARS - 1] + "…"


def _charts(brief: Brief) -> dict[str, str]:
    markers = [svg.Marker(flag.date, flag.direction, _flag_label(flag)) for flag in brief.flags]
    highlight = None
    if brief.dyad:
        (actor, _), (recipient, _) = parse_dyad_spec(brief.dyad)
        highlight = (actor, recipient)
    return {
        "escalation": svg.escalation_chart(
            brief.days, brief.conflict, brief.cooperation, brief.trend, markers
        ),
        "heatmap": svg.heatmap(
            brief.heat_actors, brief.heat_recipients, brief.heat_counts, brief.heat_scale, highlight=highlight
        ),
        "actors": svg.bar_chart(
            [a["code"] for a in brief.top_actors],
            [a["conflict"] for a in brief.top_actors],
            [a["cooperation"] for a in brief.top_actors],
        ),
    }


def _headline_items(brief: Brief) -> list[tuple[str, str]]:
    h = brief.headline
    corpus = " (whole corpus)" if brief.dyad else ""  # articles and the heatmap are not per dyad
    return [
        ("Period", f"{h['first_day'] or '–'} to {h['last_day'] or '–'}"),
        ("Articles" + corpus, str(h["articles"])),
        ("Events", f"{h['events']} ({h['conflict_share']:.0%} conflict)"),
        ("Peak conflict day", f"{h['peak_day'] or '–'} (intensity {h['peak_conflict_intensity']:g})"),
        ("Flags", f"{h['escalations']} escalation, {h['de_escalations']} de-escalation"),
        ("Busiest dyad" + corpus, f"{h['busiest_dyad'] or '–'} ({h['busiest_dyad_events']} events)"),
    ]


METHOD_NOTE = (
    "Counted: asserted events dated to the day, week or article. Conflict intensity is the sum of "
    "−PLOVER score over a day's hostile events (cooperation likewise over cooperative ones); the line is "
    "its trailing {trend}-day mean. Flags: a rolling-baseline test of conflict intensity (recent {window} "
    "days, or {calm} for calm, against the {baseline} before): |z| ≥ {threshold:g}, conflict at least "
    "×{ratio:g} (or ÷{ratio:g}) and at least {events} conflict events; each flag is dated on its first day "
    "and lists the events that drove it."
)


def _method_note(brief: Brief) -> str:
    m = brief.method
    return METHOD_NOTE.format(
        trend=TREND_DAYS,
        window=m.window,
        calm=m.calm_window,
        baseline=m.baseline,
        threshold=m.threshold,
        ratio=m.min_ratio,
        events=m.min_events,
    )


# ---------------------------------------------------------------- HTML

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:960px;color:#222;
line-height:1.4;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
.sub{color:#666;margin-top:0}.cards{display:grid;grid-template-columns:repeat(3,1fr);gap:.6rem}
.card{border:1px solid #ddd;border-radius:6px;padding:.5rem .7rem}.card b{display:block;font-size:1.05rem}
.card span{color:#666;font-size:.8rem}table{border-collapse:collapse;width:100%;font-size:.85rem}
td,th{border-bottom:1px solid #eee;padding:.3rem .4rem;text-align:left;vertical-align:top}
.escalation{color:#c0392b;font-weight:600}.de-escalation{color:#2471a3;font-weight:600}
.day{margin-top:1rem;font-weight:600}.day.flagged{color:#c0392b}.entry{margin:.3rem 0 .3rem 1rem}
.ev{color:#444;font-size:.85rem;margin-left:1rem}.meta{color:#777;font-size:.8rem}
.row{display:flex;gap:2rem;flex-wrap:wrap;align-items:flex-start}.note{color:#666;font-size:.8rem}
svg{max-width:100%;height:auto}
"""


def _link(url: str, text: str) -> str:
    if url.startswith(("http://", "https://")):
        return f'<a href="{escape(url)}" rel="noopener">{escape(text)}</a>'
    return escape(text)


def render_html(brief: Brief) -> str:
    """The brief as one self-contained HTML page."""
    charts = _charts(brief)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>flashpoint brief: {escape(brief.scope)}</title><style>{CSS}</style></head><body>",
        f"<h1>Crisis brief: {escape(brief.scope)}</h1>",
        f'<p class="sub">flashpoint {escape(__version__)} · PLOVER-coded events from the store</p>',
        '<section id="headline"><h2>Headline</h2><div class="cards">',
    ]
    for name, value in _headline_items(brief):
        out.append(f'<div class="card"><b>{escape(value)}</b><span>{escape(name)}</span></div>')
    out.append("</div></section>")
    out.append('<section id="escalation"><h2>Escalation</h2>')
    out.append(charts["escalation"])
    out.append(f'<p class="note">{escape(_method_note(brief))}</p>')
    if brief.flags:
        out.append("<table><tr><th>day</th><th>flag</th><th>z</th><th>driven by</th></tr>")
        for flag in brief.flags:
            lines = []
            for event_id in flag.driver_event_ids[:5]:
                row = brief.drivers.get(event_id)
                if row:
                    lines.append(
                        f"{escape(_driver_line(row))} — <i>{escape(_short(row['sentence'] or ''))}</i> "
                        f"{_link(row['url'] or '', '[article]') if row['url'] else ''}"
                    )
            drivers = "<br>".join(lines) or "no single event: conflict fell silent"
            out.append(
                f'<tr><td>{flag.date.isoformat()}</td><td class="{flag.direction}">{flag.direction}</td>'
                f"<td>{flag.score:+.1f}</td><td>{drivers}</td></tr>"
            )
        out.append("</table>")
    else:
        out.append("<p>No escalation or de-escalation was flagged in this period.</p>")
    out.append("</section>")
    out.append('<section id="dyads"><h2>Dyads</h2><div class="row">')
    out.append(charts["heatmap"])
    out.append(
        '<p class="note">Rows act on columns. A cell counts events; red is hostile, blue cooperative '
        "(the mean PLOVER score).</p></div></section>"
    )
    out.append('<section id="actors"><h2>Top actors</h2><div class="row">')
    out.append(charts["actors"])
    out.append("<table><tr><th>actor</th><th>code</th><th>events</th></tr>")
    for row in brief.top_names:
        out.append(
            f"<tr><td>{escape(row['name'])}</td><td>{escape(row['code'])}</td><td>{row['events']}</td></tr>"
        )
    out.append("</table></div></section>")
    out.append('<section id="timeline"><h2>Timeline</h2>')
    flagged = {flag.date.isoformat(): flag for flag in brief.flags}
    current = None
    for entry in brief.timeline:
        if entry["date"] != current:
            current = entry["date"]
            flag = flagged.get(current)
            mark = f" — {flag.direction} flagged" if flag else ""
            out.append(f'<div class="day{" flagged" if flag else ""}">{escape(current)}{escape(mark)}</div>')
        who = f"{entry['actor'] or '?'} → {entry['recipient'] or '–'}"
        names = " / ".join(n for n in (entry["actor_name"], entry["recipient_name"]) if n)
        out.append(
            f'<div class="entry"><b>{escape(entry["event"])}</b> {escape(who)} '
            f'<span class="meta">{escape(names)} · score {entry["event_scale"] or 0:+g} · '
            f"{entry['mentions']} "
            f"mention{'s' if entry['mentions'] != 1 else ''}, {entry['sources']} source"
            f"{'s' if entry['sources'] != 1 else ''}</span>"
        )
        for evidence in entry["evidence"]:
            title = evidence["title"] or evidence["story_id"]
            out.append(
                f'<div class="ev">“{escape(_short(evidence["sentence"]))}” — '
                f"{_link(evidence['url'], title)}</div>"
            )
        out.append("</div>")
    if not brief.timeline:
        out.append("<p>No events in this period.</p>")
    out.append("</section></body></html>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- Markdown


def _image(svg_text: str, alt: str) -> str:
    data = base64.b64encode(svg_text.encode("utf-8")).decode("ascii")
    return f"![{alt}](data:image/svg+xml;base64,{data})"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(brief: Brief) -> str:
    """The brief as Markdown: headline bullets, charts as data-URI SVG images, tables, the timeline."""
    charts = _charts(brief)
    out = [f"# Crisis brief: {brief.scope}", "", f"*flashpoint {__version__} · PLOVER-coded events*", ""]
    out += ["## Headline", ""] + [f"- **{name}:** {value}" for name, value in _headline_items(brief)] + [""]
    out += [
        "## Escalation",
        "",
        _image(charts["escalation"], "escalation chart"),
        "",
        _method_note(brief),
        "",
    ]
    if brief.flags:
        out += ["| day | flag | z | driven by |", "|---|---|---|---|"]
        for flag in brief.flags:
            lines = [
                f"{_driver_line(row)}: “{_short(row['sentence'] or '')}”"
                for row in (brief.drivers.get(i) for i in flag.driver_event_ids[:5])
                if row
            ]
            drivers = "<br>".join(_cell(line) for line in lines) or "conflict fell silent"
            out.append(f"| {flag.date.isoformat()} | {flag.direction} | {flag.score:+.1f} | {drivers} |")
        out.append("")
    else:
        out += ["No escalation or de-escalation was flagged in this period.", ""]
    out += ["## Dyads", "", _image(charts["heatmap"], "dyad heatmap"), ""]
    out += [
        "## Top actors",
        "",
        _image(charts["actors"], "top actors"),
        "",
        "| actor | code | events |",
        "|---|---|---|",
    ]
    out += [f"| {_cell(row['name'])} | {row['code']} | {row['events']} |" for row in brief.top_names] + [""]
    out += ["## Timeline", ""]
    flagged = {flag.date.isoformat(): flag for flag in brief.flags}
    current = None
    for entry in brief.timeline:
        if entry["date"] != current:
            current = entry["date"]
            flag = flagged.get(current)
            out += ["", f"### {current}{' — ' + flag.direction + ' flagged' if flag else ''}", ""]
        who = f"{entry['actor'] or '?'} → {entry['recipient'] or '–'}"
        out.append(
            f"- **{entry['event']}** {who} (score {entry['event_scale'] or 0:+g}, "
            f"{entry['mentions']} mentions, {entry['sources']} sources)"
        )
        for evidence in entry["evidence"]:
            title = _cell(evidence["title"] or evidence["story_id"])
            link = f"[{title}]({evidence['url']})" if evidence["url"] else title
            out.append(f"  - “{_cell(_short(evidence['sentence']))}” — {link}")
    if not brief.timeline:
        out.append("No events in this period.")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- file


def write_brief(
    con: Connection,
    out: str | Path,
    dyad: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> Path:
    """Build the brief and write it to ``out``: HTML for ``.html``/``.htm``, Markdown for ``.md``.
    Raises FlashpointError E208 for another suffix or a file that cannot be written."""
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in HTML_SUFFIXES + MARKDOWN_SUFFIXES:
        raise FlashpointError("E208", path=str(path), detail="give a .html or .md file name")
    brief = build_brief(con, dyad, date_from, date_to)
    text = render_html(brief) if suffix in HTML_SUFFIXES else render_markdown(brief)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise FlashpointError("E208", path=str(path), detail=err.strerror or err) from err
    return path
