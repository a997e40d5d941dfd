"""Slack through the real ASGI app and slack-bolt, signed like Slack signs, against a stand-in Web API."""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import select
from starlette.testclient import TestClient

from bot.alert_delivery import AlertWorker
from bot.app import create_app
from bot.channels.slack.alerts import SlackAlertSender
from bot.channels.slack.app import slack_client
from bot.clock import utcnow
from bot.services import Concierge
from bot.settings import Settings
from bot.storage import Database, handoffs, outbox, records, upgrade
from bot.storage.models import Handoff, InboundEvent, Lead, OutboxMessage
from bot.wording import HANDOFF_OVER
from knowledge import KnowledgeBase
from tests.conftest import Talker
from tests.standins.slack_api import SlackStandIn
from tests.test_lead import WEB_ANSWERS, register

# These start a stand-in API server and wait on real HTTP round trips.
pytestmark = pytest.mark.slow

SECRET = "slack-signing-secret"
STAFF, SECOND_STAFF, OUTSIDER, STAFF_CHANNEL = "USTAFF1", "USTAFF2", "UOTHER9", "CSTAFF"


def signed_headers(body: str, age: int = 0, content_type: str = "application/json") -> dict[str, str]:
    timestamp = str(int(time.time()) - age)
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=timestamp, body=body)
    return {
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": signature,
        "content-type": content_type,
    }


def event_body(event: dict[str, Any], event_id: str | None = None) -> str:
    return json.dumps(
        {
            "token": "legacy",
            "team_id": "T1",
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id or "Ev" + uuid.uuid4().hex[:10].upper(),
            "event_time": int(time.time()),
            "event": event,
        }
    )


def dm(text: str, user: str = "UPERSON1") -> dict[str, Any]:
    return {
        "type": "message",
        "channel_type": "im",
        "channel": "D123",
        "user": user,
        "text": text,
        "ts": f"{time.time():.6f}",
    }


def action_body(action_id: str, value: str, user: str, response_url: str) -> tuple[str, dict[str, str]]:
    payload = {
        "type": "block_actions",
        "user": {"id": user},
        "team": {"id": "T1"},
        "api_app_id": "A1",
        "container": {"type": "message", "channel_id": STAFF_CHANNEL, "message_ts": "111.222"},
        "channel": {"id": STAFF_CHANNEL},
        "response_url": response_url,
        "trigger_id": "1.2.3",
        "actions": [
            {"action_id": action_id, "value": value, "type": "button", "block_id": "b1", "action_ts": "1"}
        ],
    }
    body = urlencode({"payload": json.dumps(payload)})
    return body, signed_headers(body, content_type="application/x-www-form-urlencoded")


@pytest.fixture
def slack_api() -> Iterator[SlackStandIn]:
    with SlackStandIn(staff_channel_members=[STAFF]) as standin:
        yield standin


@pytest.fixture
def slack_settings(settings: Settings, slack_api: SlackStandIn) -> Settings:
    return settings.model_copy(
        update={
            "slack_bot_token": "xoxb-test",
            "slack_signing_secret": SECRET,
            "slack_staff_channel": STAFF_CHANNEL,
            "slack_staff_user_ids": f"{STAFF},{SECOND_STAFF}",
            "slack_api_url": slack_api.url,
        }
    )


@pytest.fixture
def app_concierge(slack_settings: Settings, kb: KnowledgeBase) -> Concierge:
    return Concierge.build(slack_settings, kb=kb)


@pytest.fixture
def client(slack_settings: Settings, app_concierge: Concierge) -> Iterator[TestClient]:
    with TestClient(create_app(slack_settings, concierge=app_concierge)) as c:
        yield c


def test_url_verification(client: TestClient) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "kitami-challenge", "token": "x"})
    response = client.post("/slack/events", content=body, headers=signed_headers(body))
    assert response.status_code == 200 and "kitami-challenge" in response.text


def test_a_dm_is_answered_once_even_when_slack_retries(client: TestClient, slack_api: SlackStandIn) -> None:
    body = event_body(dm("雪かき大変？"))
    first = client.post("/slack/events", content=body, headers=signed_headers(body))
    retry = client.post(
        "/slack/events", content=body, headers=signed_headers(body) | {"x-slack-retry-num": "1"}
    )
    assert (first.status_code, retry.status_code) == (200, 200)
    [answer] = slack_api.wait_for("chat.postMessage", 1)
    time.sleep(0.5)
    assert len(slack_api.posted()) == 1
    assert answer.args["channel"] == "D123" and "雪" in answer.args["text"]
    assert "actions" in json.dumps(answer.args["blocks"])  # choices as buttons


def test_a_mention_is_answered_in_a_thread(client: TestClient, slack_api: SlackStandIn) -> None:
    mention = {
        "type": "app_mention",
        "channel": "CPUBLIC",
        "user": "UENG",
        "text": "<@UBOT> 空港から市内まで何分？",
        "ts": "1700000000.000100",
    }
    body = event_body(mention)
    client.post("/slack/events", content=body, headers=signed_headers(body))
    [answer] = slack_api.wait_for("chat.postMessage", 1)
    assert answer.args["thread_ts"] == "1700000000.000100" and "女満別" in answer.args["text"]


@pytest.mark.parametrize("age", [0, 600])
def test_bad_or_old_signatures_are_refused_and_nothing_is_processed(
    client: TestClient, slack_api: SlackStandIn, app_concierge: Concierge, age: int
) -> None:
    body = event_body(dm("こんにちは"))
    headers = signed_headers(body, age=age)
    if age == 0:
        headers["x-slack-signature"] = "v0=" + "0" * 64
    assert client.post("/slack/events", content=body, headers=headers).status_code == 401
    time.sleep(0.3)
    assert slack_api.posted() == []
    with app_concierge.db.transaction() as session:
        assert session.scalars(select(InboundEvent)).all() == []


def test_a_lead_alert_reaches_staff_with_buttons_and_a_claim_updates_it(
    client: TestClient, slack_api: SlackStandIn, app_concierge: Concierge
) -> None:
    register(Talker(app_concierge))
    [alert] = slack_api.wait_for("chat.postMessage", 1)
    assert alert.args["channel"] == STAFF_CHANNEL
    text = json.dumps(alert.args["blocks"], ensure_ascii=False)
    assert "北見 花子" in text and "hanako@example.jp" in text and "担当する" in text
    with app_concierge.db.transaction() as session:
        lead_id = session.scalars(select(Lead.id)).one()

    body, headers = action_body("lead:claim", str(lead_id), STAFF, slack_api.response_url)
    assert client.post("/slack/events", content=body, headers=headers).status_code == 200
    [update] = slack_api.wait_for("chat.update", 1)
    assert f"<@{STAFF}>" in json.dumps(update.args["blocks"], ensure_ascii=False)
    with app_concierge.db.transaction() as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None and (lead.status, lead.claimed_by) == ("claimed", STAFF)

    body, headers = action_body("lead:claim", str(lead_id), SECOND_STAFF, slack_api.response_url)
    client.post("/slack/events", content=body, headers=headers)
    deadline = time.monotonic() + 5
    while not slack_api.responses and time.monotonic() < deadline:
        time.sleep(0.05)
    assert f"<@{STAFF}> さんが担当しています" in slack_api.responses[0]["text"]
    with app_concierge.db.transaction() as session:
        assert session.scalars(select(Lead.claimed_by)).one() == STAFF


def test_someone_who_is_not_staff_is_refused(
    client: TestClient, slack_api: SlackStandIn, app_concierge: Concierge
) -> None:
    register(Talker(app_concierge))
    slack_api.wait_for("chat.postMessage", 1)
    with app_concierge.db.transaction() as session:
        lead_id = session.scalars(select(Lead.id)).one()
    body, headers = action_body("lead:claim", str(lead_id), OUTSIDER, slack_api.response_url)
    client.post("/slack/events", content=body, headers=headers)
    deadline = time.monotonic() + 5
    while not slack_api.responses and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "担当職員だけ" in slack_api.responses[0]["text"]
    assert slack_api.posted("chat.update") == []
    with app_concierge.db.transaction() as session:
        assert session.scalars(select(Lead.status)).one() == "new"


def test_slack_down_at_start_up_delays_alerts_and_loses_none(
    slack_settings: Settings, kb: KnowledgeBase, slack_api: SlackStandIn
) -> None:
    slack_api.down = True
    concierge = Concierge.build(slack_settings, kb=kb)
    with TestClient(create_app(slack_settings, concierge=concierge)) as client:
        assert client.get("/healthz").status_code == 200
        assert "女満別" in client.post("/api/chat", json={"text": "空港から市内まで何分？"}).text
        register(Talker(concierge))
        time.sleep(2.5)
        with concierge.db.transaction() as session:
            [row] = session.scalars(select(OutboxMessage)).all()
            assert row.status == "pending" and row.attempts >= 1
        slack_api.down = False
        with concierge.db.transaction() as session:  # don't wait out the backoff in a test
            session.get(OutboxMessage, row.id).next_attempt_at = row.created_at  # type: ignore[union-attr]
        slack_api.wait_for("chat.postMessage", 1)
        time.sleep(2.5)
    assert len(slack_api.posted()) == 1


@pytest.mark.postgres
@pytest.mark.slow
async def test_two_workers_on_postgres_deliver_each_alert_once(
    postgres_url: str, slack_settings: Settings, slack_api: SlackStandIn
) -> None:
    dbs = [Database(postgres_url), Database(postgres_url)]
    upgrade(dbs[0])
    with dbs[0].transaction() as session:
        for i in range(30):
            outbox.enqueue(
                session,
                "deletion",
                {"lead_id": i},
                session.get_bind() and __import__("bot.clock").clock.utcnow(),
            )
    workers = [
        AlertWorker(db, SlackAlertSender(slack_client(slack_settings), STAFF_CHANNEL, db)) for db in dbs
    ]
    await asyncio.gather(*(w.run_once() for w in workers))
    texts = [c.args["text"] for c in slack_api.posted()]
    assert len(texts) == 30 and len(set(texts)) == 30
    for db in dbs:
        db.dispose()


def test_staff_slash_commands_and_refusal(
    client: TestClient, slack_api: SlackStandIn, app_concierge: Concierge
) -> None:
    register(Talker(app_concierge))

    def command(user: str, text: str) -> None:
        slack_command(client, slack_api, user, text)

    command(STAFF, "leads")
    command(OUTSIDER, "leads")
    command(STAFF, "stats")
    deadline = time.monotonic() + 5
    while len(slack_api.responses) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    answers = [r["text"] for r in slack_api.responses]
    assert any("No.1" in a and "北見 花子" in a for a in answers)
    assert any("担当職員だけ" in a for a in answers)
    assert any("この7日間" in a and "登録 1 件" in a for a in answers)


def staff_thread_reply(client: TestClient, thread_ts: str, text: str, user: str = STAFF) -> None:
    reply = {
        "type": "message",
        "channel": STAFF_CHANNEL,
        "channel_type": "channel",
        "user": user,
        "text": text,
        "ts": f"{time.time():.6f}",
        "thread_ts": thread_ts,
    }
    body = event_body(reply)
    assert client.post("/slack/events", content=body, headers=signed_headers(body)).status_code == 200


def test_a_handoff_is_relayed_both_ways_and_closed_by_staff(
    client: TestClient, slack_api: SlackStandIn, app_concierge: Concierge
) -> None:
    person = Talker(app_concierge)
    person.say("北見の冬の暮らしについて相談したい")
    opened = person.press("contact")
    assert "担当職員にお伝えしました" in opened.response.text
    [alert] = slack_api.wait_for("chat.postMessage", 1)
    assert alert.args["channel"] == STAFF_CHANNEL
    assert "北見の冬の暮らしについて相談したい" in json.dumps(alert.args["blocks"], ensure_ascii=False)

    relayed = person.say("子ども2人で住める家を探しています")
    assert relayed.intent == "handoff" and "お伝えしました" in relayed.response.text
    in_thread = slack_api.wait_for("chat.postMessage", 2)[1]
    assert in_thread.args["thread_ts"] == alert.args["ts"]
    assert "子ども2人で住める家" in in_thread.args["text"]

    thread_ts = in_thread.args["thread_ts"]
    staff_thread_reply(client, thread_ts, "担当の佐藤です。市営住宅の募集をご案内します。")
    deadline = time.monotonic() + 5
    updates: list[dict[str, Any]] = []
    while not updates and time.monotonic() < deadline:
        time.sleep(0.1)
        with app_concierge.db.transaction() as session:
            user = records.find_user(session, "web", person.user)
            assert user is not None
            updates = [{"text": t} for t in handoffs.collect_for_web(session, user, utcnow())]
    assert "市営住宅の募集をご案内します" in updates[0]["text"]

    with app_concierge.db.transaction() as session:
        handoff_id = session.scalars(select(Handoff.id)).one()
    body, headers = action_body("handoff:done", str(handoff_id), STAFF, slack_api.response_url)
    client.post("/slack/events", content=body, headers=headers)
    slack_api.wait_for("chat.update", 1)
    back = person.say("空港から市内まで何分？")
    assert back.intent == "faq" and "女満別" in back.response.text

    # A closed handoff's own thread is told so (and only a handoff's thread: see below).
    staff_thread_reply(client, thread_ts, "まだ見ていますか？")
    notice = slack_api.wait_for("chat.postMessage", 3)[-1]
    assert notice.args["thread_ts"] == thread_ts and notice.args["text"] == HANDOFF_OVER.ja


def test_a_staff_reply_reaches_a_web_page_through_updates(
    client: TestClient, slack_api: SlackStandIn
) -> None:
    client.post("/api/chat", json={"text": "移住の相談をしたいです"})
    client.post("/api/chat", json={"payload": "contact"})
    [alert] = slack_api.wait_for("chat.postMessage", 1)
    # Slack sends & < > in message text as entities; the web page shows them as typed.
    staff_thread_reply(
        client, alert.args["ts"], "こんにちは、担当です。家賃は5万円 &lt; 7万円 &amp; 駐車場込み"
    )
    deadline = time.monotonic() + 5
    messages: list[dict[str, Any]] = []
    while not messages and time.monotonic() < deadline:
        time.sleep(0.1)
        messages = client.post("/api/chat/updates", json={}).json()["messages"]
    assert "こんにちは、担当です。家賃は5万円 < 7万円 & 駐車場込み" in messages[0]["text"]
    assert client.post("/api/chat/updates", json={}).json()["messages"] == []  # delivered once


def test_a_choice_button_in_a_dm_routes_like_a_postback(client: TestClient, slack_api: SlackStandIn) -> None:
    payload = {
        "type": "block_actions",
        "user": {"id": "UPERSON2"},
        "team": {"id": "T1"},
        "api_app_id": "A1",
        "container": {"type": "message", "channel_id": "D999", "message_ts": "1.2"},
        "channel": {"id": "D999"},
        "response_url": slack_api.response_url,
        "trigger_id": "1.2.3",
        "actions": [
            {
                "action_id": "choice:0",
                "value": "menu",
                "type": "button",
                "block_id": "b",
                "action_ts": "1",
                "text": {"type": "plain_text", "text": "メニュー"},
            }
        ],
    }
    body = urlencode({"payload": json.dumps(payload)})
    client.post(
        "/slack/events",
        content=body,
        headers=signed_headers(body, content_type="application/x-www-form-urlencoded"),
    )
    [answer] = slack_api.wait_for("chat.postMessage", 1)
    assert answer.args["channel"] == "D999" and "選ぶか" in answer.args["text"]


INJECTION = "<!channel> <https://evil.example/login|北見市職員ポータル>"


def slack_command(client: TestClient, slack_api: SlackStandIn, user: str, text: str) -> None:
    body = urlencode(
        {
            "command": "/concierge",
            "text": text,
            "user_id": user,
            "channel_id": STAFF_CHANNEL,
            "team_id": "T1",
            "response_url": slack_api.response_url,
            "trigger_id": "1.2",
        }
    )
    client.post(
        "/slack/events",
        content=body,
        headers=signed_headers(body, content_type="application/x-www-form-urlencoded"),
    )


def test_what_people_type_reaches_slack_escaped(client: TestClient, slack_api: SlackStandIn) -> None:
    """A name or message with Slack markup must not ping the channel or show a disguised link."""
    client.post("/api/chat", json={"text": "移住に興味がある"})
    for kind, value in WEB_ANSWERS:
        value = INJECTION if value == "北見 花子" else value
        client.post("/api/chat", json={kind: value})
    assert "ありがとうございます" in client.post("/api/chat", json={"payload": "form:confirm"}).text
    client.post("/api/chat", json={"payload": "contact"})
    client.post("/api/chat", json={"text": f"{INJECTION} & <@U0ADMIN>"})
    posted = slack_api.wait_for("chat.postMessage", 3)
    assert len(posted) == 3  # the lead alert, the handoff alert, the message in its thread
    slack_command(client, slack_api, STAFF, "leads")
    deadline = time.monotonic() + 5
    while not slack_api.responses and time.monotonic() < deadline:
        time.sleep(0.05)
    sent = [json.dumps(call.args, ensure_ascii=False) for call in posted]
    sent += [json.dumps(r, ensure_ascii=False) for r in slack_api.responses]
    assert len(sent) == 4
    for text in sent:
        assert "<!channel>" not in text and "<https://evil" not in text and "<@U0ADMIN>" not in text
    lead_alert, handoff_alert, in_thread, leads_list = sent
    for text in (lead_alert, in_thread, leads_list):
        assert "&lt;!channel&gt; &lt;https://evil.example/login|北見市職員ポータル&gt;" in text, text
    assert "北見市職員ポータル" not in handoff_alert  # a name typed in the form is not forwarded at all
    assert "&amp; &lt;@U0ADMIN&gt;" in in_thread


def block_actions(
    action: dict[str, Any], user: str, channel: str, response_url: str, thread_ts: str | None = None
) -> tuple[str, dict[str, str]]:
    """A block_actions request as Slack sends it for a button in a bot's message (in a thread or not)."""
    message_ts = f"{time.time():.6f}"
    container = {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": False}
    message: dict[str, Any] = {
        "type": "message",
        "user": "UBOT",
        "bot_id": "BBOT",
        "ts": message_ts,
        "text": "answer",
        "blocks": [{"type": "actions", "block_id": action["block_id"], "elements": []}],
    }
    if thread_ts:
        container["thread_ts"] = message["thread_ts"] = thread_ts
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": "someone", "name": "someone", "team_id": "T1"},
        "api_app_id": "A1",
        "token": "legacy",
        "container": container,
        "trigger_id": f"{uuid.uuid4().int % 10**12}.1.{uuid.uuid4().hex}",
        "team": {"id": "T1", "domain": "kitami"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel, "name": "directmessage"},
        "message": message,
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [action | {"action_ts": f"{time.time():.6f}"}],
    }
    body = urlencode({"payload": json.dumps(payload)})
    return body, signed_headers(body, content_type="application/x-www-form-urlencoded")


def test_a_link_button_click_is_acknowledged(client: TestClient, slack_api: SlackStandIn) -> None:
    """A link button without an action_id still sends block_actions (Slack makes one up)."""
    link = {
        "action_id": "Wq3c+",
        "block_id": "dP8=",
        "text": {"type": "plain_text", "text": "北見市の紹介", "emoji": True},
        "type": "button",
        "url": "https://www.city.kitami.lg.jp/",
    }
    body, headers = block_actions(link, "UPERSON3", "D777", slack_api.response_url)
    assert client.post("/slack/events", content=body, headers=headers).status_code == 200
    time.sleep(0.3)
    assert slack_api.posted() == []


def test_a_button_under_a_threaded_answer_is_answered_in_that_thread(
    client: TestClient, slack_api: SlackStandIn
) -> None:
    menu = {
        "action_id": "choice:0",
        "block_id": "b7Q",
        "text": {"type": "plain_text", "text": "メニュー", "emoji": True},
        "value": "menu",
        "type": "button",
    }
    body, headers = block_actions(menu, "UPERSON4", "CPUBLIC", slack_api.response_url, "1700000000.000100")
    assert client.post("/slack/events", content=body, headers=headers).status_code == 200
    [answer] = slack_api.wait_for("chat.postMessage", 1)
    assert answer.args["channel"] == "CPUBLIC" and answer.args["thread_ts"] == "1700000000.000100"


def test_a_question_in_a_dm_thread_is_answered_in_that_thread(
    client: TestClient, slack_api: SlackStandIn
) -> None:
    question = dm("空港から市内まで何分？") | {"thread_ts": "1700000000.000200"}
    body = event_body(question)
    client.post("/slack/events", content=body, headers=signed_headers(body))
    [answer] = slack_api.wait_for("chat.postMessage", 1)
    assert answer.args["thread_ts"] == "1700000000.000200" and "女満別" in answer.args["text"]


def test_staff_talk_under_a_lead_alert_gets_no_handoff_notice(
    client: TestClient, slack_api: SlackStandIn, app_concierge: Concierge
) -> None:
    register(Talker(app_concierge))
    [alert] = slack_api.wait_for("chat.postMessage", 1)
    staff_thread_reply(client, alert.args["ts"], "この方は私が連絡します")
    time.sleep(0.5)
    assert len(slack_api.posted()) == 1  # the alert only: nothing said in its thread


def test_messages_from_bots_are_ignored(client: TestClient, slack_api: SlackStandIn) -> None:
    """Another bot's mention (bot_id, bot_profile) or bot_message in a DM: answering could loop."""
    mention = {
        "type": "app_mention",
        "channel": "CPUBLIC",
        "user": "UOTHERBOT",
        "bot_id": "B0OTHER",
        "bot_profile": {"id": "B0OTHER", "app_id": "A0OTHER", "name": "other", "team_id": "T1"},
        "text": "<@UBOT> 空港から市内まで何分？",
        "ts": f"{time.time():.6f}",
    }
    bot_dm = dm("空港から市内まで何分？") | {"subtype": "bot_message", "bot_id": "B0OTHER"}
    for event in (mention, bot_dm):
        body = event_body(event)
        assert client.post("/slack/events", content=body, headers=signed_headers(body)).status_code == 200
    time.sleep(0.5)
    assert slack_api.posted() == []


def test_a_replayed_staff_click_is_processed_once(
    client: TestClient, slack_api: SlackStandIn, app_concierge: Concierge
) -> None:
    person = Talker(app_concierge)
    person.say("北見の冬の暮らしについて相談したい")
    person.press("contact")
    slack_api.wait_for("chat.postMessage", 1)
    with app_concierge.db.transaction() as session:
        handoff_id = session.scalars(select(Handoff.id)).one()
    claim = {
        "action_id": "handoff:claim",
        "block_id": "h1",
        "text": {"type": "plain_text", "text": "担当する", "emoji": True},
        "value": str(handoff_id),
        "type": "button",
    }
    body, headers = block_actions(claim, STAFF, STAFF_CHANNEL, slack_api.response_url)
    for _ in range(2):  # the same signed request, sent again within Slack's five minutes
        assert client.post("/slack/events", content=body, headers=headers).status_code == 200
    slack_api.wait_for("chat.update", 1)
    time.sleep(0.5)
    assert len(slack_api.posted("chat.update")) == 1
    with app_concierge.db.transaction() as session:
        user = records.find_user(session, "web", person.user)
        assert user is not None
        told = handoffs.collect_for_web(session, user, utcnow())
    assert len(told) == 1  # 「担当者が対応します」 once


@pytest.mark.parametrize("timestamp", ["abc", "", "1e9", "-1"])
def test_a_malformed_timestamp_is_refused_with_401(client: TestClient, timestamp: str) -> None:
    body = event_body(dm("こんにちは"))
    headers = signed_headers(body) | {"x-slack-request-timestamp": timestamp}
    assert client.post("/slack/events", content=body, headers=headers).status_code == 401


def test_a_refused_request_is_logged_in_one_line_without_its_body(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    body = event_body(dm("北見 花子です。電話は090-1234-5678\nINFO forged line"))
    headers = signed_headers(body, age=600)  # stale: a replay, or a delayed retry
    caplog.set_level(logging.DEBUG, logger="slack_bolt")
    caplog.set_level(logging.INFO)
    assert client.post("/slack/events", content=body, headers=headers).status_code == 401
    logged = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
    assert "Slack request refused" in logged
    assert "090-1234-5678" not in logged and "北見 花子" not in logged and "forged" not in logged
