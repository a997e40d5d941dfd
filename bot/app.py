"""The ASGI application: every channel on one server. Build it with ``create_app(settings)``."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.channels import event_calendar, web
from bot.channels.line import webhook as line_webhook
from bot.channels.line.answering import LineAnswering
from bot.channels.line.delivery import RetryPolicy
from bot.channels.line.webhook import LineWebhook
from bot.channels.slack import app as slack_app
from bot.clock import utcnow
from bot.console import app as console
from bot.event_delivery import EventNoticeWorker
from bot.http_guard import SECURITY_HEADERS, CappedBody, SecurityHeaders
from bot.notice_delivery import NoticeWorker
from bot.person_delivery import Person, PersonDelivery
from bot.retention import apply_retention
from bot.services import Concierge
from bot.settings import Settings
from desk.handoffs import Recipient

log = logging.getLogger(__name__)
RETENTION_INTERVAL = 24 * 60 * 60  # seconds


def create_app(
    settings: Settings | None = None,
    *,
    concierge: Concierge | None = None,
    line_retry_policy: RetryPolicy | None = None,
) -> Starlette:
    settings = settings or Settings()
    concierge = concierge or Concierge.build(settings)

    async def retention_loop() -> None:
        while True:
            try:
                purged = await anyio.to_thread.run_sync(apply_retention, concierge.db, settings, utcnow())
                log.info(
                    "retention: deleted %d messages, %d questions, %d leads, %d idle people, %d alerts",
                    purged.messages,
                    purged.questions,
                    purged.leads,
                    purged.people,
                    purged.alerts,
                )
            except Exception:  # the database is away: try again next time
                log.exception("retention run failed")
            await anyio.sleep(RETENTION_INTERVAL)

    line_channel: LineAnswering | None = None
    line_hook: LineWebhook | None = None

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(concierge.migrate_if_embedded)
        log.info("ready: %d knowledge entries", len(concierge.kb))
        # Everything built so far (modules, the knowledge index, SDK models) lives as long as the
        # process: frozen, a full garbage collection no longer walks it, which under load had
        # stalled the event loop for a few hundred milliseconds at a time.
        gc.freeze()
        if line_channel is not None:
            await line_channel.start()
        async with anyio.create_task_group() as background:
            background.start_soon(retention_loop)
            if alert_worker is not None:  # in-process delivery of staff alerts (or run `concierge worker`)
                background.start_soon(alert_worker.run_forever)
            background.start_soon(event_worker.run_forever)  # event reminders and changes to applicants
            # Notices confirmed in Slack are sent from here too (opened here: the SDK's client
            # needs the running event loop).
            notice_worker = NoticeWorker.for_settings(settings, concierge.db) if slack_channel else None
            if notice_worker is not None:
                background.start_soon(notice_worker.run_forever)
            yield
            background.cancel_scope.cancel()
        if notice_worker is not None:
            await notice_worker.close()
        if line_channel is not None:
            await line_channel.close()
        concierge.close()

    async def healthz(_request: Request) -> Response:
        return JSONResponse({"status": "ok", "entries": len(concierge.kb)})

    async def http_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    async def unexpected_error(_request: Request, exc: Exception) -> Response:
        # Logged with its traceback (no request body: it may hold personal data); the client gets JSON.
        log.error("unhandled error", exc_info=exc)
        # Answered outside the middleware stack: the security headers are added here.
        headers = {name.decode(): value.decode() for name, value in SECURITY_HEADERS}
        return JSONResponse({"error": "internal error"}, status_code=500, headers=headers)

    if settings.line_channel_secret and settings.line_channel_access_token:
        line_channel = LineAnswering(settings, concierge.db, concierge.dispatcher, line_retry_policy)
        line_hook = LineWebhook(settings.line_channel_secret, line_channel)
    else:
        log.info("LINE is off: LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN are not set")

    slack_channel = slack_app.build(settings, concierge.db, concierge.dispatcher, line_channel)
    alert_worker = slack_app.alert_worker(settings, concierge.db, slack_channel) if slack_channel else None
    people = slack_channel.people if slack_channel else PersonDelivery(concierge.db, line_channel, None)
    event_worker = EventNoticeWorker(concierge.db, people, clock=concierge.dispatcher.clock)

    async def send_to_person(recipient: Recipient, text: str) -> bool:
        return await people.send(
            Person(recipient.user_id, recipient.channel, recipient.channel_user_id), text
        )

    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            *web.routes(concierge.dispatcher, settings),
            *line_webhook.routes(line_hook),
            *slack_app.routes(slack_channel),
            *event_calendar.routes(concierge.db, concierge.dispatcher.clock),
            *console.routes(concierge.db, settings, send_to_person, lambda: concierge.live_kb),
        ],
        # Every body is read here, capped, before a route, an SDK or a signature check sees it;
        # every response, a refusal of a body too, gets the security headers.
        middleware=[Middleware(SecurityHeaders), Middleware(CappedBody)],
        lifespan=lifespan,
        exception_handlers={HTTPException: http_error, Exception: unexpected_error},
    )
    app.state.concierge = concierge
    app.state.line = line_channel
    app.state.event_worker = event_worker
    return app
