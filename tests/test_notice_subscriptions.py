"""Asking for notices and stopping them in the chat; subscriptions go when the person is deleted."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from bot.clock import utcnow
from bot.messages import Channel
from bot.retention import apply_retention
from bot.services import Concierge
from bot.storage import notices
from bot.storage.models import NoticeSubscription, User
from tests.conftest import Talker
from tests.test_lead import register


def topics(concierge: Concierge, talker: Talker) -> list[str]:
    with concierge.db.transaction() as session:
        user = session.scalars(select(User).where(User.channel_user_id == talker.user)).one()
        return notices.topics_of(session, user)


def test_asking_for_seminar_notices_subscribes_to_that_topic_and_says_how_to_stop(
    concierge: Concierge,
) -> None:
    talker = Talker(concierge, channel=Channel.LINE)
    turn = talker.say("セミナーの案内がほしい")
    assert turn.intent == "notices"
    assert "セミナー・イベント" in turn.response.text and "配信停止" in turn.response.text
    assert topics(concierge, talker) == ["seminars_events"]


def test_asking_for_notices_offers_the_topics_and_a_button_subscribes(concierge: Concierge) -> None:
    talker = Talker(concierge, channel=Channel.LINE)
    offered = talker.say("お知らせを受け取りたい")
    labels = [c.label for c in offered.response.choices]
    assert labels == ["セミナー・イベント", "仕事・求人", "支援金", "すべて"]
    talker.press("notices:on:jobs")
    talker.press("notices:on:jobs")  # pressed twice: still one subscription
    assert topics(concierge, talker) == ["jobs"]
    talker.press("notices:on:all")
    assert topics(concierge, talker) == ["seminars_events", "jobs", "support_money"]


def test_stopping_one_topic_or_all(concierge: Concierge) -> None:
    talker = Talker(concierge, channel=Channel.LINE)
    talker.press("notices:on:all")
    one = talker.say("求人のお知らせは不要です")
    assert one.intent == "notices" and "仕事・求人のお知らせを止めました" in one.response.text
    assert topics(concierge, talker) == ["seminars_events", "support_money"]
    everything = talker.say("配信停止")
    assert "止めました" in everything.response.text
    assert topics(concierge, talker) == []
    again = talker.say("お知らせ不要")
    assert "登録されていません" in again.response.text


def test_asking_not_to_be_sent_anything_more_stops_the_notices(concierge: Concierge) -> None:
    """「送らないで」 refuses nothing here: not sending is what is asked for."""
    talker = Talker(concierge, channel=Channel.LINE)
    talker.press("notices:on:all")
    turn = talker.say("お知らせが多いので、もう送らないでいただけますか")
    assert turn.intent == "notices" and "止めました" in turn.response.text
    assert topics(concierge, talker) == []


def test_web_people_are_told_notices_wait_for_their_next_visit_and_english_gets_english(
    concierge: Concierge,
) -> None:
    web = Talker(concierge)
    assert "次にこのページを開いたとき" in web.say("イベントのお知らせがほしいです").response.text
    english = Talker(concierge, channel=Channel.LINE)
    turn = english.say("Please send me news about seminars")
    assert "seminars and events" in turn.response.text and "unsubscribe" in turn.response.text
    offered = english.say("I want notices")
    assert [c.label for c in offered.response.choices][-1] == "All"
    pressed = english.press(offered.response.choices[1].payload)
    assert "You will receive notices about jobs" in pressed.response.text


def test_slack_people_are_told_notices_cannot_reach_them(concierge: Concierge) -> None:
    talker = Talker(concierge, channel=Channel.SLACK)
    assert "Slackにはお知らせをお送りできません" in talker.say("セミナーの案内がほしい").response.text
    assert topics(concierge, talker) == []


def test_deleting_my_data_deletes_my_subscriptions(concierge: Concierge) -> None:
    talker = Talker(concierge, channel=Channel.LINE)
    talker.press("notices:on:all")
    talker.say("データを削除")
    talker.press("form:yes")
    with concierge.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(NoticeSubscription)) == 0
        assert session.scalar(select(func.count()).select_from(User)) == 0


def test_retention_keeps_an_idle_line_subscriber_until_they_block_the_account(concierge: Concierge) -> None:
    talker = Talker(concierge, channel=Channel.LINE)
    talker.press("notices:on:jobs")
    web = Talker(concierge)
    web.press("notices:on:jobs")
    later = utcnow() + timedelta(days=concierge.settings.message_log_retention_days + 15)
    apply_retention(concierge.db, concierge.settings, later)
    with concierge.db.transaction() as session:
        kept = session.scalars(select(User.channel_user_id)).all()
        assert kept == [talker.user]  # the web session's person went, with their subscription
        session.execute(update(User).values(reachable=False))  # they blocked the account
    apply_retention(concierge.db, concierge.settings, later)
    with concierge.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(NoticeSubscription)) == 0


def test_a_registered_person_who_stops_everything_is_shown_how_to_delete_their_registration(
    concierge: Concierge,
) -> None:
    talker = Talker(concierge, channel=Channel.LINE)
    register(talker)  # subscribed to seminars in the form
    turn = talker.say("もう連絡いらないです、配信停止で")
    assert turn.intent == "notices" and "データを削除" in turn.response.text
    assert turn.response.choices[0].payload == "privacy:delete"
    assert topics(concierge, talker) == []
    unregistered = Talker(concierge, channel=Channel.LINE)
    unregistered.press("notices:on:jobs")
    assert "データを削除" not in unregistered.say("配信停止").response.text
