"""The outbox delivers every alert exactly once, retries with backoff, and shares work between workers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.alert_delivery import AlertWorker
from bot.storage import Database, outbox, upgrade
from bot.storage.models import OutboxMessage

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


class RecordingSender:
    """A destination that can be down for a while (Slack's real stand-in is in the Slack tests)."""

    def __init__(self) -> None:
        self.down = False
        self.sent: list[int] = []

    async def send(self, alert: outbox.Alert) -> str | None:
        await asyncio.sleep(0.001)
        if self.down:
            raise ConnectionError("destination down")
        self.sent.append(alert.id)
        return f"C1:{alert.id}"


def fill(db: Database, count: int) -> None:
    with db.transaction() as session:
        for i in range(count):
            outbox.enqueue(session, "lead_new", {"lead_id": i}, NOW)


async def test_alerts_survive_an_outage_and_are_each_sent_once(database_url: str) -> None:
    db = Database(database_url)
    upgrade(db)
    fill(db, 3)
    clock = [NOW]
    sender = RecordingSender()
    sender.down = True
    worker = AlertWorker(db, sender, clock=lambda: clock[0])
    for _ in range(4):  # down: every round fails and backs off; nothing is lost
        assert await worker.run_once() == 0
        clock[0] += timedelta(seconds=3)
    sender.down = False
    clock[0] += timedelta(minutes=5)
    assert await worker.run_once() == 3
    assert await worker.run_once() == 0
    assert sorted(sender.sent) == sorted(set(sender.sent)) and len(sender.sent) == 3
    with db.transaction() as session:
        rows = session.scalars(select(OutboxMessage)).all()
        assert {r.status for r in rows} == {"sent"}
        assert all(r.delivered_ref == f"C1:{r.id}" for r in rows)
        assert rows[0].attempts >= 2  # failed while down, then delivered
    db.dispose()


async def test_two_workers_never_send_the_same_alert(database_url: str) -> None:
    db_a, db_b = Database(database_url), Database(database_url)
    upgrade(db_a)
    fill(db_a, 40)
    sender = RecordingSender()
    workers = [AlertWorker(db, sender, clock=lambda: NOW + timedelta(seconds=1)) for db in (db_a, db_b)]
    await asyncio.gather(*(w.run_once() for w in workers))
    assert len(sender.sent) == 40 and len(set(sender.sent)) == 40
    db_a.dispose()
    db_b.dispose()
