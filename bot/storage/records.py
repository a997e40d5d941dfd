"""Reading and writing users, conversation state and the message log inside one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, bindparam, delete, insert, select
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from bot.conversation import IDLE, ConversationState
from bot.storage.dialects import upsert
from bot.storage.models import Conversation, MessageLog, User

_USER_UPSERT = upsert(  # every turn runs it
    User,
    {
        "channel": bindparam("channel"),
        "channel_user_id": bindparam("channel_user_id"),
        "created_at": bindparam("now"),
        "last_seen_at": bindparam("now"),
        "reachable": True,
    },
    ["channel", "channel_user_id"],
    {"last_seen_at": bindparam("now")},
    returning=True,
)


def get_or_create_user(session: Session, channel: str, channel_user_id: str, now: datetime) -> User:
    """The person, created on first contact, with ``last_seen_at`` moved to now: one statement.

    Two workers seeing a new person at once both run it; the unique key makes one insert and
    the other update, and neither fails, which a SELECT-then-INSERT cannot promise.

    Every turn runs it, so the row comes back through Core and becomes the session's object
    directly: an ORM query for it cost twice the statement (compiling the ORM wrapper, loading
    through the identity map, flushing the previous turn first).
    """
    result = session.connection().execute(
        _USER_UPSERT.on(session), {"channel": channel, "channel_user_id": channel_user_id, "now": now}
    )
    values = result.one()._asdict()
    known = session.identity_map.get(session.identity_key(User, (values["id"],)))
    if isinstance(known, User):  # met earlier in this transaction: that object holds their latest state
        set_committed_value(known, "last_seen_at", values["last_seen_at"])
        return known
    user = User(**values)
    make_transient_to_detached(user)  # as if loaded: nothing to write back unless a turn changes it
    session.add(user)
    return user


def note_arrival(user: User, *, ref: str | None, src: str | None) -> None:
    """The first referral code and the first source stick: they say how the person found us."""
    if ref and not user.referral_code:
        user.referral_code = ref
    if src and not user.source:
        user.source = src


def find_user(session: Session, channel: str, channel_user_id: str) -> User | None:
    return session.scalars(
        select(User).where(User.channel == channel, User.channel_user_id == channel_user_id)
    ).one_or_none()


_CONVERSATIONS = cast(Table, Conversation.__table__)
_CONVERSATION = (
    select(_CONVERSATIONS).where(_CONVERSATIONS.c.user_id == bindparam("user_id")).with_for_update()
)
_CONVERSATION_UPSERT = upsert(  # written in Core like the read: no ORM object to load and flush
    Conversation,
    {name: bindparam(name) for name in ("user_id", "form", "step", "slots", "expires_at", "updated_at")},
    ["user_id"],
    {name: bindparam(name) for name in ("form", "step", "slots", "expires_at", "updated_at")},
)


def load_conversation(session: Session, user: User, now: datetime) -> ConversationState:
    """The person's state, locked for this transaction on PostgreSQL; expired forms read as idle."""
    row = session.connection().execute(_CONVERSATION, {"user_id": user.id}).one_or_none()
    if row is None:
        return IDLE
    state = ConversationState(row.form, row.step, dict(row.slots or {}), row.expires_at)
    return IDLE if state.is_expired(now) else state


def save_conversation(session: Session, user: User, state: ConversationState, now: datetime) -> None:
    session.connection().execute(
        _CONVERSATION_UPSERT.on(session),
        {
            "user_id": user.id,
            "form": state.form,
            "step": state.step,
            "slots": dict(state.slots),
            "expires_at": state.expires_at,
            "updated_at": now,
        },
    )


# Built once: every turn logs two lines, and an ORM object per line cost a unit-of-work flush each.
_LOG_LINE = insert(cast(Table, MessageLog.__table__))


@dataclass(frozen=True)
class LogLine:
    """One line of the message log: what the person said ("in") or what the concierge said ("out")."""

    direction: str
    text: str
    payload: str | None = None
    intent: str | None = None
    entry_id: str | None = None


def log_messages(session: Session, user: User, lines: Sequence[LogLine], now: datetime) -> None:
    """Write a turn's lines in one statement (one round trip to PostgreSQL for both)."""
    session.connection().execute(
        _LOG_LINE,
        [
            {
                "user_id": user.id,
                "direction": line.direction,
                "text": line.text,
                "payload": line.payload[:200] if line.payload else None,
                "intent": line.intent,
                "entry_id": line.entry_id,
                "created_at": now,
            }
            for line in lines
        ],
    )


def purge_messages(session: Session, now: datetime, retention: timedelta) -> int:
    """Delete messages older than the retention period; returns how many went."""
    result = session.execute(delete(MessageLog).where(MessageLog.created_at < now - retention))
    return int(result.rowcount)  # type: ignore[attr-defined]
