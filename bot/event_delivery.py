"""Sends applicants their event notices (reminders, changes, cancellations, a seat freed), each once.

Runs beside the alert worker, in the web process or `concierge worker`. Each round first plans
the day-before reminders that are due (rows under a unique key, so planning twice adds nothing),
then sends what is due, in daytime in Japan only. A LINE push carries the notice's own retry key:
a push retried after a crash or a lost answer is accepted once by LINE (409 for the repeat); a
web-chat notice is held for the page in the same transaction that marks it sent. A Slack DM has no
such key: a crash between the post and the mark may post it twice.
"""

from __future__ import annotations

import logging
import uuid

import anyio

from bot.clock import Clock, utcnow
from bot.person_delivery import Person, PersonDelivery
from bot.storage import events, handoffs
from bot.storage.database import Database
from intents.event_text import reminder

log = logging.getLogger(__name__)
KEY_NAMESPACE = uuid.UUID("6f1d7c1e-5b0e-4f5e-9d0a-3c1f2a9e8b71")  # notice key → LINE retry key


class EventNoticeWorker:
    def __init__(
        self, db: Database, people: PersonDelivery, *, clock: Clock = utcnow, interval: float = 30.0
    ) -> None:
        self.db, self.people, self.clock, self.interval = db, people, clock, interval

    def _claim(self) -> list[events.DueNotice]:
        with self.db.transaction() as session:
            now = self.clock()
            if events.daytime(now) == now:
                events.plan_reminders(session, now, reminder)
        with self.db.transaction() as session:
            return events.claim_notices(session, self.clock())

    def _finish(self, notice_id: int, outcome: str | None) -> None:
        with self.db.transaction() as session:
            events.mark_notice(session, notice_id, outcome, self.clock())

    def _hold_for_web(self, notice: events.DueNotice) -> None:
        with self.db.transaction() as session:
            now = self.clock()
            handoffs.hold_for_web(session, notice.user_id, notice.text, now)
            events.mark_notice(session, notice.id, "sent", now)

    async def run_once(self) -> int:
        """Send every notice due now; returns how many were handed to a channel."""
        sent = 0
        while notices := await anyio.to_thread.run_sync(self._claim):
            for notice in notices:
                outcome: str | None
                if not notice.reachable:
                    outcome = "unreachable"
                elif notice.channel == "web":  # held for the page and marked sent in one transaction
                    await anyio.to_thread.run_sync(self._hold_for_web, notice)
                    sent += 1
                    continue
                else:
                    person = Person(notice.user_id, notice.channel, notice.channel_user_id)
                    retry_key = str(uuid.uuid5(KEY_NAMESPACE, notice.key))
                    try:
                        delivered = await self.people.send(person, notice.text, retry_key=retry_key)
                        outcome = "sent" if delivered else "unreachable"
                    except Exception as exc:  # tried again after the lease, with the same retry key
                        log.warning(
                            "event notice %d not delivered, will retry: %s", notice.id, type(exc).__name__
                        )
                        outcome = None
                await anyio.to_thread.run_sync(self._finish, notice.id, outcome)
                if outcome is None:
                    return sent  # the channel is struggling: the rest waits for the next round
                sent += outcome == "sent"
        return sent

    async def run_forever(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # the database is away: keep the loop alive and try again
                log.exception("event notice round failed")
            await anyio.sleep(self.interval)
