"""What understanding costs: start-up, memory and time per message, with and without the sentence-
vector model, at today's size and at 2,000 entries (not a test; results in docs/benchmarks.md).

A message is one whole turn through the dispatcher (recognizer, knowledge base, database), said
by a new person, over the blind dev split and the team's evaluation questions.

    .venv/bin/python bench/understanding_cost.py [--entries 2000 [--grow municipal|copies]]
        [--semantic on|off]

Grown entries are shaped like a city's FAQ (bench/municipal_faq.py) or, as in the earlier rounds,
copies of the real questions (search_latency.synthetic: every question in several entries).

Run each configuration in its own process (memory is only comparable that way).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=0, help="grow the knowledge base to this size")
    parser.add_argument("--grow", choices=("municipal", "copies"), default="municipal")
    parser.add_argument("--semantic", choices=("on", "off"), default="on")
    args = parser.parse_args()
    before_imports = rss_mb()
    started = time.perf_counter()

    from municipal_faq import municipal
    from search_latency import synthetic

    from bot.evaluation import read_labelled_messages
    from bot.messages import Channel, Incoming
    from bot.services import Concierge
    from bot.settings import Settings
    from knowledge import KnowledgeBase
    from knowledge.evaluation import read_evaluation_set

    imported = time.perf_counter()
    semantic = args.semantic == "on"
    kb = KnowledgeBase.load(semantic=semantic)
    grown = args.entries > len(kb)
    if grown:
        grow = municipal if args.grow == "municipal" else synthetic
        kb = KnowledgeBase(grow(kb.entries, args.entries, random.Random(7)), semantic=semantic)
    loaded = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=f"sqlite:///{Path(folder) / 'bench.db'}",
            rate_limit_per_minute=10**6,
            knowledge_semantic=semantic,
        )
        concierge = Concierge.build(settings, kb=kb)
        concierge.migrate_if_embedded()
        messages = [m.text for m in read_labelled_messages(ROOT / "tests/data/blind/dev.yaml")]
        messages += [q.question for q in read_evaluation_set(ROOT / "tests" / "data")]
        concierge.dispatcher.handle(Incoming(Channel.WEB, "warm-up", text=messages[0]))  # fits the recognizer
        ready = time.perf_counter()
        ready_rss = rss_mb()
        times = []
        for text in messages:
            kb._remembered.clear()  # every message decided afresh: no cache helps
            t0 = time.perf_counter()
            concierge.dispatcher.handle(Incoming(Channel.WEB, uuid.uuid4().hex, text=text))
            times.append((time.perf_counter() - t0) * 1000)
        concierge.close()
    times.sort()
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, semantic {args.semantic}")
    print(f"entries {len(kb)} (grown: {args.grow if grown else 'no'}); messages {len(times)}")
    print(
        f"start-up: imports {imported - started:.2f} s, knowledge base {loaded - imported:.2f} s, "
        f"recognizer and first turn {ready - loaded:.2f} s"
    )
    print(
        f"RSS: {before_imports:.0f} MB at start, {ready_rss:.0f} MB ready, {rss_mb():.0f} MB after the turns"
    )
    print(
        f"per message: p50 {statistics.median(times):.1f} ms, "
        f"p95 {times[int(0.95 * len(times))]:.1f} ms, max {times[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
