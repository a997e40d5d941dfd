"""A handoff tells the person what staff will see, and staff never see what was typed into a form."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.channels.slack.alert_blocks import handoff_body
from bot.services import Concierge
from bot.settings import Settings
from bot.storage.models import OutboxMessage
from knowledge import KnowledgeBase
from tests.conftest import Talker
from tests.test_lead import register


@pytest.fixture
def staff_concierge(settings: Settings, kb: KnowledgeBase) -> Concierge:
    """Slack staff chat configured (no server runs: alerts stay in the outbox for the test to read)."""
    staffed = settings.model_copy(update={"slack_bot_token": "xoxb-test", "slack_staff_channel": "CSTAFF"})
    concierge = Concierge.build(staffed, kb=kb)
    concierge.migrate_if_embedded()
    return concierge


def handoff_alert_text(concierge: Concierge) -> str:
    with concierge.db.transaction() as session:
        [row] = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "handoff")).all()
        return handoff_body(row.payload) + json.dumps(row.payload, ensure_ascii=False)


def test_the_person_is_told_what_staff_will_see(staff_concierge: Concierge) -> None:
    opened = Talker(staff_concierge).press("contact")
    assert "職員には" in opened.response.text
    assert "直近の質問" in opened.response.text and "お名前や連絡先" in opened.response.text


def test_contact_details_typed_in_the_form_are_not_in_the_handoff_alert(staff_concierge: Concierge) -> None:
    person = Talker(staff_concierge)
    person.say("北見の冬の暮らしについて相談したい")
    register(person)
    person.press("contact")
    text = handoff_alert_text(staff_concierge)
    assert "北見の冬の暮らしについて相談したい" in text  # the question is context staff need
    assert "北見 花子" not in text and "hanako@example.jp" not in text


def test_contact_details_typed_as_a_question_are_masked_in_the_alert(staff_concierge: Concierge) -> None:
    person = Talker(staff_concierge)
    person.say("連絡は hanako@example.jp か 090-1234-5678 にお願いできますか")
    person.press("contact")
    text = handoff_alert_text(staff_concierge)
    assert "連絡は" in text
    assert "hanako@example.jp" not in text and "090-1234-5678" not in text
