"""Idempotent writes: decide what a batch of coded articles adds to the database, and add it.

An article is judged against what is stored (and what this batch stored before it) by its identity —
its normalised URL, else its text hash (:mod:`.identity`) — and by its story id:

- identity stored with the same text, or story id stored with the same text: already stored, adds nothing;
- identity stored with different text (the same URL now says something else): E020, skipped;
- story id stored for a different article: E014, skipped (the first article keeps the id);
- otherwise new: the article row and its events are inserted.

The first copy wins, so a run killed part-way and started again ends where an uninterrupted run does.
The caller holds the transaction; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum
from typing import Any

import duckdb
import pyarrow as pa

from ..errors import ItemError
from ..records import Article, Event
from .identity import article_identity, text_hash
from .rows import article_row, event_row
from .schema import ARTICLE_COLUMNS, EVENT_COLUMNS, TABLES, declared_columns

# Rows go to DuckDB as one Arrow table per statement: binding thousands of "?" parameters costs
# DuckDB ~1 ms per row of a wide table, an Arrow scan a few microseconds.
ARROW_TYPES = {
    "VARCHAR": pa.string(),
    "DATE": pa.string(),  # ISO text; DuckDB casts it on insert
    "INTEGER": pa.int64(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "TIMESTAMP": pa.timestamp("us"),
    "VARCHAR[]": pa.list_(pa.string()),
}
_BATCH_VIEW = "flashpoint_insert_batch"  # the name the Arrow table is registered under while inserted


class Verdict(Enum):
    NEW = "new"
    STORED = "stored"  # this article (same identity or id, same text) is in the database already


@dataclass
class BatchOutcome:
    """What one write added: counts, and the items it refused (E014/E020) with their reasons."""

    new_articles: int = 0
    new_events: int = 0
    already_stored: int = 0
    refused: list[ItemError] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    story_id: str
    identity: str
    text_hash: str


class KnownArticles:
    """The stored rows that matter for some articles, looked up in one query, plus what gets added."""

    def __init__(self, con: duckdb.DuckDBPyConnection, articles: Sequence[Article]) -> None:
        self._by_identity: dict[str, _Row] = {}
        self._by_story: dict[str, _Row] = {}
        if not articles:
            return
        rows = con.execute(
            """
            SELECT story_id, identity, text_hash FROM articles
            WHERE identity IN (SELECT unnest(?::VARCHAR[])) OR story_id IN (SELECT unnest(?::VARCHAR[]))
            """,
            [[article_identity(a.url, a.text) for a in articles], [a.story_id for a in articles]],
        ).fetchall()
        for story_id, identity, digest in rows:
            self._remember(_Row(story_id, identity, digest))

    def _remember(self, row: _Row) -> None:
        self._by_identity.setdefault(row.identity, row)
        self._by_story.setdefault(row.story_id, row)

    def judge(self, article: Article) -> Verdict | ItemError:
        """NEW, STORED, or the E020/E014 item error that says why the article is refused."""
        identity = article_identity(article.url, article.text)
        digest = text_hash(article.text)
        same_article = self._by_identity.get(identity)
        if same_article is not None:
            if same_article.text_hash == digest:
                return Verdict.STORED
            return ItemError.make(
                "E020", article.location or article.story_id, identity=identity, stored=same_article.story_id
            )
        same_id = self._by_story.get(article.story_id)
        if same_id is not None:
            if same_id.text_hash == digest:
                return Verdict.STORED
            return ItemError.make("E014", article.location or article.story_id, story_id=article.story_id)
        return Verdict.NEW

    def add(self, article: Article) -> None:
        self._remember(
            _Row(article.story_id, article_identity(article.url, article.text), text_hash(article.text))
        )


def _insert(
    con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str], rows: list[list[Any]]
) -> None:
    if not rows:
        return
    types = dict(declared_columns(TABLES[table]))
    arrays = [
        pa.array(list(values), type=ARROW_TYPES[types[name]])
        for name, values in zip(columns, zip(*rows, strict=True), strict=True)
    ]
    con.register(_BATCH_VIEW, pa.Table.from_arrays(arrays, names=list(columns)))
    try:
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM {_BATCH_VIEW}")
    finally:
        con.unregister(_BATCH_VIEW)


def unique_events(article: Article, events: Iterable[Event]) -> list[Event]:
    """The article's events with an id each (by position when there is no evidence span), each id once."""
    unique: dict[str, Event] = {}
    for position, event in enumerate(events):
        if not event.id:
            event = replace(event, id=Event.make_id(article.story_id, event.event, -1, position))
        unique.setdefault(event.id, event)  # the same event found twice is stored once
    return list(unique.values())


def reject_rows(run_id: str | None, errors: Iterable[ItemError], now: datetime) -> list[list[Any]]:
    return [
        [run_id, e.code, "warning" if e.is_warning else "error", e.location, e.reason, now] for e in errors
    ]


def write_coded(
    con: duckdb.DuckDBPyConnection,
    coded: Iterable[tuple[Article, list[Event]]],
    run_id: str | None,
    now: datetime,
) -> BatchOutcome:
    """Insert the new articles of ``coded`` with their events; the caller holds the transaction."""
    items = list(coded)
    known = KnownArticles(con, [article for article, _ in items])
    outcome = BatchOutcome()
    article_rows: list[list[Any]] = []
    event_rows: list[list[Any]] = []
    for article, events in items:
        verdict = known.judge(article)
        if isinstance(verdict, ItemError):
            outcome.refused.append(verdict)
            continue
        if verdict is Verdict.STORED:
            outcome.already_stored += 1
            continue
        known.add(article)
        article_rows.append(article_row(article, run_id, now))
        stored_events = unique_events(article, events)
        event_rows.extend(event_row(event, run_id) for event in stored_events)
        outcome.new_articles += 1
        outcome.new_events += len(stored_events)
    _insert(con, "articles", ARTICLE_COLUMNS, article_rows)
    _insert(con, "events", EVENT_COLUMNS, event_rows)
    return outcome
