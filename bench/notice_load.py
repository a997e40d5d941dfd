"""A notice to 10,000 subscribers on LINE, end to end against the stand-in (not a test).

Builds a fresh SQLite or PostgreSQL database with ``--people`` LINE users subscribed to one
topic, composes and confirms a notice (the recipients become delivery rows and batches), and
runs the notice worker until it is done, against a stand-in LINE API in its own process
(``--latency`` seconds per call, as if LINE were far away). Prints the time to confirm, the time
to deliver, the number of multicast calls and how many people the stand-in was asked to reach.

    .venv/bin/python bench/notice_load.py [--people 10000] [--database sqlite|postgresql]
        [--latency 0.1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the stand-in lives in tests/standins
from bot.channels.line.multicast import LineMulticast  # noqa: E402
from bot.clock import utcnow  # noqa: E402
from bot.notice_delivery import NoticeWorker  # noqa: E402
from bot.storage import Database, upgrade  # noqa: E402
from bot.storage.models import NoticeSubscription, User  # noqa: E402
from bot.storage.notices import Segment  # noqa: E402
from desk import notices as desk  # noqa: E402
from tests.standins import line_api  # noqa: E402

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TOPIC = "seminars_events"


def populate(db: Database, people: int) -> None:
    now = utcnow()
    with db.transaction() as session:
        session.execute(
            insert(User),
            [
                {"channel": "line", "channel_user_id": f"U{i:032x}", "created_at": now, "last_seen_at": now,
                 "reachable": True, "answers_given": 0, "lead_offered": False, "rate_window_count": 0}
                for i in range(people)
            ],
        )  # fmt: skip
        ids = session.scalars(select(User.id)).all()
        session.execute(
            insert(NoticeSubscription), [{"user_id": i, "topic": TOPIC, "created_at": now} for i in ids]
        )


async def deliver(db: Database, base_url: str) -> int:
    multicast = LineMulticast.open(base_url, "bench-token")
    try:
        await NoticeWorker(db, multicast).run_once()
        return multicast.calls
    finally:
        await multicast.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds the stand-in takes per call")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="notice-bench-")
    schema = f"bench_notices_{int(time.time())}"  # its own schema: the database is shared
    admin = create_engine(PG) if args.database == "postgresql" else None
    if admin is not None:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(PG).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
    else:
        url = f"sqlite:///{folder}/bench.db"
    db = Database(url)
    upgrade(db)
    populate(db, args.people)
    process, base_url = line_api.spawn(ROOT, latency=args.latency)
    try:
        started = time.perf_counter()
        with db.transaction() as session:
            preview = desk.compose(session, Segment(TOPIC), "ベンチマークのお知らせです。", utcnow())
            recipients = desk.confirm(session, preview.notice_id, utcnow())
        confirmed = time.perf_counter()
        calls = asyncio.run(deliver(db, base_url))
        delivered = time.perf_counter()
        with urllib.request.urlopen(f"{base_url}/_standin/sent") as answer:
            reached = json.load(answer)["multicast_recipients"]
    finally:
        process.terminate()
        process.wait()
        db.dispose()
        if admin is not None:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    print(
        f"{args.database}: {recipients} recipients, confirm {confirmed - started:.2f} s, "
        f"deliver {delivered - confirmed:.2f} s, {calls} multicast calls, {reached} people reached "
        f"(stand-in latency {args.latency * 1000:.0f} ms a call)"
    )


if __name__ == "__main__":
    main()
