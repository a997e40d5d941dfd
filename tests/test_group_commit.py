"""Group commit: callers' items share writes, each caller gets its own result, none is left waiting."""

from __future__ import annotations

import asyncio
import random
import threading

import pytest

from bot.storage.group_commit import GroupCommit


async def test_items_arriving_together_share_writes_of_at_most_the_cap() -> None:
    writes: list[list[int]] = []

    def write(items: list[int]) -> list[int]:
        writes.append(items)
        return [item * 10 for item in items]

    group = GroupCommit(write, most=3)
    results = await asyncio.gather(*(group.submit(i) for i in range(8)))
    assert results == [i * 10 for i in range(8)]
    assert sorted(i for batch in writes for i in batch) == list(range(8))
    assert max(map(len, writes)) == 3 and len(writes) < 8  # shared, and capped


async def test_two_writers_run_their_writes_at_once() -> None:
    both = threading.Barrier(2, timeout=5)  # passes only when two writes are in progress together

    def write(items: list[str]) -> list[str]:
        both.wait()
        return items

    group = GroupCommit(write, most=1, writers=2)
    assert await asyncio.gather(group.submit("a"), group.submit("b")) == ["a", "b"]


async def test_a_failed_write_fails_only_its_own_callers() -> None:
    def write(items: list[int]) -> list[int]:
        if 13 in items:
            raise RuntimeError("disk full")
        return items

    group = GroupCommit(write, most=1)
    outcomes = await asyncio.gather(*(group.submit(i) for i in (12, 13, 14)), return_exceptions=True)
    assert outcomes[0] == 12 and isinstance(outcomes[1], RuntimeError) and outcomes[2] == 14


@pytest.mark.parametrize("writers", [1, 2])
async def test_no_caller_waits_forever_when_it_arrives_as_a_writer_stops(writers: int) -> None:
    def write(items: list[int]) -> list[int]:
        return items

    group = GroupCommit(write, most=4, writers=writers)
    rng = random.Random(7)

    async def caller(i: int) -> int:
        await asyncio.sleep(rng.random() / 100)  # arrivals spread around writes finishing
        return await group.submit(i)

    results = await asyncio.wait_for(asyncio.gather(*(caller(i) for i in range(300))), timeout=30)
    assert results == list(range(300))
