"""How each staff alert reads in Slack: Block Kit for leads and handoffs (with their buttons),
redactions, and the rest (``alert_notes.py``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.channels.slack.alert_notes import event_alert, summary_text
from bot.channels.slack.render import escape
from bot.lead_fields import LEAD_FIELDS, LeadStatus
from bot.storage.outbox import Alert
from desk import identity as desk_staff
from desk.handoffs import status_label as handoff_status_label
from desk.leads import LeadState

LEAD_TITLE = "移住の登録"
STATUS_ACTIONS = (("claim", "担当する"), ("contacted", "連絡済み"), ("done", "対応完了"))
# What a post about a forgotten person says instead (chat.update keeps the message, not its content).
REDACTED = {
    "request": "本人の希望により削除されました。",
    "retention": "保存期間が過ぎたため削除されました。",
}


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


def lead_state_blocks(state: LeadState) -> list[dict[str, Any]]:
    """A lead's alert as it stands now: its details, status and who holds it."""
    details = lead_fields(state.details) if state.details else "-"
    return lead_blocks(state.lead_id, LEAD_TITLE, details, state.status, state.holder, state.held_since)


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


def handoff_body(payload: dict[str, Any]) -> str:
    recent = "\n".join(f"> {escape(line)}" for line in payload.get("recent") or []) or "> (記録なし)"
    return (
        f"{payload.get('channel')} の利用者が職員との相談を希望しています。\n直近のメッセージ:\n{recent}\n"
        "このスレッドに返信すると、その内容が相手に届きます(24時間、または「対応完了」まで)。"
    )
