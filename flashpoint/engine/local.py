"""Run the coder on this machine: in this process (``workers=1``) or in a pool of worker processes.

Workers are started with ``spawn`` (a fresh interpreter each; no inherited DuckDB connection or
threads) and load the model once, in the pool initializer. Batches go out and come back in order
through :class:`~.window.OrderedWindow`, a few per worker in flight so no worker waits on the writer.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import TypeVar

from ..config import Settings
from ..errors import FlashpointError
from ..records import Article
from .window import OrderedWindow
from .work import CodedBatch, code_batch, warm_up

Key = TypeVar("Key")
BATCHES_IN_FLIGHT_PER_WORKER = 2  # one being coded, one queued: the worker never idles on the writer


class LocalRunner:
    """Maps :func:`~.work.code_batch` over batches with ``workers`` processes (1: no pool at all)."""

    def __init__(self, settings: Settings, workers: int = 1) -> None:
        self.settings = settings
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=warm_up,
                initargs=(self.settings,),
            )
        return self._pool

    def _submit(self, articles: list[Article]) -> Future[CodedBatch]:
        return self._start().submit(code_batch, self.settings, articles)

    @staticmethod
    def _collect(future: Future[CodedBatch]) -> CodedBatch:
        try:
            return future.result()
        except BrokenProcessPool as err:
            raise FlashpointError("E207", detail=err) from err

    def map(self, batches: Iterable[tuple[Key, list[Article]]]) -> Iterator[tuple[Key, CodedBatch]]:
        """(key, articles) in, (key, coded batch) out, in the same order."""
        if self.workers == 1:
            for key, articles in batches:
                yield key, code_batch(self.settings, articles) if articles else CodedBatch()
            return
        window = OrderedWindow(self._submit, self._collect, self.workers * BATCHES_IN_FLIGHT_PER_WORKER)
        yield from window.map(batches)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> LocalRunner:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
