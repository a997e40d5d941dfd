"""Answering the LINE events the webhook recorded: claim, run the turn, deliver, finish, sweep.

An event's claim, its turn and its rendered reply (LINE's message JSON, built once) commit in one
transaction (``bot.storage.inbox``): a crash before the commit leaves the event pending (the turn
never happened); a crash after it leaves the reply, which the next attempt sends without running
the turn again. Deliveries wait on LINE outside any transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import anyio
from sqlalchemy.orm import Session

from bot import wording
from bot.channels.line.delivery import DeliveryFailed, LineDelivery, RetryPolicy
from bot.channels.line.events import Action, from_raw_fields, translate
from bot.channels.line.render import line_messages
from bot.clock import utcnow
from bot.dispatcher import Dispatcher
from bot.messages import Reply, Response
from bot.settings import Settings
from bot.storage import inbox, records
from bot.storage.database import Database
from bot.storage.group_commit import GroupCommit
from bot.understanding import Reading

log = logging.getLogger(__name__)

SOURCE = "line"
REPLY_TOKEN_LIFETIME = timedelta(seconds=50)  # LINE documents about a minute; stay inside it
STALE = timedelta(minutes=2)  # an answer this old and still undelivered died with its process
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


@dataclass(frozen=True)
class Answer:
    """A claimed event's decided reply and where it goes."""

    reply: str  # LINE's message objects as a JSON list; "" when there is nothing to say
    action: Action
    received_at: datetime
    retry_key: str  # stable per event: LINE drops a second push carrying the same key


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
        self._answers = GroupCommit(
            self.answer_many, most=DECIDED_TOGETHER, writers=BATCHES_AT_ONCE.get(db.engine.dialect.name, 1)
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
        with self.db.statements() as connection:
            written = [
                [
                    inbox.accept(connection, SOURCE, raw["webhookEventId"], json.dumps(raw), now)
                    for raw in events
                ]
                for events in requests
            ]
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
                    _messages(answer.reply),
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
        """Claim the event and decide its reply; None when it isn't ours (already answered)."""
        return self.answer_many([row_id])[0]

    def answer_many(self, row_ids: list[int]) -> list[Answer | None]:
        """Claim the events and decide their replies in one transaction, in order.

        If one turn fails (a bug, a PostgreSQL deadlock between two workers' batches), the whole
        batch is undone and each event is tried again in a transaction of its own, so only the
        failing one is left pending for the sweep (a savepoint per turn would cost every turn).
        """
        readings = self._read_ahead(row_ids)
        try:
            with self.db.transaction() as session:
                return self._answer_within(session, row_ids, readings)
        except Exception:
            if len(row_ids) == 1:
                raise
            log.warning("LINE: a batch of %d turns failed; answering each alone", len(row_ids), exc_info=True)
        return [self._answer_alone(row_id) for row_id in row_ids]

    def _answer_alone(self, row_id: int) -> Answer | None:
        try:
            return self.answer(row_id)
        except Exception:
            log.exception("LINE event %d not answered; it stays unfinished for the next sweep", row_id)
            return None

    def _read_ahead(self, row_ids: list[int]) -> dict[int, Reading]:
        """The people's messages read before the batch's transaction, which then holds the
        database only for the turns themselves (on SQLite every writer waits for it)."""
        with self.db.statements() as connection:
            waiting = inbox.bodies(connection, row_ids)
        readings: dict[int, Reading] = {}
        for row_id, body in waiting.items():
            try:
                action = translate(json.loads(body))
            except Exception:  # read again, and logged, in the transaction
                continue
            reading = (
                self.dispatcher.read(action.incoming) if action.kind == "chat" and action.incoming else None
            )
            if reading is not None:
                readings[row_id] = reading
        return readings

    def _answer_within(
        self, session: Session, row_ids: list[int], readings: dict[int, Reading]
    ) -> list[Answer | None]:
        # The claims and the decided replies are one statement each for the whole batch.
        connection = session.connection()
        claimed = inbox.claim(connection, row_ids, utcnow(), STALE)
        decided: dict[int, str] = {}
        answers: list[Answer | None] = []
        for row_id in row_ids:  # in the order they arrived: one person's messages stay in order
            event = claimed.pop(row_id, None)  # taken once, even if an id came twice
            if event is None:
                answers.append(None)
                continue
            raw = json.loads(event.body)
            try:
                action = translate(raw)
            except Exception:  # a shape this SDK version can't read: its raw fields still tell a message
                action = from_raw_fields(raw)
                kind = str(raw.get("type"))[:40]  # the type only: the body may hold a person's words
                log.warning("LINE event %d of type %r not readable by the SDK: %s", row_id, kind, action.kind)
            reply = event.reply
            if reply is None:
                response = self._respond(session, action, readings.get(row_id))
                reply = decided[row_id] = _stored(response)
            retry_key = str(uuid.uuid5(uuid.NAMESPACE_URL, f"line:{event.event_id}"))
            answers.append(Answer(reply, action, event.received_at, retry_key))
        inbox.store_replies(connection, decided)
        return answers

    def _respond(self, session: Session, action: Action, reading: Reading | None) -> Response | None:
        """What to say for this event (None: nothing), from the intents."""
        if action.kind == "group":
            return Response([Reply(wording.ONE_TO_ONE_ONLY.ja)])
        if action.kind == "unfollow" and action.incoming:
            user = records.find_user(session, SOURCE, action.incoming.user_id)
            if user is not None:
                user.reachable = False
            return None
        if action.kind != "chat" or action.incoming is None:
            return None
        turn = self.dispatcher.handle_within(session, action.incoming, reading)
        if action.welcome_back:
            turn.response.replies.insert(0, Reply(wording.WELCOME_BACK.ja))
        return turn.response

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


def _stored(response: Response | None) -> str:
    """The reply as kept with its event until delivered: LINE's messages, rendered once."""
    return json.dumps(line_messages(response), ensure_ascii=False) if response else ""


def _messages(reply: str) -> list[dict[str, Any]]:
    """The stored reply's messages. One kept as a channel-neutral Response (a JSON object, as
    releases before the rendered form stored it) is rendered now, so none is lost across a deploy."""
    stored = json.loads(reply)
    return stored if isinstance(stored, list) else list(line_messages(Response.from_data(stored)))
