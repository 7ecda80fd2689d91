"""Timelines: each day's most important events, merged across articles, with evidence and links."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from analysis_fixtures import small_store

from flashpoint.analysis.timeline import importance, timeline
from flashpoint.errors import FlashpointError
from flashpoint.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with small_store(tmp_path / "fp.duckdb") as opened:
        yield opened


def summary(entries: list[dict]) -> list[tuple[str, str]]:
    return [(entry["date"], entry["event"]) for entry in entries]


def test_days_in_order_and_most_important_first(store):
    entries = timeline(store)
    # the future COERCE and the month-dated SANCTION are not on the timeline
    assert summary(entries) == [
        ("2014-03-01", "ASSAULT"),  # |-9|: the gravest first
        ("2014-03-01", "MOBILIZE"),
        ("2014-03-01", "THREATEN"),
        ("2014-03-01", "CONSULT"),
        ("2014-03-03", "AGREE"),
    ]
    assert [e["importance"] for e in entries[:4]] == sorted(
        (e["importance"] for e in entries[:4]), reverse=True
    )
    assert summary(timeline(store, per_day=2)) == [
        ("2014-03-01", "ASSAULT"),
        ("2014-03-01", "MOBILIZE"),
        ("2014-03-03", "AGREE"),
    ]


def test_one_event_told_by_two_outlets_is_one_entry_with_both_sources(store):
    (agree,) = [entry for entry in timeline(store) if entry["event"] == "AGREE"]
    assert (agree["mentions"], agree["articles"], agree["sources"]) == (2, 2, 2)
    assert len(agree["event_ids"]) == 2
    assert [e["story_id"] for e in agree["evidence"]] == ["a2", "a3"]
    assert agree["evidence"][0]["sentence"] == "Russia agreed to talks with Ukraine."
    assert agree["evidence"][1]["url"] == "https://news.example/a3"
    assert agree["evidence"][1]["source"] == "Daily" and agree["evidence"][1]["title"] == "Story a3"
    assert agree["importance"] == pytest.approx(importance(2.5, 2, 2), abs=1e-3)
    assert (agree["actor"], agree["recipient"]) == ("RUS/GOV", "UKR/GOV")


def test_filters(store):
    assert summary(timeline(store, dyad="RUS-UKR")) == [
        ("2014-03-01", "ASSAULT"),
        ("2014-03-01", "THREATEN"),
        ("2014-03-03", "AGREE"),
    ]
    assert summary(timeline(store, dyad="RUS/MIL-UKR")) == [("2014-03-01", "ASSAULT")]
    assert {e["event"] for e in timeline(store, actor="RUS")} == {"ASSAULT", "THREATEN", "CONSULT", "AGREE"}
    assert summary(timeline(store, actor="RUS/MIL")) == [("2014-03-01", "ASSAULT")]
    assert summary(timeline(store, actor="putin")) == [("2014-03-01", "THREATEN")]  # by name
    assert summary(timeline(store, country="FRA")) == [("2014-03-01", "CONSULT")]  # by place only
    assert summary(timeline(store, date_from="2014-03-02")) == [("2014-03-03", "AGREE")]
    assert timeline(store, date_to="2014-02-28") == []


def test_stored_mention_counts_are_used_where_the_store_has_them(store):
    before = {e["event"]: e for e in timeline(store)}
    store.con.execute("UPDATE events SET num_mentions = 4 WHERE event = 'CONSULT'")
    after = {e["event"]: e for e in timeline(store)}
    assert before["CONSULT"]["mentions"] == 1 and after["CONSULT"]["mentions"] == 4
    assert after["CONSULT"]["importance"] > before["CONSULT"]["importance"]


def test_bad_filters_raise_numbered_errors(store):
    with pytest.raises(FlashpointError) as caught:
        timeline(store, dyad="RUS")
    assert caught.value.code == "E202"
    with pytest.raises(FlashpointError) as caught:
        timeline(store, date_from="March 1")
    assert caught.value.code == "E104"
