"""Greetings and thanks: a friendly word instead of "I don't know"."""

from __future__ import annotations

from bot.messages import Reply, Response
from bot.router import Context, Outcome
from bot.understanding import PREAMBLE, SURE
from intents import phrases
from intents.menu import english_response, menu_choices
from intents.words import fold, word_set
from knowledge.normalize import is_english, looks_like_question

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
        for label, words, japanese, english in (
            ("greeting", GREETINGS, phrases.GREETING, phrases.GREETING_EN),
            ("thanks", THANKS, phrases.THANKS, phrases.THANKS_EN),
        ):
            # A message that only introduces itself (「北見出身の者です」) is greeted, not searched.
            introduced = (
                label == "greeting"
                and ctx.understood.means(PREAMBLE, SURE)
                and not looks_like_question(ctx.text)
            )
            if folded in words or ctx.understood.asks_for(label) or introduced:
                if is_english(ctx.text):
                    return Outcome(english_response(english), action=label)
                response = Response([Reply(japanese)], menu_choices(ctx.kb), impersonal=True)
                return Outcome(response, action=label)
        return None
