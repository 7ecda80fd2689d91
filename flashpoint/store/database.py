"""The :class:`Store`: one DuckDB file holding articles, their events, runs and rejected items.

Writes are idempotent per article (:mod:`.writes`): an article is identified by its normalised URL or
its text hash; one already stored adds nothing, and a different article under a stored URL or story id
is refused with a numbered error. An article and its events are always written in one transaction, so
a crash never leaves half an article and a rerun picks up where the last one stopped.
``write_article_events`` commits each article; ``store_coded`` commits a worker's batch (with the
rejects read alongside it) at once for throughput, at the price of redoing that batch after a crash.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

import duckdb

from ..errors import FlashpointError, ItemError
from ..records import Article, Event
from . import queries
from .schema import ensure_schema
from .writes import BatchOutcome, KnownArticles, Verdict, reject_rows, write_coded

_INSERT_REJECTS = "INSERT INTO rejects VALUES (?, ?, ?, ?, ?, ?)"


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_run_id(now: datetime | None = None) -> str:
    """Sortable and unique: ``20140315T101500-1a2b3c4d``."""
    return f"{(now or _utcnow()):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


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
    def judge(self, articles: Sequence[Article]) -> list[Verdict | ItemError]:
        """For each article: NEW (code and store it), STORED (nothing to do) or the E014/E020 refusal.
        Read-only; lets a runner skip coding what a previous run already stored."""
        known = KnownArticles(self._con, articles)
        verdicts: list[Verdict | ItemError] = []
        for article in articles:
            verdict = known.judge(article)
            if verdict is Verdict.NEW:
                known.add(article)  # a second copy later in the same list is then STORED
            verdicts.append(verdict)
        return verdicts

    def is_stored(self, article: Article) -> bool:
        """True when this article (its identity or id, with this text) is already stored."""
        return self.judge([article])[0] is Verdict.STORED

    def store_coded(
        self,
        coded: Iterable[tuple[Article, list[Event]]],
        run_id: str | None = None,
        problems: Iterable[ItemError] = (),
    ) -> BatchOutcome:
        """Store coded articles and the batch's rejects in one transaction (all or none). ``problems``
        are the reader's errors and warnings for the same stretch of input; the refusals the write
        itself finds (E014, E020) are recorded too and returned in the outcome."""
        now = _utcnow()
        with self._transaction() as con:
            outcome = write_coded(con, coded, run_id, now)
            rows = reject_rows(run_id, [*problems, *outcome.refused], now)
            if rows:
                con.executemany(_INSERT_REJECTS, rows)
        return outcome

    def write_article_events(self, article: Article, events: list[Event], run_id: str | None = None) -> bool:
        """Store one article with its events, atomically. False when it adds nothing (already stored,
        or refused as E014/E020: use store_coded to get the reason)."""
        with self._transaction() as con:
            return write_coded(con, [(article, events)], run_id, _utcnow()).new_articles == 1

    def write_batch(self, items: Iterable[tuple[Article, list[Event]]], run_id: str | None = None) -> int:
        """Store many articles in one transaction (all or none of them); returns how many were new."""
        with self._transaction() as con:
            return write_coded(con, items, run_id, _utcnow()).new_articles

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
        rows = reject_rows(run_id, errors, _utcnow())
        if rows:
            with self._transaction() as con:
                con.executemany(_INSERT_REJECTS, rows)
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
