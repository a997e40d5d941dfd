"""Acting on a handoff: claim it, close it, answer the person (from a Slack thread or the console)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.conversation import IDLE
from bot.lead_fields import LeadStatus, status_of
from bot.storage import handoffs as handoff_store
from bot.storage import outbox, records
from bot.storage.models import Handoff, Lead, MessageLog, User
from desk import identity

ANSWER_PREFIX = "市の担当職員からの返信です:\n"
ANSWER_LIMIT = 3000
CONTEXT_BEFORE = timedelta(minutes=30)


def status_label(status: str) -> str:
    """A handoff's status (open / claimed / closed) in the words a lead's status uses."""
    return (LeadStatus.NEW if status == "open" else status_of(status)).label


class HandoffAction(StrEnum):
    CLAIM = "claim"
    DONE = "done"


@dataclass(frozen=True)
class Recipient:
    """Whom a staff message goes to, on their own channel (the adapter knows how to reach it)."""

    user_id: int
    channel: str
    channel_user_id: str


@dataclass(frozen=True)
class HandoffTurn:
    """The person to tell (None: the handoff is over or gone) and the handoff's status now."""

    person: Recipient | None
    status: str


def act(session: Session, handoff_id: int, action: HandoffAction, staff: str, now: datetime) -> HandoffTurn:
    return _reach(
        session, session.get(Handoff, handoff_id), now, staff=staff, close=action is HandoffAction.DONE
    )


def person_of_thread(session: Session, thread: str, now: datetime) -> HandoffTurn:
    return _reach(session, handoff_store.by_thread(session, thread), now)


def is_handoff_thread(session: Session, thread: str) -> bool:
    return handoff_store.by_thread(session, thread) is not None


def answer_text(said: str) -> str | None:
    """What the person receives for a staff answer; None for an empty one."""
    said = said.strip()[:ANSWER_LIMIT]
    return ANSWER_PREFIX + said if said else None


def answerable(session: Session, handoff_id: int, now: datetime) -> HandoffTurn:
    """The person a console answer goes to, while the handoff is open."""
    return _reach(session, session.get(Handoff, handoff_id), now)


def _reach(
    session: Session, handoff: Handoff | None, now: datetime, staff: str | None = None, close: bool = False
) -> HandoffTurn:
    if handoff is None or handoff_store.active(session, handoff.id, now) is None:
        return HandoffTurn(None, "closed")
    if staff and not handoff.claimed_by:
        handoff.claimed_by, handoff.status = staff, "claimed"
    user = session.get(User, handoff.user_id)
    if user is None:
        return HandoffTurn(None, "closed")
    if close:
        handoff_store.close(session, handoff, now)
        records.save_conversation(session, user, IDLE, now)
    return HandoffTurn(Recipient(user.id, user.channel, user.channel_user_id), handoff.status)


@dataclass(frozen=True)
class OpenHandoff:
    handoff_id: int
    channel: str
    status: str
    claimed_by: str | None
    opened_at: datetime
    expires_at: datetime
    lead_id: int | None


def open_handoffs(session: Session, now: datetime) -> list[OpenHandoff]:
    rows = session.execute(
        select(Handoff, User.channel, Lead.id)
        .join(User, User.id == Handoff.user_id)
        .outerjoin(Lead, Lead.user_id == Handoff.user_id)
        .where(Handoff.status != "closed", Handoff.expires_at > now)
        .order_by(Handoff.opened_at)
    ).all()
    return [
        OpenHandoff(h.id, channel, h.status, h.claimed_by, h.opened_at, h.expires_at, lead_id)
        for h, channel, lead_id in rows
    ]


@dataclass(frozen=True)
class Line:
    direction: str  # "in": the person, "out": the concierge
    text: str
    at: datetime


@dataclass(frozen=True)
class HandoffPage:
    handoff: OpenHandoff
    open: bool
    said: list[Line]  # what was said since shortly before the handoff opened


def page(session: Session, handoff_id: int, now: datetime) -> HandoffPage | None:
    row = session.execute(
        select(Handoff, User.channel, Lead.id)
        .join(User, User.id == Handoff.user_id)
        .outerjoin(Lead, Lead.user_id == Handoff.user_id)
        .where(Handoff.id == handoff_id)
    ).first()
    if row is None:
        return None
    h, channel, lead_id = row
    said = session.scalars(
        select(MessageLog)
        .where(MessageLog.user_id == h.user_id, MessageLog.created_at >= h.opened_at - CONTEXT_BEFORE)
        .order_by(MessageLog.created_at, MessageLog.id)
        .limit(200)
    ).all()
    summary = OpenHandoff(h.id, channel, h.status, h.claimed_by, h.opened_at, h.expires_at, lead_id)
    is_open = handoff_store.active(session, h.id, now) is not None
    return HandoffPage(summary, is_open, [Line(m.direction, m.text, m.created_at) for m in said])


def answer_from_console(
    session: Session, handoff_id: int, staff_name: str, said: str, now: datetime
) -> HandoffTurn:
    """Answer from the console: the person is reached as from a Slack thread, and the answer is
    posted in the handoff's Slack thread too (through the outbox), so staff there see it."""
    turn = _reach(session, session.get(Handoff, handoff_id), now, staff=identity.web_id(staff_name))
    if turn.person is not None:
        payload = {"handoff_id": handoff_id, "text": said.strip()[:ANSWER_LIMIT], "staff": staff_name}
        outbox.enqueue(session, "handoff_message", payload, now, user_id=turn.person.user_id)
    return turn
