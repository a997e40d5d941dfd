"""Multi-turn forms with declared slots (in the spirit of Rasa SDK's forms).

A form lists its slots in order; each slot says what to ask, which buttons to offer and how
to validate a typed answer. The form engine does the rest the same way for every form:
戻る (back), 最初から (start over), skipping slots that don't apply, answering a question asked
mid-form and then asking again, and keeping everything in the conversation row between turns.

Typed text is read by the same recognizer as everywhere else (``ctx.understood``): a command or a
question is never stored as an answer. 「もうやめたい」 is caught by the cancel interrupt before
the form sees it; 「データを削除したい」 is left to the intent that does it; a question is answered
(or, if the knowledge base can't, the person is told so) and the slot asked again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bot import wording
from bot.conversation import IDLE
from bot.messages import Choice, Reply, Response
from bot.router import Context, Outcome
from bot.understanding import NO_ACTION, NOT_OURS, QUESTION, SURE
from knowledge.normalize import looks_like_question, normalize

Slots = dict[str, Any]
Validator = Callable[[str], "str | None"]  # the cleaned value, or None when the answer is not valid

FORM_PAYLOAD = "form:"  # every button a form offers starts so
BACK = "form:back"
RESTART = "form:restart"
DONE = "form:done"  # finishes a multiple-choice slot
BACK_WORDS = frozenset({"戻る", "もどる", "前に戻る", "back"})
RESTART_WORDS = frozenset({"最初から", "さいしょから", "やり直す", "やりなおす", "restart"})
_STEPS = {"back": (BACK, BACK_WORDS), "restart": (RESTART, RESTART_WORDS)}


def step_asked(ctx: Context) -> str | None:
    """ "back" or "restart" when the message asks to go back a step or start over: by its button,
    the words typed, or the recognizer's reading."""
    typed = normalize(ctx.text) if ctx.payload is None else ""
    for action, (payload, words) in _STEPS.items():
        if ctx.payload == payload or typed in words or ctx.understood.asks_for(action):
            return action
    return None


@dataclass(frozen=True)
class Option:
    """A button answer: what is stored, and what the person sees."""

    value: str
    label: str


@dataclass(frozen=True)
class Slot:
    name: str
    prompt: str | Callable[[Context, Slots], str]
    options: Sequence[Option] | Callable[[Context, Slots], Sequence[Option]] = ()
    validate: Validator | None = None  # typed answers; None means only a button will do
    invalid: str = "すみません、ボタンから選んでください。"
    multiple: bool = False  # several options, finished with the 選び終わった button
    applies: Callable[[Context, Slots], bool] = field(default=lambda _ctx, _slots: True)

    def prompt_for(self, ctx: Context, slots: Slots) -> str:
        return self.prompt(ctx, slots) if callable(self.prompt) else self.prompt

    def options_for(self, ctx: Context, slots: Slots) -> Sequence[Option]:
        return self.options(ctx, slots) if callable(self.options) else self.options


# Small talk mid-form (「ありがとう」) is an answer like any other text where a slot takes text.
SMALL_TALK = ("greeting", "thanks", "preamble")


class Form:
    """Subclasses declare ``name``, ``slots`` and ``complete``; the engine asks and checks."""

    name: str
    slots: Sequence[Slot]
    own_actions: frozenset[str] = frozenset()  # what starts this form: asked again mid-form, a no-op
    done_label = "選び終わった"
    back_label = "戻る"

    def complete(self, ctx: Context, slots: Slots) -> Outcome:
        raise NotImplementedError

    def answer_question(self, ctx: Context) -> Outcome | None:
        """An answer to a question typed mid-form instead of the slot's answer, or None."""
        return None

    def ttl(self, ctx: Context) -> timedelta:
        return timedelta(hours=ctx.settings.conversation_ttl_hours)

    # -- starting and asking -------------------------------------------------------------

    def start(self, ctx: Context, slots: Slots | None = None, preface: Sequence[str] = ()) -> Outcome:
        return self._ask(ctx, self._next_slot(ctx, slots or {}, after=None), slots or {}, preface)

    def _ask(self, ctx: Context, slot: Slot | None, slots: Slots, preface: Sequence[str] = ()) -> Outcome:
        if slot is None:
            return self.complete(ctx, slots)
        options = slot.options_for(ctx, slots)
        chosen = set(slots.get(slot.name) or []) if slot.multiple else set()
        choices = [
            Choice(("✓" + o.label)[:20] if o.value in chosen else o.label, f"form:{o.value}") for o in options
        ]
        if slot.multiple:
            choices.append(Choice(self.done_label, DONE))
        if self._previous_slot(ctx, slots, slot) is not None:
            choices.append(Choice(self.back_label, BACK))
        replies = [Reply(text) for text in (*preface, slot.prompt_for(ctx, slots))]
        state = IDLE.at(self.name, slot.name, slots, ctx.now, self.ttl(ctx))
        return Outcome(Response(replies, choices[:13]), state=state)

    def _applicable(self, ctx: Context, slots: Slots) -> list[Slot]:
        return [s for s in self.slots if s.applies(ctx, slots)]

    def _next_slot(self, ctx: Context, slots: Slots, after: Slot | None) -> Slot | None:
        order = self._applicable(ctx, slots)
        start = 0 if after is None else next((i + 1 for i, s in enumerate(order) if s.name == after.name), 0)
        return next((s for s in order[start:] if s.name not in slots), None)

    def _previous_slot(self, ctx: Context, slots: Slots, current: Slot) -> Slot | None:
        order = self._applicable(ctx, slots)
        index = next((i for i, s in enumerate(order) if s.name == current.name), 0)
        return order[index - 1] if index > 0 else None

    def _slot(self, name: str | None) -> Slot | None:
        return next((s for s in self.slots if s.name == name), None)

    # -- answering -------------------------------------------------------------------------

    def handle(self, ctx: Context) -> Outcome | None:
        if ctx.state.form != self.name:
            return None
        slots = dict(ctx.state.slots)
        slot = self._slot(ctx.state.step)
        if slot is None:  # the form changed under a stored conversation: begin again
            return self.start(ctx)
        text, payload = ctx.text, ctx.payload
        if payload is not None and not payload.startswith(FORM_PAYLOAD):
            return None  # another button (職員に相談, a menu topic): its intent answers it
        step = step_asked(ctx)
        if step == "back":
            previous = self._previous_slot(ctx, slots, slot)
            if previous is None:
                return self._ask(ctx, slot, slots)
            slots.pop(previous.name, None)
            return self._ask(ctx, previous, slots)
        if step == "restart":
            return self.start(ctx, self.kept_on_restart(slots))
        if payload is None and not self._is_option(ctx, slot, slots, text):
            if self._for_another_intent(ctx):
                return None  # 「データを削除したい」: the deletion intent takes it from here
            if (not_an_answer := self._not_an_answer(ctx, slot, slots)) is not None:
                return not_an_answer
        if slot.multiple and payload == DONE:
            if not slots.get(slot.name):
                return self._ask(ctx, slot, slots, ["ひとつ以上選んでください。"])
            return self._ask(ctx, self._next_slot(ctx, slots, slot), slots)
        value = self._value(ctx, slot, slots, text, payload)
        if value is None:
            answered = self.answer_question(ctx) if payload is None else None
            if answered is not None:  # a question mid-form: answer it, then ask again
                return self._ask_after(answered, ctx, slot, slots)
            return self._ask(ctx, slot, slots, [slot.invalid])
        if slot.multiple:
            picked = list(slots.get(slot.name) or [])
            picked = [v for v in picked if v != value] if value in picked else [*picked, value]
            slots[slot.name] = picked
            return self._ask(ctx, slot, slots)
        slots[slot.name] = value
        return self._ask(ctx, self._next_slot(ctx, slots, slot), slots)

    def _is_option(self, ctx: Context, slot: Slot, slots: Slots, text: str) -> bool:
        return any(o.label == text for o in slot.options_for(ctx, slots))

    def _for_another_intent(self, ctx: Context) -> bool:
        """A request for another action, surely enough to leave this form's question unanswered."""
        label = ctx.understood.label
        not_actions = (QUESTION, NOT_OURS, NO_ACTION, "", *SMALL_TALK, *self.own_actions)
        return label not in not_actions and ctx.understood.asks_for(label)

    def _not_an_answer(self, ctx: Context, slot: Slot, slots: Slots) -> Outcome | None:
        """The reply to typed text that is no answer (a question, a hesitation, this form's own
        start words), or None when it may be one."""
        understood = ctx.understood
        if understood.label in self.own_actions and understood.asks_for(understood.label):
            return self._ask(ctx, slot, slots)  # 「登録したい」 inside registration: carry on
        if understood.means(NO_ACTION, SURE) and slot.validate is not None:
            return self._ask(ctx, slot, slots, [wording.FORM_HESITATION.ja])
        if slot.validate is not None:
            # Where a slot takes typed text, a name or a town must not pass for a question (to the
            # recognizer 「北見 太郎」 reads much like one, and 「ゆきの」 ends like one): a question's
            # form that the knowledge base answers is answered; anything else meets the validator,
            # which turns away what ends in a question mark.
            answered = self.answer_question(ctx) if looks_like_question(ctx.text) else None
        elif understood.asks_for(QUESTION) or understood.asks_for(NOT_OURS):
            answered = self.answer_question(ctx)
            if answered is None:
                return self._ask(ctx, slot, slots, [wording.FORM_NOT_AN_ANSWER.ja])
        else:
            answered = None
        return self._ask_after(answered, ctx, slot, slots) if answered is not None else None

    def _ask_after(self, answered: Outcome, ctx: Context, slot: Slot, slots: Slots) -> Outcome:
        """An answer to a question asked mid-form, followed by the slot's question again."""
        again = self._ask(ctx, slot, slots)
        answered.response.replies.extend(again.response.replies)
        answered.response.choices = again.response.choices
        answered.state = again.state
        return answered

    def kept_on_restart(self, slots: Slots) -> Slots:
        """Slots that survive 最初から (e.g. the consent already given)."""
        return {}

    def _value(self, ctx: Context, slot: Slot, slots: Slots, text: str, payload: str | None) -> str | None:
        options = slot.options_for(ctx, slots)
        if payload is not None:
            value = payload.removeprefix("form:")
            return value if any(o.value == value for o in options) else None
        by_label = {o.label: o.value for o in options}
        if text in by_label:
            return by_label[text]
        return slot.validate(text) if slot.validate else None
