"""Webhook bodies as LINE sends them: complete text events, and the X-Line-Signature over a body."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from typing import Any


def signature(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def signed_webhook(secret: str, events: list[dict[str, Any]]) -> tuple[bytes, str]:
    """(body, X-Line-Signature) for a webhook call carrying ``events``."""
    body = json.dumps({"destination": "U" + "0" * 32, "events": events}).encode()
    return body, signature(secret, body)


def text_event(text: str, user: str | None = None) -> dict[str, Any]:
    """A text message event with every field LINE sends, from a new user unless one is given."""
    return {
        "type": "message",
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user or "U" + uuid.uuid4().hex},
        "webhookEventId": "01" + uuid.uuid4().hex[:24].upper(),
        "deliveryContext": {"isRedelivery": False},
        "replyToken": uuid.uuid4().hex,
        "message": {"type": "text", "id": "4685", "quoteToken": "q" + uuid.uuid4().hex, "text": text},
    }
