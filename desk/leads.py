"""Acting on a lead: claim it, move its status, add a note; and reading it as staff see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.lead_fields import LeadStatus, status_of
from bot.storage import leads as lead_store
from bot.storage import outbox
from bot.storage.models import Handoff, Lead, LeadNote, MessageLog, User

NOTE_LIMIT = 2000
HISTORY_LIMIT = 200


class Action(StrEnum):
    """What a staff member asks for; the Slack buttons' action ids are these values."""

    CLAIM = "claim"
    CONTACTED = "contacted"
    DONE = "done"


RESULTING_STATUS = {
    Action.CLAIM: LeadStatus.CLAIMED,
    Action.CONTACTED: LeadStatus.CONTACTED,
    Action.DONE: LeadStatus.CLOSED,
}


class Outcome(StrEnum):
    CHANGED = "changed"
    HELD_BY_OTHER = "held_by_other"  # someone else claimed it first
    NOT_FOUND = "not_found"  # never existed, or the person was forgotten


@dataclass(frozen=True)
class LeadState:
    """A lead as its alert shows it: the details (for the staff channel only) and who holds it."""

    lead_id: int
    status: LeadStatus
    holder: str | None
    held_since: datetime | None
    details: dict[str, Any]  # lead_store.alert_payload: the person's answers, escaped by whoever shows them


@dataclass(frozen=True)
class StatusChange:
    outcome: Outcome
    lead: LeadState | None = None
    holder: str | None = None  # who holds the lead, when the claim was refused


def state_of(session: Session, lead: Lead) -> LeadState:
    user = session.get(User, lead.user_id)
    details = lead_store.alert_payload(lead, user) if user else {}
    return LeadState(lead.id, status_of(lead.status), lead.claimed_by, lead.claimed_at, details)


def act(
    session: Session, lead_id: int, action: Action, staff: str, now: datetime, *, update_alert: bool = False
) -> StatusChange:
    """担当する / 連絡済み / 対応完了. A lead claimed by someone else can't be claimed again.

    With ``update_alert`` (the console, which has no Slack message in hand) the lead's alert in
    the staff channel is updated through the outbox, in this transaction, as a button press
    updates it directly.
    """
    lead = session.get(Lead, lead_id, with_for_update=True)
    if lead is None:
        return StatusChange(Outcome.NOT_FOUND)
    if action is Action.CLAIM and lead.claimed_by and lead.claimed_by != staff:
        return StatusChange(Outcome.HELD_BY_OTHER, state_of(session, lead), lead.claimed_by)
    if action is Action.CLAIM or not lead.claimed_by:
        lead.claimed_by, lead.claimed_at = staff, now
    lead.status, lead.updated_at = RESULTING_STATUS[action], now
    if update_alert:
        outbox.enqueue(
            session, "lead_status", {"lead_id": lead.id}, now, lead_id=lead.id, user_id=lead.user_id
        )
    return StatusChange(Outcome.CHANGED, state_of(session, lead))


def action_for(status: LeadStatus) -> Action | None:
    """The action that leads to ``status`` (None for "new": staff never un-claim a lead)."""
    return next((action for action, result in RESULTING_STATUS.items() if result is status), None)


@dataclass(frozen=True)
class Note:
    author: str
    text: str
    created_at: datetime


def add_note(session: Session, lead_id: int, author: str, text: str, now: datetime) -> Note | None:
    """None when the lead is gone or the note is empty."""
    text = text.strip()[:NOTE_LIMIT]
    if not text or session.get(Lead, lead_id) is None:
        return None
    session.add(LeadNote(lead_id=lead_id, author=author, text=text, created_at=now))
    lead = session.get(Lead, lead_id)
    assert lead is not None
    lead.updated_at = now
    return Note(author, text, now)


@dataclass(frozen=True)
class Said:
    direction: str  # "in" (the person) or "out" (the concierge)
    text: str
    at: datetime


@dataclass(frozen=True)
class HandoffRecord:
    handoff_id: int
    status: str
    claimed_by: str | None
    opened_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True)
class LeadPage:
    """Everything the console shows about one lead."""

    state: LeadState
    created_at: datetime
    updated_at: datetime
    notes: list[Note] = field(default_factory=list)
    conversation: list[Said] = field(default_factory=list)
    handoffs: list[HandoffRecord] = field(default_factory=list)


def page(session: Session, lead_id: int) -> LeadPage | None:
    lead = session.get(Lead, lead_id)
    if lead is None:
        return None
    notes = session.scalars(select(LeadNote).where(LeadNote.lead_id == lead.id).order_by(LeadNote.id))
    said = session.scalars(
        select(MessageLog)
        .where(MessageLog.user_id == lead.user_id)
        .order_by(MessageLog.created_at.desc(), MessageLog.id.desc())
        .limit(HISTORY_LIMIT)
    ).all()
    handoffs = session.scalars(select(Handoff).where(Handoff.user_id == lead.user_id).order_by(Handoff.id))
    return LeadPage(
        state_of(session, lead),
        lead.created_at,
        lead.updated_at,
        [Note(n.author, n.text, n.created_at) for n in notes],
        [Said(m.direction, m.text, m.created_at) for m in reversed(said)],
        [HandoffRecord(h.id, h.status, h.claimed_by, h.opened_at, h.closed_at) for h in handoffs],
    )
