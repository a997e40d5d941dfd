"""Console page for notices: each one's segment and what became of its copies (counts only)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console.auth import Console
from desk import accounts
from desk import notices as desk_notices


def routes(console: Console) -> list[Route]:
    db = console.db

    @console.guard(accounts.Role.VIEWER)
    async def notice_list(request: Request, staff: accounts.Staff) -> Response:
        def read() -> list[desk_notices.NoticeLine]:
            with db.transaction() as session:
                return desk_notices.history(session)

        context = {"rows": await console.run(read), "labels": desk_notices.DELIVERY_LABELS}
        return console.render(request, "notices.html", context, staff=staff)

    return [Route("/notices", notice_list)]
