"""The required parts alone, as one LINE bot (not the concierge; `bench/webhook_load.py` measures it).

What every LINE webhook event costs before the concierge decides anything: uvicorn and Starlette
receive it, the SDK's `WebhookParser` verifies the signature and reads the event into its models,
the request is acknowledged, and the reply goes out through the SDK's async client — the same
`LineDelivery` the concierge uses. No database, no turn: the reply is one fixed text. Its rate is
the ceiling for any bot built of these parts on this machine, whatever it does in between.

    uvicorn required_parts_app:app   (LINE_CHANNEL_SECRET, LINE_API_BASE_URL from the environment)
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.webhook import WebhookParser
from linebot.v3.webhooks import MessageEvent
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.channels.line.delivery import LineDelivery

REPLY = ({"type": "text", "text": "お問い合わせありがとうございます。"},)
parser = WebhookParser(os.environ["LINE_CHANNEL_SECRET"])
replying: set[asyncio.Task[str]] = set()  # held until done: the loop keeps only weak references


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    app.state.delivery = await LineDelivery.open(os.environ["LINE_API_BASE_URL"], "bench")
    yield
    await app.state.delivery.close()


async def webhook(request: Request) -> Response:
    body = (await request.body()).decode()
    try:
        events = parser.parse(body, request.headers.get("x-line-signature", ""))
    except (InvalidSignatureError, ValueError):
        return JSONResponse({"error": "invalid"}, status_code=400)
    delivery: LineDelivery = request.app.state.delivery
    for event in events:
        if isinstance(event, MessageEvent):
            reply = delivery.deliver(
                REPLY, reply_token=event.reply_token, target="", retry_key="", fresh=True
            )
            task = asyncio.create_task(reply)
            replying.add(task)
            task.add_done_callback(replying.discard)
    return JSONResponse({})


app = Starlette(routes=[Route("/line/webhook", webhook, methods=["POST"])], lifespan=lifespan)
