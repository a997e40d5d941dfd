"""``POST /line/webhook``: verify the signature, record each event once, acknowledge.

Events are written to ``inbound_events`` (unique by ``webhookEventId``) inside the request, so a
redelivery or the same event reaching a second worker is acknowledged and skipped, and an event
acknowledged just before a crash is answered after the restart. Answering
(``bot.channels.line.answering``) happens after the 200 is sent: LINE's webhook never waits on
our outbound calls.
"""

from __future__ import annotations

from typing import Any, TypeGuard

from linebot.v3.webhook import SignatureValidator
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.channels.line.answering import LineAnswering
from bot.http_guard import UnreadableBody, read_json, read_text
from bot.storage.group_commit import GroupCommit

MAX_EVENT_ID = 128  # the column's width


class LineWebhook:
    def __init__(self, channel_secret: str, answering: LineAnswering) -> None:
        self.validator = SignatureValidator(channel_secret)
        self.answering = answering
        # Requests arriving together share one commit (group commit): alone, it is written at once.
        self._accepts = GroupCommit(answering.accept_many)

    async def handle(self, request: Request) -> Response:
        with self.answering.acknowledging.one():
            return await self._acknowledge(request)

    async def _acknowledge(self, request: Request) -> Response:
        signature = request.headers.get("x-line-signature")
        if not signature:
            return JSONResponse({"error": "missing X-Line-Signature"}, status_code=400)
        try:
            if not self.validator.validate(await read_text(request), signature):  # before parsing it
                return JSONResponse({"error": "invalid signature"}, status_code=400)
            events = (await read_json(request))["events"]
        except (UnreadableBody, KeyError, TypeError):
            return JSONResponse({"error": "malformed webhook body"}, status_code=400)
        accepted = await self._accepts.submit(_events(events))
        if self.answering.answers_here:
            for row_id in accepted:
                self.answering.spawn(row_id)
        return JSONResponse({"accepted": len(accepted)})


def _events(events: object) -> list[dict[str, Any]]:
    """The entries that are LINE events: objects carrying a webhook event id."""
    if not isinstance(events, list):
        return []
    return [raw for raw in events if isinstance(raw, dict) and _is_event_id(raw.get("webhookEventId"))]


def _is_event_id(value: object) -> TypeGuard[str]:
    """LINE's ids are 26-character ULIDs; anything that isn't a short string is not one of its events."""
    return isinstance(value, str) and 0 < len(value) <= MAX_EVENT_ID


def routes(webhook: LineWebhook | None) -> list[Route]:
    async def disabled(_request: Request) -> Response:
        return JSONResponse(
            {"error": "LINE is not configured: set LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN"},
            status_code=503,
        )

    return [Route("/line/webhook", webhook.handle if webhook else disabled, methods=["POST"])]
