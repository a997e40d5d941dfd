"""Events in the chat: finding the ones that fit, their details, applying, and withdrawing.

「次のセミナーはいつ？」「お盆に帰省したとき相談できるイベントある？」「東京で相談会ある？」 get the
upcoming events that fit what was said (kind, place, audience, dates), as cards with 申し込む
and 詳しく. Past and cancelled events are never offered. Applying is a form: consent (reused
when given before), name and contact (reused from the person's registration, confirmed), the
number of people, then a seat or the wait list; staff are alerted through the outbox.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import ClassVar

from bot import wording
from bot.conversation import IDLE
from bot.forms import Form, Option, Slot, Slots
from bot.messages import Card, Channel, Choice, Link, Reply, Response
from bot.router import Button, Buttons, Context, Outcome
from bot.storage import events, leads, outbox
from bot.storage.models import CityEvent, EventApplication
from bot.wording import ENGLISH, JAPANESE
from intents import event_text, payloads, validation
from intents.choices import entry_choice, menu_choice
from intents.recognizer import asks_for
from intents.words import fold, word_set
from knowledge.normalize import is_english

MAX_CARDS = 10  # Slack's and LINE's carousels both show this many well
EVENT_WORDS = word_set(
    "イベント", "イベント・セミナー", "セミナー", "イベント一覧", "イベント情報", "相談会", "events", "event"
)
WITHDRAW_WORDS = word_set(
    "申し込みを取り消す", "申込みを取り消す", "申し込み取り消し", "申し込みをキャンセル", "参加をキャンセル"
)
CONSENT_VERSION = "2026-11-26"
AGREE, DECLINE, SAVED, NEW = "agree", "decline", "saved", "new"
DECLINE_WORDS = word_set("同意しない", "いいえ", "no")

# What people say, and what it means for the list (the kind, the place, who it is for).
KIND_WORDS = {
    "seminar": ("セミナー", "説明会", "講座"),
    "consultation": ("相談会", "相談日", "個別相談"),
    "tour": ("ツアー", "ワーケーション", "はたらぶ", "見学", "体験"),
    "internship": ("インターン",),
    "fair": ("フェア",),
}
PLACE_WORDS = ("東京", "札幌", "大阪", "名古屋", "横浜", "北見", "オンライン")
HOMECOMING_WORDS = ("帰省", "帰ったとき", "帰ったら", "帰るとき", "地元で")  # while in Kitami
AUDIENCE_WORDS = {
    "parents": ("親", "保護者", "息子", "娘", "子ども", "子供"),
    "students": ("学生", "大学", "就活"),
}
MONTH = re.compile(r"(\d{1,2})月")


@dataclass(frozen=True)
class Wish:
    """What a message asks of an event; an empty field means "any"."""

    kinds: frozenset[str] = frozenset()
    place: str | None = None
    audience: str | None = None
    period: tuple[date, date] | None = None  # Japan-time days, both included

    @property
    def anything(self) -> bool:
        return not (self.kinds or self.place or self.audience or self.period)


def _next_period(today: date, start: tuple[int, int], end: tuple[int, int]) -> tuple[date, date]:
    """The next (month, day)–(month, day) span that has not ended; it may cross the new year."""
    for year in (today.year - 1, today.year, today.year + 1):
        first = date(year, *start)
        last = date(year + (1 if end < start else 0), *end)
        if last >= today:
            return first, last
    raise AssertionError("unreachable: next year's span always lies ahead")


def read_wish(text: str, today: date) -> Wish:
    kinds = frozenset(kind for kind, words in KIND_WORDS.items() if any(w in text for w in words))
    place = next((p for p in PLACE_WORDS if p in text), None)
    if place is None and any(w in text for w in HOMECOMING_WORDS):
        place = "北見"
    audience = next((a for a, words in AUDIENCE_WORDS.items() if any(w in text for w in words)), None)
    period: tuple[date, date] | None = None
    if "お盆" in text:
        period = _next_period(today, (8, 8), (8, 20))
    elif any(w in text for w in ("正月", "年末年始", "年末", "冬休み")):
        period = _next_period(today, (12, 20), (1, 10))
    elif "来月" in text:
        first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        period = (first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1))
    elif (month := MONTH.search(text)) and 1 <= int(month.group(1)) <= 12:
        m = int(month.group(1))
        period = _next_period(today, (m, 1), (m, 28 if m == 2 else 30 if m in (4, 6, 9, 11) else 31))
    return Wish(kinds, place, audience, period)


def fits(event: CityEvent, wish: Wish) -> bool:
    if wish.kinds and event.kind not in wish.kinds:
        return False
    if wish.place == "オンライン" and not event.online_url:
        return False
    if wish.place not in (None, "オンライン") and wish.place not in (event.place or ""):
        return False
    if wish.audience and event.audience not in (wish.audience, "anyone"):
        return False
    if wish.period:
        day = events.japan(event.starts_at).date()
        return wish.period[0] <= day <= wish.period[1]
    return True


def event_card(event: CityEvent, now: datetime) -> Card:
    choices = (
        [Choice(wording.LABEL_EVENT_APPLY.in_(JAPANESE), payloads.EVENT_APPLY + str(event.id))]
        if events.accepting(event, now)
        else []
    )
    choices.append(Choice(wording.LABEL_EVENT_DETAILS.in_(JAPANESE), payloads.EVENT + str(event.id)))
    return Card(event.title, event_text.event_lines(event), tuple(choices))


def events_response(ctx: Context, upcoming: Sequence[CityEvent], wish: Wish, *, english: bool) -> Response:
    fitting = [e for e in upcoming if fits(e, wish)]
    if fitting:
        intro = (wording.EVENTS_FOUND if wish.anything else wording.EVENTS_FOUND_FITTING).in_(JAPANESE)
    else:
        intro, fitting = wording.EVENTS_NONE_FITTING.in_(JAPANESE), list(upcoming)
    cards = tuple(event_card(e, ctx.now) for e in fitting[:MAX_CARDS])
    return Response(
        [Reply(wording.EVENTS_FOUND.in_(ENGLISH) if english else intro, cards=cards)],
        [menu_choice(ENGLISH if english else JAPANESE)],
    )


# What an event is, not when it is or how to join (「親向けのセミナーはどんな内容の会ですか」): the
# page about it answers that.
_ASKS_WHAT_IT_IS = re.compile(
    r"どんな(内容|ないよう|こと|もの|会)|どういう(内容|ないよう|もの|こと|会)|(何|なに)を(する|やる|教え|おしえ)|"
    r"\bwhat\b[^?.!]*\b(about|like)\b",
    re.IGNORECASE,
)
_ASKS_WHEN_OR_TO_JOIN = re.compile(
    r"いつ(?!も)|日程|日にち|申し?込|もうしこ|参加|行きたい|いきたい|出たい|でたい|"
    r"\b(when|join|sign up|apply|register)\b",
    re.IGNORECASE,
)


class EventsIntent:
    """The menu's イベント・セミナー, or a message asking about events: the ones that fit."""

    name = "events"
    buttons: ClassVar[Buttons] = {"events": Button(wording.LABEL_EVENTS, payloads.EVENTS)}

    def handle(self, ctx: Context) -> Outcome | None:
        typed = ctx.payload is None and (fold(ctx.text) in EVENT_WORDS or asks_for(ctx, "events"))
        if ctx.payload != payloads.EVENTS and not typed:
            return None
        if typed and _asks_what_it_is(ctx.text) and ctx.match(ctx.text).outcome != "none":
            return None  # the knowledge base's page about it answers, or is offered
        upcoming = events.upcoming(ctx.session, ctx.now)
        english = typed and is_english(ctx.text)
        if not upcoming:
            language = ENGLISH if english else JAPANESE
            choices = [menu_choice(language)]
            if (notices := ctx.buttons.get("notices_on")) is not None:
                choices.insert(0, notices.choice(language))
            if typed:
                # Nothing scheduled: what the knowledge base knows of such events (a seminar held
                # every year, a festival) is one tap away, after the plain answer to what was asked.
                choices[:0] = [
                    entry_choice(hit.entry, english=english) for hit in ctx.match(ctx.text).hits[:1]
                ]
            return Outcome(Response([Reply(wording.EVENTS_NONE_AHEAD.in_(language))], choices))
        wish = read_wish(ctx.text, events.japan(ctx.now).date()) if typed else Wish()
        return Outcome(events_response(ctx, upcoming, wish, english=english))


def _asks_what_it_is(text: str) -> bool:
    return bool(_ASKS_WHAT_IT_IS.search(text)) and not _ASKS_WHEN_OR_TO_JOIN.search(text)


class EventDetailIntent:
    """詳しく: the event's details, a calendar file and the organiser's page."""

    name = "event_detail"

    def handle(self, ctx: Context) -> Outcome | None:
        event_id = payloads.arg(ctx.payload, payloads.EVENT)
        if event_id is None:
            return None
        event = events.offered(ctx.session, int(event_id), ctx.now) if event_id.isdigit() else None
        if event is None:
            return Outcome(
                Response(
                    [Reply(wording.EVENT_GONE.in_(JAPANESE))],
                    [Choice(wording.LABEL_EVENTS.in_(JAPANESE), payloads.EVENTS), menu_choice()],
                )
            )
        base = ctx.settings.public_base_url.rstrip("/")
        links = [Link(wording.LABEL_EVENT_CALENDAR.in_(JAPANESE), f"{base}/events/{event.id}.ics")]
        if event.source and event.source.startswith("https://"):
            links.append(Link(wording.LABEL_EVENT_SOURCE.in_(JAPANESE), event.source))
        if event.online_url and event.online_url.startswith("https://"):
            links.append(Link("オンライン参加のページ", event.online_url))
        choices = (
            [Choice(wording.LABEL_EVENT_APPLY.in_(JAPANESE), payloads.EVENT_APPLY + str(event.id))]
            if events.accepting(event, ctx.now)
            else []
        )
        choices += [Choice(wording.LABEL_EVENTS.in_(JAPANESE), payloads.EVENTS), menu_choice()]
        return Outcome(Response([Reply(event_text.details(event), links=tuple(links))], choices))


# -- applying ----------------------------------------------------------------------------


def _saved(ctx: Context) -> tuple[str, str] | None:
    """The name and contact of the person's registration, if they registered."""
    lead = leads.lead_of(ctx.session, ctx.user)
    if lead is None:
        return None
    contact = "LINE" if lead.contact_method == "line" else (lead.contact_value or "")
    return (lead.name, contact) if contact else None


def _consent_given(ctx: Context) -> tuple[str, datetime] | None:
    """Consent the person gave before: to an earlier application, or with their registration."""
    if (earlier := events.consented_before(ctx.session, ctx.user.id)) is not None:
        return earlier
    lead = leads.lead_of(ctx.session, ctx.user)
    return (lead.consent_version, lead.consent_at) if lead else None


def _contact_options(ctx: Context, _slots: Slots) -> list[Option]:
    return [Option("LINE", "LINEで連絡")] if ctx.message.channel is Channel.LINE else []


def _contact(text: str) -> str | None:
    return validation.email(text) or validation.phone(text)


def _party(text: str) -> str | None:
    digits = fold(text).removesuffix("人").removesuffix("名")
    return digits if digits.isdigit() and 1 <= int(digits) <= 10 else None


def _confirm_prompt(ctx: Context, slots: Slots) -> str:
    event = ctx.session.get(CityEvent, slots["event_id"])
    name, contact = _who(ctx, slots)
    return wording.EVENT_CONFIRM.in_(JAPANESE).format(
        title=event.title if event else "",
        when=events.when_text(event) if event else "",
        name=name,
        contact=contact,
        party=slots.get("party"),
    )


def _who(ctx: Context, slots: Slots) -> tuple[str, str]:
    if slots.get("use_saved") == SAVED and (saved := _saved(ctx)) is not None:
        return saved
    return str(slots.get("name", "")), str(slots.get("contact", ""))


def _use_saved_prompt(ctx: Context, _slots: Slots) -> str:
    name, contact = _saved(ctx) or ("", "")
    return wording.EVENT_USE_SAVED.in_(JAPANESE).format(name=name, contact=contact)


def _not_saved(_ctx: Context, slots: Slots) -> bool:
    return slots.get("use_saved") != SAVED


class EventApplicationForm(Form):
    name = "event_apply"
    slots: Sequence[Slot] = (
        Slot(
            "consent",
            wording.EVENT_CONSENT.in_(JAPANESE),
            [Option(AGREE, "同意して申し込む"), Option(DECLINE, "同意しない")],
            applies=lambda ctx, _slots: _consent_given(ctx) is None,
        ),
        Slot(
            "use_saved",
            _use_saved_prompt,
            [Option(SAVED, "この内容で"), Option(NEW, "別の内容にする")],
            applies=lambda ctx, _slots: _saved(ctx) is not None,
        ),
        Slot(
            "name",
            wording.EVENT_NAME.in_(JAPANESE),
            validate=validation.name,
            invalid=wording.EVENT_NAME_INVALID.in_(JAPANESE),
            applies=_not_saved,
        ),
        Slot(
            "contact",
            lambda ctx, _slots: (
                wording.EVENT_CONTACT_ON_LINE
                if ctx.message.channel is Channel.LINE
                else wording.EVENT_CONTACT
            ).in_(JAPANESE),
            _contact_options,
            validate=_contact,
            invalid=wording.EVENT_CONTACT_INVALID.in_(JAPANESE),
            applies=_not_saved,
        ),
        Slot(
            "party",
            wording.EVENT_PARTY.in_(JAPANESE),
            [Option(str(n), f"{n}人") for n in range(1, 5)],
            validate=_party,
            invalid=wording.EVENT_PARTY_INVALID.in_(JAPANESE),
        ),
        Slot("confirm", _confirm_prompt, [Option("yes", "申し込む")]),
    )

    def kept_on_restart(self, slots: Slots) -> Slots:
        kept = {"event_id": slots["event_id"]}
        if "consent" in slots:
            kept |= {"consent": slots["consent"], "consent_at": slots.get("consent_at")}
        return kept

    def begin(self, ctx: Context, event: CityEvent) -> Outcome:
        return self.start(ctx, {"event_id": event.id})

    def handle(self, ctx: Context) -> Outcome | None:
        at_consent = ctx.state.form == self.name and ctx.state.step == "consent"
        if at_consent and (ctx.payload == f"form:{DECLINE}" or fold(ctx.text) in DECLINE_WORDS):
            return Outcome(
                Response([Reply(wording.EVENT_DECLINED.in_(JAPANESE))], [menu_choice()]), state=IDLE
            )
        outcome = super().handle(ctx)
        if outcome is not None and outcome.state is not None and outcome.state.slots.get("consent") == AGREE:
            outcome.state.slots.setdefault("consent_at", ctx.now.isoformat())
        return outcome

    def complete(self, ctx: Context, slots: Slots) -> Outcome:
        event = ctx.session.get(CityEvent, slots["event_id"])
        if event is None or not events.accepting(event, ctx.now):
            return Outcome(
                Response([Reply(wording.EVENT_ALREADY_GONE.in_(JAPANESE))], _after_choices()), state=IDLE
            )
        if slots.get("consent") == AGREE:
            consent = (CONSENT_VERSION, datetime.fromisoformat(slots["consent_at"]))
        else:
            consent = _consent_given(ctx) or (CONSENT_VERSION, ctx.now)
        name, contact = _who(ctx, slots)
        applied = events.apply(
            ctx.session,
            event,
            ctx.user,
            name=name,
            contact=contact,
            party_size=int(slots["party"]),
            consent=consent,
            now=ctx.now,
        )
        alert_staff(ctx, event, applied.application)
        base = ctx.settings.public_base_url.rstrip("/")
        calendar = (Link(wording.LABEL_EVENT_CALENDAR.in_(JAPANESE), f"{base}/events/{event.id}.ics"),)
        text = (wording.EVENT_APPLIED if applied.status == "confirmed" else wording.EVENT_WAITING).in_(
            JAPANESE
        )
        return Outcome(Response([Reply(text, links=calendar)], _after_choices()), state=IDLE)


def alert_staff(ctx: Context, event: CityEvent, application: EventApplication) -> None:
    """The staff channel hears of every application (the outbox delivers it, then keeps ids only)."""
    payload = {
        "event_id": event.id,
        "application_id": application.id,
        "event_title": event.title,
        "when": events.when_text(event),
        "status": application.status,
        "name": application.name,
        "contact": application.contact,
        "party_size": application.party_size,
        "seats_taken": events.seats_taken(ctx.session, event.id),
        "capacity": event.capacity,
    }
    outbox.enqueue(ctx.session, "event_application", payload, ctx.now, user_id=ctx.user.id)


def _after_choices() -> list[Choice]:
    return [Choice(wording.LABEL_EVENTS.in_(JAPANESE), payloads.EVENTS), menu_choice()]


class StartApplicationIntent:
    """申し込む under an event: the application form, if the event still takes applications."""

    name = "event_apply_start"

    def __init__(self, form: EventApplicationForm) -> None:
        self.form = form

    def handle(self, ctx: Context) -> Outcome | None:
        event_id = payloads.arg(ctx.payload, payloads.EVENT_APPLY)
        if event_id is None:
            return None
        event = events.offered(ctx.session, int(event_id), ctx.now) if event_id.isdigit() else None
        if event is None:
            return Outcome(Response([Reply(wording.EVENT_GONE.in_(JAPANESE))], _after_choices()), state=IDLE)
        if not events.accepting(event, ctx.now):
            return Outcome(
                Response([Reply(wording.EVENT_CLOSED.in_(JAPANESE))], _after_choices()), state=IDLE
            )
        return self.form.begin(ctx, event)


class WithdrawIntent:
    """「申し込みを取り消す」: withdraw an application; a waiting one moves up into the seat."""

    name = "event_withdraw"

    def handle(self, ctx: Context) -> Outcome | None:
        chosen = payloads.arg(ctx.payload, payloads.EVENT_WITHDRAW)
        typed = ctx.payload is None and (fold(ctx.text) in WITHDRAW_WORDS or asks_for(ctx, "event_withdraw"))
        if chosen is None and not typed:
            return None
        active = events.active_applications(ctx.session, ctx.user.id, ctx.now)
        if chosen is not None:
            active = [a for a in active if str(a.event_id) == chosen]
        if not active:
            return Outcome(
                Response([Reply(wording.EVENT_NOTHING_TO_WITHDRAW.in_(ctx.language))], _after_choices()),
                state=IDLE,
                action=self.name,
            )
        if chosen is None:
            # Typed: a seat given up can't be taken back, and the reading of a message may be wrong
            # (「キャンセルするか迷ってるけど…」), so the person confirms with a tap.
            return Outcome(self._confirm(ctx, active), action=self.name)
        application = active[0]
        event = ctx.session.get(CityEvent, application.event_id)
        assert event is not None  # joined in active_applications
        for moved in events.withdraw(ctx.session, application, ctx.now):
            events.notify(
                ctx.session,
                moved,
                "promoted",
                f"promoted:{moved.id}:{ctx.now:%Y%m%d%H%M%S}",
                event_text.moved_up(event),
                ctx.now,
            )
        outbox.enqueue(
            ctx.session,
            "event_withdrawal",
            {"event_id": event.id, "application_id": application.id, "event_title": event.title},
            ctx.now,
            user_id=ctx.user.id,
        )
        return Outcome(
            Response(
                [Reply(wording.EVENT_WITHDRAWN.in_(ctx.language).format(title=event.title))], _after_choices()
            ),
            state=IDLE,
            action=self.name,
        )

    @staticmethod
    def _confirm(ctx: Context, active: Sequence[EventApplication]) -> Response:
        """Which application to withdraw, as buttons (one: 「…を取り消しますか？」)."""
        keep = Choice(wording.LABEL_KEEP_APPLICATION.in_(ctx.language), payloads.MENU)
        if len(active) == 1:
            event = ctx.session.get(CityEvent, active[0].event_id)
            title = event.title if event else ""
            ask = wording.EVENT_CONFIRM_WITHDRAW.in_(ctx.language).format(title=title)
            payload = payloads.EVENT_WITHDRAW + str(active[0].event_id)
            withdraw = Choice(wording.LABEL_WITHDRAW.in_(ctx.language), payload)
            return Response([Reply(ask)], [withdraw, keep])
        choices = [
            Choice(_short(ctx.session.get(CityEvent, a.event_id)), payloads.EVENT_WITHDRAW + str(a.event_id))
            for a in active[:12]
        ]
        return Response([Reply(wording.EVENT_WHICH_TO_WITHDRAW.in_(ctx.language))], [*choices, keep])


def _short(event: CityEvent | None) -> str:
    if event is None:
        return "イベント"
    local = events.japan(event.starts_at)
    label = f"{local.month}/{local.day} {event.title}"
    return label if len(label) <= 20 else label[:19] + "…"
