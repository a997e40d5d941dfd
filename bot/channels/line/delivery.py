"""Sending to LINE: one reply per event, push when the reply token can't be used, bounded retries.

* A reply token is one-shot and short-lived. A redelivered event's token is stale, and LINE
  answers 400 to a used or expired one: then we push, with an ``X-Line-Retry-Key`` that stays
  the same across our retries, so LINE itself drops a duplicate push.
* 429 means "not processed": wait (``Retry-After`` when given) and try the same call again.
* 5xx or a timeout on a reply is ambiguous; we switch to push with the retry key rather than
  reuse the token. Every call has a timeout (the SDK's default is five minutes).

Messages arrive as LINE's JSON, already built through the SDK's models once, when the turn was
decided (``render.line_messages``), and go out through the SDK's async client (auth, host,
timeouts, ``ApiException``). Its typed ``reply_message``/``push_message`` would validate and
serialize the same models again on every call (docs/benchmarks.md, "Choices in the code").
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import getproxies, proxy_bypass

import aiohttp
import anyio
from linebot.v3.messaging import AsyncApiClient, Configuration
from linebot.v3.messaging.exceptions import ApiException

log = logging.getLogger(__name__)

LineMessages = Sequence[Mapping[str, Any]]  # LINE's message objects, as JSON
REPLY = "/v2/bot/message/reply"
PUSH = "/v2/bot/message/push"
# Calls to LINE in flight at once. The SDK sizes its pool by the machine (5 per core), which with
# LINE far away queues a burst's replies behind each other while their reply tokens age.
# aiohttp's own default; LINE allows far more.
CALLS_AT_ONCE = 100


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 10.0
    timeout: float = 10.0  # seconds per call


class DeliveryFailed(Exception):
    """LINE did not take the messages after every retry."""


class LineDelivery:
    def __init__(self, client: AsyncApiClient, policy: RetryPolicy | None = None) -> None:
        self.policy = policy or RetryPolicy()
        self._client = client

    @classmethod
    async def open(cls, base_url: str, access_token: str, policy: RetryPolicy | None = None) -> LineDelivery:
        """The SDK's async client, with an HTTP session that reads the environment once, not per call.

        The SDK opens its aiohttp session with ``trust_env=True``, so every call would look up
        ``~/.netrc`` and the proxy variables in a thread (two thread-pool hops per reply). The
        proxy (``HTTPS_PROXY``, ``NO_PROXY``) is read here instead and handed to the SDK's own
        proxy setting; netrc has nothing to add, the channel token is the credential.
        """
        configuration = Configuration(host=base_url, access_token=access_token)
        configuration.proxy, configuration.proxy_headers = environment_proxy(base_url)
        client = AsyncApiClient(configuration)
        opened_by_sdk = client.rest_client.pool_manager  # not used yet: swapped before any call
        client.rest_client.pool_manager = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=CALLS_AT_ONCE), trust_env=False
        )
        await opened_by_sdk.close()
        return cls(client, policy)

    async def close(self) -> None:
        await self._client.close()

    async def deliver(
        self, messages: LineMessages, *, reply_token: str | None, target: str, retry_key: str, fresh: bool
    ) -> str:
        """Reply when the token is usable, else push. Returns "reply" or "push"."""
        if reply_token and fresh:
            try:
                await self._with_retries(lambda: self._reply(reply_token, messages), ambiguous_ok=False)
                return "reply"
            except _UseFallback:
                log.info("reply token unusable; pushing instead")
        await self._with_retries(lambda: self._push(target, messages, retry_key), ambiguous_ok=True)
        return "push"

    async def _reply(self, token: str, messages: LineMessages) -> None:
        await self._post(REPLY, {"replyToken": token, "messages": messages}, {})

    async def _push(self, target: str, messages: LineMessages, retry_key: str) -> None:
        await self._post(PUSH, {"to": target, "messages": messages}, {"X-Line-Retry-Key": retry_key})

    async def _post(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> None:
        """POST to LINE; raises the SDK's ApiException on any status outside 2xx."""
        await self._client.call_api(
            path,
            "POST",
            header_params={"Accept": "application/json", "Content-Type": "application/json", **headers},
            body=body,
            auth_settings=["Bearer"],
            response_types_map={},  # LINE's answer (the sent messages' ids) is not used
            _return_http_data_only=True,
            _request_timeout=self.policy.timeout,
        )

    async def _with_retries(self, call: Callable[[], Awaitable[None]], *, ambiguous_ok: bool) -> None:
        """Run ``call``; retry 429 (and, for idempotent pushes, 5xx and timeouts) with backoff."""
        delay = self.policy.base_delay
        for attempt in range(1, self.policy.attempts + 1):
            try:
                await call()
                return
            except ApiException as exc:
                status = exc.status or 0
                if status == 409:  # a push with this retry key was already accepted
                    return
                if status == 429:
                    wait = retry_after(exc) or delay
                elif status >= 500 and ambiguous_ok:
                    wait = delay
                elif not ambiguous_ok:
                    raise _UseFallback from exc  # invalid/expired token (400) or a server error
                else:
                    raise DeliveryFailed(f"LINE answered {status}") from exc
            except (TimeoutError, OSError) as exc:
                if not ambiguous_ok:
                    raise _UseFallback from exc
                wait = delay
            if attempt == self.policy.attempts:
                break
            log.warning("LINE call failed (attempt %d), retrying in %.1fs", attempt, wait)
            await anyio.sleep(min(wait, self.policy.max_delay))
            delay = min(delay * 2, self.policy.max_delay)
        raise DeliveryFailed("LINE did not accept the messages")


def environment_proxy(url: str) -> tuple[str | None, dict[str, str] | None]:
    """The proxy the environment names for ``url`` (``HTTPS_PROXY`` …, unless ``NO_PROXY`` covers
    it) and the header carrying its credentials: aiohttp ignores a user and password in the URL."""
    parts = urlsplit(url)
    proxy = None if parts.hostname and proxy_bypass(parts.hostname) else getproxies().get(parts.scheme)
    if proxy is None:
        return None, None
    named = urlsplit(proxy)
    if named.username is None:
        return proxy, None
    credentials = f"{unquote(named.username)}:{unquote(named.password or '')}".encode()
    bare = named._replace(netloc=named.netloc.rpartition("@")[2]).geturl()
    return bare, {"Proxy-Authorization": "Basic " + base64.b64encode(credentials).decode()}


class _UseFallback(Exception):
    """The reply path is unusable; push instead."""


def retry_after(exc: ApiException) -> float | None:
    """The seconds LINE asks a 429 to wait (``Retry-After``), when it says so in a number."""
    value = exc.headers.get("Retry-After") if exc.headers else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
