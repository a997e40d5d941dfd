"""Deciding LINE events' replies, a batch at a time: claim, run each turn, store its rendered reply.

An event's claim, its turn and its rendered reply (LINE's message JSON, built once) commit in one
transaction (``bot.storage.inbox``): a crash before the commit leaves the event pending (the turn
never happened); a crash after it leaves the reply, which the next attempt sends without running
the turn again.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot import wording
from bot.channels.line.events import Action, from_raw_fields, translate
from bot.channels.line.render import line_messages
from bot.clock import utcnow
from bot.dispatcher import Dispatcher
from bot.messages import Event, Reply, Response
from bot.storage import inbox, records
from bot.storage.database import Database
from bot.understanding import Reading

log = logging.getLogger(__name__)

SOURCE = "line"
STALE = timedelta(minutes=2)  # an answer this old and still undelivered died with its process


@dataclass(frozen=True)
class Answer:
    """A claimed event's decided reply and where it goes."""

    reply: str  # LINE's message objects as a JSON list; "" when there is nothing to say
    action: Action
    received_at: datetime
    retry_key: str  # stable per event: LINE drops a second push carrying the same key


class LineTurns:
    def __init__(self, db: Database, dispatcher: Dispatcher) -> None:
        self.db, self.dispatcher = db, dispatcher

    def answer(self, row_id: int) -> Answer | None:
        """Claim the event and decide its reply; None when it isn't ours (already answered)."""
        return self.answer_many([row_id])[0]

    def answer_many(self, row_ids: list[int]) -> list[Answer | None]:
        """Claim the events and decide their replies in one transaction, in order.

        If one turn fails (a bug, a PostgreSQL deadlock between two workers' batches), the whole
        batch is undone and each event is tried again in a transaction of its own, so only the
        failing one is left pending for the sweep (a savepoint per turn would cost every turn).
        """
        readings = self._read_ahead(row_ids)
        try:
            with self.db.transaction() as session:
                return self._answer_within(session, row_ids, readings)
        except Exception:
            if len(row_ids) == 1:
                raise
            log.warning("LINE: a batch of %d turns failed; answering each alone", len(row_ids), exc_info=True)
        return [self._answer_alone(row_id) for row_id in row_ids]

    def _answer_alone(self, row_id: int) -> Answer | None:
        try:
            return self.answer(row_id)
        except Exception:
            log.exception("LINE event %d not answered; it stays unfinished for the next sweep", row_id)
            return None

    def _read_ahead(self, row_ids: list[int]) -> dict[int, Reading]:
        """The people's messages read before the batch's transaction, which then holds the
        database only for the turns themselves (on SQLite every writer waits for it)."""
        with self.db.statements() as connection:
            waiting = inbox.bodies(connection, row_ids)
        readings: dict[int, Reading] = {}
        for row_id, body in waiting.items():
            try:
                action = translate(json.loads(body))
            except Exception:  # read again, and logged, in the transaction
                continue
            reading = (
                self.dispatcher.read(action.incoming) if action.kind == "chat" and action.incoming else None
            )
            if reading is not None:
                readings[row_id] = reading
        return readings

    def _answer_within(
        self, session: Session, row_ids: list[int], readings: dict[int, Reading]
    ) -> list[Answer | None]:
        # The claims and the decided replies are one statement each for the whole batch.
        connection = session.connection()
        claimed = inbox.claim(connection, row_ids, utcnow(), STALE)
        decided: dict[int, str] = {}
        answers: list[Answer | None] = []
        for row_id in row_ids:  # in the order they arrived: one person's messages stay in order
            event = claimed.pop(row_id, None)  # taken once, even if an id came twice
            if event is None:
                answers.append(None)
                continue
            raw = json.loads(event.body)
            try:
                action = translate(raw)
            except Exception:  # a shape this SDK version can't read: its raw fields still tell a message
                action = from_raw_fields(raw)
                kind = str(raw.get("type"))[:40]  # the type only: the body may hold a person's words
                log.warning("LINE event %d of type %r not readable by the SDK: %s", row_id, kind, action.kind)
            reply = event.reply
            if reply is None:
                response = self._respond(session, action, readings.get(row_id))
                reply = decided[row_id] = _stored(response)
            retry_key = str(uuid.uuid5(uuid.NAMESPACE_URL, f"line:{event.event_id}"))
            answers.append(Answer(reply, action, event.received_at, retry_key))
        inbox.store_replies(connection, decided)
        return answers

    def _respond(self, session: Session, action: Action, reading: Reading | None) -> Response | None:
        """What to say for this event (None: nothing), from the intents."""
        if action.kind == "group":
            return Response([Reply(wording.ONE_TO_ONE_ONLY.ja)])
        if action.kind == "unfollow" and action.incoming:
            user = records.find_user(session, SOURCE, action.incoming.user_id)
            if user is not None:
                user.reachable = False
            return None
        if action.kind != "chat" or action.incoming is None:
            return None
        if action.incoming.event is Event.FOLLOW:  # followed again after blocking: notices reach them
            returning = records.find_user(session, SOURCE, action.incoming.user_id)
            if returning is not None:
                returning.reachable = True
        turn = self.dispatcher.handle_within(session, action.incoming, reading)
        if action.welcome_back:
            turn.response.replies.insert(0, Reply(wording.WELCOME_BACK.ja))
        return turn.response


def _stored(response: Response | None) -> str:
    """The reply as kept with its event until delivered: LINE's messages, rendered once."""
    return json.dumps(line_messages(response), ensure_ascii=False) if response else ""


def messages_of(reply: str) -> list[dict[str, Any]]:
    """The stored reply's messages. One kept as a channel-neutral Response (a JSON object, as
    releases before the rendered form stored it) is rendered now, so none is lost across a deploy."""
    stored = json.loads(reply)
    return stored if isinstance(stored, list) else list(line_messages(Response.from_data(stored)))
