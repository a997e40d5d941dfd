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
