"""ingest(): INPUT arguments in, a store holding their articles, events and rejects out.

The stream: ``read_inputs`` (one item at a time) → batches of ``batch_size`` articles, each judged
against the store first so a rerun codes only what is not stored yet → the runner (this process, a
process pool, or Dask) codes the batches, a few in flight → back in input order, each batch is
written with the reader's rejects for the same stretch of input in one transaction. Memory holds the
batches in flight, never the corpus. A run killed at any moment leaves whole batches only; running it
again skips what is stored and ends with the same database as an uninterrupted run.

A write that fails (disk full, file gone) reports each article of that batch as E021 and stops the
run with E203: continuing would only fail again; the rerun resumes where this one stopped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

import duckdb

from ..config import Settings
from ..errors import FlashpointError, ItemError
from ..ingest import ReadOptions, read_inputs
from ..records import Article
from ..store import Store
from ..store.writes import Verdict
from .progress import ProgressBar
from .work import CodedBatch

Key = TypeVar("Key")
# Articles per task: about a second of coding, so a crash redoes little and a task is cheap to ship.
BATCH_ARTICLES = 16
MAX_PROBLEMS_PER_BATCH = 1_000  # a file of nothing but bad lines still flows through in bounded batches


class Runner(Protocol):
    workers: int

    def map(self, batches: Iterable[tuple[Key, list[Article]]]) -> Iterator[tuple[Key, CodedBatch]]: ...


@dataclass
class Batch:
    """A stretch of the input: the articles to code, and what else the stretch held."""

    to_code: list[Article] = field(default_factory=list)
    problems: list[ItemError] = field(default_factory=list)  # reader errors and warnings, E014/E020 refusals
    already_stored: int = 0
    items: int = 0  # input items in this stretch (articles and errors; warnings are no items)


@dataclass
class IngestSummary:
    """What a run did. ``peak_rss`` is each worker process's peak memory in bytes."""

    run_id: str
    new_articles: int = 0
    new_events: int = 0
    already_stored: int = 0
    rejected: int = 0
    warnings: int = 0
    coded: int = 0
    words: int = 0
    peak_rss: dict[str, int] = field(default_factory=dict)


def plan_batches(items: Iterable[Article | ItemError], store: Store, size: int) -> Iterator[Batch]:
    """Group the input stream into batches, dropping (and counting) what the store already holds.
    A batch's problems stay in input order, the store's refusals (E014, E020) among the reader's."""
    articles: list[tuple[int, Article]] = []
    problems: list[tuple[int, ItemError]] = []
    items_seen = 0

    def flush() -> Batch:
        batch = Batch(items=items_seen)
        found = list(problems)
        verdicts = store.judge([article for _, article in articles])
        for (position, article), verdict in zip(articles, verdicts, strict=True):
            if verdict is Verdict.NEW:
                batch.to_code.append(article)
            elif verdict is Verdict.STORED:
                batch.already_stored += 1
            else:
                found.append((position, verdict))
        batch.problems = [problem for _, problem in sorted(found, key=lambda pair: pair[0])]
        return batch

    for position, item in enumerate(items):
        if isinstance(item, ItemError):
            problems.append((position, item))
            items_seen += not item.is_warning
        else:
            articles.append((position, item))
            items_seen += 1
        if len(articles) >= size or len(problems) >= MAX_PROBLEMS_PER_BATCH:
            yield flush()
            articles, problems, items_seen = [], [], 0
    if articles or problems:
        yield flush()


class WriteFailed(Exception):
    """A batch could not be written; carries the per-item errors to report before E203."""

    def __init__(self, errors: list[ItemError], cause: duckdb.Error) -> None:
        super().__init__(str(cause))
        self.errors = errors
        self.cause = cause


def _store_batch(
    store: Store, run_id: str, batch: Batch, coded: CodedBatch, summary: IngestSummary
) -> list[ItemError]:
    """Write one coded batch; the problems to report. A failed write is E021 per article, then E203."""
    problems = [*batch.problems, *coded.failures]
    try:
        outcome = store.store_coded(coded.results, run_id, problems)
    except duckdb.Error as err:
        lost = [ItemError.make("E021", a.location or a.story_id, detail=err) for a, _ in coded.results]
        raise WriteFailed(problems + lost, err) from err
    summary.new_articles += outcome.new_articles
    summary.new_events += outcome.new_events
    summary.already_stored += batch.already_stored + outcome.already_stored
    return problems + outcome.refused


def ingest(
    inputs: Iterable[str],
    store: Store,
    settings: Settings,
    runner: Runner,
    *,
    report: Callable[[ItemError], None],
    default_date: str | None = None,
    options: ReadOptions | None = None,
    progress: ProgressBar | None = None,
    command: str = "ingest",
    batch_size: int = BATCH_ARTICLES,
) -> IngestSummary:
    """Code ``inputs`` into ``store`` with ``runner``; every bad item goes to ``report`` and the rejects
    table. FlashpointError E203 when the database stops accepting writes, E207 when a worker dies."""
    items = read_inputs(inputs, settings, default_date, options=options)  # checks default_date first
    try:
        run_id = store.start_run(command)
    except duckdb.Error as err:
        raise FlashpointError("E203", path=store.path, detail=err) from err
    summary = IngestSummary(run_id)
    batches = ((batch, batch.to_code) for batch in plan_batches(items, store, batch_size))
    for batch, coded in runner.map(batches):
        try:
            reported = _store_batch(store, run_id, batch, coded, summary)
        except WriteFailed as failed:
            for error in failed.errors:
                report(error)
            raise FlashpointError("E203", path=store.path, detail=failed.cause) from failed.cause
        for error in reported:
            report(error)
            summary.warnings += error.is_warning
            summary.rejected += not error.is_warning
        words = sum(len(article.text.split()) for article, _ in coded.results)
        summary.coded += len(coded.results)
        summary.words += words
        if coded.worker:
            summary.peak_rss[coded.worker] = max(summary.peak_rss.get(coded.worker, 0), coded.peak_rss)
        if progress is not None:
            progress.advance(batch.items, len(coded.results), words)
    try:
        store.finish_run(run_id, summary.new_articles, summary.new_events, summary.rejected)
    except duckdb.Error as err:
        raise FlashpointError("E203", path=store.path, detail=err) from err
    return summary
