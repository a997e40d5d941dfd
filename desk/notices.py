"""Notices, staff side: compose one for a segment, preview it with its recipient count, confirm it,
and report what became of it (sent, failed, blocked) in the notice's Slack thread.

Delivery itself is ``bot.notice_delivery``; who asked for what is ``bot.storage.notices``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.storage import notices, outbox
from bot.storage.models import CityEvent, Notice, NoticeDelivery
from bot.storage.notices import TOPICS, Segment

MAX_TEXT = 2000  # staff's words; with the footer well within LINE's 5,000 characters a message
# Every notice ends by saying how to stop it.
FOOTER = "\n\n――\nお知らせが不要になったら「配信停止」と送ってください。"
RELATION_LABELS = {"self": "本人", "family": "家族"}
NOTICE_STATUS_LABELS = {"draft": "下書き", "confirmed": "配信中", "done": "配信済み"}
# What became of each person's copy, in the order staff read them.
DELIVERY_LABELS = {
    "sent": "送信",
    "failed": "失敗",
    "blocked": "ブロック",
    "skipped": "配信停止",
    "pending": "未送信",
}


class NoticeError(ValueError):
    """What staff asked for can't be done; the message says why, in staff's words."""


def message_text(text: str) -> str:
    """What a person receives: staff's text and how to stop."""
    return text.strip() + FOOTER


@dataclass(frozen=True)
class Preview:
    notice_id: int
    recipients: int
    text: str  # as people will read it
    segment: str  # the segment in staff's words


def check(segment: Segment, text: str) -> None:
    if segment.topic not in TOPICS:
        raise NoticeError(f"話題は {', '.join(TOPICS)} のどれかを指定してください。")
    if segment.relation not in (None, *RELATION_LABELS):
        raise NoticeError("対象は self(本人) か family(家族) を指定してください。")
    if not text.strip():
        raise NoticeError("本文を入力してください。")
    if len(text) > MAX_TEXT:
        raise NoticeError(f"本文は{MAX_TEXT}文字以内にしてください。")


def compose(
    session: Session,
    segment: Segment,
    text: str,
    now: datetime,
    *,
    event_id: str | None = None,
    created_by: str | None = None,
) -> Preview:
    """A draft notice and how many people it would reach now (nothing is sent)."""
    check(segment, text)
    check_event(session, event_id, now)
    notice = notices.create_notice(
        session, segment, text.strip(), now, event_id=event_id, created_by=created_by
    )
    return preview(session, notice)


def preview(session: Session, notice: Notice) -> Preview:
    segment = Segment.from_json(notice.segment)
    count = len(notices.audience(session, segment))
    return Preview(notice.id, count, message_text(notice.text), describe(segment, notice.event_id))


def describe(segment: Segment, event_id: str | None = None) -> str:
    parts = [f"話題: {TOPICS.get(segment.topic, segment.topic)}"]
    if event_id:
        parts.append(f"イベント番号: {event_id}")
    if segment.relation:
        parts.append(f"登録: {RELATION_LABELS[segment.relation]}")
    if segment.areas:
        parts.append("お住まい: " + "、".join(segment.areas))
    if segment.timings:
        parts.append("時期: " + "、".join(segment.timings))
    if segment.interests:
        parts.append("関心: " + "、".join(segment.interests))
    return " / ".join(parts)


def confirm(session: Session, notice_id: int, now: datetime, *, thread_ref: str | None = None) -> int:
    """Fix the recipients; the delivery worker sends from here. Returns the recipient count."""
    # Locked: two staff confirming at once must not both fix recipients (the second is told).
    notice = session.get(Notice, notice_id, with_for_update=True)
    if notice is None:
        raise NoticeError(f"お知らせ No.{notice_id} は見つかりません。")
    if notice.status != "draft":
        raise NoticeError(f"お知らせ No.{notice_id} は確定済みです。")
    if thread_ref:
        notice.thread_ref = thread_ref
    return notices.confirm(session, notice, now)


def set_thread(session: Session, notice_id: int, thread_ref: str) -> None:
    """Where the notice's preview was posted: its result goes in that thread."""
    notice = session.get(Notice, notice_id)
    if notice is not None:
        notice.thread_ref = thread_ref


def discard(session: Session, notice_id: int) -> None:
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise NoticeError(f"お知らせ No.{notice_id} は見つかりません。")
    if notice.status != "draft":
        raise NoticeError(f"お知らせ No.{notice_id} は確定済みです。")
    notice.status = "discarded"


def result_text(result: notices.Result) -> str:
    text = (
        f"お知らせ No.{result.notice_id} の配信が終わりました: "
        f"送信 {result.sent} 人、失敗 {result.failed} 人、ブロック {result.blocked} 人"
    )
    if result.skipped:
        text += f"、配信停止 {result.skipped} 人"
    unit = notices.aggregation_unit(result.notice_id)
    return text + f"。開封・クリック数は LINE の集計単位 {unit} で確認できます。"


def report(session: Session, result: notices.Result, now: datetime) -> None:
    """Queue the result for the notice's Slack thread (or the staff channel), in the caller's transaction."""
    payload: dict[str, Any] = {"notice_id": result.notice_id, "text": result_text(result)}
    if result.thread_ref:
        payload["thread"] = result.thread_ref
    outbox.enqueue(session, "notice_result", payload, now)


def check_event(session: Session, event_id: str | None, now: datetime) -> None:
    """A notice's event, when it names one, must be open and still to come."""
    if event_id is not None and open_event(session, event_id, now) is None:
        raise NoticeError(f"イベント番号 {event_id} の、これからの受付中のイベントは見つかりません。")


def open_event(session: Session, event_id: str, now: datetime) -> CityEvent | None:
    """The event a notice's card shows: one not cancelled and not yet begun."""
    event = session.get(CityEvent, int(event_id)) if event_id.isdigit() else None
    if event is None or event.status != "open" or event.starts_at <= now:
        return None
    return event


@dataclass(frozen=True)
class NoticeLine:
    """A notice as the console lists it: counts only, nobody's name or id."""

    notice_id: int
    topic: str
    segment: str
    status: str
    created_by: str | None
    created_at: datetime
    confirmed_at: datetime | None
    recipients: int
    deliveries: dict[str, int]  # every key of DELIVERY_LABELS


def history(session: Session, limit: int = 100) -> list[NoticeLine]:
    """Notices newest first (discarded drafts left out), each with its delivery rows counted."""
    listed = list(
        session.scalars(
            select(Notice).where(Notice.status != "discarded").order_by(Notice.id.desc()).limit(limit)
        )
    )
    rows = session.execute(
        select(NoticeDelivery.notice_id, NoticeDelivery.status, func.count())
        .where(NoticeDelivery.notice_id.in_([n.id for n in listed]))
        .group_by(NoticeDelivery.notice_id, NoticeDelivery.status)
    ).all()
    counts = {(notice_id, status): int(n) for notice_id, status, n in rows}
    return [
        NoticeLine(
            n.id,
            TOPICS.get(n.topic, n.topic),
            describe(Segment.from_json(n.segment), n.event_id),
            NOTICE_STATUS_LABELS.get(n.status, n.status),
            n.created_by,
            n.created_at,
            n.confirmed_at,
            n.recipients,
            {status: counts.get((n.id, status), 0) for status in DELIVERY_LABELS},
        )
        for n in listed
    ]
