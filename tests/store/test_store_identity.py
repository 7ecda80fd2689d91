"""Article identity (normalised URL, else text hash) and bringing an older database file up to date."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from flashpoint.records import Article
from flashpoint.store import SCHEMA_VERSION, Store
from flashpoint.store.identity import article_identity, normalise_url, text_hash


@pytest.mark.parametrize(
    "url, expected",
    [
        (
            "https://www.Example.com:443/world/story-1/?utm_source=rss&b=2&a=1#top",
            "example.com/world/story-1?a=1&b=2",
        ),
        ("http://example.com/world/story-1", "example.com/world/story-1"),
        ("https://example.com:8443/a", "example.com:8443/a"),
        ("https://example.com/a?fbclid=xyz&gclid=1", "example.com/a"),
        ("https://example.com/?p=123", "example.com?p=123"),
        ("https://example.com/Case/Matters", "example.com/Case/Matters"),
        ("https://www.example.com/", None),  # a whole site, not a page
        ("https://example.com", None),
        ("ftp://example.com/file", None),
        ("not a url", None),
        ("http://[::1/broken", None),
    ],
)
def test_normalise_url(url: str, expected: str | None) -> None:
    assert normalise_url(url) == expected


def test_identity_is_the_url_else_the_text() -> None:
    assert article_identity("https://www.x.example/a/", "text") == "url:x.example/a"
    assert article_identity("https://x.example/", "text") == "text:" + text_hash("text")
    assert article_identity("", "text") == "text:" + text_hash("text")


V1_ARTICLES = """
    CREATE TABLE articles (story_id VARCHAR PRIMARY KEY, date DATE, title VARCHAR, source VARCHAR,
        url VARCHAR, text VARCHAR NOT NULL, text_hash VARCHAR NOT NULL, location VARCHAR,
        ingested_at TIMESTAMP NOT NULL, run_id VARCHAR)"""
V1_EVENTS = """
    CREATE TABLE events (id VARCHAR PRIMARY KEY, story_id VARCHAR NOT NULL, date DATE, date_precision VARCHAR,
        event VARCHAR NOT NULL, mode VARCHAR, context VARCHAR[], modality VARCHAR, quad_code INTEGER,
        event_scale DOUBLE, actor VARCHAR, recipient VARCHAR, actor_code VARCHAR, actor_sector VARCHAR,
        recipient_code VARCHAR, recipient_sector VARCHAR, event_loc VARCHAR, loc_name VARCHAR,
        geonameid BIGINT, lat DOUBLE, lon DOUBLE, loc_country VARCHAR, event_text VARCHAR,
        text_info VARCHAR, sentence VARCHAR, confidence DOUBLE, run_id VARCHAR)"""


def test_a_version_1_file_is_brought_up_to_date(tmp_path: Path) -> None:
    path = str(tmp_path / "old.duckdb")
    with duckdb.connect(path) as con:
        con.execute(V1_ARTICLES)
        con.execute(V1_EVENTS)
        con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
        con.execute(
            "INSERT INTO articles VALUES"
            " ('s1', '2014-03-15', '', '', 'https://www.x.example/a', 'Old text.', ?, '', ?, NULL)",
            [text_hash("Old text."), datetime(2014, 3, 15)],
        )
        con.execute(
            "INSERT INTO events (id, story_id, event, date, actor_code, recipient_code) "
            "VALUES ('e1', 's1', 'PROTEST', '2014-03-15', 'UKR', 'RUS')"
        )
    with Store(path) as store:
        assert store.article("s1")["identity"] == "url:x.example/a"  # type: ignore[index]
        assert store.con.execute("SELECT value FROM meta").fetchall() == [(str(SCHEMA_VERSION),)]
        assert (
            store.con.execute(
                "SELECT num_mentions, dedup_id FROM events JOIN event_dedup_keys ON id = event_id"
            ).fetchall()[0][0]
            is None
        )
        assert store.con.execute("SELECT num_mentions FROM dedup_events").fetchall() == [(1,)]
        # the same page again, under another id and over http: already stored
        assert not store.write_article_events(Article("s2", "Old text.", url="http://x.example/a/"), [])
