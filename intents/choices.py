"""The buttons many intents offer (back to the menu, reach the city), in the turn's language."""

from __future__ import annotations

from bot import wording
from bot.messages import Choice
from bot.router import Button, Context
from bot.wording import JAPANESE, Language
from intents import payloads
from knowledge import Entry

CONTACT_ENTRY = "contacts-city-relocation-desk"  # the city desk's contacts, in the knowledge base

MENU = Button(wording.LABEL_MENU, payloads.MENU)
# A way to reach the city: in Japanese, 職員に相談 (a staff chat where one is set up); in English,
# the city desk's contacts in English, since staff answer in Japanese.
CONTACT = Button(wording.LABEL_CONTACT, payloads.CONTACT, english_payload=payloads.FAQ_EN + CONTACT_ENTRY)


def menu_choice(language: Language = JAPANESE) -> Choice:
    return MENU.choice(language)


def contact_choice(language: Language = JAPANESE) -> Choice:
    return CONTACT.choice(language)


def likely_action(ctx: Context) -> Choice | None:
    """The button of an action the message may ask for, but not surely; None when there is none."""
    candidate = ctx.understood.runner_up
    return ctx.button(candidate.label) if candidate else None


def likely_action_first(ctx: Context, choices: list[Choice]) -> None:
    """An action the message may ask for, but not surely, as the first button: one tap, not a guess."""
    choice = likely_action(ctx)
    if choice is not None and choice.payload not in {c.payload for c in choices}:
        choices.insert(0, choice)


def question_label(question: str) -> str:
    """A question shortened to a 20-character button label."""
    question = question.rstrip("？?")
    return question if len(question) <= 20 else question[:19] + "…"


def entry_choice(entry: Entry, *, english: bool) -> Choice:
    """An entry's answer one tap away, labelled with its first question in the person's language
    (an entry not yet in English by its Japanese question; its answer says so)."""
    question = (entry.questions_en if english else ()) or entry.questions
    return Choice(question_label(question[0]), (payloads.FAQ_EN if english else payloads.FAQ) + entry.id)
