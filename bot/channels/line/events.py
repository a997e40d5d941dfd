"""LINE webhook events → what the concierge should do with them.

Only translation happens here: a text becomes an Incoming with text, a postback an Incoming with
a payload, a follow an Incoming FOLLOW event; what to say is decided by the intents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from linebot.v3.webhooks import (
    Event,
    FollowEvent,
    JoinEvent,
    MemberJoinedEvent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
    UnfollowEvent,
)

from bot.messages import Channel, Incoming
from bot.messages import Event as ChatEvent


@dataclass(frozen=True)
class Action:
    """What one LINE event asks of us."""

    kind: str  # "chat" (route and answer), "unfollow", "group" (explain 1:1 only), "ignore"
    incoming: Incoming | None = None
    reply_token: str | None = None
    target: str | None = None  # where a push would go: the user, group or room id
    redelivered: bool = False
    welcome_back: bool = False


def translate(raw: dict[str, Any]) -> Action:
    """What the event asks; raises when the SDK can't read it (then see ``from_raw_fields``)."""
    if _standby(raw):
        return Action("ignore")
    event = Event.from_dict(raw)
    source = raw.get("source") or {}
    user_id = source.get("userId")
    target = source.get("groupId") or source.get("roomId") or user_id
    reply_token = raw.get("replyToken")
    redelivered = bool((raw.get("deliveryContext") or {}).get("isRedelivery"))

    def act(kind: str, incoming: Incoming | None = None, *, welcome_back: bool = False) -> Action:
        return Action(kind, incoming, reply_token, target, redelivered, welcome_back)

    if isinstance(event, JoinEvent | MemberJoinedEvent) or (
        source.get("type") in ("group", "room") and isinstance(event, MessageEvent)
    ):
        return act("group")
    if not user_id:
        return Action("ignore")
    if isinstance(event, UnfollowEvent):
        return act("unfollow", Incoming(Channel.LINE, user_id, event=ChatEvent.UNFOLLOW))
    if isinstance(event, FollowEvent):
        unblocked = bool(getattr(event.follow, "is_unblocked", False))
        return act("chat", Incoming(Channel.LINE, user_id, event=ChatEvent.FOLLOW), welcome_back=unblocked)
    if isinstance(event, PostbackEvent):
        return act("chat", Incoming(Channel.LINE, user_id, payload=event.postback.data[:200]))
    if isinstance(event, MessageEvent):
        if isinstance(event.message, TextMessageContent):
            return act("chat", Incoming(Channel.LINE, user_id, text=event.message.text))
        return act("chat", Incoming(Channel.LINE, user_id, event=ChatEvent.NON_TEXT))
    return Action("ignore")


def _standby(raw: dict[str, Any]) -> bool:
    """In standby another channel holds the chat (a module, or the account's own staff): LINE
    requires the bot to stay silent. An unfollow still marks the person unreachable."""
    return raw.get("mode") == "standby" and raw.get("type") != "unfollow"


def from_raw_fields(raw: dict[str, Any]) -> Action:
    """An event the SDK can't read (a shape older or newer than it knows), read from its raw fields.

    A person's message still gets an answer where there is a reply token: its text when it has one,
    else the polite "please type" reply every non-text message gets. Anything else is ignored.
    """
    source = raw.get("source") if isinstance(raw.get("source"), dict) else {}
    assert isinstance(source, dict)
    reply_token, user_id = raw.get("replyToken"), source.get("userId")
    if _standby(raw) or raw.get("type") != "message" or not isinstance(reply_token, str) or not reply_token:
        return Action("ignore")
    redelivered = bool((raw.get("deliveryContext") or {}).get("isRedelivery"))
    target = source.get("groupId") or source.get("roomId") or user_id
    if source.get("type") in ("group", "room"):
        return Action("group", None, reply_token, target, redelivered)
    if not isinstance(user_id, str) or not user_id:
        return Action("ignore")
    message = raw.get("message") if isinstance(raw.get("message"), dict) else {}
    assert isinstance(message, dict)
    text = message.get("text") if message.get("type") == "text" else None
    if isinstance(text, str) and text.strip():
        incoming = Incoming(Channel.LINE, user_id, text=text)
    else:
        incoming = Incoming(Channel.LINE, user_id, event=ChatEvent.NON_TEXT)
    return Action("chat", incoming, reply_token, user_id, redelivered)
