"""Events and applications to them: seats, the wait list, and the notices applicants are sent.

Seats are counted in people (an application for three takes three). An application that does
not fit joins the wait list; when someone withdraws, waiting applications move up in the order
they came, each told once (an :class:`EventNotice` row with a unique key).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.storage.models import CityEvent, EventApplication, EventNotice, User

JAPAN = ZoneInfo("Asia/Tokyo")
# Pushes wait for daytime in Japan: nothing arrives between QUIET_FROM and QUIET_UNTIL.
QUIET_FROM, QUIET_UNTIL = time(21, 0), time(8, 0)
REMINDER_AT = time(10, 0)  # the day before the event, Japan time
LEASE = timedelta(minutes=2)
ACTIVE = ("confirmed", "waiting")
WEEKDAYS = "月火水木金土日"


def japan(moment: datetime) -> datetime:
    return moment.astimezone(JAPAN)


def when_text(event: CityEvent) -> str:
    """「12月27日(土) 14:00〜16:00」, in Japan time; the end's date too when it is another day."""
    start, end = japan(event.starts_at), japan(event.ends_at)
    day = f"{start.month}月{start.day}日({WEEKDAYS[start.weekday()]})"
    if end.date() == start.date():
        return f"{day} {start:%H:%M}〜{end:%H:%M}"
    return f"{day} {start:%H:%M}〜{end.month}月{end.day}日 {end:%H:%M}"


def where_text(event: CityEvent) -> str:
    if event.place and event.online_url:
        return f"{event.place}・オンライン"
    return event.place or "オンライン"


def daytime(moment: datetime) -> datetime:
    """``moment``, or the end of the quiet hours it falls in (Japan time)."""
    local = japan(moment)
    if local.time() >= QUIET_FROM:
        local = datetime.combine(local.date() + timedelta(days=1), QUIET_UNTIL, JAPAN)
    elif local.time() < QUIET_UNTIL:
        local = datetime.combine(local.date(), QUIET_UNTIL, JAPAN)
    return local.astimezone(moment.tzinfo)


# -- finding ------------------------------------------------------------------------------


def upcoming(session: Session, now: datetime, limit: int = 50) -> list[CityEvent]:
    """Open events that have not started, soonest first. Past events are never offered."""
    return list(
        session.scalars(
            select(CityEvent)
            .where(CityEvent.status == "open", CityEvent.starts_at > now)
            .order_by(CityEvent.starts_at, CityEvent.id)
            .limit(limit)
        )
    )


def offered(session: Session, event_id: int, now: datetime) -> CityEvent | None:
    """The event if it is open and still ahead."""
    event = session.get(CityEvent, event_id)
    if event is None or event.status != "open" or event.starts_at <= now:
        return None
    return event


def accepting(event: CityEvent, now: datetime) -> bool:
    return (
        event.status == "open" and event.starts_at > now and (event.apply_by is None or now <= event.apply_by)
    )


# -- applying -----------------------------------------------------------------------------


def seats_taken(session: Session, event_id: int) -> int:
    taken = session.scalar(
        select(func.coalesce(func.sum(EventApplication.party_size), 0)).where(
            EventApplication.event_id == event_id, EventApplication.status == "confirmed"
        )
    )
    return int(taken or 0)


def application_of(session: Session, event_id: int, user_id: int) -> EventApplication | None:
    return session.scalars(
        select(EventApplication).where(
            EventApplication.event_id == event_id, EventApplication.user_id == user_id
        )
    ).first()


def active_applications(session: Session, user_id: int, now: datetime) -> list[EventApplication]:
    """The person's applications to events still ahead (confirmed or waiting)."""
    return list(
        session.scalars(
            select(EventApplication)
            .join(CityEvent, CityEvent.id == EventApplication.event_id)
            .where(
                EventApplication.user_id == user_id,
                EventApplication.status.in_(ACTIVE),
                CityEvent.status == "open",
                CityEvent.starts_at > now,
            )
            .order_by(CityEvent.starts_at)
        )
    )


def consented_before(session: Session, user_id: int) -> tuple[str, datetime] | None:
    """The consent (version, when) the person gave with an earlier application, if any."""
    row = session.execute(
        select(EventApplication.consent_version, EventApplication.consent_at)
        .where(EventApplication.user_id == user_id)
        .order_by(EventApplication.consent_at.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


@dataclass(frozen=True)
class Applied:
    application: EventApplication
    status: str  # confirmed / waiting


def apply(
    session: Session,
    event: CityEvent,
    user: User,
    *,
    name: str,
    contact: str,
    party_size: int,
    consent: tuple[str, datetime],
    now: datetime,
) -> Applied:
    """Apply (or apply again, after withdrawing or to change the party): a seat if there is room,
    else the wait list. The event row is locked so two applicants can't both take the last seat."""
    session.execute(select(CityEvent.id).where(CityEvent.id == event.id).with_for_update())
    application = application_of(session, event.id, user.id)
    if application is not None and application.status in ACTIVE:
        application.status = "withdrawn"  # counted afresh with the new party size
        session.flush()
    room = event.capacity is None or seats_taken(session, event.id) + party_size <= event.capacity
    status = "confirmed" if room else "waiting"
    if application is None:
        application = EventApplication(event_id=event.id, user_id=user.id, created_at=now)
        session.add(application)
    application.name, application.contact, application.party_size = name, contact, party_size
    application.status, application.updated_at = status, now
    application.consent_version, application.consent_at = consent
    session.flush()
    return Applied(application, status)


def withdraw(session: Session, application: EventApplication, now: datetime) -> list[EventApplication]:
    """Withdraw an application; returns the waiting applications that moved up into the freed seats."""
    event = session.get(CityEvent, application.event_id, with_for_update=True)
    was_confirmed = application.status == "confirmed"
    application.status, application.updated_at = "withdrawn", now
    session.flush()
    if event is None or not was_confirmed:
        return []
    return move_up(session, event, now)


def move_up(session: Session, event: CityEvent, now: datetime) -> list[EventApplication]:
    """Give freed seats to waiting applications, first come first served, while they fit."""
    moved: list[EventApplication] = []
    waiting = session.scalars(
        select(EventApplication)
        .where(EventApplication.event_id == event.id, EventApplication.status == "waiting")
        .order_by(EventApplication.created_at, EventApplication.id)
    ).all()
    taken = seats_taken(session, event.id)
    for application in waiting:
        if event.capacity is not None and taken + application.party_size > event.capacity:
            break  # first come first served: a later, smaller party does not jump the queue
        application.status, application.updated_at = "confirmed", now
        taken += application.party_size
        moved.append(application)
    session.flush()
    return moved


def applicants(session: Session, event_id: int) -> list[EventApplication]:
    return list(
        session.scalars(
            select(EventApplication)
            .where(EventApplication.event_id == event_id)
            .order_by(EventApplication.created_at, EventApplication.id)
        )
    )


# -- notices ------------------------------------------------------------------------------


def notify(
    session: Session, application: EventApplication, kind: str, key: str, text: str, now: datetime
) -> bool:
    """Queue a notice for one applicant, once per ``key``; it waits for daytime in Japan.

    False when a notice with that key already exists (planned twice, or by two workers)."""
    notice = EventNotice(
        key=key[:64],
        user_id=application.user_id,
        application_id=application.id,
        kind=kind,
        text=text,
        status="pending",
        due_at=daytime(now),
        attempts=0,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(notice)
    except IntegrityError:
        return False
    return True


def reminder_due(event: CityEvent) -> datetime:
    """REMINDER_AT Japan time, the day before the event."""
    day_before = japan(event.starts_at).date() - timedelta(days=1)
    return datetime.combine(day_before, REMINDER_AT, JAPAN)


def plan_reminders(session: Session, now: datetime, text_for: Callable[[CityEvent], str]) -> int:
    """Queue the day-before reminder of every confirmed application whose time has come."""
    planned = 0
    soon = session.execute(
        select(EventApplication, CityEvent)
        .join(CityEvent, CityEvent.id == EventApplication.event_id)
        .where(
            CityEvent.status == "open",
            CityEvent.starts_at > now,
            CityEvent.starts_at <= now + timedelta(days=2),
            EventApplication.status == "confirmed",
        )
    ).all()
    for application, event in soon:
        # Only on the day before (Japan time): a reminder held up past midnight would say 「明日」 wrongly.
        if now < reminder_due(event) or japan(now).date() != reminder_due(event).date():
            continue
        key = f"reminder:{application.id}:{japan(event.starts_at):%Y%m%d%H%M}"
        planned += notify(session, application, "reminder", key, text_for(event), now)
    return planned


@dataclass(frozen=True)
class DueNotice:
    id: int
    key: str
    text: str
    channel: str
    channel_user_id: str
    user_id: int
    reachable: bool


def claim_notices(session: Session, now: datetime, limit: int = 20) -> list[DueNotice]:
    """Notices to send now (in daytime), each leased to this worker for LEASE."""
    if daytime(now) != now:
        return []
    rows = session.execute(
        select(EventNotice, User)
        .join(User, User.id == EventNotice.user_id)
        .where(
            EventNotice.status == "pending",
            EventNotice.due_at <= now,
            or_(EventNotice.locked_until.is_(None), EventNotice.locked_until < now),
        )
        .order_by(EventNotice.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=EventNotice)
    ).all()
    claimed = []
    for notice, user in rows:
        notice.locked_until = now + LEASE
        notice.attempts += 1
        claimed.append(
            DueNotice(
                notice.id,
                notice.key,
                notice.text,
                user.channel,
                user.channel_user_id,
                user.id,
                user.reachable,
            )
        )
    return claimed


def mark_notice(session: Session, notice_id: int, outcome: str | None, now: datetime) -> None:
    """``outcome``: "sent", "unreachable" (blocked, or a channel that can't be reached), or None
    for a failure to try again."""
    notice = session.get(EventNotice, notice_id)
    if notice is None:  # its person was forgotten meanwhile
        return
    if outcome is not None:
        notice.status, notice.sent_at, notice.locked_until = outcome, now, None
    else:  # tried again after the lease, with the same key (LINE drops a repeated retry key)
        notice.locked_until = now + LEASE * min(2**notice.attempts, 30)
