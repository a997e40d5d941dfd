"""The buttons many intents offer (back to the menu, reach the city), in the turn's language."""

from __future__ import annotations

from bot import wording
from bot.messages import Choice
from bot.router import Button, Context
from bot.wording import JAPANESE, Language
from intents import payloads

CONTACT_ENTRY = "contacts-city-relocation-desk"  # the city desk's contacts, in the knowledge base

MENU = Button(wording.LABEL_MENU, payloads.MENU)
# A way to reach the city: in Japanese, 職員に相談 (a staff chat where one is set up); in English,
# the city desk's contacts in English, since staff answer in Japanese.
CONTACT = Button(wording.LABEL_CONTACT, payloads.CONTACT, english_payload=payloads.FAQ_EN + CONTACT_ENTRY)


def menu_choice(language: Language = JAPANESE) -> Choice:
    return MENU.choice(language)


def contact_choice(language: Language = JAPANESE) -> Choice:
    return CONTACT.choice(language)


def likely_action_first(ctx: Context, choices: list[Choice]) -> None:
    """An action the message may ask for, but not surely, as the first button: one tap, not a guess."""
    candidate = ctx.understood.runner_up
    choice = ctx.button(candidate.label) if candidate else None
    if choice is not None and choice.payload not in {c.payload for c in choices}:
        choices.insert(0, choice)
