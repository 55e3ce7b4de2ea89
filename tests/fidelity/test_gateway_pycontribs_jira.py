"""The PyPI `jira` package, unchanged, through the sandbox's Atlassian API gateway (server-behaviour.md
§4.2, §4.3): JIRA(server=<gateway>/ex/jira/<cloudId>) with a scoped API token and with an OAuth
access token."""

import pytest
from jira import JIRA
from jira.exceptions import JIRAError

from tests.fidelity.test_pycontribs_jira import everyday_flow

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
CLOUD_ID = "8c1e3f4a-2b6d-4e7a-9f10-5a3b2c1d0e9f"


def gateway(sandbox) -> str:
    return f"{sandbox.url}/gateway/ex/jira/{CLOUD_ID}"


def test_a_scoped_token(sandbox):
    everyday_flow(JIRA(server=gateway(sandbox), basic_auth=("admin@example.com", "sandbox-scoped-token-admin")), "Sandbox Admin")


def test_a_client_credentials_access_token(sandbox):
    grant = sandbox.http.post(sandbox.url + "/gateway/auth/oauth/token", json={
        "grant_type": "client_credentials", "client_id": "sandbox-bot-client", "client_secret": "sandbox-bot-secret"})
    everyday_flow(JIRA(server=gateway(sandbox), token_auth=grant.json()["access_token"]), "sandbox-bot")


def test_a_missing_scope_is_a_401_with_the_gateways_message(sandbox):
    j = JIRA(server=gateway(sandbox), basic_auth=("admin@example.com", "sandbox-scoped-token-admin"))
    with pytest.raises(JIRAError) as caught:
        j.add_group("release-managers")
    assert caught.value.status_code == 401
    assert "Unauthorized; scope does not match" in caught.value.text
