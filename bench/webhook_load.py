"""LINE webhook under load (not a test): ack latency, end-to-end answers per second, errors, RSS.

Starts `concierge serve` (SQLite, and PostgreSQL when reachable) against a local stand-in LINE
API, sends N signed text events from this process — at a fixed rate and at full speed — and
waits until the stand-in has received every reply. In the same run it measures a minimal server
that only verifies the signature and answers 200 (the floor) and prints the ratio, and the
required parts alone (`bench/required_parts_app.py`: the SDK reads the event, the SDK replies;
no database, no turn), the ceiling of any bot built of them on this machine.

The client is a lean one (asyncio streams, N keep-alive HTTP/1.1 connections, requests built before
timing starts) so that the floor measures the server and not the client. Ack latency runs from the
request's scheduled time (start + i/rate) at a fixed rate, so waiting for a free connection counts,
and from the moment it is written at full speed.

    .venv/bin/python bench/webhook_load.py [--events 2000] [--rate 200] [--concurrency 32] [--workers 1]
        [--answer-in-worker] [--distinct] [--databases sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the stand-in's event builders live in tests/standins
from knowledge.evaluation import read_evaluation_set  # noqa: E402
from tests.standins import line_api  # noqa: E402
from tests.standins.line_events import signed_webhook, text_event  # noqa: E402

SECRET = "bench-secret"
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

FLOOR_APP = """
import base64, hashlib, hmac
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
async def hook(request):
    body = await request.body()
    expected = base64.b64encode(hmac.new(b"SECRET", body, hashlib.sha256).digest()).decode()
    ok = hmac.compare_digest(expected, request.headers.get("x-line-signature", ""))
    return JSONResponse({}, status_code=200 if ok else 400)
app = Starlette(routes=[Route("/line/webhook", hook, methods=["POST"])])
""".replace("SECRET", SECRET)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(cmd: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=env["HOME_DIR"]
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.post(f"http://127.0.0.1:{port}/line/webhook", content=b"{}", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server did not start: {cmd}")


def peak_rss_mb(pid: int) -> float:
    """The highest peak RSS of the server or, with several workers, of any one worker."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    peaks = [0.0]
    for process in [pid, *map(int, children)]:
        for line in Path(f"/proc/{process}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks)


def build_requests(port: int, bodies: list[tuple[bytes, str]]) -> list[bytes]:
    """The complete HTTP/1.1 request bytes for every (body, signature), built before timing starts."""
    return [
        (
            f"POST /line/webhook HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nX-Line-Signature: {signature}\r\n\r\n"
        ).encode()
        + body
        for body, signature in bodies
    ]


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response (status line, headers, Content-Length body); returns (status, keep-alive)."""
    head = (await reader.readuntil(b"\r\n\r\n")).lower()
    status = int(head[9:12])
    length = 0
    at = head.find(b"\r\ncontent-length:")
    if at >= 0:
        length = int(head[at + 17 : head.index(b"\r\n", at + 2)])
    elif b"\r\ntransfer-encoding:" in head:
        raise ConnectionError("chunked responses are not supported")
    if length:
        await reader.readexactly(length)
    return status, b"\r\nconnection: close\r\n" not in head


async def send_all(
    port: int, bodies: list[tuple[bytes, str]], rate: float | None, concurrency: int
) -> tuple[list[float], int, float]:
    """Post every body over `concurrency` keep-alive connections; returns (ack ms, errors, wall seconds)."""
    requests = build_requests(port, bodies)
    latencies: list[float] = []
    errors = 0
    jobs = enumerate(requests)  # shared by the workers: each takes the next request when it is free
    clock = time.perf_counter
    started = clock()

    async def worker() -> None:
        nonlocal errors
        reader: asyncio.StreamReader | None = None
        writer: asyncio.StreamWriter | None = None
        for index, request in jobs:
            if rate:
                # Open loop: request i is due at start + i/rate, and its latency counts from then, so
                # time spent waiting for a free connection (or a late generator) is latency too.
                due = started + index / rate
                if due > clock():
                    await asyncio.sleep(due - clock())
                sent = due
            else:
                sent = clock()
            try:
                async with asyncio.timeout(30):
                    if reader is None or writer is None or reader.at_eof():  # new, or closed by the server
                        if writer is not None:
                            writer.close()
                        reader, writer = await asyncio.open_connection("127.0.0.1", port)
                    writer.write(request)
                    status, keep_alive = await read_response(reader)
                errors += status != 200
            except (OSError, EOFError, asyncio.LimitOverrunError, ValueError, TimeoutError):
                errors += 1  # refused, reset, closed mid-response (IncompleteReadError), unparsable, 30 s
                keep_alive = False
            latencies.append((clock() - sent) * 1000)
            if not keep_alive and writer is not None:
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, errors, clock() - started


def pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))] if values else 0.0


def wait_for_replies(sent: Callable[[], int], before: int, expected: int, wall: float) -> tuple[int, float]:
    """Wait (up to 5 minutes) until the stand-in has ``expected`` more replies than ``before``;
    returns how many arrived and the rate, end to end, from when sending started ``wall`` ago."""
    started = time.perf_counter() - wall
    deadline = time.monotonic() + 300
    while sent() - before < expected and time.monotonic() < deadline:
        time.sleep(0.1)
    answered = sent() - before
    return answered, answered / (time.perf_counter() - started)


def standin_counter(url: str) -> Callable[[], int]:
    """How many reply and push calls the stand-in LINE API at ``url`` has accepted so far."""
    return lambda: int(httpx.get(f"{url}/_standin/sent", timeout=10).json()["sent"])


def required_parts(args: argparse.Namespace, floor_rate: float) -> None:
    """The same load, at full speed, on `required_parts_app`: the ceiling of the parts themselves."""
    standin, standin_url = line_api.spawn(ROOT)
    sent = standin_counter(standin_url)
    port = free_port()
    bench, path = str(ROOT / "bench"), os.environ.get("PYTHONPATH")
    env = {
        **os.environ,
        "HOME_DIR": bench,
        "PYTHONPATH": os.pathsep.join([bench, path] if path else [bench]),
        "LINE_CHANNEL_SECRET": SECRET,
        "LINE_API_BASE_URL": standin_url,
    }
    uvicorn = [sys.executable, "-m", "uvicorn", "--port", str(port), "--log-level", "warning"]
    server = start([*uvicorn, "--workers", str(args.workers), "required_parts_app:app"], env, port)
    try:
        count = max(args.events, 5000)
        bodies = [signed_webhook(SECRET, [text_event("雪かきは大変ですか")]) for _ in range(count + 500)]
        before = sent()
        _, warm_up_errors, wall = asyncio.run(send_all(port, bodies[:500], None, args.concurrency))
        wait_for_replies(sent, before, 500 - warm_up_errors, wall)
        before = sent()
        latencies, errors, wall = asyncio.run(send_all(port, bodies[500:], None, args.concurrency))
        answered, rate = wait_for_replies(sent, before, count - errors, wall)
        rss = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=10)
        standin.terminate()
    print(
        f"required parts alone (SDK verify and parse, acknowledge, SDK reply; no database, no turn;"
        f" {args.workers} process{'es' if args.workers > 1 else ''}):"
        f" {answered} of {count} answered, {errors} errors, {rate:.0f} answered/s ({rate / floor_rate:.1%}"
        f" of floor), ack p99 {pct(latencies, 0.99):.1f} ms, peak RSS {rss:.0f} MB"
    )


def run(
    label: str,
    database_url: str,
    args: argparse.Namespace,
    floor_rate: float,
    workers: int = 1,
    answer_in_worker: bool = False,
) -> None:
    # The evaluation questions as people type them, over and over (a burst repeats itself); with
    # --distinct each is numbered, so no two texts are alike and no cache helps.
    questions = [item.question for item in read_evaluation_set(ROOT / "tests" / "data")]
    standin, standin_url = line_api.spawn(ROOT)
    sent = standin_counter(standin_url)

    with tempfile.TemporaryDirectory() as home:
        port = free_port()
        env = {
            **os.environ,
            "HOME_DIR": home,
            "DATABASE_URL": database_url,
            "LINE_CHANNEL_SECRET": SECRET,
            "LINE_CHANNEL_ACCESS_TOKEN": "bench",
            "LINE_API_BASE_URL": standin_url,
            "LOG_LEVEL": "WARNING",
            "LINE_ANSWER_IN_WORKER": "true" if answer_in_worker else "false",
        }
        subprocess.run(
            [sys.executable, "-m", "bot", "db", "upgrade"], env=env, cwd=home, check=True, capture_output=True
        )
        serve = [sys.executable, "-m", "bot", "serve", "--port", str(port), "--workers", str(workers)]
        server = start(serve, env, port)
        answerer = None
        if env["LINE_ANSWER_IN_WORKER"] == "true":
            answerer = subprocess.Popen(
                [sys.executable, "-m", "bot", "worker"], env=env, cwd=home, stderr=subprocess.DEVNULL
            )
        try:
            for mode, rate in (("fixed rate", float(args.rate)), ("full speed", None)):
                before = sent()
                texts = [questions[i % len(questions)] for i in range(args.events)]
                if args.distinct:
                    texts = [f"{text}（{mode}{i}）" for i, text in enumerate(texts)]
                bodies = [signed_webhook(SECRET, [text_event(text)]) for text in texts]
                latencies, errors, wall = asyncio.run(send_all(port, bodies, rate, args.concurrency))
                answered, end_to_end = wait_for_replies(sent, before, args.events - errors, wall)
                shown = f"{mode} {rate:.0f}/s" if rate else mode
                print(
                    f"| {label} | {shown} | {args.events} | {answered} | {errors} "
                    f"| {statistics.median(latencies):.1f} | {pct(latencies, 0.99):.1f} | {end_to_end:.0f} "
                    f"| {end_to_end / floor_rate:.1%} | {peak_rss_mb(server.pid):.0f}"
                    + (f" (worker {peak_rss_mb(answerer.pid):.0f})" if answerer else "")
                    + " |"
                )
            reused = httpx.get(f"{standin_url}/_standin/sent", timeout=10).json()["reused_tokens"]
            print(f"|   | reply tokens used twice | | | {reused} | | | | | |")
        finally:
            for process in (server, answerer):
                if process is not None:
                    process.terminate()
                    process.wait(timeout=20)
            standin.terminate()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes: the PostgreSQL server's and the required parts' (SQLite: 1)",
    )
    parser.add_argument("--databases", default="sqlite,postgresql", help="which of sqlite,postgresql to run")
    parser.add_argument("--distinct", action="store_true", help="no two texts alike (a number appended)")
    parser.add_argument(
        "--answer-in-worker",
        action="store_true",
        help="on PostgreSQL, web processes only acknowledge and a `concierge worker` answers",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        floor_file = Path(home) / "floor_app.py"
        floor_file.write_text(FLOOR_APP)
        port = free_port()
        env = {**os.environ, "HOME_DIR": home, "PYTHONPATH": home}
        floor = start(
            [sys.executable, "-m", "uvicorn", "floor_app:app", "--port", str(port), "--log-level", "warning"],
            env,
            port,
        )
        try:
            # A warm-up, then enough requests that one hiccup of the machine can't halve the rate.
            count = max(args.events, 5000)
            bodies = [signed_webhook(SECRET, [text_event("floor")]) for _ in range(count + 500)]
            asyncio.run(send_all(port, bodies[:500], None, args.concurrency))
            latencies, errors, wall = asyncio.run(send_all(port, bodies[500:], None, args.concurrency))
            floor_rate = (count - errors) / wall
        finally:
            floor.terminate()
            floor.wait(timeout=10)
    print(
        f"floor (verify signature, answer 200): {floor_rate:.0f} requests/s,"
        f" p99 {pct(latencies, 0.99):.1f} ms"
    )
    required_parts(args, floor_rate)
    print(
        "| database | mode | events | answered | errors | ack p50 (ms) | ack p99 (ms) | answered/s | of floor"
        " | peak RSS (MB) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    if "sqlite" in args.databases:
        with tempfile.TemporaryDirectory() as data:
            run("SQLite", f"sqlite:///{data}/bench.db", args, floor_rate)
    if "postgresql" not in args.databases:
        return
    try:
        engine = create_engine(PG)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS bench CASCADE"))
            conn.execute(text("CREATE SCHEMA bench"))
        label = "PostgreSQL" if args.workers == 1 else f"PostgreSQL, {args.workers} web workers"
        label += ", answered by `concierge worker`" if args.answer_in_worker else ""
        run(
            label,
            PG + "?options=-csearch_path%3Dbench",
            args,
            floor_rate,
            args.workers,
            args.answer_in_worker,
        )
    except Exception as exc:  # no PostgreSQL here: say so and stop
        print(f"PostgreSQL skipped: {type(exc).__name__}: {exc}")


if __name__ == "__main__":
    main()
