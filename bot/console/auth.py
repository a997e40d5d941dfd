"""Sign-in for the console: the session cookie, CSRF tokens, and the role each route needs."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import anyio
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.clock import utcnow
from bot.settings import Settings
from bot.storage.database import Database
from desk import accounts

SESSION_COOKIE = "staff_session"
# Before sign-in there is no session to hold a CSRF token: the sign-in and setup forms use a
# token in a cookie and the same token in the form (double submit), so another site can't sign
# a browser in to an account of its choosing.
FORM_COOKIE = "staff_form"
COOKIE_PATH = "/staff"
T = TypeVar("T")

Handler = Callable[[Request, accounts.Staff], Awaitable[Response]]


class Console:
    """What every console route needs: the database, the settings and the page renderer."""

    def __init__(self, db: Database, settings: Settings, render: Callable[..., Response]) -> None:
        self.db, self.settings, self.render = db, settings, render

    async def run(self, work: Callable[[], T]) -> T:
        return await anyio.to_thread.run_sync(work)

    def set_cookie(self, response: Response, name: str, value: str, max_age: int | None = None) -> None:
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path=COOKIE_PATH,
            httponly=True,
            secure=self.settings.staff_cookie_secure,
            samesite="strict",
        )

    async def staff_of(self, request: Request) -> accounts.Staff | None:
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None

        def find() -> accounts.Staff | None:
            with self.db.transaction() as session:
                return accounts.signed_in(session, token, utcnow())

        return await self.run(find)

    def guard(self, needed: accounts.Role) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
        """Wrap a route: signed in, allowed by role, and (for a POST) carrying the session's CSRF token."""

        def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
            async def route(request: Request) -> Response:
                staff = await self.staff_of(request)
                if staff is None:
                    if request.method == "GET":
                        return RedirectResponse("/staff/signin", status_code=303)
                    return self.refuse(request, None, 401, "サインインしてください。")
                if request.method == "POST":
                    form = await form_of(request)
                    if not same_token(form.get("csrf"), staff.csrf_token):
                        return self.refuse(
                            request, staff, 403, "フォームの有効期限が切れました。もう一度お試しください。"
                        )
                if not staff.role.allows(needed):
                    return self.refuse(request, staff, 403, "この操作の権限がありません。")
                return await handler(request, staff)

            return route

        return wrap

    def refuse(self, request: Request, staff: accounts.Staff | None, status: int, message: str) -> Response:
        return self.render(request, "message.html", {"message": message}, staff=staff, status_code=status)


async def form_of(request: Request) -> FormData:
    """The form, parsed once per request (the capped body is already in memory)."""
    cached: Any = request.scope.get("console.form")
    if cached is None:
        cached = await request.form(max_files=0, max_fields=50)
        request.scope["console.form"] = cached
    return FormData(cached)


def same_token(given: object, expected: str) -> bool:
    return isinstance(given, str) and bool(given) and secrets.compare_digest(given, expected)


def new_form_token() -> str:
    return secrets.token_urlsafe(32)
