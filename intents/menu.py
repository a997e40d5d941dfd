"""Welcome, menu, help and browsing the knowledge base by category."""

from __future__ import annotations

import re
from typing import ClassVar

from bot import wording
from bot.forms import step_asked
from bot.messages import Choice, Event, Reply, Response
from bot.router import Button, Buttons, Context, Outcome
from bot.wording import ENGLISH
from intents import choices, payloads
from intents.choices import contact_choice, entry_choice, menu_choice
from intents.words import is_one_of, word_set

MENU_WORDS = word_set("メニュー", "めにゅー", "menu", "トップ", "最初に戻る", "はじめから")
HELP_WORDS = word_set("ヘルプ", "へるぷ", "help", "使い方", "つかいかた")
# How to use something else (「確定申告のe-Taxの使い方を教えてください」) is a question about it, not
# a call for this chat's help; 「このチャットの使い方」 is.
_ANOTHER_THINGS_USE = re.compile(r"([^\s、。,.!?！？]{2,}?)の(?:使い方|つかいかた|使いかた)")
_THIS_CHAT = re.compile(
    r"チャット|ちゃっと|bot|ボット|ぼっと|LINE|ライン|アプリ|これ|ここ|この|画面|メニュー|ボタン", re.I
)
MAX_CATEGORIES = 9  # LINE shows 13 quick replies: 9 topics and 4 actions
MAX_CATEGORY_QUESTIONS = 12
# The actions whose buttons lead the menu, before the knowledge base's categories.
MENU_ACTIONS = ("register", "refer", "events")


def menu_choices(ctx: Context) -> list[Choice]:
    """The leading actions (registration, referral, events), one button per knowledge category,
    then a way to reach staff."""
    categories = list(dict.fromkeys(entry.category for entry in ctx.kb.entries))[:MAX_CATEGORIES]
    first = [button.choice("ja") for action in MENU_ACTIONS if (button := ctx.buttons.get(action))]
    return [
        *first,
        *(Choice(c[:20], payloads.CATEGORY + c) for c in categories),
        contact_choice(),
    ]


def menu_response(ctx: Context, *texts: wording.Text) -> Response:
    replies = [Reply(t.ja) for t in (*texts, wording.MENU_PROMPT)]
    return Response(replies, menu_choices(ctx))


def english_response(text: wording.Text) -> Response:
    """A reply to someone writing in English: the (Japanese) menu and the city desk in English."""
    return Response(
        [Reply(text.in_(ENGLISH))], [menu_choice(ENGLISH), contact_choice(ENGLISH)], impersonal=True
    )


def said_in(ctx: Context, text: wording.Text) -> Response:
    """``text`` in the turn's language, with the way on: the menu in Japanese, or the English buttons."""
    if ctx.language == ENGLISH:
        return english_response(text)
    return Response([Reply(text.ja)], menu_choices(ctx), impersonal=True)


class WelcomeIntent:
    """First contact (LINE follow, the web page opening): who we are, the privacy note, the menu."""

    name = "welcome"

    def handle(self, ctx: Context) -> Outcome | None:
        if ctx.message.event is Event.FOLLOW or ctx.payload == payloads.START:
            return Outcome(menu_response(ctx, wording.WELCOME, wording.PRIVACY_NOTE))
        return None


class MenuIntent:
    name = "menu"
    buttons: ClassVar[Buttons] = {"menu": choices.MENU}

    def handle(self, ctx: Context) -> Outcome | None:
        if ctx.payload == payloads.MENU or is_one_of(ctx.text, MENU_WORDS) or ctx.understood.asks_for("menu"):
            return Outcome(menu_response(ctx))
        return None


class HelpIntent:
    name = "help"
    buttons: ClassVar[Buttons] = {"help": Button(wording.LABEL_HELP, payloads.HELP)}

    def handle(self, ctx: Context) -> Outcome | None:
        typed = ctx.understood.asks_for("help") and not _asks_how_to_use_something_else(ctx.text)
        if ctx.payload == payloads.HELP or is_one_of(ctx.text, HELP_WORDS) or typed:
            if ctx.language == ENGLISH:
                return Outcome(english_response(wording.HELP))
            return Outcome(menu_response(ctx, wording.HELP))
        return None


def _asks_how_to_use_something_else(text: str) -> bool:
    used = _ANOTHER_THINGS_USE.search(text)
    return used is not None and not _THIS_CHAT.search(used.group(1))


class NothingToUndoIntent:
    """「戻る」「はじめからやり直したい」 with no form open (forms take them first): there is no step
    to go back to, so the person is told so and given the menu, rather than a search for 戻る."""

    name = "nothing_to_undo"

    def handle(self, ctx: Context) -> Outcome | None:
        step = step_asked(ctx) if ctx.payload is None else None  # a form's own button: not typed
        if step is None:
            return None
        return Outcome(said_in(ctx, wording.NOTHING_TO_UNDO), action=step)


class CategoryIntent:
    """A category button: that category's questions as buttons."""

    name = "browse"

    def handle(self, ctx: Context) -> Outcome | None:
        category = payloads.arg(ctx.payload, payloads.CATEGORY)
        if category is None:
            return None
        entries = [e for e in ctx.kb.entries if e.category[:20] == category][:MAX_CATEGORY_QUESTIONS]
        if not entries:
            return Outcome(menu_response(ctx))
        buttons = [entry_choice(e, english=False) for e in entries]
        buttons.append(menu_choice())
        prompt = wording.CATEGORY_PROMPT.ja.format(category=category)
        return Outcome(Response([Reply(prompt)], buttons, impersonal=True))
