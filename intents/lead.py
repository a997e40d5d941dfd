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
from intents import payloads, validation
from intents.choices import menu_choice
from intents.faq import confident_answer
from intents.recognizer import asks_for
from intents.words import fold, word_set
from knowledge.normalize import looks_like_question

CONSENT_VERSION = "2026-11-24"
PRIVACY_TERMS = (
    "・目的: 北見への移住・Uターンのご相談に、北見市の担当職員からご連絡するため\n"
    "・見る人: 北見市の移住相談の担当職員だけです\n"
    "・保存期間: 最後のご連絡から2年間。その後は削除します\n"
    "・削除: いつでも「データを削除」と送れば削除できます"
)
CONSENT_NOTICE = f"ご登録の前に、個人情報の取り扱いをご確認ください。\n{PRIVACY_TERMS}\n同意いただけますか？"
DECLINED = "承知しました。登録はせず、何も保存していません。質問はこれまでどおりご利用いただけます。"
REGISTERED = "ご登録ありがとうございます。北見市の担当職員から、ご希望の方法でご連絡します。"
UPDATED = "登録内容を更新しました。担当職員にもお知らせしました。"

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
        return "移住を考えているご家族(お子さまなど)のお名前を教えてください。ニックネームでもかまいません。"
    return "お名前を教えてください。ニックネームでもかまいません。"


def _contact_value_prompt(_ctx: Context, slots: Slots) -> str:
    if slots.get("contact_method") == "email":
        return "メールアドレスを入力してください。"
    return "電話番号を入力してください(例: 090-1234-5678)。"


NO_NOTICES = "none"  # the notices step's "受け取らない": it outweighs any topic picked with it


def summary(answers: Slots) -> str:
    lines = [
        f"・{field.label}: {field.display(answers[field.name])}"
        for field in lead_fields.LEAD_FIELDS
        if answers.get(field.name) is not None
    ]
    if (chosen := answers.get("notices")) is not None:  # not a lead's field: kept as subscriptions
        lines.append("・お知らせ: " + ("、".join(TOPICS[t] for t in notice_topics(chosen)) or "受け取らない"))
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
        Slot("consent", CONSENT_NOTICE, [Option(AGREE, "同意して登録"), Option(DECLINE, "同意しない")]),
        Slot("registrant", "どなたとして登録しますか？", _opts("registrant")),
        Slot(
            "name", _name_prompt, validate=validation.name, invalid="お名前は50文字以内で入力してください。"
        ),
        Slot(
            "area",
            "今お住まいの地域を教えてください(ボタンか、市区町村名などを入力)。",
            _opts("area"),
            validate=validation.area,
            invalid="お住まいの地域は50文字以内で入力してください。",
        ),
        Slot("relation", "北見とのご縁を教えてください。", _opts("relation")),
        Slot("age_band", "年代を教えてください。", _opts("age_band")),
        Slot("timing", "移住の時期のお考えは？", _opts("timing")),
        Slot(
            "work_plan",
            "移住後のお仕事のお考えは？",
            _opts("work_plan"),
        ),
        Slot("household", "世帯の状況は？", _opts("household")),
        Slot(
            "interests",
            "関心のあることを選んでください(いくつでも)。選び終わったら「選び終わった」を押してください。",
            _opts("interests"),
            multiple=True,
        ),
        Slot("contact_method", "ご希望の連絡方法は？", _contact_options),
        Slot(
            "contact_value",
            _contact_value_prompt,
            validate=_contact_value,
            invalid="メールアドレスか電話番号の形式が正しくないようです。もう一度入力してください。",
            applies=lambda _ctx, slots: slots.get("contact_method") in ("email", "phone"),
        ),
        Slot(
            "notices",
            "北見市からのお知らせ(セミナー・イベント、仕事、支援金)を受け取りますか？"
            "(いくつでも。選び終わったら「選び終わった」)",
            [*(Option(topic, label) for topic, label in TOPICS.items()), Option(NO_NOTICES, "受け取らない")],
            multiple=True,
            applies=_notices_reach,
        ),
        Slot(
            "confirm",
            lambda _ctx, slots: f"この内容で登録します。\n{summary(slots)}",
            [Option(CONFIRM, "登録する")],
        ),
    )

    def kept_on_restart(self, slots: Slots) -> Slots:
        return {"consent": slots["consent"], "consent_at": slots["consent_at"]} if "consent" in slots else {}

    def handle(self, ctx: Context) -> Outcome | None:
        at_consent = ctx.state.form == self.name and ctx.state.step == "consent"
        if at_consent and (ctx.payload == f"form:{DECLINE}" or fold(ctx.text) in DECLINE_WORDS):
            return Outcome(Response([Reply(DECLINED)], [menu_choice()]), state=IDLE)
        outcome = super().handle(ctx)
        if outcome is not None and outcome.state is not None and outcome.state.slots.get("consent") == AGREE:
            outcome.state.slots.setdefault("consent_at", ctx.now.isoformat())
        if outcome is not None and outcome.state is not None and outcome.state.step == "confirm":
            outcome.response.choices.insert(1, Choice("最初から", RESTART))
            outcome.response.choices.insert(2, Choice("やめる", payloads.CANCEL))
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
        text = REGISTERED if created else UPDATED
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
