"""Answering the LINE events the webhook recorded: decide (``turns``), deliver, finish, sweep.

Replies are decided a batch at a time in the background, delivered outside any transaction, and
an event is finished only once LINE took its reply (or gave up on it). What a crash or a dead
worker left unfinished is found again: at start-up, by a sweep, or by `concierge worker`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import anyio

from bot.channels.line.delivery import DeliveryFailed, LineDelivery, RetryPolicy
from bot.channels.line.turns import SOURCE, Answer, LineTurns, messages_of
from bot.clock import utcnow
from bot.dispatcher import Dispatcher
from bot.settings import Settings
from bot.storage import inbox
from bot.storage.database import Database
from bot.storage.group_commit import GroupCommit

log = logging.getLogger(__name__)

REPLY_TOKEN_LIFETIME = timedelta(seconds=50)  # LINE documents about a minute; stay inside it
SWEEP_INTERVAL = timedelta(seconds=30)  # how often unfinished events are looked for
ACKNOWLEDGEMENTS_FIRST_FOR = 0.05  # seconds a turn waits for webhook requests in progress to finish
POLL_INTERVAL = 0.05  # seconds a worker waits when no new event is pending
# Turns decided together share one transaction, its commit and the hop to a thread. Bigger batches
# hold the GIL longer against the next acknowledgement (docs/benchmarks.md has the trade-off).
DECIDED_TOGETHER = 8
# SQLite has one writer; on PostgreSQL a second batch computes while the first waits on the database.
BATCHES_AT_ONCE = {"sqlite": 1, "postgresql": 2}
# Events a `concierge worker` holds: enough for two batches, few enough that workers share a burst.
WORKER_QUEUE = 2 * DECIDED_TOGETHER


class InFlight:
    """Counts requests in progress; ``idle`` is set when there are none."""

    def __init__(self) -> None:
        self.count = 0
        self.idle = asyncio.Event()
        self.idle.set()

    @contextlib.contextmanager
    def one(self) -> Iterator[None]:
        self.count += 1
        self.idle.clear()
        try:
            yield
        finally:
            self.count -= 1
            if not self.count:
                self.idle.set()


class LineAnswering:
    """Records LINE events and answers them: in the web process, or in `concierge worker`."""

    def __init__(
        self, settings: Settings, db: Database, dispatcher: Dispatcher, policy: RetryPolicy | None = None
    ) -> None:
        self.settings, self.policy = settings, policy
        self.db, self.dispatcher = db, dispatcher
        # With LINE_ANSWER_IN_WORKER a web process only acknowledges; `concierge worker` answers.
        self.answers_here = not settings.line_answer_in_worker
        self.acknowledging = InFlight()  # webhook requests being acknowledged right now
        self._answering: dict[int, asyncio.Task[None]] = {}  # the events this process is answering now
        self._delivery: LineDelivery | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self._finishes = GroupCommit(self.finish_many)
        # A burst is decided a batch at a time, so acknowledging new events (a short insert) never
        # queues behind many turns waiting for the database or the thread pool. Deliveries (waiting
        # on LINE) happen outside the batches: they overlap freely with the next turns.
        self.turns = LineTurns(db, dispatcher)
        self._answers = GroupCommit(
            self.turns.answer_many,
            most=DECIDED_TOGETHER,
            writers=BATCHES_AT_ONCE.get(db.engine.dialect.name, 1),
        )

    @property
    def delivery(self) -> LineDelivery:
        assert self._delivery is not None, "LineAnswering.start() runs in the app's lifespan"
        return self._delivery

    async def start(self) -> None:
        """Open the HTTP client (it needs the running loop) and answer what a restart left unfinished."""
        token = self.settings.line_channel_access_token or ""
        self._delivery = await LineDelivery.open(self.settings.line_api_base_url, token, self.policy)
        if self.answers_here:
            await self.resume_unfinished()
            self._sweeper = asyncio.create_task(self._sweep_forever())

    # -- recording --------------------------------------------------------------------------

    def accept(self, events: list[dict[str, Any]]) -> list[int]:
        """Record one request's new events; returns their row ids (duplicates are left out)."""
        return self.accept_many([events])[0]

    def accept_many(self, requests: list[list[dict[str, Any]]]) -> list[list[int]]:
        """Record several requests' events in one transaction; the new row ids, per request."""
        now = utcnow()
        # In event-id order: two workers batching the same redelivered events in different orders
        # would otherwise each hold one unique key the other waits for (a PostgreSQL deadlock).
        places = [(asked, at) for asked, events in enumerate(requests) for at in range(len(events))]
        places.sort(key=lambda place: str(requests[place[0]][place[1]]["webhookEventId"]))
        written: list[list[int | None]] = [[None] * len(events) for events in requests]
        with self.db.statements() as connection:
            for asked, position in places:
                raw = requests[asked][position]
                written[asked][position] = inbox.accept(
                    connection, SOURCE, raw["webhookEventId"], json.dumps(raw), now
                )
        return [[row_id for row_id in accepted if row_id is not None] for accepted in written]

    def spawn(self, row_id: int) -> None:
        """Answer the event in the background (once per process, however often it is asked)."""
        if row_id in self._answering:
            return
        task = self._answering[row_id] = asyncio.create_task(self.process(row_id))
        task.add_done_callback(lambda _task: self._answering.pop(row_id, None))

    # -- one event ----------------------------------------------------------------------------

    async def process(self, row_id: int) -> None:
        try:
            await self._process(row_id)
        except Exception:
            log.exception("LINE event %d not answered; it stays unfinished for the next sweep", row_id)

    async def _process(self, row_id: int) -> None:
        # Acknowledgements first: a turn holds the GIL (and SQLite's lock) for milliseconds, and
        # LINE waits on the acknowledgement, not on the answer. Bounded, so a steady stream of
        # webhooks slows answering down but never stops it.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.acknowledging.idle.wait(), ACKNOWLEDGEMENTS_FIRST_FOR)
        answer = await self._answers.submit(row_id)
        if answer is None:
            return
        status = "done"
        if answer.reply and answer.action.target:
            fresh = not answer.action.redelivered and utcnow() - answer.received_at < REPLY_TOKEN_LIFETIME
            try:
                how = await self.delivery.deliver(
                    messages_of(answer.reply),
                    reply_token=answer.action.reply_token,
                    target=answer.action.target,
                    retry_key=answer.retry_key,
                    fresh=fresh,
                )
                log.info("LINE event %d answered by %s", row_id, how)
            except DeliveryFailed:
                log.warning("LINE event %d: delivery failed", row_id)
                status = "failed"
        await self._finishes.submit((row_id, status))

    def answer(self, row_id: int) -> Answer | None:
        return self.turns.answer(row_id)

    def answer_many(self, row_ids: list[int]) -> list[Answer | None]:
        return self.turns.answer_many(row_ids)

    def finish(self, row_id: int, status: str) -> None:
        self.finish_many([(row_id, status)])

    def finish_many(self, finished: list[tuple[int, str]]) -> list[None]:
        """Mark several events done or failed in one transaction."""
        now = utcnow()
        with self.db.statements() as connection:
            for status in {status for _, status in finished}:
                row_ids = [row_id for row_id, its_status in finished if its_status == status]
                inbox.finish(connection, row_ids, status, now)
        return [None] * len(finished)

    # -- what is left unfinished --------------------------------------------------------------

    def unfinished_ids(self) -> list[int]:
        with self.db.statements() as connection:
            return inbox.unfinished(connection, SOURCE)

    async def resume_unfinished(self) -> None:
        """Answer events acknowledged but not finished: left by a restart, or by a worker that died."""
        for row_id in await anyio.to_thread.run_sync(self.unfinished_ids):
            self.spawn(row_id)

    async def run_forever(self) -> None:
        """`concierge worker`: answer events the web processes acknowledged, oldest first."""
        self.answers_here = True
        await self.start()
        try:
            while True:
                # Take more only while a little work is queued here, so several workers share a burst.
                room = WORKER_QUEUE - len(self._answering)
                if room < DECIDED_TOGETHER:  # fetch a batch's worth at a time, not one by one
                    await asyncio.wait(self._answering.values(), return_when=asyncio.FIRST_COMPLETED)
                    continue
                taken = frozenset(self._answering)
                found = await anyio.to_thread.run_sync(self._pending_ids, room, taken)
                for row_id in found:
                    self.spawn(row_id)
                if not found:
                    await asyncio.sleep(POLL_INTERVAL)
        finally:
            await self.close()

    def _pending_ids(self, limit: int, taken: frozenset[int]) -> list[int]:
        with self.db.statements() as connection:
            return inbox.pending(connection, SOURCE, limit, taken)

    async def _sweep_forever(self) -> None:
        # An answered-but-undelivered event becomes takeable only once STALE has passed, so a
        # start-up pass alone would miss those from the last minutes before a crash.
        while True:
            await asyncio.sleep(SWEEP_INTERVAL.total_seconds())
            try:
                await self.resume_unfinished()
            except Exception:  # the database is away: the next sweep tries again
                log.warning("LINE sweep for unfinished events failed; retrying later", exc_info=True)

    async def close(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
        if self._answering:
            await asyncio.wait(list(self._answering.values()), timeout=10)
        if self._delivery is not None:
            await self._delivery.close()
