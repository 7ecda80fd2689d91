"""Record ⇄ row conversions, without a database."""

from __future__ import annotations

from datetime import date

from flashpoint.records import Actor, Event, Place, TextInfo
from flashpoint.store.rows import event_record, event_row, text_hash
from flashpoint.store.schema import EVENT_COLUMNS


def sample_event() -> Event:
    return Event(
        story_id="s1",
        event="THREATEN",
        actor=[
            Actor("the United States", "United States", "USA", "GOV"),
            Actor("EU", "European Union", "EUR"),
        ],
        recipient=[Actor("Russia", "Russia", "RUS", "GOV", office="government")],
        date="2014-03-15",
        date_precision="day",
        mode="sanction",
        context=["economic"],
        modality="future",
        quad_code=3,
        event_scale=-6.0,
        event_loc=Place("London", "London", 2643743, 51.5, -0.12, "GBR", "ENG", "city", "capital"),
        event_text="threatened sanctions",
        text_info=TextInfo(2, 40, 60, "The US threatened sanctions against Russia."),
        confidence=0.8,
    )


def test_event_row_flattens_first_actor_recipient_and_place() -> None:
    row = dict(zip(EVENT_COLUMNS, event_row(sample_event(), "run1"), strict=True))
    assert (row["actor_code"], row["actor_sector"]) == ("USA", "GOV")
    assert (row["recipient_code"], row["recipient_sector"]) == ("RUS", "GOV")
    assert (row["loc_name"], row["geonameid"], row["loc_country"]) == ("London", 2643743, "GBR")
    assert row["sentence"] == "The US threatened sanctions against Russia."
    assert row["context"] == ["economic"] and row["run_id"] == "run1"
    assert '"code": "EUR"' in row["actor"]


def test_event_without_actors_or_place_has_null_flat_columns() -> None:
    event = Event(story_id="s1", event="PROTEST", text_info=TextInfo(0, 0, 5, "x"))
    row = dict(zip(EVENT_COLUMNS, event_row(event, None), strict=True))
    assert row["actor_code"] is row["recipient_code"] is row["loc_name"] is row["event_loc"] is None


def test_row_back_to_record_equals_to_dict() -> None:
    event = sample_event()
    row = dict(zip(EVENT_COLUMNS, event_row(event, "run1"), strict=True))
    row["date"] = date(2014, 3, 15)  # as DuckDB returns a DATE
    assert event_record(row) == event.to_dict()
    assert Event.from_dict(event_record(row)) == event


def test_text_hash_depends_on_text_only() -> None:
    assert text_hash("a") == text_hash("a") != text_hash("b")
