"""Group commit: many small writes from concurrent requests share one transaction.

A webhook acknowledgement's own transaction (session, BEGIN, COMMIT, a thread hop) costs more than
the insert in it. Here the first caller starts a write at once; whoever arrives while it runs
goes into the next one, so a lone request waits no longer than before and a burst shares commits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Generic, TypeVar

import anyio

Item = TypeVar("Item")
Result = TypeVar("Result")


class GroupCommit(Generic[Item, Result]):
    def __init__(
        self, write: Callable[[list[Item]], list[Result]], *, most: int | None = None, writers: int = 1
    ) -> None:
        """``write`` commits all its items in one transaction (in a worker thread) and returns
        one result per item, in order; if it raises, every caller of that write gets the error.
        ``most`` caps the items one write takes (the rest wait for the next); up to ``writers``
        writes run at once, each with its own items."""
        self._write = write
        self._most = most
        self._writers = writers
        self._queued: list[tuple[Item, asyncio.Future[Result]]] = []
        self._writing: set[asyncio.Task[None]] = set()

    async def submit(self, item: Item) -> Result:
        done: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._queued.append((item, done))
        if len(self._writing) < self._writers:
            self._writing.add(asyncio.create_task(self._write_queued()))
        return await done

    async def _write_queued(self) -> None:
        try:
            while self._queued:
                most = self._most or len(self._queued)
                batch, self._queued = self._queued[:most], self._queued[most:]
                try:
                    results = await anyio.to_thread.run_sync(self._write, [item for item, _ in batch])
                except Exception as exc:
                    for _, done in batch:
                        if not done.done():  # its caller may have been cancelled meanwhile
                            done.set_exception(exc)
                    continue
                for (_, done), result in zip(batch, results, strict=True):
                    if not done.done():
                        done.set_result(result)
        finally:
            # Leaves the set in the same step that saw the queue empty: a caller arriving after
            # that starts a new writer, never waits on one that has stopped.
            self._writing.discard(asyncio.current_task())
