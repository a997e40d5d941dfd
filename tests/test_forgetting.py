"""Deleted means deleted: every table on both databases, the outbox, and what Slack already shows."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import MetaData, select
from starlette.testclient import TestClient

from bot.alert_delivery import AlertWorker
from bot.app import create_app
from bot.channels.slack.alerts import SlackAlertSender
from bot.channels.slack.app import slack_client
from bot.clock import utcnow
from bot.services import Concierge
from bot.settings import Settings
from bot.storage import Database, upgrade
from bot.storage.models import OutboxMessage, StaffReply
from knowledge import KnowledgeBase
from tests.conftest import Talker
from tests.standins.slack_api import SlackStandIn
from tests.test_lead import register
from tests.test_slack import SECRET, STAFF, STAFF_CHANNEL, staff_thread_reply

pytestmark = pytest.mark.slow  # a stand-in Slack over HTTP

NAME, EMAIL, PHONE = "北見 花子", "hanako@example.jp", "090-1234-5678"
PERSONAL = (NAME, "花子", EMAIL, PHONE, "12345678")
QUESTION_WITH_NAME = "北見 花子と申します。フクロウを飼える家はありますか"
REDACTED = "本人の希望により削除されました"


@pytest.fixture
def slack_api() -> Iterator[SlackStandIn]:
    with SlackStandIn(staff_channel_members=[STAFF]) as standin:
        yield standin


@pytest.fixture
def both_settings(database_url: str, slack_api: SlackStandIn) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url,
        rate_limit_per_minute=500,
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_staff_channel=STAFF_CHANNEL,
        slack_staff_user_ids=STAFF,
        slack_api_url=slack_api.url,
    )


@pytest.fixture
def concierge(both_settings: Settings, kb: KnowledgeBase) -> Iterator[Concierge]:
    built = Concierge.build(both_settings, kb=kb)
    upgrade(built.db)
    yield built
    built.close()


def personal_data_in_tables(db: Database) -> dict[str, list[str]]:
    """Every table, every row, every column as text: which tables still mention the person."""
    # JSON columns may keep Japanese as \\u escapes: look for that spelling too.
    needles = {p: (p, json.dumps(p)[1:-1]) for p in PERSONAL}
    metadata = MetaData()
    metadata.reflect(db.engine)
    found: dict[str, list[str]] = {}
    with db.engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)):
                text = " ".join(str(value) for value in row)
                hits = [p for p, spellings in needles.items() if any(s in text for s in spellings)]
                if hits:
                    found.setdefault(table.name, []).extend(hits)
    return found


def wait_until(check: Any, timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.05)
    return check()


def test_register_hand_off_reply_delete_leaves_nothing_anywhere(
    both_settings: Settings, concierge: Concierge, slack_api: SlackStandIn
) -> None:
    with TestClient(create_app(both_settings, concierge=concierge)) as client:
        person = Talker(concierge)
        person.say(QUESTION_WITH_NAME)
        register(person)
        person.press("contact")
        person.say(f"電話は {PHONE} です。夕方なら出られます")
        posted = slack_api.wait_for("chat.postMessage", 3)
        assert len(posted) == 3
        handoff_alert = next(c for c in posted if "thread_ts" not in c.args and "相談" in c.args["text"])
        staff_thread_reply(client, handoff_alert.args["ts"], "担当の佐藤です。お電話しますね。")
        assert wait_until(lambda: reply_count(concierge) == 1)
        # Before deletion the person is in several tables: the scan below would see them.
        assert {"leads", "message_log", "question_stats"} <= set(personal_data_in_tables(concierge.db))
        refs = [f"{c.args['channel']}:{c.args['ts']}" for c in posted]
        assert any(NAME in slack_api.current(ref) for ref in refs)

        asked = person.say("データを削除")  # in the conversation with staff, and still not relayed
        assert "元に戻せません" in asked.response.text
        assert "削除しました" in person.press("form:yes").response.text

        wait_until(lambda: all(REDACTED in slack_api.current(ref) for ref in refs))
        for ref in refs:  # what staff see in Slack now
            shown = slack_api.current(ref)
            assert REDACTED in shown and not any(p in shown for p in PERSONAL), shown
        wait_until(lambda: not pending(concierge))
    assert personal_data_in_tables(concierge.db) == {}


def reply_count(concierge: Concierge) -> int:
    with concierge.db.transaction() as session:
        return len(session.scalars(select(StaffReply)).all())


def pending(concierge: Concierge) -> list[OutboxMessage]:
    with concierge.db.transaction() as session:
        return list(session.scalars(select(OutboxMessage).where(OutboxMessage.status == "pending")))


def worker(concierge: Concierge, settings: Settings, later: list[timedelta]) -> AlertWorker:
    """A delivery loop run by hand; ``later[0]`` moves its clock ahead (past a retry's backoff)."""
    sender = SlackAlertSender(slack_client(settings), STAFF_CHANNEL, concierge.db)
    return AlertWorker(concierge.db, sender, clock=lambda: utcnow() + later[0])


async def test_an_alert_queued_while_slack_is_down_is_never_posted_after_deletion(
    both_settings: Settings, concierge: Concierge, slack_api: SlackStandIn
) -> None:
    later = [timedelta(0)]
    alerts = worker(concierge, both_settings, later)
    person = Talker(concierge)
    slack_api.down = True
    register(person)
    person.press("contact")
    assert await alerts.run_once() == 0  # Slack is down: the lead and handoff alerts wait
    person.say("やめる")
    person.say("データを削除")
    person.press("form:yes")
    slack_api.down = False
    later[0] = timedelta(hours=2)  # past any backoff
    await alerts.run_once()
    posted = json.dumps([c.args for c in slack_api.posted()], ensure_ascii=False)
    assert not any(p in posted for p in PERSONAL), posted
    assert "新しい移住の登録" not in posted and "職員への相談" not in posted
    assert personal_data_in_tables(concierge.db) == {}


async def test_a_posted_alert_is_redacted_even_when_slack_is_down_at_deletion(
    both_settings: Settings, concierge: Concierge, slack_api: SlackStandIn
) -> None:
    later = [timedelta(0)]
    alerts = worker(concierge, both_settings, later)
    person = Talker(concierge)
    register(person)
    assert await alerts.run_once() == 1
    [alert] = slack_api.posted()
    ref = f"{alert.args['channel']}:{alert.args['ts']}"
    assert NAME in slack_api.current(ref)
    slack_api.down = True
    person.say("データを削除")
    person.press("form:yes")
    assert await alerts.run_once() == 0  # the redaction waits in the outbox, like any alert
    slack_api.down = False
    later[0] = timedelta(hours=2)
    await alerts.run_once()
    assert REDACTED in slack_api.current(ref) and NAME not in slack_api.current(ref)


class ForgettingSender:
    """A destination during whose first send the person asks to be forgotten (the worst moment)."""

    def __init__(self, person: Talker) -> None:
        self.person = person
        self.sent: list[tuple[str, dict[str, Any]]] = []

    async def send(self, alert: Any) -> str | None:
        if not self.sent:
            self.person.say("データを削除")
            self.person.press("form:yes")
        self.sent.append((alert.kind, alert.payload))
        return f"{STAFF_CHANNEL}:{alert.id}.5"


async def test_a_person_forgotten_while_their_alert_is_being_sent_gets_the_post_redacted(
    both_settings: Settings, concierge: Concierge
) -> None:
    person = Talker(concierge)
    register(person)
    sender = ForgettingSender(person)
    await AlertWorker(concierge.db, sender).run_once()
    (first_kind, first), *later = sender.sent
    assert first_kind == "lead_new" and NAME in first["name"]  # posted as the person was forgotten
    assert ("redact", {"ref": f"{STAFF_CHANNEL}:1.5", "reason": "request"}) in later
    with concierge.db.transaction() as session:
        assert session.scalars(
            select(OutboxMessage.status).where(OutboxMessage.kind == "lead_new")
        ).one() == ("cancelled")
    assert personal_data_in_tables(concierge.db) == {}
