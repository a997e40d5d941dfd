"""The slack-bolt app: DMs and mentions through the router; the staff desk's buttons, thread
replies and /concierge are registered from ``staff.py``.

Listeners translate and deliver; the router decides what to say, the desk what staff may do.
Every event is recorded in ``inbound_events`` under Slack's ``event_id`` first, so a retry
(``X-Slack-Retry-Num``) or the same event on two workers never answers twice.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import anyio
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
from bot.channels.slack.render import CHOICE_ACTION, blocks, escape
from bot.channels.slack.staff import SlackStaffDesk
from bot.clock import utcnow
from bot.dispatcher import Dispatcher
from bot.messages import Channel, Incoming
from bot.person_delivery import PersonDelivery
from bot.settings import Settings
from bot.storage import inbox
from bot.storage.database import Database

if TYPE_CHECKING:
    from bot.channels.line.webhook import LineChannel

log = logging.getLogger(__name__)
MENTION = re.compile(r"<@[A-Z0-9]+>\s*")


def slack_client(settings: Settings) -> AsyncWebClient:
    return AsyncWebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url)


class SlackChannel:
    def __init__(
        self, settings: Settings, db: Database, dispatcher: Dispatcher, line: LineChannel | None = None
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
        self.app.event("message")(self._on_message)
        self.app.event("app_mention")(self._on_mention)
        self.app.action(re.compile(rf"^{CHOICE_ACTION}:\d+$"))(self._on_choice)
        self.staff = SlackStaffDesk(
            settings, db, self.client, self.people, self._first_click, self._first_time
        )
        self.staff.register(self.app)
        # Last: every other block_actions (link buttons, whose action_id Slack may generate) is
        # acknowledged, or Slack shows the person an error.
        self.app.action(re.compile(r".*"))(self._on_other_action)

    # -- people ---------------------------------------------------------------------------

    def _first_time(self, event_id: str) -> bool:
        with self.db.statements() as connection:
            return inbox.accept(connection, "slack", event_id, None, utcnow()) is not None

    async def _answer(self, user: str, text: str = "", payload: str | None = None) -> Any:
        message = Incoming(Channel.SLACK, user, text=text, payload=payload)
        return (await anyio.to_thread.run_sync(self.dispatcher.handle, message)).response

    def _first_click(self, body: dict[str, Any], action: dict[str, Any]) -> bool:
        """False for a click already handled: a replayed request carries the same trigger and time."""
        who = (body.get("user") or {}).get("id")
        key = f"action:{body.get('trigger_id')}:{action.get('action_ts')}:{who}:{action.get('action_id')}"
        key = key[:128]
        return self._first_time(key)

    async def _on_message(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        if _from_a_bot(event) or event.get("subtype"):
            return
        if event.get("thread_ts") and event.get("channel") == self.settings.slack_staff_channel:
            await self.staff.on_thread_reply(body, event)
            return
        if event.get("channel_type") != "im":
            return
        if not await anyio.to_thread.run_sync(self._first_time, body.get("event_id") or event["ts"]):
            return
        response = await self._answer(event["user"], event.get("text", ""))
        await self.client.chat_postMessage(
            channel=event["channel"],
            thread_ts=event.get("thread_ts"),  # a question asked in a thread is answered there
            text=escape(response.text[:3000]),
            blocks=blocks(response),
        )

    async def _on_mention(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        if _from_a_bot(event):  # two bots answering each other would never stop
            return
        if not await anyio.to_thread.run_sync(self._first_time, body.get("event_id") or event["ts"]):
            return
        response = await self._answer(event["user"], MENTION.sub("", event.get("text", "")))
        await self.client.chat_postMessage(
            channel=event["channel"],
            thread_ts=event.get("thread_ts") or event["ts"],
            text=escape(response.text[:3000]),
            blocks=blocks(response),
        )

    async def _on_choice(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        if not await anyio.to_thread.run_sync(self._first_click, body, action):
            return
        response = await self._answer(
            body["user"]["id"], action.get("text", {}).get("text", ""), action["value"]
        )
        channel = (body.get("channel") or {}).get("id") or body["user"]["id"]
        await self.client.chat_postMessage(
            channel=channel,
            thread_ts=_thread_of_button(body),  # pressed under a threaded answer: answer there
            text=escape(response.text[:3000]),
            blocks=blocks(response),
        )

    async def _on_other_action(self, ack: Any) -> None:
        await ack()


def _from_a_bot(event: dict[str, Any]) -> bool:
    return bool(event.get("bot_id") or event.get("bot_profile")) or event.get("subtype") == "bot_message"


def _thread_of_button(body: dict[str, Any]) -> str | None:
    """The thread a pressed button's message is in, if any."""
    container, message = body.get("container") or {}, body.get("message") or {}
    return container.get("thread_ts") or message.get("thread_ts") or None


def build(
    settings: Settings, db: Database, dispatcher: Dispatcher, line: LineChannel | None = None
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
        body = await request.body()
        timestamp = request.headers.get("x-slack-request-timestamp", "")
        signature = request.headers.get("x-slack-signature", "")
        try:
            valid = (
                timestamp.isdigit()
                and bool(signature)
                and channel.verifier.is_valid(body, timestamp, signature)
            )
        except UnicodeDecodeError:  # Slack signs UTF-8 text
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
