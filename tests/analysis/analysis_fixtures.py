"""Small hand-built stores for the analysis tests (series, escalation, timeline, brief).

Written with the store's own API (``Store.write_article_events``) so the tests read what ingest writes,
without the spaCy model: the coder is not what these tests are about.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from flashpoint.records import Actor, Article, Event, Place, TextInfo
from flashpoint.store import Store

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "crimea-2014.jsonl"


def actor(code: str, sector: str | None = "GOV", name: str | None = None) -> Actor:
    return Actor(entity_text=name or code, entity_name=name or code, code=code, sector=sector)


def event(
    story_id: str,
    kind: str,
    actors: tuple[str, str | None] | None,
    recipient: tuple[str, str | None] | None,
    date: str,
    *,
    quad: int,
    scale: float,
    start: int,
    sentence: str = "",
    modality: str = "asserted",
    precision: str = "day",
    place: tuple[str, str] | None = None,
    name: str | None = None,
) -> Event:
    text = sentence or f"{kind.lower()} sentence {start}"
    return Event(
        story_id=story_id,
        event=kind,
        actor=[actor(actors[0], actors[1], name)] if actors else [],
        recipient=[actor(recipient[0], recipient[1])] if recipient else [],
        date=date,
        date_precision=precision,
        modality=modality,
        quad_code=quad,
        event_scale=scale,
        event_loc=Place(place[0], place[0], None, None, None, place[1], None, "city", "test")
        if place
        else None,
        event_text=kind.lower(),
        text_info=TextInfo(0, start, start + len(text), text),
        confidence=0.8,
    )


def article(story_id: str, date: str, *, source: str = "Wire", title: str | None = None) -> Article:
    return Article(
        story_id=story_id,
        text=f"Article {story_id} on {date}.",
        date=date,
        title=title or f"Story {story_id}",
        source=source,
        url=f"https://news.example/{story_id}",
    )


def small_store(path: Path) -> Store:
    """Three articles over 2014-03-01..03 with known events (see test_series.py for the arithmetic)."""
    store = Store(str(path))
    store.write_article_events(
        article("a1", "2014-03-01"),
        [
            event(
                "a1",
                "ASSAULT",
                ("RUS", "MIL"),
                ("UKR", "GOV"),
                "2014-03-01",
                quad=4,
                scale=-9.0,
                start=0,
                sentence="Russian troops attacked the Ukrainian base.",
                name="Russian troops",
            ),
            event(
                "a1",
                "THREATEN",
                ("RUS", "GOV"),
                ("UKR", "GOV"),
                "2014-03-01",
                quad=3,
                scale=-3.5,
                start=50,
                sentence="Moscow threatened Kiev.",
                name="Vladimir Putin",
            ),
            event(
                "a1",
                "CONSULT",
                ("USA", "GOV"),
                ("RUS", "GOV"),
                "2014-03-01",
                quad=1,
                scale=2.5,
                start=100,
                sentence="Kerry met Lavrov in Paris.",
                place=("Paris", "FRA"),
            ),
            # neither of these two counts: a future event, and one dated only to the month
            event(
                "a1",
                "COERCE",
                ("RUS", "GOV"),
                ("UKR", "GOV"),
                "2014-03-01",
                quad=4,
                scale=-7.0,
                start=150,
                modality="future",
            ),
            event(
                "a1",
                "SANCTION",
                ("RUS", "GOV"),
                ("UKR", "GOV"),
                "2014-03-01",
                quad=4,
                scale=-6.0,
                start=200,
                precision="month",
            ),
            # no recipient: in the overall series, in no dyad
            event(
                "a1",
                "MOBILIZE",
                ("UKR", "MIL"),
                None,
                "2014-03-01",
                quad=4,
                scale=-6.5,
                start=250,
                place=("Simferopol", "UKR"),
            ),
        ],
    )
    store.write_article_events(
        article("a2", "2014-03-03", source="Wire"),
        [
            event(
                "a2",
                "AGREE",
                ("RUS", "GOV"),
                ("UKR", "GOV"),
                "2014-03-03",
                quad=1,
                scale=2.5,
                start=0,
                sentence="Russia agreed to talks with Ukraine.",
            ),
        ],
    )
    store.write_article_events(
        article("a3", "2014-03-03", source="Daily"),
        [
            # the same event as a2's, told by another outlet: one timeline entry, two sources
            event(
                "a3",
                "AGREE",
                ("RUS", "GOV"),
                ("UKR", "GOV"),
                "2014-03-03",
                quad=1,
                scale=2.5,
                start=5,
                sentence="Moscow said it would talk to Kiev.",
            ),
        ],
    )
    return store


def step_store(path: Path, calm_days: int = 30, hot_days: int = 15, after_days: int = 20) -> Store:
    """A RUS-UKR dyad that is calm (one accusation a day), then hot (four assaults a day), then calm."""
    store = Store(str(path))
    day0 = date(2014, 1, 1)
    for offset in range(calm_days + hot_days + after_days):
        day = (day0 + timedelta(days=offset)).isoformat()
        hot = calm_days <= offset < calm_days + hot_days
        story = f"s{offset:03d}"
        events = [
            event(
                story,
                "ACCUSE",
                ("RUS", "GOV"),
                ("UKR", "GOV"),
                day,
                quad=3,
                scale=-3.0 - (offset % 3) * 0.5,
                start=0,
            ),
        ]
        if hot:
            events += [
                event(
                    story,
                    "ASSAULT",
                    ("RUS", "MIL"),
                    ("UKR", "MIL"),
                    day,
                    quad=4,
                    scale=-9.0,
                    start=10 * (i + 1),
                )
                for i in range(4)
            ]
        store.write_article_events(article(story, day), events)
    return store


def example_stories() -> list[Article]:
    """The example corpus's stories, as ingest reads them."""
    stories = []
    for line in EXAMPLES.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            stories.append(
                Article(
                    story_id=row["story_id"],
                    text=row["text"],
                    date=row.get("date"),
                    title=row.get("title", ""),
                    source=row.get("source", ""),
                    url=row.get("url", ""),
                )
            )
    return stories
