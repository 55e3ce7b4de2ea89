"""Bitbucket Cloud in the shared sandbox: its base URL and the seeded credentials (products.md §4,
issue 12), each registered as a secret so that every run is a leak test."""

import pytest

from tests.helpers import secret

USERNAME = "sandbox-admin"
EMAIL = "admin@example.com"
ACCOUNT_PASSWORD = "admin"  # refused by the API; too common a word to register as a secret
APP_PASSWORD = secret("sandbox-app-password")
API_TOKEN = secret("sandbox-bb-token-admin")
CLASSIC_TOKEN = secret("sandbox-token-admin")  # the unscoped Atlassian API token (Jira/Confluence Cloud)
REPO_TOKEN = secret("sandbox-repo-token")
WORKSPACE_TOKEN = secret("sandbox-workspace-token")


@pytest.fixture
def bbc(sandbox) -> str:
    """The Bitbucket Cloud base URL (standing for https://api.bitbucket.org) of a fresh sandbox."""
    return sandbox.url + "/bitbucket-cloud"


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def new_token(sandbox, kind: str, scopes: list[str], resource: str = "", **extra) -> str:
    answer = sandbox.http.post(sandbox.url + "/_sandbox/bitbucket_cloud/tokens",
                               json={"kind": kind, "scopes": scopes, "resource": resource, **extra})
    assert answer.status_code == 201, answer.text
    return secret(answer.json()["token"])
