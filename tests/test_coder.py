"""The Python API: ``flashpoint.load().code(...)`` and ``code_articles`` against the record of DESIGN.md."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from flashpoint.coder import PIPE_BATCH_SIZE
from flashpoint.errors import FlashpointError
from flashpoint.ontology import EVENT_TYPES
from flashpoint.records import DATE_PRECISIONS, MODALITIES, Actor, Article, Event, Place, TextInfo

pytestmark = pytest.mark.slow

TEXT = (
    "Russian troops attacked Ukrainian border posts near Donetsk on Friday. "
    "Ukraine accused Moscow of aggression on Sunday.\n\n"
    "The European Union will impose new sanctions on Russia on Monday, diplomats said."
)
DATE = "2014-03-15"  # a Saturday
UNDATED = "Russia yesterday attacked Ukrainian positions near Donetsk."

# DESIGN.md, "The record contract"
RECORD_FIELDS = {
    "id", "story_id", "date", "date_precision", "event", "mode", "context", "modality", "quad_code",
    "event_scale", "actor", "recipient", "event_loc", "event_text", "text_info", "confidence",
}  # fmt: skip
ACTOR_FIELDS = {"entity_text", "entity_name", "code", "sector", "office", "wikidata_id"}
LOC_FIELDS = {
    "extracted_place", "resolved_place", "geonameid", "lat", "lon", "country_code", "admin1", "feature",
    "resolution",
}  # fmt: skip
TEXT_INFO_FIELDS = {"sentence", "start", "end", "text"}
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def events(coder) -> list[Event]:
    return coder.code(TEXT, date=DATE, story_id="api-1")


def by_type(events: list[Event], name: str) -> Event:
    found = [e for e in events if e.event == name]
    assert found, f"no {name} among {[e.event for e in events]}"
    return found[0]


def test_load_is_the_public_entry_point(coder):
    import flashpoint

    assert callable(flashpoint.load) and hasattr(coder, "code") and hasattr(coder, "code_articles")


def test_code_returns_event_records(events):
    assert {e.event for e in events} >= {"ASSAULT", "ACCUSE", "SANCTION"}
    for event in events:
        assert isinstance(event, Event)
        assert all(isinstance(a, Actor) for a in event.actor + event.recipient)
        assert isinstance(event.text_info, TextInfo)
        assert event.event_loc is None or isinstance(event.event_loc, Place)


def test_every_field_of_the_record(events):
    for event in events:
        record = event.to_dict()
        assert set(record) >= RECORD_FIELDS, RECORD_FIELDS - set(record)
        assert record["story_id"] == "api-1"
        assert record["event"] in EVENT_TYPES
        assert record["modality"] in MODALITIES
        assert record["date_precision"] in DATE_PRECISIONS
        assert record["date"] is None or ISO_DAY.match(record["date"])
        assert record["mode"] is None or isinstance(record["mode"], str)
        assert isinstance(record["context"], list)
        assert record["quad_code"] in (1, 2, 3, 4)
        assert -10 <= record["event_scale"] <= 10
        assert 0 <= record["confidence"] <= 1
        assert record["event_text"]
        assert set(record["text_info"]) == TEXT_INFO_FIELDS
        assert record["actor"], f"{record['event']} has no actor"
        for actor in record["actor"] + record["recipient"]:
            assert set(actor) >= ACTOR_FIELDS
            assert re.fullmatch(r"[A-Z]{3}", actor["code"]), actor
        if record["event_loc"] is not None:
            assert set(record["event_loc"]) >= LOC_FIELDS


def test_values_of_a_clear_event(events):
    assault = by_type(events, "ASSAULT")
    assert [a.code for a in assault.actor] == ["RUS"] and [r.code for r in assault.recipient] == ["UKR"]
    assert (assault.date, assault.date_precision, assault.modality) == ("2014-03-14", "day", "asserted")
    assert assault.quad_code == 4 and assault.event_scale < 0
    assert assault.event_loc is not None and assault.event_loc.country_code == "UKR"
    sanction = by_type(events, "SANCTION")
    assert (sanction.modality, sanction.date) == ("future", "2014-03-17")


def test_offsets_slice_the_article_to_the_evidence(events):
    assert {e.text_info.sentence for e in events} == {0, 1, 2}  # every sentence, past a blank line
    for event in events:
        info = event.text_info
        assert TEXT[info.start : info.end] == info.text, event.to_dict()
        assert event.event_text in info.text  # the trigger lies inside its evidence


def test_ids_are_stable_across_runs_and_follow_the_evidence(coder, events):
    again = coder.code(TEXT, date=DATE, story_id="api-1")
    assert [e.id for e in again] == [e.id for e in events]
    assert all(e.id for e in events) and len({e.id for e in events}) == len(events)
    for event in events:
        assert event.id == Event.make_id("api-1", event.event, event.text_info.start, event.text_info.end)
    other_story = coder.code(TEXT, date=DATE, story_id="api-2")
    assert not {e.id for e in other_story} & {e.id for e in events}


def test_without_a_story_id_the_id_is_a_content_hash(coder):
    (first, *_) = coder.code(UNDATED, date=DATE)
    assert first.story_id == Article.content_id(UNDATED)


@pytest.mark.parametrize("bad", ["2014-02-30", "15/03/2014", "yesterday", "2014-13-01"])
def test_an_invalid_date_raises_e104(coder, bad):
    with pytest.raises(FlashpointError) as raised:
        coder.code(UNDATED, date=bad, story_id="bad-date")
    assert raised.value.code == "E104" and bad in str(raised.value)


def test_a_story_without_a_date_leaves_relative_dates_unresolved(coder):
    events = coder.code(UNDATED, story_id="undated")
    assault = by_type(events, "ASSAULT")
    assert assault.date_precision == "story" and assault.date is None
    assert all(e.date_precision != "day" for e in events)
    # the same text with a date resolves "yesterday"
    dated = by_type(coder.code(UNDATED, date=DATE, story_id="undated"), "ASSAULT")
    assert (dated.date, dated.date_precision) == ("2014-03-14", "day")


def test_an_explicit_date_needs_no_anchor(coder):
    events = coder.code("Russian troops attacked Ukrainian border posts on 14 March 2014.", story_id="abs")
    assault = by_type(events, "ASSAULT")
    assert (assault.date, assault.date_precision) == ("2014-03-14", "day")


def test_code_articles_streams_in_input_order(coder):
    total = 3 * PIPE_BATCH_SIZE
    pulled: list[int] = []

    def articles() -> Iterator[Article]:
        for n in range(total):
            pulled.append(n)
            text = UNDATED if n % 2 else "Ukraine accused Moscow of aggression on Sunday."
            yield Article(story_id=f"s{n:03d}", text=text, date=DATE)

    stream = coder.code_articles(articles())
    assert not pulled  # nothing is read before the first result is asked for
    first_article, first_events = next(stream)
    assert first_article.story_id == "s000" and [e.event for e in first_events] == ["ACCUSE"]
    assert len(pulled) < total, "code_articles read the whole input before yielding its first result"
    rest = list(stream)
    assert [a.story_id for a, _ in rest] == [f"s{n:03d}" for n in range(1, total)]
    for article, coded in rest:
        assert coded and all(e.story_id == article.story_id for e in coded)
        assert {e.event for e in coded} == ({"ASSAULT"} if int(article.story_id[1:]) % 2 else {"ACCUSE"})


def test_code_articles_matches_code(coder, events):
    ((article, coded),) = list(coder.code_articles([Article(story_id="api-1", text=TEXT, date=DATE)]))
    assert article.story_id == "api-1"
    assert [e.to_dict() for e in coded] == [e.to_dict() for e in events]


def test_code_articles_of_nothing_is_nothing(coder):
    assert list(coder.code_articles(iter([]))) == []
