"""The buttons many intents offer (back to the menu, reach the city), in the person's language."""

from __future__ import annotations

from bot.messages import Choice
from intents import payloads, phrases

CONTACT_ENTRY = "contacts-city-relocation-desk"  # the city desk's contacts, in the knowledge base


# Each action the recognizer knows, as the button that does it: (Japanese, English, payload).
_ACTION_BUTTONS = {
    "register": (phrases.LABEL_LEAD, phrases.LABEL_LEAD_EN, payloads.LEAD),
    "refer": (phrases.LABEL_REFERRAL, phrases.LABEL_REFERRAL_EN, payloads.REFERRAL),
    "view_data": (phrases.LABEL_VIEW_LEAD, phrases.LABEL_VIEW_LEAD_EN, payloads.VIEW_LEAD),
    "edit_data": (phrases.LABEL_EDIT_LEAD, phrases.LABEL_EDIT_LEAD_EN, payloads.EDIT_LEAD),
    "delete_data": (phrases.LABEL_DELETE_DATA, phrases.LABEL_DELETE_DATA_EN, payloads.DELETE_DATA),
    "privacy_notice": (phrases.LABEL_PRIVACY, phrases.LABEL_PRIVACY_EN, payloads.PRIVACY_NOTICE),
    "help": (phrases.LABEL_HELP, phrases.LABEL_HELP_EN, payloads.HELP),
    "cancel": (phrases.LABEL_CANCEL, phrases.LABEL_CANCEL_EN, payloads.CANCEL),
}


def action_choice(action: str, *, english: bool = False) -> Choice | None:
    """The button that does ``action`` (offered when a message likely, but not surely, asks for it)."""
    if action == "handoff":
        return contact_choice(english=english)
    if action == "menu":
        return menu_choice(english=english)
    if (button := _ACTION_BUTTONS.get(action)) is None:
        return None
    japanese, english_label, payload = button
    return Choice(english_label if english else japanese, payload)


def menu_choice(*, english: bool = False) -> Choice:
    return Choice(phrases.LABEL_MENU_EN if english else phrases.LABEL_MENU, payloads.MENU)


def contact_choice(*, english: bool = False) -> Choice:
    """A way to reach the city: in Japanese, 職員に相談 (a staff chat where one is set up); in
    English, the city desk's contacts in English, since staff answer in Japanese."""
    if english:
        return Choice(phrases.LABEL_CONTACT_EN, payloads.FAQ_EN + CONTACT_ENTRY)
    return Choice(phrases.LABEL_CONTACT, payloads.CONTACT)
