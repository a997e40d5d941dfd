"""Delivers confirmed notices: LINE batches by multicast, web-chat people on their next visit.

Runs inside the web process, or as `concierge notices deliver`. Each batch is claimed by one
worker at a time (a lease); a worker that dies mid-batch leaves it "sending" with its retry key,
and whoever resumes it after the lease calls LINE again with that same key, so nobody gets the
notice twice. When a notice has nothing left to send its result is queued for Slack.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import anyio
from linebot.v3.messaging import TextMessage

from bot.channels.line.cards import cards_alt_text, carousel
from bot.channels.line.multicast import LineMulticast, MulticastFailed
from bot.clock import Clock, utcnow
from bot.messages import Card
from bot.settings import Settings
from bot.storage import handoffs, notices
from bot.storage.database import Database
from desk.notices import message_text, open_event, report
from intents.events import event_card

log = logging.getLogger(__name__)
# Longer than one batch can take: every retry's timeout and wait (RetryPolicy) with room to spare.
LEASE = timedelta(minutes=5)


def line_messages(text: str, card: Card | None = None) -> list[dict[str, Any]]:
    """A notice as LINE's message JSON: the staff's words and the footer saying how to stop, then
    the event's card (with 申し込む) when the notice is about one."""
    messages = [TextMessage(text=message_text(text)).to_dict()]
    if card is not None:
        messages.append(carousel(cards_alt_text(card.title, (card,)), (card,)).to_dict())
    return messages


class NoticeWorker:
    def __init__(
        self,
        db: Database,
        multicast: LineMulticast | None,
        *,
        clock: Clock = utcnow,
        lease: timedelta = LEASE,
        interval: float = 5.0,
    ) -> None:
        self.db, self.multicast, self.clock = db, multicast, clock
        self.lease, self.interval = lease, interval

    @classmethod
    def for_settings(cls, settings: Settings, db: Database) -> NoticeWorker:
        """LINE by multicast when LINE is configured (open it in the running event loop: the
        SDK's client needs one); web-chat people either way."""
        multicast = None
        if settings.line_channel_access_token:
            multicast = LineMulticast.open(settings.line_api_base_url, settings.line_channel_access_token)
        return cls(db, multicast)

    def _claim(self) -> tuple[notices.Claimed, Card | None] | None:
        """The next batch to send, and its event's card (none once the event is cancelled or over)."""
        with self.db.transaction() as session:
            now = self.clock()
            claimed = notices.claim_batch(session, now, self.lease)
            if claimed is None:
                return None
            event = open_event(session, claimed.event_id, now) if claimed.event_id else None
            return claimed, event_card(event, now) if event is not None else None

    def _finish(self, batch_id: int, error: str | None) -> None:
        with self.db.transaction() as session:
            notices.finish_batch(session, batch_id, self.clock(), error)

    def _web(self) -> int:
        """Hold each pending web delivery for its person's page, in the transaction that settles it."""
        with self.db.transaction() as session:
            rows = notices.web_recipients(session)
            now = self.clock()
            for delivery_id, _notice_id, user_id, topic, text in rows:
                subscribed = notices.is_subscribed(session, user_id, topic)
                if subscribed:
                    handoffs.hold_for_web(session, user_id, message_text(text), now)
                notices.settle_web(session, delivery_id, subscribed, now)
            return len(rows)

    def _report_finished(self) -> int:
        with self.db.transaction() as session:
            now = self.clock()
            finished = notices.finish_notices(session, now)
            for result in finished:
                report(session, result, now)
            return len(finished)

    async def run_once(self) -> int:
        """Send every batch that is due; returns how many batches were sent or settled."""
        handled = 0
        while await anyio.to_thread.run_sync(self._web):
            pass
        while (taken := await anyio.to_thread.run_sync(self._claim)) is not None:
            claimed, card = taken
            error = None
            if claimed.line_ids:
                if self.multicast is None:
                    error = "LINE is not configured"
                else:
                    try:
                        await self.multicast.send(
                            claimed.line_ids,
                            line_messages(claimed.text, card),
                            claimed.retry_key,
                            claimed.unit,
                        )
                    except MulticastFailed as exc:
                        error = str(exc)
                        log.warning("notice %d batch %d failed: %s", claimed.notice_id, claimed.batch_id, exc)
            await anyio.to_thread.run_sync(self._finish, claimed.batch_id, error)
            handled += 1
        await anyio.to_thread.run_sync(self._report_finished)
        return handled

    async def close(self) -> None:
        if self.multicast is not None:
            await self.multicast.close()

    async def run_forever(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # the database is away: keep the loop alive and try again
                log.exception("notice delivery round failed")
            await anyio.sleep(self.interval)
