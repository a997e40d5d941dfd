"""Reaching a person outside a turn (a staff reply, "the bot is back") on whichever channel they use.

LINE gets a push, Slack a DM; the web can't be pushed to, so the message waits in the database
until the page asks for it (``GET /api/chat/updates``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

import anyio
from linebot.v3.messaging import TextMessage
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import utcnow
from bot.storage import handoffs
from bot.storage.database import Database

if TYPE_CHECKING:
    from bot.channels.line.answering import LineAnswering


@dataclass(frozen=True)
class Person:
    user_id: int
    channel: str
    channel_user_id: str


class PersonDelivery:
    def __init__(self, db: Database, line: LineAnswering | None, slack: AsyncWebClient | None) -> None:
        self.db, self.line, self.slack = db, line, slack

    async def send(self, person: Person, text: str, retry_key: str | None = None) -> bool:
        """True when the message was handed to the person's channel (or queued for their web page).

        ``retry_key`` (a UUID) makes a LINE push that is sent again with it shown only once."""
        if person.channel == "line" and self.line is not None:
            await self.line.delivery.deliver(
                [TextMessage(text=text[:5000]).to_dict()],
                reply_token=None,
                target=person.channel_user_id,
                retry_key=retry_key or str(uuid.uuid4()),
                fresh=False,
            )
            return True
        if person.channel == "slack" and self.slack is not None:
            await self.slack.chat_postMessage(channel=person.channel_user_id, text=text)
            return True
        if person.channel == "web":
            await anyio.to_thread.run_sync(self._hold, person.user_id, text)
            return True
        return False

    def _hold(self, user_id: int, text: str) -> None:
        with self.db.transaction() as session:
            handoffs.hold_for_web(session, user_id, text, utcnow())
