"""What one LINE event costs inside the server, stage by stage (not a test).

Runs the LINE adapter's stages in this process against a stand-in LINE API (in its own process)
and a fresh SQLite or PostgreSQL database, one event at a time, and prints the mean wall time
per stage: accept (the webhook's insert), answer (the claim, the turn and its rendered reply, one
transaction), deliver (the SDK call to the stand-in), finish. `--profile` prints the top of a cProfile
of the whole loop instead. `--batched` measures what the server does under load instead: events
decided a batch (DECIDED_TOGETHER) to a transaction, asking the evaluation questions in turn,
and prints the time per turn.

    .venv/bin/python bench/event_cost.py [--events 300] [--database sqlite|postgresql] [--profile]
        [--batched]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the event builders live in tests/standins
from bot.channels.line.answering import DECIDED_TOGETHER, LineAnswering  # noqa: E402
from bot.services import Concierge  # noqa: E402
from bot.settings import Settings  # noqa: E402
from knowledge.evaluation import read_evaluation_set  # noqa: E402
from tests.standins import line_api  # noqa: E402
from tests.standins.line_events import text_event  # noqa: E402

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
QUESTIONS = ["空港から市内まで何分？", "雪かき大変？", "保育園の料金", "移住支援金はもらえる？", "こんにちは"]


async def measure(channel: LineAnswering, events: int) -> dict[str, float]:
    """Mean milliseconds per stage over ``events`` new users' questions."""
    spent: dict[str, float] = defaultdict(float)

    def timed(stage: str, started: float) -> float:
        now = time.perf_counter()
        spent[stage] += now - started
        return now

    for index in range(events):
        raw = text_event(QUESTIONS[index % len(QUESTIONS)])
        started = time.perf_counter()
        (row_id,) = channel.accept([raw])
        started = timed("accept", started)
        answer = channel.answer(row_id)
        assert answer is not None and answer.reply
        started = timed("answer", started)
        await channel.delivery.deliver(
            json.loads(answer.reply),
            reply_token=answer.action.reply_token,
            target=answer.action.target or "",
            retry_key=answer.retry_key,
            fresh=True,
        )
        started = timed("deliver", started)
        channel.finish(row_id, "done")
        timed("finish", started)
    return {stage: seconds * 1000 / events for stage, seconds in spent.items()}


def measure_batched(channel: LineAnswering, batches: int) -> float:
    """Milliseconds per turn, deciding ``batches`` batches of new users' questions (accepted beforehand)."""
    questions = [item.question for item in read_evaluation_set(ROOT / "tests" / "data")]
    texts = [questions[i % len(questions)] for i in range(batches * DECIDED_TOGETHER)]
    accepted = []
    for first in range(0, len(texts), DECIDED_TOGETHER):
        requests = [[text_event(text)] for text in texts[first : first + DECIDED_TOGETHER]]
        accepted.append([row for rows in channel.accept_many(requests) for row in rows])
    started = time.perf_counter()
    for row_ids in accepted:
        channel.answer_many(row_ids)
    return (time.perf_counter() - started) * 1000 / (batches * DECIDED_TOGETHER)


async def run(database_url: str, events: int, profile: bool, batched: bool) -> None:
    standin, standin_url = line_api.spawn(ROOT)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url,
        line_channel_secret="bench",
        line_channel_access_token="bench",
        line_api_base_url=standin_url,
        rate_limit_per_minute=10_000,
    )
    concierge = Concierge.build(settings)
    concierge.migrate_if_embedded()
    if not concierge.db.is_sqlite:
        from bot.storage import upgrade

        upgrade(concierge.db)
    channel = LineAnswering(settings, concierge.db, concierge.dispatcher)
    await channel.start()
    try:
        await measure(channel, 20)  # warm caches, the connection pool and the HTTP client
        if batched:
            measure_batched(channel, 20)
            per_turn = measure_batched(channel, max(1, events // DECIDED_TOGETHER))
            print(f"answer {per_turn:.3f} ms per turn, decided {DECIDED_TOGETHER} to a transaction")
            return
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            await measure(channel, events)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            return
        stages = await measure(channel, events)
        print(" | ".join(f"{stage} {ms:.2f} ms" for stage, ms in stages.items()))
        print(f"total {sum(stages.values()):.2f} ms per event ({events} events)")
    finally:
        await channel.close()
        concierge.close()
        standin.terminate()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--batched", action="store_true", help="decide batches, as the server does under load"
    )
    args = parser.parse_args()
    if args.database == "postgresql":
        engine = create_engine(PG)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS bench_cost CASCADE"))
            conn.execute(text("CREATE SCHEMA bench_cost"))
        asyncio.run(run(PG + "?options=-csearch_path%3Dbench_cost", args.events, args.profile, args.batched))
        return
    with tempfile.TemporaryDirectory() as data:
        asyncio.run(run(f"sqlite:///{data}/bench.db", args.events, args.profile, args.batched))


if __name__ == "__main__":
    main()
