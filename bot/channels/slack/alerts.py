"""Staff alerts in the staff channel: what was queued in the outbox, with 担当する/連絡済み/対応完了."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import anyio
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack.render import escape
from bot.lead_fields import LEAD_FIELDS, LeadStatus
from bot.storage import outbox
from bot.storage.database import Database
from bot.storage.models import Handoff, Lead
from bot.storage.outbox import Alert
from desk import identity as desk_staff
from desk.events import staff_alert_text
from desk.handoffs import status_label as handoff_status_label
from desk.leads import LeadState, state_of

STATUS_ACTIONS = (("claim", "担当する"), ("contacted", "連絡済み"), ("done", "対応完了"))
# What a post about a forgotten person says instead (chat.update keeps the message, not its content).
REDACTED = {
    "request": "本人の希望により削除されました。",
    "retention": "保存期間が過ぎたため削除されました。",
}
# Slack's answers meaning "there is nothing left to redact there": done, not worth retrying.
NOTHING_TO_REDACT = frozenset(
    {"message_not_found", "channel_not_found", "cant_update_message", "is_archived"}
)


def lead_fields(raw: dict[str, Any]) -> str:
    """The lead's details as mrkdwn, one line per field of the lead table (bot/lead_fields.py).

    Every value came from the person, so every value is escaped.
    """
    lines = [f"*{escape(str(raw.get('name')))}* さん({escape(str(raw.get('channel')))}から)"]
    for field in LEAD_FIELDS:
        if field.name != "name":
            lines.append(f"{field.label}: {escape(field.display(raw.get(field.name)))}")
    origin = [f"紹介コード {escape(raw['referral_code'])}" if raw.get("referral_code") else ""]
    origin.append(f"案内元 {escape(raw['source'])}" if raw.get("source") else "")
    lines.append("きっかけ: " + (" / ".join(o for o in origin if o) or "-"))
    return "\n".join(lines)


def status_line(status: str, who: str | None, when: datetime | None) -> str:
    """The status as staff read it: a lead's (LeadStatus) or a handoff's (open / claimed / closed)."""
    label = handoff_status_label(status)
    return f"状態: {label}" + (f"({staff_mention(who)} {when:%m/%d %H:%M})" if who and when else "")


def staff_mention(who: str) -> str:
    """Who holds a lead: a Slack user as a mention, a console account by its (escaped) name."""
    web_name = desk_staff.web_name(who)
    return escape(web_name) + "(管理画面)" if web_name is not None else f"<@{who}>"


HANDOFF_ACTIONS = (("claim", "担当する"), ("done", "対応完了"))


def tracked_blocks(
    header: str,
    body: str,
    buttons: tuple[str, int, tuple[tuple[str, str], ...]],
    status: str,
    who: str | None = None,
    when: datetime | None = None,
) -> list[dict[str, Any]]:
    """An alert staff act on: header, details, who holds it, and its buttons until it is closed.

    ``buttons`` is (action-id prefix, the lead's or handoff's id, ((action, label), …)).
    """
    prefix, item_id, actions = buttons
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": header}},
        {"type": "section", "text": {"type": "mrkdwn", "text": body}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": status_line(status, who, when)}]},
    ]
    if status != LeadStatus.CLOSED:
        elements = [
            {
                "type": "button",
                "action_id": f"{prefix}:{action}",
                "text": {"type": "plain_text", "text": label},
                "value": str(item_id),
            }
            for action, label in actions
        ]
        blocks.append({"type": "actions", "elements": elements})
    return blocks


def lead_blocks(
    lead_id: int,
    title: str,
    body: str,
    status: str = "new",
    who: str | None = None,
    when: datetime | None = None,
) -> list[dict[str, Any]]:
    return tracked_blocks(
        f"{title} (No.{lead_id})", body, ("lead", lead_id, STATUS_ACTIONS), status, who, when
    )


def handoff_blocks(
    handoff_id: int, body: str, status: str = "open", who: str | None = None, when: datetime | None = None
) -> list[dict[str, Any]]:
    header = f"職員への相談 (相談No.{handoff_id})"
    return tracked_blocks(header, body, ("handoff", handoff_id, HANDOFF_ACTIONS), status, who, when)


def render_alert(alert: Alert) -> tuple[str, list[dict[str, Any]]]:
    """(fallback text, blocks) for one outbox alert."""
    payload = alert.payload
    if alert.kind in ("lead_new", "lead_updated"):
        title = "新しい移住の登録" if alert.kind == "lead_new" else "登録内容の更新"
        return title, lead_blocks(payload["lead_id"], title, lead_fields(payload))
    if alert.kind == "deletion":
        text = f"登録 No.{payload.get('lead_id')} は{REDACTED.get(payload.get('reason', 'request'), '')}"
        return text, [{"type": "section", "text": {"type": "plain_text", "text": text}}]
    if alert.kind == "summary":
        text = summary_text(payload.get("items") or [])
        return text, [{"type": "section", "text": {"type": "plain_text", "text": text}}]
    if alert.kind in ("event_application", "event_withdrawal"):
        return event_alert(alert.kind, payload)
    text = f"お知らせ({alert.kind})"
    return text, [{"type": "section", "text": {"type": "plain_text", "text": text}}]


def event_alert(kind: str, payload: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """An application (with the person's name: plain text, so nothing in it is read as markup)."""
    if kind == "event_withdrawal":
        title = f"イベントの申し込み取り消し (申込No.{payload.get('application_id')})"
        body = f"イベント: {payload.get('event_title')}"
    else:
        title = f"イベントの申し込み (申込No.{payload.get('application_id')})"
        body = staff_alert_text(payload)
    return escape(title), [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
        {"type": "section", "text": {"type": "plain_text", "text": body[:3000]}},
    ]


SUMMARY_LABELS = {"lead_new": "新しい登録", "lead_updated": "登録の更新", "deletion": "削除"}


def summary_text(items: list[dict[str, Any]]) -> str:
    """One message for a burst of alerts beyond the hourly cap: which leads, by number only."""
    lines = [f"通知が多かったため、この1時間の{len(items)}件をまとめてお知らせします。"]
    for kind, label in SUMMARY_LABELS.items():
        numbers = [f"No.{item.get('lead_id')}" for item in items if item.get("kind") == kind]
        if numbers:
            lines.append(f"{label}: " + "、".join(numbers))
    lines.append("詳しくは /concierge lead 番号 で確認してください。")
    return "\n".join(lines)


def handoff_body(payload: dict[str, Any]) -> str:
    recent = "\n".join(f"> {escape(line)}" for line in payload.get("recent") or []) or "> (記録なし)"
    return (
        f"{payload.get('channel')} の利用者が職員との相談を希望しています。\n直近のメッセージ:\n{recent}\n"
        "このスレッドに返信すると、その内容が相手に届きます(24時間、または「対応完了」まで)。"
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
        details = lead_fields(state.details) if state.details else "-"
        for ref in refs:
            channel, ts = ref.split(":", 1)
            blocks = lead_blocks(lead_id, "移住の登録", details, state.status, state.holder, state.held_since)
            try:
                await self.client.chat_update(channel=channel, ts=ts, text="移住の登録", blocks=blocks)
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
