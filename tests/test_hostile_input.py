"""What the internet sends to public endpoints: random JSON, huge and deeply nested bodies, invalid
UTF-8, injection strings, invisible characters. Never a 5xx, and nothing stored from a refused request."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import func, select
from starlette.testclient import TestClient

from bot.app import create_app
from bot.services import Concierge
from bot.settings import Settings
from bot.storage.models import InboundEvent, User
from knowledge import KnowledgeBase
from tests.standins.line_events import signature

LINE_SECRET, SLACK_SECRET = "fuzz-line-secret", "fuzz-slack-secret"
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=30,
)
hostile_text = st.sampled_from(
    [
        "'; DROP TABLE users; --",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "\u200b\u200e\u202e空港\u2066",
        "\ud7ff\ufffd\U0001f600" * 50,
        "%00%0d%0a",
        "{{7*7}}${7*7}",
    ]
) | st.text(max_size=300)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase) -> Iterator[TestClient]:
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    app_settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite:///{path}",
        rate_limit_per_minute=100_000,
        line_channel_secret=LINE_SECRET,
        line_channel_access_token="token",
        line_api_base_url="http://127.0.0.1:9",  # nothing listens: deliveries fail, requests must not
        slack_bot_token="xoxb-fuzz",
        slack_signing_secret=SLACK_SECRET,
        slack_api_url="http://127.0.0.1:9/api/",
    )
    with TestClient(create_app(app_settings, concierge=Concierge.build(app_settings, kb=kb))) as c:
        yield c


def line_signature(body: bytes) -> str:
    return signature(LINE_SECRET, body)


def slack_headers(body: bytes) -> dict[str, str]:
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(SLACK_SECRET).generate_signature(
        timestamp=timestamp, body=body.decode("latin-1")
    )
    return {"x-slack-request-timestamp": timestamp, "x-slack-signature": signature}


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(body=json_values)
def test_chat_api_never_fails_on_random_json(client: TestClient, body: Any) -> None:
    response = client.post(
        "/api/chat", content=json.dumps(body), headers={"content-type": "application/json"}
    )
    assert response.status_code < 500


@FUZZ
@given(text=hostile_text)
def test_chat_api_answers_hostile_text_as_text(client: TestClient, text: str) -> None:
    response = client.post("/api/chat", json={"text": text})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")


@FUZZ
@given(raw=st.binary(max_size=200))
def test_signed_garbage_to_the_line_webhook_is_refused_cleanly(client: TestClient, raw: bytes) -> None:
    response = client.post("/line/webhook", content=raw, headers={"x-line-signature": line_signature(raw)})
    assert response.status_code < 500


@FUZZ
@given(body=json_values)
def test_signed_random_json_to_the_line_webhook_is_refused_cleanly(client: TestClient, body: Any) -> None:
    raw = json.dumps(body).encode()
    assert (
        client.post(
            "/line/webhook", content=raw, headers={"x-line-signature": line_signature(raw)}
        ).status_code
        < 500
    )


@FUZZ
@given(body=json_values)
def test_signed_random_json_to_slack_is_refused_cleanly(client: TestClient, body: Any) -> None:
    raw = json.dumps(body).encode()
    headers = slack_headers(raw) | {"content-type": "application/json"}
    assert client.post("/slack/events", content=raw, headers=headers).status_code < 500


@pytest.mark.parametrize("path", ["/api/chat", "/line/webhook", "/slack/events"])
def test_bodies_over_a_megabyte_get_413(client: TestClient, path: str) -> None:
    raw = b'{"text": "' + b"a" * (1024 * 1024 + 10) + b'"}'
    headers = {"content-type": "application/json", "x-line-signature": line_signature(raw)} | slack_headers(
        raw
    )
    assert client.post(path, content=raw, headers=headers).status_code == 413


@pytest.mark.parametrize("path", ["/api/chat", "/line/webhook", "/slack/events"])
def test_deeply_nested_json_is_refused_cleanly(client: TestClient, path: str) -> None:
    raw = (b"[" * 100_000) + (b"]" * 100_000)
    raw = raw if path != "/api/chat" else raw[:8000] + raw[-8000:]
    headers = {"content-type": "application/json", "x-line-signature": line_signature(raw)} | slack_headers(
        raw
    )
    assert client.post(path, content=raw, headers=headers).status_code < 500


def test_invalid_utf8_is_refused_and_nothing_is_stored(client: TestClient) -> None:
    def counts() -> tuple[int, int]:
        with client.app.state.concierge.db.transaction() as session:  # type: ignore[attr-defined]
            return (
                int(session.scalar(select(func.count()).select_from(User)) or 0),
                int(session.scalar(select(func.count()).select_from(InboundEvent)) or 0),
            )

    before = counts()
    raw = b'{"events": [{"type": "message", "webhookEventId": "\xff\xfe"}]}'
    assert (
        client.post(
            "/line/webhook", content=raw, headers={"x-line-signature": line_signature(raw)}
        ).status_code
        == 400
    )
    assert (
        client.post(
            "/api/chat", content=b'{"text": "\xff"}', headers={"content-type": "application/json"}
        ).status_code
        == 400
    )
    assert counts() == before
