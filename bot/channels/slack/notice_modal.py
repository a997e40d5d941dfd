"""`/concierge notice`: staff compose a notice in a modal, see a preview with its recipient count in
the staff channel, and confirm it there; the delivery result is posted in that message's thread.

Only translation happens here: what a notice is, who it reaches and how it is sent is
``desk.notices``; the modal's fields are read into a segment (``notice_views.py``) and handed over.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import anyio

from bot.channels.slack.notice_views import COMPOSE, CONFIRM, DISCARD, compose_view, preview_blocks, read_view
from bot.channels.slack.staff import REFUSED
from bot.clock import utcnow
from bot.storage.notices import Segment
from desk import notices as desk

if TYPE_CHECKING:
    from bot.channels.slack.app import SlackChannel


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
