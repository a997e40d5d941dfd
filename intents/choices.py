"""The buttons many intents offer (back to the menu, reach the city), in the person's language."""

from __future__ import annotations

from bot.messages import Choice
from intents import payloads, phrases

CONTACT_ENTRY = "contacts-city-relocation-desk"  # the city desk's contacts, in the knowledge base


def menu_choice(*, english: bool = False) -> Choice:
    return Choice(phrases.LABEL_MENU_EN if english else phrases.LABEL_MENU, payloads.MENU)


def contact_choice(*, english: bool = False) -> Choice:
    """A way to reach the city: in Japanese, 職員に相談 (a staff chat where one is set up); in
    English, the city desk's contacts in English, since staff answer in Japanese."""
    if english:
        return Choice(phrases.LABEL_CONTACT_EN, payloads.FAQ_EN + CONTACT_ENTRY)
    return Choice(phrases.LABEL_CONTACT, payloads.CONTACT)
