"""Sending one notice batch to LINE by multicast (not narrowcast: its audiences refuse to deliver
to fewer than 50 people, and a small city's segments are smaller).

* At most 500 user ids a call (``bot.storage.notices.MULTICAST_LIMIT``).
* ``X-Line-Retry-Key``: the batch's key, stored before the first call; the same key on every
  retry, after a restart too, so LINE accepts the batch at most once. A repeat of an accepted
  call is answered 409: the batch was sent.
* 429 means "not processed": wait ``Retry-After`` (or the backoff) and call again.
* 5xx and timeouts are ambiguous; the retry key makes calling again safe.
* ``customAggregationUnits``: one unit per notice, so staff can read its unique opens and clicks.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import aiohttp
import anyio
from linebot.v3.messaging import AsyncApiClient, AsyncMessagingApi, Configuration, MulticastRequest
from linebot.v3.messaging.exceptions import ApiException

from bot.channels.line.delivery import RetryPolicy, environment_proxy, retry_after

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


class MulticastFailed(Exception):
    """LINE refused the batch, or did not take it after every retry."""


class LineMulticast:
    def __init__(
        self, client: AsyncApiClient, policy: RetryPolicy | None = None, sleep: Sleep = anyio.sleep
    ) -> None:
        self.policy = policy or RetryPolicy()
        self.calls = 0  # multicast calls made (the benchmark reports it)
        self._client = client
        self._api = AsyncMessagingApi(client)
        self._sleep = sleep

    @classmethod
    def open(
        cls, base_url: str, access_token: str, policy: RetryPolicy | None = None, sleep: Sleep = anyio.sleep
    ) -> LineMulticast:
        configuration = Configuration(host=base_url, access_token=access_token)
        configuration.proxy, configuration.proxy_headers = environment_proxy(base_url)
        return cls(AsyncApiClient(configuration), policy, sleep)

    async def close(self) -> None:
        await self._client.close()

    async def send(
        self, user_ids: Sequence[str], messages: Sequence[Mapping[str, Any]], retry_key: str, unit: str
    ) -> None:
        """Multicast ``messages`` to ``user_ids`` (≤ 500); raises MulticastFailed when not accepted."""
        request = MulticastRequest.from_dict(
            {"to": list(user_ids), "messages": list(messages), "customAggregationUnits": [unit]}
        )
        delay = self.policy.base_delay
        for attempt in range(1, self.policy.attempts + 1):
            try:
                self.calls += 1
                await self._api.multicast(
                    request, x_line_retry_key=retry_key, _request_timeout=self.policy.timeout
                )
                return
            except ApiException as exc:
                status = exc.status or 0
                if status == 409:  # this retry key was accepted before: the batch went out
                    return
                if status == 429:
                    wait = retry_after(exc) or delay
                elif status >= 500:
                    wait = delay
                else:
                    raise MulticastFailed(f"LINE answered {status}") from exc
            except (TimeoutError, OSError, aiohttp.ClientError):
                wait = delay
            if attempt == self.policy.attempts:
                break
            log.warning("multicast failed (attempt %d), retrying in %.1fs", attempt, wait)
            await self._sleep(min(wait, self.policy.max_delay))
            delay = min(delay * 2, self.policy.max_delay)
        raise MulticastFailed("LINE did not accept the batch")
