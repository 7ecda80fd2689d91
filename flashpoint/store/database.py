"""The :class:`Store`: one DuckDB file holding articles, their events, runs and rejected items.

Writes are idempotent per article: an article whose text is already stored (same story id, same
text hash) adds nothing, and one whose text changed replaces its old events. An article and its
events are always written in one transaction, so a crash never leaves half an article and a rerun
picks up where the last one stopped. ``write_article_events`` commits each article (about 1 ms of
a ~4 ms write, small beside coding it); ``write_batch`` commits a worker's batch at once for
throughput, at the price of redoing that batch after a crash. A distributed run writes Parquet
shards instead."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

import duckdb

from ..errors import FlashpointError, ItemError
from ..records import Article, Event
from . import queries
from .rows import article_row, event_row, text_hash
from .schema import ARTICLE_COLUMNS, EVENT_COLUMNS, ensure_schema

_INSERT_ARTICLE = (
    f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) VALUES ({', '.join('?' * len(ARTICLE_COLUMNS))})"
)
_INSERT_EVENTS = f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) VALUES"
_EVENT_PLACEHOLDERS = f"({', '.join('?' * len(EVENT_COLUMNS))})"
EVENT_ROWS_PER_INSERT = 200  # keeps one statement's parameter list modest for articles with many events


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_run_id(now: datetime | None = None) -> str:
    """Sortable and unique: ``20140315T101500-1a2b3c4d``."""
    return f"{(now or _utcnow()):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


def _insert_events(con: duckdb.DuckDBPyConnection, rows: list[list[Any]]) -> None:
    # One multi-row INSERT per chunk: executemany binds row by row and is several times slower.
    for first in range(0, len(rows), EVENT_ROWS_PER_INSERT):
        chunk = rows[first : first + EVENT_ROWS_PER_INSERT]
        values = ", ".join([_EVENT_PLACEHOLDERS] * len(chunk))
        con.execute(f"{_INSERT_EVENTS} {values}", [value for row in chunk for value in row])


def _write_one(
    con: duckdb.DuckDBPyConnection, article: Article, events: list[Event], run_id: str | None
) -> bool:
    """The body of an article write; the caller holds the transaction."""
    digest = text_hash(article.text)
    row = con.execute("SELECT text_hash FROM articles WHERE story_id = ?", [article.story_id]).fetchone()
    if row is not None and row[0] == digest:
        return False
    if row is not None:  # the story's text changed: its old events no longer hold
        con.execute("DELETE FROM events WHERE story_id = ?", [article.story_id])
        con.execute("DELETE FROM articles WHERE story_id = ?", [article.story_id])
    con.execute(_INSERT_ARTICLE, article_row(article, run_id, _utcnow()))
    unique: dict[str, Event] = {}
    for position, event in enumerate(events):
        if not event.id:  # no evidence span to derive the id from: fall back to the position
            event = replace(event, id=Event.make_id(article.story_id, event.event, -1, position))
        unique.setdefault(event.id, event)  # the same event found twice is stored once
    _insert_events(con, [event_row(event, run_id) for event in unique.values()])
    return True


class Store:
    """A flashpoint database. ``Store(path)`` opens or creates it; use it as a context manager.

    ``read_only=True`` opens an existing file for queries only (several readers may share it).
    A file that is locked by another writer, is not a DuckDB database, or cannot be created raises
    FlashpointError E201.
    """

    def __init__(self, path: str, read_only: bool = False) -> None:
        self.path = path
        try:
            self._con = duckdb.connect(path, read_only=read_only)
            if not read_only:
                ensure_schema(self._con)
        except duckdb.Error as err:
            raise FlashpointError("E201", path=path, detail=err) from err

    # -- lifecycle ----------------------------------------------------------------------------
    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The open DuckDB connection, for analysis queries that the methods here do not cover."""
        return self._con

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self._con.begin()
        try:
            yield self._con
        except BaseException:
            self._con.rollback()
            raise
        self._con.commit()

    # -- writes -------------------------------------------------------------------------------
    def is_stored(self, article: Article) -> bool:
        """True when this exact article (id and text) is already stored: no need to code it again."""
        row = self._con.execute(
            "SELECT text_hash FROM articles WHERE story_id = ?", [article.story_id]
        ).fetchone()
        return row is not None and row[0] == text_hash(article.text)

    def write_article_events(self, article: Article, events: list[Event], run_id: str | None = None) -> bool:
        """Store one article with its events, atomically. False when it was already stored unchanged."""
        with self._transaction() as con:
            return _write_one(con, article, events, run_id)

    def write_batch(self, items: Iterable[tuple[Article, list[Event]]], run_id: str | None = None) -> int:
        """Store many articles in one transaction (all or none of them); returns how many were new.
        Saves the per-commit cost when a worker hands back a batch of coded articles."""
        with self._transaction() as con:
            return sum(_write_one(con, article, events, run_id) for article, events in items)

    def start_run(self, command: str) -> str:
        """Record the start of a run (an ingest or code command) and return its id."""
        run_id = new_run_id()
        self._con.execute(
            "INSERT INTO runs (run_id, started_at, command) VALUES (?, ?, ?)", [run_id, _utcnow(), command]
        )
        return run_id

    def finish_run(
        self,
        run_id: str,
        n_articles: int | None = None,
        n_events: int | None = None,
        n_rejects: int | None = None,
    ) -> None:
        """Close a run. Counts left as None are taken from what this run stored (errors, not warnings)."""
        stored = self._con.execute(
            """
            SELECT (SELECT count(*) FROM articles WHERE run_id = $run),
                   (SELECT count(*) FROM events WHERE run_id = $run),
                   (SELECT count(*) FROM rejects WHERE run_id = $run AND severity = 'error')
            """,
            {"run": run_id},
        ).fetchone()
        assumed = stored if stored is not None else (0, 0, 0)
        self._con.execute(
            "UPDATE runs SET finished_at = ?, n_articles = ?, n_events = ?, n_rejects = ? WHERE run_id = ?",
            [
                _utcnow(),
                assumed[0] if n_articles is None else n_articles,
                assumed[1] if n_events is None else n_events,
                assumed[2] if n_rejects is None else n_rejects,
                run_id,
            ],
        )

    def write_rejects(self, run_id: str | None, errors: Iterable[ItemError]) -> int:
        """Record bad items (and warnings, marked as such) for a run; returns how many were written."""
        now = _utcnow()
        rows = [
            [
                run_id,
                error.code,
                "warning" if error.is_warning else "error",
                error.location,
                error.reason,
                now,
            ]
            for error in errors
        ]
        if rows:
            with self._transaction() as con:
                con.executemany("INSERT INTO rejects VALUES (?, ?, ?, ?, ?, ?)", rows)
        return len(rows)

    # -- reads --------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        return queries.counts(self._con)

    def count_events_by_type(self) -> dict[str, int]:
        return queries.count_events_by_type(self._con)

    def count_events_by_dyad(self, limit: int = 20) -> list[dict[str, Any]]:
        return queries.count_events_by_dyad(self._con, limit)

    def events(self, limit: int | None = 100, offset: int = 0, **filters: str | None) -> list[dict[str, Any]]:
        """Event records; filters: story_id, event, actor_code, recipient_code, dyad, date_from, date_to."""
        return queries.select_events(self._con, limit, offset, **filters)  # type: ignore[arg-type]

    def rejects(self, run_id: str | None = None) -> list[dict[str, Any]]:
        where, params = ("WHERE run_id = ?", [run_id]) if run_id is not None else ("", [])
        sql = f'SELECT * FROM rejects {where} ORDER BY "at", rowid'
        return queries.fetch_dicts(self._con, sql, params)

    def runs(self) -> list[dict[str, Any]]:
        return queries.fetch_dicts(self._con, "SELECT * FROM runs ORDER BY started_at")

    def article(self, story_id: str) -> dict[str, Any] | None:
        rows = queries.fetch_dicts(self._con, "SELECT * FROM articles WHERE story_id = ?", [story_id])
        return rows[0] if rows else None
