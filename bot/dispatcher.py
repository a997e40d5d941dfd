"""One turn of conversation, from an incoming message to the response, in one transaction.

Channel adapters call :meth:`Dispatcher.handle` (from a worker thread: it blocks on the
database) and deliver the response however their channel wants.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.clock import Clock, utcnow
from bot.live_knowledge import LiveKnowledge
from bot.messages import Incoming, Response
from bot.router import Context, Router
from bot.settings import Settings
from bot.storage import leads, records
from bot.storage.database import Database
from bot.storage.models import User
from bot.understanding import Reading
from knowledge import KnowledgeBase
from knowledge.memo import one_turn

log = logging.getLogger(__name__)

LOGGED_TEXT_LIMIT = 2000  # a 20,000-character paste is not worth keeping whole


@dataclass(frozen=True)
class Turn:
    """The result of one turn, with what tests, the CLI and analytics want to know about it."""

    intent: str
    response: Response
    entry_id: str | None = None
    score: float | None = None
    action: str | None = None  # see Outcome.action


def _note_known_arrival(session: Session, user: User, ref: str | None, src: str | None) -> None:
    """Keep the referral code and source a person arrived with, if the database knows them.

    A link from any site can carry any string: an unknown code is ignored (never shown in the
    statistics), and the first attribution sticks (records.note_arrival), so a later link can't
    take it over.
    """
    ref = None if user.referral_code else leads.valid_referral(session, ref)
    src = None if user.source or not src or leads.source_name(session, src) is None else src.strip().upper()
    records.note_arrival(user, ref=ref, src=src)


class Dispatcher:
    def __init__(
        self,
        db: Database,
        router: Router,
        kb: KnowledgeBase,
        settings: Settings,
        clock: Clock = utcnow,
        *,
        live: LiveKnowledge | None = None,
    ) -> None:
        self.db = db
        self.router = router
        self._kb, self._live = kb, live
        self.settings = settings
        self.clock = clock

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge last answered from (with the console's edits known to this worker)."""
        return self._live.latest if self._live is not None else self._kb

    def knowledge_now(self) -> KnowledgeBase:
        """The knowledge with every edit committed so far (asks the database)."""
        return self._live.refresh() if self._live is not None else self._kb

    def handle(self, message: Incoming) -> Turn:
        reading = self.read(message)
        with self.db.transaction() as session:
            return self.handle_within(session, message, reading)

    def read(self, message: Incoming) -> Reading | None:
        """Read a typed message before its turn's transaction (see bot.understanding.Reading)."""
        kb = self.kb
        with one_turn():
            reading = self.router.read(kb, message)
        if reading is not None:
            reading.kb = kb  # a turn finding a newer knowledge version reads the message again
        return reading

    def handle_within(self, session: Session, message: Incoming, reading: Reading | None = None) -> Turn:
        """One turn inside the caller's transaction (an adapter that records more in the same commit);
        ``reading``: the message as :meth:`read` read it, outside the transaction."""
        now = self.clock()
        user = records.get_or_create_user(session, message.channel, message.user_id, now)
        _note_known_arrival(session, user, message.ref, message.src)
        state = records.load_conversation(session, user, now)
        kb = self._live.current(session) if self._live is not None else self._kb
        if reading is not None and reading.kb is not None and reading.kb is not kb:
            reading = None
        ctx = Context(message, state, user, kb, session, self.settings, now, prepared=reading)
        with one_turn():
            routed = self.router.route(ctx)
        outcome = routed.outcome
        if outcome.forget_user:
            leads.forget_person(session, user, now)
        elif outcome.state is not None:
            records.save_conversation(session, user, outcome.state, now)
        if self.settings.message_log_retention_days > 0 and not outcome.forget_user:
            # The intent is kept on what the person said too: a handoff forwards only what was asked,
            # never what was typed into a form.
            said = records.LogLine(
                "in", message.clean_text[:LOGGED_TEXT_LIMIT], payload=message.payload, intent=routed.intent
            )
            answered = records.LogLine(
                "out",
                outcome.response.text[:LOGGED_TEXT_LIMIT],
                intent=routed.intent,
                entry_id=outcome.entry_id,
            )
            records.log_messages(session, user, [said, answered], now)
        # Never the text: it may hold a name or a phone number.
        log.info("turn channel=%s intent=%s entry=%s", message.channel, routed.intent, outcome.entry_id)
        return Turn(routed.intent, outcome.response, outcome.entry_id, outcome.score, outcome.action)

    def note_arrival(self, channel: str, user_id: str, *, ref: str | None, src: str | None) -> None:
        """Remember the referral code and source a person arrived with, before they say anything."""
        with self.db.transaction() as session:
            user = records.get_or_create_user(session, channel, user_id, self.clock())
            _note_known_arrival(session, user, ref, src)
