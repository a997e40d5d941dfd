"""The leads list staff filter: by status, source, referral, area, timing, interests and last update."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.lead_fields import LeadStatus
from bot.storage.models import Lead

LIST_LIMIT = 500


@dataclass(frozen=True)
class LeadFilter:
    status: LeadStatus | None = None
    open_only: bool = False  # every status but closed
    source: str | None = None
    referral: str | None = None  # a code, or "any" for every lead that came with one
    area: str | None = None
    timing: str | None = None
    interest: str | None = None
    updated_since: datetime | None = None


def find(session: Session, wanted: LeadFilter, limit: int = LIST_LIMIT) -> list[Lead]:
    """Newest first. Interests are a JSON list, so that filter is applied here, not in SQL."""
    query = select(Lead).order_by(Lead.created_at.desc(), Lead.id.desc())
    if wanted.status is not None:
        query = query.where(Lead.status == wanted.status)
    if wanted.open_only:
        query = query.where(Lead.status != LeadStatus.CLOSED)
    if wanted.source:
        query = query.where(Lead.source == wanted.source)
    if wanted.referral == "any":
        query = query.where(Lead.referral_code.is_not(None))
    elif wanted.referral:
        query = query.where(Lead.referral_code == wanted.referral.strip().upper())
    if wanted.area:
        query = query.where(Lead.area == wanted.area)
    if wanted.timing:
        query = query.where(Lead.timing == wanted.timing)
    if wanted.updated_since is not None:
        query = query.where(Lead.updated_at >= wanted.updated_since)
    rows = list(session.scalars(query))
    if wanted.interest:
        rows = [lead for lead in rows if wanted.interest in (lead.interests or [])]
    return rows[:limit]
