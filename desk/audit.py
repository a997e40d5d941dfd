"""The audit log: every view and export of personal data, by whom and when; admins read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.models import AuditEntry


@dataclass(frozen=True)
class Seen:
    account: str
    action: str
    target: str
    at: datetime


def record(session: Session, account: str, action: str, target: str, now: datetime) -> None:
    """``target`` names what was seen by id only (``lead:12``), never by anything personal."""
    session.add(AuditEntry(account_name=account, action=action, target=target[:128], created_at=now))


def recent(session: Session, limit: int = 200) -> list[Seen]:
    rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
    return [Seen(r.account_name, r.action, r.target, r.created_at) for r in rows]
