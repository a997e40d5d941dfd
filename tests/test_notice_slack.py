"""Staff compose a notice in Slack: modal → preview with a count → confirm → LINE multicast → result
in the preview's thread. Through the real app and slack-bolt, against the Slack and LINE stand-ins."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest
from starlette.testclient import TestClient

from bot.app import create_app
from bot.clock import utcnow
from bot.services import Concierge
from bot.settings import Settings
from bot.storage import notices, records
from knowledge import KnowledgeBase
from tests.standins.line_api import MULTICAST, LineStandIn
from tests.standins.slack_api import SlackStandIn
from tests.test_notices import consultation_day
from tests.test_slack import (
    OUTSIDER,
    SECRET,
    STAFF,
    STAFF_CHANNEL,
    action_body,
    signed_headers,
    slack_command,
)

pytestmark = pytest.mark.slow  # stand-in servers over HTTP
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def slack_api() -> Iterator[SlackStandIn]:
    with SlackStandIn(staff_channel_members=[STAFF]) as standin:
        yield standin


@pytest.fixture
def line_api() -> Iterator[LineStandIn]:
    with LineStandIn() as standin:
        yield standin


@pytest.fixture
def both(settings: Settings, slack_api: SlackStandIn, line_api: LineStandIn) -> Settings:
    return settings.model_copy(
        update={
            "slack_bot_token": "xoxb-test",
            "slack_signing_secret": SECRET,
            "slack_staff_channel": STAFF_CHANNEL,
            "slack_staff_user_ids": STAFF,
            "slack_api_url": slack_api.url,
            "line_channel_secret": "line-secret",
            "line_channel_access_token": "line-token",
            "line_api_base_url": line_api.url,
        }
    )


@pytest.fixture
def concierge(both: Settings, kb: KnowledgeBase) -> Iterator[Concierge]:
    built = Concierge.build(both, kb=kb)
    built.migrate_if_embedded()
    yield built
    built.close()


@pytest.fixture
def client(both: Settings, concierge: Concierge) -> Iterator[TestClient]:
    with TestClient(create_app(both, concierge=concierge)) as c:
        yield c


def subscribers(concierge: Concierge, count: int, topic: str) -> list[str]:
    ids = [f"U{topic[:4]}{i:028x}" for i in range(count)]
    with concierge.db.transaction() as session:
        for line_id in ids:
            user = records.get_or_create_user(session, "line", line_id, utcnow())
            notices.subscribe(session, user, [topic], utcnow())
    return ids


def submit(client: TestClient, user: str, values: dict[str, Any]) -> Any:
    payload = {
        "type": "view_submission",
        "team": {"id": "T1"},
        "user": {"id": user},
        "api_app_id": "A1",
        "trigger_id": "9.9",
        "view": {"id": "V1", "type": "modal", "callback_id": "notice_compose", "state": {"values": values}},
    }
    body = urlencode({"payload": json.dumps(payload)})
    return client.post(
        "/slack/events",
        content=body,
        headers=signed_headers(body, content_type="application/x-www-form-urlencoded"),
    )


def modal_values(text: str, topic: str = "seminars_events", **more: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "topic": {"topic": {"type": "static_select", "selected_option": {"value": topic}}},
        "text": {"text": {"type": "plain_text_input", "value": text}},
        "event": {"event": {"type": "plain_text_input", "value": more.pop("event", None)}},
    }
    for block, picked in more.items():
        values[block] = {
            block: {"type": "multi_static_select", "selected_options": [{"value": v} for v in picked]}
        }
    return values


def press(
    client: TestClient, slack_api: SlackStandIn, action_id: str, value: str, user: str, ts: str
) -> None:
    """A click on a button of the message posted at ``ts`` in the staff channel."""
    body, _headers = action_body(action_id, value, user, slack_api.response_url)
    payload = json.loads(parse_qs(body)["payload"][0])
    payload["container"]["message_ts"] = ts
    payload["actions"][0]["action_ts"] = f"{time.time():.6f}"
    body = urlencode({"payload": json.dumps(payload)})
    client.post("/slack/events", content=body, headers=signed_headers(body, content_type=FORM))


def test_staff_compose_preview_confirm_and_see_the_result_in_the_thread(
    client: TestClient, concierge: Concierge, slack_api: SlackStandIn, line_api: LineStandIn
) -> None:
    seminar_people = subscribers(concierge, 3, "seminars_events")
    subscribers(concierge, 2, "jobs")

    slack_command(client, slack_api, STAFF, "notice")
    [opened] = slack_api.wait_for("views.open", 1)
    view = opened.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == "notice_compose" and opened.args["trigger_id"] == "1.2"

    unknown = submit(client, STAFF, modal_values("相談会を開きます。", event="E12"))
    assert unknown.json()["response_action"] == "errors" and "E12" in unknown.json()["errors"]["text"]
    event_id = consultation_day(concierge.db, utcnow())
    answer = submit(
        client, STAFF, modal_values("12月20日、東京で移住相談会を開きます。<!channel>", event=event_id)
    )
    assert answer.status_code == 200 and "errors" not in answer.text
    [preview] = slack_api.wait_for("chat.postMessage", 1)
    shown = json.dumps(preview.args, ensure_ascii=False)
    assert preview.args["channel"] == STAFF_CHANNEL
    assert "届く人数: 3 人" in shown and "配信停止" in shown and f"イベント番号: {event_id}" in shown
    shown_text = preview.args["blocks"][1]["text"]  # as written, never read as a mention or a link
    assert shown_text["type"] == "plain_text" and "<!channel>" in shown_text["text"]
    assert line_api.sent(MULTICAST) == []  # nothing goes out before a person confirms

    press(client, slack_api, "notice:confirm", "1", OUTSIDER, preview.args["ts"])  # not staff: refused
    press(client, slack_api, "notice:confirm", "1", STAFF, preview.args["ts"])
    calls = line_api.wait_for(1, timeout=20)
    assert sorted(calls[0].body["to"]) == sorted(seminar_people)
    assert calls[0].body["messages"][0]["text"].startswith("12月20日、東京で移住相談会を開きます。")
    assert calls[0].body["messages"][1]["type"] == "flex"  # the event's card, with 申し込む

    deadline = time.monotonic() + 20
    threaded: list[Any] = []
    while not threaded and time.monotonic() < deadline:
        threaded = [c for c in slack_api.posted() if c.args.get("thread_ts") == preview.args["ts"]]
        time.sleep(0.1)
    assert threaded, "the result was not posted in the preview's thread"
    assert "送信 3 人、失敗 0 人、ブロック 0 人" in threaded[0].args["text"]
    assert len(line_api.sent(MULTICAST)) == 1
    now_shown = slack_api.current(f"{STAFF_CHANNEL}:{preview.args['ts']}")
    assert "確定しました" in now_shown and "確定して送信" not in now_shown  # the buttons are gone
    assert any("担当職員だけ" in json.dumps(r, ensure_ascii=False) for r in slack_api.responses)


def test_a_modal_without_text_or_from_an_outsider_is_refused_with_nothing_stored(
    client: TestClient, concierge: Concierge, slack_api: SlackStandIn
) -> None:
    empty = submit(client, STAFF, modal_values("   "))
    assert empty.json()["response_action"] == "errors" and "本文" in empty.json()["errors"]["text"]
    outsider = submit(client, OUTSIDER, modal_values("お知らせ"))
    assert outsider.json()["response_action"] == "errors"
    assert slack_api.posted() == []


def test_the_segment_narrows_the_count_in_the_preview(
    client: TestClient, concierge: Concierge, slack_api: SlackStandIn
) -> None:
    subscribers(concierge, 4, "seminars_events")  # none of them registered: no area to match
    submit(client, STAFF, modal_values("北海道内の方へ", areas=["北海道内"]))
    [preview] = slack_api.wait_for("chat.postMessage", 1)
    assert "届く人数: 0 人" in json.dumps(preview.args, ensure_ascii=False)
