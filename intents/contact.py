"""職員に相談: a handoff to staff in Slack when that is set up, else how to reach the city's desk."""

from __future__ import annotations

from typing import ClassVar

from bot import wording
from bot.messages import Reply, Response
from bot.router import Buttons, Context, Outcome
from intents import choices, payloads
from intents.answers import answer_response
from intents.choices import CONTACT_ENTRY, menu_choice
from intents.handoff import open_handoff, staff_chat_available
from intents.recognizer import asks_for
from intents.words import is_one_of, word_set

CONTACT_WORDS = word_set(
    "職員に相談",
    "職員と話したい",
    "人と話したい",
    "担当者と話したい",
    "担当者に相談",
    "相談したい",
    "talk to staff",
)


class ContactIntent:
    name = "contact"
    buttons: ClassVar[Buttons] = {"handoff": choices.CONTACT}

    def handle(self, ctx: Context) -> Outcome | None:
        if not (
            ctx.payload == payloads.CONTACT or is_one_of(ctx.text, CONTACT_WORDS) or asks_for(ctx, "handoff")
        ):
            return None
        if staff_chat_available(ctx):
            return open_handoff(ctx)
        entry = ctx.kb.get(CONTACT_ENTRY)
        if entry is None:  # a knowledge base without the contacts entry (e.g. an imported CSV)
            return Outcome(Response([Reply(wording.CONTACT_UNKNOWN.ja)], [menu_choice()]))
        # The desk's own answer is the way to the city: no button back to itself.
        response = answer_response(entry, today=ctx.now.date(), offer_contact=False)
        return Outcome(response, entry_id=entry.id, score=1.0)
