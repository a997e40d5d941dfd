"""Leads, referral codes and sources: who wants to come home, and who or what brought them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.lead_fields import FIELD_NAMES, LeadStatus
from bot.storage import outbox
from bot.storage.models import Lead, ReferralCode, Source, User

# No 0/O, 1/I/L: a parent reads the code aloud or types it from a printed page.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
LEAD_FIELDS = FIELD_NAMES  # the columns a person fills in, from the one lead table


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def lead_of(session: Session, user: User) -> Lead | None:
    return session.scalars(select(Lead).where(Lead.user_id == user.id)).one_or_none()


def save_lead(
    session: Session,
    user: User,
    answers: dict[str, Any],
    consent_version: str,
    consent_at: datetime,
    now: datetime,
    *,
    alert_alone: bool = True,
) -> tuple[Lead, bool]:
    """Create the person's lead, or update it (one lead per person per channel); True when new.

    The staff alert is queued in the same transaction, so a lead is never stored without its
    alert, nor an alert sent for a lead that was rolled back. Without ``alert_alone`` (too many
    from one address this hour) it joins the hour's summary instead of being posted by itself.
    """
    values = {name: answers.get(name) for name in LEAD_FIELDS} | {
        "referral_code": valid_referral(session, user.referral_code),
        "source": user.source,
        "consent_version": consent_version,
        "consent_at": consent_at,
        "updated_at": now,
    }
    lead = lead_of(session, user)
    created = lead is None
    if lead is None:
        lead = Lead(user_id=user.id, created_at=now, status=LeadStatus.NEW, **values)
        session.add(lead)
    else:
        for name, value in values.items():
            setattr(lead, name, value)
    session.flush()
    kind = "lead_new" if created else "lead_updated"
    if alert_alone:
        outbox.enqueue(session, kind, alert_payload(lead, user), now, lead_id=lead.id, user_id=user.id)
    else:
        outbox.summarise(session, kind, {"lead_id": lead.id}, now)
    return lead, created


def alert_payload(lead: Lead, user: User) -> dict[str, Any]:
    """What staff see about a lead (posted to the staff channel only)."""
    return {
        "lead_id": lead.id,
        **{name: getattr(lead, name) for name in LEAD_FIELDS},
        "referral_code": lead.referral_code,
        "source": lead.source,
        "channel": user.channel,
    }


def forget_person(session: Session, user: User, now: datetime, reason: str = "request") -> int | None:
    """Forget the person everywhere; tell staff a lead was deleted, by its number only.

    Their waiting alerts are cancelled and their posts in Slack queued for redaction (the
    outbox); deleting the user row takes with it, by foreign key, the lead, the conversation,
    the message log, handoffs, staff replies and the questions they asked. ``reason`` is
    "request" (the person or staff asked) or "retention" (kept as long as promised).
    Returns the deleted lead's id, if there was one.
    """
    lead = lead_of(session, user)
    lead_id = lead.id if lead else None
    outbox.forget(session, user.id, lead_id, reason, now)
    session.execute(delete(User).where(User.id == user.id))
    if lead_id is not None:
        payload: dict[str, Any] = {"lead_id": lead_id} | ({"reason": reason} if reason != "request" else {})
        outbox.enqueue(session, "deletion", payload, now)
    return lead_id


def delete_lead(session: Session, lead_id: int, now: datetime) -> bool:
    """Staff-side deletion (`concierge leads delete ID`): the lead and the person's chat history."""
    lead = session.get(Lead, lead_id)
    if lead is None:
        return False
    user = session.get(User, lead.user_id)
    if user is not None:
        forget_person(session, user, now)
    return True


# -- referral codes --------------------------------------------------------------------


def referral_code_of(session: Session, user: User, now: datetime) -> str:
    existing = session.scalars(select(ReferralCode.code).where(ReferralCode.user_id == user.id)).one_or_none()
    if existing:
        return existing
    while True:
        code = new_code()
        if session.get(ReferralCode, code) is None:
            session.add(ReferralCode(code=code, user_id=user.id, created_at=now))
            session.flush()
            return code


def valid_referral(session: Session, code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().upper()
    return code if session.get(ReferralCode, code) is not None else None


def referred_count(session: Session, code: str) -> int:
    """How many leads came with this code (a parent sees only this number, never who)."""
    return int(session.scalar(select(func.count()).select_from(Lead).where(Lead.referral_code == code)) or 0)


# -- sources ----------------------------------------------------------------------------


def add_source(session: Session, name: str, now: datetime) -> str:
    code = "S" + new_code()
    session.add(Source(code=code, name=name, created_at=now))
    return code


def source_name(session: Session, code: str | None) -> str | None:
    if not code:
        return None
    source = session.get(Source, code.strip().upper())
    return source.name if source else None


@dataclass(frozen=True)
class SourceCount:
    code: str
    name: str
    users: int
    leads: int


def source_counts(session: Session) -> list[SourceCount]:
    counts = []
    for source in session.scalars(select(Source).order_by(Source.created_at)):
        users = session.scalar(select(func.count()).select_from(User).where(User.source == source.code)) or 0
        leads = session.scalar(select(func.count()).select_from(Lead).where(Lead.source == source.code)) or 0
        counts.append(SourceCount(source.code, source.name, int(users), int(leads)))
    return counts
