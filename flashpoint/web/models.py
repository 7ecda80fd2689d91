"""The API's parameters, declared once as Pydantic models (query strings and the JSON search body).

The models check types and ranges and refuse unknown parameters, so a misspelt filter (``acotr=RUS``)
is an error instead of a silently unfiltered answer. Meaning-level checks (is RUS a known code, is
the range the right way round) live in :mod:`.filters`, shared by every route.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_PAGE_SIZE = 500  # events a page: enough for a table, small enough to answer in milliseconds
DEFAULT_PAGE_SIZE = 50
MAX_PAGE = 1_000_000  # keeps the offset a sane number; nobody pages a million times
MAX_LIST = 1_000  # rows of a dyad, actor or place tally
DEFAULT_LIST = 25
MAX_ESCALATION_DYADS = 50  # dyads scanned for flags in one request: each is a series to compute

Freq = Literal["day", "week"]
Level = Literal["country", "sector"]


class FilterParams(BaseModel):
    """The event filters every listing route accepts."""

    model_config = ConfigDict(extra="forbid")

    date_from: str | None = Field(
        None, description="first day, YYYY-MM-DD (inclusive)", examples=["2014-03-01"]
    )
    date_to: str | None = Field(None, description="last day, YYYY-MM-DD (inclusive)", examples=["2014-03-31"])
    actor: str | None = Field(None, description="code of the event's first actor, e.g. RUS", examples=["RUS"])
    recipient: str | None = Field(None, description="code of the event's first recipient, e.g. UKR")
    dyad: str | None = Field(
        None, description="ACTOR-RECIPIENT, e.g. RUS-UKR (directed)", examples=["RUS-UKR"]
    )
    type: str | None = Field(None, description="PLOVER event type(s), comma-separated, e.g. ASSAULT,COERCE")
    quad: int | None = Field(None, ge=1, le=4, description="quad class: 1 verbal coop … 4 material conflict")
    country: str | None = Field(None, description="ISO 3166 alpha-3 code of the country where it happened")
    bbox: str | None = Field(None, description="west,south,east,north in degrees", examples=["22,44,40,53"])
    text: str | None = Field(None, description="words in the evidence (case-insensitive, literal)")
    story_id: str | None = Field(None, description="only the events of this article")
    counted: bool = Field(
        False,
        description="only the events the dyad series counts (asserted, dated to the day or week):"
        " the events behind one point of /api/series",
    )

    def filter_fields(self) -> dict[str, Any]:
        return self.model_dump(include=set(FilterParams.model_fields))


class EventQuery(FilterParams):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="page number, from 1")
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, description=f"events a page, at most {MAX_PAGE_SIZE}")
    order: Literal["asc", "desc"] = Field("asc", description="by date: oldest first (asc) or newest first")


class ListQuery(FilterParams):
    limit: int = Field(DEFAULT_LIST, ge=1, le=MAX_LIST, description="rows to return")


class SeriesQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dyad: str | None = Field(
        None, description="ACTOR-RECIPIENT (a side may carry a sector: RUS/MIL-UKR); omit for all events"
    )
    country: str | None = Field(
        None, description="without a dyad: events with this country as either side or place"
    )
    freq: Freq = "day"
    level: Level = Field("country", description="country: one series per dyad; sector: per sector pair")
    date_from: str | None = Field(None, description="first day, YYYY-MM-DD")
    date_to: str | None = Field(None, description="last day, YYYY-MM-DD")
    flags: bool = Field(True, description="include escalation and de-escalation flags")


class EscalationQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(10, ge=1, le=MAX_ESCALATION_DYADS, description="how many of the busiest dyads to scan")
    freq: Freq = "day"
    date_from: str | None = None
    date_to: str | None = None


class TimelineQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dyad: str | None = Field(None, description="ACTOR-RECIPIENT, e.g. RUS-UKR")
    actor: str | None = Field(None, description="events with this code on either side")
    country: str | None = Field(None, description="events with this country as a side or as the place")
    date_from: str | None = None
    date_to: str | None = None
    per_day: int = Field(5, ge=1, le=100, description="at most this many events a day, the most salient")
