"""A stand-in LINE Messaging API: records reply/push/multicast calls and answers like LINE, or as scripted.

Multicast is checked as LINE checks it: at most 500 ids, a retry key that is a UUID, one
aggregation unit of [A-Za-z0-9_] up to 30 characters; a retry key already accepted is answered
409 and delivers nothing again.

It runs uvicorn in a thread on a free loopback port; point ``LINE_API_BASE_URL`` at ``.url``.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.standins.server import ThreadedServer

MULTICAST = "/v2/bot/message/multicast"
_UNIT = re.compile(r"[A-Za-z0-9_]{1,30}")


@dataclass
class Call:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class Scripted:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    hang: float = 0.0  # seconds to wait before answering (to provoke client timeouts)
    body: dict[str, Any] | None = None


class LineStandIn:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.script: dict[str, deque[Scripted]] = {}
        self.rich_menus: dict[str, dict[str, Any]] = {}
        self.rich_menu_images: dict[str, bytes] = {}
        self.default_rich_menu: str | None = None
        self.latency = 0.0  # seconds every messages call takes, as if LINE were far away
        self.in_flight = self.most_in_flight = 0  # messages calls being answered at once
        self.accepted_keys: set[str] = set()  # retry keys of accepted multicast calls
        # Called (in the server's thread) after a call is accepted and before it is answered:
        # a test can kill its sender right there, the worst moment for the sender.
        self.after_accept: Callable[[Call], None] | None = None
        self._lock = threading.Lock()
        app = Starlette(
            routes=[
                Route("/_standin/sent", self._count, methods=["GET"]),
                Route("/v2/bot/message/reply", self._message, methods=["POST"]),
                Route("/v2/bot/message/push", self._message, methods=["POST"]),
                Route(MULTICAST, self._message, methods=["POST"]),
                Route("/v2/bot/richmenu/list", self._menus, methods=["GET"]),
                Route("/v2/bot/richmenu", self._create_menu, methods=["POST"]),
                Route("/v2/bot/richmenu/{menu}/content", self._menu_image, methods=["POST"]),
                Route("/v2/bot/user/all/richmenu/{menu}", self._default_menu, methods=["POST"]),
            ]
        )
        self._http = ThreadedServer(app)
        self.url = self._http.base

    def __enter__(self) -> LineStandIn:
        self._http.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._http.stop()

    def then(self, path: str, *answers: Scripted) -> None:
        """Answer the next calls to ``path`` ("/v2/bot/message/reply" or …/push) this way."""
        self.script.setdefault(path, deque()).extend(answers)

    def sent(self, path: str | None = None) -> list[Call]:
        """Calls that LINE accepted (answered 200), optionally for one path."""
        with self._lock:
            return [
                c
                for c in self.calls
                if c.headers.get("x-standin-status") == "200" and (not path or c.path == path)
            ]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.sent()) >= count:
                return self.sent()
            time.sleep(0.02)
        return self.sent()

    async def _message(self, request: Request) -> JSONResponse:
        self.in_flight += 1  # the server's one event loop: no lock needed
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            return await self._answer_message(request)
        finally:
            self.in_flight -= 1

    def multicast_recipients(self) -> list[str]:
        """Every user id in an accepted multicast call, once per time LINE would deliver to them."""
        return [user for call in self.sent(MULTICAST) for user in call.body["to"]]

    async def _answer_message(self, request: Request) -> JSONResponse:
        body = json.loads(await request.body())
        queue = self.script.get(request.url.path)
        answer = queue.popleft() if queue else Scripted(200)
        if request.url.path == MULTICAST and answer.status == 200:
            answer = self._check_multicast(request, body)
        if answer.hang or self.latency:
            await asyncio.sleep(answer.hang or self.latency)
        headers = {k.lower(): v for k, v in request.headers.items()}
        headers["x-standin-status"] = str(answer.status)
        call = Call(request.url.path, headers, body)
        with self._lock:
            self.calls.append(call)
        if answer.status != 200:
            return JSONResponse(
                answer.body or {"message": "scripted error"}, answer.status, headers=answer.headers
            )
        if request.url.path == MULTICAST:
            if self.after_accept is not None:
                self.after_accept(call)
            return JSONResponse({})
        sent = [
            {"id": uuid.uuid4().hex[:16], "quoteToken": uuid.uuid4().hex} for _ in body.get("messages", [])
        ]
        return JSONResponse({"sentMessages": sent})

    def _check_multicast(self, request: Request, body: dict[str, Any]) -> Scripted:
        key = request.headers.get("x-line-retry-key")
        units = body.get("customAggregationUnits") or []
        if key is not None:
            try:
                uuid.UUID(key)
            except ValueError:
                return Scripted(400, body={"message": "The retry key is invalid"})
        if not 1 <= len(body.get("to") or []) <= 500 or len(units) > 1:
            return Scripted(400, body={"message": "The request body has 1 error(s)"})
        if any(not _UNIT.fullmatch(str(unit)) for unit in units):
            return Scripted(400, body={"message": "Invalid customAggregationUnits"})
        with self._lock:
            if key is not None and key in self.accepted_keys:
                return Scripted(409, body={"message": "The retry key is already accepted"})
            if key is not None:
                self.accepted_keys.add(key)
        return Scripted(200)

    async def _count(self, _request: Request) -> JSONResponse:
        """How many messages calls were accepted, how many reply tokens were used twice, and how
        many people accepted multicast calls reached (benchmarks)."""
        sent = self.sent()
        tokens = [c.body["replyToken"] for c in sent if "replyToken" in c.body]
        return JSONResponse(
            {
                "sent": len(sent),
                "reused_tokens": len(tokens) - len(set(tokens)),
                "multicast_recipients": len(self.multicast_recipients()),
            }
        )

    async def _menus(self, _request: Request) -> JSONResponse:
        return JSONResponse({"richmenus": list(self.rich_menus.values())})

    async def _create_menu(self, request: Request) -> JSONResponse:
        menu_id = f"richmenu-{uuid.uuid4().hex}"
        self.rich_menus[menu_id] = json.loads(await request.body()) | {"richMenuId": menu_id}
        return JSONResponse({"richMenuId": menu_id})

    async def _menu_image(self, request: Request) -> JSONResponse:
        self.rich_menu_images[request.path_params["menu"]] = await request.body()
        return JSONResponse({})

    async def _default_menu(self, request: Request) -> JSONResponse:
        self.default_rich_menu = request.path_params["menu"]
        return JSONResponse({})


def spawn(cwd: Path, latency: float = 0.0) -> tuple[subprocess.Popen[str], str]:
    """A stand-in in its own process (for the benchmarks: in theirs it would share the GIL with the
    load); returns the process and its base URL. ``cwd`` is the project's root; ``latency`` is the
    seconds every messages call takes."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.standins.line_api", str(latency)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


if __name__ == "__main__":  # the process `spawn` starts
    standin = LineStandIn()
    standin.latency = float(sys.argv[1]) if len(sys.argv) > 1 else 0.0
    with standin:
        print(standin.url, flush=True)
        while True:
            time.sleep(3600)
