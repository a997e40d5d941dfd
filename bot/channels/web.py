"""The web chat: the page at ``/`` and its JSON API at ``POST /api/chat`` (sessions: ``web_session``)."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import Any

import anyio
from sqlalchemy.exc import OperationalError
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot import wording
from bot.channels import web_session as sessions
from bot.clock import utcnow
from bot.dispatcher import Dispatcher
from bot.http_guard import UnreadableBody, read_json
from bot.links import web_chat_link
from bot.messages import Channel, Incoming, card_data
from bot.messages import Response as ChatResponse
from bot.qr import qr_png
from bot.settings import Settings
from bot.storage import handoffs, records

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent.parent / "web" / "static"
MAX_PAYLOAD = 200


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _refused(request: Request) -> JSONResponse | None:
    """A POST that is not same-site JSON is refused: a form or an image elsewhere can't send one."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return error(415, "Content-Type must be application/json")
    if not sessions.same_origin(request):
        return error(403, "cross-site requests are not accepted")
    return None


def render(chat: ChatResponse) -> dict[str, Any]:
    return {
        "messages": [
            {
                "text": reply.text,
                "links": [{"label": link.label, "url": link.url} for link in reply.links],
                **({"image": {"url": reply.image.url, "alt": reply.image.alt}} if reply.image else {}),
                # Cards (events) only where there are some: clients that predate them see the text.
                **({"cards": [card_data(card) for card in reply.cards]} if reply.cards else {}),
            }
            for reply in chat.replies
        ],
        "choices": [{"label": c.label, "payload": c.payload} for c in chat.choices],
    }


def routes(dispatcher: Dispatcher, settings: Settings) -> list[Route | Mount]:
    async def page(request: Request) -> Response:
        response = FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")
        token = sessions.token_from(request)
        ref, src = (
            sessions.code(request.query_params.get("ref")),
            sessions.code(request.query_params.get("src")),
        )
        # Over the cap for new sessions the page still loads, without one; the chat asks again.
        if (
            (ref or src)
            and not token
            and await anyio.to_thread.run_sync(
                sessions.may_open_session, dispatcher.db, settings, sessions.address(request)
            )
        ):
            token = secrets.token_urlsafe(24)
        if (ref or src) and token:
            user_id = sessions.session_user(token)
            await anyio.to_thread.run_sync(
                lambda: dispatcher.note_arrival(Channel.WEB, user_id, ref=ref, src=src)
            )
            sessions.set_cookie(response, token, settings)
        # It may set the session cookie: no shared cache may keep it (headers: bot.http_guard).
        response.headers["Cache-Control"] = "no-store"
        return response

    async def chat(request: Request) -> Response:
        if (refused := _refused(request)) is not None:
            return refused
        try:
            data = await read_json(request)
        except UnreadableBody:
            return error(400, "body is not valid UTF-8 JSON")
        if not isinstance(data, dict):
            return error(400, 'expected a JSON object like {"text": "…"}')
        text, payload = data.get("text"), data.get("payload")
        if text is not None and not isinstance(text, str):
            return error(400, '"text" must be a string')
        if payload is not None and (not isinstance(payload, str) or len(payload) > MAX_PAYLOAD):
            return error(400, f'"payload" must be a string of at most {MAX_PAYLOAD} characters')
        if text is None and payload is None:
            return error(400, 'send "text" or "payload"')

        token = sessions.token_from(request)
        new_session = token is None
        address = sessions.address(request)
        if new_session and not await anyio.to_thread.run_sync(
            sessions.may_open_session, dispatcher.db, settings, address
        ):
            return JSONResponse(
                {"error": wording.TOO_MANY_SESSIONS.ja}, status_code=429, headers={"Retry-After": "3600"}
            )
        token = token or secrets.token_urlsafe(24)
        message = Incoming(
            channel=Channel.WEB,
            user_id=sessions.session_user(token),
            text=text or "",
            payload=payload,
            ref=sessions.code(request.query_params.get("ref") or data.get("ref")),
            src=sessions.code(request.query_params.get("src") or data.get("src")),
            address=address,
        )
        try:
            turn = await anyio.to_thread.run_sync(dispatcher.handle, message)
        except OperationalError:
            log.exception("database unavailable")
            return error(503, wording.UNAVAILABLE.ja)
        response = JSONResponse(render(turn.response), headers={"Cache-Control": "no-store"})
        if new_session:
            sessions.set_cookie(response, token, settings)
        return response

    def staff_replies(user_id: str) -> list[str]:
        with dispatcher.db.transaction() as session:
            user = records.find_user(session, Channel.WEB, user_id)
            return handoffs.collect_for_web(session, user, utcnow()) if user else []

    async def updates(request: Request) -> Response:
        """Staff replies for this session (the page polls: the web can't be pushed to).

        Fetching marks them delivered, so it is a POST with the checks of /api/chat: a link or
        an image on another site (a GET, or a form without JSON) must not take them away unseen.
        """
        if (refused := _refused(request)) is not None:
            return refused
        token = sessions.token_from(request)
        texts = await anyio.to_thread.run_sync(staff_replies, sessions.session_user(token)) if token else []
        return JSONResponse(
            {"messages": [{"text": t, "links": []} for t in texts], "choices": []},
            headers={"Cache-Control": "no-store"},
        )

    async def referral_qr(request: Request) -> Response:
        """The QR code a parent shows or prints: it opens the web chat with their referral code."""
        code = sessions.code(request.path_params["code"])
        if code is None:
            return error(404, "no such code")
        link = web_chat_link(settings.public_base_url, ref=code)
        png = await anyio.to_thread.run_sync(qr_png, link)
        return Response(png, media_type="image/png", headers={"Cache-Control": "public, max-age=86400"})

    return [
        Route("/", page, methods=["GET"]),
        Route("/api/chat", chat, methods=["POST"]),
        Route("/api/chat/updates", updates, methods=["POST"]),
        Route("/qr/{code}.png", referral_qr, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
