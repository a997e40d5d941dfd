"""``POST /line/webhook``: verify the signature, record each event once, acknowledge, then answer.

Events are written to ``inbound_events`` (unique by ``webhookEventId``) inside the request, so a
redelivery or the same event reaching a second worker is acknowledged and skipped, and an event
acknowledged just before a crash is answered after the restart. Answering happens after the
200 is sent: LINE's webhook never waits on our outbound calls.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from datetime import timedelta
from typing import Any

import anyio
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.webhook import WebhookParser
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.channels.line.delivery import DeliveryFailed, LineDelivery, RetryPolicy
from bot.channels.line.events import Action, translate
from bot.channels.line.render import render
from bot.clock import utcnow
from bot.dispatcher import Dispatcher
from bot.messages import Reply
from bot.messages import Response as ChatResponse
from bot.settings import Settings
from bot.storage import records
from bot.storage.database import Database
from bot.storage.models import InboundEvent

log = logging.getLogger(__name__)

SOURCE = "line"
MAX_BODY = 1024 * 1024
REPLY_TOKEN_LIFETIME = timedelta(seconds=50)  # LINE documents about a minute; stay inside it
STALE = timedelta(minutes=2)  # an attempt this old died with its process
CONCURRENT_ANSWERS = 4  # measured against 2 and 8 in bench/webhook_load.py: 4 answers most per second
ONE_TO_ONE_ONLY = (
    "このアカウントは1対1のトークでご利用ください。友だち追加して、個別にメッセージをお送りください。"
)
WELCOME_BACK = "おかえりなさい。また北見のことを気軽にお聞きください。"


class LineChannel:
    """The LINE adapter: owns the parser and the delivery client, and the background answering tasks."""

    def __init__(
        self, settings: Settings, db: Database, dispatcher: Dispatcher, policy: RetryPolicy | None = None
    ) -> None:
        assert settings.line_channel_secret and settings.line_channel_access_token
        self.settings, self.policy = settings, policy
        self.parser = WebhookParser(settings.line_channel_secret)
        self.db, self.dispatcher = db, dispatcher
        self.tasks: set[asyncio.Task[None]] = set()
        self._delivery: LineDelivery | None = None
        # A burst is answered a few at a time, so acknowledging new events (a short insert) never
        # queues behind hundreds of turns waiting for the database or the thread pool.
        self._answering = asyncio.Semaphore(CONCURRENT_ANSWERS)

    @property
    def delivery(self) -> LineDelivery:
        assert self._delivery is not None, "LineChannel.start() runs in the app's lifespan"
        return self._delivery

    async def start(self) -> None:
        """Open the HTTP client (it needs the running loop) and answer what a restart left pending."""
        token = self.settings.line_channel_access_token or ""
        self._delivery = LineDelivery(self.settings.line_api_base_url, token, self.policy)
        await self.resume_pending()

    # -- the request ------------------------------------------------------------------------

    async def webhook(self, request: Request) -> Response:
        signature = request.headers.get("x-line-signature")
        if not signature:
            return JSONResponse({"error": "missing X-Line-Signature"}, status_code=400)
        body = await request.body()
        if len(body) > MAX_BODY:
            return JSONResponse({"error": "body too large"}, status_code=413)
        try:
            text = body.decode("utf-8")
            self.parser.parse(text, signature)  # verifies the signature over the raw body first
            events = json.loads(text)["events"]
        except InvalidSignatureError:
            return JSONResponse({"error": "invalid signature"}, status_code=400)
        except (UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError):
            return JSONResponse({"error": "malformed webhook body"}, status_code=400)
        accepted = await anyio.to_thread.run_sync(self._accept, events)
        for row_id in accepted:
            self._spawn(row_id)
        return JSONResponse({"accepted": len(accepted)})

    def _accept(self, events: list[dict[str, Any]]) -> list[int]:
        """Record new events; returns their row ids (duplicates are simply not returned)."""
        accepted = []
        now = utcnow()
        with self.db.transaction() as session:
            for raw in events:
                event_id = raw.get("webhookEventId") if isinstance(raw, dict) else None
                if not event_id:
                    continue
                if records.accept_event(session, SOURCE, str(event_id), json.dumps(raw), now):
                    row = session.scalars(
                        select(InboundEvent).where(
                            InboundEvent.source == SOURCE, InboundEvent.event_id == event_id
                        )
                    ).one()
                    accepted.append(row.id)
        return accepted

    def _spawn(self, row_id: int) -> None:
        task = asyncio.create_task(self.process(row_id))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    # -- answering --------------------------------------------------------------------------

    async def process(self, row_id: int) -> None:
        try:
            async with self._answering:
                await self._process(row_id)
        except Exception:
            log.exception("LINE event %d not answered; it stays pending for the next start", row_id)

    async def _process(self, row_id: int) -> None:
        loaded = await anyio.to_thread.run_sync(self._load, row_id)
        if loaded is None:
            return
        raw, received_at, retry_key = loaded
        try:
            action = translate(raw)
        except Exception:  # an event type this SDK version can't read
            log.info("LINE event %d of type %s ignored", row_id, raw.get("type"))
            await anyio.to_thread.run_sync(self._finish, row_id, "done")
            return
        response = await self._respond(action)
        if response is not None and response.replies and action.target:
            fresh = not action.redelivered and utcnow() - received_at < REPLY_TOKEN_LIFETIME
            try:
                how = await self.delivery.deliver(
                    render(response),
                    reply_token=action.reply_token,
                    target=action.target,
                    retry_key=retry_key,
                    fresh=fresh,
                )
                log.info("LINE event %d answered by %s", row_id, how)
            except DeliveryFailed:
                log.warning("LINE event %d: delivery failed", row_id)
                await anyio.to_thread.run_sync(self._finish, row_id, "failed")
                return
        await anyio.to_thread.run_sync(self._finish, row_id, "done")

    async def _respond(self, action: Action) -> ChatResponse | None:
        if action.kind == "group":
            return ChatResponse([Reply(ONE_TO_ONE_ONLY)])
        if action.kind == "unfollow" and action.incoming:
            await anyio.to_thread.run_sync(self._mark_unreachable, action.incoming.user_id)
            return None
        if action.kind != "chat" or action.incoming is None:
            return None
        turn = await anyio.to_thread.run_sync(self.dispatcher.handle, action.incoming)
        if action.welcome_back:
            turn.response.replies.insert(0, Reply(WELCOME_BACK))
        return turn.response

    def _load(self, row_id: int) -> tuple[dict[str, Any], Any, str] | None:
        """The event to answer, claimed for this attempt; None when it is already done."""
        now = utcnow()
        with self.db.transaction() as session:
            row = session.get(InboundEvent, row_id, with_for_update=True)
            if row is None or row.body is None:
                return None
            stale = (
                row.status == "processing" and row.processed_at is not None and row.processed_at < now - STALE
            )
            if row.status != "pending" and not stale:
                return None  # another task or worker has it
            row.status, row.processed_at = "processing", now  # processed_at: when this attempt began
            row.attempts += 1
            # A stable retry key per event: LINE drops a second push carrying the same key.
            return (
                json.loads(row.body),
                row.received_at,
                str(uuid.uuid5(uuid.NAMESPACE_URL, f"line:{row.event_id}")),
            )

    def _finish(self, row_id: int, status: str) -> None:
        with self.db.transaction() as session:
            row = session.get(InboundEvent, row_id)
            if row is not None:
                row.status, row.processed_at = status, utcnow()
                row.body = None  # the message text is not kept here once answered

    def _mark_unreachable(self, user_id: str) -> None:
        with self.db.transaction() as session:
            user = records.find_user(session, "line", user_id)
            if user is not None:
                user.reachable = False

    # -- lifecycle --------------------------------------------------------------------------

    def pending_ids(self) -> list[int]:
        with self.db.transaction() as session:
            return list(
                session.scalars(
                    select(InboundEvent.id).where(
                        InboundEvent.source == SOURCE, InboundEvent.status.in_(("pending", "processing"))
                    )
                )
            )

    async def resume_pending(self) -> None:
        """Answer events acknowledged before a restart but never answered (by push: their tokens expired)."""
        for row_id in await anyio.to_thread.run_sync(self.pending_ids):
            self._spawn(row_id)

    async def close(self) -> None:
        if self.tasks:
            await asyncio.wait(self.tasks, timeout=10)
        if self._delivery is not None:
            await self._delivery.close()


def routes(channel: LineChannel | None) -> list[Route]:
    async def disabled(_request: Request) -> Response:
        return JSONResponse(
            {"error": "LINE is not configured: set LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN"},
            status_code=503,
        )

    return [Route("/line/webhook", channel.webhook if channel else disabled, methods=["POST"])]
