"""What the Jira tests share: `jira`, one action run against the sandbox's Server/DC and then its
Cloud instance (`jira.cloud`, `jira.alice` the seeded user alice as each names her), and readers of
an issue's JSON."""

import json

import pytest

from tests.e2e.conftest import CLOUD_TOKEN
from tests.helpers import run

CLOUD_ALICE = "5f8e3c2a1b0d4e0069a1b2c4"  # alice's accountId on the Cloud instance


def logins(sandbox, deployment: str) -> list[str]:
    """The --server and credentials of the sandbox's admin on `deployment` (dc or cloud)."""
    if deployment == "dc":
        return ["--server", sandbox.jira, "--user", "admin", "--password", "admin"]
    return ["--server", sandbox.jira_cloud, "--user", "admin@example.com", "--token", CLOUD_TOKEN]


@pytest.fixture(params=["dc", "cloud"])
def jira(request, sandbox):
    common = logins(sandbox, request.param)
    call = lambda action, *args, **kwargs: run("jira", action, *common, *args, **kwargs)  # noqa: E731
    call.cloud = request.param == "cloud"
    call.alice = CLOUD_ALICE if call.cloud else "alice"
    return call


def json_of(outcome):
    assert outcome.code == 0, outcome.err
    return json.loads(outcome.out)


def fields_of(jira, key: str) -> dict:
    """The fields of issue `key`, as getIssue --output json gives them."""
    return json_of(jira("getIssue", "--issue", key, "--output", "json"))["fields"]
