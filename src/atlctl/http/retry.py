"""When to wait and try again. Rate limits (429) are always safe to retry: the server did nothing.
5xx with Retry-After and lost connections are retried for idempotent methods only, and a failed
login is never retried (the auth flows hand it back unretried)."""

from __future__ import annotations

import threading
import time

IDEMPOTENT = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}


class RetryPolicy:
    def __init__(self, attempts: int = 4, max_wait: float = 60.0, backoff: float = 1.0):
        self.attempts = attempts  # tries in all, the first included
        self.max_wait = max_wait  # the longest single wait atlctl accepts from Retry-After
        self.backoff = backoff  # wait when the server gives no Retry-After (doubles each attempt)
        self._resume_at = 0.0
        self._lock = threading.Lock()

    def delay(self, method: str, status: int, retry_after: str | None, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None to give up now."""
        if attempt + 1 >= self.attempts:
            return None
        if status == 429 or (status in (502, 503, 504) and method in IDEMPOTENT):
            wait = seconds(retry_after)
            if wait is None:
                wait = self.backoff * 2 ** attempt
            return wait if wait <= self.max_wait else None
        return None

    def pause_all(self, seconds: float) -> None:
        """Every thread sharing this policy holds back until then (backing off together on 429)."""
        with self._lock:
            self._resume_at = max(self._resume_at, time.monotonic() + seconds)

    def wait_turn(self) -> None:
        while True:
            with self._lock:
                remaining = self._resume_at - time.monotonic()
            if remaining <= 0:
                return
            time.sleep(min(remaining, 1.0))


def seconds(value: str | None) -> float | None:
    """Retry-After in seconds (a number or an HTTP date), or None when absent or unusable."""
    if value is None:
        return None
    try:
        number = float(value)
        return max(0.0, number) if number == number and number != float("inf") else None  # NaN, inf: no answer
    except ValueError:
        pass
    import email.utils

    try:  # Retry-After may also be an HTTP date
        return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - time.time())
    except (ValueError, TypeError, OverflowError):
        return None  # unusable: as if absent, so the default back-off applies
