"""Ordered, bounded mapping over a stream of batches: the flow control both runners share.

At most ``window`` batches are in flight (submitted, not yet handed back), so memory stays bounded
however long the input; results come back in input order, so the store writes what an uninterrupted
run, a rerun and a one-process run would write, in the same order. A batch with no articles is not
submitted at all; it keeps its place in the order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

from ..records import Article
from .work import CodedBatch

Key = TypeVar("Key")
Handle = TypeVar("Handle")


class OrderedWindow(Generic[Handle]):
    """``submit(articles) -> handle`` starts a batch, ``collect(handle) -> CodedBatch`` waits for it."""

    def __init__(
        self,
        submit: Callable[[list[Article]], Handle],
        collect: Callable[[Handle], CodedBatch],
        window: int,
    ) -> None:
        self._submit = submit
        self._collect = collect
        self.window = max(1, window)

    def map(self, batches: Iterable[tuple[Key, list[Article]]]) -> Iterator[tuple[Key, CodedBatch]]:
        pending: deque[tuple[Key, Handle | None]] = deque()
        for key, articles in batches:
            while len(pending) >= self.window:
                yield self._pop(pending)
            pending.append((key, self._submit(articles) if articles else None))
        while pending:
            yield self._pop(pending)

    def _pop(self, pending: deque[tuple[Key, Handle | None]]) -> tuple[Key, CodedBatch]:
        key, handle = pending.popleft()
        return key, CodedBatch() if handle is None else self._collect(handle)
