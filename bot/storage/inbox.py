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

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Connection, Table, bindparam, or_, select, update

from bot.storage.dialects import PerDialect
from bot.storage.models import InboundEvent

TABLE = cast(Table, InboundEvent.__table__)


@dataclass(frozen=True)
class Claimed:
    body: str
    event_id: str
    received_at: datetime
    reply: str | None  # set when an earlier attempt answered but did not deliver


# The statements are built once, with bind parameters (see bot.storage.dialects).
_COLUMNS = TABLE.c
_ACCEPT = PerDialect(lambda dialect: dialect.insert(TABLE).on_conflict_do_nothing().returning(_COLUMNS.id))
_CLAIM = (
    update(TABLE)
    .where(
        # On PostgreSQL a row another worker is answering right now is skipped, not waited for.
        _COLUMNS.id
        == select(_COLUMNS.id)
        .where(_COLUMNS.id == bindparam("row_id"))
        .with_for_update(skip_locked=True)
        .scalar_subquery(),
        _COLUMNS.body.is_not(None),
        or_(
            _COLUMNS.status == "pending",
            (_COLUMNS.status == "answered") & (_COLUMNS.processed_at < bindparam("stale_before")),
        ),
    )
    .values(status="answered", processed_at=bindparam("now"), attempts=_COLUMNS.attempts + 1)
    .returning(_COLUMNS.body, _COLUMNS.event_id, _COLUMNS.received_at, _COLUMNS.reply)
)
_STORE_REPLY = update(TABLE).where(_COLUMNS.id == bindparam("row_id")).values(reply=bindparam("reply"))
_FINISH = (
    update(TABLE)
    .where(_COLUMNS.id.in_(bindparam("row_ids", expanding=True)))
    .values(status=bindparam("status"), processed_at=bindparam("now"), body=None, reply=None)
)


def accept(connection: Connection, source: str, event_id: str, body: str | None, now: datetime) -> int | None:
    """Record an event before acting on it: its row id, or None when it was already accepted."""
    values = {
        "source": source,
        "event_id": event_id,
        "body": body,
        "status": "pending",
        "attempts": 0,
        "received_at": now,
    }
    return connection.execute(_ACCEPT.on(connection), values).scalar_one_or_none()


def claim(connection: Connection, row_id: int, now: datetime, stale: timedelta) -> Claimed | None:
    """Take the event for this attempt; None when it is finished or another live attempt has it.

    A pending event is free. An answered one belongs to the attempt that answered it until
    ``stale`` has passed: then that attempt died before delivering, and this one delivers.
    A row another worker is answering right now is skipped: its transaction either commits
    the answer or rolls back to pending.
    """
    row = connection.execute(
        _CLAIM, {"row_id": row_id, "now": now, "stale_before": now - stale}
    ).one_or_none()
    return None if row is None else Claimed(row.body, row.event_id, row.received_at, row.reply)


def store_reply(connection: Connection, row_id: int, reply: str) -> None:
    """Keep the decided reply (JSON; "" for nothing to say) with the event until it is delivered."""
    connection.execute(_STORE_REPLY, {"row_id": row_id, "reply": reply})


def finish(connection: Connection, row_ids: Sequence[int], status: str, now: datetime) -> None:
    """Mark events done or failed; the person's words and the reply are not kept any longer."""
    connection.execute(_FINISH, {"row_ids": list(row_ids), "status": status, "now": now})


def pending(connection: Connection, source: str, limit: int, taken: Collection[int] = ()) -> list[int]:
    """The oldest events nobody has answered yet, but those ``taken`` already: a worker's next work."""
    statement = (
        select(TABLE.c.id)
        .where(TABLE.c.source == source, TABLE.c.status == "pending", TABLE.c.id.not_in(list(taken)))
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
