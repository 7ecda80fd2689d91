"""The records every stage agrees on: Article in, Event out, and the parts in between.

An :class:`Event` serialises to the PLOVER-style JSON object of DESIGN.md (one per JSONL line);
the other records are what the pipeline stages find on a ``Doc`` (``doc._.fp_actors`` and friends
hold their ``to_dict()`` forms, so a Doc stays serialisable). Nothing here knows about spaCy, the
store or the CLI.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any

MODALITIES = ("asserted", "future", "hypothetical", "negated", "historical")
DATE_PRECISIONS = ("day", "week", "month", "year", "story")


class _Record:
    """to_dict / from_dict for the flat dataclasses below (unknown keys are ignored)."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls, data: dict[str, Any]):  # type: ignore[no-untyped-def]
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class Article(_Record):
    """One news story as read from the input, before any NLP."""

    story_id: str
    text: str
    date: str | None = None  # YYYY-MM-DD publication date; None when the input has none
    title: str = ""
    source: str = ""
    url: str = ""
    location: str = ""  # where the input came from: "file.jsonl:12", "folder/a.txt"

    @staticmethod
    def content_id(text: str) -> str:
        """A stable story id for inputs that carry none: a hash of the text."""
        return "sha1-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Actor(_Record):
    """An actor or recipient of an event, as PLOVER's actor objects."""

    entity_text: str
    entity_name: str
    code: str  # ISO 3166 alpha-3, IGO/NGO/... or a bloc code such as WST
    sector: str | None = None  # PLOVER sector: GOV MIL REB COP JUD LEG OPP CVL BUS MED REF ...
    office: str | None = None
    wikidata_id: str | None = None
    how: str = ""  # how it was resolved: "knowledge:countries", "story-role", "coref:Kerry", ...


@dataclass
class Place(_Record):
    """A toponym resolved against the gazetteer (an event's ``event_loc``)."""

    extracted_place: str
    resolved_place: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country_code: str | None = None  # ISO 3166 alpha-3
    admin1: str | None = None
    feature: str | None = None  # country, admin1, city, site, ...
    resolution: str = ""  # the evidence used to choose this entry


@dataclass
class TimeRef(_Record):
    """A time expression resolved against the anchor (publication) date."""

    text: str
    start: int
    end: int
    value: str | None  # ISO: 2014-03-14, 2014-03, 2014, 2014-W11; None when it cannot be resolved
    precision: str | None  # day, week, month, year
    range: list[str] | None = None  # [first_day, last_day]


@dataclass
class TextInfo(_Record):
    sentence: int
    start: int
    end: int
    text: str


@dataclass
class Event(_Record):
    """One coded event: the record of DESIGN.md."""

    story_id: str
    event: str
    actor: list[Actor] = field(default_factory=list)
    recipient: list[Actor] = field(default_factory=list)
    date: str | None = None
    date_precision: str = "story"
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    modality: str = "asserted"
    quad_code: int = 0
    event_scale: float = 0.0
    event_loc: Place | None = None
    event_text: str = ""
    text_info: TextInfo | None = None
    confidence: float = 0.0
    id: str = ""
    # Beyond PLOVER's fields: how often the story reports the event, and who says so.
    num_mentions: int = 1  # mentions of this event in the story (same type, dyad, date and modality)
    evidence: list[TextInfo] = field(default_factory=list)  # every mention's span, text_info first
    reported_by: list[Actor] = field(default_factory=list)  # the speaker, when the event is reported speech
    claimed: bool = False  # only an allegation by reported_by ("X accused Y of shelling Z")

    def __post_init__(self) -> None:
        if not self.id and self.text_info is not None:
            self.id = self.make_id(self.story_id, self.event, self.text_info.start, self.text_info.end)

    @staticmethod
    def make_id(story_id: str, event: str, start: int, end: int) -> str:
        """Same article and same evidence span give the same id, across runs and machines."""
        key = f"{story_id}\x1f{event}\x1f{start}\x1f{end}".encode()
        return hashlib.sha1(key).hexdigest()[:20]

    def to_dict(self) -> dict[str, Any]:
        out = {"id": self.id, **asdict(self)}
        out.pop("id")
        return {"id": self.id, **out}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        data = dict(data)
        data["actor"] = [Actor.from_dict(a) for a in data.get("actor") or []]
        data["recipient"] = [Actor.from_dict(a) for a in data.get("recipient") or []]
        if data.get("event_loc"):
            data["event_loc"] = Place.from_dict(data["event_loc"])
        if data.get("text_info"):
            data["text_info"] = TextInfo.from_dict(data["text_info"])
        data["evidence"] = [TextInfo.from_dict(t) for t in data.get("evidence") or []]
        data["reported_by"] = [Actor.from_dict(a) for a in data.get("reported_by") or []]
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})
