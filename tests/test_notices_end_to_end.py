"""A person asks for notices in the chat, staff send one from the terminal, and the person gets it:
on LINE by multicast (the stand-in), in the web chat on their next visit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient
from typer.testing import CliRunner

from bot.app import create_app
from bot.cli import app as cli
from bot.messages import Channel
from bot.services import Concierge
from bot.settings import Settings
from bot.storage.models import Notice
from desk.notices import FOOTER
from knowledge import KnowledgeBase
from tests.conftest import Talker
from tests.standins.line_api import MULTICAST, LineStandIn

pytestmark = pytest.mark.slow  # a stand-in LINE over HTTP


@pytest.fixture
def line_api() -> Iterator[LineStandIn]:
    with LineStandIn() as standin:
        yield standin


@pytest.fixture
def cli_env(
    settings: Settings, line_api: LineStandIn, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("LINE_CHANNEL_ACCESS_TOKEN", "line-token")
    monkeypatch.setenv("LINE_API_BASE_URL", line_api.url)


def test_asked_for_in_the_chat_sent_from_the_terminal_received_on_line_and_the_web(
    cli_env: None, settings: Settings, kb: KnowledgeBase, line_api: LineStandIn
) -> None:
    with TestClient(create_app(settings, concierge=Concierge.build(settings, kb=kb))) as web:
        assert (
            "配信停止"
            in web.post("/api/chat", json={"text": "セミナーの案内がほしい"}).json()["messages"][0]["text"]
        )
        concierge = web.app.state.concierge  # type: ignore[attr-defined]
        on_line = Talker(concierge, channel=Channel.LINE)
        on_line.say("イベントのお知らせがほしいです")
        stopped = Talker(concierge, channel=Channel.LINE)
        stopped.say("セミナーの案内がほしい")
        stopped.say("配信停止")

        sent = CliRunner().invoke(
            cli,
            [
                "notices",
                "send",
                "--topic",
                "seminars_events",
                "--text",
                "1月に東京で相談会を開きます。",
                "--yes",
            ],
        )
        assert sent.exit_code == 0, sent.output
        assert "2 人" in sent.output  # the LINE person and the web person; not the one who stopped

        [call] = line_api.sent(MULTICAST)
        assert call.body["to"] == [on_line.user]
        assert call.body["messages"][0]["text"] == "1月に東京で相談会を開きます。" + FOOTER
        waiting = web.post("/api/chat/updates", json={}).json()["messages"]
        assert [m["text"] for m in waiting] == ["1月に東京で相談会を開きます。" + FOOTER]
        assert web.post("/api/chat/updates", json={}).json()["messages"] == []  # shown once


def test_a_notice_for_an_unknown_topic_is_refused_and_nothing_is_stored(
    cli_env: None, settings: Settings
) -> None:
    refused = CliRunner().invoke(cli, ["notices", "send", "--topic", "lottery", "--text", "当選", "--yes"])
    assert refused.exit_code == 2 and "話題" in refused.output
    concierge = Concierge.build(settings)
    concierge.migrate_if_embedded()
    with concierge.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Notice)) == 0
    concierge.close()
