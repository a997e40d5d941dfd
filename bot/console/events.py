"""Console pages for events: the list with seat counts, one event with its applicants, and the
applicants as CSV. Viewing only: events are made and changed in Slack and on the command line."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.clock import utcnow
from bot.console.auth import Console
from bot.storage import events as event_store
from bot.storage.models import CityEvent, EventApplication
from desk import accounts, audit
from desk import events as desk_events

GONE = "このイベントは見つかりません。"


@dataclass(frozen=True)
class EventPage:
    event: CityEvent
    confirmed: int
    waiting: int
    applicants: list[EventApplication]


def kind_label(kind: str) -> str:
    return desk_events.KINDS.get(kind, (kind, kind))[1]


def audience_label(audience: str) -> str:
    return desk_events.AUDIENCES.get(audience, (audience, audience))[1]


def status_label(event: CityEvent) -> str:
    now = utcnow()
    if event.status == "cancelled":
        return "中止"
    if event.starts_at <= now:
        return "開催済み"
    return "受付中" if event_store.accepting(event, now) else "締切済み"


LABELS = {
    "kind_label": kind_label,
    "audience_label": audience_label,
    "status_label": status_label,
    "when_text": event_store.when_text,
    "where_text": event_store.where_text,
}


def routes(console: Console) -> list[Route]:
    db = console.db

    @console.guard(accounts.Role.VIEWER)
    async def event_list(request: Request, staff: accounts.Staff) -> Response:
        def read() -> tuple[list[desk_events.EventLine], list[desk_events.EventLine]]:
            with db.transaction() as session:
                now = utcnow()
                return desk_events.overview(session, now, past=False), desk_events.overview(
                    session, now, past=True
                )

        upcoming, past = await console.run(read)
        context = {"upcoming": upcoming, "past": past, **LABELS}
        return console.render(request, "events.html", context, staff=staff)

    @console.guard(accounts.Role.VIEWER)
    async def event_page(request: Request, staff: accounts.Staff) -> Response:
        event_id = _event_id(request)

        def read() -> EventPage | None:
            with db.transaction() as session:
                event = session.get(CityEvent, event_id) if event_id else None
                if event is None:
                    return None
                applicants = event_store.applicants(session, event.id)
                audit.record(
                    session, staff.name, "view_applicants", f"event:{event.id} ({len(applicants)})", utcnow()
                )
                active = [a for a in applicants if a.status in event_store.ACTIVE]
                return EventPage(
                    event,
                    sum(a.party_size for a in active if a.status == "confirmed"),
                    sum(a.party_size for a in active if a.status == "waiting"),
                    applicants,
                )

        page = await console.run(read)
        if page is None:
            return console.refuse(request, staff, 404, GONE)
        context = {
            "page": page,
            "when": event_store.when_text(page.event),
            "where": event_store.where_text(page.event),
            "statuses": desk_events.STATUS_LABELS,
            **LABELS,
        }
        return console.render(request, "event.html", context, staff=staff)

    @console.guard(accounts.Role.VIEWER)
    async def applicants_csv(request: Request, staff: accounts.Staff) -> Response:
        event_id = _event_id(request)

        def write() -> str | None:
            with db.transaction() as session:
                text = desk_events.applicants_csv(session, event_id) if event_id else None
                if text is not None:
                    count = len(event_store.applicants(session, event_id or 0))
                    target = f"event:{event_id}.csv ({count})"
                    audit.record(session, staff.name, "export_applicants", target, utcnow())
                return text

        body = await console.run(write)
        if body is None:
            return console.refuse(request, staff, 404, GONE)
        headers = {
            "content-disposition": f'attachment; filename="event-{event_id}-applicants.csv"',
            "cache-control": "no-store",
        }
        return Response(body.encode("utf-8"), media_type="text/csv; charset=utf-8", headers=headers)

    return [
        Route("/events", event_list),
        Route("/events/{event_id}", event_page),
        Route("/events/{event_id}/applicants.csv", applicants_csv),
    ]


def _event_id(request: Request) -> int | None:
    raw = str(request.path_params.get("event_id", ""))
    return int(raw) if raw.isdigit() and len(raw) < 10 else None
