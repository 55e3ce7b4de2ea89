"""Shared fixtures: one sandbox server per test process (per xdist worker), reset before each test.

def test_something(sandbox):
    httpx.get(sandbox.jira + "/rest/api/2/serverInfo")     # Jira DC base URL
    httpx.get(sandbox.jira_cloud + "/rest/api/3/myself")   # Jira Cloud base URL
    sandbox.settings({"jira": {"websudo": False}})          # POST /_sandbox/settings
    sandbox.stats()["password_checks"]                      # GET /_sandbox/stats
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx
import pytest

from atlctl.sandbox.server import SandboxServer

# Tests talk to loopback only, whatever proxy the environment configures.
for _name in ("NO_PROXY", "no_proxy"):
    os.environ[_name] = ",".join(filter(None, [os.environ.get(_name), "127.0.0.1", "localhost"]))


# Building an httpx client loads the CA bundle (~50 ms); the sandbox is plain HTTP, so tests share one.
_TLS = httpx.create_ssl_context()


class _NoCookies(CookieJar):
    """A jar that keeps nothing: each request through it is a fresh visitor, as with httpx.get()."""

    def __init__(self) -> None:
        super().__init__(DefaultCookiePolicy(allowed_domains=[]))


class Sandbox:
    """Handle on the running sandbox for one test.

    `http` is a shared client that keeps no cookies; `client()` makes one that does.
    """

    def __init__(self, url: str):
        self.url = url
        self.jira = url + "/jira"
        self.jira_cloud = url + "/jira-cloud"
        self._control = httpx.Client(base_url=url, timeout=10, verify=_TLS)
        self.http = httpx.Client(timeout=10, verify=_TLS, cookies=_NoCookies())

    def client(self, **kwargs: Any) -> httpx.Client:
        """A client that keeps cookies (a session), like a script's httpx.Client()."""
        return httpx.Client(timeout=10, verify=_TLS, **kwargs)

    def reset(self) -> None:
        self._control.post("/_sandbox/reset").raise_for_status()

    def settings(self, changes: dict[str, Any] | None = None) -> dict[str, Any]:
        """Apply `changes` ({"jira": {...}, "jira_cloud": {...}}) and return all settings."""
        if changes is None:
            response = self._control.get("/_sandbox/settings")
        else:
            response = self._control.post("/_sandbox/settings", json=changes)
        if response.status_code != 200:
            raise ValueError(response.json()["error"])
        return response.json()

    def stats(self) -> dict[str, Any]:
        return self._control.get("/_sandbox/stats").json()

    def advance_clock(self, seconds: float) -> None:
        """Move the sandbox clock forward (session, websudo, token expiry; rate-limit refills)."""
        self._control.post("/_sandbox/clock", json={"advance_seconds": seconds}).raise_for_status()

    def close(self) -> None:
        self._control.close()
        self.http.close()


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxServer]:
    with SandboxServer(port=0) as server:
        yield server


@pytest.fixture
def sandbox(sandbox_server: SandboxServer) -> Iterator[Sandbox]:
    handle = Sandbox(sandbox_server.url)
    handle.reset()
    yield handle
    handle.close()
