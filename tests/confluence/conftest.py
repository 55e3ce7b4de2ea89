"""Confluence fixtures: the DC and Cloud base URLs of the shared sandbox, and DC accounts with
distinctive passwords (the seeded alice/alice cannot be told apart from its user name, so every run
with these doubles as a leak test)."""

from __future__ import annotations

import httpx
import pytest

from tests.helpers import secret

ERIN_PASSWORD = secret("3rin-Pw-c0nfl-9d1e")  # a Confluence DC user
ALICE_TOKEN = secret("sandbox-token-alice")  # Cloud
BOB_TOKEN = secret("sandbox-token-bob")  # Cloud, Jira only
NO_CHECK = {"X-Atlassian-Token": "no-check"}


class Confluence:
    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.url = sandbox.url
        self.dc = sandbox.url + "/confluence"
        self.cloud = sandbox.url + "/cloud/wiki"
        self.http = sandbox.http
        self._before = sandbox.stats()["products"]  # what setting up the test cost

    def stats(self, key: str = "confluence") -> dict:
        """The product's counters since the test's set-up."""
        now, before = self.sandbox.stats()["products"][key], self._before[key]
        return {"password_checks": now["password_checks"] - before["password_checks"], "logins": now["logins"] - before["logins"],
                "requests_by_auth": {k: v - before["requests_by_auth"].get(k, 0) for k, v in now["requests_by_auth"].items()}}

    def checks(self, key: str = "confluence") -> int:
        return self.stats(key)["password_checks"]

    def settings(self, **changes) -> dict:
        return self.sandbox.settings({"confluence": changes})

    def pat(self, user: str = "erin", password: str = ERIN_PASSWORD, name: str = "ci") -> str:
        r = self.http.post(self.dc + "/rest/pat/latest/tokens", json={"name": name}, auth=(user, password))
        r.raise_for_status()
        return secret(r.json()["rawToken"])


@pytest.fixture
def cf(sandbox) -> Confluence:
    """A fresh sandbox's Confluence, with erin (a Confluence user with a distinctive password) added."""
    r = sandbox.http.post(sandbox.url + "/confluence/rest/api/admin/user", auth=("admin", "admin"),
                          json={"userName": "erin", "fullName": "Erin Example", "email": "erin@example.com",
                                "password": ERIN_PASSWORD})
    assert r.status_code == 201, r.text
    return Confluence(sandbox)


@pytest.fixture
def erin() -> httpx.BasicAuth:
    return httpx.BasicAuth("erin", ERIN_PASSWORD)
