"""Talking to a person: 「職員に相談」 opens a handoff; until staff close it (or 24 hours pass) the
person's messages go to the staff's Slack thread instead of being answered by the bot."""

from __future__ import annotations

from datetime import timedelta

from bot import wording
from bot.conversation import IDLE
from bot.messages import Choice, Reply, Response
from bot.router import Context, Outcome
from bot.storage import handoffs, limits
from intents import payloads
from intents.answers import answer_response
from intents.choices import CONTACT_ENTRY, menu_choice
from intents.privacy import DELETE_WORDS
from intents.words import fold

FORM = "handoff"
# What staff may see of the conversation before a handoff: what the person asked, never what they
# typed into a form (a name, a contact, a deletion confirmation). wording.HANDOFF_OPENED tells the person so.
SHARED_WITH_STAFF = frozenset({"faq", "fallback", "smalltalk", "browse", "contact", "welcome"})


def cancel_choice() -> Choice:
    return Choice(wording.LABEL_CANCEL.in_(wording.JAPANESE), payloads.CANCEL)


def staff_chat_available(ctx: Context) -> bool:
    return bool(ctx.settings.slack_bot_token and ctx.settings.slack_staff_channel)


def open_handoff(ctx: Context) -> Outcome:
    """Open a handoff, or return to the one already open (one per person, one alert per handoff).

    New handoffs are capped per address and overall, so a script without a cookie (a new person
    every time) can't flood the staff channel; those refused are told how else to reach the city.
    """
    existing = handoffs.open_of(ctx.session, ctx.user, ctx.now)
    if existing is not None:
        slots = {"handoff_id": existing.id}
        state = IDLE.at(FORM, "open", slots, ctx.now, existing.expires_at - ctx.now)
        return Outcome(
            Response([Reply(wording.HANDOFF_ALREADY_OPEN.in_(ctx.language))], [cancel_choice()]), state=state
        )
    settings = ctx.settings
    caps = limits.caps_for(
        "handoffs", ctx.message.address, settings.handoffs_per_hour_per_address, settings.handoffs_per_hour
    )
    if not limits.allow(ctx.session, ctx.now, caps):
        return _busy(ctx)
    question = "" if ctx.payload else ctx.text
    handoff = handoffs.open_handoff(ctx.session, ctx.user, question, ctx.now, SHARED_WITH_STAFF)
    state = IDLE.at(FORM, "open", {"handoff_id": handoff.id}, ctx.now, timedelta(hours=24))
    return Outcome(
        Response([Reply(wording.HANDOFF_OPENED.in_(ctx.language))], [cancel_choice()]), state=state
    )


def _busy(ctx: Context) -> Outcome:
    entry = ctx.kb.get(CONTACT_ENTRY)
    if entry is None:  # a knowledge base without the contacts entry
        return Outcome(Response([Reply(wording.HANDOFF_BUSY.in_(ctx.language))], [menu_choice()]))
    response = answer_response(entry)
    response.replies.insert(0, Reply(wording.HANDOFF_BUSY.in_(ctx.language)))
    return Outcome(response, entry_id=entry.id)


class HandoffForm:
    """While a handoff is open, what the person says is relayed to staff."""

    name = FORM

    def handle(self, ctx: Context) -> Outcome | None:
        if ctx.state.form != FORM:
            return None
        handoff = handoffs.active(ctx.session, int(ctx.state.slots.get("handoff_id", 0)), ctx.now)
        if handoff is None:
            return Outcome(
                Response([Reply(wording.HANDOFF_BOT_BACK.in_(ctx.language))], [menu_choice()]), state=IDLE
            )
        if ctx.payload == payloads.DELETE_DATA or (ctx.payload is None and fold(ctx.text) in DELETE_WORDS):
            return None  # the right to be forgotten is not a message for staff: the router takes it
        if ctx.text:
            handoffs.relay_to_staff(ctx.session, handoff, ctx.text, ctx.now)
        return Outcome(Response([Reply(wording.HANDOFF_RELAYED.in_(ctx.language))]))
