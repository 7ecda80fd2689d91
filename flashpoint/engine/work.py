"""The unit of work every runner maps: a batch of Articles in, each with its Events, out.

``code_batch`` is a pure function of its arguments (settings and articles) apart from a per-process
cache of the loaded coder, so a worker process or Dask worker loads the spaCy model once and then
codes batch after batch. A story the coder fails on costs that story only (E022); the batch is
redone story by story to find it. The batch reports which process coded it and that process's peak
memory, for the benchmark and the run summary.
"""

from __future__ import annotations

import os
import resource
import socket
import threading
import time
from dataclasses import dataclass, field

from ..coder import Coder
from ..config import Settings
from ..errors import ItemError
from ..records import Article, Event

_CODERS: dict[Settings, Coder] = {}
# spaCy pipelines are not documented as thread-safe: a Dask worker with several threads codes one
# batch at a time (the coder is CPU-bound under the GIL anyway; parallelism comes from processes).
_LOCK = threading.Lock()
KIB = 1024  # ru_maxrss is in KiB on Linux


@dataclass
class CodedBatch:
    """The coder's output for one batch, and where and how it ran."""

    results: list[tuple[Article, list[Event]]] = field(default_factory=list)
    failures: list[ItemError] = field(default_factory=list)  # E022: stories the coder failed on
    worker: str = ""  # "host:pid" of the process that coded it
    peak_rss: int = 0  # that process's peak resident memory so far, bytes
    seconds: float = 0.0  # time spent coding (not waiting)


def coder_for(settings: Settings) -> Coder:
    """The process's coder for ``settings``, built on first use."""
    coder = _CODERS.get(settings)
    if coder is None:
        coder = _CODERS[settings] = Coder(settings)
    return coder


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * KIB


def _one_by_one(coder: Coder, articles: list[Article]) -> CodedBatch:
    batch = CodedBatch()
    for article in articles:
        try:
            batch.results.extend(coder.code_articles([article]))
        except Exception as err:  # a coder bug on one story: report it, keep the others (E022)
            detail = f"{type(err).__name__}: {err}"
            batch.failures.append(ItemError.make("E022", article.location or article.story_id, detail=detail))
    return batch


def code_batch(settings: Settings, articles: list[Article]) -> CodedBatch:
    """Code ``articles`` (in order) with the coder for ``settings``."""
    with _LOCK:
        coder = coder_for(settings)
        started = time.perf_counter()
        try:
            batch = CodedBatch(results=list(coder.code_articles(articles)))
        except Exception:  # some story broke the batch: find it by coding them one at a time
            batch = _one_by_one(coder, articles)
        batch.seconds = time.perf_counter() - started
    batch.worker = worker_name()
    batch.peak_rss = peak_rss_bytes()
    return batch


def warm_up(settings: Settings) -> None:
    """Load the coder now (a pool initializer), so the first batch does not pay for it."""
    coder_for(settings)
