"""The transactional outbox: staff alerts written with their lead, delivered later, never dropped.

Claiming uses ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (two workers take different rows) and
SQLite's ``BEGIN IMMEDIATE`` write lock (one claimer at a time); a claimed row carries a lease
(``locked_until``) so a worker that dies mid-send releases it when the lease runs out.

Alerts carry personal data (a lead's name and contact, a handoff's messages) only while they
wait: a sent alert keeps its ids and the reference to its post, and forgetting a person cancels
what waits and queues a ``redact`` for what was posted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from bot.storage import limits
from bot.storage.models import OutboxMessage

BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_MAX = timedelta(hours=1)
# Alerts that may be summarised when too many come at once (a handoff needs its own thread).
CAPPED_KINDS = ("lead_new", "lead_updated", "deletion")


@dataclass(frozen=True)
class Alert:
    """A claimed outbox row, detached from the session so it can be sent outside the transaction."""

    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    now: datetime,
    *,
    lead_id: int | None = None,
    user_id: int | None = None,
    due: datetime | None = None,
) -> None:
    """Queue an alert; ``user_id`` names the person it is about (their alerts go when they do)."""
    session.add(
        OutboxMessage(
            kind=kind,
            payload=payload,
            lead_id=lead_id,
            user_id=user_id,
            status="pending",
            attempts=0,
            next_attempt_at=due or now,
            created_at=now,
        )
    )


def summarise(session: Session, kind: str, payload: dict[str, Any], now: datetime) -> None:
    """Add an alert to the one summary posted when this hour is over, instead of posting it alone.

    Counting first also serializes writers of the summary row: on PostgreSQL the counter's row
    stays locked until the transaction ends, so a second writer finds the first one's summary.
    """
    limits.count(session, "alerts_summarised", now)
    window = limits.window_of(now)
    item = {"kind": kind, **ids_only(payload)}
    summary = session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.kind == "summary",
            OutboxMessage.status == "pending",
            OutboxMessage.created_at >= window,
        )
        .limit(1)
    ).first()
    if summary is None:
        enqueue(session, "summary", {"items": [item]}, now, due=window + limits.WINDOW)
    else:
        summary.payload = {"items": [*summary.payload.get("items", []), item]}


def ids_only(payload: dict[str, Any]) -> dict[str, Any]:
    """What an alert keeps once it has no reason to hold more: the ids of what it was about."""
    return {key: value for key, value in payload.items() if key.endswith("_id")}


def redact(session: Session, ref: str, reason: str, now: datetime) -> None:
    """Queue the redaction of a post (Slack "channel:ts"), so it survives the destination being down."""
    enqueue(session, "redact", {"ref": ref, "reason": reason}, now)


def forget(session: Session, user_id: int, lead_id: int | None, reason: str, now: datetime) -> None:
    """A person is being forgotten: their waiting alerts are cancelled, their posts redacted.

    Rows keep their ids (and what happened) so the outbox still tells what was sent when.
    A row being sent right now is cancelled too: :func:`mark_sent` then redacts its post.
    """
    whose = OutboxMessage.user_id == user_id
    if lead_id is not None:
        whose = or_(whose, OutboxMessage.lead_id == lead_id)
    for row in session.scalars(select(OutboxMessage).where(whose).with_for_update()):
        row.payload = ids_only(row.payload) | {"forgotten": reason}
        if row.status == "pending":
            row.status, row.locked_until = "cancelled", None
        elif row.delivered_ref:
            redact(session, row.delivered_ref, reason, now)
        row.delivered_ref, row.user_id = None, None


def claim_due(
    session: Session, now: datetime, lease: timedelta, limit: int = 10, hourly_cap: int | None = None
) -> list[Alert]:
    """Due alerts to send now. With ``hourly_cap``, lead and deletion alerts beyond that many an
    hour are not sent alone: they join the hour's summary, so the staff channel never floods."""
    while True:
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
        claimed = []
        for row in rows:
            if (
                hourly_cap is not None
                and row.kind in CAPPED_KINDS
                and limits.count(session, "staff_alerts", now) > hourly_cap
            ):
                summarise(session, row.kind, row.payload, now)
                row.status, row.payload = "summarised", ids_only(row.payload)
                continue
            row.locked_until = now + lease
            claimed.append(Alert(row.id, row.kind, dict(row.payload), row.attempts))
        if claimed or not rows:
            return claimed


def mark_sent(session: Session, alert_id: int, delivered_ref: str | None, now: datetime) -> None:
    # Locked: a person forgotten while their alert was being sent cancels the row meanwhile.
    row = session.get(OutboxMessage, alert_id, with_for_update=True)
    if row is None:
        return
    if row.status == "cancelled":  # forgotten mid-send: take back what was just posted
        if delivered_ref:
            redact(session, delivered_ref, str(row.payload.get("forgotten", "request")), now)
        return
    row.status, row.sent_at, row.locked_until, row.delivered_ref = "sent", now, None, delivered_ref
    row.payload = ids_only(row.payload)  # delivered: the lead and the handoff hold the rest
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


def purge_finished(session: Session, before: datetime) -> int:
    """Delete sent, cancelled and summarised alerts older than ``before`` that belong to nobody still here.

    A present person's sent alerts stay (ids and a post reference only): forgetting them later
    must still find their posts to redact.
    """
    result = session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status.in_(("sent", "cancelled", "summarised")),
            OutboxMessage.user_id.is_(None),
            OutboxMessage.created_at < before,
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


LEAD_ALERT_KINDS = ("lead_new", "lead_updated")


def posts_of_lead(session: Session, lead_id: int) -> list[str]:
    """Where the lead's own alerts were posted (Slack "channel:ts"), oldest first."""
    return list(
        session.scalars(
            select(OutboxMessage.delivered_ref)
            .where(
                OutboxMessage.lead_id == lead_id,
                OutboxMessage.kind.in_(LEAD_ALERT_KINDS),
                OutboxMessage.delivered_ref.is_not(None),
            )
            .order_by(OutboxMessage.id)
        )
    )
