"""Intents: one module each. The order in which they are consulted is written here, and only here."""

from __future__ import annotations

from bot.router import Router
from intents.cancel import CancelIntent
from intents.contact import ContactIntent
from intents.faq import FallbackIntent, FaqIntent
from intents.feedback import FeedbackIntent
from intents.menu import CategoryIntent, HelpIntent, MenuIntent, WelcomeIntent
from intents.oddities import NonTextIntent, TooLongIntent
from intents.smalltalk import SmallTalkIntent


def build_router() -> Router:
    return Router(
        # Work everywhere, even in the middle of a form.
        interrupts=[TooLongIntent(), CancelIntent(), MenuIntent(), HelpIntent(), WelcomeIntent()],
        forms=[],
        intents=[NonTextIntent(), CategoryIntent(), FeedbackIntent(), ContactIntent(), SmallTalkIntent()],
        faq=FaqIntent(),
        fallback=FallbackIntent(),
    )
