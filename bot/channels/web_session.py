"""The web chat's session and request checks: who is asking, and from where.

The session is an opaque random token in an HttpOnly, SameSite=Lax cookie; the database only
ever sees its SHA-256, so a leaked database row can't be replayed as a cookie.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from bot.clock import utcnow
from bot.settings import Settings
from bot.storage import limits
from bot.storage.database import Database

COOKIE = "kc_session"
COOKIE_MAX_AGE = 60 * 60 * 24 * 90
_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


def code(value: Any) -> str | None:
    """A referral or source code, or None when it isn't one (never trust a URL's query string)."""
    return value if isinstance(value, str) and _CODE.match(value) else None


def session_user(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:40]


def token_from(request: Request) -> str | None:
    token = request.cookies.get(COOKIE)
    return token if token and re.fullmatch(r"[A-Za-z0-9_-]{20,64}", token) else None


def address(request: Request) -> str | None:
    """The client's address from the ASGI scope (behind a proxy, uvicorn's --proxy-headers sets it)."""
    return request.client.host if request.client else None


def set_cookie(response: Response, token: str, settings: Settings) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=settings.session_cookie_secure,
        path="/",
    )


def same_origin(request: Request) -> bool:
    """Browsers send Origin on cross-site POSTs; refuse those (the cookie alone is not proof)."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False  # a browser saying the request comes from another site
    origin = request.headers.get("origin")
    if origin is None:
        return True  # curl, the CLI, same-origin GETs
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1] == host


def may_open_session(db: Database, settings: Settings, address: str | None) -> bool:
    """New sessions are counted per address and overall: without a cookie, each request would
    otherwise be a new person, out of reach of the per-person limits."""
    caps = limits.caps_for(
        "web_sessions",
        address,
        settings.web_sessions_per_hour_per_address,
        settings.web_sessions_per_hour,
    )
    with db.transaction() as session:
        return limits.allow(session, utcnow(), caps)
