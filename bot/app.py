"""The ASGI application: every channel on one server. Build it with ``create_app(settings)``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.channels import web
from bot.clock import utcnow
from bot.retention import apply_retention
from bot.services import Concierge
from bot.settings import Settings

log = logging.getLogger(__name__)
RETENTION_INTERVAL = 24 * 60 * 60  # seconds


def create_app(settings: Settings | None = None, *, concierge: Concierge | None = None) -> Starlette:
    settings = settings or Settings()
    concierge = concierge or Concierge.build(settings)

    async def retention_loop() -> None:
        while True:
            try:
                purged = await anyio.to_thread.run_sync(apply_retention, concierge.db, settings, utcnow())
                log.info("retention: %d messages and %d leads deleted", purged.messages, purged.leads)
            except Exception:  # the database is away: try again next time
                log.exception("retention run failed")
            await anyio.sleep(RETENTION_INTERVAL)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(concierge.migrate_if_embedded)
        log.info("ready: %d knowledge entries", len(concierge.kb))
        async with anyio.create_task_group() as background:
            background.start_soon(retention_loop)
            yield
            background.cancel_scope.cancel()
        concierge.close()

    async def healthz(_request: Request) -> Response:
        return JSONResponse({"status": "ok", "entries": len(concierge.kb)})

    async def http_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    async def unexpected_error(_request: Request, exc: Exception) -> Response:
        # Logged with its traceback (no request body: it may hold personal data); the client gets JSON.
        log.error("unhandled error", exc_info=exc)
        return JSONResponse({"error": "internal error"}, status_code=500)

    app = Starlette(
        routes=[Route("/healthz", healthz), *web.routes(concierge.dispatcher, settings)],
        lifespan=lifespan,
        exception_handlers={HTTPException: http_error, Exception: unexpected_error},
    )
    app.state.concierge = concierge
    return app
