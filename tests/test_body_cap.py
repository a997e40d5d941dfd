"""Every route refuses an oversized body while it streams, before any signature check or parsing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import create_app
from bot.services import Concierge
from bot.settings import Settings
from knowledge import KnowledgeBase
from tests.standins.chunked import post_chunked
from tests.standins.server import ThreadedServer

# A real server on a loopback port: the body has to stream over a socket.
pytestmark = pytest.mark.slow

FIFTY_MB = 50 * 1024 * 1024


@pytest.fixture
def server(tmp_path: Path, kb: KnowledgeBase) -> Iterator[ThreadedServer]:
    app_settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite:///{tmp_path / 'cap.db'}",
        line_channel_secret="cap-line-secret",
        line_channel_access_token="token",
        line_api_base_url="http://127.0.0.1:9",
        slack_bot_token="xoxb-cap",
        slack_signing_secret="cap-slack-secret",
        slack_api_url="http://127.0.0.1:9/api/",
    )
    http = ThreadedServer(create_app(app_settings, concierge=Concierge.build(app_settings, kb=kb)))
    http.start()
    yield http
    http.stop()


UNSIGNED = {
    "/line/webhook": {"X-Line-Signature": "bm90IGEgc2lnbmF0dXJl", "Content-Type": "application/json"},
    "/slack/events": {
        "X-Slack-Request-Timestamp": "1700000000",
        "X-Slack-Signature": "v0=" + "0" * 64,
        "Content-Type": "application/json",
    },
    "/api/chat": {"Content-Type": "application/json"},
}


@pytest.mark.parametrize("path", list(UNSIGNED))
def test_a_chunked_body_over_the_cap_is_refused_before_it_is_all_read(
    server: ThreadedServer, path: str
) -> None:
    outcome = post_chunked("127.0.0.1", server.port, path, FIFTY_MB, UNSIGNED[path])
    assert outcome.status == 413
    # Refused at the cap (1 MB for webhooks); what was written past it sits in socket buffers.
    assert outcome.sent < 16 * 1024 * 1024
