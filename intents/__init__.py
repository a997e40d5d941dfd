"""Intents: one module each. The order in which they are consulted is written here, and only here."""

from __future__ import annotations

from bot.router import Router
from intents.cancel import CancelIntent
from intents.contact import ContactIntent
from intents.events import (
    EventApplicationForm,
    EventDetailIntent,
    EventsIntent,
    StartApplicationIntent,
    WithdrawIntent,
)
from intents.faq import FallbackIntent, FaqIntent
from intents.feedback import FeedbackIntent
from intents.handoff import HandoffForm
from intents.lead import LeadForm, StartLeadIntent
from intents.menu import CategoryIntent, HelpIntent, MenuIntent, NothingToUndoIntent, WelcomeIntent
from intents.notices import NoticesIntent
from intents.oddities import NonTextIntent, TooLongIntent
from intents.privacy import DeleteDataForm, PrivacyIntent
from intents.rate_limit import RateLimitIntent
from intents.recognizer import read_message
from intents.referral import ArrivalCodeIntent, ReferralIntent
from intents.smalltalk import SmallTalkIntent


def build_router() -> Router:
    lead_form, delete_form, event_form = LeadForm(), DeleteDataForm(), EventApplicationForm()
    return Router(
        # Work everywhere, even in the middle of a form.
        interrupts=[
            RateLimitIntent(),
            TooLongIntent(),
            CancelIntent(),
            MenuIntent(),
            HelpIntent(),
            WelcomeIntent(),
        ],
        forms=[lead_form, delete_form, HandoffForm(), event_form],
        intents=[
            NonTextIntent(),
            ArrivalCodeIntent(),  # 「紹介コード: ABC234」 is a code, not a wish to refer someone
            NoticesIntent(),  # 「セミナーの案内がほしい」 asks for notices, not to register
            StartLeadIntent(lead_form),
            PrivacyIntent(lead_form, delete_form),
            ReferralIntent(),
            StartApplicationIntent(event_form),
            WithdrawIntent(),  # before the event list: 「セミナーの申し込みを取り消す」 is no search
            EventDetailIntent(),
            EventsIntent(),
            CategoryIntent(),
            NothingToUndoIntent(),  # 「戻る」 with no form open: the forms above take it when one is
            FeedbackIntent(),
            ContactIntent(),
            SmallTalkIntent(),
        ],
        faq=FaqIntent(),
        fallback=FallbackIntent(),
        read=read_message,
    )
