"""Bitbucket DC tests: the base URL under the shared sandbox fixture, its seeded secrets, its stats."""

import pytest

from tests.helpers import secret

# The seeded passwords are the user names ("admin", "alice"): too common to register as secrets
# (they are in every email address); the tokens tests create are registered.


class Bitbucket:
    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.url = sandbox.url + "/bitbucket"
        self.api = self.url + "/rest/api/1.0"

    def stats(self) -> dict:
        return self.sandbox.stats()["products"]["bitbucket"]

    def settings(self, **changes):
        return self.sandbox.settings({"bitbucket": changes})["bitbucket"]

    def token(self, path: str, permissions, auth=("admin", "admin"), days=None) -> str:
        """A fresh HTTP access token (path: users/alice, projects/DEMO, projects/DEMO/repos/demo-repo)."""
        body = {"name": "t", "permissions": list(permissions), **({"expiryDays": days} if days else {})}
        r = self.sandbox.http.put(f"{self.url}/rest/access-tokens/1.0/{path}", json=body, auth=auth)
        assert r.status_code == 200, r.text
        return secret(r.json()["token"])


@pytest.fixture
def bb(sandbox):
    return Bitbucket(sandbox)
