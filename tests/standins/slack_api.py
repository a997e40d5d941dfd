"""A stand-in Slack Web API: records calls, answers like Slack, and can be switched off and on."""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.standins.server import ThreadedServer


@dataclass
class Call:
    method: str
    args: dict[str, Any]


class SlackStandIn:
    def __init__(self, staff_channel_members: list[str] | None = None) -> None:
        self.calls: list[Call] = []
        self.responses: list[dict[str, Any]] = []  # what was posted to response_url (respond())
        self.down = False
        self.members = staff_channel_members or []
        # What each message posted through this API reads now: chat.update replaces it, like Slack.
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        self._lock = threading.Lock()
        app = Starlette(
            routes=[
                Route("/api/{method}", self._api, methods=["POST", "GET"]),
                Route("/respond/{token}", self._respond, methods=["POST"]),
            ]
        )
        self._http = ThreadedServer(app)
        self.url = f"{self._http.base}/api/"
        self.response_url = f"{self._http.base}/respond/{uuid.uuid4().hex}"

    def __enter__(self) -> SlackStandIn:
        self._http.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._http.stop()

    def posted(self, method: str = "chat.postMessage") -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def current(self, ref: str) -> str:
        """The text and blocks of the message at Slack "channel:ts", as staff see it now."""
        channel, ts = ref.split(":", 1)
        with self._lock:
            args = self.messages[(channel, ts)]
        return json.dumps({"text": args.get("text"), "blocks": args.get("blocks")}, ensure_ascii=False)

    def wait_for(self, method: str, count: int, timeout: float = 10.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.posted(method)) < count:
            time.sleep(0.05)
        return self.posted(method)

    async def _api(self, request: Request) -> JSONResponse:
        if self.down:
            return JSONResponse({"ok": False, "error": "service_unavailable"}, status_code=503)
        raw = (await request.body()).decode()
        if request.headers.get("content-type", "").startswith("application/json"):
            args = json.loads(raw or "{}")
        else:
            args = {k: v[0] for k, v in parse_qs(raw).items()}
        args |= dict(request.query_params)
        method = request.path_params["method"]
        with self._lock:
            self.calls.append(Call(method, args))
        if method == "auth.test":
            return JSONResponse({"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1"})
        if method == "conversations.members":
            return JSONResponse({"ok": True, "members": self.members})
        if method in ("chat.postMessage", "chat.update"):
            args.setdefault("ts", f"{time.time():.6f}")  # recorded, so tests can reply in the thread
            with self._lock:
                self.messages[(str(args.get("channel")), str(args["ts"]))] = args
            return JSONResponse({"ok": True, "channel": args.get("channel"), "ts": args["ts"]})
        return JSONResponse({"ok": True})

    async def _respond(self, request: Request) -> JSONResponse:
        with self._lock:
            self.responses.append(json.loads(await request.body()))
        return JSONResponse({"ok": True})
