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

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import ModuleType
from typing import Any, cast

from sqlalchemy import BindParameter, ColumnElement, Connection, Table, bindparam, or_, select, update
from sqlalchemy.dialects import postgresql

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


def _claim(dialect: ModuleType) -> Any:
    row_ids: BindParameter[list[int]] = bindparam("row_ids", expanding=True)
    # The plain list keeps the planner on the primary key (with only the subquery, SQLite searched
    # the status index: every answered row).
    chosen: ColumnElement[bool] = _COLUMNS.id.in_(row_ids)
    if dialect is postgresql:  # a row another worker is answering right now is skipped, not waited for
        locked = select(_COLUMNS.id).where(_COLUMNS.id.in_(row_ids)).with_for_update(skip_locked=True)
        chosen &= _COLUMNS.id.in_(locked)
    return (
        update(TABLE)
        .where(
            chosen,
            _COLUMNS.body.is_not(None),
            or_(
                _COLUMNS.status == "pending",
                (_COLUMNS.status == "answered") & (_COLUMNS.processed_at < bindparam("stale_before")),
            ),
        )
        .values(status="answered", processed_at=bindparam("now"), attempts=_COLUMNS.attempts + 1)
        .returning(_COLUMNS.id, _COLUMNS.body, _COLUMNS.event_id, _COLUMNS.received_at, _COLUMNS.reply)
    )


_CLAIM = PerDialect(_claim)
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


def claim(
    connection: Connection, row_ids: Sequence[int], now: datetime, stale: timedelta
) -> dict[int, Claimed]:
    """Take the events for this attempt, in one statement: those left out are finished, or
    another live attempt has them.

    A pending event is free. An answered one belongs to the attempt that answered it until
    ``stale`` has passed: then that attempt died before delivering, and this one delivers.
    A row another worker is answering right now is skipped: its transaction either commits
    the answer or rolls back to pending.
    """
    rows = connection.execute(
        _CLAIM.on(connection), {"row_ids": list(row_ids), "now": now, "stale_before": now - stale}
    )
    return {row.id: Claimed(row.body, row.event_id, row.received_at, row.reply) for row in rows}


def bodies(connection: Connection, row_ids: Sequence[int]) -> dict[int, str]:
    """The bodies of those events still waiting for an answer, without taking them (a look ahead:
    what a batch is about to answer can be read before its transaction)."""
    statement = select(TABLE.c.id, TABLE.c.body).where(
        TABLE.c.id.in_(list(row_ids)), TABLE.c.status == "pending", TABLE.c.body.is_not(None)
    )
    return {row.id: row.body for row in connection.execute(statement)}


def store_replies(connection: Connection, replies: Mapping[int, str]) -> None:
    """Keep each decided reply (JSON; "" for nothing to say) with its event until it is delivered."""
    if replies:
        rows = [{"row_id": row_id, "reply": reply} for row_id, reply in replies.items()]
        connection.execute(_STORE_REPLY, rows)


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
