"""The slack-bolt app: people's chat (``chat.py``); the staff desk's lead buttons (``staff.py``),
handoffs (``staff_handoffs.py``) and /concierge (``staff_command.py``), with its modals.

Listeners translate and deliver; the router decides what to say, the desk what staff may do.
Every event is recorded in
``inbound_events`` under Slack's ``event_id`` first, so a retry (``X-Slack-Retry-Num``) or
the same event on two workers never answers twice.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.alert_delivery import AlertWorker
from bot.channels.slack import alerts
from bot.channels.slack.chat import SlackChat, click_key, first_time, from_a_bot
from bot.channels.slack.event_modal import EventModal
from bot.channels.slack.notice_modal import NoticeDesk
from bot.channels.slack.staff import SlackStaffDesk
from bot.channels.slack.staff_command import ConciergeCommand
from bot.channels.slack.staff_handoffs import SlackHandoffDesk
from bot.dispatcher import Dispatcher
from bot.http_guard import UnreadableBody, read_text
from bot.person_delivery import PersonDelivery
from bot.settings import Settings
from bot.storage.database import Database

if TYPE_CHECKING:
    from bot.channels.line.answering import LineAnswering

log = logging.getLogger(__name__)


def slack_client(settings: Settings) -> AsyncWebClient:
    return AsyncWebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url)


class SlackChannel:
    def __init__(
        self, settings: Settings, db: Database, dispatcher: Dispatcher, line: LineAnswering | None = None
    ) -> None:
        self.settings, self.db, self.dispatcher = settings, db, dispatcher
        self.client = slack_client(settings)
        self.people = PersonDelivery(db, line, self.client)
        token = settings.slack_bot_token

        async def authorize(**_context: Any) -> AuthorizeResult:
            # One workspace, one token: no auth.test round trip, so an unreachable Slack can neither
            # stop the server at start nor turn an incoming request into a 500.
            return AuthorizeResult(enterprise_id=None, team_id=None, bot_token=token)

        # Requests are verified by `routes` before bolt sees them (bolt would log a refused body).
        self.verifier = SignatureVerifier(settings.slack_signing_secret or "")
        self.app = AsyncApp(
            client=self.client,
            signing_secret=settings.slack_signing_secret,
            authorize=authorize,
            request_verification_enabled=False,
        )
        chat = SlackChat(db, dispatcher, self.client)
        chat.register(self.app)
        staff_channel = settings.slack_staff_channel

        async def in_a_staff_thread(event: dict[str, Any]) -> bool:
            return (
                not from_a_bot(event)
                and not event.get("subtype")
                and bool(event.get("thread_ts"))
                and event.get("channel") == staff_channel
            )

        self.staff = SlackStaffDesk(
            settings, db, self.client, self.people, self._first_click, self._first_time
        )
        self.handoffs = SlackHandoffDesk(self.staff)
        self.app.event("message", matchers=[in_a_staff_thread])(self.handoffs.on_thread_reply)
        self.staff.register(self.app)
        self.handoffs.register(self.app)
        self.command = ConciergeCommand(settings, db, self.staff.is_staff)
        self.command.register(self.app)
        self.notices = NoticeDesk(self)
        self.events = EventModal(
            db, self.client, settings.slack_staff_channel, self.staff.is_staff, dispatcher.clock
        )
        self.events.register(self.app)
        self.command.commands.update(
            event=self.events.command, events=self.events.command, notice=self.notices.command
        )
        chat.register_last(self.app)

    def _first_time(self, event_id: str) -> bool:
        return first_time(self.db, event_id)

    def _first_click(self, body: dict[str, Any], action: dict[str, Any]) -> bool:
        """False for a click already handled: a replayed request carries the same trigger and time."""
        return first_time(self.db, click_key(body, action))


def build(
    settings: Settings, db: Database, dispatcher: Dispatcher, line: LineAnswering | None = None
) -> SlackChannel | None:
    if settings.slack_bot_token and settings.slack_signing_secret:
        return SlackChannel(settings, db, dispatcher, line)
    log.info("Slack is off: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not set; alerts stay queued")
    return None


def alert_worker(settings: Settings, db: Database, channel: SlackChannel) -> AlertWorker | None:
    if not settings.slack_staff_channel:
        log.warning("SLACK_STAFF_CHANNEL is not set: staff alerts stay queued")
        return None
    sender = alerts.SlackAlertSender(channel.client, settings.slack_staff_channel, db)
    return AlertWorker(db, sender, hourly_cap=settings.lead_alerts_per_hour)


def routes(channel: SlackChannel | None) -> list[Route]:
    if channel is None:

        async def disabled(_request: Request) -> Response:
            message = "Slack is not configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET"
            return JSONResponse({"error": message}, status_code=503)

        return [Route("/slack/events", disabled, methods=["POST"])]
    handler = AsyncSlackRequestHandler(channel.app)

    async def events(request: Request) -> Response:
        # Verified here, on the capped body, before bolt parses anything: a refusal is one short
        # log line (no body: it may hold a person's words), and a timestamp that isn't a number
        # is a refusal like any other, not an error.
        timestamp = request.headers.get("x-slack-request-timestamp", "")
        signature = request.headers.get("x-slack-signature", "")
        try:
            body = await read_text(request)  # Slack signs UTF-8 text
            valid = (
                timestamp.isdigit()
                and bool(signature)
                and channel.verifier.is_valid(body, timestamp, signature)
            )
        except UnreadableBody:
            valid = False
        if not valid:
            log.info("Slack request refused: missing, invalid or expired signature")
            return JSONResponse({"error": "invalid request signature"}, status_code=401)
        try:
            return await handler.handle(request)
        except (RecursionError, ValueError, AttributeError, TypeError, KeyError):
            # bolt parses the body itself and trips over JSON nested beyond reason, `null`, or a
            # list where it expects an object: a signed request can still be nonsense.
            return JSONResponse({"error": "malformed request body"}, status_code=400)

    return [Route("/slack/events", events, methods=["POST"])]
