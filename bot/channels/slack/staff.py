"""Slack glue for the staff desk: who is staff, and the lead alerts' buttons.

Each listener translates a Slack payload into a desk call and the desk's typed result back
into Slack; what may be done, and what it changes, is decided in ``desk``. Handoffs (their buttons
and thread replies) are in ``staff_handoffs.py``, /concierge in ``staff_command.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import anyio
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack import alert_blocks
from bot.clock import utcnow
from bot.person_delivery import PersonDelivery
from bot.settings import Settings
from bot.storage.database import Database
from desk import leads as desk_leads

REFUSED = "この操作は市の担当職員だけが使えます。"


class SlackStaffDesk:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        client: AsyncWebClient,
        people: PersonDelivery,
        first_click: Callable[[dict[str, Any], dict[str, Any]], bool],
        first_time: Callable[[str], bool],
    ) -> None:
        self.settings, self.db, self.client, self.people = settings, db, client, people
        self.first_click, self.first_time = first_click, first_time

    def register(self, app: AsyncApp) -> None:
        actions = "|".join(action.value for action in desk_leads.Action)
        app.action(re.compile(rf"^lead:({actions})$"))(self.on_lead_button)

    async def is_staff(self, user_id: str) -> bool:
        if self.settings.staff_user_ids:
            return user_id in self.settings.staff_user_ids
        if not self.settings.slack_staff_channel:
            return False
        members = await self.client.conversations_members(channel=self.settings.slack_staff_channel)
        return user_id in (members.get("members") or [])

    async def staff_only(
        self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any
    ) -> str | None:
        """Acknowledge a staff button; the presser's id, or None (and a private refusal) for anyone
        else, or None (silently) when this very click was handled already."""
        await ack()
        staff = str(body["user"]["id"])
        if await self.is_staff(staff):
            return staff if await anyio.to_thread.run_sync(self.first_click, body, action) else None
        await respond(text=REFUSED, response_type="ephemeral", replace_original=False)
        return None

    async def update_alert(self, body: dict[str, Any], text: str, new_blocks: list[dict[str, Any]]) -> None:
        message = body.get("container") or {}
        await self.client.chat_update(
            channel=str(message.get("channel_id") or self.settings.slack_staff_channel),
            ts=str(message.get("message_ts")),
            text=text,
            blocks=new_blocks,
        )

    # -- leads ----------------------------------------------------------------------------

    async def on_lead_button(
        self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any
    ) -> None:
        staff = await self.staff_only(ack, body, action, respond)
        if staff is None:
            return
        verb = desk_leads.Action(action["action_id"].split(":", 1)[1])
        lead_id = int(action["value"])

        def act() -> desk_leads.StatusChange:
            with self.db.transaction() as session:
                return desk_leads.act(session, lead_id, verb, staff, utcnow())

        change = await anyio.to_thread.run_sync(act)
        if change.outcome is desk_leads.Outcome.NOT_FOUND:
            await respond(
                text=f"No.{lead_id} の登録は見つかりません(削除された可能性があります)。",
                replace_original=False,
            )
            return
        if change.outcome is desk_leads.Outcome.HELD_BY_OTHER:
            holder = alert_blocks.staff_mention(change.holder or "")
            await respond(text=f"No.{lead_id} は {holder} さんが担当しています。", replace_original=False)
            return
        assert change.lead is not None
        await self.update_alert(body, alert_blocks.LEAD_TITLE, alert_blocks.lead_state_blocks(change.lead))
