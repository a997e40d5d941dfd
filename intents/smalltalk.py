"""Greetings and thanks: a friendly word instead of "I don't know"."""

from __future__ import annotations

import re

from bot import wording
from bot.router import Context, Outcome
from bot.understanding import PREAMBLE, SURE
from intents.menu import said_in
from intents.words import fold, word_set
from knowledge.normalize import asks_anywhere

GREETINGS = word_set(
    "こんにちは",
    "こんにちわ",
    "こんちは",
    "こんちわ",
    "ちわ",
    "こんばんは",
    "こんばんわ",
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
        for label, words, text in (
            ("greeting", GREETINGS, wording.GREETING),
            ("thanks", THANKS, wording.THANKS),
        ):
            # A message that only introduces itself (「北見出身の者です」, 「こんにちは。北見の母です」)
            # is greeted. A letter whose question hides in a statement (「…心臓の手術が受けられるのか
            # と心配しております。ご教示賜れれば幸甚に存じます」) is answered when the knowledge base is
            # sure of it; one with a question in its middle (「…實情はいかがなものでございましょうか。
            # …氣掛かりでなりませぬ」) is searched.
            introduced = (
                label == "greeting"
                and (ctx.understood.means(PREAMBLE, SURE) or _opens_with_a_greeting(ctx.text))
                and not asks_anywhere(ctx.text)
                and ctx.match(ctx.text).outcome != "answer"
            )
            if folded in words or ctx.understood.asks_for(label) or introduced:
                return Outcome(said_in(ctx, text), action=label)
        return None


_WORD_BREAK = re.compile(r"[\s。、．，.,!！〜~]+")


def _opens_with_a_greeting(text: str) -> bool:
    """The message's first word is a greeting (「こんにちは 端野の佐藤です…」, "Hello, I'm…")."""
    first = _WORD_BREAK.split(text.strip(), maxsplit=1)[0]
    return fold(first) in GREETINGS
