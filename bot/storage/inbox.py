"""The inbox of webhook events: accepted once, answered once, delivered, finished.

An event's life: ``pending`` (accepted, acknowledged) → ``answered`` (the turn ran and its reply
is stored, in the same transaction as the claim) → ``done`` or ``failed`` (delivered or given up).
A crash before the answer commits leaves it pending; a crash after leaves the stored reply,
which is delivered without running the turn again.

Each operation is one SQL statement on ``inbound_events`` (Core, not the ORM's unit of work):
a busy LINE account runs several per event. The unique (source, event_id) key is the dedupe;
the conditional UPDATE in :func:`claim` is what lets exactly one task or worker answer an event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Connection, Table, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.storage.models import InboundEvent

TABLE = cast(Table, InboundEvent.__table__)


@dataclass(frozen=True)
class Claimed:
    body: str
    event_id: str
    received_at: datetime
    reply: str | None  # set when an earlier attempt answered but did not deliver


def accept(connection: Connection, source: str, event_id: str, body: str | None, now: datetime) -> int | None:
    """Record an event before acting on it: its row id, or None when it was already accepted."""
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(TABLE)
        .values(source=source, event_id=event_id, body=body, status="pending", attempts=0, received_at=now)
        .on_conflict_do_nothing()
        .returning(TABLE.c.id)
    )
    return connection.execute(statement).scalar_one_or_none()


def claim(connection: Connection, row_id: int, now: datetime, stale: timedelta) -> Claimed | None:
    """Take the event for this attempt; None when it is finished or another live attempt has it.

    A pending event is free. An answered one belongs to the attempt that answered it until
    ``stale`` has passed: then that attempt died before delivering, and this one delivers.
    On PostgreSQL a row another worker is answering right now is skipped (SKIP LOCKED), not
    waited for: its transaction either commits the answer or rolls back to pending.
    """
    columns = TABLE.c
    unlocked = select(columns.id).where(columns.id == row_id).with_for_update(skip_locked=True)
    statement = (
        update(TABLE)
        .where(
            columns.id == unlocked.scalar_subquery(),
            columns.body.is_not(None),
            or_(
                columns.status == "pending",
                (columns.status == "answered") & (columns.processed_at < now - stale),
            ),
        )
        .values(status="answered", processed_at=now, attempts=columns.attempts + 1)
        .returning(columns.body, columns.event_id, columns.received_at, columns.reply)
    )
    row = connection.execute(statement).one_or_none()
    return None if row is None else Claimed(row.body, row.event_id, row.received_at, row.reply)


def store_reply(connection: Connection, row_id: int, reply: str) -> None:
    """Keep the decided reply (JSON; "" for nothing to say) with the event until it is delivered."""
    connection.execute(update(TABLE).where(TABLE.c.id == row_id).values(reply=reply))


def finish(connection: Connection, row_ids: Sequence[int], status: str, now: datetime) -> None:
    """Mark events done or failed; the person's words and the reply are not kept any longer."""
    statement = update(TABLE).where(TABLE.c.id.in_(row_ids))
    connection.execute(statement.values(status=status, processed_at=now, body=None, reply=None))


def pending(connection: Connection, source: str, limit: int) -> list[int]:
    """The oldest events nobody has answered yet: a worker's next work."""
    statement = (
        select(TABLE.c.id)
        .where(TABLE.c.source == source, TABLE.c.status == "pending")
        .order_by(TABLE.c.id)
        .limit(limit)
    )
    return list(connection.scalars(statement))


def unfinished(connection: Connection, source: str) -> list[int]:
    """Events accepted but not finished, oldest first: a restart or a sweep answers them."""
    statement = (
        select(TABLE.c.id)
        .where(TABLE.c.source == source, TABLE.c.status.in_(("pending", "answered")))
        .order_by(TABLE.c.id)
    )
    return list(connection.scalars(statement))
