"""Conversation state: which form a person is in, at which step, with what answers so far.

It is a plain value read from the database at the start of a turn and written back at its end
(in the same transaction as anything the turn stored), so a form survives restarts and works
when several web workers take turns answering the same person.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class ConversationState:
    form: str | None = None
    step: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    expires_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.form is not None

    def is_expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at

    def at(
        self, form: str, step: str, slots: dict[str, Any], now: datetime, ttl: timedelta
    ) -> ConversationState:
        """The state for being at ``step`` of ``form``; the timeout restarts on every answer."""
        return replace(self, form=form, step=step, slots=dict(slots), expires_at=now + ttl)


IDLE = ConversationState()
