"""The console and Slack in step: a status changed on the web updates the lead's alert at the
Slack stand-in, and a handoff answered on the web reaches the person and the Slack thread."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from bot.app import create_app
from bot.clock import utcnow
from bot.services import Concierge
from bot.settings import Settings
from bot.storage import handoffs, records
from bot.storage.models import Handoff, Lead
from desk import accounts
from knowledge import KnowledgeBase
from tests.conftest import Talker
from tests.standins.slack_api import SlackStandIn
from tests.test_console import account, csrf_of, sign_in
from tests.test_lead import register
from tests.test_slack import SECRET, slack_command

pytestmark = pytest.mark.slow  # a stand-in Slack server and real HTTP round trips

STAFF, STAFF_CHANNEL = "USTAFF1", "CSTAFF"


@pytest.fixture
def slack_api() -> Iterator[SlackStandIn]:
    with SlackStandIn(staff_channel_members=[STAFF]) as standin:
        yield standin


@pytest.fixture
def app_concierge(settings: Settings, slack_api: SlackStandIn, kb: KnowledgeBase) -> Iterator[Concierge]:
    slack_settings = settings.model_copy(
        update={
            "slack_bot_token": "xoxb-test",
            "slack_signing_secret": SECRET,
            "slack_staff_channel": STAFF_CHANNEL,
            "slack_staff_user_ids": STAFF,
            "slack_api_url": slack_api.url,
        }
    )
    concierge = Concierge.build(slack_settings, kb=kb)
    concierge.migrate_if_embedded()
    yield concierge
    concierge.close()


@pytest.fixture
def client(app_concierge: Concierge) -> Iterator[TestClient]:
    app = create_app(app_concierge.settings, concierge=app_concierge)
    with TestClient(app, base_url="https://testserver") as c:  # runs the in-process alert worker
        yield c


def wait_until(check: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def test_a_status_changed_on_the_web_updates_the_slack_alert(
    client: TestClient, slack_api: SlackStandIn, app_concierge: Concierge
) -> None:
    register(Talker(app_concierge))
    [alert] = slack_api.wait_for("chat.postMessage", 1)
    ref = f"{alert.args['channel']}:{alert.args['ts']}"
    assert "未対応" in slack_api.current(ref) and "担当する" in slack_api.current(ref)
    with app_concierge.db.transaction() as session:
        lead_id = session.scalars(select(Lead.id)).one()

    account(app_concierge, "sato", accounts.Role.EDITOR)
    sign_in(client, "sato")
    page = client.get(f"/staff/leads/{lead_id}")
    client.post(f"/staff/leads/{lead_id}/status", data={"csrf": csrf_of(page.text), "action": "done"})
    wait_until(lambda: "sato(管理画面)" in slack_api.current(ref))
    now_reads = slack_api.current(ref)
    assert "状態: 対応完了" in now_reads and "北見 花子" in now_reads
    assert "担当する" not in now_reads  # a closed lead's alert has no buttons left


def test_a_handoff_answered_on_the_web_reaches_the_person_and_the_thread(
    client: TestClient, slack_api: SlackStandIn, app_concierge: Concierge
) -> None:
    person = Talker(app_concierge)
    person.say("北見の冬の暮らしについて相談したい")
    person.press("contact")
    [alert] = slack_api.wait_for("chat.postMessage", 1)
    with app_concierge.db.transaction() as session:
        handoff_id = session.scalars(select(Handoff.id)).one()

    account(app_concierge, "sato", accounts.Role.EDITOR)
    sign_in(client, "sato")
    listing = client.get("/staff/handoffs")
    assert f"相談No.{handoff_id}" in listing.text
    page = client.get(f"/staff/handoffs/{handoff_id}")
    assert "北見の冬の暮らしについて相談したい" in page.text
    done = client.post(
        f"/staff/handoffs/{handoff_id}/answer",
        data={"csrf": csrf_of(page.text), "text": "担当の佐藤です。<冬タイヤ>の情報をお送りします。"},
    )
    assert "返信を送りました" in done.text
    with app_concierge.db.transaction() as session:
        user = records.find_user(session, "web", person.user)
        assert user is not None
        told = handoffs.collect_for_web(session, user, utcnow())
    assert told == ["市の担当職員からの返信です:\n担当の佐藤です。<冬タイヤ>の情報をお送りします。"]
    in_thread = slack_api.wait_for("chat.postMessage", 2)[1]
    assert in_thread.args["thread_ts"] == alert.args["ts"]
    assert "sato さんが返信" in in_thread.args["text"] and "&lt;冬タイヤ&gt;" in in_thread.args["text"]


def test_a_note_from_slack_shows_in_the_console_and_in_slack(
    client: TestClient, slack_api: SlackStandIn, app_concierge: Concierge
) -> None:
    register(Talker(app_concierge))
    for n, command in enumerate(["note 1 電話で説明済み <!channel>", "lead 1", "note 999 だれ？"], start=1):
        slack_command(client, slack_api, STAFF, command)
        wait_until(lambda n=n: len(slack_api.responses) >= n)  # one after the other
    noted, shown, missing = (r["text"] for r in slack_api.responses)
    assert noted == "No.1 にメモを残しました。" and missing == "見つかりません。"
    assert "電話で説明済み &lt;!channel&gt;" in shown and f"<@{STAFF}>" in shown
    account(app_concierge, "sato", accounts.Role.VIEWER)
    sign_in(client, "sato")
    page = client.get("/staff/leads/1")
    assert "電話で説明済み &lt;!channel&gt;" in page.text and f"Slack {STAFF}" in page.text
