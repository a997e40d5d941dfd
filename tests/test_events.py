"""Events through the dispatcher and the staff desk: finding, applying, the wait list, withdrawing,
notices to applicants (once, in daytime), CSV import, and deletion."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
import pytest
from sqlalchemy import select
from starlette.testclient import TestClient
from typer.testing import CliRunner

from bot.app import create_app
from bot.channels.line.render import render
from bot.channels.slack.event_views import modal, submitted
from bot.channels.slack.render import blocks
from bot.cli import app as cli
from bot.clock import Clock
from bot.event_delivery import EventNoticeWorker
from bot.messages import Card, Channel, Choice, Reply, Response
from bot.person_delivery import PersonDelivery
from bot.retention import apply_retention
from bot.services import Concierge
from bot.settings import Settings
from bot.storage import upgrade
from bot.storage.events import JAPAN
from bot.storage.models import (
    CityEvent,
    EventApplication,
    EventNotice,
    OutboxMessage,
    StaffReply,
    User,
)
from desk import events as desk
from knowledge import KnowledgeBase
from tests.conftest import Talker
from tests.test_lead import register


class FakeClock:
    """Now, as the test says: starts on 2026-12-01 12:00 Japan time."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 12, 0, tzinfo=JAPAN).astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def set_japan(self, *args: int) -> None:
        self.now = datetime(*args, tzinfo=JAPAN).astimezone(UTC)  # type: ignore[misc]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def concierge(
    settings: Settings, database_url: str, kb: KnowledgeBase, clock: FakeClock
) -> Iterator[Concierge]:
    """On SQLite and on PostgreSQL (seats and notices lock rows there)."""
    c = Concierge.build(settings.model_copy(update={"database_url": database_url}), kb=kb, clock=clock)
    upgrade(c.db)
    yield c
    c.close()


def add_event(concierge: Concierge, clock: Clock, **overrides: str) -> int:
    raw = {
        "title": "会社を辞めずに北見に帰っておいで セミナー",
        "kind": "セミナー",
        "starts_at": "2026-12-27 14:00",
        "ends_at": "16:00",
        "place": "北見市民会館",
        "audience": "親",
        "capacity": "",
        "description": "お子さんが会社を辞めずに北見へ戻る道をご紹介します。",
        "source": "https://www.city.kitami.lg.jp/",
    } | overrides
    values, errors = desk.parse(raw, clock())
    assert values is not None, errors
    with concierge.db.transaction() as session:
        return desk.create(session, values, clock()).id


def cards(turn: Any) -> list[Card]:
    return [card for reply in turn.response.replies for card in reply.cards]


def apply(talker: Talker, event_id: int, party: str = "form:1", name: str = "北見 花子") -> Any:
    """申し込む, consent, name, e-mail, party, confirm; returns the last turn."""
    turn = talker.press(f"event-apply:{event_id}")
    if "個人情報" in turn.response.text:
        turn = talker.press("form:agree")
    assert "お名前" in turn.response.text, turn.response.text
    talker.say(name)
    talker.say("hanako@example.jp")
    confirm = talker.press(party)
    assert "この内容で申し込みます" in confirm.response.text and name in confirm.response.text
    return talker.press("form:yes")


def applications(concierge: Concierge) -> list[EventApplication]:
    with concierge.db.transaction() as session:
        return list(session.scalars(select(EventApplication).order_by(EventApplication.id)))


def notices(concierge: Concierge) -> list[EventNotice]:
    with concierge.db.transaction() as session:
        return list(session.scalars(select(EventNotice).order_by(EventNotice.id)))


# -- finding -----------------------------------------------------------------------------


def test_asking_about_events_lists_those_that_fit_and_never_past_ones(
    talker: Talker, concierge: Concierge, clock: FakeClock
) -> None:
    seminar = add_event(concierge, clock)
    tokyo = add_event(
        concierge,
        clock,
        title="東京での移住相談会",
        kind="相談会",
        starts_at="2027-01-16 13:00",
        ends_at="17:00",
        place="ふるさと回帰支援センター(東京・有楽町)",
        audience="どなたでも",
    )
    obon = add_event(
        concierge,
        clock,
        title="お盆の帰省者向け個別相談",
        kind="相談会",
        starts_at="2027-08-13 10:00",
        ends_at="15:00",
        place="北見市役所",
        audience="出身者",
    )
    clock.set_japan(2026, 12, 28, 9, 0)  # the seminar is over

    turn = talker.say("東京で相談会ある？")
    assert turn.intent == "events"
    assert [c.title for c in cards(turn)] == ["東京での移住相談会"]
    assert "日時: 1月16日(土) 13:00〜17:00" in cards(turn)[0].lines
    assert [c.label for c in cards(turn)[0].choices] == ["申し込む", "詳しく"]

    turn = talker.say("お盆に帰省したとき相談できるイベントある？")
    assert [c.title for c in cards(turn)] == ["お盆の帰省者向け個別相談"]

    listed = talker.press("events")
    titles = [c.title for c in cards(listed)]
    assert titles == ["東京での移住相談会", "お盆の帰省者向け個別相談"]  # the past seminar is gone
    details = talker.press(f"event:{seminar}")
    assert "終了" in details.response.text and not cards(details)
    late = talker.press(f"event-apply:{seminar}")
    assert "終了" in late.response.text and applications(concierge) == []
    assert tokyo and obon


def test_the_next_seminar_is_found_and_its_details_give_a_calendar_file(
    talker: Talker, concierge: Concierge, clock: FakeClock
) -> None:
    event_id = add_event(concierge, clock)
    turn = talker.say("次のセミナーはいつ？")
    assert turn.intent == "events" and [c.title for c in cards(turn)] == [
        "会社を辞めずに北見に帰っておいで セミナー"
    ]
    details = talker.press(f"event:{event_id}")
    assert "北見市民会館" in details.response.text and "12月27日(日) 14:00〜16:00" in details.response.text
    urls = [link.url for reply in details.response.replies for link in reply.links]
    assert f"/events/{event_id}.ics" in urls[0]


def test_with_nothing_scheduled_the_knowledge_base_still_answers(talker: Talker) -> None:
    turn = talker.say("親向けのUターンのセミナーがあるって聞きました")
    assert turn.entry_id == "programs-parents-seminar"
    assert ("イベント・セミナー", "events") in [(c.label, c.payload) for c in turn.response.choices]
    none = talker.press("events")
    assert "予定はありません" in none.response.text
    # Nothing to apply for yet: the way to hear of the next one is one tap away.
    [offer] = [c for c in none.response.choices if c.label == "イベントの案内を受け取る"]
    assert "セミナー・イベントのお知らせをお送りします" in talker.press(offer.payload).response.text


def test_asking_for_events_with_none_ahead_says_so_and_offers_what_is_known(talker: Talker) -> None:
    turn = talker.say("近いうちに親向けのセミナーやイベントの予定はございますか")
    assert turn.intent == "events" and "予定はありません" in turn.response.text
    payloads = [c.payload for c in turn.response.choices]
    # The yearly parents' seminar from the knowledge base, and a way to hear of the next event.
    assert payloads[0] == "faq:programs-parents-seminar"
    assert "イベントの案内を受け取る" in [c.label for c in turn.response.choices]


def test_asking_what_a_seminar_is_about_is_answered_by_its_page(talker: Talker) -> None:
    """What it is, not when: the page answers; asking when or to join still lists the events."""
    turn = talker.say("親向けのセミナーはどんな内容の会ですか。")
    assert turn.entry_id == "programs-parents-seminar"
    assert talker.say("親向けのセミナーはどんな内容ですか？いつ参加できますか").intent == "events"


def test_withdrawing_with_nothing_applied_for_says_so_in_the_persons_language(talker: Talker) -> None:
    turn = talker.say("I signed up for the event but can't make it, how do I cancel?")
    assert turn.intent == "event_withdraw"
    assert turn.response.text.startswith("You have no event application to withdraw")


def test_the_menu_offers_events(talker: Talker) -> None:
    menu = talker.press("menu")
    assert ("イベント・セミナー", "events") in [(c.label, c.payload) for c in menu.response.choices]
    assert len(menu.response.choices) <= 13


# -- applying ------------------------------------------------------------------------------


def test_applying_asks_consent_name_contact_and_party_and_alerts_staff(
    talker: Talker, concierge: Concierge, clock: FakeClock
) -> None:
    event_id = add_event(concierge, clock, capacity="10")
    done = apply(talker, event_id, party="form:2")
    assert "受け付けました" in done.response.text
    [application] = applications(concierge)
    assert (application.name, application.contact, application.party_size, application.status) == (
        "北見 花子",
        "hanako@example.jp",
        2,
        "confirmed",
    )
    with concierge.db.transaction() as session:
        alert = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "event_application")).one()
        assert alert.payload["name"] == "北見 花子" and alert.payload["seats_taken"] == 2


def test_consent_and_contact_are_reused_from_a_registration_and_confirmed(
    talker: Talker, concierge: Concierge, clock: FakeClock
) -> None:
    register(talker)
    event_id = add_event(concierge, clock)
    start = talker.press(f"event-apply:{event_id}")
    assert "個人情報" not in start.response.text  # consent given with the registration
    assert "北見 花子" in start.response.text and "hanako@example.jp" in start.response.text
    party = talker.press("form:saved")
    assert "人数" in party.response.text
    talker.say("3人")
    done = talker.press("form:yes")
    assert "受け付けました" in done.response.text
    [application] = applications(concierge)
    assert (application.name, application.party_size) == ("北見 花子", 3)


def test_declining_consent_saves_nothing(talker: Talker, concierge: Concierge, clock: FakeClock) -> None:
    event_id = add_event(concierge, clock)
    talker.press(f"event-apply:{event_id}")
    declined = talker.press("form:decline")
    assert "何も保存していません" in declined.response.text and applications(concierge) == []


def test_a_bad_contact_or_party_is_asked_again(
    talker: Talker, concierge: Concierge, clock: FakeClock
) -> None:
    event_id = add_event(concierge, clock)
    talker.press(f"event-apply:{event_id}")
    talker.press("form:agree")
    talker.say("北見 花子")
    again = talker.say("not-an-address")
    assert "形式が正しくない" in again.response.text
    talker.say("090-1234-5678")
    bad = talker.say("100人")
    assert "1〜10" in bad.response.text
    talker.say("2")
    assert "受け付けました" in talker.press("form:yes").response.text
    assert applications(concierge)[0].contact == "09012345678"


def test_a_full_event_takes_a_wait_list_that_moves_up_when_someone_withdraws(
    concierge: Concierge, clock: FakeClock
) -> None:
    event_id = add_event(concierge, clock, capacity="2")
    first, second = Talker(concierge), Talker(concierge)
    assert "受け付けました" in apply(first, event_id, party="form:2").response.text
    waiting = apply(second, event_id, party="form:1", name="網走 次郎")
    assert "キャンセル待ち" in waiting.response.text
    assert [a.status for a in applications(concierge)] == ["confirmed", "waiting"]

    asked = first.say("申し込みを取り消す")
    assert "取り消しますか" in asked.response.text  # a seat given up can't be taken back: confirmed
    assert [a.status for a in applications(concierge)] == ["confirmed", "waiting"]
    withdrawn = first.press(asked.response.choices[0].payload)
    assert withdrawn.intent == "event_withdraw" and "取り消しました" in withdrawn.response.text
    assert [a.status for a in applications(concierge)] == ["withdrawn", "confirmed"]
    [promoted] = notices(concierge)
    assert promoted.kind == "promoted" and "確定" in promoted.text
    nothing = first.say("申し込みを取り消す")
    assert "取り消せるお申し込みはありません" in nothing.response.text


def test_a_typed_withdrawal_is_confirmed_and_keeping_it_changes_nothing(
    talker: Talker, concierge: Concierge, clock: FakeClock
) -> None:
    event_id = add_event(concierge, clock)
    apply(talker, event_id)
    asked = talker.say("セミナーの申し込みを取り消したいです")
    labels = [c.label for c in asked.response.choices]
    assert labels == ["取り消す", "取り消さない"]
    talker.press(asked.response.choices[1].payload)
    assert [a.status for a in applications(concierge)] == ["confirmed"]


def test_the_deadline_closes_applications(talker: Talker, concierge: Concierge, clock: FakeClock) -> None:
    event_id = add_event(concierge, clock, apply_by="2026-12-20 17:00")
    clock.set_japan(2026, 12, 21, 9, 0)
    closed = talker.press(f"event-apply:{event_id}")
    assert "締め切りました" in closed.response.text and applications(concierge) == []
    listed = talker.press("events")
    assert [c.label for c in cards(listed)[0].choices] == ["詳しく"]


def test_a_deadline_passed_mid_form_is_told_at_the_end(
    talker: Talker, concierge: Concierge, clock: FakeClock
) -> None:
    event_id = add_event(concierge, clock, apply_by="2026-12-20 17:00")
    clock.set_japan(2026, 12, 20, 16, 58)
    talker.press(f"event-apply:{event_id}")
    talker.press("form:agree")
    talker.say("北見 花子")
    talker.say("hanako@example.jp")
    talker.press("form:1")
    clock.set_japan(2026, 12, 20, 17, 1)
    late = talker.press("form:yes")
    assert "受付が終わりました" in late.response.text and applications(concierge) == []


# -- notices ---------------------------------------------------------------------------------


def run_worker(concierge: Concierge, clock: Clock) -> int:
    worker = EventNoticeWorker(concierge.db, PersonDelivery(concierge.db, None, None), clock=clock)
    return anyio.run(worker.run_once)


def held_for_web(concierge: Concierge) -> list[str]:
    with concierge.db.transaction() as session:
        return [r.text for r in session.scalars(select(StaffReply).order_by(StaffReply.id))]


def test_the_reminder_comes_the_day_before_in_daytime_and_once(
    talker: Talker, concierge: Concierge, clock: FakeClock
) -> None:
    event_id = add_event(concierge, clock, online_url="https://meet.example.jp/kitami")
    apply(talker, event_id)
    clock.set_japan(2026, 12, 26, 7, 0)  # the day before, too early
    assert run_worker(concierge, clock) == 0
    clock.set_japan(2026, 12, 26, 10, 5)
    assert run_worker(concierge, clock) == 1
    assert run_worker(concierge, clock) == 0  # planned and sent once
    [reminder] = held_for_web(concierge)
    assert (
        "明日は" in reminder and "北見市民会館" in reminder and "https://meet.example.jp/kitami" in reminder
    )


def test_a_change_made_at_night_reaches_applicants_in_the_morning(
    talker: Talker, concierge: Concierge, clock: FakeClock
) -> None:
    event_id = add_event(concierge, clock)
    apply(talker, event_id)
    clock.set_japan(2026, 12, 10, 22, 30)
    with concierge.db.transaction() as session:
        event = session.get(CityEvent, event_id)
        assert event is not None
        form: dict[str, str | None] = {**desk.as_form(event), "place": "北見芸術文化ホール"}
    values, errors = desk.parse(form, clock())
    assert values is not None, errors
    with concierge.db.transaction() as session:
        desk.update(session, event_id, values, clock())
        desk.update(session, event_id, values, clock())  # saved twice: nothing new to tell
    assert run_worker(concierge, clock) == 0  # 22:30 in Japan: it waits
    clock.set_japan(2026, 12, 11, 8, 0)
    assert run_worker(concierge, clock) == 1
    [changed] = held_for_web(concierge)
    assert "北見芸術文化ホール" in changed


def test_cancelling_tells_every_applicant_once(concierge: Concierge, clock: FakeClock) -> None:
    event_id = add_event(concierge, clock, capacity="1")
    apply(Talker(concierge), event_id)
    apply(Talker(concierge), event_id)  # waiting
    with concierge.db.transaction() as session:
        assert desk.cancel(session, event_id, clock()) == 2
        assert desk.cancel(session, event_id, clock()) is None
    assert run_worker(concierge, clock) == 2
    assert all("中止" in text for text in held_for_web(concierge))
    assert run_worker(concierge, clock) == 0


def test_forgetting_a_person_deletes_their_applications_and_notices(
    talker: Talker, concierge: Concierge, clock: FakeClock
) -> None:
    event_id = add_event(concierge, clock)
    apply(talker, event_id)
    with concierge.db.transaction() as session:
        desk.cancel(session, event_id, clock())
    assert len(notices(concierge)) == 1
    confirm = talker.say("データを削除")
    assert "元に戻せません" in confirm.response.text
    assert "削除しました" in talker.press("form:yes").response.text
    assert applications(concierge) == [] and notices(concierge) == []
    with concierge.db.transaction() as session:
        assert session.scalars(select(User).where(User.channel_user_id == talker.user)).first() is None
    with concierge.db.transaction() as session:
        alert = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "event_application")).one()
        assert "name" not in alert.payload and alert.status == "cancelled"


# -- the staff desk --------------------------------------------------------------------------


def test_bad_fields_are_reported_per_field(clock: FakeClock) -> None:
    values, errors = desk.parse(
        {
            "title": "",
            "kind": "パーティー",
            "starts_at": "2026-11-01 10:00",
            "ends_at": "9:00",
            "audience": "親",
        },
        clock(),
    )
    assert values is None
    assert set(errors) == {"title", "kind", "starts_at", "ends_at", "place"}


CSV_TEXT = (
    "管理番号,タイトル,種類,開始,終了,会場,オンラインURL,対象,定員,締切,説明\n"
    "S-1,冬の親向けセミナー,セミナー,2026/12/27 14:00,16:00,北見市民会館,,親,30,2026/12/20 17:00,説明\n"
    "S-2,,相談会,2027/01/16 13:00,17:00,東京,,どなたでも,,,\n"
    "S-3,オンライン相談,相談会,2027/01/20 19:00,20:00,,http://insecure.example,どなたでも,,,\n"
    "S-4,はたらぶ体験ツアー,ツアー,2027/02/10 10:00,2027/02/12 15:00,北見,,どなたでも,10,,\n"
)


def test_a_cp932_csv_imports_good_rows_and_reports_bad_ones_by_line(
    concierge: Concierge, clock: FakeClock
) -> None:
    with concierge.db.transaction() as session:
        result = desk.import_csv(session, CSV_TEXT.encode("cp932"), clock())
    assert (result.created, result.updated) == (2, 0)
    assert [line for line, _ in result.errors] == [3, 4]
    assert "タイトル" in result.errors[0][1] and "https://" in result.errors[1][1]
    again = CSV_TEXT.replace("冬の親向けセミナー", "冬の親向けセミナー(改)").encode("utf-8-sig")
    with concierge.db.transaction() as session:
        result = desk.import_csv(session, again, clock())
        assert (result.created, result.updated) == (0, 2)
        titles = [e.title for e in desk.listing(session, clock())]
    assert titles == ["冬の親向けセミナー(改)", "はたらぶ体験ツアー"]


def test_the_applicants_csv_lists_people_and_defuses_formulas(concierge: Concierge, clock: FakeClock) -> None:
    event_id = add_event(concierge, clock)
    apply(Talker(concierge), event_id, name="=HYPERLINK(1)")
    with concierge.db.transaction() as session:
        text = desk.applicants_csv(session, event_id)
    assert text is not None and text.startswith("\ufeff申込番号")
    assert "'=HYPERLINK(1)" in text and "確定" in text


def test_line_users_may_be_reached_on_line(concierge: Concierge, clock: FakeClock) -> None:
    event_id = add_event(concierge, clock)
    line_user = Talker(concierge, Channel.LINE)
    line_user.press(f"event-apply:{event_id}")
    line_user.press("form:agree")
    line_user.say("北見 花子")
    contact = line_user.press("form:LINE")
    assert "人数" in contact.response.text


def test_retention_keeps_an_applicant_until_their_application_is_old(
    talker: Talker, concierge: Concierge, clock: FakeClock, settings: Settings
) -> None:
    event_id = add_event(concierge, clock, starts_at="2027-08-13 10:00", ends_at="15:00")
    apply(talker, event_id)
    months_later = clock() + timedelta(days=settings.message_log_retention_days + 30)
    apply_retention(concierge.db, settings, months_later)
    assert len(applications(concierge)) == 1  # quiet in the chat, but still coming to the event
    years_later = clock() + timedelta(days=settings.lead_retention_days + 1)
    apply_retention(concierge.db, settings, years_later)
    assert applications(concierge) == []
    with concierge.db.transaction() as session:
        assert session.scalars(select(User).where(User.channel_user_id == talker.user)).first() is None


# -- how each channel shows the cards ------------------------------------------------------


def test_the_web_chat_gets_cards_beside_the_text(concierge: Concierge, clock: FakeClock) -> None:
    event_id = add_event(concierge, clock)
    with TestClient(create_app(concierge.settings, concierge=concierge)) as client:
        data = client.post("/api/chat", json={"payload": "events"}).json()
        plain = client.post("/api/chat", json={"payload": "menu"}).json()
    [message] = data["messages"]
    assert message["text"] and message["cards"][0]["title"] == "会社を辞めずに北見に帰っておいで セミナー"
    assert {"label": "申し込む", "payload": f"event-apply:{event_id}"} in message["cards"][0]["choices"]
    assert all("cards" not in m for m in plain["messages"])  # older clients see the shape they knew


def many_cards(count: int) -> Response:
    card = Card(
        "北見" * 60,
        ("日時: 12月27日(日) 14:00〜16:00", "場所: " + "北見市民会館" * 40),
        (Choice("申し込む", "event-apply:1"), Choice("詳しく", "event:1")),
    )
    return Response([Reply("これからのイベントです。", cards=(card,) * count)])


def test_a_line_carousel_keeps_within_lines_limits() -> None:
    [text, flex] = [m.to_dict() for m in render(many_cards(20))]
    assert text["type"] == "text" and flex["type"] == "flex"
    assert len(flex["contents"]["contents"]) == 12  # LINE's most bubbles in a carousel
    assert len(flex["altText"]) <= 1500 and flex["altText"].startswith("これからのイベントです。")
    assert len(json.dumps(flex["contents"], ensure_ascii=False).encode()) < 50_000  # a carousel's size


def test_slack_shows_cards_as_sections_with_unique_buttons() -> None:
    out = blocks(many_cards(3))
    ids = [e["action_id"] for b in out if b["type"] == "actions" for e in b["elements"]]
    assert len(ids) == 6 and len(set(ids)) == 6
    assert all(i.startswith("choice:") for i in ids)


def test_an_english_question_gets_an_english_introduction(
    talker: Talker, concierge: Concierge, clock: FakeClock
) -> None:
    add_event(concierge, clock)
    turn = talker.say("Are there any upcoming events?")
    assert turn.intent == "events" and turn.response.replies[0].text.startswith("Upcoming events")
    assert len(cards(turn)) == 1


# -- the command line ------------------------------------------------------------------------


def test_the_cli_imports_lists_and_exports_applicants(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kb: KnowledgeBase
) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    far = CSV_TEXT.replace("2026/", "2036/").replace("2027/", "2037/")  # ahead of the real clock
    (tmp_path / "events.csv").write_bytes(far.encode("cp932"))
    imported = CliRunner().invoke(cli, ["events", "import", "events.csv"])
    assert imported.exit_code == 1  # some rows were rejected, and said so
    assert "created 2" in imported.output and "line 3" in imported.output and "line 4" in imported.output
    listed = CliRunner().invoke(cli, ["events", "list"])
    assert listed.exit_code == 0 and "冬の親向けセミナー" in listed.output and "0/30人" in listed.output
    exported = CliRunner().invoke(cli, ["events", "applicants", "1", "--csv"])
    assert exported.exit_code == 0 and exported.output.startswith("\ufeff申込番号")
    missing = CliRunner().invoke(cli, ["events", "applicants", "99", "--csv"])
    assert missing.exit_code == 1


def test_no_reminder_says_tomorrow_on_the_day_itself(
    talker: Talker, concierge: Concierge, clock: FakeClock
) -> None:
    event_id = add_event(concierge, clock)
    apply(talker, event_id)
    clock.set_japan(2026, 12, 27, 9, 0)  # the worker was away the whole day before
    assert run_worker(concierge, clock) == 0 and notices(concierge) == []


def test_the_edit_modal_is_filled_with_the_event_and_reads_back_the_same(
    concierge: Concierge, clock: FakeClock
) -> None:
    event_id = add_event(concierge, clock, capacity="30", apply_by="2026-12-20 17:00")
    with concierge.db.transaction() as session:
        event = session.get(CityEvent, event_id)
        assert event is not None
        current = desk.as_form(event)
    view = modal(current, event_id)
    assert view["private_metadata"] == str(event_id) and view["callback_id"] == "event_edit"
    state: dict[str, Any] = {}
    for block in view["blocks"]:  # what Slack sends back when staff change nothing
        element = block["element"]
        if element["type"] == "static_select":
            state[block["block_id"]] = {"value": {"selected_option": element["initial_option"]}}
        else:
            state[block["block_id"]] = {"value": {"value": element.get("initial_value")}}
    values, errors = desk.parse(submitted({"state": {"values": state}}), clock())
    assert values is not None, errors
    assert (values.title, values.capacity, values.place) == (event.title, 30, "北見市民会館")
    assert values.starts_at == event.starts_at and values.apply_by == event.apply_by
