"""The transactional outbox: staff alerts written with their lead, delivered later, never dropped.

Claiming uses ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (two workers take different rows) and
SQLite's ``BEGIN IMMEDIATE`` write lock (one claimer at a time); a claimed row carries a lease
(``locked_until``) so a worker that dies mid-send releases it when the lease runs out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.storage.models import OutboxMessage

BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_MAX = timedelta(hours=1)


@dataclass(frozen=True)
class Alert:
    """A claimed outbox row, detached from the session so it can be sent outside the transaction."""

    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int


def enqueue(
    session: Session, kind: str, payload: dict[str, Any], now: datetime, *, lead_id: int | None = None
) -> None:
    session.add(
        OutboxMessage(
            kind=kind,
            payload=payload,
            lead_id=lead_id,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
    )


def claim_due(session: Session, now: datetime, lease: timedelta, limit: int = 10) -> list[Alert]:
    rows = session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.status == "pending",
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for row in rows:
        row.locked_until = now + lease
    return [Alert(row.id, row.kind, dict(row.payload), row.attempts) for row in rows]


def mark_sent(session: Session, alert_id: int, delivered_ref: str | None, now: datetime) -> None:
    row = session.get(OutboxMessage, alert_id)
    if row is not None:
        row.status, row.sent_at, row.locked_until, row.delivered_ref = "sent", now, None, delivered_ref
        row.attempts += 1


def mark_failed(session: Session, alert_id: int, error: str, now: datetime) -> None:
    """Schedule another try with exponential backoff; an alert stays pending until it is delivered."""
    row = session.get(OutboxMessage, alert_id)
    if row is not None:
        row.attempts += 1
        delay = min(BACKOFF_BASE * (2 ** (row.attempts - 1)), BACKOFF_MAX)
        row.next_attempt_at, row.locked_until, row.last_error = now + delay, None, error[:500]


def release(session: Session, alert_ids: list[int]) -> None:
    """Give back claimed alerts that were not tried, so the next round takes them at once."""
    for row in session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(alert_ids))):
        row.locked_until = None


def pending(session: Session) -> list[OutboxMessage]:
    return list(
        session.scalars(
            select(OutboxMessage).where(OutboxMessage.status == "pending").order_by(OutboxMessage.id)
        )
    )
