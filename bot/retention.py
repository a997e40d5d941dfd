"""Retention: chat messages and leads are kept only as long as the README and the consent notice say."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.settings import Settings
from bot.storage import leads, records
from bot.storage.database import Database
from bot.storage.models import Lead, User


@dataclass(frozen=True)
class Purged:
    messages: int
    leads: int


def apply_retention(db: Database, settings: Settings, now: datetime) -> Purged:
    """Delete messages past MESSAGE_LOG_RETENTION_DAYS and leads untouched for LEAD_RETENTION_DAYS."""
    with db.transaction() as session:
        messages = records.purge_messages(session, now, timedelta(days=settings.message_log_retention_days))
        cutoff = now - timedelta(days=settings.lead_retention_days)
        expired = session.scalars(
            select(User).join(Lead, Lead.user_id == User.id).where(Lead.updated_at < cutoff)
        )
        count = 0
        for user in expired.all():
            leads.forget_person(session, user, now)
            count += 1
    return Purged(messages, count)
