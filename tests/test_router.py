"""The router's order: interrupts, then the active form, then one-shot intents, FAQ, fallback."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import ClassVar

import pytest
from sqlalchemy import select

from bot.conversation import IDLE
from bot.dispatcher import Dispatcher
from bot.messages import Choice, Reply, Response
from bot.router import Button, Buttons, Context, Outcome, Router
from bot.services import Concierge
from bot.storage.models import AnswerFeedback
from bot.wording import Text, language_of
from intents import build_router
from intents.faq import FallbackIntent, FaqIntent
from tests.conftest import Talker


class EchoNameForm:
    """A two-step form standing in for the registration form: asks a name, then a town."""

    name = "echo_form"

    def handle(self, ctx: Context) -> Outcome | None:
        ttl = timedelta(hours=1)
        if ctx.payload == "start-form":
            return Outcome(
                Response([Reply("お名前は？")]), state=IDLE.at(self.name, "name", {}, ctx.now, ttl)
            )
        if ctx.state.form != self.name:
            return None
        if ctx.state.step == "name":
            slots = {"name": ctx.text}
            return Outcome(
                Response([Reply("お住まいは？")]), state=ctx.state.at(self.name, "town", slots, ctx.now, ttl)
            )
        slots = {**ctx.state.slots, "town": ctx.text}
        return Outcome(Response([Reply(f"{slots['name']}さん、{slots['town']}ですね。")]), state=IDLE)


class StartEchoForm:
    name = "echo_start"

    def __init__(self, form: EchoNameForm) -> None:
        self.form = form

    def handle(self, ctx: Context) -> Outcome | None:
        return self.form.handle(replace(ctx, state=IDLE)) if ctx.payload == "start-form" else None


def router_with_form() -> Router:
    base = build_router()
    form = EchoNameForm()
    return Router(
        interrupts=base._interrupts,
        forms=[form],
        intents=[StartEchoForm(form), *base._intents],
        faq=FaqIntent(),
        fallback=FallbackIntent(),
    )


@pytest.fixture
def form_talker(concierge: Concierge) -> Talker:
    concierge.dispatcher = Dispatcher(
        concierge.db, router_with_form(), concierge.kb, concierge.settings, concierge.dispatcher.clock
    )
    return Talker(concierge)


def test_duplicate_intent_names_are_refused() -> None:
    base = build_router()
    with pytest.raises(ValueError, match="faq"):
        Router(interrupts=[], forms=[], intents=[FaqIntent()], faq=FaqIntent(), fallback=FallbackIntent())
    assert base.names[:2] == ["rate_limited", "too_long"] and base.names[-2:] == ["faq", "fallback"]


class AskTheMayorIntent:
    """An intent added the way docs/architecture.md says: its module declares its own button."""

    name = "mayor"
    buttons: ClassVar[Buttons] = {"ask_mayor": Button(Text("市長に聞く", "Ask the mayor"), "mayor")}

    def handle(self, ctx: Context) -> Outcome | None:
        return Outcome(Response([Reply("市長室です。")])) if ctx.payload == "mayor" else None


def test_two_intents_may_not_declare_a_button_for_one_action() -> None:
    class Another(AskTheMayorIntent):
        name = "mayor_again"

    with pytest.raises(ValueError, match="ask_mayor"):
        Router(
            interrupts=[],
            forms=[],
            intents=[AskTheMayorIntent(), Another()],
            faq=FaqIntent(),
            fallback=FallbackIntent(),
        )


def test_the_menu_offers_what_the_router_holds(concierge: Concierge) -> None:
    full = Talker(concierge).say("メニュー").response.choices
    assert [c.payload for c in full[:2]] == [
        "lead",
        "referral",
    ]  # declared by the registration and referral intents

    base = build_router()
    without_registration = Router(
        interrupts=base._interrupts,
        forms=[],
        intents=[i for i in base._intents if i.name != "lead_start"] + [AskTheMayorIntent()],
        faq=FaqIntent(),
        fallback=FallbackIntent(),
    )
    concierge.dispatcher = Dispatcher(concierge.db, without_registration, concierge.kb, concierge.settings)
    menu = Talker(concierge).say("メニュー")
    assert [c.payload for c in menu.response.choices[:1]] == ["referral"]
    assert "lead" not in {c.payload for c in menu.response.choices}
    mayor = Talker(concierge).press("mayor")
    assert mayor.intent == "mayor" and mayor.action == "ask_mayor"  # its one action, for evaluation


def test_a_button_says_its_label_in_the_turns_language() -> None:
    button = AskTheMayorIntent.buttons["ask_mayor"]
    assert button.choice("ja") == Choice("市長に聞く", "mayor")
    assert button.choice("en") == Choice("Ask the mayor", "mayor")
    assert language_of("Where is the city hall?") == "en" and language_of("市役所はどこ？") == "ja"
    assert language_of("", "faq-en:some-entry") == "en" and language_of("", "faq:some-entry") == "ja"


def test_faq_answers_from_the_knowledge_base(talker: Talker) -> None:
    turn = talker.say("空港から市内まで何分？")
    assert turn.intent == "faq"
    assert turn.entry_id is not None
    assert "女満別" in turn.response.text
    assert "出典" in turn.response.text
    assert [c.label for c in turn.response.choices][:2] == ["役に立った", "役に立たなかった"]
    assert turn.response.impersonal  # the same for anyone who asks: channels may reuse its rendering


def test_out_of_scope_question_gets_the_fallback_not_an_unrelated_entry(talker: Talker) -> None:
    for question in ("ビットコインの買い方を教えて", "今日のプロ野球の結果", "猫の爪切りのコツを知りたい"):
        turn = talker.say(question)
        assert turn.intent == "fallback", (question, turn.entry_id)
        assert turn.entry_id is None
        assert "お答えできません" in turn.response.text
        assert {"メニュー", "職員に相談"} <= {c.label for c in turn.response.choices}
    # One shared word (people ask about 「コンピュータの会社」 in Kitami) may earn a 「もしかして」
    # button, never an answer.
    turn = talker.say("量子コンピュータの原理")
    assert turn.entry_id is None and "出典" not in turn.response.text


def test_menu_lists_categories_and_a_category_lists_its_questions(talker: Talker) -> None:
    menu = talker.say("メニュー")
    assert menu.intent == "menu"
    assert 2 <= len(menu.response.choices) <= 13
    assert menu.response.choices[-1].label == "職員に相談"
    category = next(c for c in menu.response.choices if c.payload.startswith("cat:"))
    listing = talker.press(category.payload)
    assert listing.intent == "browse"
    question = listing.response.choices[0]
    answer = talker.press(question.payload)
    assert answer.intent == "faq" and answer.entry_id


@pytest.mark.parametrize("said", ["戻る", "前の質問に戻りたいです", "最初からやり直したいです"])
def test_going_back_with_no_form_open_says_so_and_offers_the_menu(talker: Talker, said: str) -> None:
    turn = talker.say(said)
    assert turn.entry_id is None  # 「戻る」 once found the salmon-model entry
    assert "入力の途中の手続きはありません" in turn.response.text
    assert "職員に相談" in {c.label for c in turn.response.choices}


def test_going_back_in_english_with_no_form_open_is_answered_in_english(talker: Talker) -> None:
    turn = talker.say("go back")
    assert turn.response.text.startswith("There is nothing in progress")


def test_the_active_form_sees_the_message_first_and_global_words_still_work(form_talker: Talker) -> None:
    form_talker.press("start-form")
    # Something that would otherwise be an FAQ question is the form's answer here.
    assert form_talker.say("空港").response.text == "お住まいは？"
    # メニュー works mid-form, and the form is still waiting afterwards.
    assert form_talker.say("メニュー").intent == "menu"
    done = form_talker.say("常呂")
    assert done.intent == "echo_form"
    assert "空港さん、常呂ですね。" in done.response.text


def test_cancel_leaves_the_form(form_talker: Talker) -> None:
    form_talker.press("start-form")
    cancelled = form_talker.say("やめる")
    assert cancelled.intent == "cancel"
    assert "中止しました" in cancelled.response.text
    assert form_talker.say("空港から市内まで何分？").intent == "faq"


def test_cancel_with_nothing_to_cancel_says_so(talker: Talker) -> None:
    assert "中止する手続きはありません" in talker.say("キャンセル").response.text


def test_form_state_survives_a_restart_and_a_second_worker(form_talker: Talker) -> None:
    """A second dispatcher on the same database (a restart, or another web worker) continues the form."""
    concierge = form_talker.concierge
    form_talker.press("start-form")
    form_talker.say("山田")
    other = Concierge.build(concierge.settings, kb=concierge.kb)
    other.dispatcher = Dispatcher(other.db, router_with_form(), other.kb, other.settings)
    try:
        turn = Talker(other, user=form_talker.user).say("端野")
        assert "山田さん、端野ですね。" in turn.response.text
    finally:
        other.close()


def test_an_abandoned_form_expires(form_talker: Talker) -> None:
    concierge = form_talker.concierge
    form_talker.press("start-form")
    later = concierge.dispatcher.clock() + timedelta(hours=2)
    concierge.dispatcher.clock = lambda: later
    assert form_talker.say("空港から市内まで何分？").intent == "faq"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("", "non_text"),
        ("   \n ", "non_text"),
        ("😀🎉", "non_text"),
        ("あ" * 20_000, "too_long"),
        ("こんにちは", "smalltalk"),
        ("ありがとう！", "smalltalk"),
        ("ヘルプ", "help"),
    ],
)
def test_odd_messages_get_a_polite_reply(talker: Talker, text: str, intent: str) -> None:
    turn = talker.say(text)
    assert turn.intent == intent
    assert turn.response.text and turn.response.choices


def test_control_and_invisible_characters_are_ignored(talker: Talker) -> None:
    turn = talker.say("空港\u200bから\x00市内まで\u202e何分？\x07")
    assert turn.intent == "faq" and "女満別" in turn.response.text


def test_english_question_gets_an_english_answer(talker: Talker) -> None:
    turn = talker.say("How long does it take from the airport to Kitami?")
    assert turn.intent == "faq"
    assert "Memanbetsu" in turn.response.text


def test_an_english_answer_asks_for_feedback_in_english_and_thanks_in_english(talker: Talker) -> None:
    answer = talker.say("How long does it take from the airport to Kitami?")
    assert answer.response.replies[-1].text == "Was this answer helpful?"
    labels = [c.label for c in answer.response.choices]
    assert labels[:2] == ["Helpful", "Not helpful"] and labels[-1] == "Menu"
    related = answer.response.choices[2:-1]  # the same topic's next questions, in English too
    assert related and all(c.payload.startswith("faq-en:") for c in related)
    thanks = talker.press(answer.response.choices[0].payload)
    assert thanks.intent == "feedback" and thanks.response.text.startswith("Thank you")
    with talker.concierge.db.transaction() as session:
        [counted] = session.scalars(select(AnswerFeedback))
    assert (counted.entry_id, counted.helpful, counted.unhelpful) == (answer.entry_id, 1, 0)


def test_not_helpful_in_english_offers_the_city_desk_in_english(talker: Talker) -> None:
    answer = talker.say("How cold is Kitami in winter?")
    sorry = talker.press(answer.response.choices[1].payload)
    assert sorry.response.text.startswith("Sorry")
    contact = sorry.response.choices[-1]
    assert contact.label == "Contact the city"
    desk = talker.press(contact.payload)
    assert "City Hall" in desk.response.text and "0157" in desk.response.text
    assert not any(_is_japanese(c.label) for c in desk.response.choices)


def test_an_unsure_english_question_gets_english_suggestions_answered_in_english(talker: Talker) -> None:
    unsure = talker.say("support")  # one word several entries use
    assert unsure.response.text == "Did you mean one of these?"
    first, *_, none_of_these, menu = unsure.response.choices
    assert (none_of_these.label, menu.label) == ("None of these", "Menu")
    assert not _is_japanese(first.label)
    picked = talker.press(first.payload)
    assert picked.intent == "faq" and picked.entry_id
    assert "Sources:" in picked.response.text and "出典" not in picked.response.text


def test_registration_is_offered_in_english_after_english_answers(talker: Talker) -> None:
    for question in ("How cold is Kitami in winter?", "How much is rent?", "trains to Sapporo"):
        turn = talker.say(question)
    assert "register" in turn.response.text
    assert turn.response.choices[0].label == "Register"


@pytest.mark.parametrize(
    ("said", "opening"),
    [("Hello", "Hello!"), ("Thank you!", "You're welcome"), ("help", "How to use this chat")],
)
def test_hello_thanks_and_help_in_english_are_answered_in_english(
    talker: Talker, said: str, opening: str
) -> None:
    turn = talker.say(said)
    assert turn.response.text.startswith(opening) and not _is_japanese(turn.response.text)
    assert [c.label for c in turn.response.choices] == ["Menu", "Contact the city"]
    desk = talker.press(turn.response.choices[1].payload)
    assert "City Hall" in desk.response.text


def test_hello_in_japanese_stays_japanese_with_the_menu(talker: Talker) -> None:
    turn = talker.say("こんにちは")
    assert turn.response.text.startswith("こんにちは") and len(turn.response.choices) > 2


def _is_japanese(text: str) -> bool:
    return any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in text)


def test_feedback_is_counted(talker: Talker) -> None:
    answer = talker.say("空港から市内まで何分？")
    helpful = answer.response.choices[0]
    turn = talker.press(helpful.payload)
    assert turn.intent == "feedback"
    assert "ありがとうございます" in turn.response.text


def test_contact_shows_how_to_reach_staff(talker: Talker) -> None:
    turn = talker.press("contact")
    assert turn.intent == "contact"
    assert "0157" in turn.response.text or "市役所" in turn.response.text


def test_a_flood_is_asked_to_slow_down_and_served_again_a_minute_later(concierge: Concierge) -> None:
    limited = Concierge.build(
        concierge.settings.model_copy(update={"rate_limit_per_minute": 5}), kb=concierge.kb
    )
    talker = Talker(limited)
    start = limited.dispatcher.clock()
    intents = [talker.say("こんにちは").intent for _ in range(8)]
    assert intents == ["smalltalk"] * 5 + ["rate_limited"] * 3
    limited.dispatcher.clock = lambda: start + timedelta(minutes=1, seconds=1)
    assert talker.say("こんにちは").intent == "smalltalk"
    limited.close()
