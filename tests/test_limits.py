"""Limits that need no cookie: new sessions, handoffs and lead alerts per address and overall,
one open handoff per person, and a staff channel that gets a summary instead of a flood."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from bot.alert_delivery import AlertWorker
from bot.app import create_app
from bot.channels.slack.alerts import SlackAlertSender
from bot.channels.slack.app import slack_client
from bot.clock import utcnow
from bot.services import Concierge
from bot.settings import Settings
from bot.storage import outbox
from bot.storage.models import Handoff, OutboxMessage
from knowledge import KnowledgeBase
from tests.conftest import Talker
from tests.standins.slack_api import SlackStandIn
from tests.test_lead import register

STAFF_CHANNEL = "CSTAFF"


def staffed(settings: Settings, **limits: Any) -> Settings:
    """Slack staff chat configured; no Slack server is reached unless a test delivers alerts."""
    return settings.model_copy(
        update={"slack_bot_token": "xoxb-test", "slack_staff_channel": STAFF_CHANNEL, **limits}
    )


@pytest.fixture
def build(kb: KnowledgeBase) -> Iterator[Any]:
    built: list[Concierge] = []

    def make(settings: Settings) -> Concierge:
        concierge = Concierge.build(settings, kb=kb)
        concierge.migrate_if_embedded()
        built.append(concierge)
        return concierge

    yield make
    for concierge in built:
        concierge.close()


def web(concierge: Concierge, address: str) -> TestClient:
    """A browser at ``address``; the app's background loops are not started (no ``with``)."""
    return TestClient(create_app(concierge.settings, concierge=concierge), client=(address, 40000))


def rows(concierge: Concierge, kind: str) -> list[OutboxMessage]:
    with concierge.db.transaction() as session:
        return list(session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))


def test_new_sessions_without_a_cookie_are_capped_per_address(settings: Settings, build: Any) -> None:
    concierge = build(settings.model_copy(update={"web_sessions_per_hour_per_address": 3}))
    flood, neighbour = web(concierge, "203.0.113.7"), web(concierge, "198.51.100.2")
    statuses = []
    for _ in range(5):
        flood.cookies.clear()  # a script that never keeps the cookie is a new person every time
        statuses.append(flood.post("/api/chat", json={"text": "こんにちは"}).status_code)
    assert statuses == [200, 200, 200, 429, 429]
    refused = flood.post("/api/chat", json={"text": "こんにちは"})
    assert "しばらく" in refused.json()["error"]
    assert neighbour.post("/api/chat", json={"text": "こんにちは"}).status_code == 200
    flood.cookies.clear()
    first = flood.post("/api/chat", json={"text": "こんにちは"})  # refused: no new session…
    assert first.status_code == 429
    kept = web(concierge, "203.0.113.7")
    kept.cookies.update(neighbour.cookies)  # …but a person who has one keeps talking
    assert kept.post("/api/chat", json={"text": "空港から市内まで何分？"}).status_code == 200


def test_new_sessions_are_capped_overall(settings: Settings, build: Any) -> None:
    concierge = build(settings.model_copy(update={"web_sessions_per_hour": 2}))
    statuses = [
        web(concierge, f"192.0.2.{i}").post("/api/chat", json={"text": "こんにちは"}).status_code
        for i in range(4)
    ]
    assert statuses == [200, 200, 429, 429]


def test_a_cookieless_flood_of_handoffs_reaches_staff_a_few_times_only(
    settings: Settings, build: Any
) -> None:
    concierge = build(staffed(settings))  # the defaults
    flood = web(concierge, "203.0.113.9")
    answers = []
    for _ in range(45):
        flood.cookies.clear()
        answers.append(flood.post("/api/chat", json={"payload": "contact"}))
    assert len(rows(concierge, "handoff")) == concierge.settings.handoffs_per_hour_per_address
    busy = [a for a in answers if a.status_code == 200 and "混み合って" in a.text]
    assert busy, "the people refused are told why, and how else to reach the city"


def test_handoffs_are_capped_overall(settings: Settings, build: Any) -> None:
    concierge = build(staffed(settings, handoffs_per_hour=4))
    for i in range(6):
        Talker(concierge).say(payload="contact", address=f"192.0.2.{i}")
    assert len(rows(concierge, "handoff")) == 4


def test_one_open_handoff_per_person(settings: Settings, build: Any) -> None:
    concierge = build(staffed(settings))
    person = Talker(concierge)
    person.press("contact")
    person.say("やめる")
    again = person.press("contact")
    assert "すでに" in again.response.text
    assert len(rows(concierge, "handoff")) == 1
    relayed = person.say("子どもの保育園について聞きたいです")
    assert relayed.intent == "handoff"
    with concierge.db.transaction() as session:
        assert len(session.scalars(select(Handoff)).all()) == 1


@pytest.fixture
def slack_api() -> Iterator[SlackStandIn]:
    with SlackStandIn() as standin:
        yield standin


def deliver(concierge: Concierge, slack_api: SlackStandIn, later: timedelta = timedelta(0)) -> Any:
    settings = concierge.settings.model_copy(update={"slack_api_url": slack_api.url})
    sender = SlackAlertSender(slack_client(settings), STAFF_CHANNEL, concierge.db)
    alerts = AlertWorker(
        concierge.db, sender, clock=lambda: utcnow() + later, hourly_cap=settings.lead_alerts_per_hour
    )
    return alerts.run_once()


@pytest.mark.slow
async def test_lead_alerts_from_one_address_beyond_the_cap_become_one_summary(
    settings: Settings, build: Any, slack_api: SlackStandIn
) -> None:
    concierge = build(staffed(settings, lead_alerts_per_hour_per_address=2))
    for _ in range(5):
        register(AtAddress(concierge, "203.0.113.5"))
    await deliver(concierge, slack_api)
    assert [c.args["text"] for c in slack_api.posted()] == ["新しい移住の登録"] * 2
    await deliver(concierge, slack_api, later=timedelta(hours=1, minutes=1))  # the hour is over
    summary = slack_api.posted()[2].args["text"]
    assert len(slack_api.posted()) == 3 and "3件" in summary and "No.5" in summary


@pytest.mark.slow
async def test_a_burst_of_alerts_beyond_the_hourly_cap_is_one_message(
    settings: Settings, build: Any, slack_api: SlackStandIn
) -> None:
    concierge = build(staffed(settings, lead_alerts_per_hour=3))
    with concierge.db.transaction() as session:  # e.g. the retention run deleting many old leads
        for lead_id in range(1, 11):
            outbox.enqueue(session, "deletion", {"lead_id": lead_id, "reason": "retention"}, utcnow())
    await deliver(concierge, slack_api)
    assert len(slack_api.posted()) == 3
    await deliver(concierge, slack_api, later=timedelta(hours=1, minutes=1))
    assert len(slack_api.posted()) == 4
    summary = slack_api.posted()[3].args["text"]
    assert "7件" in summary and "No.10" in summary


class AtAddress(Talker):
    """A person on the web chat whose requests come from one network address."""

    def __init__(self, concierge: Concierge, address: str) -> None:
        super().__init__(concierge)
        self.address = address

    def say(self, text: str = "", **kwargs: Any) -> Any:
        return super().say(text, address=self.address, **kwargs)
