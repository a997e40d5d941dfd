"""The whole event flow offline, through the real ASGI app, slack-bolt and line-bot-sdk, with the
stand-in LINE and Slack APIs and an injected clock: staff create an event in the Slack modal → a
person asks about it on LINE → applies → staff are alerted → the reminder comes at the right
hour → staff cancel the event → the applicant is told."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from bot.app import create_app
from bot.channels.line.delivery import RetryPolicy
from bot.clock import utcnow
from bot.services import Concierge
from bot.settings import Settings
from bot.storage.events import JAPAN
from bot.storage.models import CityEvent
from knowledge import KnowledgeBase
from tests.standins.line_api import LineStandIn
from tests.standins.line_events import text_event
from tests.standins.slack_api import SlackStandIn
from tests.test_line import SECRET as LINE_SECRET
from tests.test_line import post as line_post
from tests.test_slack import SECRET as SLACK_SECRET
from tests.test_slack import STAFF, STAFF_CHANNEL, signed_headers, slack_command

pytestmark = pytest.mark.slow

FAST = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05, timeout=2.0)
PUSH = "/v2/bot/message/push"


class Clock:
    """Real time until the test moves it (the alert worker keeps the real clock)."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def line_api() -> Iterator[LineStandIn]:
    with LineStandIn() as standin:
        yield standin


@pytest.fixture
def slack_api() -> Iterator[SlackStandIn]:
    with SlackStandIn(staff_channel_members=[STAFF]) as standin:
        yield standin


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(
    settings: Settings, kb: KnowledgeBase, line_api: LineStandIn, slack_api: SlackStandIn, clock: Clock
) -> Iterator[TestClient]:
    both = settings.model_copy(
        update={
            "line_channel_secret": LINE_SECRET,
            "line_channel_access_token": "test-token",
            "line_api_base_url": line_api.url,
            "slack_bot_token": "xoxb-test",
            "slack_signing_secret": SLACK_SECRET,
            "slack_staff_channel": STAFF_CHANNEL,
            "slack_staff_user_ids": STAFF,
            "slack_api_url": slack_api.url,
            "public_base_url": "https://concierge.example.jp",
        }
    )
    concierge = Concierge.build(both, kb=kb, clock=clock)
    with TestClient(create_app(both, concierge=concierge, line_retry_policy=FAST)) as c:
        yield c


def view_submission(
    values: dict[str, str], user: str = STAFF, event_id: str = ""
) -> tuple[str, dict[str, str]]:
    """A signed view_submission in Slack's shape: text inputs carry ``value``, selects ``selected_option``."""
    state: dict[str, Any] = {}
    for name, value in values.items():
        if name in ("kind", "audience"):
            option = {"text": {"type": "plain_text", "text": value}, "value": value}
            state[name] = {"value": {"type": "static_select", "selected_option": option}}
        else:
            state[name] = {"value": {"type": "plain_text_input", "value": value or None}}
    payload = {
        "type": "view_submission",
        "team": {"id": "T1", "domain": "kitami"},
        "user": {"id": user, "username": "staff", "name": "staff", "team_id": "T1"},
        "api_app_id": "A1",
        "token": "legacy",
        "trigger_id": "12345.98765.abcd",
        "view": {
            "id": "V" + uuid.uuid4().hex[:10].upper(),
            "team_id": "T1",
            "type": "modal",
            "callback_id": "event_edit",
            "private_metadata": event_id,
            "hash": "156772938.1827394",
            "title": {"type": "plain_text", "text": "イベントの登録"},
            "blocks": [],
            "state": {"values": state},
        },
        "response_urls": [],
        "is_enterprise_install": False,
    }
    body = urlencode({"payload": json.dumps(payload, ensure_ascii=False)})
    return body, signed_headers(body, content_type="application/x-www-form-urlencoded")


def postback(user: str, data: str) -> dict[str, Any]:
    event = text_event("", user)
    del event["message"]
    return event | {"type": "postback", "postback": {"data": data}}


def japan(*args: int) -> datetime:
    return datetime(*args, tzinfo=JAPAN).astimezone(UTC)  # type: ignore[misc]


def test_an_event_from_the_slack_modal_to_a_line_applicant_and_its_cancellation(
    client: TestClient, line_api: LineStandIn, slack_api: SlackStandIn, clock: Clock
) -> None:
    day = (clock.now.astimezone(JAPAN) + timedelta(days=10)).date()
    start = f"{day:%Y-%m-%d} 14:00"

    # Staff open the modal; a bad form comes back with errors beside the fields, nothing saved.
    slack_command(client, slack_api, STAFF, "event")
    [opened] = slack_api.wait_for("views.open", 1)
    assert opened.args["trigger_id"] == "1.2" and "event_edit" in json.dumps(opened.args["view"])
    fields = {
        "title": "会社を辞めずに北見に帰っておいで",
        "kind": "seminar",
        "starts_at": start,
        "ends_at": "16:00",
        "place": "北見市民会館",
        "audience": "parents",
        "capacity": "20",
    }
    body, headers = view_submission(fields | {"ends_at": "13:00", "online_url": "javascript:alert(1)"})
    refused = client.post("/slack/events", content=body, headers=headers)
    assert refused.status_code == 200 and refused.json()["response_action"] == "errors"
    assert set(refused.json()["errors"]) == {"ends_at", "online_url"}
    with client.app.state.concierge.db.transaction() as session:  # type: ignore[attr-defined]
        assert session.scalars(select(CityEvent)).first() is None
    body, headers = view_submission(fields)
    assert client.post("/slack/events", content=body, headers=headers).status_code == 200
    with client.app.state.concierge.db.transaction() as session:  # type: ignore[attr-defined]
        event_id = session.scalars(select(CityEvent)).one().id
    saved = [c for c in slack_api.wait_for("chat.postMessage", 1) if "登録しました" in c.args["text"]]
    assert saved and saved[0].args["channel"] == STAFF_CHANNEL

    # A person asks on LINE and gets a carousel with the event.
    person = "U" + uuid.uuid4().hex
    line_post(client, [text_event("次のセミナーはいつ？", person)])
    [answer] = line_api.wait_for(1)
    flex = [m for m in answer.body["messages"] if m["type"] == "flex"]
    assert flex and flex[0]["contents"]["type"] == "carousel"
    assert "会社を辞めずに北見に帰っておいで" in flex[0]["altText"] and len(flex[0]["altText"]) <= 1500
    bubble = flex[0]["contents"]["contents"][0]
    buttons = [b["action"] for b in bubble["footer"]["contents"]]
    assert [(b["label"], b["data"]) for b in buttons] == [
        ("申し込む", f"event-apply:{event_id}"),
        ("詳しく", f"event:{event_id}"),
    ]

    # They apply: consent, name, LINE as the contact, one person, confirm.
    steps = [
        postback(person, f"event-apply:{event_id}"),
        postback(person, "form:agree"),
        text_event("北見 花子", person),
        postback(person, "form:LINE"),
        postback(person, "form:1"),
        postback(person, "form:yes"),
    ]
    for count, step in enumerate(steps, start=2):
        line_post(client, [step])
        line_api.wait_for(count)
    done = line_api.sent()[-1]
    assert "受け付けました" in json.dumps(done.body, ensure_ascii=False)

    # Staff hear of it in the staff channel, through the outbox.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        alerts = [c for c in slack_api.posted() if "イベントの申し込み" in c.args.get("text", "")]
        if alerts:
            break
        time.sleep(0.05)
    assert alerts and "北見 花子" in json.dumps(alerts[0].args["blocks"], ensure_ascii=False)

    # The reminder: not at 07:00 the day before, once at 10:00, with the place.
    worker = client.app.state.event_worker  # type: ignore[attr-defined]
    pushes_before = len(line_api.sent(PUSH))
    day_before = day - timedelta(days=1)
    clock.now = japan(day_before.year, day_before.month, day_before.day, 7, 0)
    assert client.portal.call(worker.run_once) == 0  # type: ignore[union-attr]
    clock.now = japan(day_before.year, day_before.month, day_before.day, 10, 0)
    assert client.portal.call(worker.run_once) == 1  # type: ignore[union-attr]
    assert client.portal.call(worker.run_once) == 0  # type: ignore[union-attr]
    reminders = line_api.sent(PUSH)[pushes_before:]
    assert len(reminders) == 1 and reminders[0].body["to"] == person
    assert "明日は" in reminders[0].body["messages"][0]["text"]
    assert "北見市民会館" in reminders[0].body["messages"][0]["text"]

    # The calendar file.
    ics = client.get(f"/events/{event_id}.ics")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert "SUMMARY:会社を辞めずに北見に帰っておいで" in ics.text and "DTSTART" in ics.text

    # Staff cancel the event; the applicant is told once.
    slack_command(client, slack_api, STAFF, f"event cancel {event_id}")
    deadline = time.monotonic() + 5
    while not any("中止しました" in r.get("text", "") for r in slack_api.responses):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert client.portal.call(worker.run_once) == 1  # type: ignore[union-attr]
    assert client.portal.call(worker.run_once) == 0  # type: ignore[union-attr]
    told = line_api.sent(PUSH)[-1]
    assert told.body["to"] == person and "中止" in told.body["messages"][0]["text"]

    # The cancelled event is offered no more (what the knowledge base knows answers instead).
    calls = len(line_api.sent())
    line_post(client, [text_event("次のセミナーはいつ？", person)])
    last = json.dumps(line_api.wait_for(calls + 1)[-1].body)
    assert "carousel" not in last and "event-apply" not in last


def test_an_outsider_cannot_save_an_event(client: TestClient) -> None:
    body, headers = view_submission({"title": "x"}, user="UOTHER9")
    refused = client.post("/slack/events", content=body, headers=headers)
    assert refused.json()["response_action"] == "errors"
    with client.app.state.concierge.db.transaction() as session:  # type: ignore[attr-defined]
        assert session.scalars(select(CityEvent)).first() is None


def test_an_unknown_calendar_file_is_a_404(client: TestClient) -> None:
    assert client.get("/events/999.ics").status_code == 404
    assert client.get("/events/abc.ics").status_code == 404


def test_a_nonsense_view_submission_is_answered_with_errors_and_saves_nothing(client: TestClient) -> None:
    body, headers = view_submission(
        {"title": "説明会", "kind": "party", "starts_at": "明日", "capacity": "-3"}
    )
    refused = client.post("/slack/events", content=body, headers=headers)
    assert refused.status_code == 200
    assert {"kind", "starts_at", "ends_at", "capacity", "place"} <= set(refused.json()["errors"])
    with client.app.state.concierge.db.transaction() as session:  # type: ignore[attr-defined]
        assert session.scalars(select(CityEvent)).first() is None
