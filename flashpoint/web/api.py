"""The REST routes under /api: events, tallies, series, flags, timelines, articles, the world map.

Each route checks its parameters (models, then :mod:`.filters`), runs parameterised read queries on a
cursor of its own, and returns JSON. Errors are raised as :class:`~.errors.ApiError` and answered in
the one error shape by the handlers in :mod:`.errors`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from .. import __version__
from ..analysis.timeline import timeline
from .database import ReadOnlyDatabase
from .errors import ERROR_RESPONSES, ApiError
from .filters import EventFilters, Vocabulary, actor_code, country_code, date_range, series_dyad
from .models import (
    MAX_PAGE_SIZE,
    EscalationQuery,
    EventQuery,
    ListQuery,
    SeriesQuery,
    TimelineQuery,
)
from .queries import (
    actor_counts,
    article,
    article_events,
    dyad_counts,
    events_page,
    evidence_spans,
    place_counts,
    volume_by_type,
)
from .series import SeriesService
from .worldmap import world

MAX_STORY_ID = 500  # characters; story ids are file names or hashes


@dataclass
class WebState:
    """What every request needs: the database, the codes filters may name, the series cache."""

    db: ReadOnlyDatabase
    vocabulary: Vocabulary
    series: SeriesService


router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)


def _state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def _filters(state: WebState, query: Any) -> EventFilters:
    return EventFilters.parse(state.vocabulary, **query.filter_fields())


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


@router.get("/health", summary="Is the server up, and what does its database hold?")
def health(request: Request) -> dict[str, Any]:
    state = _state(request)
    with state.db.cursor() as con:
        events, articles = con.execute(
            "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM articles)"
        ).fetchone() or (0, 0)
        version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return {
        "status": "ok",
        "version": __version__,
        "database": state.db.path,
        "read_only": True,
        "schema_version": version[0] if version else None,
        "events": events,
        "articles": articles,
        "series_cache": {"warm": state.series.warmed.is_set(), "entries": state.series.size},
    }


def _events(state: WebState, query: EventQuery) -> JSONResponse:
    if query.page_size > MAX_PAGE_SIZE:
        raise ApiError("E305", param="page_size", value=query.page_size, limit=MAX_PAGE_SIZE)
    filters = _filters(state, query)
    with state.db.cursor() as con:
        records, total = events_page(con, filters, query.page, query.page_size, query.order)
    return JSONResponse(
        {
            "events": records,
            "page": query.page,
            "page_size": query.page_size,
            "total": total,
            "pages": -(-total // query.page_size),
        }
    )


@router.get("/events", summary="Events matching the filters, one page at a time")
def list_events(request: Request, query: Annotated[EventQuery, Query()]) -> JSONResponse:
    """Each event is flashpoint's PLOVER record (as `flashpoint code --format jsonl` writes it) plus
    `story_title`; `total` counts every match, `pages` the pages of this size."""
    return _events(_state(request), query)


@router.post("/events/search", summary="The same as GET /api/events, with the filters as a JSON body")
def search_events(request: Request, query: Annotated[EventQuery, Body()]) -> JSONResponse:
    return _events(_state(request), query)


def _counted(
    request: Request, query: ListQuery, count: Callable[[Any, Any], list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """Rows of one of the store's count queries, run with the request's filters on a cursor of its own."""
    state = _state(request)
    filters = _filters(state, query)
    with state.db.cursor() as con:
        return count(con, filters)


@router.get("/dyads", summary="Directed dyads (first actor → first recipient) by number of events")
def dyads(request: Request, query: Annotated[ListQuery, Query()]) -> dict[str, Any]:
    return {"dyads": _counted(request, query, lambda con, f: dyad_counts(con, f, query.limit))}


@router.get("/actors", summary="Actor codes by how often they act and are acted upon")
def actors(request: Request, query: Annotated[ListQuery, Query()]) -> dict[str, Any]:
    names = _state(request).vocabulary.names
    rows = _counted(request, query, lambda con, f: actor_counts(con, f, query.limit))
    return {"actors": [{**row, "name": names.get(row["code"], row["code"])} for row in rows]}


@router.get("/types", summary="Events per PLOVER type and quad class")
def types(request: Request, query: Annotated[ListQuery, Query()]) -> dict[str, Any]:
    return {"types": _counted(request, query, volume_by_type)[: query.limit]}


@router.get("/places", summary="Located events grouped by place, for the map")
def places(request: Request, query: Annotated[ListQuery, Query()]) -> dict[str, Any]:
    return {"places": _counted(request, query, lambda con, f: place_counts(con, f, query.limit))}


@router.get("/series", summary="Dyad time series (counts per quad class, intensity) with escalation flags")
def series(request: Request, query: Annotated[SeriesQuery, Query()]) -> JSONResponse:
    """Without `dyad`: one series over all events (or those involving `country`). One object per
    dyad: `periods` and one list per measure, aligned. Series by flashpoint.analysis.series, flags by
    flashpoint.analysis.escalation; /api/events?counted=true lists the events behind a point."""
    state = _state(request)
    first, last = date_range(query.date_from, query.date_to)
    dyad = series_dyad(query.dyad, state.vocabulary)
    country = country_code(query.country, "country", state.vocabulary)
    if dyad is not None and country is not None:
        raise ApiError("E301", param="country", detail="give a dyad or a country, not both")
    key = (dyad, country, query.freq, query.level, _iso(first), _iso(last))
    return Response(state.series.body(key, query.flags), media_type="application/json")


@router.get("/escalation", summary="Escalation and de-escalation flags of the busiest dyads, newest first")
def escalation(request: Request, query: Annotated[EscalationQuery, Query()]) -> dict[str, Any]:
    state = _state(request)
    first, last = date_range(query.date_from, query.date_to)
    filters = EventFilters(date_from=first, date_to=last)
    with state.db.cursor() as con:
        busiest = [row["dyad"] for row in dyad_counts(con, filters, query.limit)]
    flags = state.series.flags(busiest, query.freq, _iso(first), _iso(last))
    return {"dyads": busiest, "flags": flags}


@router.get("/timeline", summary="The salient events of a dyad, actor or country, day by day")
def get_timeline(request: Request, query: Annotated[TimelineQuery, Query()]) -> dict[str, Any]:
    state = _state(request)
    first, last = date_range(query.date_from, query.date_to)
    dyad = series_dyad(query.dyad, state.vocabulary)
    actor = actor_code(query.actor, "actor", state.vocabulary)
    country = country_code(query.country, "country", state.vocabulary)
    with state.db.cursor() as con:
        items = timeline(
            con,
            dyad=dyad,
            actor=actor,
            country=country,
            date_from=_iso(first),
            date_to=_iso(last),
            per_day=query.per_day,
        )
    return {"timeline": items}


@router.get("/articles/{story_id:path}", summary="One article's text with the evidence span of each event")
def get_article(
    request: Request,
    story_id: Annotated[str, Path(description="the article's story id", max_length=MAX_STORY_ID)],
) -> dict[str, Any]:
    """`spans` are character offsets into `text`: each event's evidence and, where it is found
    inside, its trigger. An event whose evidence is not in the text has no span."""
    state = _state(request)
    with state.db.cursor() as con:
        found = article(con, story_id)
        if found is None:
            raise ApiError("E307", param="story_id", story_id=story_id[:80])
        events = article_events(con, story_id)
    spans = [span for event in events for span in evidence_spans(found["text"], event)]
    return {"article": found, "events": events, "spans": spans}


@router.get("/map/world", summary="Country outlines for the map (SVG paths, x = longitude, y = −latitude)")
def world_map() -> JSONResponse:
    return JSONResponse(world(), headers={"Cache-Control": "public, max-age=86400"})
