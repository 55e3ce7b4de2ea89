"""Accounts with distinctive secrets, so every e2e run doubles as a leak test (the seeded admin/admin
cannot be told apart from the user name)."""

import httpx
import pytest

from tests.credentials.home import home  # noqa: F401  (the fixture, for the auth command tests)
from tests.helpers import secret

CAROL_PASSWORD = secret("c4rol-Pw-7f3e91")  # a Jira administrator
DAVE_PASSWORD = secret("d4ve-Pw-52ab0c")  # a regular user
CLOUD_TOKEN = secret("sandbox-token-admin")
CLOUD_ALICE_TOKEN = secret("sandbox-token-alice")


def _add_user(jira: str, name: str, password: str, admin: bool) -> None:
    with httpx.Client(auth=("admin", "admin"), headers={"X-Atlassian-Token": "no-check"}) as client:
        client.post(f"{jira}/rest/api/2/user", json={
            "name": name, "password": password, "emailAddress": f"{name}@example.com",
            "displayName": name.capitalize()}).raise_for_status()
        if admin:
            client.post(f"{jira}/rest/api/2/group/user", params={"groupname": "jira-administrators"},
                        json={"name": name}).raise_for_status()


@pytest.fixture
def dc(sandbox):
    """The Jira DC instance of a fresh sandbox, with carol (admin) and dave (user) added."""
    _add_user(sandbox.jira, "carol", CAROL_PASSWORD, admin=True)
    _add_user(sandbox.jira, "dave", DAVE_PASSWORD, admin=False)
    return sandbox


def checks(sandbox) -> int:
    return sandbox.stats()["password_checks"]


def by_auth(sandbox, scheme: str, product: str = "jira") -> int:
    return sandbox.stats()["products"][product]["requests_by_auth"].get(scheme, 0)
