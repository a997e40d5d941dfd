"""Notices: segments, and delivery by LINE multicast against the stand-in (each person at most once)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.channels.line.delivery import RetryPolicy
from bot.channels.line.multicast import LineMulticast
from bot.clock import Clock, utcnow
from bot.notice_delivery import LEASE, NoticeWorker
from bot.storage import Database, leads, notices, records, upgrade
from bot.storage.models import NoticeBatch, OutboxMessage, StaffReply, User
from bot.storage.notices import Segment
from desk import notices as desk
from desk.events import EventFields
from desk.events import create as create_event
from tests.standins.line_api import MULTICAST, LineStandIn, Scripted

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
FAST = RetryPolicy(attempts=3, base_delay=0.01, max_delay=5.0, timeout=5.0)
ROOT = Path(__file__).resolve().parent.parent
LEAD = {
    "registrant": "本人として",
    "name": "北見 太郎",
    "area": "東京23区",
    "relation": "北見出身",
    "age_band": "30代",
    "timing": "1年以内",
    "work_plan": "未定",
    "household": "単身",
    "interests": ["仕事"],
    "contact_method": "line",
    "contact_value": None,
}


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    upgrade(database)
    yield database
    database.dispose()


@pytest.fixture
def line_api() -> Iterator[LineStandIn]:
    with LineStandIn() as standin:
        yield standin


def people(
    db: Database, count: int, topic: str = "seminars_events", channel: str = "line", prefix: str = "U"
) -> list[str]:
    """``count`` people on ``channel`` subscribed to ``topic``; their channel user ids."""
    ids = [f"{prefix}{i:032x}" for i in range(count)]
    with db.transaction() as session:
        for channel_user_id in ids:
            user = records.get_or_create_user(session, channel, channel_user_id, NOW)
            notices.subscribe(session, user, [topic], NOW)
    return ids


def registered(db: Database, channel_user_id: str, **answers: object) -> None:
    with db.transaction() as session:
        user = records.get_or_create_user(session, "line", channel_user_id, NOW)
        leads.save_lead(session, user, LEAD | answers, "v", NOW, NOW)
        notices.subscribe(session, user, ["seminars_events"], NOW)


def notice_for(db: Database, segment: Segment, text: str = "12月20日に東京で移住相談会を開きます。") -> int:
    with db.transaction() as session:
        preview = desk.compose(session, segment, text, NOW, created_by="USTAFF1")
        desk.confirm(session, preview.notice_id, NOW, thread_ref="CSTAFF:111.222")
        return preview.notice_id


async def deliver(db: Database, line_api: LineStandIn, clock: Clock = lambda: NOW) -> None:
    delivering = NoticeWorker(db, LineMulticast.open(line_api.url, "token", FAST), clock=clock)
    try:
        await delivering.run_once()
    finally:
        assert delivering.multicast is not None
        await delivering.multicast.close()


def consultation_day(db: Database, now: datetime) -> str:
    """An open consultation day three weeks ahead; its number as staff type it."""
    starts = now + timedelta(days=21)
    fields = EventFields(
        "東京 移住相談会",
        "consultation",
        starts,
        starts + timedelta(hours=3),
        "東京交通会館",
        None,
        "anyone",
        30,
        None,
        "北見市の相談員がお答えします。",
        None,
    )
    with db.transaction() as session:
        return str(create_event(session, fields, now).id)


def results(db: Database) -> list[str]:
    with db.transaction() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "notice_result"))
        return [row.payload["text"] + "|" + str(row.payload.get("thread")) for row in rows]


def test_segments_pick_by_relation_area_timing_and_interests(db: Database) -> None:
    registered(db, "Uself", interests=["住まい", "仕事"])
    registered(db, "Ufamily", registrant="家族として", area="北海道内", timing="すぐ", interests=["子育て"])
    people(db, 1, prefix="Unolead")  # subscribed without registering
    people(db, 1, topic="jobs", prefix="Ujobs")

    def audience(segment: Segment) -> set[str]:
        with db.transaction() as session:
            ids = notices.audience(session, segment)
            return {u.channel_user_id for u in session.scalars(select(User).where(User.id.in_(ids)))}

    everyone = {"Uself", "Ufamily", "Unolead" + f"{0:032x}"}
    assert audience(Segment("seminars_events")) == everyone
    assert audience(Segment("jobs")) == {"Ujobs" + f"{0:032x}"}
    assert audience(Segment("seminars_events", relation="family")) == {"Ufamily"}
    assert audience(Segment("seminars_events", relation="self")) == {"Uself"}
    assert audience(Segment("seminars_events", areas=("東京23区",))) == {"Uself"}
    assert audience(Segment("seminars_events", timings=("すぐ", "2〜3年"))) == {"Ufamily"}
    assert audience(Segment("seminars_events", interests=("仕事", "医療"))) == {"Uself"}
    assert audience(Segment("seminars_events", interests=("医療",))) == set()


def test_a_preview_counts_recipients_and_shows_how_to_stop(db: Database) -> None:
    people(db, 3)
    with db.transaction() as session:
        preview = desk.compose(session, Segment("seminars_events"), "相談会のお知らせです。", NOW)
    assert preview.recipients == 3
    assert preview.text.startswith("相談会のお知らせです。") and "配信停止" in preview.text
    with db.transaction() as session, pytest.raises(desk.NoticeError):
        desk.compose(session, Segment("lottery"), "当選しました", NOW)


@pytest.mark.slow
async def test_each_subscriber_gets_it_once_and_opted_out_deleted_blocked_get_nothing(
    db: Database, line_api: LineStandIn
) -> None:
    line_ids = people(db, 1200)  # three multicast calls: 500, 500, 200
    web_ids = people(db, 2, channel="web", prefix="w")
    people(db, 5, topic="jobs", prefix="J")  # another topic: not theirs
    blocked_before = line_ids[1100]
    with db.transaction() as session:
        gone_earlier = records.find_user(session, "line", blocked_before)
        assert gone_earlier is not None
        gone_earlier.reachable = False
    notice_id = notice_for(db, Segment("seminars_events"))
    opted_out, deleted, blocked = line_ids[0], line_ids[1], line_ids[700]
    with db.transaction() as session:  # after confirmation, before sending
        user = records.find_user(session, "line", opted_out)
        assert user is not None
        notices.unsubscribe(session, user)
        gone = records.find_user(session, "line", deleted)
        assert gone is not None
        leads.forget_person(session, gone, NOW)
        unfollowed = records.find_user(session, "line", blocked)
        assert unfollowed is not None
        unfollowed.reachable = False
        web_out = records.find_user(session, "web", web_ids[1])
        assert web_out is not None
        notices.unsubscribe(session, web_out, "seminars_events")

    await deliver(db, line_api)

    received = Counter(line_api.multicast_recipients())
    assert set(received) == set(line_ids) - {opted_out, deleted, blocked, blocked_before}
    assert set(received.values()) == {1}
    calls = line_api.sent(MULTICAST)
    assert [len(c.body["to"]) for c in calls] == [498, 499, 199]
    assert {c.body["customAggregationUnits"][0] for c in calls} == {f"notice_{notice_id}"}
    assert len({c.headers["x-line-retry-key"] for c in calls}) == 3
    assert all(c.body["messages"][0]["text"].endswith(desk.FOOTER) for c in calls)
    with db.transaction() as session:
        held = session.execute(select(User.channel_user_id, StaffReply.text).join(User)).all()
    assert [(who, text.endswith(desk.FOOTER)) for who, text in held] == [(web_ids[0], True)]
    [result] = results(db)
    assert "送信 1197 人、失敗 0 人、ブロック 2 人、配信停止 2 人" in result
    assert result.endswith("|CSTAFF:111.222")

    await deliver(db, line_api)  # nothing is due any more: nothing is sent again
    assert len(line_api.sent(MULTICAST)) == 3
    assert len(results(db)) == 1


@pytest.mark.slow
async def test_429_is_waited_out_and_the_retry_uses_the_same_key(db: Database, line_api: LineStandIn) -> None:
    line_ids = people(db, 3)
    notice_for(db, Segment("seminars_events"))
    line_api.then(MULTICAST, Scripted(429, headers={"Retry-After": "2"}))
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)

    delivering = NoticeWorker(db, LineMulticast.open(line_api.url, "token", FAST, sleep), clock=lambda: NOW)
    await delivering.run_once()
    assert delivering.multicast is not None
    await delivering.multicast.close()
    first, second = [c for c in line_api.calls if c.path == MULTICAST]
    assert (first.headers["x-standin-status"], second.headers["x-standin-status"]) == ("429", "200")
    assert first.headers["x-line-retry-key"] == second.headers["x-line-retry-key"]
    assert waited == [2.0]
    assert sorted(line_api.multicast_recipients()) == sorted(line_ids)
    assert "送信 3 人" in results(db)[0]


@pytest.mark.slow
async def test_a_refused_batch_is_reported_failed_and_not_sent_again(
    db: Database, line_api: LineStandIn
) -> None:
    people(db, 4)
    notice_for(db, Segment("seminars_events"))
    line_api.then(MULTICAST, Scripted(400, body={"message": "Invalid reply token"}))
    await deliver(db, line_api)
    await deliver(db, line_api)
    assert line_api.multicast_recipients() == []
    assert len([c for c in line_api.calls if c.path == MULTICAST]) == 1
    assert "送信 0 人、失敗 4 人" in results(db)[0]


@pytest.mark.slow
async def test_a_delivery_killed_mid_way_reaches_each_of_1000_people_exactly_once_after_restart(
    database_url: str, db: Database, line_api: LineStandIn
) -> None:
    line_ids = people(db, 1000)
    notice_for(db, Segment("seminars_events"))
    env = os.environ | {
        "DATABASE_URL": database_url,
        "LINE_CHANNEL_ACCESS_TOKEN": "token",
        "LINE_API_BASE_URL": line_api.url,
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "notices", "deliver"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )
    # LINE accepts the first batch; the worker is killed before it hears so (the worst moment).
    line_api.after_accept = lambda _call: os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=120) == -signal.SIGKILL
    line_api.after_accept = None
    assert len(line_api.sent(MULTICAST)) == 1
    with db.transaction() as session:
        statuses = Counter(b.status for b in session.scalars(select(NoticeBatch)))
    assert statuses == {"sending": 1, "pending": 1}

    # The killed worker ran on the real clock: its lease is counted from then.
    await deliver(db, line_api, utcnow)  # before the lease runs out: its batch is left alone
    assert len(line_api.sent(MULTICAST)) == 2

    await deliver(db, line_api, lambda: utcnow() + LEASE + timedelta(seconds=1))  # the restart, later
    received = Counter(line_api.multicast_recipients())
    assert set(received) == set(line_ids) and set(received.values()) == {1}
    resumed = [c for c in line_api.calls if c.path == MULTICAST][-1]
    assert resumed.headers["x-standin-status"] == "409"  # the same key again: LINE drops the repeat
    assert resumed.headers["x-line-retry-key"] == line_api.sent(MULTICAST)[0].headers["x-line-retry-key"]
    assert "送信 1000 人" in results(db)[0]


@pytest.mark.slow
async def test_a_batch_left_sending_beyond_the_retry_keys_life_is_not_sent_again(
    db: Database, line_api: LineStandIn
) -> None:
    people(db, 3)
    notice_for(db, Segment("seminars_events"))
    with db.transaction() as session:  # a worker claimed it, may have called LINE, and died
        assert notices.claim_batch(session, NOW, LEASE) is not None
    await deliver(db, line_api, lambda: NOW + timedelta(hours=1))  # within LINE's 24 hours: resent
    assert len(line_api.calls) == 1

    people(db, 2, prefix="V")
    notice_for(db, Segment("seminars_events"), "二通目")
    with db.transaction() as session:
        claimed = notices.claim_batch(session, NOW, LEASE)
        assert claimed is not None and len(claimed.line_ids) == 5
    await deliver(db, line_api, lambda: NOW + timedelta(hours=24))  # the key may be forgotten: not resent
    assert len(line_api.calls) == 1
    assert "送信 0 人、失敗 5 人" in results(db)[1]


@pytest.mark.slow
async def test_a_server_error_is_retried_with_the_same_key_and_delivers_once(
    db: Database, line_api: LineStandIn
) -> None:
    line_ids = people(db, 2)
    notice_for(db, Segment("seminars_events"))
    line_api.then(MULTICAST, Scripted(500))
    await deliver(db, line_api)
    failed, accepted = [c for c in line_api.calls if c.path == MULTICAST]
    assert failed.headers["x-line-retry-key"] == accepted.headers["x-line-retry-key"]
    assert Counter(line_api.multicast_recipients()) == Counter(line_ids)


@pytest.mark.slow
async def test_a_notice_about_an_event_carries_its_card_with_the_apply_button(
    db: Database, line_api: LineStandIn
) -> None:
    event_id = consultation_day(db, NOW)
    people(db, 3)
    with db.transaction() as session, pytest.raises(desk.NoticeError):
        desk.compose(session, Segment("seminars_events"), "案内です。", NOW, event_id="999")
    with db.transaction() as session:
        preview = desk.compose(
            session, Segment("seminars_events"), "相談会を開きます。", NOW, event_id=event_id
        )
        desk.confirm(session, preview.notice_id, NOW, thread_ref="CSTAFF:111.222")
    await deliver(db, line_api)
    [call] = line_api.sent(MULTICAST)
    text, card = call.body["messages"]
    assert (
        text["type"] == "text"
        and text["text"].startswith("相談会を開きます。")
        and "配信停止" in text["text"]
    )
    assert card["type"] == "flex" and "東京 移住相談会" in card["altText"]
    buttons = json.dumps(card["contents"], ensure_ascii=False)
    assert "申し込む" in buttons and f"event-apply:{event_id}" in buttons
