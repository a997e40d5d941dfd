"""Greetings and thanks: a friendly word instead of "I don't know"."""

from __future__ import annotations

from bot.messages import Reply, Response
from bot.router import Context, Outcome
from intents import phrases
from intents.menu import english_response, menu_choices
from intents.words import fold, word_set
from knowledge.normalize import is_english

GREETINGS = word_set(
    "こんにちは",
    "こんばんは",
    "おはよう",
    "おはようございます",
    "はじめまして",
    "hello",
    "hi",
    "good morning",
    "good evening",
)
THANKS = word_set(
    "ありがとう",
    "ありがとうございます",
    "ありがとうございました",
    "助かりました",
    "thanks",
    "thank you",
    "thank you very much",
    "thanks a lot",
)


class SmallTalkIntent:
    name = "smalltalk"

    def handle(self, ctx: Context) -> Outcome | None:
        folded = fold(ctx.text)
        for words, japanese, english in (
            (GREETINGS, phrases.GREETING, phrases.GREETING_EN),
            (THANKS, phrases.THANKS, phrases.THANKS_EN),
        ):
            if folded in words:
                if is_english(ctx.text):
                    return Outcome(english_response(english))
                return Outcome(Response([Reply(japanese)], menu_choices(ctx.kb), impersonal=True))
        return None
