"""Console pages for leads: the filtered list, one lead, its status and notes, the CSV export."""

from __future__ import annotations

import io
from datetime import date, datetime, time
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.clock import utcnow
from bot.console.auth import Console, form_of
from bot.lead_fields import LEAD_FIELDS, LeadStatus, field
from bot.storage import leads as lead_store
from desk import accounts, audit, export, identity, lead_list, numbers
from desk import leads as desk_leads

FILTERS = ("status", "source", "referral", "area", "timing", "interest", "since")


def filter_of(request: Request) -> lead_list.LeadFilter:
    """The list's filters from the query string; anything unknown is ignored, never an error."""
    query = {name: request.query_params.get(name, "").strip()[:100] for name in FILTERS}
    status = query["status"]
    since: datetime | None = None
    try:
        since = (
            datetime.combine(date.fromisoformat(query["since"]), time.min, numbers.JAPAN)
            if query["since"]
            else None
        )
    except ValueError:
        since = None
    return lead_list.LeadFilter(
        status=LeadStatus(status) if status in LeadStatus.__members__.values() else None,
        open_only=status == "open",
        source=query["source"] or None,
        referral=query["referral"] or None,
        area=query["area"] or None,
        timing=query["timing"] or None,
        interest=query["interest"] or None,
        updated_since=since,
    )


def routes(console: Console) -> list[Route]:
    db = console.db

    @console.guard(accounts.Role.VIEWER)
    async def leads_list(request: Request, staff: accounts.Staff) -> Response:
        wanted = filter_of(request)

        def read() -> tuple[list[dict[str, Any]], list[lead_store.SourceCount]]:
            with db.transaction() as session:
                rows = lead_list.find(session, wanted)
                audit.record(session, staff.name, "list_leads", f"leads ({len(rows)})", utcnow())
                listed = [
                    {
                        "id": r.id,
                        "name": r.name,
                        "status": LeadStatus(r.status)
                        if r.status in LeadStatus.__members__.values()
                        else r.status,
                        "area": r.area,
                        "timing": r.timing,
                        "interests": field("interests").display(r.interests),
                        "source": r.source,
                        "referral": r.referral_code,
                        "updated_at": r.updated_at,
                    }
                    for r in rows
                ]
                return listed, lead_store.source_counts(session)

        rows, sources = await console.run(read)
        context = {
            "rows": rows,
            "sources": sources,
            "query": {name: request.query_params.get(name, "") for name in FILTERS},
            "areas": field("area").choices,
            "timings": field("timing").choices,
            "interests": field("interests").choices,
            "statuses": list(LeadStatus),
        }
        return console.render(request, "leads.html", context, staff=staff)

    @console.guard(accounts.Role.VIEWER)
    async def leads_csv(request: Request, staff: accounts.Staff) -> Response:
        wanted = filter_of(request)

        def write() -> str:
            out = io.StringIO()
            with db.transaction() as session:
                count = export.write_csv(lead_list.find(session, wanted, limit=100_000), out)
                audit.record(session, staff.name, "export_csv", f"leads.csv ({count})", utcnow())
            return out.getvalue()

        body = await console.run(write)
        headers = {
            "content-disposition": 'attachment; filename="leads.csv"',
            "cache-control": "no-store",
        }
        return Response(body.encode("utf-8"), media_type="text/csv; charset=utf-8", headers=headers)

    @console.guard(accounts.Role.VIEWER)
    async def lead_page(request: Request, staff: accounts.Staff) -> Response:
        lead_id = _lead_id(request)

        def read() -> desk_leads.LeadPage | None:
            with db.transaction() as session:
                page = desk_leads.page(session, lead_id) if lead_id else None
                if page is not None:
                    audit.record(session, staff.name, "view_lead", f"lead:{lead_id}", utcnow())
                return page

        page = await console.run(read)
        if page is None:
            return console.refuse(
                request, staff, 404, "この登録は見つかりません(削除された可能性があります)。"
            )
        details = [(f.label, f.display(page.state.details.get(f.name))) for f in LEAD_FIELDS]
        context = {
            "page": page,
            "details": details,
            "holder": _holder(page.state.holder),
            "actions": [
                (action.value, desk_leads.RESULTING_STATUS[action].label) for action in desk_leads.Action
            ],
            "who": _holder,
            "flash": request.query_params.get("done"),
        }
        return console.render(request, "lead.html", context, staff=staff)

    @console.guard(accounts.Role.EDITOR)
    async def change_status(request: Request, staff: accounts.Staff) -> Response:
        lead_id = _lead_id(request)
        form = await form_of(request)
        action = str(form.get("action") or "")
        if lead_id is None or action not in desk_leads.Action.__members__.values():
            return console.refuse(request, staff, 400, "操作を選んでください。")

        def act() -> desk_leads.StatusChange:
            with db.transaction() as session:
                change = desk_leads.act(
                    session,
                    lead_id,
                    desk_leads.Action(action),
                    identity.web_id(staff.name),
                    utcnow(),
                    update_alert=True,
                )
                if change.outcome is desk_leads.Outcome.CHANGED:
                    audit.record(session, staff.name, "change_status", f"lead:{lead_id}", utcnow())
                return change

        change = await console.run(act)
        if change.outcome is desk_leads.Outcome.NOT_FOUND:
            return console.refuse(
                request, staff, 404, "この登録は見つかりません(削除された可能性があります)。"
            )
        if change.outcome is desk_leads.Outcome.HELD_BY_OTHER:
            message = f"No.{lead_id} はほかの職員({_holder(change.holder)})が担当しています。"
            return console.refuse(request, staff, 409, message)
        return RedirectResponse(f"/staff/leads/{lead_id}?done=status", status_code=303)

    @console.guard(accounts.Role.EDITOR)
    async def add_note(request: Request, staff: accounts.Staff) -> Response:
        lead_id = _lead_id(request)
        form = await form_of(request)
        text = str(form.get("text") or "")
        if lead_id is None or not text.strip():
            return console.refuse(request, staff, 400, "メモを入力してください。")

        def add() -> desk_leads.Note | None:
            with db.transaction() as session:
                return desk_leads.add_note(session, lead_id, identity.web_id(staff.name), text, utcnow())

        if await console.run(add) is None:
            return console.refuse(
                request, staff, 404, "この登録は見つかりません(削除された可能性があります)。"
            )
        return RedirectResponse(f"/staff/leads/{lead_id}?done=note", status_code=303)

    return [
        Route("/leads", leads_list),
        Route("/leads.csv", leads_csv),
        Route("/leads/{lead_id}", lead_page),
        Route("/leads/{lead_id}/status", change_status, methods=["POST"]),
        Route("/leads/{lead_id}/notes", add_note, methods=["POST"]),
    ]


def _lead_id(request: Request) -> int | None:
    raw = str(request.path_params.get("lead_id", ""))
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _holder(stored: str | None) -> str:
    if not stored:
        return "-"
    name = identity.web_name(stored)
    return f"{name}(管理画面)" if name is not None else f"Slack {stored}"
