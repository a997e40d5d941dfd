"""Links the concierge hands out: the web chat with a referral or source code, LINE share links."""

from __future__ import annotations

from urllib.parse import quote, urlencode


def web_chat_link(base_url: str, *, ref: str | None = None, src: str | None = None) -> str:
    query = urlencode({k: v for k, v in (("ref", ref), ("src", src)) if v})
    return base_url.rstrip("/") + "/" + (f"?{query}" if query else "")


def line_message_link(basic_id: str, text: str) -> str:
    """Opens a chat with the account with ``text`` typed in (LINE's oaMessage scheme; @ percent-encoded)."""
    return f"https://line.me/R/oaMessage/{quote(_at(basic_id), safe='')}/?{quote(text, safe='')}"


def line_recommend_link(basic_id: str) -> str:
    """Lets a person recommend the account to a friend (LINE's recommendOA scheme)."""
    return f"https://line.me/R/nv/recommendOA/{quote(_at(basic_id), safe='')}"


def _at(basic_id: str) -> str:
    return basic_id if basic_id.startswith("@") else "@" + basic_id
