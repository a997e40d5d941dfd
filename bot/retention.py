"""Retention: what people said and who they are is kept only as long as the README and the consent
notice say, in every table that holds it (see docs/operations.md, "Personal data")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, select

from bot.settings import Settings
from bot.storage import gaps, leads, limits, outbox, records
from bot.storage.database import Database
from bot.storage.models import EventApplication, Lead, NoticeSubscription, ReferralCode, StaffSession, User


@dataclass(frozen=True)
class Purged:
    messages: int
    leads: int
    questions: int = 0
    people: int = 0  # people with nothing left: no lead, no referral code, not seen for long
    alerts: int = 0


def apply_retention(db: Database, settings: Settings, now: datetime) -> Purged:
    """Delete, in one transaction:

    - messages and unanswered questions older than MESSAGE_LOG_RETENTION_DAYS;
    - leads untouched for LEAD_RETENTION_DAYS, with everything about their person;
    - event applications untouched for LEAD_RETENTION_DAYS (an applicant is kept until then);
    - people with nothing left (no lead, no application, no referral code of their own, no
      notices they can still receive on LINE) not seen for as long as their messages are kept and
      any form of theirs would last: their handoffs, staff replies, subscriptions and posts in
      Slack go with them;
    - finished alerts of people no longer here, as old as the messages kept;
    - hourly limit counters older than the previous hour;
    - expired staff console sessions.
    """
    keep = timedelta(days=settings.message_log_retention_days)
    with db.transaction() as session:
        messages = records.purge_messages(session, now, keep)
        questions = gaps.purge_questions(session, now - keep)
        lead_cutoff = now - timedelta(days=settings.lead_retention_days)
        expired = session.scalars(
            select(User).join(Lead, Lead.user_id == User.id).where(Lead.updated_at < lead_cutoff)
        ).all()
        for user in expired:
            leads.forget_person(session, user, now, reason="retention")
        session.execute(delete(EventApplication).where(EventApplication.updated_at < lead_cutoff))
        idle_cutoff = now - max(keep, timedelta(hours=settings.conversation_ttl_hours))
        idle = session.scalars(
            select(User).where(
                User.last_seen_at < idle_cutoff,
                ~exists().where(Lead.user_id == User.id),
                ~exists().where(ReferralCode.user_id == User.id),
                ~exists().where(EventApplication.user_id == User.id),
                # Asked for notices on LINE and not blocked: kept while they want them ("配信停止"
                # or blocking ends it). A web page's session ends; its notices are not kept for it.
                ~(
                    exists().where(NoticeSubscription.user_id == User.id)
                    & (User.channel == "line")
                    & User.reachable
                ),
            )
        ).all()
        for user in idle:
            leads.forget_person(session, user, now, reason="retention")
        alerts = outbox.purge_finished(session, now - keep)
        limits.purge(session, now)
        session.execute(delete(StaffSession).where(StaffSession.expires_at <= now))  # console sign-ins
    return Purged(messages, len(expired), questions, len(idle), alerts)
