"""Slack glue for handoffs: the 担当する/対応完了 buttons, and staff answers in a handoff's thread.

What a button changes and who the person is are decided in ``desk.handoffs``; this module tells
the person (on their channel) and updates the alert.
"""

from __future__ import annotations

import re
from typing import Any

import anyio
from slack_bolt.async_app import AsyncApp

from bot.channels.slack import alert_blocks
from bot.channels.slack.render import unescape
from bot.channels.slack.staff import SlackStaffDesk
from bot.clock import utcnow
from bot.person_delivery import Person
from bot.wording import HANDOFF_BOT_BACK, HANDOFF_HUMAN_ANSWERING, HANDOFF_OVER, JAPANESE
from desk import handoffs as desk_handoffs


class SlackHandoffDesk:
    def __init__(self, staff: SlackStaffDesk) -> None:
        self.staff = staff

    def register(self, app: AsyncApp) -> None:
        app.action(re.compile(r"^handoff:(claim|done)$"))(self.on_handoff_button)

    async def on_handoff_button(
        self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any
    ) -> None:
        staff = await self.staff.staff_only(ack, body, action, respond)
        if staff is None:
            return
        verb = desk_handoffs.HandoffAction(action["action_id"].split(":", 1)[1])
        handoff_id = int(action["value"])

        def act() -> desk_handoffs.HandoffTurn:
            with self.staff.db.transaction() as session:
                return desk_handoffs.act(session, handoff_id, verb, staff, utcnow())

        turn = await anyio.to_thread.run_sync(act)
        if turn.person is None:
            await respond(text=HANDOFF_OVER.in_(JAPANESE), replace_original=False)
            return
        await self.staff.people.send(
            person(turn.person),
            (HANDOFF_HUMAN_ANSWERING if verb == "claim" else HANDOFF_BOT_BACK).in_(JAPANESE),
        )
        status = "claimed" if verb == "claim" else "closed"
        details = _section_text(body) or "職員への相談"
        await self.staff.update_alert(
            body, "職員への相談", alert_blocks.handoff_blocks(handoff_id, details, status, staff, utcnow())
        )

    async def on_thread_reply(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        """A staff answer in a handoff thread goes to the person, on their channel."""
        if not await self.staff.is_staff(event.get("user", "")):
            return
        if not await anyio.to_thread.run_sync(self.staff.first_time, body.get("event_id") or event["ts"]):
            return
        thread = f"{event['channel']}:{event['thread_ts']}"

        def reach() -> tuple[desk_handoffs.HandoffTurn, bool]:
            with self.staff.db.transaction() as session:
                turn = desk_handoffs.person_of_thread(session, thread, utcnow())
                return turn, desk_handoffs.is_handoff_thread(session, thread)

        turn, is_handoff = await anyio.to_thread.run_sync(reach)
        if turn.person is None:
            # Only a handoff's own thread is told it is over; staff talk under a lead alert (or any
            # other message) is theirs, and the concierge says nothing there.
            if is_handoff:
                await self.staff.client.chat_postMessage(
                    channel=event["channel"], thread_ts=event["thread_ts"], text=HANDOFF_OVER.in_(JAPANESE)
                )
            return
        said = str(event.get("text", ""))
        if turn.person.channel != "slack":  # Slack sends & < > as entities; elsewhere they are just text
            said = unescape(said)
        text = desk_handoffs.answer_text(said)
        if text is not None:
            await self.staff.people.send(person(turn.person), text)


def person(recipient: desk_handoffs.Recipient) -> Person:
    return Person(recipient.user_id, recipient.channel, recipient.channel_user_id)


def _section_text(body: dict[str, Any]) -> str | None:
    """The details section of the message a button was pressed on (kept when the message is updated)."""
    for block in (body.get("message") or {}).get("blocks") or []:
        if block.get("type") == "section":
            return str((block.get("text") or {}).get("text") or "") or None
    return None
