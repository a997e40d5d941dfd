"""Notices: who asked for which topic, and each notice's delivery rows and LINE batches.

A notice's recipients are fixed when staff confirm it: one delivery row per person (unique per
notice and person, so nobody is counted or sent twice) grouped into batches of at most
:data:`MULTICAST_LIMIT`. Whether a person may still receive it (still subscribed, not blocked)
is checked again when their batch is sent; a person deleted meanwhile takes their rows along.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from bot.storage.models import Lead, Notice, NoticeBatch, NoticeDelivery, NoticeSubscription, User

# The topics people may ask for, and how they are named to them (the lead form, the chat, Slack).
TOPICS = {
    "seminars_events": "セミナー・イベント",
    "jobs": "仕事・求人",
    "support_money": "支援金",
}
MULTICAST_LIMIT = 500  # LINE's limit of user ids per multicast call
# LINE drops a duplicate call by its retry key for 24 hours; a batch left "sending" longer than
# this is not called again (it may have gone out): its members are counted as failed.
RETRY_KEY_LIFETIME = timedelta(hours=23)
CHANNELS = ("line", "web")  # where a notice can reach a person (LINE by multicast, the web on next visit)
RELATIONS = {"self": "本人として", "family": "家族として"}  # the lead form's registrant answers


# -- subscriptions ---------------------------------------------------------------------


def subscribe(session: Session, user: User, topics: Iterable[str], now: datetime) -> list[str]:
    """Add topics to the person's subscriptions; returns the topics newly added."""
    have = set(topics_of(session, user))
    added = [t for t in dict.fromkeys(topics) if t in TOPICS and t not in have]
    for topic in added:
        session.add(NoticeSubscription(user_id=user.id, topic=topic, created_at=now))
    session.flush()
    return added


def unsubscribe(session: Session, user: User, topic: str | None = None) -> int:
    """Stop one topic, or every topic (``None``); returns how many subscriptions went."""
    condition = NoticeSubscription.user_id == user.id
    if topic is not None:
        condition = condition & (NoticeSubscription.topic == topic)
    result = session.execute(delete(NoticeSubscription).where(condition))
    return int(result.rowcount)  # type: ignore[attr-defined]


def topics_of(session: Session, user: User) -> list[str]:
    rows = session.scalars(select(NoticeSubscription.topic).where(NoticeSubscription.user_id == user.id))
    return sorted(rows, key=list(TOPICS).index)


# -- segments --------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """Who, among a topic's subscribers, a notice is for. Empty filters mean "anyone".

    The filters other than the topic read the person's registration (lead): someone who
    subscribed without registering matches only a segment with no such filter.
    """

    topic: str
    relation: str | None = None  # "self" or "family"
    areas: tuple[str, ...] = ()
    timings: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()  # any of them

    def to_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "relation": self.relation,
            "areas": list(self.areas),
            "timings": list(self.timings),
            "interests": list(self.interests),
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Segment:
        return cls(
            topic=str(raw["topic"]),
            relation=raw.get("relation") or None,
            areas=tuple(raw.get("areas") or ()),
            timings=tuple(raw.get("timings") or ()),
            interests=tuple(raw.get("interests") or ()),
        )

    @property
    def needs_lead(self) -> bool:
        return bool(self.relation or self.areas or self.timings or self.interests)

    def admits(self, lead: Lead | None) -> bool:
        if not self.needs_lead:
            return True
        if lead is None:
            return False
        if self.relation and lead.registrant != RELATIONS.get(self.relation):
            return False
        if self.areas and lead.area not in self.areas:
            return False
        if self.timings and lead.timing not in self.timings:
            return False
        return not self.interests or bool(set(self.interests) & set(lead.interests or ()))


def audience(session: Session, segment: Segment) -> list[int]:
    """The user ids a notice for ``segment`` would go to now: subscribed, reachable, on a channel
    a notice can reach, matching the segment; in id order."""
    return [user_id for user_id, _channel, reachable in _audience(session, segment) if reachable]


def _audience(session: Session, segment: Segment) -> list[tuple[int, str, bool]]:
    """The segment's subscribers with their channel, and whether they can be reached (not blocked)."""
    rows = session.execute(
        select(User.id, User.channel, User.reachable, Lead)
        .join(NoticeSubscription, NoticeSubscription.user_id == User.id)
        .outerjoin(Lead, Lead.user_id == User.id)
        .where(NoticeSubscription.topic == segment.topic, User.channel.in_(CHANNELS))
        .order_by(User.id)
    ).all()
    return [
        (user_id, channel, reachable) for user_id, channel, reachable, lead in rows if segment.admits(lead)
    ]


# -- notices ---------------------------------------------------------------------------


def create_notice(
    session: Session,
    segment: Segment,
    text: str,
    now: datetime,
    *,
    event_id: str | None = None,
    created_by: str | None = None,
) -> Notice:
    notice = Notice(
        topic=segment.topic,
        text=text,
        event_id=event_id,
        segment=segment.to_json(),
        aggregation_unit=f"notice_{uuid.uuid4().hex[:16]}",
        status="draft",
        created_by=created_by,
        recipients=0,
        created_at=now,
    )
    session.add(notice)
    session.flush()
    notice.aggregation_unit = aggregation_unit(notice.id)
    return notice


def aggregation_unit(notice_id: int) -> str:
    """LINE's unit name for this notice: at most 30 characters of [A-Za-z0-9_]."""
    return f"notice_{notice_id}"


def confirm(session: Session, notice: Notice, now: datetime) -> int:
    """Fix the recipients as delivery rows in batches; returns how many. Confirming twice is a no-op."""
    if notice.status != "draft":
        return notice.recipients
    subscribers = _audience(session, Segment.from_json(notice.segment))
    recipients = [(u, channel) for u, channel, reachable in subscribers if reachable]
    line_ids = [u for u, channel in recipients if channel == "line"]
    batches = [
        NoticeBatch(notice_id=notice.id, status="pending", attempts=0, created_at=now)
        for _ in range(0, len(line_ids), MULTICAST_LIMIT)
    ]
    session.add_all(batches)
    session.flush()
    rows = [
        {
            "notice_id": notice.id,
            "user_id": u,
            "batch_id": batches[i // MULTICAST_LIMIT].id,
            "status": "pending",
        }
        for i, u in enumerate(line_ids)
    ]
    rows += [
        {"notice_id": notice.id, "user_id": u, "batch_id": None, "status": "pending"}
        for u, channel in recipients
        if channel == "web"
    ]
    # Those who blocked the account count in the result as blocked; nothing is sent to them.
    rows += [
        {"notice_id": notice.id, "user_id": u, "batch_id": None, "status": "blocked"}
        for u, _channel, reachable in subscribers
        if not reachable
    ]
    if rows:  # one statement (executemany), not an object per person
        session.execute(insert(NoticeDelivery), rows)
    notice.status, notice.confirmed_at, notice.recipients = "confirmed", now, len(recipients)
    session.flush()
    return len(recipients)


# -- delivery --------------------------------------------------------------------------


@dataclass(frozen=True)
class Claimed:
    """A batch this worker now sends: to whom (LINE user ids), with which key, for which notice."""

    batch_id: int
    notice_id: int
    retry_key: str
    line_ids: list[str]
    text: str
    unit: str  # LINE's customAggregationUnits name
    event_id: str | None = None  # an event whose card goes with the notice


def claim_batch(session: Session, now: datetime, lease: timedelta) -> Claimed | None:
    """The next batch to send: a pending one, or one whose sender stopped (its lease ran out).

    A pending batch gets its retry key here, in the transaction that marks it sending, so the key
    is stored before any call; a resumed one keeps the key it has. Members who opted out or
    blocked the account since confirmation are settled now and left out of the call.
    """
    batch = session.scalars(
        select(NoticeBatch)
        .join(Notice, Notice.id == NoticeBatch.notice_id)
        .where(
            Notice.status == "confirmed",
            or_(
                NoticeBatch.status == "pending",
                (NoticeBatch.status == "sending") & (NoticeBatch.locked_until < now),
            ),
        )
        .order_by(NoticeBatch.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()
    if batch is None:
        return None
    notice = session.get(Notice, batch.notice_id)
    assert notice is not None
    if batch.first_sent_at is not None and batch.first_sent_at < now - RETRY_KEY_LIFETIME:
        batch.status, batch.locked_until = "sending", None
        finish_batch(session, batch.id, now, "left unfinished beyond the retry key's lifetime; not resent")
        return claim_batch(session, now, lease)
    members = session.execute(
        select(NoticeDelivery, User.channel_user_id, User.reachable)
        .join(User, User.id == NoticeDelivery.user_id)
        .where(NoticeDelivery.batch_id == batch.id, NoticeDelivery.status == "pending")
    ).all()
    subscribed = _subscribed([d.user_id for d, _, _ in members], notice.topic, session)
    line_ids: list[str] = []
    for delivery, line_id, reachable in members:
        if delivery.user_id not in subscribed:
            delivery.status = "skipped"
        elif not reachable:
            delivery.status = "blocked"
        else:
            line_ids.append(line_id)
    batch.retry_key = batch.retry_key or str(uuid.uuid4())
    batch.status, batch.locked_until = "sending", now + lease
    batch.first_sent_at = batch.first_sent_at or now
    batch.attempts += 1
    return Claimed(
        batch.id, notice.id, batch.retry_key, line_ids, notice.text, notice.aggregation_unit, notice.event_id
    )


def _subscribed(user_ids: Sequence[int], topic: str, session: Session) -> set[int]:
    if not user_ids:
        return set()
    rows = session.scalars(
        select(NoticeSubscription.user_id).where(
            NoticeSubscription.topic == topic, NoticeSubscription.user_id.in_(user_ids)
        )
    )
    return set(rows)


def finish_batch(session: Session, batch_id: int, now: datetime, error: str | None = None) -> None:
    """The call's outcome for every member still pending: sent, or failed with ``error``."""
    batch = session.get(NoticeBatch, batch_id)
    if batch is None or batch.status not in ("sending",):
        return
    status = "sent" if error is None else "failed"
    batch.status, batch.locked_until, batch.last_error = status, None, error[:200] if error else None
    batch.sent_at = now if error is None else None
    session.execute(
        update(NoticeDelivery)
        .where(NoticeDelivery.batch_id == batch_id, NoticeDelivery.status == "pending")
        .values(status=status, delivered_at=now if error is None else None)
    )


def web_recipients(session: Session, limit: int = 200) -> list[tuple[int, int, int, str, str]]:
    """Pending web deliveries of confirmed notices: (delivery id, notice id, user id, topic, text)."""
    rows = session.execute(
        select(NoticeDelivery.id, Notice.id, NoticeDelivery.user_id, Notice.topic, Notice.text)
        .join(Notice, Notice.id == NoticeDelivery.notice_id)
        .where(
            Notice.status == "confirmed",
            NoticeDelivery.batch_id.is_(None),
            NoticeDelivery.status == "pending",
        )
        .order_by(NoticeDelivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    return [(d, n, u, topic, text) for d, n, u, topic, text in rows]


def settle_web(session: Session, delivery_id: int, subscribed: bool, now: datetime) -> None:
    delivery = session.get(NoticeDelivery, delivery_id)
    if delivery is not None:
        delivery.status = "sent" if subscribed else "skipped"
        delivery.delivered_at = now if subscribed else None


def is_subscribed(session: Session, user_id: int, topic: str) -> bool:
    return bool(_subscribed([user_id], topic, session))


@dataclass(frozen=True)
class Result:
    notice_id: int
    sent: int
    failed: int
    blocked: int
    skipped: int
    thread_ref: str | None


def finish_notices(session: Session, now: datetime) -> list[Result]:
    """Confirmed notices with nothing left to send become done; returns their results."""
    done: list[Result] = []
    for notice in session.scalars(
        select(Notice).where(Notice.status == "confirmed").with_for_update(skip_locked=True)
    ):
        open_rows = session.scalar(
            select(func.count())
            .select_from(NoticeDelivery)
            .where(NoticeDelivery.notice_id == notice.id, NoticeDelivery.status == "pending")
        )
        if open_rows:
            continue
        counts = delivered_to(session, notice.id)
        notice.status, notice.finished_at = "done", now
        done.append(
            Result(
                notice.id,
                counts.get("sent", 0),
                counts.get("failed", 0),
                counts.get("blocked", 0),
                counts.get("skipped", 0),
                notice.thread_ref,
            )
        )
    return done


def delivered_to(session: Session, notice_id: int) -> dict[str, int]:
    """How many of the notice's delivery rows are in each status."""
    rows = session.execute(
        select(NoticeDelivery.status, func.count())
        .where(NoticeDelivery.notice_id == notice_id)
        .group_by(NoticeDelivery.status)
    )
    return {status: count for status, count in rows}
