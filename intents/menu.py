"""Welcome, menu, help and browsing the knowledge base by category."""

from __future__ import annotations

from bot.messages import Choice, Event, Reply, Response
from bot.router import Context, Outcome
from intents import payloads, phrases
from intents.choices import contact_choice, menu_choice
from intents.event_phrases import LABEL_EVENTS
from intents.words import is_one_of, word_set
from knowledge import KnowledgeBase
from knowledge.normalize import is_english

MENU_WORDS = word_set("メニュー", "めにゅー", "menu", "トップ", "最初に戻る", "はじめから")
HELP_WORDS = word_set("ヘルプ", "へるぷ", "help", "使い方", "つかいかた")
MAX_CATEGORIES = 9  # LINE shows 13 quick replies: 9 topics and 4 actions
MAX_CATEGORY_QUESTIONS = 12


def menu_choices(kb: KnowledgeBase) -> list[Choice]:
    """Registration, referral and events first, a button per knowledge category, then the staff."""
    categories = list(dict.fromkeys(entry.category for entry in kb.entries))[:MAX_CATEGORIES]
    return [
        Choice(phrases.LABEL_LEAD, payloads.LEAD),
        Choice(phrases.LABEL_REFERRAL, payloads.REFERRAL),
        Choice(LABEL_EVENTS, payloads.EVENTS),
        *(Choice(c[:20], payloads.CATEGORY + c) for c in categories),
        contact_choice(),
    ]


def menu_response(kb: KnowledgeBase, *texts: str) -> Response:
    return Response([Reply(t) for t in (*texts, phrases.MENU_PROMPT)], menu_choices(kb))


def english_response(text: str) -> Response:
    """A reply to someone writing in English: the (Japanese) menu and the city desk in English."""
    choices = [menu_choice(english=True), contact_choice(english=True)]
    return Response([Reply(text)], choices, impersonal=True)


class WelcomeIntent:
    """First contact (LINE follow, the web page opening): who we are, the privacy note, the menu."""

    name = "welcome"

    def handle(self, ctx: Context) -> Outcome | None:
        if ctx.message.event is Event.FOLLOW or ctx.payload == payloads.START:
            return Outcome(menu_response(ctx.kb, phrases.WELCOME, phrases.PRIVACY_NOTE))
        return None


class MenuIntent:
    name = "menu"

    def handle(self, ctx: Context) -> Outcome | None:
        if ctx.payload == payloads.MENU or is_one_of(ctx.text, MENU_WORDS) or ctx.understood.asks_for("menu"):
            return Outcome(menu_response(ctx.kb))
        return None


class HelpIntent:
    name = "help"

    def handle(self, ctx: Context) -> Outcome | None:
        if ctx.payload == payloads.HELP or is_one_of(ctx.text, HELP_WORDS) or ctx.understood.asks_for("help"):
            if is_english(ctx.text):
                return Outcome(english_response(phrases.HELP_EN))
            return Outcome(menu_response(ctx.kb, phrases.HELP))
        return None


class CategoryIntent:
    """A category button: that category's questions as buttons."""

    name = "browse"

    def handle(self, ctx: Context) -> Outcome | None:
        category = payloads.arg(ctx.payload, payloads.CATEGORY)
        if category is None:
            return None
        entries = [e for e in ctx.kb.entries if e.category[:20] == category][:MAX_CATEGORY_QUESTIONS]
        if not entries:
            return Outcome(menu_response(ctx.kb))
        choices = [Choice(question_label(e.question), payloads.FAQ + e.id) for e in entries]
        choices.append(menu_choice())
        return Outcome(
            Response([Reply(phrases.CATEGORY_PROMPT.format(category=category))], choices, impersonal=True)
        )


def question_label(question: str) -> str:
    """A question shortened to a 20-character button label."""
    question = question.rstrip("？?")
    return question if len(question) <= 20 else question[:19] + "…"
