"""Slack for people asking the concierge: DMs, mentions and the answer's buttons, through the router.

Each listener is registered with bolt's own matchers, so it only ever sees what it answers. Every
event is recorded in ``inbound_events`` under Slack's ``event_id`` first, so a retry
(``X-Slack-Retry-Num``) or the same event on two workers never answers twice.
"""

from __future__ import annotations

import re
from typing import Any

import anyio
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack.render import CHOICE_ACTION, blocks, escape
from bot.clock import utcnow
from bot.dispatcher import Dispatcher
from bot.messages import Channel, Incoming, Response
from bot.storage import inbox
from bot.storage.database import Database

MENTION = re.compile(r"<@[A-Z0-9]+>\s*")
MAX_TEXT = 3000  # Slack's limit for a message's fallback text


def first_time(db: Database, key: str) -> bool:
    """Record the event or click under ``key``; False when it was handled already."""
    with db.statements() as connection:
        return inbox.accept(connection, "slack", key[:128], None, utcnow()) is not None


def click_key(body: dict[str, Any], action: dict[str, Any]) -> str:
    """A click's identity: a replayed request carries the same trigger and time."""
    who = (body.get("user") or {}).get("id")
    return f"action:{body.get('trigger_id')}:{action.get('action_ts')}:{who}:{action.get('action_id')}"


def from_a_bot(event: dict[str, Any]) -> bool:
    return bool(event.get("bot_id") or event.get("bot_profile")) or event.get("subtype") == "bot_message"


async def a_person_in_a_dm(event: dict[str, Any]) -> bool:
    """A person's own message (no bot's, no edit or join notice) in a direct message."""
    return not from_a_bot(event) and not event.get("subtype") and event.get("channel_type") == "im"


async def not_a_bot(event: dict[str, Any]) -> bool:
    return not from_a_bot(event)  # two bots answering each other would never stop


class SlackChat:
    def __init__(self, db: Database, dispatcher: Dispatcher, client: AsyncWebClient) -> None:
        self.db, self.dispatcher, self.client = db, dispatcher, client

    def register(self, app: AsyncApp) -> None:
        app.event("message", matchers=[a_person_in_a_dm])(self._on_message)
        app.event("app_mention", matchers=[not_a_bot])(self._on_mention)
        app.action(re.compile(rf"^{CHOICE_ACTION}:\d+$"))(self._on_choice)

    @staticmethod
    def register_last(app: AsyncApp) -> None:
        """After every other listener: what none of them takes is acknowledged and left alone (a
        link button, whose action_id Slack may generate, would otherwise show the person an error;
        an unanswered event would come back as a retry)."""
        app.event("message")(_ignore)
        app.event("app_mention")(_ignore)
        app.action(re.compile(r".*"))(_acknowledge)

    async def _once(self, key: str) -> bool:
        return await anyio.to_thread.run_sync(first_time, self.db, key)

    async def _answer(self, user: str, text: str = "", payload: str | None = None) -> Response:
        message = Incoming(Channel.SLACK, user, text=text, payload=payload)
        return (await anyio.to_thread.run_sync(self.dispatcher.handle, message)).response

    async def _post(self, channel: str, thread_ts: str | None, response: Response) -> None:
        await self.client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            text=escape(response.text[:MAX_TEXT]),
            blocks=blocks(response),
        )

    async def _on_message(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        if not await self._once(body.get("event_id") or event["ts"]):
            return
        response = await self._answer(event["user"], event.get("text", ""))
        # A question asked in a thread is answered there.
        await self._post(event["channel"], event.get("thread_ts"), response)

    async def _on_mention(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        if not await self._once(body.get("event_id") or event["ts"]):
            return
        response = await self._answer(event["user"], MENTION.sub("", event.get("text", "")))
        await self._post(event["channel"], event.get("thread_ts") or event["ts"], response)

    async def _on_choice(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        if not await self._once(click_key(body, action)):
            return
        text = action.get("text", {}).get("text", "")
        response = await self._answer(body["user"]["id"], text, action["value"])
        channel = (body.get("channel") or {}).get("id") or body["user"]["id"]
        # Pressed under a threaded answer: answered there.
        await self._post(channel, _thread_of_button(body), response)


def _thread_of_button(body: dict[str, Any]) -> str | None:
    """The thread a pressed button's message is in, if any."""
    container, message = body.get("container") or {}, body.get("message") or {}
    return container.get("thread_ts") or message.get("thread_ts") or None


async def _ignore() -> None:
    return None


async def _acknowledge(ack: Any) -> None:
    await ack()
