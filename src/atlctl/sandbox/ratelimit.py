"""Per-user token buckets behind the `rate_limit` setting of every product (§1.9, §4.7).

The bucket is shared; how a limited response looks (its headers, the 429) is the product's.
"""

from __future__ import annotations

import math
from typing import NamedTuple


class Take(NamedTuple):
    allowed: bool
    left: int  # tokens left
    wait: int  # seconds until the next refill, 0 while tokens remain
    refill_at: float  # time of the next refill


class RateLimiter:
    """A token bucket per user: `requests` tokens, refilled by `requests` every interval."""

    def __init__(self) -> None:
        self._buckets: dict[str, tuple[tuple[int, float], float, float]] = {}

    def take(self, who: str, now: float, requests: int, interval: float) -> Take:
        """Take one token from the bucket of `who`, refilled with `requests` tokens every `interval` seconds."""
        config = (requests, interval)
        saved = self._buckets.get(who)
        if saved is None or saved[0] != config:
            tokens, anchor = float(requests), now
        else:
            _, tokens, anchor = saved
            periods = int((now - anchor) // interval)
            if periods:
                tokens = min(float(requests), tokens + periods * requests)
                anchor += periods * interval
        allowed = tokens >= 1
        if allowed:
            tokens -= 1
        self._buckets[who] = (config, tokens, anchor)
        refill_at = anchor + interval
        wait = 0 if tokens >= 1 else max(1, math.ceil(refill_at - now))
        return Take(allowed, int(tokens), wait, refill_at)
