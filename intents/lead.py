"""Registration as a lead: consent first, then a few taps, a summary, and staff are alerted.

Started by 「移住に興味がある」「登録したい」, the menu's 移住の相談・登録 button, or the offer made
once after a few answered questions. Registering again updates the person's existing lead.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

from bot import lead_fields, wording
from bot.conversation import IDLE
from bot.forms import RESTART, Form, Option, Slot, Slots
from bot.messages import Channel, Choice, Reply, Response
from bot.router import Button, Buttons, Context, Outcome
from bot.storage import leads, limits, notices
from bot.storage.notices import TOPICS
from bot.understanding import QUESTION, SURE
from bot.wording import JAPANESE
from intents import payloads, validation
from intents.choices import menu_choice
from intents.faq import confident_answer
from intents.recognizer import asks_for
from intents.words import fold, word_set
from knowledge.normalize import looks_like_question

CONSENT_VERSION = "2026-11-24"
START_WORDS = word_set(
    "登録",
    "登録したい",
    "移住に興味がある",
    "移住に興味があります",
    "uターンを考えている",
    "uターンを考えています",
    "移住を考えている",
    "移住を考えています",
    "移住したい",
    "相談・登録",
    "移住の相談・登録",
    "register",
)
AGREE, DECLINE = "agree", "decline"
DECLINE_WORDS = word_set("同意しない", "いいえ", "no")
CONFIRM = "confirm"


def _opts(name: str) -> list[Option]:
    return [Option(choice.value, choice.label) for choice in lead_fields.field(name).choices]


def _contact_options(ctx: Context, _slots: Slots) -> list[Option]:
    # On LINE the account itself is a way to reach the person; elsewhere it is not.
    options = _opts("contact_method")
    return [o for o in options if o.value != "line" or ctx.message.channel is Channel.LINE]


def _contact_value(text: str) -> str | None:
    return validation.email(text) or validation.phone(text)


def _is_family(slots: Slots) -> bool:
    return slots.get("registrant") == lead_fields.REGISTRANT_FAMILY


def _name_prompt(_ctx: Context, slots: Slots) -> str:
    if _is_family(slots):
        return wording.LEAD_NAME_FAMILY.in_(JAPANESE)
    return wording.LEAD_NAME.in_(JAPANESE)


def _contact_value_prompt(_ctx: Context, slots: Slots) -> str:
    if slots.get("contact_method") == "email":
        return wording.LEAD_EMAIL.in_(JAPANESE)
    return wording.LEAD_PHONE.in_(JAPANESE)


NO_NOTICES = "none"  # the notices step's "受け取らない": it outweighs any topic picked with it


def summary(answers: Slots) -> str:
    lines = [
        wording.LEAD_SUMMARY_LINE.in_(JAPANESE).format(
            label=field.label, value=field.display(answers[field.name])
        )
        for field in lead_fields.LEAD_FIELDS
        if answers.get(field.name) is not None
    ]
    if (chosen := answers.get("notices")) is not None:  # not a lead's field: kept as subscriptions
        topics = "、".join(TOPICS[t] for t in notice_topics(chosen)) or wording.LEAD_NO_NOTICES.in_(JAPANESE)
        lines.append(wording.LEAD_SUMMARY_NOTICES.in_(JAPANESE).format(topics=topics))
    return "\n".join(lines)


def notice_topics(picked: list[str] | None) -> list[str]:
    """The topics picked at the notices step (none when 受け取らない is among them)."""
    picked = list(picked or ())
    return [] if NO_NOTICES in picked else [t for t in picked if t in TOPICS]


def _notices_reach(ctx: Context, _slots: Slots) -> bool:
    return ctx.message.channel in (Channel.LINE, Channel.WEB)  # where a notice can be delivered


class LeadForm(Form):
    name = "lead"
    own_actions = frozenset({"register", "edit_data"})
    slots: Sequence[Slot] = (
        Slot(
            "consent",
            wording.LEAD_CONSENT.in_(JAPANESE),
            [
                Option(AGREE, wording.LEAD_AGREE.in_(JAPANESE)),
                Option(DECLINE, wording.LEAD_DECLINE.in_(JAPANESE)),
            ],
        ),
        Slot("registrant", wording.LEAD_REGISTRANT.in_(JAPANESE), _opts("registrant")),
        Slot("name", _name_prompt, validate=validation.name, invalid=wording.LEAD_NAME_INVALID.in_(JAPANESE)),
        Slot(
            "area",
            wording.LEAD_AREA.in_(JAPANESE),
            _opts("area"),
            validate=validation.area,
            invalid=wording.LEAD_AREA_INVALID.in_(JAPANESE),
        ),
        Slot("relation", wording.LEAD_RELATION.in_(JAPANESE), _opts("relation")),
        Slot("age_band", wording.LEAD_AGE_BAND.in_(JAPANESE), _opts("age_band")),
        Slot("timing", wording.LEAD_TIMING.in_(JAPANESE), _opts("timing")),
        Slot(
            "work_plan",
            wording.LEAD_WORK_PLAN.in_(JAPANESE),
            _opts("work_plan"),
        ),
        Slot("household", wording.LEAD_HOUSEHOLD.in_(JAPANESE), _opts("household")),
        Slot(
            "interests",
            wording.LEAD_INTERESTS.in_(JAPANESE),
            _opts("interests"),
            multiple=True,
        ),
        Slot("contact_method", wording.LEAD_CONTACT_METHOD.in_(JAPANESE), _contact_options),
        Slot(
            "contact_value",
            _contact_value_prompt,
            validate=_contact_value,
            invalid=wording.LEAD_CONTACT_INVALID.in_(JAPANESE),
            applies=lambda _ctx, slots: slots.get("contact_method") in ("email", "phone"),
        ),
        Slot(
            "notices",
            wording.LEAD_NOTICES.in_(JAPANESE),
            [
                *(Option(topic, label) for topic, label in TOPICS.items()),
                Option(NO_NOTICES, wording.LEAD_NO_NOTICES.in_(JAPANESE)),
            ],
            multiple=True,
            applies=_notices_reach,
        ),
        Slot(
            "confirm",
            lambda _ctx, slots: wording.LEAD_CONFIRM.in_(JAPANESE).format(summary=summary(slots)),
            [Option(CONFIRM, wording.LEAD_LABEL_CONFIRM.in_(JAPANESE))],
        ),
    )

    def kept_on_restart(self, slots: Slots) -> Slots:
        return {"consent": slots["consent"], "consent_at": slots["consent_at"]} if "consent" in slots else {}

    def handle(self, ctx: Context) -> Outcome | None:
        at_consent = ctx.state.form == self.name and ctx.state.step == "consent"
        if at_consent and (ctx.payload == f"form:{DECLINE}" or fold(ctx.text) in DECLINE_WORDS):
            return Outcome(
                Response([Reply(wording.LEAD_DECLINED.in_(ctx.language))], [menu_choice()]), state=IDLE
            )
        outcome = super().handle(ctx)
        if outcome is not None and outcome.state is not None and outcome.state.slots.get("consent") == AGREE:
            outcome.state.slots.setdefault("consent_at", ctx.now.isoformat())
        if outcome is not None and outcome.state is not None and outcome.state.step == "confirm":
            outcome.response.choices.insert(1, Choice(wording.LEAD_LABEL_RESTART.in_(JAPANESE), RESTART))
            outcome.response.choices.insert(2, Choice(wording.LABEL_CANCEL.in_(JAPANESE), payloads.CANCEL))
        return outcome

    def answer_question(self, ctx: Context) -> Outcome | None:
        # Only what reads as a question: a mistyped e-mail address must get "please check", not an FAQ.
        asked = looks_like_question(ctx.text) or ctx.understood.means(QUESTION, SURE)
        return confident_answer(ctx) if asked else None

    def complete(self, ctx: Context, slots: Slots) -> Outcome:
        consent_at = datetime.fromisoformat(slots["consent_at"])
        address, cap = ctx.message.address, ctx.settings.lead_alerts_per_hour_per_address
        # Registrations from one address beyond the cap are still saved; staff get them summarised.
        alone = address is None or limits.allow(
            ctx.session, ctx.now, [(limits.address_key("lead_alerts", address), cap)]
        )
        _lead, created = leads.save_lead(
            ctx.session, ctx.user, slots, CONSENT_VERSION, consent_at, ctx.now, alert_alone=alone
        )
        if "notices" in slots:  # a choice made in the form replaces the previous one
            notices.unsubscribe(ctx.session, ctx.user)
            notices.subscribe(ctx.session, ctx.user, notice_topics(slots["notices"]), ctx.now)
        text = (wording.LEAD_REGISTERED if created else wording.LEAD_UPDATED).in_(ctx.language)
        return Outcome(Response([Reply(text)], [menu_choice()]), state=IDLE)


class StartLeadIntent:
    """Starts the registration form from its button or words."""

    name = "lead_start"
    buttons: ClassVar[Buttons] = {"register": Button(wording.LABEL_LEAD, payloads.LEAD)}

    def __init__(self, form: LeadForm) -> None:
        self.form = form

    def handle(self, ctx: Context) -> Outcome | None:
        typed = ctx.payload is None and (fold(ctx.text) in START_WORDS or asks_for(ctx, "register"))
        if ctx.payload == payloads.LEAD or typed:
            return self.form.start(ctx)
        return None
