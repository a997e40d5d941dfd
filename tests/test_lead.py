"""Registration end to end through the dispatcher: consent, every field, bad input, edits, deletion."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.messages import Channel
from bot.services import Concierge
from bot.storage import notices
from bot.storage.models import Lead, MessageLog, OutboxMessage, User
from tests.conftest import Talker

WEB_ANSWERS = [
    ("payload", "form:agree"),
    ("payload", "form:本人として"),
    ("text", "北見 花子"),
    ("payload", "form:東京23区"),
    ("payload", "form:北見出身"),
    ("payload", "form:30代"),
    ("payload", "form:1年以内"),
    ("payload", "form:今の仕事をテレワークで続ける"),
    ("payload", "form:子どもあり"),
    ("payload", "form:住まい"),
    ("payload", "form:子育て"),
    ("payload", "form:done"),
    ("payload", "form:email"),
    ("text", "hanako@example.jp"),
]
NOTICE_ANSWERS = [("payload", "form:seminars_events"), ("payload", "form:done")]
WEB_ANSWERS += NOTICE_ANSWERS


def register(talker: Talker, answers: list[tuple[str, str]] = WEB_ANSWERS) -> None:
    talker.say("移住に興味がある")
    for kind, value in answers:
        turn = talker.say(value) if kind == "text" else talker.press(value)
        assert turn.intent == "lead", (value, turn.response.text)
    confirm = turn
    assert "北見 花子" in confirm.response.text and "住まい、子育て" in confirm.response.text
    assert "登録する" in [c.label for c in confirm.response.choices]
    assert not confirm.response.impersonal  # it repeats the person's data: no channel may keep it
    done = talker.press("form:confirm")
    assert "ありがとうございます" in done.response.text


def leads(concierge: Concierge) -> list[Lead]:
    with concierge.db.transaction() as session:
        return list(session.scalars(select(Lead)))


def alerts(concierge: Concierge) -> list[OutboxMessage]:
    with concierge.db.transaction() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_consent_comes_first_and_declining_stores_nothing(talker: Talker, concierge: Concierge) -> None:
    start = talker.say("登録したい")
    assert "個人情報" in start.response.text and "削除" in start.response.text
    assert [c.label for c in start.response.choices][:2] == ["同意して登録", "同意しない"]
    declined = talker.say("同意しない")
    assert "何も保存していません" in declined.response.text
    assert leads(concierge) == [] and alerts(concierge) == []


def test_a_whole_registration_makes_one_lead_and_one_alert(talker: Talker, concierge: Concierge) -> None:
    register(talker)
    [lead] = leads(concierge)
    assert (lead.name, lead.area, lead.interests, lead.contact_value) == (
        "北見 花子",
        "東京23区",
        ["住まい", "子育て"],
        "hanako@example.jp",
    )
    assert lead.consent_version and lead.consent_at
    [alert] = alerts(concierge)
    assert alert.kind == "lead_new" and alert.payload["name"] == "北見 花子" and alert.status == "pending"


def test_registering_again_updates_the_same_lead(talker: Talker, concierge: Concierge) -> None:
    register(talker)
    changed = [("text", "北見 はなこ") if v == "北見 花子" else (k, v) for k, v in WEB_ANSWERS]
    register_again = [a for a in changed]
    talker.say("移住に興味がある")
    for kind, value in register_again:
        talker.say(value) if kind == "text" else talker.press(value)
    talker.press("form:confirm")
    [lead] = leads(concierge)
    assert lead.name == "北見 はなこ"
    assert [a.kind for a in alerts(concierge)] == ["lead_new", "lead_updated"]


@pytest.mark.parametrize(
    ("step_answers", "bad", "complaint"),
    [
        (2, "あ" * 1000, "50文字以内"),
        (2, "🙂🙂", "50文字以内"),
        (13, "not-an-email", "形式が正しくない"),
        (13, "12345", "形式が正しくない"),
    ],
)
def test_bad_answers_are_refused_and_asked_again(
    talker: Talker, step_answers: int, bad: str, complaint: str
) -> None:
    talker.say("移住に興味がある")
    for kind, value in WEB_ANSWERS[:step_answers]:
        talker.say(value) if kind == "text" else talker.press(value)
    turn = talker.say(bad)
    assert turn.intent == "lead"
    assert complaint in turn.response.text


@pytest.mark.parametrize(
    "phone", ["090-1234-5678", "09012345678", "０９０ １２３４ ５６７８", "+81 90-1234-5678", "0157-25-1210"]
)
def test_japanese_phone_numbers_in_their_usual_forms(
    talker: Talker, concierge: Concierge, phone: str
) -> None:
    answers = [*WEB_ANSWERS[:12], ("payload", "form:phone"), ("text", phone), *NOTICE_ANSWERS]
    talker.say("移住に興味がある")
    for kind, value in answers:
        talker.say(value) if kind == "text" else talker.press(value)
    talker.press("form:confirm")
    assert leads(concierge)[0].contact_value.isdigit()  # type: ignore[union-attr]


def test_cancel_at_every_step_stores_nothing(concierge: Concierge) -> None:
    for step in range(len(WEB_ANSWERS) + 1):
        talker = Talker(concierge)
        talker.say("移住に興味がある")
        for kind, value in WEB_ANSWERS[:step]:
            talker.say(value) if kind == "text" else talker.press(value)
        assert "中止しました" in talker.say("やめる").response.text
    assert leads(concierge) == [] and alerts(concierge) == []


def test_back_and_start_over(talker: Talker) -> None:
    talker.say("移住に興味がある")
    for kind, value in WEB_ANSWERS[:3]:
        talker.say(value) if kind == "text" else talker.press(value)
    back = talker.say("戻る")
    assert "お名前" in back.response.text
    again = talker.say("最初から")
    assert "どなたとして" in again.response.text  # consent is kept, the answers are not


def test_a_question_mid_form_is_answered_and_the_form_resumes(talker: Talker) -> None:
    talker.say("移住に興味がある")
    talker.press("form:agree")
    turn = talker.say("女満別空港から市内までどのくらいかかりますか？")
    assert turn.intent == "lead"
    assert "女満別" in turn.response.text
    assert "どなたとして" in turn.response.text


def test_the_form_resumes_after_a_restart(talker: Talker, concierge: Concierge) -> None:
    talker.say("移住に興味がある")
    for kind, value in WEB_ANSWERS[:5]:
        talker.say(value) if kind == "text" else talker.press(value)
    restarted = Concierge.build(concierge.settings, kb=concierge.kb)
    try:
        turn = Talker(restarted, user=talker.user).press("form:30代")
        assert "時期" in turn.response.text
    finally:
        restarted.close()


def test_family_registration_asks_for_the_family_members_name(talker: Talker) -> None:
    talker.say("移住に興味がある")
    talker.press("form:agree")
    assert "ご家族" in talker.press("form:家族として").response.text


def test_line_users_may_choose_line_as_contact(concierge: Concierge) -> None:
    talker = Talker(concierge, channel=Channel.LINE)
    talker.say("移住に興味がある")
    for kind, value in WEB_ANSWERS[:12]:
        turn = talker.say(value) if kind == "text" else talker.press(value)
    assert "LINE" in [c.label for c in turn.response.choices]
    asked = talker.press("form:line")
    assert "お知らせ" in asked.response.text and "受け取らない" in [c.label for c in asked.response.choices]
    talker.press("form:none")
    confirm = talker.press("form:done")
    assert "連絡方法: LINE" in confirm.response.text and "お知らせ: 受け取らない" in confirm.response.text


def test_referral_is_credited_and_the_parent_sees_only_a_count(concierge: Concierge) -> None:
    parent = Talker(concierge, channel=Channel.LINE)
    shared = parent.say("家族に紹介")
    code = shared.response.replies[1].text.split("紹介コード: ")[1][:6]
    assert shared.response.replies[1].image is not None
    assert any(f"?ref={code}" in link.url for link in shared.response.replies[1].links)

    child = Talker(concierge)
    assert "ご紹介" in child.say(f"紹介コード: {code}").response.text
    register(child)
    assert leads(concierge)[0].referral_code == code

    again = parent.press("referral")
    assert "1人が登録" in again.response.text
    assert "北見 花子" not in again.response.text


def test_an_unknown_referral_code_is_not_credited(talker: Talker, concierge: Concierge) -> None:
    assert "見つかりませんでした" in talker.say("紹介コード: ZZZZZZ").response.text


def test_view_and_delete_my_data(talker: Talker, concierge: Concierge) -> None:
    register(talker)
    view = talker.say("登録内容を見る")
    assert "北見 花子" in view.response.text and "お知らせ: セミナー・イベント" in view.response.text
    confirm = talker.say("データを削除")
    assert "元に戻せません" in confirm.response.text
    done = talker.press("form:yes")
    assert "削除しました" in done.response.text
    assert leads(concierge) == []
    with concierge.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0
        assert session.scalar(select(func.count()).select_from(MessageLog)) == 0
    deletion = alerts(concierge)[-1]
    assert deletion.kind == "deletion" and set(deletion.payload) == {"lead_id"}


def test_registration_is_offered_once_after_a_few_answers(talker: Talker) -> None:
    offers = 0
    for _ in range(5):
        turn = talker.say("空港から市内まで何分？")
        offers += "移住の相談・登録" in [c.label for c in turn.response.choices]
    assert offers == 1


@pytest.mark.parametrize("name", ["ゆきの", "Taro Kitami", "北見 花子", "はなこ🌸"])
def test_names_people_really_have_are_accepted(talker: Talker, name: str) -> None:
    talker.say("移住に興味がある")
    talker.press("form:agree")
    talker.press("form:本人として")
    assert "お住まい" in talker.say(name).response.text


def test_notices_chosen_in_the_form_are_subscribed_and_a_new_choice_replaces_them(
    concierge: Concierge,
) -> None:
    talker = Talker(concierge, channel=Channel.LINE)
    register(talker)
    with concierge.db.transaction() as session:
        user = session.scalars(select(User).where(User.channel_user_id == talker.user)).one()
        assert notices.topics_of(session, user) == ["seminars_events"]
    talker.say("登録内容を変更")
    again = [*WEB_ANSWERS[: -len(NOTICE_ANSWERS)], ("payload", "form:jobs"), ("payload", "form:none")]
    for kind, value in again:
        talker.say(value) if kind == "text" else talker.press(value)
    assert "お知らせ: 受け取らない" in talker.press("form:done").response.text
    talker.press("form:confirm")
    with concierge.db.transaction() as session:
        user = session.scalars(select(User).where(User.channel_user_id == talker.user)).one()
        assert notices.topics_of(session, user) == []  # 受け取らない outweighs a topic picked with it
