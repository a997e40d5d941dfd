"""An event's own data put into words: its card lines, details, and the messages about a change.

The fixed parts are in ``bot/wording.py``; event texts are Japanese (the event pages are).
"""

from __future__ import annotations

from datetime import datetime

from bot import wording
from bot.storage.events import japan, when_text, where_text
from bot.storage.models import CityEvent
from bot.wording import JAPANESE


def event_lines(event: CityEvent) -> tuple[str, ...]:
    """The date and the place, as each card shows them."""
    return (
        wording.EVENT_WHEN.in_(JAPANESE).format(when=when_text(event)),
        wording.EVENT_WHERE.in_(JAPANESE).format(where=where_text(event)),
    )


def details(event: CityEvent) -> str:
    kinds, audiences = wording.EVENT_KIND_LABELS, wording.EVENT_AUDIENCE_LABELS
    parts = [
        wording.EVENT_TITLE_KIND.in_(JAPANESE).format(
            title=event.title, kind=kinds.get(event.kind, event.kind)
        ),
        *event_lines(event),
        wording.EVENT_AUDIENCE.in_(JAPANESE).format(audience=audiences.get(event.audience, event.audience)),
    ]
    if event.capacity is not None:
        parts.append(wording.EVENT_CAPACITY.in_(JAPANESE).format(capacity=event.capacity))
    if event.apply_by is not None:
        parts.append(wording.EVENT_APPLY_BY.in_(JAPANESE).format(apply_by=when_day(event.apply_by)))
    if event.description:
        parts.append(event.description)
    return "\n".join(parts)


def when_day(moment: datetime) -> str:
    local = japan(moment)
    return wording.EVENT_DAY.in_(JAPANESE).format(month=local.month, day=local.day, time=f"{local:%H:%M}")


def reminder(event: CityEvent) -> str:
    place = wording.EVENT_PLACE.in_(JAPANESE).format(place=event.place) if event.place else ""
    url = wording.EVENT_ONLINE_URL.in_(JAPANESE).format(url=event.online_url) if event.online_url else ""
    lines = [
        wording.EVENT_TOMORROW.in_(JAPANESE).format(title=event.title),
        wording.EVENT_WHEN.in_(JAPANESE).format(when=when_text(event)),
        place,
        url,
    ]
    lines.append(wording.EVENT_IF_UNABLE.in_(JAPANESE))
    return "\n".join(line for line in lines if line)


def changed(event: CityEvent) -> str:
    return "\n".join(
        [
            wording.EVENT_CHANGED.in_(JAPANESE).format(title=event.title),
            *event_lines(event),
            wording.EVENT_IF_UNABLE.in_(JAPANESE),
        ]
    )


def cancelled(event: CityEvent) -> str:
    return wording.EVENT_CANCELLED.in_(JAPANESE).format(title=event.title, when=when_text(event))


def moved_up(event: CityEvent) -> str:
    return wording.EVENT_MOVED_UP.in_(JAPANESE).format(title=event.title, when=when_text(event))
