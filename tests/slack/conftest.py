"""Slack's tokens (registered as secrets: every run is a leak test) and its base URLs in the sandbox."""

import httpx
import pytest

from tests.helpers import secret

BOT = secret("xoxb-sandbox-bot")
USER = secret("xoxp-sandbox-user")
LIMITED = secret("xoxb-sandbox-limited")
REVOKED = secret("xoxb-sandbox-revoked")
CI_BOT = secret("xoxb-T0SANDBOX-ci-7f3e91a2c4")  # added through the control API


class Slack:
    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.base = sandbox.url + "/slack"  # what --server takes
        self.api = self.base + "/api/"  # slack_sdk's base_url

    def call(self, method: str, token: str | None = BOT, **args) -> dict:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.sandbox.http.post(self.api + method, data=args, headers=headers).json()

    def settings(self, **values):
        return self.sandbox.settings({"slack": values})

    def add_token(self, token: str, kind: str, scopes, user: str = "admin") -> None:
        response = httpx.post(self.sandbox.url + "/_sandbox/slack/tokens",
                              json={"token": token, "type": kind, "scopes": list(scopes), "user": user})
        response.raise_for_status()

    def server(self) -> list[str]:
        return ["--server", self.base]


@pytest.fixture
def slack(sandbox):
    return Slack(sandbox)
