"""Messages that aren't questions: stickers and photos, emoji only, empty, or far too long."""

from __future__ import annotations

from bot import wording
from bot.messages import Event, Reply, Response
from bot.router import Context, Outcome
from intents.menu import menu_choices

MAX_QUESTION_LENGTH = 1000


class TooLongIntent:
    """Nobody's question is 1,000 characters; a paste that long gets a polite limit, not a search."""

    name = "too_long"

    def handle(self, ctx: Context) -> Outcome | None:
        if len(ctx.text) > MAX_QUESTION_LENGTH:
            return Outcome(Response([Reply(wording.TOO_LONG.ja)], menu_choices(ctx), impersonal=True))
        return None


class NonTextIntent:
    """A sticker, image or location, or text with no letters or digits at all (emoji, symbols)."""

    name = "non_text"

    def handle(self, ctx: Context) -> Outcome | None:
        if ctx.payload is not None:
            return None
        if ctx.message.event is Event.NON_TEXT or not any(c.isalnum() for c in ctx.text):
            return Outcome(Response([Reply(wording.NON_TEXT.ja)], menu_choices(ctx), impersonal=True))
        return None
