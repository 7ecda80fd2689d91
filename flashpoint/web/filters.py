"""The event filters of the API: checked once, then turned into a parameterised WHERE clause.

Every value a client sends is checked against what it may be (a known actor code, a PLOVER type, a
real date, a bounding box in degrees) and refused with a numbered error otherwise, so a typo is
reported instead of silently matching nothing. What passes reaches SQL only as a bound parameter;
the clause text itself is built from constants here. Actor, recipient and dyad filters match the
first actor and first recipient of an event, the same pair the store's dyad counts use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..analysis.series import COUNTED_MODALITIES, COUNTED_PRECISIONS
from ..nlp.knowledge import iter_entries, load_knowledge
from ..ontology import EVENT_TYPES, normalise_event_type
from .errors import ApiError

MAX_TEXT_FILTER = 200  # characters: a search phrase, not a document
CODE_SHAPE = re.compile(r"^[A-Z]{3}$")  # actor and country codes are three capital letters


@dataclass(frozen=True)
class Vocabulary:
    """The codes a filter may name: the packaged actor knowledge plus whatever the store holds."""

    actor_codes: frozenset[str]
    country_codes: frozenset[str]
    names: dict[str, str] = field(default_factory=dict, hash=False)

    @classmethod
    def build(
        cls, store_actor_codes: set[str], store_country_codes: set[str], user_actors: str = ""
    ) -> Vocabulary:
        knowledge = load_knowledge(user_actors)
        countries = set(knowledge.country_names)
        actors = countries | {entry.code for entry in iter_entries(knowledge) if entry.code}
        return cls(
            actor_codes=frozenset(actors | store_actor_codes),
            country_codes=frozenset(countries | store_country_codes),
            names=dict(knowledge.country_names),
        )


def actor_code(value: str | None, param: str, vocabulary: Vocabulary) -> str | None:
    """A known actor code, upper-cased; E303 for anything else (SQL, typos, empty)."""
    if value is None:
        return None
    code = value.strip().upper()
    if not CODE_SHAPE.match(code) or code not in vocabulary.actor_codes:
        raise ApiError("E303", param=param, value=value[:40])
    return code


def country_code(value: str | None, param: str, vocabulary: Vocabulary) -> str | None:
    if value is None:
        return None
    code = value.strip().upper()
    if not CODE_SHAPE.match(code) or code not in vocabulary.country_codes:
        raise ApiError("E311", param=param, value=value[:40])
    return code


def dyad_codes(value: str | None, vocabulary: Vocabulary) -> tuple[str, str] | None:
    """``RUS-UKR`` → ("RUS", "UKR"); E202 for the wrong shape, E303 for an unknown side."""
    if value is None:
        return None
    parts = value.strip().split("-")
    if len(parts) != 2 or not all(parts):
        raise ApiError("E202", param="dyad", value=value[:40])
    first, second = (actor_code(part, "dyad", vocabulary) for part in parts)
    return first or "", second or ""


def series_dyad(value: str | None, vocabulary: Vocabulary) -> str | None:
    """A dyad for the series, whose sides may carry a sector: ``rus/mil-ukr`` → ``RUS/MIL-UKR``."""
    if value is None:
        return None
    sides = value.strip().upper().split("-")
    if len(sides) != 2 or not all(sides):
        raise ApiError("E202", param="dyad", value=value[:40])
    checked = []
    for side in sides:
        code, slash, sector = side.partition("/")
        actor_code(code, "dyad", vocabulary)
        if slash and not CODE_SHAPE.match(sector):
            raise ApiError("E202", param="dyad", value=value[:40])
        checked.append(side)
    return "-".join(checked)


def iso_date(value: str | None, param: str) -> date | None:
    """A real calendar day in YYYY-MM-DD form; E104 otherwise."""
    if value is None:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ApiError("E104", param=param, value=value[:40])


def date_range(date_from: str | None, date_to: str | None) -> tuple[date | None, date | None]:
    first, last = iso_date(date_from, "date_from"), iso_date(date_to, "date_to")
    if first and last and first > last:
        raise ApiError("E304", param="date_from", date_from=first, date_to=last)
    return first, last


def event_types(value: str | None) -> list[str]:
    """``ASSAULT,coerce`` → ["ASSAULT", "COERCE"]; old names (FIGHT) map to PLOVER 2.0 ones; E204 else."""
    if value is None:
        return []
    names = []
    for part in value.split(","):
        try:
            names.append(normalise_event_type(part.strip()))
        except ValueError:
            raise ApiError(
                "E204", param="type", value=part.strip()[:40], examples=", ".join(EVENT_TYPES)
            ) from None
    return list(dict.fromkeys(names))


def bounding_box(value: str | None) -> tuple[float, float, float, float] | None:
    """``west,south,east,north`` in degrees; west > east crosses the antimeridian. E306 otherwise."""
    if value is None:
        return None
    try:
        west, south, east, north = (float(part) for part in value.split(","))
    except ValueError:
        raise ApiError("E306", param="bbox", value=value[:80]) from None
    fits = all(-180 <= lon <= 180 for lon in (west, east)) and -90 <= south < north <= 90
    if not fits:
        raise ApiError("E306", param="bbox", value=value[:80])
    return west, south, east, north


def search_text(value: str | None, param: str = "text") -> str | None:
    if value is None or not value.strip():
        return None
    if len(value) > MAX_TEXT_FILTER:
        raise ApiError("E310", param=param, size=len(value), limit=MAX_TEXT_FILTER)
    return value.strip()


@dataclass(frozen=True)
class EventFilters:
    """Checked filters over the events table (every field optional)."""

    date_from: date | None = None
    date_to: date | None = None
    actor: str | None = None
    recipient: str | None = None
    types: tuple[str, ...] = ()
    quad: int | None = None
    country: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    text: str | None = None
    story_id: str | None = None
    counted: bool = False  # only what the dyad series counts (analysis.series: modality and date precision)

    @classmethod
    def parse(
        cls,
        vocabulary: Vocabulary,
        *,
        date_from: str | None = None,
        date_to: str | None = None,
        actor: str | None = None,
        recipient: str | None = None,
        dyad: str | None = None,
        type: str | None = None,
        quad: int | None = None,
        country: str | None = None,
        bbox: str | None = None,
        text: str | None = None,
        story_id: str | None = None,
        counted: bool = False,
    ) -> EventFilters:
        first, last = date_range(date_from, date_to)
        actor_filter = actor_code(actor, "actor", vocabulary)
        recipient_filter = actor_code(recipient, "recipient", vocabulary)
        pair = dyad_codes(dyad, vocabulary)
        if pair is not None:
            for param, given, wanted in (
                ("actor", actor_filter, pair[0]),
                ("recipient", recipient_filter, pair[1]),
            ):
                if given is not None and given != wanted:
                    raise ApiError("E301", param=param, detail=f"'{param}' {given} contradicts dyad {dyad}")
            actor_filter, recipient_filter = pair
        return cls(
            date_from=first,
            date_to=last,
            actor=actor_filter,
            recipient=recipient_filter,
            types=tuple(event_types(type)),
            quad=quad,
            country=country_code(country, "country", vocabulary),
            bbox=bounding_box(bbox),
            text=search_text(text),
            story_id=search_text(story_id, "story_id"),
            counted=counted,
        )

    @property
    def fits_keys(self) -> bool:
        """True when the key table (:mod:`.keys`) holds every column these filters read."""
        return self.story_id is None

    def where(self, keys: bool = False) -> tuple[str, list[Any]]:
        """The WHERE clause (without the keyword) and its parameters, in order, over the events table
        or (``keys``) over the key table, which has the series' "counted" test as a column."""
        clauses: list[str] = []
        params: list[Any] = []

        def add(clause: str, *values: Any) -> None:
            clauses.append(clause)
            params.extend(values)

        if self.date_from is not None:
            add("date >= ?", self.date_from)
        if self.date_to is not None:
            add("date <= ?", self.date_to)
        if self.actor is not None:
            add("actor_code = ?", self.actor)
        if self.recipient is not None:
            add("recipient_code = ?", self.recipient)
        if self.types:
            add(f"event IN ({', '.join('?' * len(self.types))})", *self.types)
        if self.quad is not None:
            add("quad_code = ?", self.quad)
        if self.country is not None:
            add("loc_country = ?", self.country)
        if self.bbox is not None:
            west, south, east, north = self.bbox
            add("lat BETWEEN ? AND ?", south, north)
            if west <= east:
                add("lon BETWEEN ? AND ?", west, east)
            else:
                add("(lon >= ? OR lon <= ?)", west, east)
        if self.text is not None:  # a literal substring, any case; the evidence holds the trigger too
            add("contains(evidence, lower(?))" if keys else "contains(lower(sentence), lower(?))", self.text)
        if self.story_id is not None:
            add("story_id = ?", self.story_id)
        if self.counted and keys:
            add("counted")
        elif self.counted:
            add(
                f"date IS NOT NULL AND modality IN ({', '.join('?' * len(COUNTED_MODALITIES))})",
                *COUNTED_MODALITIES,
            )
            precisions = ", ".join("?" * len(COUNTED_PRECISIONS))
            add(f"coalesce(date_precision, 'story') IN ({precisions})", *COUNTED_PRECISIONS)
        return (" AND ".join(clauses) or "TRUE"), params
