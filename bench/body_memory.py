"""Memory under oversized unsigned bodies (not a test): RSS of a running server before and after.

Starts `concierge serve` (SQLite, LINE and Slack configured, nothing signed by us), or uses one
already running (--url and --pid), then sends a 50 MB chunked body without a valid signature to
each of /line/webhook, /slack/events and /api/chat — one after another, then all at once — and
prints the server's RSS (VmRSS) and peak (VmHWM) before and after, with the status each got and
how much of the body the server let through its socket before answering. Target: RSS within
20 MB of where it was.

    .venv/bin/python bench/body_memory.py [--megabytes 50] [--url http://127.0.0.1:PORT --pid PID]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the streaming client lives in tests/standins
from tests.standins.chunked import post_chunked  # noqa: E402

UNSIGNED = {
    "/line/webhook": {"X-Line-Signature": "bm90IGEgc2lnbmF0dXJl", "Content-Type": "application/json"},
    "/slack/events": {
        "X-Slack-Request-Timestamp": str(int(time.time())),
        "X-Slack-Signature": "v0=" + "0" * 64,
        "Content-Type": "application/json",
    },
    "/api/chat": {"Content-Type": "application/json"},
}


def memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) in MB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(workdir: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{workdir}/bench.db",
        "LINE_CHANNEL_SECRET": "bench-line-secret",
        "LINE_CHANNEL_ACCESS_TOKEN": "bench",
        "LINE_API_BASE_URL": "http://127.0.0.1:9",
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": "bench-slack-secret",
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
        "LOG_LEVEL": "WARNING",
    }
    concierge = str(Path(sys.executable).parent / "concierge")
    process = subprocess.Popen(
        [concierge, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start")


def run(url: str, pid: int, total: int) -> None:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    time.sleep(1)  # let start-up settle
    rss, peak = memory_mb(pid)
    print(f"before: RSS {rss:.1f} MB, peak {peak:.1f} MB")
    for path, headers in UNSIGNED.items():
        outcome = post_chunked(host, port, path, total, headers)
        now, peak_now = memory_mb(pid)
        print(
            f"{path:15} {outcome.status}  written before the answer {outcome.sent / 2**20:5.1f} MB"
            f"  RSS {now:.1f} MB ({now - rss:+.1f})  peak {peak_now:.1f} MB"
        )
    with ThreadPoolExecutor(len(UNSIGNED)) as pool:
        outcomes = list(
            pool.map(lambda item: post_chunked(host, port, item[0], total, item[1]), UNSIGNED.items())
        )
    now, peak_now = memory_mb(pid)
    print(
        f"all three at once: {[o.status for o in outcomes]}"
        f"  RSS {now:.1f} MB ({now - rss:+.1f})  peak {peak_now:.1f} MB"
    )
    verdict = "met" if now - rss <= 20 else "MISSED"
    print(f"after: RSS {now:.1f} MB, growth {now - rss:+.1f} MB (target ≤ 20 MB: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--url", help="a running server (with --pid); default: start one")
    parser.add_argument("--pid", type=int)
    args = parser.parse_args()
    total = args.megabytes * 1024 * 1024
    if args.url:
        if args.pid is None:
            parser.error("--url needs --pid (its RSS is read from /proc)")
        run(args.url, args.pid, total)
        return
    with tempfile.TemporaryDirectory() as workdir:
        process, url = start_server(workdir)
        try:
            run(url, process.pid, total)
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
