"""GET /events/ID.ics: an event as an iCalendar file (RFC 5545), for a phone's calendar app.

Only open events ahead are served; a cancelled one is served as CANCELLED so a calendar that
imported it can show that. Nothing about the person is in it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import anyio
from icalendar import Alarm, Calendar
from icalendar import Event as CalendarEvent
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.clock import Clock
from bot.storage.database import Database
from bot.storage.models import CityEvent

PRODID = "-//Kitami City//U-turn Concierge//JA"


def ics(event: CityEvent, domain: str, stamp_at: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    item = CalendarEvent()
    item.add("uid", f"event-{event.id}@{domain}")
    item.add("dtstamp", stamp_at)
    item.add("sequence", event.version)
    item.add("summary", event.title)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    if event.place:
        item.add("location", event.place)
    if event.online_url:
        item.add("url", event.online_url)
    description = "\n".join(part for part in (event.description, event.online_url or "") if part)
    if description:
        item.add("description", description)
    item.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", event.title)
    alarm.add("trigger", timedelta(hours=-2))
    item.add_component(alarm)
    calendar.add_component(item)
    return calendar.to_ical()


def routes(db: Database, clock: Clock) -> list[Route]:
    async def calendar_file(request: Request) -> Response:
        raw = request.path_params["event_id"]
        if not raw.isdigit() or len(raw) > 12:
            return JSONResponse({"error": "no such event"}, status_code=404)

        def load() -> bytes | None:
            with db.transaction() as session:
                event = session.get(CityEvent, int(raw))
                if event is None or event.ends_at < clock():
                    return None
                return ics(event, request.url.hostname or "localhost", clock())

        body = await anyio.to_thread.run_sync(load)
        if body is None:
            return JSONResponse({"error": "no such event"}, status_code=404)
        return Response(
            body,
            media_type="text/calendar; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="event-{raw}.ics"'},
        )

    return [Route("/events/{event_id}.ics", calendar_file, methods=["GET"])]
