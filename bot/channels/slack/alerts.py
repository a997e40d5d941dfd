"""Staff alerts in the staff channel: what was queued in the outbox, with 担当する/連絡済み/対応完了.

How each alert reads is in ``alert_blocks.py``; this module posts, updates and redacts them.
"""

from __future__ import annotations

import anyio
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack.alert_blocks import (
    LEAD_TITLE,
    REDACTED,
    handoff_blocks,
    handoff_body,
    lead_state_blocks,
    render_alert,
)
from bot.channels.slack.render import escape
from bot.storage import outbox
from bot.storage.database import Database
from bot.storage.models import Handoff, Lead
from bot.storage.outbox import Alert
from desk.leads import LeadState, state_of

# Slack's answers meaning "there is nothing left to redact there": done, not worth retrying.
NOTHING_TO_REDACT = frozenset(
    {"message_not_found", "channel_not_found", "cant_update_message", "is_archived"}
)


class SlackAlertSender:
    """The outbox's destination when Slack is configured.

    A handoff alert opens a thread; the person's later messages are posted into it, so the
    thread is remembered on the handoff (and a message waits until its thread exists).
    """

    def __init__(self, client: AsyncWebClient, channel: str, db: Database) -> None:
        self.client, self.channel, self.db = client, channel, db

    async def send(self, alert: Alert) -> str | None:
        if alert.kind == "redact":
            return await self._redact(alert.payload["ref"], str(alert.payload.get("reason", "request")))
        if alert.kind == "lead_status":
            await self._update_lead_alerts(int(alert.payload["lead_id"]))
            return None  # the posts updated are the lead's own alerts' (redacted with them)
        if alert.kind == "handoff_message":
            thread = await anyio.to_thread.run_sync(self._thread_of, alert.payload["handoff_id"])
            if thread is None:
                raise LookupError("the handoff's thread is not posted yet")
            channel, ts = thread.split(":", 1)
            if alert.payload.get("staff"):  # answered in the console: shown here so the thread is whole
                who = escape(alert.payload["staff"])
                text = f"管理画面から {who} さんが返信: {escape(alert.payload['text'])}"
            else:
                text = f"利用者より: {escape(alert.payload['text'])}"
            response = await self.client.chat_postMessage(channel=channel, thread_ts=ts, text=text)
            return f"{response['channel']}:{response['ts']}"
        if alert.kind == "notice_result":  # in the notice's thread, when it was composed in Slack
            channel, _, ts = str(alert.payload.get("thread") or self.channel).partition(":")
            text = escape(str(alert.payload["text"]))
            response = await self.client.chat_postMessage(channel=channel, thread_ts=ts or None, text=text)
            return f"{response['channel']}:{response['ts']}"
        if alert.kind == "handoff":
            text = "職員への相談の依頼"
            blocks = handoff_blocks(alert.payload["handoff_id"], handoff_body(alert.payload))
        else:
            text, blocks = render_alert(alert)
        response = await self.client.chat_postMessage(channel=self.channel, text=text, blocks=blocks)
        ref = f"{response['channel']}:{response['ts']}"
        if alert.kind == "handoff":
            await anyio.to_thread.run_sync(self._remember_thread, alert.payload["handoff_id"], ref)
        return ref

    async def _redact(self, ref: str, reason: str) -> str:
        channel, ts = ref.split(":", 1)
        text = REDACTED.get(reason, REDACTED["request"])
        blocks = [{"type": "section", "text": {"type": "plain_text", "text": text}}]
        try:
            await self.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
        except SlackApiError as exc:
            if exc.response.get("error") not in NOTHING_TO_REDACT:
                raise
        return ref

    async def _update_lead_alerts(self, lead_id: int) -> None:
        """The lead's posts show its status now (a change made in the console, not by a button)."""
        state, refs = await anyio.to_thread.run_sync(self._lead_posts, lead_id)
        if state is None:
            return  # forgotten meanwhile: its posts are being redacted instead
        blocks = lead_state_blocks(state)
        for ref in refs:
            channel, ts = ref.split(":", 1)
            try:
                await self.client.chat_update(channel=channel, ts=ts, text=LEAD_TITLE, blocks=blocks)
            except SlackApiError as exc:
                if exc.response.get("error") not in NOTHING_TO_REDACT:
                    raise

    def _lead_posts(self, lead_id: int) -> tuple[LeadState | None, list[str]]:
        with self.db.transaction() as session:
            lead = session.get(Lead, lead_id)
            if lead is None:
                return None, []
            return state_of(session, lead), outbox.posts_of_lead(session, lead_id)

    def _thread_of(self, handoff_id: int) -> str | None:
        with self.db.transaction() as session:
            handoff = session.get(Handoff, handoff_id)
            return handoff.thread_ref if handoff else None

    def _remember_thread(self, handoff_id: int, ref: str) -> None:
        with self.db.transaction() as session:
            handoff = session.get(Handoff, handoff_id)
            if handoff is not None:
                handoff.thread_ref = ref
