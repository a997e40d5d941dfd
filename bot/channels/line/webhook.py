"""``POST /line/webhook``: verify the signature, record each event once, acknowledge, then answer.

Events are written to ``inbound_events`` (unique by ``webhookEventId``) inside the request, so a
redelivery or the same event reaching a second worker is acknowledged and skipped, and an event
acknowledged just before a crash is answered after the restart. Answering happens after the
200 is sent: LINE's webhook never waits on our outbound calls. The turn and the reply it decided
commit with the claim on the event (``bot.storage.inbox``), so a crash never runs a turn twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeGuard

import anyio
from linebot.v3.webhook import SignatureValidator
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.channels.line.delivery import DeliveryFailed, LineDelivery, RetryPolicy
from bot.channels.line.events import Action, from_raw_fields, translate
from bot.channels.line.render import line_messages
from bot.clock import utcnow
from bot.dispatcher import Dispatcher
from bot.messages import Event as ChatEvent
from bot.messages import Reply
from bot.messages import Response as ChatResponse
from bot.settings import Settings
from bot.storage import inbox, records
from bot.storage.database import Database
from bot.storage.group_commit import GroupCommit
from bot.understanding import Reading

log = logging.getLogger(__name__)

SOURCE = "line"
MAX_EVENT_ID = 128  # the column's width
REPLY_TOKEN_LIFETIME = timedelta(seconds=50)  # LINE documents about a minute; stay inside it
STALE = timedelta(minutes=2)  # an answer this old and still undelivered died with its process
SWEEP_INTERVAL = timedelta(seconds=30)  # how often unfinished events are looked for
ACKNOWLEDGEMENTS_FIRST_FOR = 0.05  # seconds a turn waits for webhook requests in progress to finish
POLL_INTERVAL = 0.05  # seconds a worker waits when no new event is pending
# Turns decided together, in one transaction: they share it, its commit and the hop to a thread
# (full speed on SQLite: 278 answered/s one by one, 354 by four, 421 by eight, 442 by sixteen).
# A turn is mostly Python holding the GIL, so a bigger batch holds it longer against the next
# acknowledgement: at full speed ack p99 24 → 64 ms by eight, 110 ms by sixteen; at 200 events/s
# it stays 6-25 ms. SQLite has one writer anyway; on PostgreSQL a second batch computes while the
# first waits on the database (179 one by one, 263 by eight with two batches at once).
DECIDED_TOGETHER = 8
BATCHES_AT_ONCE = {"sqlite": 1, "postgresql": 2}
# Events a `concierge worker` holds: enough for two batches, few enough that workers share a burst.
WORKER_QUEUE = 2 * DECIDED_TOGETHER
ONE_TO_ONE_ONLY = (
    "このアカウントは1対1のトークでご利用ください。友だち追加して、個別にメッセージをお送りください。"
)
WELCOME_BACK = "おかえりなさい。また北見のことを気軽にお聞きください。"


@dataclass(frozen=True)
class Answer:
    """A claimed event's decided reply and where it goes."""

    reply: str  # the stored Response as JSON; "" when there is nothing to say
    action: Action
    received_at: datetime
    retry_key: str  # stable per event: LINE drops a second push carrying the same key


class LineChannel:
    """The LINE adapter: owns the validator and the delivery client, and the background answering tasks."""

    def __init__(
        self, settings: Settings, db: Database, dispatcher: Dispatcher, policy: RetryPolicy | None = None
    ) -> None:
        assert settings.line_channel_secret and settings.line_channel_access_token
        self.settings, self.policy = settings, policy
        self.validator = SignatureValidator(settings.line_channel_secret)
        self.db, self.dispatcher = db, dispatcher
        # With LINE_ANSWER_IN_WORKER a web process only acknowledges; `concierge worker` answers.
        self.answers_here = not settings.line_answer_in_worker
        self._answering: dict[int, asyncio.Task[None]] = {}  # the events this process is answering now
        self._delivery: LineDelivery | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self._accepts = GroupCommit(self.accept_many)
        self._finishes = GroupCommit(self.finish_many)
        self._acknowledging = 0  # webhook requests being acknowledged right now
        self._no_acknowledgements = asyncio.Event()
        self._no_acknowledgements.set()
        # A burst is decided a batch at a time, so acknowledging new events (a short insert) never
        # queues behind hundreds of turns waiting for the database or the thread pool. Deliveries
        # (waiting on LINE) happen outside the batches: they overlap freely with the next turns.
        self._answers = GroupCommit(
            self.answer_many, most=DECIDED_TOGETHER, writers=BATCHES_AT_ONCE.get(db.engine.dialect.name, 1)
        )

    @property
    def delivery(self) -> LineDelivery:
        assert self._delivery is not None, "LineChannel.start() runs in the app's lifespan"
        return self._delivery

    async def start(self) -> None:
        """Open the HTTP client (it needs the running loop) and answer what a restart left unfinished."""
        token = self.settings.line_channel_access_token or ""
        self._delivery = await LineDelivery.open(self.settings.line_api_base_url, token, self.policy)
        if self.answers_here:
            await self.resume_unfinished()
            self._sweeper = asyncio.create_task(self._sweep_forever())

    # -- the request ------------------------------------------------------------------------

    async def webhook(self, request: Request) -> Response:
        self._acknowledging += 1
        self._no_acknowledgements.clear()
        try:
            return await self._acknowledge(request)
        finally:
            self._acknowledging -= 1
            if not self._acknowledging:
                self._no_acknowledgements.set()

    async def _acknowledge(self, request: Request) -> Response:
        signature = request.headers.get("x-line-signature")
        if not signature:
            return JSONResponse({"error": "missing X-Line-Signature"}, status_code=400)
        body = await request.body()  # already read and capped by bot.http_guard.CappedBody
        try:
            text = body.decode("utf-8")
            if not self.validator.validate(text, signature):  # over the raw body, before parsing it
                return JSONResponse({"error": "invalid signature"}, status_code=400)
            events = json.loads(text)["events"]
        except (UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError):
            return JSONResponse({"error": "malformed webhook body"}, status_code=400)
        # Requests arriving together share one commit (group commit): alone, it is written at once.
        accepted = await self._accepts.submit(events if isinstance(events, list) else [])
        if self.answers_here:
            for row_id in accepted:
                self._spawn(row_id)
        return JSONResponse({"accepted": len(accepted)})

    def accept(self, events: list[Any]) -> list[int]:
        """Record one request's new events; returns their row ids (duplicates are left out)."""
        return self.accept_many([events])[0]

    def accept_many(self, requests: list[list[Any]]) -> list[list[int]]:
        """Record several requests' events in one transaction; the new row ids, per request."""
        now = utcnow()
        with self.db.statements() as connection:
            written = [
                [
                    inbox.accept(connection, SOURCE, raw["webhookEventId"], json.dumps(raw), now)
                    for raw in events
                    if isinstance(raw, dict) and _is_event_id(raw.get("webhookEventId"))
                ]
                for events in requests
            ]
        return [[row_id for row_id in accepted if row_id is not None] for accepted in written]

    def _spawn(self, row_id: int) -> None:
        if row_id in self._answering:
            return
        task = self._answering[row_id] = asyncio.create_task(self.process(row_id))
        task.add_done_callback(lambda _task: self._answering.pop(row_id, None))

    # -- answering --------------------------------------------------------------------------

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
            await asyncio.wait_for(self._no_acknowledgements.wait(), ACKNOWLEDGEMENTS_FIRST_FOR)
        answer = await self._answers.submit(row_id)
        if answer is None:
            return
        status = "done"
        messages = line_messages(answer.reply) if answer.reply else ()
        if messages and answer.action.target:
            fresh = not answer.action.redelivered and utcnow() - answer.received_at < REPLY_TOKEN_LIFETIME
            try:
                how = await self.delivery.deliver(
                    messages,
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
        """Claim the event and decide its response; None when it isn't ours (already answered)."""
        return self.answer_many([row_id])[0]

    def answer_many(self, row_ids: list[int]) -> list[Answer | None]:
        """Claim the events and decide their responses in one transaction, in order.

        Each event's claim, turn and stored reply commit together: a crash before the commit
        leaves it pending (the turn never happened), a crash after it leaves the reply, which
        the next attempt delivers without running the turn a second time. If one turn fails (a
        bug, a PostgreSQL deadlock between two workers' batches), the whole batch is undone and
        each event is tried again in a transaction of its own, so only the failing one is left
        pending for the sweep. (A savepoint per turn instead cost 0.3 ms a turn on SQLite.)
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
        self, session: Session, row_ids: list[int], readings: dict[int, Reading] | None = None
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
                response = self._respond(session, action, (readings or {}).get(row_id))
                reply = decided[row_id] = response.to_json() if response else ""
            retry_key = str(uuid.uuid5(uuid.NAMESPACE_URL, f"line:{event.event_id}"))
            answers.append(Answer(reply, action, event.received_at, retry_key))
        inbox.store_replies(connection, decided)
        return answers

    def _respond(self, session: Session, action: Action, reading: Reading | None) -> ChatResponse | None:
        """What to say for this event (None: nothing), from the intents."""
        if action.kind == "group":
            return ChatResponse([Reply(ONE_TO_ONE_ONLY)])
        if action.kind == "unfollow" and action.incoming:
            user = records.find_user(session, SOURCE, action.incoming.user_id)
            if user is not None:
                user.reachable = False
            return None
        if action.kind != "chat" or action.incoming is None:
            return None
        if action.incoming.event is ChatEvent.FOLLOW:  # followed again after blocking: notices reach them
            returning = records.find_user(session, SOURCE, action.incoming.user_id)
            if returning is not None:
                returning.reachable = True
        turn = self.dispatcher.handle_within(session, action.incoming, reading)
        if action.welcome_back:
            turn.response.replies.insert(0, Reply(WELCOME_BACK))
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

    # -- lifecycle --------------------------------------------------------------------------

    def unfinished_ids(self) -> list[int]:
        with self.db.statements() as connection:
            return inbox.unfinished(connection, SOURCE)

    async def resume_unfinished(self) -> None:
        """Answer events acknowledged but not finished: left by a restart, or by a worker that died."""
        for row_id in await anyio.to_thread.run_sync(self.unfinished_ids):
            self._spawn(row_id)

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
                    self._spawn(row_id)
                if not found:
                    await asyncio.sleep(POLL_INTERVAL)
        finally:
            await self.close()

    def _pending_ids(self, limit: int, taken: frozenset[int]) -> list[int]:
        with self.db.statements() as connection:
            return inbox.pending(connection, SOURCE, limit, taken)

    async def _sweep_forever(self) -> None:
        # An answered-but-undelivered event becomes takeable only once STALE has passed, so a
        # start-up pass alone would miss those from the last two minutes before a crash.
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


def _is_event_id(value: object) -> TypeGuard[str]:
    """LINE's ids are 26-character ULIDs; anything that isn't a short string is not one of its events."""
    return isinstance(value, str) and 0 < len(value) <= MAX_EVENT_ID


def routes(channel: LineChannel | None) -> list[Route]:
    async def disabled(_request: Request) -> Response:
        return JSONResponse(
            {"error": "LINE is not configured: set LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN"},
            status_code=503,
        )

    return [Route("/line/webhook", channel.webhook if channel else disabled, methods=["POST"])]
