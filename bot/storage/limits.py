"""Hourly limits shared by every worker: a count per key in a fixed one-hour window.

Keys are a kind ("handoffs") or a kind and a client address. An address is stored only as a
hash, and only while its window and the one before it are kept (each count purges what is older),
so the table never becomes a record of who connected from where.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete
from sqlalchemy.orm import Session

from bot.storage.dialects import upsert
from bot.storage.models import RateCounter

WINDOW = timedelta(hours=1)

_COUNT = upsert(
    RateCounter,
    {"key": bindparam("key"), "window_start": bindparam("window"), "count": 1},
    ["key", "window_start"],
    {"count": RateCounter.count + 1},
    returning=True,
)


def window_of(now: datetime) -> datetime:
    return now.replace(minute=0, second=0, microsecond=0)


def address_key(kind: str, address: str) -> str:
    return f"{kind}:{hashlib.sha256(address.encode()).hexdigest()[:32]}"


def purge(session: Session, now: datetime) -> int:
    """Forget windows older than the previous hour (they hold address hashes)."""
    result = session.execute(delete(RateCounter).where(RateCounter.window_start < window_of(now) - WINDOW))
    return int(result.rowcount)  # type: ignore[attr-defined]


def count(session: Session, key: str, now: datetime) -> int:
    """Add one to ``key`` in this hour; how many there have been, this one included.

    One upsert: on PostgreSQL it also locks the counter until the transaction ends, so writers
    that count the same key one after another see each other's work.
    """
    purge(session, now)
    connection = session.connection()
    values = {"key": key, "window": window_of(now)}
    row = connection.execute(_COUNT.on(connection), values).one()._mapping
    return int(row["count"])


def allow(session: Session, now: datetime, caps: list[tuple[str, int]]) -> bool:
    """Count the attempt against each (key, cap) in turn; False at the first cap exceeded.

    A refused attempt counts against the caps it reached, so a flood stays refused, but not
    against later ones: a flood from one address doesn't use up everyone's overall cap.
    """
    return all(count(session, key, now) <= cap for key, cap in caps)


def caps_for(kind: str, address: str | None, per_address: int, overall: int) -> list[tuple[str, int]]:
    """The per-address cap first (when the channel has addresses), then the overall one."""
    return ([(address_key(kind, address), per_address)] if address else []) + [(kind, overall)]
