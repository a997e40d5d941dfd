"""The person's data rights: see what they registered, change it, delete everything."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar

from bot import wording
from bot.conversation import IDLE
from bot.forms import Form, Option, Slot, Slots
from bot.messages import Choice, Reply, Response
from bot.router import Button, Buttons, Context, Outcome
from bot.storage import leads, notices
from bot.wording import JAPANESE
from intents import payloads
from intents.choices import menu_choice
from intents.lead import LeadForm, summary
from intents.recognizer import asks_for
from intents.words import fold, word_set

VIEW_WORDS = word_set("登録内容を見る", "登録内容", "登録を確認")
EDIT_WORDS = word_set("変更する", "登録内容を変更", "登録を変更")
DELETE_WORDS = word_set("データを削除", "削除", "登録を削除", "個人情報を削除", "退会")


def lead_answers(ctx: Context) -> Slots | None:
    lead = leads.lead_of(ctx.session, ctx.user)
    if lead is None:
        return None
    answers: Slots = {name: getattr(lead, name) for name in leads.LEAD_FIELDS}
    return answers | {"notices": notices.topics_of(ctx.session, ctx.user)}


class DeleteDataForm(Form):
    """One confirmation step, so a stray tap can't erase someone's registration."""

    name = "delete_data"
    slots: Sequence[Slot] = (
        Slot(
            "confirm",
            wording.PRIVACY_CONFIRM_DELETE.in_(JAPANESE),
            [Option("yes", wording.PRIVACY_CONFIRM_DELETE_YES.in_(JAPANESE))],
        ),
    )

    def handle(self, ctx: Context) -> Outcome | None:
        outcome = super().handle(ctx)
        if outcome is not None and outcome.state is not None and outcome.state.active:
            outcome.response.choices.append(Choice(wording.LABEL_CANCEL.in_(JAPANESE), payloads.CANCEL))
        return outcome

    def complete(self, ctx: Context, slots: Slots) -> Outcome:
        return Outcome(
            Response([Reply(wording.PRIVACY_DELETED.in_(ctx.language))]), state=IDLE, forget_user=True
        )


class PrivacyIntent:
    name = "privacy"
    buttons: ClassVar[Buttons] = {
        "view_data": Button(wording.LABEL_VIEW_LEAD, payloads.VIEW_LEAD),
        "edit_data": Button(wording.LABEL_EDIT_LEAD, payloads.EDIT_LEAD),
        "delete_data": Button(wording.LABEL_DELETE_DATA, payloads.DELETE_DATA),
        "privacy_notice": Button(wording.LABEL_PRIVACY, payloads.PRIVACY_NOTICE),
    }

    def __init__(self, lead_form: LeadForm, delete_form: DeleteDataForm) -> None:
        self.lead_form, self.delete_form = lead_form, delete_form

    def handle(self, ctx: Context) -> Outcome | None:
        folded = fold(ctx.text) if ctx.payload is None else ""
        if ctx.payload == payloads.PRIVACY_NOTICE or asks_for(ctx, "privacy_notice"):
            choices = [Choice(wording.LABEL_VIEW_LEAD.in_(JAPANESE), payloads.VIEW_LEAD), menu_choice()]
            return Outcome(
                Response([Reply(wording.PRIVACY_NOTICE.in_(ctx.language))], choices), action="privacy_notice"
            )
        if ctx.payload == payloads.VIEW_LEAD or folded in VIEW_WORDS or asks_for(ctx, "view_data"):
            answers = lead_answers(ctx)
            if answers is None:
                no_lead = Response(
                    [Reply(wording.PRIVACY_NO_LEAD.in_(ctx.language))],
                    [c for c in [ctx.button("register")] if c],
                )
                return Outcome(no_lead, action="view_data")
            yours = Response(
                [Reply(wording.PRIVACY_YOUR_LEAD.in_(ctx.language).format(summary=summary(answers)))],
                self._choices(),
            )
            return Outcome(yours, action="view_data")
        if ctx.payload == payloads.EDIT_LEAD or folded in EDIT_WORDS or asks_for(ctx, "edit_data"):
            return replace(self.lead_form.start(ctx), action="edit_data")
        if ctx.payload == payloads.DELETE_DATA or folded in DELETE_WORDS or asks_for(ctx, "delete_data"):
            return replace(self.delete_form.start(ctx), action="delete_data")
        return None

    @staticmethod
    def _choices() -> list[Choice]:
        return [
            Choice(wording.PRIVACY_LABEL_EDIT.in_(JAPANESE), payloads.EDIT_LEAD),
            Choice(wording.LABEL_DELETE_DATA.in_(JAPANESE), payloads.DELETE_DATA),
            menu_choice(),
        ]
