"""LINE through the real ASGI app and the real line-bot-sdk, against a local stand-in LINE API."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from bot.app import create_app
from bot.channels.line import render as line_render
from bot.channels.line.answering import LineAnswering
from bot.channels.line.delivery import RetryPolicy, environment_proxy
from bot.channels.line.render import MAX_MESSAGES, MAX_TEXT, line_messages, render
from bot.channels.line.richmenu import find_japanese_font
from bot.clock import utcnow
from bot.messages import Reply, Response
from bot.services import Concierge
from bot.settings import Settings
from bot.storage import inbox, upgrade
from bot.storage.models import InboundEvent, MessageLog, User
from knowledge import KnowledgeBase
from tests.conftest import IN_CI
from tests.standins.line_api import LineStandIn, Scripted
from tests.standins.line_events import signature, signed_webhook, text_event

# These start a stand-in API server and wait on real HTTP round trips.
pytestmark = pytest.mark.slow

SECRET = "line-test-secret"
REPLY, PUSH = "/v2/bot/message/reply", "/v2/bot/message/push"
FAST = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05, timeout=0.5)


def _without(event: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in event.items() if k not in keys}


def event(kind: str = "text", user: str | None = None, **extra: Any) -> dict[str, Any]:
    """A webhook event with every field LINE sends: a text message, or another kind built on it."""
    base = text_event("こんにちは", user)
    if kind == "sticker":
        base["message"] = {
            "type": "sticker",
            "id": "4686",
            "quoteToken": "q1",
            "packageId": "446",
            "stickerId": "1988",
            "stickerResourceType": "STATIC",
        }
    elif kind in ("image", "video", "audio", "file", "location"):
        base["message"] = (
            {"type": kind, "id": "4687", "quoteToken": "q2"}
            | ({"latitude": 43.8, "longitude": 143.9, "address": "北見市"} if kind == "location" else {})
            | ({"fileName": "a.pdf", "fileSize": 10} if kind == "file" else {})
            | ({"contentProvider": {"type": "line"}, "duration": 1000} if kind in ("video", "audio") else {})
            | ({"contentProvider": {"type": "line"}} if kind == "image" else {})
        )
    elif kind == "postback":
        base = _without(base, "message") | {"type": "postback", "postback": {"data": "menu"}}
    elif kind == "follow":
        base = _without(base, "message") | {"type": "follow", "follow": {"isUnblocked": False}}
    elif kind == "unfollow":
        base = _without(base, "message", "replyToken") | {"type": "unfollow"}
    elif kind == "join":
        base = _without(base, "message")
        base |= {"type": "join", "source": {"type": "group", "groupId": "C" + uuid.uuid4().hex}}
    for key, value in extra.items():
        if key == "text":
            base["message"]["text"] = value
        else:
            base[key] = value
    return base


def post(client: TestClient, events: list[dict[str, Any]], secret: str = SECRET) -> Any:
    body, signature = signed_webhook(secret, events)
    return client.post(
        "/line/webhook",
        content=body,
        headers={"x-line-signature": signature, "content-type": "application/json"},
    )


@pytest.fixture
def line_api() -> Iterator[LineStandIn]:
    with LineStandIn() as standin:
        yield standin


@pytest.fixture
def line_settings(settings: Settings, line_api: LineStandIn) -> Settings:
    return settings.model_copy(
        update={
            "line_channel_secret": SECRET,
            "line_channel_access_token": "test-token",
            "line_api_base_url": line_api.url,
        }
    )


def client_for(settings: Settings, kb: KnowledgeBase) -> TestClient:
    return TestClient(
        create_app(settings, concierge=Concierge.build(settings, kb=kb), line_retry_policy=FAST)
    )


@pytest.fixture
def client(line_settings: Settings, kb: KnowledgeBase) -> Iterator[TestClient]:
    with client_for(line_settings, kb) as c:
        yield c


def texts(call: Any) -> str:
    # A knowledge answer is a Flex bubble: its alt text is the plain question and answer.
    return "\n".join(m.get("text") or m.get("altText", "") for m in call.body["messages"])


def inbound_rows(client: TestClient) -> list[InboundEvent]:
    with client.app.state.concierge.db.transaction() as session:  # type: ignore[attr-defined]
        return list(session.scalars(select(InboundEvent)))


def statuses_once_settled(client: TestClient, timeout: float = 5.0) -> set[str]:
    """The events' statuses once none is still being answered (marking done follows the delivery)."""
    deadline = time.monotonic() + timeout
    while (statuses := {row.status for row in inbound_rows(client)}) & {"pending", "answered"}:
        if time.monotonic() > deadline:
            break
        time.sleep(0.02)
    return statuses


def test_a_question_is_answered_with_one_reply_and_quick_replies(
    client: TestClient, line_api: LineStandIn
) -> None:
    response = post(client, [event(text="空港から市内まで何分？")])
    assert response.status_code == 200
    [call] = line_api.wait_for(1)
    assert call.path == REPLY and call.headers["authorization"] == "Bearer test-token"
    assert "女満別" in texts(call)
    assert len(call.body["messages"]) <= MAX_MESSAGES
    items = call.body["messages"][-1]["quickReply"]["items"]
    assert 1 <= len(items) <= 13 and all(len(i["action"]["label"]) <= 20 for i in items)
    assert statuses_once_settled(client) == {"done"}


@pytest.mark.parametrize("signature", [None, "bm90IGEgc2lnbmF0dXJl", ""])
def test_missing_or_wrong_signature_is_refused_and_nothing_happens(
    client: TestClient, line_api: LineStandIn, signature: str | None
) -> None:
    body = json.dumps({"destination": "U0", "events": [event()]})
    headers = {"content-type": "application/json"} | (
        {"x-line-signature": signature} if signature is not None else {}
    )
    assert client.post("/line/webhook", content=body, headers=headers).status_code == 400
    time.sleep(0.2)
    assert line_api.calls == [] and inbound_rows(client) == []


def test_a_signed_but_malformed_body_is_refused(client: TestClient) -> None:
    body = b'{"events": "nope"'
    response = client.post(
        "/line/webhook", content=body, headers={"x-line-signature": signature(SECRET, body)}
    )
    assert response.status_code == 400


def test_the_verify_button_empty_events_gets_200(client: TestClient) -> None:
    assert post(client, []).status_code == 200


def test_concurrent_duplicate_delivery_answers_once(
    line_settings: Settings, kb: KnowledgeBase, line_api: LineStandIn
) -> None:
    """The same event posted at once to two app instances (two workers) on one database."""
    duplicate = event(text="雪かき大変？")
    with client_for(line_settings, kb) as first, client_for(line_settings, kb) as second:
        with ThreadPoolExecutor(6) as pool:
            codes = list(pool.map(lambda c: post(c, [duplicate]).status_code, [first, second] * 3))
        assert codes == [200] * 6
        line_api.wait_for(1)
        time.sleep(0.5)
    assert len(line_api.sent()) == 1


def test_a_redelivered_event_is_pushed_with_a_retry_key(client: TestClient, line_api: LineStandIn) -> None:
    user = "U" + uuid.uuid4().hex
    post(client, [event(user=user, text="雪かき大変？", deliveryContext={"isRedelivery": True})])
    [call] = line_api.wait_for(1)
    assert call.path == PUSH and call.body["to"] == user
    uuid.UUID(call.headers["x-line-retry-key"])


def test_an_expired_reply_token_falls_back_to_push(client: TestClient, line_api: LineStandIn) -> None:
    line_api.then(REPLY, Scripted(400, body={"message": "Invalid reply token"}))
    post(client, [event(text="雪かき大変？")])
    [call] = line_api.wait_for(1)
    assert call.path == PUSH and "雪" in texts(call)


def test_429_is_retried_after_retry_after(client: TestClient, line_api: LineStandIn) -> None:
    line_api.then(REPLY, Scripted(429, headers={"Retry-After": "0"}))
    post(client, [event(text="雪かき大変？")])
    [call] = line_api.wait_for(1)
    assert call.path == REPLY
    assert [c.headers["x-standin-status"] for c in line_api.calls] == ["429", "200"]


def test_a_timeout_is_bounded_and_the_answer_still_arrives_once(
    client: TestClient, line_api: LineStandIn
) -> None:
    line_api.then(REPLY, Scripted(503, hang=1.5))  # longer than the 0.5 s timeout
    line_api.then(PUSH, Scripted(500))
    post(client, [event(text="雪かき大変？")])
    sent = line_api.wait_for(1, timeout=10)
    assert [c.path for c in sent] == [PUSH]
    pushes = [c for c in line_api.calls if c.path == PUSH]
    assert len({c.headers["x-line-retry-key"] for c in pushes}) == 1  # the same key on every retry


def test_a_bursts_replies_wait_on_a_distant_line_side_by_side(
    line_settings: Settings, kb: KnowledgeBase, line_api: LineStandIn
) -> None:
    """LINE 0.3 s away: forty people's replies are in flight together, not ten at a time (the
    SDK's pool on two cores), so the last of them isn't held back while its reply token ages."""
    line_api.latency = 0.3
    patient = RetryPolicy(attempts=1, timeout=10)  # no retries: each reply is one call
    app = create_app(
        line_settings, concierge=Concierge.build(line_settings, kb=kb), line_retry_policy=patient
    )
    with TestClient(app) as client:
        assert post(client, [event(text="雪かき大変？") for _ in range(40)]).status_code == 200
        sent = line_api.wait_for(40, timeout=30)
    assert len(sent) == 40 and {c.path for c in sent} == {REPLY}
    assert line_api.most_in_flight > 20


def test_a_reply_about_the_person_is_not_kept_after_it_is_built() -> None:
    # Knowledge answers are built once and reused for the next person; a form's confirmation,
    # which repeats a name and a contact, must not stay behind in that cache.
    personal = Response([Reply("この内容で登録します。\n・お名前: 北見 花子\n・連絡先: hanako@example.jp")])
    knowledge = Response([Reply("女満別空港から市内まで、連絡バスで約40分です。")], impersonal=True)
    kept = line_render._kept_messages.cache_info().currsize
    assert line_messages(personal)[0]["text"].endswith("hanako@example.jp")
    assert line_messages(personal) is not line_messages(personal)
    assert line_render._kept_messages.cache_info().currsize == kept
    assert line_messages(knowledge) is line_messages(knowledge)
    assert line_render._kept_messages.cache_info().currsize == kept + 1


def test_lines_calls_use_the_proxy_the_environment_names(monkeypatch: pytest.MonkeyPatch) -> None:
    # A city network often reaches the internet through a proxy; the stand-in on this machine must not.
    monkeypatch.setenv("HTTPS_PROXY", "http://kitami%40city:p%40ss@proxy.example.jp:8080")
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    proxy, headers = environment_proxy("https://api.line.me")
    assert proxy == "http://proxy.example.jp:8080"
    assert headers == {"Proxy-Authorization": "Basic " + base64.b64encode(b"kitami@city:p@ss").decode()}
    assert environment_proxy("http://127.0.0.1:8123") == (None, None)
    monkeypatch.delenv("HTTPS_PROXY")
    assert environment_proxy("https://api.line.me") == (None, None)


def test_a_long_answer_is_split_under_lines_limits() -> None:
    long = Response([Reply("あ" * 12_000), *[Reply(f"{i}") for i in range(8)]])
    messages = render(long)
    assert len(messages) <= MAX_MESSAGES
    assert all(len(m.text) <= MAX_TEXT for m in messages if hasattr(m, "text"))
    assert "".join(m.text for m in messages[:3]) == "あ" * 12_000  # type: ignore[attr-defined]


def test_follow_gets_the_welcome_and_unblocking_a_welcome_back(
    client: TestClient, line_api: LineStandIn
) -> None:
    post(client, [event("follow")])
    [call] = line_api.wait_for(1)
    assert "北見市" in texts(call) and "個人情報" in texts(call)
    assert call.body["messages"][-1]["quickReply"]["items"]
    post(client, [event("follow", follow={"isUnblocked": True})])
    assert "おかえりなさい" in texts(line_api.wait_for(2)[1])


def test_unfollow_marks_the_user_unreachable_and_sends_nothing(
    client: TestClient, line_api: LineStandIn
) -> None:
    user = "U" + uuid.uuid4().hex
    post(client, [event(user=user, text="こんにちは")])
    line_api.wait_for(1)
    post(client, [event("unfollow", user=user)])
    time.sleep(0.5)
    assert len(line_api.calls) == 1
    with client.app.state.concierge.db.transaction() as session:  # type: ignore[attr-defined]
        assert session.scalars(select(User.reachable).where(User.channel_user_id == user)).one() is False
    post(client, [event("follow", user=user, follow={"isUnblocked": True})])  # unblocked: notices reach them
    line_api.wait_for(2)
    with client.app.state.concierge.db.transaction() as session:  # type: ignore[attr-defined]
        assert session.scalars(select(User.reachable).where(User.channel_user_id == user)).one() is True


def test_stickers_get_a_polite_text_and_postbacks_route(client: TestClient, line_api: LineStandIn) -> None:
    post(client, [event("sticker")])
    assert "文字でご質問" in texts(line_api.wait_for(1)[0])
    post(client, [event("postback")])
    assert "選ぶか" in texts(line_api.wait_for(2)[1])


def test_groups_are_told_it_works_one_to_one_and_nothing_is_stored(
    client: TestClient, line_api: LineStandIn
) -> None:
    post(client, [event("join")])
    assert "1対1" in texts(line_api.wait_for(1)[0])
    with client.app.state.concierge.db.transaction() as session:  # type: ignore[attr-defined]
        assert session.scalars(select(User)).all() == []


@pytest.fixture
def line_concierge(line_settings: Settings, kb: KnowledgeBase) -> Concierge:
    """The parts of a server that has not started yet (or has crashed), on the test's database."""
    concierge = Concierge.build(line_settings, kb=kb)
    concierge.migrate_if_embedded()
    return concierge


def test_an_event_acknowledged_before_a_crash_is_answered_after_restart(
    line_settings: Settings, line_concierge: Concierge, line_api: LineStandIn
) -> None:
    concierge = line_concierge
    lost = event(text="雪かき大変？")
    with concierge.db.transaction() as session:
        inbox.accept(
            session.connection(),
            "line",
            lost["webhookEventId"],
            json.dumps(lost),
            utcnow() - timedelta(minutes=5),
        )
    with TestClient(create_app(line_settings, concierge=concierge, line_retry_policy=FAST)):
        [call] = line_api.wait_for(1)
    assert call.path == PUSH  # the reply token had expired


def test_a_reply_decided_before_a_crash_is_delivered_once_without_a_second_turn(
    line_settings: Settings, line_concierge: Concierge, line_api: LineStandIn
) -> None:
    concierge = line_concierge
    question = event(text="空港から市内まで何分？")
    # The first process accepted the event, ran the turn and stored its reply, then died before sending.
    first = LineAnswering(line_settings, concierge.db, concierge.dispatcher)
    (row_id,) = first.accept([question])
    decided = first.answer(row_id)
    assert decided is not None and decided.reply
    assert first.answer(row_id) is None  # while that attempt may still be alive, nobody else takes it
    five_minutes_ago = utcnow() - timedelta(minutes=5)
    with concierge.db.transaction() as session:
        row = session.get(InboundEvent, row_id)
        assert row is not None and row.status == "answered"
        row.processed_at = row.received_at = five_minutes_ago

    with TestClient(create_app(line_settings, concierge=concierge, line_retry_policy=FAST)):
        [call] = line_api.wait_for(1)
        time.sleep(0.3)  # room for a second, wrong delivery
    assert call.path == PUSH and "女満別" in texts(call)
    assert len(line_api.sent()) == 1
    with concierge.db.transaction() as session:
        said = session.scalars(select(MessageLog).where(MessageLog.direction == "in")).all()
        assert [m.text for m in said] == ["空港から市内まで何分？"]  # the turn ran once
        assert session.get(InboundEvent, row_id).status == "done"  # type: ignore[union-attr]


def test_a_reply_stored_by_the_previous_release_is_still_delivered_once(
    line_settings: Settings, line_concierge: Concierge, line_api: LineStandIn
) -> None:
    # The previous release stored a decided reply as a channel-neutral Response; one decided just
    # before the deploy and not yet sent must still reach the person, once, without a second turn.
    concierge = line_concierge
    question = event(text="空港から市内まで何分？")
    stored = {
        "replies": [{"text": "女満別空港から市内まで、連絡バスで約40分です。", "links": [], "image": None}],
        "choices": [{"label": "メニュー", "payload": "menu"}],
        "impersonal": True,
    }
    five_minutes_ago = utcnow() - timedelta(minutes=5)
    with concierge.db.transaction() as session:
        row_id = inbox.accept(
            session.connection(), "line", question["webhookEventId"], json.dumps(question), five_minutes_ago
        )
        assert row_id is not None
        row = session.get(InboundEvent, row_id)
        assert row is not None
        row.status, row.processed_at = "answered", five_minutes_ago
        row.reply = json.dumps(stored, ensure_ascii=False)

    with TestClient(create_app(line_settings, concierge=concierge, line_retry_policy=FAST)):
        [call] = line_api.wait_for(1)
        time.sleep(0.3)  # room for a second, wrong delivery
    assert call.path == PUSH and "女満別" in texts(call)
    assert call.body["messages"][-1]["quickReply"]["items"][0]["action"]["data"] == "menu"
    assert len(line_api.sent()) == 1
    with concierge.db.transaction() as session:
        assert session.scalars(select(MessageLog)).all() == []  # no turn ran
        assert session.get(InboundEvent, row_id).status == "done"  # type: ignore[union-attr]


async def test_with_answers_in_a_worker_the_web_process_only_acknowledges(
    line_settings: Settings, kb: KnowledgeBase, line_api: LineStandIn, database_url: str
) -> None:
    settings = line_settings.model_copy(update={"line_answer_in_worker": True, "database_url": database_url})
    concierge = Concierge.build(settings, kb=kb)
    upgrade(concierge.db)  # the release step; PostgreSQL is the database this mode is meant for
    events = [event(text="雪かき大変？"), event(text="空港から市内まで何分？")]
    with TestClient(create_app(settings, concierge=concierge, line_retry_policy=FAST)) as web:
        assert post(web, events).json() == {"accepted": 2}
        assert post(web, events).json() == {"accepted": 0}  # LINE's redelivery
        time.sleep(0.3)
        assert line_api.sent() == []  # acknowledged, not answered, by the web process

    worker = LineAnswering(settings, concierge.db, concierge.dispatcher, FAST)
    running = asyncio.create_task(worker.run_forever())
    for _ in range(200):
        if len(line_api.sent()) >= 2:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)  # room for a wrong second answer
    running.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await running
    sent = line_api.sent()
    assert sorted(call.body["replyToken"] for call in sent) == sorted(e["replyToken"] for e in events)
    assert any("女満別" in texts(call) for call in sent)


def test_a_turn_that_fails_in_a_batch_costs_the_others_nothing(
    line_settings: Settings, kb: KnowledgeBase, line_api: LineStandIn, database_url: str
) -> None:
    # Turns are decided several to a transaction; one that fails (here a row whose body is not
    # JSON, as a bug would leave it) must not take the others' answers down with it.
    settings = line_settings.model_copy(update={"database_url": database_url})
    concierge = Concierge.build(settings, kb=kb)
    upgrade(concierge.db)
    channel = LineAnswering(settings, concierge.db, concierge.dispatcher, FAST)
    (before,) = channel.accept([event(text="雪かき大変？")])
    with concierge.db.statements() as connection:
        poison = inbox.accept(connection, "line", "01POISON" + uuid.uuid4().hex[:18], "{not json", utcnow())
    (after,) = channel.accept([event(text="空港から市内まで何分？")])

    first, failed, last = channel.answer_many([before, poison, after])
    assert failed is None
    assert first is not None and "雪" in first.reply and last is not None and "女満別" in last.reply
    with concierge.db.transaction() as session:
        statuses = {row.id: row.status for row in session.scalars(select(InboundEvent))}
        said = session.scalars(select(MessageLog.text).where(MessageLog.direction == "in")).all()
    assert statuses == {before: "answered", poison: "pending", after: "answered"}  # the sweep retries it
    assert sorted(said) == sorted(["雪かき大変？", "空港から市内まで何分？"])  # each turn counted once
    concierge.close()


def test_an_event_twice_in_one_batch_is_answered_once(
    line_settings: Settings, line_concierge: Concierge, line_api: LineStandIn
) -> None:
    concierge = line_concierge
    channel = LineAnswering(line_settings, concierge.db, concierge.dispatcher, FAST)
    (row,) = channel.accept([event(text="雪かき大変？")])
    first, again = channel.answer_many([row, row])
    assert first is not None and "雪" in first.reply and again is None
    with concierge.db.transaction() as session:
        assert session.scalars(select(MessageLog.text).where(MessageLog.direction == "in")).all() == [
            "雪かき大変？"
        ]
    concierge.close()


def test_line_off_answers_503(settings: Settings, kb: KnowledgeBase) -> None:
    with TestClient(create_app(settings, concierge=Concierge.build(settings, kb=kb))) as c:
        response = post(c, [event()])
        assert response.status_code == 503 and "LINE_CHANNEL_SECRET" in response.json()["error"]
        assert c.get("/healthz").status_code == 200


def test_the_rich_menu_command_installs_once(line_api: LineStandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    if find_japanese_font() is None:  # a system package pip can't bring; CI installs it (.ci/run)
        reason = "no Japanese font for the rich-menu image: apt-get install fonts-noto-cjk"
        if IN_CI:
            pytest.fail(f"CI must run the rich-menu test: {reason}")
        pytest.skip(reason)

    from bot.cli import app

    monkeypatch.setenv("LINE_CHANNEL_ACCESS_TOKEN", "test-token")
    monkeypatch.setenv("LINE_API_BASE_URL", line_api.url)
    first = CliRunner().invoke(app, ["line", "richmenu"])
    second = CliRunner().invoke(app, ["line", "richmenu"])
    assert first.exit_code == 0 and "created" in first.output, first.output
    assert second.exit_code == 0 and "already installed" in second.output
    [(menu_id, menu)] = line_api.rich_menus.items()
    assert line_api.default_rich_menu == menu_id
    assert [a["action"]["data"] for a in menu["areas"]] == ["menu", "lead", "referral", "contact"]
    assert line_api.rich_menu_images[menu_id].startswith(b"\x89PNG")


def test_share_links_prefill_the_referral_code() -> None:
    from bot.links import line_message_link, line_recommend_link

    assert line_message_link("@kitami", "紹介コード: ABC234") == (
        "https://line.me/R/oaMessage/%40kitami/?%E7%B4%B9%E4%BB%8B%E3%82%B3%E3%83%BC%E3%83%89%3A%20ABC234"
    )
    assert line_recommend_link("kitami") == "https://line.me/R/nv/recommendOA/%40kitami"


@pytest.mark.parametrize("kind", ["image", "video", "audio", "file", "location"])
def test_other_message_types_get_a_polite_text(client: TestClient, line_api: LineStandIn, kind: str) -> None:
    post(client, [event(kind)])
    assert "文字でご質問" in texts(line_api.wait_for(1)[0])


@pytest.mark.parametrize("reply_token", [True, False])
def test_standby_events_are_never_answered(
    client: TestClient, line_api: LineStandIn, reply_token: bool
) -> None:
    """Standby: another channel holds the chat (LINE's webhook docs); the bot must stay silent."""
    standby = event(text="空港から市内まで何分？", mode="standby")
    standby = standby if reply_token else _without(standby, "replyToken")
    follow = event("follow", mode="standby")
    assert post(client, [standby, follow]).status_code == 200
    assert statuses_once_settled(client) == {"done"}
    post(client, [event(text="空港から市内まで何分？")])  # an active one afterwards is answered
    line_api.wait_for(1)
    time.sleep(0.3)
    assert len(line_api.sent()) == 1


def test_events_the_sdk_cannot_read_are_still_answered_and_logged_by_type_only(
    client: TestClient, line_api: LineStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    """Older shapes without quoteToken (the SDK's models require it) are read from the raw fields."""
    text = event(text="空港から市内まで何分？")
    del text["message"]["quoteToken"]
    sticker = event("sticker")
    del sticker["message"]["quoteToken"]
    caplog.set_level(logging.WARNING)
    post(client, [text])
    post(client, [sticker])
    first, second = line_api.wait_for(2)
    assert first.path == REPLY and "女満別" in texts(first)
    assert second.path == REPLY and "文字でご質問" in texts(second)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2 and all("'message'" in w for w in warnings)
    assert not any("空港" in w or "quoteToken" in w or "stickerId" in w for w in warnings)
