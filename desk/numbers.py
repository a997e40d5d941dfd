"""The numbers staff see as charts, each also given as a table: counted here, drawn elsewhere.

Weeks start on Monday, Japan time (the city's week), and are counted in Python from timestamps so
SQLite and PostgreSQL give the same answer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.storage.events import ACTIVE
from bot.storage.models import EventApplication, Lead, MessageLog, ReferralCode, User
from desk import reports

JAPAN = ZoneInfo("Asia/Tokyo")
WEEKS = 12


def week_of(moment: datetime) -> date:
    day = moment.astimezone(JAPAN).date()
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Series:
    """Rows of a chart: one label per column (x), one list of values per series name."""

    title: str
    labels: list[str]
    values: dict[str, list[int]]


def _weeks(now: datetime, weeks: int) -> list[date]:
    last = week_of(now)
    return [last - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def _weekly(title: str, stamps: list[tuple[str, datetime]], now: datetime, weeks: int) -> Series:
    columns = _weeks(now, weeks)
    counts = Counter((name, week_of(at)) for name, at in stamps)
    names = sorted({name for name, _at in stamps})
    return Series(
        title,
        [f"{week:%m/%d}" for week in columns],
        {name: [counts[(name, week)] for week in columns] for name in names},
    )


def people_by_channel(session: Session, now: datetime, weeks: int = WEEKS) -> Series:
    since = datetime.combine(_weeks(now, weeks)[0], datetime.min.time(), JAPAN)
    rows = session.execute(select(User.channel, User.created_at).where(User.created_at >= since)).all()
    return _weekly("新しく話しかけた人(週ごと・チャネル別)", [(c, at) for c, at in rows], now, weeks)


ANSWERED, SUGGESTED, DECLINED = "答えた", "候補を示した", "答えられなかった"


def questions(session: Session, now: datetime, weeks: int = WEEKS) -> Series:
    """The concierge's replies to questions: an answer, 「もしかして」 suggestions, or 'I don't know'."""
    since = datetime.combine(_weeks(now, weeks)[0], datetime.min.time(), JAPAN)
    rows = session.execute(
        select(MessageLog.intent, MessageLog.entry_id, MessageLog.created_at).where(
            MessageLog.direction == "out",
            MessageLog.intent.in_(["faq", "fallback"]),
            MessageLog.created_at >= since,
        )
    ).all()
    stamps = [
        (DECLINED if intent == "fallback" else ANSWERED if entry else SUGGESTED, at)
        for intent, entry, at in rows
    ]
    series = _weekly("質問への応答(週ごと)", stamps, now, weeks)
    zero = [0] * len(series.labels)
    return Series(
        series.title, series.labels, {k: series.values.get(k, zero) for k in (ANSWERED, SUGGESTED, DECLINED)}
    )


def leads_per_week(session: Session, now: datetime, weeks: int = WEEKS) -> Series:
    since = datetime.combine(_weeks(now, weeks)[0], datetime.min.time(), JAPAN)
    rows = session.scalars(select(Lead.created_at).where(Lead.created_at >= since)).all()
    series = _weekly("移住の登録(週ごと)", [("登録", at) for at in rows], now, weeks)
    return Series(series.title, series.labels, series.values or {"登録": [0] * len(series.labels)})


def path_by_source(session: Session) -> Series:
    """For each pamphlet location or seminar: people who arrived through it, leads, and people
    holding an application to an event (confirmed or waiting; each person once)."""
    counts = reports.sources(session)
    applied = dict(
        session.execute(
            select(User.source, func.count(func.distinct(EventApplication.user_id)))
            .join(User, User.id == EventApplication.user_id)
            .where(EventApplication.status.in_(ACTIVE), User.source.is_not(None))
            .group_by(User.source)
        ).all()
    )
    return Series(
        "きっかけ別: 話しかけた人 → 登録 → イベント申込",
        [c.name for c in counts],
        {
            "話しかけた人": [c.users for c in counts],
            "登録": [c.leads for c in counts],
            "イベント申込": [int(applied.get(c.code, 0)) for c in counts],
        },
    )


def referrals(session: Session) -> Series:
    """Parents' codes by how many children registered with them (codes only, never who)."""
    rows = session.execute(
        select(ReferralCode.code, func.count(Lead.id))
        .join(Lead, Lead.referral_code == ReferralCode.code)
        .group_by(ReferralCode.code)
        .order_by(func.count(Lead.id).desc(), ReferralCode.code)
        .limit(20)
    ).all()
    return Series(
        "親からの紹介: コード別の登録", [code for code, _n in rows], {"登録": [int(n) for _c, n in rows]}
    )


def all_charts(session: Session, now: datetime) -> dict[str, Series]:
    return {
        "people": people_by_channel(session, now),
        "questions": questions(session, now),
        "leads": leads_per_week(session, now),
        "sources": path_by_source(session),
        "referrals": referrals(session),
    }
