"""A per-person limit (RATE_LIMIT_PER_MINUTE): a flood gets one polite answer, not a search per message."""

from __future__ import annotations

from datetime import timedelta

from bot import wording
from bot.messages import Reply, Response
from bot.router import Context, Outcome

WINDOW = timedelta(minutes=1)


class RateLimitIntent:
    name = "rate_limited"

    def handle(self, ctx: Context) -> Outcome | None:
        user = ctx.user
        if user.rate_window_start is None or ctx.now - user.rate_window_start >= WINDOW:
            user.rate_window_start, user.rate_window_count = ctx.now, 0
        user.rate_window_count += 1
        if user.rate_window_count <= ctx.settings.rate_limit_per_minute:
            return None
        return Outcome(Response([Reply(wording.SLOW_DOWN.ja)], impersonal=True))
