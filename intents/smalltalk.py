"""Greetings and thanks: a friendly word instead of "I don't know"."""

from __future__ import annotations

from bot.messages import Reply, Response
from bot.router import Context, Outcome
from intents import phrases
from intents.menu import menu_choices
from intents.words import fold, word_set

GREETINGS = word_set(
    "こんにちは", "こんばんは", "おはよう", "おはようございます", "はじめまして", "hello", "hi"
)
THANKS = word_set(
    "ありがとう", "ありがとうございます", "ありがとうございました", "助かりました", "thanks", "thank you"
)


class SmallTalkIntent:
    name = "smalltalk"

    def handle(self, ctx: Context) -> Outcome | None:
        folded = fold(ctx.text)
        if folded in GREETINGS:
            return Outcome(Response([Reply(phrases.GREETING)], menu_choices(ctx.kb), impersonal=True))
        if folded in THANKS:
            return Outcome(Response([Reply(phrases.THANKS)], menu_choices(ctx.kb), impersonal=True))
        return None
