"""The slack-bolt app: people's chat (``bot.channels.slack.chat``), staff buttons, and /concierge.

Listeners translate and deliver; the router decides what to say. Every event is recorded in
``inbound_events`` under Slack's ``event_id`` first, so a retry (``X-Slack-Retry-Num``) or the
same event on two workers never answers twice.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import anyio
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.alert_delivery import AlertWorker
from bot.channels.slack import alerts
from bot.channels.slack.chat import SlackChat, click_key, first_time, from_a_bot
from bot.channels.slack.event_modal import EventModal
from bot.channels.slack.notice_modal import NoticeDesk
from bot.channels.slack.render import escape, unescape
from bot.clock import utcnow
from bot.conversation import IDLE
from bot.dispatcher import Dispatcher
from bot.http_guard import UnreadableBody, read_text
from bot.person_delivery import Person, PersonDelivery
from bot.settings import Settings
from bot.storage import gaps, handoffs, leads, records
from bot.storage.database import Database
from bot.storage.models import Handoff, Lead, MessageLog, User
from intents.handoff import BOT_BACK, HANDOFF_OVER, HUMAN_ANSWERING

if TYPE_CHECKING:
    from bot.channels.line.answering import LineAnswering

log = logging.getLogger(__name__)
REFUSED = "この操作は市の担当職員だけが使えます。"


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

        self.app.event("message", matchers=[in_a_staff_thread])(self._on_staff_thread_reply)
        self.app.action(re.compile(r"^lead:(claim|contacted|done)$"))(self._on_staff_button)
        self.app.action(re.compile(r"^handoff:(claim|done)$"))(self._on_handoff_button)
        self.notices = NoticeDesk(self)
        self.app.command("/concierge")(self._on_command)
        self.events = EventModal(
            db, self.client, settings.slack_staff_channel, self.is_staff, dispatcher.clock
        )
        self.events.register(self.app)
        chat.register_last(self.app)

    def _first_time(self, event_id: str) -> bool:
        return first_time(self.db, event_id)

    def _first_click(self, body: dict[str, Any], action: dict[str, Any]) -> bool:
        """False for a click already handled: a replayed request carries the same trigger and time."""
        return first_time(self.db, click_key(body, action))

    # -- staff ----------------------------------------------------------------------------

    async def _on_staff_thread_reply(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        """A staff answer in a handoff thread goes to the person, on their channel."""
        if not await self.is_staff(event.get("user", "")):
            return
        if not await anyio.to_thread.run_sync(self._first_time, body.get("event_id") or event["ts"]):
            return
        thread = f"{event['channel']}:{event['thread_ts']}"
        person = await anyio.to_thread.run_sync(self._handoff_person, thread, None)
        if person is None:
            # Only a handoff's own thread is told it is over; staff talk under a lead alert (or any
            # other message) is theirs, and the concierge says nothing there.
            if await anyio.to_thread.run_sync(self._is_handoff_thread, thread):
                await self.client.chat_postMessage(
                    channel=event["channel"], thread_ts=event["thread_ts"], text=HANDOFF_OVER
                )
            return
        said = str(event.get("text", ""))
        if person.channel != "slack":  # Slack sends & < > as entities; elsewhere they are just text
            said = unescape(said)
        await self.people.send(person, f"市の担当職員からの返信です:\n{said}")

    def _is_handoff_thread(self, thread: str) -> bool:
        with self.db.transaction() as session:
            return handoffs.by_thread(session, thread) is not None

    def _handoff_person(
        self, thread: str | None, handoff_id: int | None, close: bool = False, staff: str | None = None
    ) -> Person | None:
        now = utcnow()
        with self.db.transaction() as session:
            handoff = handoffs.by_thread(session, thread) if thread else session.get(Handoff, handoff_id)
            if handoff is None or handoffs.active(session, handoff.id, now) is None:
                return None
            if staff and not handoff.claimed_by:
                handoff.claimed_by, handoff.status = staff, "claimed"
            user = session.get(User, handoff.user_id)
            if user is None:
                return None
            if close:
                handoffs.close(session, handoff, now)
                records.save_conversation(session, user, IDLE, now)
            return Person(user.id, user.channel, user.channel_user_id)

    async def _on_handoff_button(
        self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any
    ) -> None:
        staff = await self._staff_only(ack, body, action, respond)
        if staff is None:
            return
        verb, handoff_id = action["action_id"].split(":", 1)[1], int(action["value"])
        person = await anyio.to_thread.run_sync(
            lambda: self._handoff_person(None, handoff_id, close=verb == "done", staff=staff)
        )
        if person is None:
            await respond(text=HANDOFF_OVER, replace_original=False)
            return
        await self.people.send(person, HUMAN_ANSWERING if verb == "claim" else BOT_BACK)
        status = "claimed" if verb == "claim" else "closed"
        details = _section_text(body) or "職員への相談"
        await self._update_alert(
            body, "職員への相談", alerts.handoff_blocks(handoff_id, details, status, staff, utcnow())
        )

    async def _staff_only(
        self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any
    ) -> str | None:
        """Acknowledge a staff button; the presser's id, or None (and a private refusal) for anyone
        else, or None (silently) when this very click was handled already."""
        await ack()
        staff = str(body["user"]["id"])
        if await self.is_staff(staff):
            return staff if await anyio.to_thread.run_sync(self._first_click, body, action) else None
        await respond(text=REFUSED, response_type="ephemeral", replace_original=False)
        return None

    async def _update_alert(self, body: dict[str, Any], text: str, new_blocks: list[dict[str, Any]]) -> None:
        message = body.get("container") or {}
        await self.client.chat_update(
            channel=str(message.get("channel_id") or self.settings.slack_staff_channel),
            ts=str(message.get("message_ts")),
            text=text,
            blocks=new_blocks,
        )

    async def is_staff(self, user_id: str) -> bool:
        if self.settings.staff_user_ids:
            return user_id in self.settings.staff_user_ids
        if not self.settings.slack_staff_channel:
            return False
        members = await self.client.conversations_members(channel=self.settings.slack_staff_channel)
        return user_id in (members.get("members") or [])

    async def _on_staff_button(
        self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any
    ) -> None:
        staff = await self._staff_only(ack, body, action, respond)
        if staff is None:
            return
        verb = action["action_id"].split(":", 1)[1]
        lead_id = int(action["value"])
        update = await anyio.to_thread.run_sync(self._staff_update, lead_id, verb, staff)
        if update is None:
            await respond(
                text=f"No.{lead_id} の登録は見つかりません(削除された可能性があります)。",
                replace_original=False,
            )
            return
        changed, holder, status, who, when, title, body_text = update
        if not changed:
            await respond(text=f"No.{lead_id} は <@{holder}> さんが担当しています。", replace_original=False)
            return
        await self._update_alert(
            body, title, alerts.lead_blocks(lead_id, title, body_text, status, who, when)
        )

    def _staff_update(self, lead_id: int, verb: str, staff: str) -> tuple[Any, ...] | None:
        with self.db.transaction() as session:
            result = leads.staff_update(session, lead_id, verb, staff, utcnow())
            lead = result.lead
            if lead is None:
                return None
            user = session.get(leads.User, lead.user_id)
            payload = leads.alert_payload(lead, user) if user else {}
            body_text = alerts.lead_fields(payload)
            return (
                result.changed,
                result.holder,
                lead.status,
                lead.claimed_by,
                lead.claimed_at,
                "移住の登録",
                body_text,
            )

    async def _on_command(self, ack: Any, command: dict[str, Any], respond: Any) -> None:
        await ack()
        if not await self.is_staff(command["user_id"]):
            await respond(text=REFUSED, response_type="ephemeral")
            return
        words = (command.get("text") or "").split()
        if words[:1] in (["event"], ["events"]):
            await self.events.command(words, command, respond)
            return
        if words[:1] == ["notice"]:
            await self.notices.open(command)
            return
        in_staff_channel = command.get("channel_id") == self.settings.slack_staff_channel
        text = await anyio.to_thread.run_sync(self._command_text, words, in_staff_channel)
        await respond(text=text, response_type="ephemeral")

    def _command_text(self, words: list[str], in_staff_channel: bool) -> str:
        verb = words[0] if words else "help"
        with self.db.transaction() as session:
            if verb == "leads":
                rows = leads.open_leads(session)
                lines = [
                    f"No.{r.id} {alerts.STATUS_LABELS.get(r.status, r.status)} {r.created_at:%m/%d} "
                    f"{escape(r.timing)} / {escape(r.work_plan)}"
                    + (f" {escape(r.name)}" if in_staff_channel else "")
                    for r in rows
                ]
                return "未完了の登録(新しい順):\n" + ("\n".join(lines) or "ありません")
            if verb == "lead" and len(words) > 1 and words[1].isdigit():
                lead = session.get(Lead, int(words[1]))
                if lead is None:
                    return "見つかりません。"
                if not in_staff_channel:  # personal data is shown in the staff channel only
                    status = alerts.STATUS_LABELS.get(lead.status)
                    return f"No.{lead.id}: {status}。詳細は職員チャンネルで実行してください。"
                user = session.get(leads.User, lead.user_id)
                return alerts.lead_fields(leads.alert_payload(lead, user)) if user else "見つかりません。"
            if verb == "stats":
                since = utcnow() - timedelta(days=7)
                questions = session.scalar(
                    select(func.count())
                    .select_from(MessageLog)
                    .where(MessageLog.direction == "in", MessageLog.created_at >= since)
                )
                by_source = session.execute(
                    select(Lead.source, func.count()).where(Lead.created_at >= since).group_by(Lead.source)
                ).all()
                total = sum(count for _source, count in by_source)
                sources = "、".join(f"{escape(s or '直接')} {c}" for s, c in by_source) or "なし"
                return f"この7日間: 質問 {questions} 件、登録 {total} 件(きっかけ別: {sources})"
            if verb == "gaps":
                top = gaps.top_gaps(session, 10)
                return "答えられなかった質問(多い順):\n" + (
                    "\n".join(f"{g.count}回 {escape(g.question)}" for g in top) or "なし"
                )
        return (
            "使い方: /concierge leads | lead 番号 | stats | gaps | events"
            " | event [番号 | cancel 番号] | notice"
        )


def _section_text(body: dict[str, Any]) -> str | None:
    """The details section of the message a button was pressed on (kept when the message is updated)."""
    for block in (body.get("message") or {}).get("blocks") or []:
        if block.get("type") == "section":
            return str((block.get("text") or {}).get("text") or "") or None
    return None


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
