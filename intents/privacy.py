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
from intents import payloads
from intents.choices import menu_choice
from intents.lead import PRIVACY_TERMS, LeadForm, summary
from intents.recognizer import asks_for
from intents.words import fold, word_set

VIEW_WORDS = word_set("登録内容を見る", "登録内容", "登録を確認")
EDIT_WORDS = word_set("変更する", "登録内容を変更", "登録を変更")
DELETE_WORDS = word_set("データを削除", "削除", "登録を削除", "個人情報を削除", "退会")
NO_LEAD = "まだ登録はありません。"
YOUR_LEAD = "ご登録の内容です。\n{summary}"
CONFIRM_DELETE = "ご登録の内容、会話の記録をすべて削除します。元に戻せません。削除してよろしいですか？"
NOTICE = (
    "個人情報の取り扱いです。登録いただいた場合:\n"
    f"{PRIVACY_TERMS}\n"
    "ご質問の内容は、回答の改善のため一定期間、個人が分からない形で記録します。"
)
DELETED = "削除しました。ご利用ありがとうございました。また質問があれば、いつでも話しかけてください。"


def lead_answers(ctx: Context) -> Slots | None:
    lead = leads.lead_of(ctx.session, ctx.user)
    if lead is None:
        return None
    answers: Slots = {name: getattr(lead, name) for name in leads.LEAD_FIELDS}
    return answers | {"notices": notices.topics_of(ctx.session, ctx.user)}


class DeleteDataForm(Form):
    """One confirmation step, so a stray tap can't erase someone's registration."""

    name = "delete_data"
    slots: Sequence[Slot] = (Slot("confirm", CONFIRM_DELETE, [Option("yes", "はい、削除する")]),)

    def handle(self, ctx: Context) -> Outcome | None:
        outcome = super().handle(ctx)
        if outcome is not None and outcome.state is not None and outcome.state.active:
            outcome.response.choices.append(Choice("やめる", payloads.CANCEL))
        return outcome

    def complete(self, ctx: Context, slots: Slots) -> Outcome:
        return Outcome(Response([Reply(DELETED)]), state=IDLE, forget_user=True)


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
            choices = [Choice("登録内容を見る", payloads.VIEW_LEAD), menu_choice()]
            return Outcome(Response([Reply(NOTICE)], choices), action="privacy_notice")
        if ctx.payload == payloads.VIEW_LEAD or folded in VIEW_WORDS or asks_for(ctx, "view_data"):
            answers = lead_answers(ctx)
            if answers is None:
                no_lead = Response([Reply(NO_LEAD)], [c for c in [ctx.button("register")] if c])
                return Outcome(no_lead, action="view_data")
            yours = Response([Reply(YOUR_LEAD.format(summary=summary(answers)))], self._choices())
            return Outcome(yours, action="view_data")
        if ctx.payload == payloads.EDIT_LEAD or folded in EDIT_WORDS or asks_for(ctx, "edit_data"):
            return replace(self.lead_form.start(ctx), action="edit_data")
        if ctx.payload == payloads.DELETE_DATA or folded in DELETE_WORDS or asks_for(ctx, "delete_data"):
            return replace(self.delete_form.start(ctx), action="delete_data")
        return None

    @staticmethod
    def _choices() -> list[Choice]:
        return [
            Choice("変更する", payloads.EDIT_LEAD),
            Choice("データを削除", payloads.DELETE_DATA),
            menu_choice(),
        ]
