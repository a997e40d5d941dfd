"""Staff work on events: create, edit and cancel them, list them, see who applied, import a CSV.

Called alike by the Slack modal, the CLI and (later) the web console; nothing here knows a chat SDK.
Fields arrive as text (a modal's inputs, a spreadsheet's cells) and are checked here once, with
one message per field, so each caller can show the errors its own way. Times are Japan time.
A change to when or where an event is, and a cancellation, is told to every applicant once.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.storage import events
from bot.storage.models import CityEvent, EventApplication
from desk.export import cell
from intents import event_text

KINDS = {
    "seminar": ("seminar", "セミナー", "説明会"),
    "tour": ("tour", "ツアー", "ワーケーション", "見学"),
    "fair": ("fair", "フェア"),
    "internship": ("internship", "インターン", "インターンシップ"),
    "consultation": ("consultation", "相談会", "相談日", "個別相談"),
}
AUDIENCES = {
    "parents": ("parents", "親", "保護者", "親御さん", "北見にお住まいの親御さん"),
    "natives": ("natives", "出身者", "北見出身", "北見出身の方", "uターン"),
    "students": ("students", "学生"),
    "anyone": ("anyone", "どなたでも", "一般", "誰でも", ""),
}
# CSV headers as city spreadsheets write them, and as this module names the fields.
HEADERS = {
    "ref": ("ref", "管理番号"),
    "title": ("title", "タイトル", "イベント名"),
    "kind": ("kind", "種類"),
    "starts_at": ("start", "starts_at", "開始"),
    "ends_at": ("end", "ends_at", "終了"),
    "place": ("place", "会場", "場所"),
    "online_url": ("url", "online_url", "オンラインURL"),
    "audience": ("audience", "対象"),
    "capacity": ("capacity", "定員"),
    "apply_by": ("deadline", "apply_by", "締切", "申込締切"),
    "description": ("description", "説明", "内容"),
    "source": ("source", "出典", "掲載ページ"),
}
_TIME_ONLY = re.compile(r"^\d{1,2}:\d{2}$")
_FORMATS = ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S")


@dataclass(frozen=True)
class EventFields:
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    place: str | None
    online_url: str | None
    audience: str
    capacity: int | None
    apply_by: datetime | None
    description: str
    source: str | None
    ref: str | None = None


def _clean(value: str | None) -> str:
    return unicodedata.normalize("NFKC", value or "").strip()


def _choice(value: str, table: dict[str, tuple[str, ...]]) -> str | None:
    folded = _clean(value).lower()
    return next((key for key, words in table.items() if folded in words), None)


def parse_time(value: str, day_of: datetime | None = None) -> datetime | None:
    """「2026-12-27 14:00」「2026/12/27 14:00」 in Japan time; 「16:00」 on the day of ``day_of``."""
    text = _clean(value)
    if day_of is not None and _TIME_ONLY.match(text):
        hours, minutes = (int(part) for part in text.split(":"))
        if hours > 23 or minutes > 59:
            return None
        return events.japan(day_of).replace(hour=hours, minute=minutes, second=0, microsecond=0)
    for pattern in _FORMATS:
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=events.JAPAN)
        except ValueError:
            continue
    return None


def parse(raw: dict[str, str | None], now: datetime) -> tuple[EventFields | None, dict[str, str]]:
    """Fields from text, or the errors (field name → a message for staff)."""
    errors: dict[str, str] = {}
    title = _clean(raw.get("title"))
    if not title or len(title) > 100:
        errors["title"] = "タイトルは1〜100文字で入力してください。"
    kind = _choice(raw.get("kind") or "", KINDS)
    if kind is None:
        errors["kind"] = "種類はセミナー・ツアー・フェア・インターンシップ・相談会のどれかです。"
    audience = _choice(raw.get("audience") or "", AUDIENCES)
    if audience is None:
        errors["audience"] = "対象は 親・出身者・学生・どなたでも のどれかです。"
    starts_at = parse_time(raw.get("starts_at") or "")
    if starts_at is None:
        errors["starts_at"] = "開始は「2026-12-27 14:00」の形で入力してください。"
    elif starts_at <= now:
        errors["starts_at"] = "開始が過去の日時です。"
    ends_at = parse_time(raw.get("ends_at") or "", starts_at)
    if ends_at is None:
        errors["ends_at"] = "終了は「2026-12-27 16:00」か「16:00」の形で入力してください。"
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = "終了は開始より後にしてください。"
    place, url = _clean(raw.get("place")) or None, _clean(raw.get("online_url")) or None
    if place is None and url is None:
        errors["place"] = "会場かオンラインURLのどちらかを入力してください。"
    elif place is not None and len(place) > 200:
        errors["place"] = "会場は200文字以内で入力してください。"
    if url is not None and (not url.startswith("https://") or len(url) > 500):
        errors["online_url"] = "オンラインURLは https:// で始まるURLを入力してください。"
    capacity_text, capacity = _clean(raw.get("capacity")), None
    if capacity_text:
        if capacity_text.isdigit() and 0 < int(capacity_text) <= 100_000:
            capacity = int(capacity_text)
        else:
            errors["capacity"] = "定員は1以上の数字で入力してください(制限なしは空欄)。"
    apply_by_text, apply_by = _clean(raw.get("apply_by")), None
    if apply_by_text:
        apply_by = parse_time(apply_by_text)
        if apply_by is None:
            errors["apply_by"] = "締め切りは「2026-12-20 17:00」の形で入力してください。"
        elif starts_at is not None and apply_by > starts_at:
            errors["apply_by"] = "締め切りは開始より前にしてください。"
    description = (raw.get("description") or "").strip()
    if len(description) > 2000:
        errors["description"] = "説明は2000文字以内で入力してください。"
    source = _clean(raw.get("source")) or None
    if source is not None and len(source) > 500:
        errors["source"] = "出典は500文字以内で入力してください。"
    ref = _clean(raw.get("ref")) or None
    if ref is not None and len(ref) > 64:
        errors["ref"] = "管理番号は64文字以内で入力してください。"
    if errors:
        return None, errors
    assert kind and audience and starts_at and ends_at  # every missing one is an error above
    return (
        EventFields(
            title,
            kind,
            starts_at,
            ends_at,
            place,
            url,
            audience,
            capacity,
            apply_by,
            description,
            source,
            ref,
        ),
        {},
    )


def _write(event: CityEvent, values: EventFields) -> None:
    for field in fields(values):
        if field.name != "ref" or values.ref is not None:
            setattr(event, field.name, getattr(values, field.name))


def create(session: Session, values: EventFields, now: datetime) -> CityEvent:
    event = CityEvent(status="open", version=1, created_at=now, updated_at=now)
    _write(event, values)
    session.add(event)
    session.flush()
    return event


def update(session: Session, event_id: int, values: EventFields, now: datetime) -> CityEvent | None:
    """Change an open event; when its time or place changes, each applicant is told once."""
    event = session.get(CityEvent, event_id, with_for_update=True)
    if event is None or event.status != "open":
        return None
    before = (event.starts_at, event.ends_at, event.place, event.online_url)
    _write(event, values)
    event.version, event.updated_at = event.version + 1, now
    session.flush()
    if (event.starts_at, event.ends_at, event.place, event.online_url) != before:
        for application in events.applicants(session, event.id):
            if application.status in events.ACTIVE:
                key = f"changed:{application.id}:{event.version}"
                events.notify(session, application, "changed", key, event_text.changed(event), now)
    for moved in events.move_up(session, event, now):  # a larger capacity frees seats
        key = f"promoted:{moved.id}:{event.version}"
        events.notify(session, moved, "promoted", key, event_text.moved_up(event), now)
    return event


def cancel(session: Session, event_id: int, now: datetime) -> int | None:
    """Cancel an event: it is no longer offered and every applicant is told. How many were told, or
    None when there is no such open event."""
    event = session.get(CityEvent, event_id, with_for_update=True)
    if event is None or event.status != "open":
        return None
    event.status, event.updated_at = "cancelled", now
    event.version += 1
    told = 0
    for application in events.applicants(session, event.id):
        if application.status in events.ACTIVE:
            key = f"cancelled:{application.id}:{event.version}"
            told += events.notify(session, application, "cancelled", key, event_text.cancelled(event), now)
    return told


def listing(session: Session, now: datetime, *, include_past: bool = False) -> list[CityEvent]:
    query = select(CityEvent).order_by(CityEvent.starts_at, CityEvent.id)
    if not include_past:
        query = query.where(CityEvent.starts_at > now)
    return list(session.scalars(query))


def summary_line(session: Session, event: CityEvent) -> str:
    taken = events.seats_taken(session, event.id)
    seats = f"{taken}/{event.capacity}人" if event.capacity else f"{taken}人"
    status = "中止" if event.status == "cancelled" else "受付中"
    return (
        f"{event.id}\t{events.when_text(event)}\t{event.title}\t{events.where_text(event)}\t{seats}\t{status}"
    )


def as_form(event: CityEvent) -> dict[str, str]:
    """An event's fields as text, the way :func:`parse` reads them (to fill an edit form)."""
    local = events.japan
    return {
        "title": event.title,
        "kind": event.kind,
        "starts_at": f"{local(event.starts_at):%Y-%m-%d %H:%M}",
        "ends_at": f"{local(event.ends_at):%Y-%m-%d %H:%M}",
        "place": event.place or "",
        "online_url": event.online_url or "",
        "audience": event.audience,
        "capacity": str(event.capacity or ""),
        "apply_by": f"{local(event.apply_by):%Y-%m-%d %H:%M}" if event.apply_by else "",
        "description": event.description,
        "source": event.source or "",
    }


APPLICANT_COLUMNS = ("申込番号", "状態", "お名前", "連絡先", "人数", "申込日時")
STATUS_LABELS = {"confirmed": "確定", "waiting": "キャンセル待ち", "withdrawn": "取り消し"}


def applicants_csv(session: Session, event_id: int) -> str | None:
    """Who applied, as CSV (UTF-8 with BOM, so Excel reads it); None when there is no such event."""
    if session.get(CityEvent, event_id) is None:
        return None
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(APPLICANT_COLUMNS)
    for a in events.applicants(session, event_id):
        writer.writerow(
            [
                a.id,
                STATUS_LABELS.get(a.status, a.status),
                cell(a.name),
                cell(a.contact),
                a.party_size,
                f"{events.japan(a.created_at):%Y-%m-%d %H:%M}",
            ]
        )
    return out.getvalue()


@dataclass(frozen=True)
class EventLine:
    """An event as the console lists it: the people (not applications) confirmed and waiting."""

    event: CityEvent
    confirmed: int
    waiting: int


def overview(session: Session, now: datetime, *, past: bool) -> list[EventLine]:
    """Events still ahead (soonest first), or those begun (latest first), with their seat counts."""
    if past:
        query = select(CityEvent).where(CityEvent.starts_at <= now).order_by(CityEvent.starts_at.desc())
    else:
        query = select(CityEvent).where(CityEvent.starts_at > now).order_by(CityEvent.starts_at)
    listed = list(session.scalars(query.order_by(CityEvent.id).limit(200)))
    people = session.execute(
        select(EventApplication.event_id, EventApplication.status, func.sum(EventApplication.party_size))
        .where(
            EventApplication.event_id.in_([e.id for e in listed]),
            EventApplication.status.in_(events.ACTIVE),
        )
        .group_by(EventApplication.event_id, EventApplication.status)
    ).all()
    counts = {(event_id, status): int(n or 0) for event_id, status, n in people}
    return [
        EventLine(e, counts.get((e.id, "confirmed"), 0), counts.get((e.id, "waiting"), 0)) for e in listed
    ]


# -- CSV import ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    created: int
    updated: int
    errors: list[tuple[int, str]]  # (line number in the file, what is wrong)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) when the bytes are valid UTF-8, else CP932 (Excel's Japanese)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp932")


def import_csv(session: Session, data: bytes, now: datetime) -> Imported:
    """Create or update (by 管理番号/ref) an event per row; bad rows are reported, not imported."""
    try:
        text = decode(data)
    except UnicodeDecodeError:
        return Imported(0, 0, [(1, "文字コードが UTF-8 でも CP932(Shift_JIS) でもありません。")])
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = _columns(reader.fieldnames or [])
    if "title" not in columns or "starts_at" not in columns:
        return Imported(0, 0, [(1, "見出しの行に タイトル と 開始 の列が必要です。")])
    created = updated = 0
    errors: list[tuple[int, str]] = []
    for row in reader:
        line = reader.line_num
        raw = {name: row.get(header) for name, header in columns.items()}
        values, problems = parse(raw, now)
        if values is None:
            errors.append((line, " ".join(problems.values())))
            continue
        existing = _by_ref(session, values.ref)
        if existing is not None:
            if update(session, existing.id, values, now) is None:
                errors.append((line, f"管理番号 {values.ref} のイベントは中止済みです。"))
            else:
                updated += 1
        else:
            create(session, values, now)
            created += 1
    return Imported(created, updated, errors)


def _columns(headers: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for header in headers:
        cleaned = _clean(header).lower()
        for name, names in HEADERS.items():
            if cleaned in (n.lower() for n in names):
                found.setdefault(name, header)
    return found


def _by_ref(session: Session, ref: str | None) -> CityEvent | None:
    if ref is None:
        return None
    return session.scalars(select(CityEvent).where(CityEvent.ref == ref)).first()


def staff_alert_text(payload: dict[str, Any]) -> str:
    """An application as staff read it in Slack (the caller escapes for its channel)."""
    status = STATUS_LABELS.get(str(payload.get("status")), str(payload.get("status")))
    seats = payload.get("seats_taken")
    capacity = payload.get("capacity")
    filled = f"{seats}/{capacity}人" if capacity else f"{seats}人"
    return (
        f"イベント: {payload.get('event_title')} ({payload.get('when')})\n"
        f"状態: {status}\nお名前: {payload.get('name')}\n連絡先: {payload.get('contact')}\n"
        f"人数: {payload.get('party_size')}人\n申込済み: {filled}"
    )
