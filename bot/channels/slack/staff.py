"""Slack glue for the staff desk: the alert buttons and answers in handoff threads.

Each listener translates a Slack payload into a desk call and the desk's typed result back
into Slack; what may be done, and what it changes, is decided in ``desk``. The /concierge
command is in ``staff_command.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import anyio
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack import alert_blocks
from bot.channels.slack.render import unescape
from bot.clock import utcnow
from bot.person_delivery import Person, PersonDelivery
from bot.settings import Settings
from bot.storage.database import Database
from bot.wording import HANDOFF_BOT_BACK, HANDOFF_HUMAN_ANSWERING, HANDOFF_OVER, JAPANESE
from desk import handoffs as desk_handoffs
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
        app.action(re.compile(r"^handoff:(claim|done)$"))(self.on_handoff_button)

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

    async def _update_alert(self, body: dict[str, Any], text: str, new_blocks: list[dict[str, Any]]) -> None:
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
        await self._update_alert(body, alert_blocks.LEAD_TITLE, alert_blocks.lead_state_blocks(change.lead))

    # -- handoffs ---------------------------------------------------------------------------

    async def on_handoff_button(
        self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any
    ) -> None:
        staff = await self.staff_only(ack, body, action, respond)
        if staff is None:
            return
        verb = desk_handoffs.HandoffAction(action["action_id"].split(":", 1)[1])
        handoff_id = int(action["value"])

        def act() -> desk_handoffs.HandoffTurn:
            with self.db.transaction() as session:
                return desk_handoffs.act(session, handoff_id, verb, staff, utcnow())

        turn = await anyio.to_thread.run_sync(act)
        if turn.person is None:
            await respond(text=HANDOFF_OVER.in_(JAPANESE), replace_original=False)
            return
        await self.people.send(
            person(turn.person),
            (HANDOFF_HUMAN_ANSWERING if verb == "claim" else HANDOFF_BOT_BACK).in_(JAPANESE),
        )
        status = "claimed" if verb == "claim" else "closed"
        details = _section_text(body) or "職員への相談"
        await self._update_alert(
            body, "職員への相談", alert_blocks.handoff_blocks(handoff_id, details, status, staff, utcnow())
        )

    async def on_thread_reply(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        """A staff answer in a handoff thread goes to the person, on their channel."""
        if not await self.is_staff(event.get("user", "")):
            return
        if not await anyio.to_thread.run_sync(self.first_time, body.get("event_id") or event["ts"]):
            return
        thread = f"{event['channel']}:{event['thread_ts']}"

        def reach() -> tuple[desk_handoffs.HandoffTurn, bool]:
            with self.db.transaction() as session:
                turn = desk_handoffs.person_of_thread(session, thread, utcnow())
                return turn, desk_handoffs.is_handoff_thread(session, thread)

        turn, is_handoff = await anyio.to_thread.run_sync(reach)
        if turn.person is None:
            # Only a handoff's own thread is told it is over; staff talk under a lead alert (or any
            # other message) is theirs, and the concierge says nothing there.
            if is_handoff:
                await self.client.chat_postMessage(
                    channel=event["channel"], thread_ts=event["thread_ts"], text=HANDOFF_OVER.in_(JAPANESE)
                )
            return
        said = str(event.get("text", ""))
        if turn.person.channel != "slack":  # Slack sends & < > as entities; elsewhere they are just text
            said = unescape(said)
        text = desk_handoffs.answer_text(said)
        if text is not None:
            await self.people.send(person(turn.person), text)


def person(recipient: desk_handoffs.Recipient) -> Person:
    return Person(recipient.user_id, recipient.channel, recipient.channel_user_id)


def _section_text(body: dict[str, Any]) -> str | None:
    """The details section of the message a button was pressed on (kept when the message is updated)."""
    for block in (body.get("message") or {}).get("blocks") or []:
        if block.get("type") == "section":
            return str((block.get("text") or {}).get("text") or "") or None
    return None
