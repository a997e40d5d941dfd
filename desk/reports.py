"""What staff ask to see: open leads, one lead, the week's numbers, unanswered questions, sources."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.lead_fields import LeadStatus, status_of
from bot.storage import gaps
from bot.storage import leads as lead_store
from bot.storage.models import Lead, MessageLog
from desk.lead_list import LeadFilter, find

OPEN_LIMIT = 20


@dataclass(frozen=True)
class LeadLine:
    """One line of the open-leads report: no personal data but the name (shown in the staff channel only)."""

    lead_id: int
    status: LeadStatus
    created_at: datetime
    timing: str
    work_plan: str
    name: str


def open_leads(session: Session, limit: int = OPEN_LIMIT) -> list[LeadLine]:
    rows = find(session, LeadFilter(open_only=True), limit)
    return [LeadLine(r.id, status_of(r.status), r.created_at, r.timing, r.work_plan, r.name) for r in rows]


@dataclass(frozen=True)
class Week:
    questions: int
    leads_by_source: list[tuple[str | None, int]]

    @property
    def leads(self) -> int:
        return sum(count for _source, count in self.leads_by_source)


def last_week(session: Session, now: datetime) -> Week:
    since = now - timedelta(days=7)
    questions = session.scalar(
        select(func.count())
        .select_from(MessageLog)
        .where(MessageLog.direction == "in", MessageLog.created_at >= since)
    )
    by_source = session.execute(
        select(Lead.source, func.count()).where(Lead.created_at >= since).group_by(Lead.source)
    ).all()
    return Week(int(questions or 0), [(source, int(count)) for source, count in by_source])


def unanswered(session: Session, limit: int = 10) -> list[gaps.Gap]:
    return gaps.top_gaps(session, limit)


def sources(session: Session) -> list[lead_store.SourceCount]:
    return lead_store.source_counts(session)
