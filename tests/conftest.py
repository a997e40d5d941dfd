"""Shared fixtures: settings on a fresh database, a PostgreSQL schema per test, a network guard."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.dispatcher import Turn
from bot.messages import Channel, Incoming
from bot.services import Concierge
from bot.settings import Settings
from knowledge import KnowledgeBase

IN_CI = os.environ.get("CI", "").lower() == "true"
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(autouse=True)
def _no_outside_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that tries to reach a host other than this machine."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0]
            if host not in ("127.0.0.1", "::1", "localhost") and not str(host).startswith("127."):
                raise AssertionError(f"test tried to reach an outside host: {host}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def _postgres_available() -> str | None:
    """None when PostgreSQL answers, else why not."""
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:
        return f"PostgreSQL not reachable at {make_url(PG_URL).render_as_string()}: {exc.__class__.__name__}"


@pytest.fixture(scope="session")
def postgres_reason() -> str | None:
    return _postgres_available()


@pytest.fixture
def postgres_url(postgres_reason: str | None) -> Iterator[str]:
    """A URL whose search_path is a fresh schema, dropped afterwards."""
    if postgres_reason:
        if IN_CI:
            pytest.fail(f"CI must run the PostgreSQL tests: {postgres_reason}")
        pytest.skip(postgres_reason)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'concierge.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # A generous rate limit: whole registrations take more than 20 messages a minute here.
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite:///{tmp_path / 'concierge.db'}",
        rate_limit_per_minute=500,
    )


class Talker:
    """Says things to the concierge as one person and returns the turns (errbot's testbot, in spirit)."""

    def __init__(self, concierge: Concierge, channel: Channel = Channel.WEB, user: str | None = None) -> None:
        self.concierge = concierge
        self.channel = channel
        self.user = user or uuid.uuid4().hex

    def say(self, text: str = "", **kwargs: Any) -> Turn:
        return self.concierge.dispatcher.handle(Incoming(self.channel, self.user, text=text, **kwargs))

    def press(self, payload: str) -> Turn:
        return self.say(payload=payload)


@pytest.fixture
def concierge(settings: Settings, kb: KnowledgeBase) -> Iterator[Concierge]:
    c = Concierge.build(settings, kb=kb)
    c.migrate_if_embedded()
    yield c
    c.close()


@pytest.fixture
def talker(concierge: Concierge) -> Talker:
    return Talker(concierge)
