"""Handoffs: a person talking to staff through the concierge, and staff replies waiting for the web."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage import outbox
from bot.storage.models import Handoff, MessageLog, StaffReply, User
from knowledge.normalize import DIGIT_RUN, EMAIL

LIFETIME = timedelta(hours=24)
RECENT_MESSAGES = 5


def mask_contacts(text: str) -> str:
    """E-mail addresses and phone-like digit runs hidden: staff get contacts from the lead, not chat."""
    return DIGIT_RUN.sub("<番号>", EMAIL.sub("<メール>", text))


def open_handoff(
    session: Session, user: User, question: str, now: datetime, shared_intents: Collection[str]
) -> Handoff:
    """Open the person's handoff and queue the staff alert in the same transaction.

    The alert carries the person's last few messages, but only those answered by
    ``shared_intents`` (questions, not form answers such as a name or an e-mail address),
    with contacts masked: the person is told exactly this when the handoff opens.
    """
    handoff = Handoff(user_id=user.id, status="open", opened_at=now, expires_at=now + LIFETIME)
    session.add(handoff)
    session.flush()
    recent = session.scalars(
        select(MessageLog.text)
        .where(
            MessageLog.user_id == user.id,
            MessageLog.direction == "in",
            MessageLog.text != "",
            MessageLog.intent.in_(list(shared_intents)),
        )
        .order_by(MessageLog.created_at.desc(), MessageLog.id.desc())
        .limit(RECENT_MESSAGES)
    ).all()
    payload = {
        "handoff_id": handoff.id,
        "channel": user.channel,
        "question": mask_contacts(question),
        "recent": [mask_contacts(text) for text in recent[::-1]],
    }
    outbox.enqueue(session, "handoff", payload, now, user_id=user.id)
    return handoff


def relay_to_staff(session: Session, handoff: Handoff, text: str, now: datetime) -> None:
    payload = {"handoff_id": handoff.id, "text": text}
    outbox.enqueue(session, "handoff_message", payload, now, user_id=handoff.user_id)


def open_of(session: Session, user: User, now: datetime) -> Handoff | None:
    """The person's handoff still open, if any: a person has one at a time."""
    return session.scalars(
        select(Handoff)
        .where(Handoff.user_id == user.id, Handoff.status != "closed", Handoff.expires_at > now)
        .order_by(Handoff.id.desc())
        .limit(1)
    ).first()


def active(session: Session, handoff_id: int, now: datetime) -> Handoff | None:
    handoff = session.get(Handoff, handoff_id)
    if handoff is None or handoff.status == "closed" or handoff.expires_at <= now:
        return None
    return handoff


def close(session: Session, handoff: Handoff, now: datetime) -> None:
    handoff.status, handoff.closed_at = "closed", now


def hold_for_web(session: Session, user_id: int, text: str, now: datetime) -> None:
    session.add(StaffReply(user_id=user_id, text=text, created_at=now))


def collect_for_web(session: Session, user: User, now: datetime) -> list[str]:
    rows = session.scalars(
        select(StaffReply)
        .where(StaffReply.user_id == user.id, StaffReply.delivered_at.is_(None))
        .order_by(StaffReply.id)
    ).all()
    for row in rows:
        row.delivered_at = now
    return [row.text for row in rows]


def by_thread(session: Session, thread_ref: str) -> Handoff | None:
    return session.scalars(select(Handoff).where(Handoff.thread_ref == thread_ref)).one_or_none()
