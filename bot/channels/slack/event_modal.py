"""`/concierge event` in Slack: a Block Kit modal to create or edit an event, and its submission.

`/concierge event` opens an empty form, `/concierge event 12` the form of event 12, and
`/concierge event cancel 12` cancels it; `/concierge events` lists what is ahead. The form's
fields are checked by the staff desk (``desk.events.parse``); errors are shown beside the fields
in the modal (``response_action: errors``), and nothing is saved until every field is right.
The form itself is built in ``event_views.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack.event_views import CALLBACK_ID, modal, submitted
from bot.channels.slack.render import escape
from bot.clock import Clock
from bot.storage.database import Database
from bot.storage.models import CityEvent
from desk import events as desk

log = logging.getLogger(__name__)
REFUSED = "この操作は市の担当職員だけが使えます。"
IsStaff = Callable[[str], Awaitable[bool]]


class EventModal:
    def __init__(
        self, db: Database, client: AsyncWebClient, staff_channel: str | None, is_staff: IsStaff, clock: Clock
    ) -> None:
        self.db, self.client, self.staff_channel = db, client, staff_channel
        self.is_staff, self.clock = is_staff, clock

    def register(self, app: AsyncApp) -> None:
        app.view(CALLBACK_ID)(self._on_submit)

    async def command(self, words: list[str], command: dict[str, Any], respond: Any) -> None:
        """`/concierge event [ID | cancel ID]` and `/concierge events` (staff only, checked by the caller)."""
        if words[0] == "events":
            text = await anyio.to_thread.run_sync(self._listing)
            await respond(text=text, response_type="ephemeral")
            return
        if len(words) == 3 and words[1] == "cancel" and words[2].isdigit():
            told = await anyio.to_thread.run_sync(self._cancel, int(words[2]))
            text = (
                "見つからないか、中止済みです。"
                if told is None
                else f"中止しました。申込者{told}人にお知らせします。"
            )
            await respond(text=text, response_type="ephemeral")
            return
        event_id = int(words[1]) if len(words) == 2 and words[1].isdigit() else None
        current = await anyio.to_thread.run_sync(self._current, event_id) if event_id else None
        if event_id is not None and current is None:
            await respond(
                text=f"イベント {event_id} は見つからないか、中止済みです。", response_type="ephemeral"
            )
            return
        await self.client.views_open(trigger_id=command["trigger_id"], view=modal(current, event_id))

    def _listing(self) -> str:
        with self.db.transaction() as session:
            lines = [escape(desk.summary_line(session, e)) for e in desk.listing(session, self.clock())]
        return "これからのイベント:\n" + ("\n".join(lines) or "ありません")

    def _cancel(self, event_id: int) -> int | None:
        with self.db.transaction() as session:
            return desk.cancel(session, event_id, self.clock())

    def _current(self, event_id: int) -> dict[str, str] | None:
        with self.db.transaction() as session:
            event = session.get(CityEvent, event_id)
            return desk.as_form(event) if event is not None and event.status == "open" else None

    async def _on_submit(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        if not await self.is_staff(str((body.get("user") or {}).get("id", ""))):
            await ack(response_action="errors", errors={"title": REFUSED})
            return
        raw = submitted(view)
        metadata = str(view.get("private_metadata") or "")
        event_id = int(metadata) if metadata.isdigit() else None
        saved, errors = await anyio.to_thread.run_sync(self._save, raw, event_id)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        if self.staff_channel and saved is not None:
            await self.client.chat_postMessage(channel=self.staff_channel, text=saved)

    def _save(self, raw: dict[str, str | None], event_id: int | None) -> tuple[str | None, dict[str, str]]:
        now = self.clock()
        values, errors = desk.parse(raw, now)
        if values is None:
            return None, errors
        with self.db.transaction() as session:
            if event_id is None:
                event = desk.create(session, values, now)
                verb = "登録"
            else:
                updated = desk.update(session, event_id, values, now)
                if updated is None:
                    return None, {"title": "このイベントは見つからないか、中止済みです。"}
                event, verb = updated, "更新"
            return f"イベントを{verb}しました: {escape(desk.summary_line(session, event))}", {}
