"""The console's routes, assembled; sign-in, the one-time setup link and sign-out live here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from bot.clock import utcnow
from bot.console import charts, content, events, handoffs, leads, notices
from bot.console.auth import FORM_COOKIE, SESSION_COOKIE, Console, form_of, new_form_token, same_token
from bot.lead_fields import LeadStatus
from bot.settings import Settings
from bot.storage.database import Database
from desk import accounts, audit
from desk.handoffs import Recipient
from desk.handoffs import status_label as handoff_status_label
from desk.numbers import JAPAN

HERE = Path(__file__).parent
Send = Callable[[Recipient, str], Awaitable[bool]]


def _japan_time(moment: datetime, pattern: str) -> str:
    """Times are stored in UTC; staff read them in Japan time."""
    return moment.astimezone(JAPAN).strftime(pattern)


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every value a person typed is escaped wherever it is shown
        undefined=jinja2.StrictUndefined,
    )
    env.filters["jst"] = _japan_time
    env.globals["LeadStatus"] = LeadStatus
    env.globals["handoff_status"] = handoff_status_label
    return Jinja2Templates(env=env)


def routes(
    db: Database, settings: Settings, send: Send, answer_source: content.AnswerSource
) -> list[BaseRoute]:
    templates = _templates()

    def render(
        request: Request,
        name: str,
        context: dict[str, Any],
        *,
        staff: accounts.Staff | None,
        status_code: int = 200,
    ) -> Response:
        context = {"staff": staff, "csrf": staff.csrf_token if staff else "", "now": utcnow(), **context}
        response = templates.TemplateResponse(request, name, context, status_code=status_code)
        response.headers["cache-control"] = "no-store"  # pages may hold personal data
        return response

    console = Console(db, settings, render)

    async def home(request: Request) -> Response:
        staff = await console.staff_of(request)
        return RedirectResponse("/staff/leads" if staff else "/staff/signin", status_code=303)

    def with_form_token(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
        token = new_form_token()
        response = render(request, name, {**context, "form_token": token}, staff=None, status_code=status)
        console.set_cookie(response, FORM_COOKIE, token, max_age=3600)
        return response

    async def signin(request: Request) -> Response:
        if request.method == "GET":
            return with_form_token(request, "signin.html", {"error": None})
        form = await form_of(request)
        if not same_token(form.get("csrf"), request.cookies.get(FORM_COOKIE, "")):
            return with_form_token(request, "signin.html", {"error": "もう一度お試しください。"}, 403)
        name, password = str(form.get("name") or "")[:64], str(form.get("password") or "")[:1024]

        def attempt() -> accounts.SignInResult:
            with db.transaction() as session:
                return accounts.sign_in(session, name, password, utcnow())

        result = await console.run(attempt)
        if result.outcome is accounts.SignIn.LOCKED:
            message = "失敗が続いたため、しばらくサインインできません。15分ほどしてからお試しください。"
            return with_form_token(request, "signin.html", {"error": message}, 429)
        if result.outcome is not accounts.SignIn.OK or result.token is None:
            return with_form_token(request, "signin.html", {"error": "名前かパスワードが違います。"}, 401)
        response = RedirectResponse("/staff/leads", status_code=303)
        console.set_cookie(
            response, SESSION_COOKIE, result.token, max_age=int(accounts.SESSION_LIFETIME.total_seconds())
        )
        response.delete_cookie(FORM_COOKIE, path="/staff")
        return response

    async def setup(request: Request) -> Response:
        token = request.path_params["token"]
        if request.method == "GET":
            return with_form_token(request, "setup.html", {"error": None, "token": token})
        form = await form_of(request)
        if not same_token(form.get("csrf"), request.cookies.get(FORM_COOKIE, "")):
            return with_form_token(
                request, "setup.html", {"error": "もう一度お試しください。", "token": token}, 403
            )
        password = str(form.get("password") or "")[:1024]
        if password != str(form.get("password2") or ""):
            return with_form_token(
                request, "setup.html", {"error": "2つのパスワードが違います。", "token": token}, 400
            )

        def use() -> str | None:
            with db.transaction() as session:
                return accounts.set_password(session, token, password, utcnow())

        try:
            name = await console.run(use)
        except accounts.AccountError:
            error = f"パスワードは{accounts.MIN_PASSWORD}文字以上にしてください。"
            return with_form_token(request, "setup.html", {"error": error, "token": token}, 400)
        if name is None:
            message = (
                "このリンクは使えません(使用済みか期限切れです)。管理者に新しいリンクを依頼してください。"
            )
            return render(request, "message.html", {"message": message}, staff=None, status_code=404)
        return RedirectResponse("/staff/signin", status_code=303)

    @console.guard(accounts.Role.VIEWER)
    async def signout(request: Request, _staff: accounts.Staff) -> Response:
        token = request.cookies.get(SESSION_COOKIE)

        def end() -> None:
            with db.transaction() as session:
                accounts.sign_out(session, token)

        await console.run(end)
        response = RedirectResponse("/staff/signin", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/staff")
        return response

    @console.guard(accounts.Role.ADMIN)
    async def audit_log(request: Request, staff: accounts.Staff) -> Response:
        def read() -> list[audit.Seen]:
            with db.transaction() as session:
                return audit.recent(session)

        return render(request, "audit.html", {"rows": await console.run(read)}, staff=staff)

    return [
        Mount(
            "/staff",
            routes=[
                Route("/", home),
                Route("/signin", signin, methods=["GET", "POST"]),
                Route("/setup/{token}", setup, methods=["GET", "POST"]),
                Route("/signout", signout, methods=["POST"]),
                Route("/audit", audit_log),
                *leads.routes(console),
                *handoffs.routes(console, send),
                *events.routes(console),
                *notices.routes(console),
                *content.routes(console, answer_source),
                *charts.routes(console),
                Mount("/static", StaticFiles(directory=HERE / "static"), name="console-static"),
            ],
        )
    ]
