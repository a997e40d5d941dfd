"""What every HTTP request and response passes through, before any route sees it.

``CappedBody`` reads a request's body up to the cap of its path and hands it to the app only once
it is whole and small enough: no route, SDK, signature check or JSON parser ever holds more than the
cap in memory, whatever Content-Length says and with chunked bodies alike. A declared length over
the cap is refused without reading a byte; a body that passes the cap while it streams is refused
there, and the rest is never read (the connection is closed). Routes read it through
:func:`read_text` and :func:`read_json`. ``SecurityHeaders`` adds the headers every response carries.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Bytes a request body may have, by path; the longest matching prefix wins.
DEFAULT_CAP = 16 * 1024  # the web chat: a question is at most a few KB even in UTF-8
WEBHOOK_CAP = 1024 * 1024  # LINE and Slack send far less; a megabyte leaves room for batches
CONTENT_EDIT_CAP = 256 * 1024  # an answer with its sources' quotes, edited in the staff console
CAPS: Mapping[str, int] = {
    "/line/webhook": WEBHOOK_CAP,
    "/slack/events": WEBHOOK_CAP,
    "/staff/content": CONTENT_EDIT_CAP,
}

# The page loads only its own script and stylesheet: no inline code an injected string could run.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),  # a page URL may carry ?ref= codes: never pass it on
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
)


class UnreadableBody(ValueError):
    """The body is not UTF-8 text (or, read as JSON, not JSON): the client's mistake, a 400."""


async def read_text(request: Request) -> str:
    """The request's body as text; every route reads it here (it is already whole and capped)."""
    try:
        return (await request.body()).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableBody("the body is not UTF-8") from exc


async def read_json(request: Request) -> Any:
    """The request's body as JSON (any value: the route checks its shape)."""
    try:
        return json.loads(await read_text(request))
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError; so is UnreadableBody
        raise UnreadableBody("the body is not JSON") from exc


def cap_for(path: str, caps: Mapping[str, int] = CAPS, default: int = DEFAULT_CAP) -> int:
    matches = [prefix for prefix in caps if path == prefix or path.startswith(prefix.rstrip("/") + "/")]
    return caps[max(matches, key=len)] if matches else default


async def _too_large(send: Send, cap: int) -> None:
    body = json.dumps({"error": f"request body larger than {cap} bytes"}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),  # the unread rest of the body is never read
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class CappedBody:
    """ASGI middleware: the body is read, capped, before the app runs, then replayed to it."""

    def __init__(self, app: ASGIApp, caps: Mapping[str, int] = CAPS, default: int = DEFAULT_CAP) -> None:
        self.app, self.caps, self.default = app, caps, default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = cap_for(scope["path"], self.caps, self.default)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > cap):
            await _too_large(send, cap)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client left: there is no one to answer
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > cap:
                await _too_large(send, cap)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        whole: Message | None = {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        async def replay() -> Message:
            nonlocal whole
            if whole is not None:
                message, whole = whole, None
                return message
            return await receive()  # after the body: only the client's disconnect

        await self.app(scope, replay, send)


class SecurityHeaders:
    """ASGI middleware: nosniff, no referrer and the content security policy on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in SECURITY_HEADERS if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)
