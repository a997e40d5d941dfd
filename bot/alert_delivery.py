"""Delivers queued staff alerts from the outbox to whatever sends them (Slack, when configured).

Runs inside the web process by default, or alone as `concierge worker`. Any number of these
may run against one database: each alert is claimed by exactly one of them.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Protocol

import anyio

from bot.clock import Clock, utcnow
from bot.storage import outbox
from bot.storage.database import Database

log = logging.getLogger(__name__)


class AlertSender(Protocol):
    async def send(self, alert: outbox.Alert) -> str | None:
        """Deliver one alert; return a reference to the post (e.g. Slack "channel:ts"). Raise on failure."""
        ...


class AlertWorker:
    def __init__(
        self,
        db: Database,
        sender: AlertSender,
        *,
        clock: Clock = utcnow,
        lease: timedelta = timedelta(minutes=2),
        interval: float = 2.0,
        hourly_cap: int | None = None,
    ) -> None:
        """``hourly_cap``: lead and deletion alerts sent one by one per hour; more are summarised."""
        self.db, self.sender, self.clock = db, sender, clock
        self.lease, self.interval, self.hourly_cap = lease, interval, hourly_cap

    def _claim(self) -> list[outbox.Alert]:
        with self.db.transaction() as session:
            return outbox.claim_due(session, self.clock(), self.lease, hourly_cap=self.hourly_cap)

    def _finish(self, alert: outbox.Alert, ref: str | None, error: str | None) -> None:
        with self.db.transaction() as session:
            if error is None:
                outbox.mark_sent(session, alert.id, ref, self.clock())
            else:
                outbox.mark_failed(session, alert.id, error, self.clock())

    def _release(self, alert_ids: list[int]) -> None:
        if alert_ids:
            with self.db.transaction() as session:
                outbox.release(session, alert_ids)

    async def run_once(self) -> int:
        """Send every alert that is due now; returns how many were delivered."""
        delivered = 0
        while alerts := await anyio.to_thread.run_sync(self._claim):
            for index, alert in enumerate(alerts):
                try:
                    ref = await self.sender.send(alert)
                except Exception as exc:  # any failure means "try again later", never "drop"
                    log.warning(
                        "alert %d (%s) not delivered, will retry: %s",
                        alert.id,
                        alert.kind,
                        type(exc).__name__,
                    )
                    await anyio.to_thread.run_sync(self._finish, alert, None, f"{type(exc).__name__}: {exc}")
                    # The destination is struggling: hand the rest back and wait for the next round.
                    await anyio.to_thread.run_sync(self._release, [a.id for a in alerts[index + 1 :]])
                    return delivered
                await anyio.to_thread.run_sync(self._finish, alert, ref, None)
                delivered += 1
        return delivered

    async def run_forever(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # the database is away: keep the loop alive and try again
                log.exception("alert delivery round failed")
            await anyio.sleep(self.interval)
