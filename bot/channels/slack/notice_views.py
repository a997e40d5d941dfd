"""The notice modal's Slack views: the compose form, reading what was submitted, and the preview.

The preview's buttons (``CONFIRM``, ``DISCARD``) are answered in ``notice_modal.py``.
"""

from __future__ import annotations

from typing import Any

from bot.channels.slack.render import escape
from bot.storage.notices import TOPICS, Segment
from desk import notices as desk
from intents.lead import LeadForm

COMPOSE = "notice_compose"  # the modal's callback id
CONFIRM, DISCARD = "notice:confirm", "notice:discard"
# The registration form's own answers, so a segment names exactly what people chose.
LEAD_OPTIONS = {
    slot.name: [o.label for o in slot.options]
    for slot in LeadForm.slots
    if isinstance(slot.options, list | tuple)
}


def _options(labels: list[str] | dict[str, str]) -> list[dict[str, Any]]:
    pairs = labels.items() if isinstance(labels, dict) else [(label, label) for label in labels]
    return [{"text": {"type": "plain_text", "text": text}, "value": value} for value, text in pairs]


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False) -> dict[str, Any]:
    element = element | {"action_id": block_id}
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": element,
        "optional": optional,
    }


def compose_view() -> dict[str, Any]:
    def select(labels: list[str] | dict[str, str], *, many: bool) -> dict[str, Any]:
        return {"type": "multi_static_select" if many else "static_select", "options": _options(labels)}

    return {
        "type": "modal",
        "callback_id": COMPOSE,
        "title": {"type": "plain_text", "text": "お知らせを作成"},
        "submit": {"type": "plain_text", "text": "プレビュー"},
        "close": {"type": "plain_text", "text": "やめる"},
        "blocks": [
            _input("topic", "話題(この話題を希望した人に届きます)", select(TOPICS, many=False)),
            _input(
                "text",
                "本文(末尾に配信停止の方法が付きます)",
                {"type": "plain_text_input", "multiline": True, "max_length": desk.MAX_TEXT},
            ),
            _input("event", "イベント番号", {"type": "plain_text_input", "max_length": 64}, optional=True),
            _input("relation", "対象(登録した方)", select(desk.RELATION_LABELS, many=False), optional=True),
            _input("areas", "お住まい", select(LEAD_OPTIONS["area"], many=True), optional=True),
            _input("timings", "移住の時期", select(LEAD_OPTIONS["timing"], many=True), optional=True),
            _input("interests", "関心(どれか)", select(LEAD_OPTIONS["interests"], many=True), optional=True),
        ],
    }


def read_view(state: dict[str, Any]) -> tuple[Segment, str, str | None]:
    """(segment, text, event id) from a submitted modal's ``state.values``."""
    values = state.get("values") or {}

    def element(block: str) -> dict[str, Any]:
        return (values.get(block) or {}).get(block) or {}

    def chosen(block: str) -> str | None:
        option = element(block).get("selected_option") or {}
        return str(option["value"]) if option.get("value") else None

    def many(block: str) -> tuple[str, ...]:
        return tuple(str(o.get("value")) for o in element(block).get("selected_options") or ())

    segment = Segment(
        topic=chosen("topic") or "",
        relation=chosen("relation"),
        areas=many("areas"),
        timings=many("timings"),
        interests=many("interests"),
    )
    event = (element("event").get("value") or "").strip() or None
    return segment, str(element("text").get("value") or ""), event


def preview_blocks(preview: desk.Preview, staff: str) -> list[dict[str, Any]]:
    summary = (
        f"*お知らせ No.{preview.notice_id}*(<@{staff}> が作成)\n{escape(preview.segment)}\n"
        f"*届く人数: {preview.recipients} 人*"
    )
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": summary}},
        {"type": "section", "text": {"type": "plain_text", "text": preview.text}},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "style": "primary",
                    "action_id": CONFIRM,
                    "value": str(preview.notice_id),
                    "text": {"type": "plain_text", "text": "確定して送信"},
                },
                {
                    "type": "button",
                    "action_id": DISCARD,
                    "value": str(preview.notice_id),
                    "text": {"type": "plain_text", "text": "送らない"},
                },
            ],
        },
    ]
