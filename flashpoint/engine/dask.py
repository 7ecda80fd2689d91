"""Run the coder on a Dask cluster: the same :func:`~.work.code_batch`, on the cluster's workers.

Given a scheduler address (``tcp://host:8786``) the runner connects to that cluster; without one it
starts a :class:`distributed.LocalCluster` of ``workers`` single-threaded worker processes on this
machine. Each worker process keeps its own loaded coder between tasks. Batches are submitted a few per
worker thread ahead and collected in order (:class:`~.window.OrderedWindow`), so the driver's memory
stays bounded and the store writes in input order; a worker that dies has its batch rerun by Dask.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Any, TypeVar

from ..config import Settings
from ..errors import FlashpointError
from ..records import Article
from .window import OrderedWindow
from .work import CodedBatch, code_batch

Key = TypeVar("Key")
CONNECT_TIMEOUT_SECONDS = 30  # a scheduler that does not answer in this time is reported as E206
BATCHES_IN_FLIGHT_PER_THREAD = 2  # one being coded, one queued on each worker thread


class DaskRunner:
    """Maps :func:`~.work.code_batch` over batches on a Dask cluster."""

    def __init__(
        self,
        settings: Settings,
        scheduler: str | None = None,
        workers: int = 1,
        connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
    ) -> None:
        from distributed import Client, LocalCluster  # deferred: a heavy import only this engine needs

        self.settings = settings
        self._cluster: Any = None
        address = scheduler or "a local cluster"
        try:
            if scheduler:
                self.client = Client(scheduler, timeout=connect_timeout)
            else:
                self._cluster = LocalCluster(
                    n_workers=max(1, workers), threads_per_worker=1, processes=True, dashboard_address=None
                )
                self.client = Client(self._cluster)
        except (OSError, TimeoutError) as err:
            self.close()
            raise FlashpointError("E206", address=address, detail=err) from err
        info = self.client.scheduler_info()["workers"].values()
        self.workers = len(info)
        self.threads = sum(int(worker.get("nthreads", 1)) for worker in info) or 1

    def _submit(self, articles: list[Article]) -> Any:
        return self.client.submit(code_batch, self.settings, articles, pure=False)

    @staticmethod
    def _collect(future: Any) -> CodedBatch:
        batch: CodedBatch = future.result()
        future.release()
        return batch

    def map(self, batches: Iterable[tuple[Key, list[Article]]]) -> Iterator[tuple[Key, CodedBatch]]:
        """(key, articles) in, (key, coded batch) out, in the same order."""
        window = OrderedWindow(self._submit, self._collect, self.threads * BATCHES_IN_FLIGHT_PER_THREAD)
        yield from window.map(batches)

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def __enter__(self) -> DaskRunner:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
