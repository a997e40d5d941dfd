"""Faults with real server processes: a SIGKILL mid-form, PostgreSQL connections killed, two workers.

Each test runs `concierge serve` as a subprocess, as production would, and talks HTTP to it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select, text

from bot.storage import Database, upgrade
from bot.storage.models import Lead, OutboxMessage
from tests.standins.line_api import LineStandIn
from tests.standins.line_events import signed_webhook, text_event
from tests.test_lead import WEB_ANSWERS

pytestmark = pytest.mark.slow
LINE_SECRET = "fault-line-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = cwd / f"server-{self.port}.log"  # printed after the test: pytest shows it on failure
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "serve", "--port", str(self.port)],
                env={**os.environ, **env},
                cwd=cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.process.kill()
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for server in started:
        server.stop()
        print(f"--- {server.log.name}", server.log.read_text(errors="replace")[-20_000:], sep="\n")


def say(client: httpx.Client, kind: str, value: str) -> dict[str, object]:
    response = client.post("/api/chat", json={"text" if kind == "text" else "payload": value})
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_sigkill_mid_form_loses_nothing_and_doubles_nothing(tmp_path: Path, servers: list[Server]) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'kill.db'}"}
    first = Server(env, tmp_path)
    servers.append(first)
    client = httpx.Client(base_url=first.base, timeout=10)
    say(client, "text", "移住に興味がある")
    for kind, value in WEB_ANSWERS[:6]:
        say(client, kind, value)
    first.kill()

    second = Server(env, tmp_path)
    servers.append(second)
    client = httpx.Client(base_url=second.base, timeout=10, cookies=client.cookies)
    resumed = say(client, *WEB_ANSWERS[6])
    assert "お仕事" in json.dumps(resumed, ensure_ascii=False)  # the next question, not the start
    for kind, value in WEB_ANSWERS[7:]:
        say(client, kind, value)
    say(client, "payload", "form:confirm")

    db = Database(env["DATABASE_URL"])
    with db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Lead)) == 1
        assert session.scalars(select(OutboxMessage.kind)).all() == ["lead_new"]
    db.dispose()


def test_killed_postgres_connections_are_replaced(
    postgres_url: str, tmp_path: Path, servers: list[Server]
) -> None:
    url = postgres_url + "&application_name=concierge-fault"
    upgrade(Database(url))
    server = Server({"DATABASE_URL": url}, tmp_path)
    servers.append(server)
    client = httpx.Client(base_url=server.base, timeout=10)
    assert "女満別" in json.dumps(say(client, "text", "空港から市内まで何分？"), ensure_ascii=False)
    admin = create_engine(postgres_url)
    with admin.begin() as conn:
        killed = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name = 'concierge-fault'"
            )
        ).scalar()
    admin.dispose()
    assert killed and killed >= 1
    for _ in range(3):  # the dead pooled connections are detected and replaced, no 5xx
        assert "女満別" in json.dumps(say(client, "text", "空港から市内まで何分？"), ensure_ascii=False)


def test_two_server_processes_on_postgres_answer_each_event_once(
    postgres_url: str, tmp_path: Path, servers: list[Server]
) -> None:
    upgrade(Database(postgres_url))
    with LineStandIn() as line_api:
        env = {
            "DATABASE_URL": postgres_url,
            "LINE_CHANNEL_SECRET": LINE_SECRET,
            "LINE_CHANNEL_ACCESS_TOKEN": "token",
            "LINE_API_BASE_URL": line_api.url,
        }
        pair = [Server(env, tmp_path), Server(env, tmp_path)]
        servers.extend(pair)
        bodies = [signed_webhook(LINE_SECRET, [text_event("雪かき大変？")]) for _ in range(20)]

        def post(job: tuple[str, tuple[bytes, str]]) -> int:
            base, (body, signature) = job
            headers = {"x-line-signature": signature, "content-type": "application/json"}
            return httpx.post(f"{base}/line/webhook", content=body, headers=headers, timeout=10).status_code

        jobs = [(server.base, body) for body in bodies for server in pair]  # every event to both, at once
        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(post, jobs)) == {200}
        line_api.wait_for(20, timeout=30)
        time.sleep(1)
        tokens = [call.body.get("replyToken") or call.body.get("to") for call in line_api.sent()]
        assert len(tokens) == 20 and len(set(tokens)) == 20
