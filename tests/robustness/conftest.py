"""Fixtures of the robustness suite: an odd server on 127.0.0.1, and a clock the tests control in
place of real waits (retry back-offs and Retry-After pauses advance it instead of sleeping)."""

from __future__ import annotations

import time as real_time

import pytest

from tests.credentials.home import home  # noqa: F401  (a private HOME and config)
from tests.e2e.conftest import dc  # noqa: F401  (the Jira DC sandbox with carol and dave)
from tests.robustness.oddserver import OddServer


class FakeTime:
    """Stands in for the `time` module of atlctl.http: sleeping advances the clock, nothing waits."""

    def __init__(self):
        self.now = 1000.0
        self.slept = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.now += seconds

    def time(self) -> float:
        return real_time.time() + (self.now - 1000.0)


@pytest.fixture(scope="module")
def odd():
    server = OddServer()
    yield server
    server.close()


@pytest.fixture(scope="module")
def no_waiting():
    """Module-wide (hypothesis runs many examples per test): retries cost no wall time."""
    clock = FakeTime()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("atlctl.http.connection.time", clock)
        patch.setattr("atlctl.http.retry.time", clock)
        yield clock
