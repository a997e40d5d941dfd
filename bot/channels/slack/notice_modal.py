"""`/concierge notice`: staff compose a notice in a modal, see a preview with its recipient count in
the staff channel, and confirm it there; the delivery result is posted in that message's thread.

Only translation happens here: what a notice is, who it reaches and how it is sent is
``desk.notices``; the modal's fields are read into a segment and handed over.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import anyio

from bot.channels.slack.render import escape
from bot.channels.slack.staff import REFUSED
from bot.clock import utcnow
from bot.storage.notices import TOPICS, Segment
from desk import notices as desk
from intents.lead import LeadForm

if TYPE_CHECKING:
    from bot.channels.slack.app import SlackChannel

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


class NoticeDesk:
    """The Slack listeners for notices, bound to one SlackChannel."""

    def __init__(self, channel: SlackChannel) -> None:
        self.channel = channel
        channel.app.view(COMPOSE)(self._on_submit)
        channel.app.action(CONFIRM)(self._on_confirm)
        channel.app.action(DISCARD)(self._on_discard)

    async def command(self, _words: list[str], command: dict[str, Any], _respond: Any) -> None:
        """/concierge notice: the compose modal."""
        await self.open(command)

    async def open(self, command: dict[str, Any]) -> None:
        await self.channel.client.views_open(trigger_id=command["trigger_id"], view=compose_view())

    async def _on_submit(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        staff = str((body.get("user") or {}).get("id") or "")
        if not await self.channel.staff.is_staff(staff):
            await ack(response_action="errors", errors={"text": REFUSED})
            return
        segment, text, event = read_view(view.get("state") or {})
        try:
            desk.check(segment, text)
            await anyio.to_thread.run_sync(self._check_event, event)
        except desk.NoticeError as exc:
            await ack(response_action="errors", errors={"text": str(exc)})
            return
        await ack()
        preview = await anyio.to_thread.run_sync(self._compose, segment, text, event, staff)
        where = self.channel.settings.slack_staff_channel or staff
        posted = await self.channel.client.chat_postMessage(
            channel=where,
            text=f"お知らせ No.{preview.notice_id} のプレビュー",
            blocks=preview_blocks(preview, staff),
        )
        await anyio.to_thread.run_sync(
            self._remember_thread, preview.notice_id, f"{posted['channel']}:{posted['ts']}"
        )

    def _check_event(self, event: str | None) -> None:
        with self.channel.db.transaction() as session:
            desk.check_event(session, event, utcnow())

    def _compose(self, segment: Segment, text: str, event: str | None, staff: str) -> desk.Preview:
        with self.channel.db.transaction() as session:
            return desk.compose(session, segment, text, utcnow(), event_id=event, created_by=staff)

    def _remember_thread(self, notice_id: int, ref: str) -> None:
        with self.channel.db.transaction() as session:
            desk.set_thread(session, notice_id, ref)

    async def _on_confirm(self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        staff = await self.channel.staff.staff_only(ack, body, action, respond)
        if staff is None:
            return
        notice_id = int(action["value"])
        container = body.get("container") or {}
        thread = f"{container.get('channel_id')}:{container.get('message_ts')}" if container else None
        try:
            count = await anyio.to_thread.run_sync(self._confirm, notice_id, thread)
        except desk.NoticeError as exc:
            await respond(text=str(exc), response_type="ephemeral", replace_original=False)
            return
        text = (
            f"お知らせ No.{notice_id}: <@{staff}> が確定しました。{count} 人に送信します。"
            "結果はこのスレッドに届きます。"
        )
        await self._replace_buttons(body, text)

    def _confirm(self, notice_id: int, thread: str | None) -> int:
        """Fix the recipients; the result goes to the thread of the preview that was pressed."""
        with self.channel.db.transaction() as session:
            return desk.confirm(session, notice_id, utcnow(), thread_ref=thread)

    async def _on_discard(self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        staff = await self.channel.staff.staff_only(ack, body, action, respond)
        if staff is None:
            return
        notice_id = int(action["value"])
        try:
            await anyio.to_thread.run_sync(self._discard, notice_id)
        except desk.NoticeError as exc:
            await respond(text=str(exc), response_type="ephemeral", replace_original=False)
            return
        await self._replace_buttons(
            body, f"お知らせ No.{notice_id}: <@{staff}> が取りやめました(送信していません)。"
        )

    def _discard(self, notice_id: int) -> None:
        with self.channel.db.transaction() as session:
            desk.discard(session, notice_id)

    async def _replace_buttons(self, body: dict[str, Any], status: str) -> None:
        """The preview stays as it was; its buttons give way to what was decided."""
        blocks = [b for b in (body.get("message") or {}).get("blocks") or [] if b.get("type") != "actions"]
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": status}]})
        container = body.get("container") or {}
        await self.channel.client.chat_update(
            channel=str(container.get("channel_id")),
            ts=str(container.get("message_ts")),
            text=status,
            blocks=blocks,
        )
