"""Who acted, as stored in ``claimed_by`` and note authors: a Slack user id, or a console account."""

from __future__ import annotations

WEB_PREFIX = "web:"


def web_id(account_name: str) -> str:
    return WEB_PREFIX + account_name


def web_name(stored: str | None) -> str | None:
    """The console account's name if ``stored`` names one, else None (a Slack user id)."""
    if stored and stored.startswith(WEB_PREFIX):
        return stored[len(WEB_PREFIX) :]
    return None
