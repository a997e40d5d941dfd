"""One notion of "now" for the whole bot, so tests can move time without sleeping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    """Timezone-aware UTC now; the database stores naive UTC (see storage.models.UTCDateTime)."""
    return datetime.now(UTC)
