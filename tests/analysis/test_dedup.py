"""Cross-story dedup: one event per (date, actor, recipient, type, place, modality), with its evidence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from flashpoint.analysis.dedup import dedup_summary
from flashpoint.records import Actor, Article, Event, Place, TextInfo
from flashpoint.store import Store

SIMFEROPOL = Place("Simferopol", "Simferopol", 693805, 44.95, 34.1, "UKR", "Crimea", "city", "only")
KYIV = Place("Kyiv", "Kyiv", 703448, 50.45, 30.52, "UKR", "Kyiv City", "city", "only")


def assault(
    story_id: str, start: int, *, date: str | None = "2014-03-01", confidence: float = 0.7, **extra: object
) -> Event:
    return Event(
        story_id=story_id,
        event="ASSAULT",
        actor=[Actor("Russian troops", "Russia", "RUS", "MIL")],
        recipient=[Actor("Ukrainian soldiers", "Ukraine", "UKR", "MIL")],
        date=date,
        date_precision="day",
        quad_code=4,
        event_scale=-9.0,
        event_loc=extra.pop("event_loc", SIMFEROPOL),  # type: ignore[arg-type]
        event_text="attacked",
        text_info=TextInfo(0, start, start + 8, "attacked"),
        confidence=confidence,
        **extra,  # type: ignore[arg-type]
    )


def story(story_id: str, date: str, source: str = "", url: str = "") -> Article:
    return Article(
        story_id,
        f"Story {story_id}: Russian troops attacked Ukrainian soldiers.",
        date,
        source=source,
        url=url,
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(str(tmp_path / "dedup.duckdb")) as opened:
        opened.write_batch(
            [
                (story("a1", "2014-03-02", "AP", "https://ap.example/1"), [assault("a1", 10)]),
                (
                    story("a2", "2014-03-01", "Reuters", "https://reuters.example/2"),
                    [assault("a2", 10, confidence=0.9, num_mentions=2)],
                ),
                (story("a3", "2014-03-02", "", "https://www.bbc.example/3"), [assault("a3", 10)]),
                (
                    story("a4", "2014-03-02", "AP", "https://ap.example/4"),
                    [assault("a4", 10, modality="future")],
                ),
                (
                    story("a5", "2014-03-02", "AP", "https://ap.example/5"),
                    [assault("a5", 10, event_loc=KYIV)],
                ),
                (story("a6", "2014-03-02"), [assault("a6", 10, date=None)]),
                (story("a7", "2014-03-02"), [assault("a7", 10, date=None)]),
                (story("a8", "2014-03-02", "AP", "https://ap.example/8"), [assault("a8", 10)]),
            ]
        )
        yield opened


def merged(store: Store) -> dict[str, object]:
    rows = store.con.execute("SELECT * FROM dedup_events WHERE num_articles > 1").fetchall()
    names = [c[0] for c in store.con.description]  # type: ignore[union-attr]
    (row,) = rows
    return dict(zip(names, row, strict=True))


def test_several_articles_become_one_event(store: Store) -> None:
    event = merged(store)
    assert event["story_ids"] == ["a1", "a2", "a3", "a8"]
    assert event["num_articles"] == 4
    assert event["num_mentions"] == 5  # a2 tells it twice
    assert event["num_sources"] == 3  # AP twice, Reuters, and bbc.example from the URL
    assert event["representative_id"] == assault("a2", 10).id  # the most confident mention
    assert event["source_url"] == "https://reuters.example/2"  # the earliest report
    assert (event["event"], event["actor_code"], event["recipient_code"], event["geonameid"]) == (
        "ASSAULT", "RUS", "UKR", 693805,
    )  # fmt: skip


def test_modality_place_and_missing_dates_keep_events_apart(store: Store) -> None:
    assert dedup_summary(store.con) == {"event_rows": 8, "events": 5, "reported_by_several_articles": 1}
    singles = store.con.execute(
        "SELECT story_ids[1] FROM dedup_events WHERE num_articles = 1 ORDER BY 1"
    ).fetchall()
    assert [row[0] for row in singles] == ["a4", "a5", "a6", "a7"]


def test_every_mention_links_to_its_evidence(store: Store) -> None:
    dedup_id = merged(store)["dedup_id"]
    links = store.con.execute(
        "SELECT story_id, url, source, event_text FROM dedup_mentions WHERE dedup_id = ? ORDER BY story_id",
        [dedup_id],
    ).fetchall()
    assert links == [
        ("a1", "https://ap.example/1", "AP", "attacked"),
        ("a2", "https://reuters.example/2", "Reuters", "attacked"),
        ("a3", "https://www.bbc.example/3", "", "attacked"),
        ("a8", "https://ap.example/8", "AP", "attacked"),
    ]
    keys = store.con.execute("SELECT count(DISTINCT dedup_id) FROM event_dedup_keys").fetchall()
    assert keys == [(5,)]


def test_the_dedup_id_is_stable_across_databases(store: Store, tmp_path: Path) -> None:
    with Store(str(tmp_path / "other.duckdb")) as other:
        other.write_batch([(story("z9", "2014-03-05"), [assault("z9", 99)])])
        (other_id,) = other.con.execute("SELECT dedup_id FROM dedup_events").fetchall()[0]
    assert other_id == merged(store)["dedup_id"]
