"""The event modal's Slack view: the form (empty or filled with an event) and reading its values.

Its submission is answered in ``event_modal.py``.
"""

from __future__ import annotations

from typing import Any

from bot.wording import EVENT_AUDIENCE_LABELS, EVENT_KIND_LABELS

CALLBACK_ID = "event_edit"
FIELD_LABELS = {
    "title": "タイトル",
    "kind": "種類",
    "starts_at": "開始(例: 2026-12-27 14:00、日本時間)",
    "ends_at": "終了(例: 2026-12-27 16:00 または 16:00)",
    "place": "会場",
    "online_url": "オンライン参加のURL",
    "audience": "対象",
    "capacity": "定員(人、制限なしは空欄)",
    "apply_by": "申し込み締め切り(例: 2026-12-20 17:00)",
    "description": "説明",
    "source": "出典(掲載ページのURLなど)",
}
SELECTS = {"kind": EVENT_KIND_LABELS, "audience": EVENT_AUDIENCE_LABELS}
OPTIONAL = ("place", "online_url", "capacity", "apply_by", "description", "source")


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": label[:75]}, "value": value}


def _input(name: str, current: dict[str, str]) -> dict[str, Any]:
    value = current.get(name, "")
    element: dict[str, Any]
    if name in SELECTS:
        options = [_option(key, label) for key, label in SELECTS[name].items()]
        element = {"type": "static_select", "action_id": "value", "options": options}
        if value in SELECTS[name]:
            element["initial_option"] = _option(value, SELECTS[name][value])
    else:
        element = {"type": "plain_text_input", "action_id": "value", "multiline": name == "description"}
        if value:
            element["initial_value"] = value
    return {
        "type": "input",
        "block_id": name,
        "optional": name in OPTIONAL,
        "label": {"type": "plain_text", "text": FIELD_LABELS[name]},
        "element": element,
    }


def modal(current: dict[str, str] | None = None, event_id: int | None = None) -> dict[str, Any]:
    """The form, empty or filled with an event's fields (``private_metadata`` is the event's id)."""
    current = current or {}
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "private_metadata": str(event_id or ""),
        "title": {"type": "plain_text", "text": "イベントの編集" if event_id else "イベントの登録"},
        "submit": {"type": "plain_text", "text": "保存"},
        "close": {"type": "plain_text", "text": "やめる"},
        "blocks": [_input(name, current) for name in FIELD_LABELS],
    }


def submitted(view: dict[str, Any]) -> dict[str, str | None]:
    """The modal's values as text, by field name (a select gives its option's value)."""
    values: dict[str, str | None] = {}
    for name, actions in ((view.get("state") or {}).get("values") or {}).items():
        if name not in FIELD_LABELS or not isinstance(actions, dict):
            continue
        element = actions.get("value") or {}
        if not isinstance(element, dict):
            continue
        selected = element.get("selected_option")
        values[name] = selected.get("value") if isinstance(selected, dict) else element.get("value")
    return values
