"""Alerts staff only read, without buttons: an event application or withdrawal, and the summary
of a burst of alerts beyond the hourly cap. ``alert_blocks.render_alert`` picks them.
"""

from __future__ import annotations

from typing import Any

from bot.channels.slack.render import escape
from desk.events import staff_alert_text


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
