"""The router: who gets to answer a message, in one explicit order.

interrupts (cancel, menu, help …) → the active form → one-shot intents → FAQ → fallback.
The order is written once, in ``intents.build_router``; nothing registers itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from typing import Protocol

from sqlalchemy.orm import Session

from bot.conversation import IDLE, ConversationState
from bot.messages import Choice, Event, Incoming, Response
from bot.settings import Settings
from bot.storage.models import User
from bot.understanding import NOT_READ, Read, Reading, Understanding
from bot.wording import ENGLISH, Language, Text, language_of
from knowledge import KnowledgeBase, Match


@dataclass(frozen=True)
class Button:
    """A button an intent offers for one of its actions: its wording and the payload it sends back
    (``english_payload`` where the English button leads somewhere else)."""

    label: Text
    payload: str
    english_payload: str | None = None

    def choice(self, language: Language) -> Choice:
        payload = self.english_payload if language == ENGLISH and self.english_payload else self.payload
        return Choice(self.label.in_(language), payload)


Buttons = Mapping[str, Button]


@dataclass(frozen=True)
class Context:
    """Everything an intent may look at, passed explicitly (no injection by parameter name)."""

    message: Incoming
    state: ConversationState
    user: User
    kb: KnowledgeBase
    session: Session  # for intents that remember something (a lead) in the turn's transaction
    settings: Settings
    now: datetime
    read: Read | None = None  # set by the router
    prepared: Reading | None = None  # the message read before the transaction, if it was
    # Every intent's buttons by the recognizer's action label (set by the router).
    buttons: Buttons = field(default_factory=dict)

    @cached_property
    def reading(self) -> Reading:
        """The typed text read once per turn (nothing for buttons and events)."""
        if self.prepared is not None:
            return self.prepared
        if self.read is None or not is_typed(self.message):
            return NOT_READ
        return self.read(self.kb, self.text)

    @cached_property
    def language(self) -> Language:
        """The language this turn answers in, decided once (see ``bot.wording.language_of``)."""
        return language_of(self.text, self.payload)

    @property
    def understood(self) -> Understanding:
        return self.reading.understood

    def match(self, text: str) -> Match:
        """The knowledge base's decision for ``text``, decided at most once per turn."""
        matches = self.reading.matches
        if text not in matches:
            matches[text] = self.kb.match(text)
        return matches[text]

    @property
    def text(self) -> str:
        return self.message.clean_text

    @property
    def payload(self) -> str | None:
        return self.message.payload

    def button(self, action: str) -> Choice | None:
        """The button that does ``action`` (a recognizer label), in this turn's language."""
        button = self.buttons.get(action)
        return button.choice(self.language) if button else None


def is_typed(message: Incoming) -> bool:
    return message.payload is None and message.event is Event.MESSAGE and bool(message.clean_text)


@dataclass
class Outcome:
    """What an intent decided. ``state=None`` leaves the conversation state as it was."""

    response: Response
    state: ConversationState | None = None
    entry_id: str | None = None  # the knowledge entry that answered, if any
    score: float | None = None
    forget_user: bool = False  # the person asked to delete their data: nothing of this turn is kept
    action: str | None = None  # which of an intent's actions it took, where it has several


class Intent(Protocol):
    """Reads a message; returns an :class:`Outcome`, or None when the message isn't its business.

    An intent may also declare ``buttons``: {action label: :class:`Button`}, the buttons that do
    its actions, which other intents offer (the menu, a likely action beside an answer).
    """

    name: str

    def handle(self, ctx: Context) -> Outcome | None: ...


class Fallback(Protocol):
    name: str

    def handle(self, ctx: Context) -> Outcome: ...


@dataclass(frozen=True)
class Routed:
    intent: str
    outcome: Outcome


class Router:
    def __init__(
        self,
        *,
        interrupts: Sequence[Intent],
        forms: Sequence[Intent],
        intents: Sequence[Intent],
        faq: Intent,
        fallback: Fallback,
        read: Read | None = None,
    ) -> None:
        everything: list[Intent | Fallback] = [*interrupts, *forms, *intents, faq, fallback]
        names = [i.name for i in everything]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"intent names registered twice: {', '.join(duplicates)}")
        self._interrupts = tuple(interrupts)
        self._forms = {form.name: form for form in forms}
        self._intents = tuple(intents)
        self._faq = faq
        self._fallback = fallback
        self._read = read
        self._buttons: dict[str, Button] = {}
        for intent in everything:
            for action, button in getattr(intent, "buttons", {}).items():
                if action in self._buttons:
                    raise ValueError(f"two intents declare a button for {action!r}")
                self._buttons[action] = button
        # An intent with one action takes it whenever it answers (evaluation counts actions taken).
        self._sole_action = {
            intent.name: next(iter(buttons))
            for intent in everything
            if len(buttons := getattr(intent, "buttons", {})) == 1
        }

    @property
    def names(self) -> list[str]:
        return [
            *(i.name for i in self._interrupts),
            *self._forms,
            *(i.name for i in self._intents),
            self._faq.name,
            self._fallback.name,
        ]

    def route(self, ctx: Context) -> Routed:
        ctx = replace(ctx, read=self._read, buttons=self._buttons)
        for intent in self._interrupts:
            if (outcome := intent.handle(ctx)) is not None:
                return self._routed(intent.name, outcome)
        forgotten_form = False
        if ctx.state.active:
            form = self._forms.get(ctx.state.form or "")
            if form is None:  # a form that no longer exists (after a deploy): start afresh
                forgotten_form = True
                ctx = replace(ctx, state=IDLE, prepared=ctx.reading)
            elif (outcome := form.handle(ctx)) is not None:
                return self._routed(form.name, outcome)
        routed = self._route_idle(ctx)
        if forgotten_form and routed.outcome.state is None:
            routed.outcome.state = IDLE
        return routed

    def _routed(self, name: str, outcome: Outcome) -> Routed:
        if outcome.action is None:
            outcome.action = self._sole_action.get(name)
        return Routed(name, outcome)

    def read(self, kb: KnowledgeBase, message: Incoming) -> Reading | None:
        """Read a typed message ahead of its turn (None for buttons and events)."""
        if self._read is None or not is_typed(message):
            return None
        return self._read(kb, message.clean_text)

    def _route_idle(self, ctx: Context) -> Routed:
        for intent in (*self._intents, self._faq):
            if (outcome := intent.handle(ctx)) is not None:
                return self._routed(intent.name, outcome)
        return Routed(self._fallback.name, self._fallback.handle(ctx))
