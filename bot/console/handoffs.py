"""Console pages for handoffs: the open ones, one with what the person said, and answering it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.clock import utcnow
from bot.console.auth import Console, form_of
from desk import accounts, audit
from desk import handoffs as desk_handoffs

Send = Callable[[desk_handoffs.Recipient, str], Awaitable[bool]]


def routes(console: Console, send: Send) -> list[Route]:
    db = console.db

    @console.guard(accounts.Role.VIEWER)
    async def handoff_list(request: Request, staff: accounts.Staff) -> Response:
        def read() -> list[desk_handoffs.OpenHandoff]:
            with db.transaction() as session:
                return desk_handoffs.open_handoffs(session, utcnow())

        rows = await console.run(read)
        return console.render(request, "handoffs.html", {"rows": rows}, staff=staff)

    @console.guard(accounts.Role.VIEWER)
    async def handoff_page(request: Request, staff: accounts.Staff) -> Response:
        handoff_id = _id(request)

        def read() -> desk_handoffs.HandoffPage | None:
            with db.transaction() as session:
                page = desk_handoffs.page(session, handoff_id, utcnow()) if handoff_id else None
                if page is not None:
                    audit.record(session, staff.name, "view_handoff", f"handoff:{handoff_id}", utcnow())
                return page

        page = await console.run(read)
        if page is None:
            return console.refuse(request, staff, 404, "この相談は見つかりません。")
        context = {"page": page, "flash": request.query_params.get("done")}
        return console.render(request, "handoff.html", context, staff=staff)

    @console.guard(accounts.Role.EDITOR)
    async def answer(request: Request, staff: accounts.Staff) -> Response:
        handoff_id = _id(request)
        form = await form_of(request)
        text = desk_handoffs.answer_text(str(form.get("text") or ""))
        if handoff_id is None or text is None:
            return console.refuse(request, staff, 400, "返信を入力してください。")

        def reach() -> desk_handoffs.HandoffTurn:
            with db.transaction() as session:
                turn = desk_handoffs.answer_from_console(
                    session, handoff_id, staff.name, str(form.get("text")), utcnow()
                )
                if turn.person is not None:
                    audit.record(session, staff.name, "answer_handoff", f"handoff:{handoff_id}", utcnow())
                return turn

        turn = await console.run(reach)
        if turn.person is None:
            return console.refuse(request, staff, 409, "この相談は終了しています。返信は届きません。")
        await send(turn.person, text)
        return RedirectResponse(f"/staff/handoffs/{handoff_id}?done=answer", status_code=303)

    return [
        Route("/handoffs", handoff_list),
        Route("/handoffs/{handoff_id}", handoff_page),
        Route("/handoffs/{handoff_id}/answer", answer, methods=["POST"]),
    ]


def _id(request: Request) -> int | None:
    raw = str(request.path_params.get("handoff_id", ""))
    return int(raw) if raw.isdigit() and len(raw) < 10 else None
