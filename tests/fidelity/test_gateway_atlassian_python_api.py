"""atlassian-python-api 5.0.5, unchanged, through the sandbox's Atlassian API gateway (server-behaviour.md
§4.2, §4.3) with scoped API tokens and OAuth access tokens: Jira(url=<gateway>/ex/jira/<cloudId>,
cloud=True), and Confluence(url=<gateway>/ex/confluence/<cloudId>, api_version=2), the client the
library picks itself for an api.atlassian.com/ex/confluence URL (confluence/__init__.py), which
calls <url>/api/v2/... without /wiki, as the real gateway allows."""

import pytest
from atlassian import Confluence, Jira
from requests import HTTPError

from tests.fidelity.test_atlassian_python_api import everyday_flow

CLOUD_ID = "8c1e3f4a-2b6d-4e7a-9f10-5a3b2c1d0e9f"
ADMIN = "admin@example.com"
SCOPED = "sandbox-scoped-token-admin"


def gateway_jira(sandbox, **credentials) -> Jira:
    return Jira(url=f"{sandbox.url}/gateway/ex/jira/{CLOUD_ID}", cloud=True, **credentials)


def gateway_confluence(sandbox, **credentials) -> Confluence:
    return Confluence(url=f"{sandbox.url}/gateway/ex/confluence/{CLOUD_ID}", cloud=True, api_version=2, **credentials)


def test_jira_with_a_scoped_token(sandbox):
    jira = gateway_jira(sandbox, username=ADMIN, password=SCOPED)
    assert jira.get_server_info()["deploymentType"] == "Cloud"
    everyday_flow(jira, "Sandbox Admin")
    assert sandbox.stats()["products"]["gateway"]["gateway_calls"]["jira"] > 0


def test_jira_with_the_service_accounts_scoped_token(sandbox):
    jira = gateway_jira(sandbox, username="sandbox-bot@serviceaccount.atlassian.com", password="sandbox-bot-scoped-token")
    everyday_flow(jira, "sandbox-bot")


def test_jira_with_a_client_credentials_access_token(sandbox):
    grant = sandbox.http.post(sandbox.url + "/gateway/auth/oauth/token", json={
        "grant_type": "client_credentials", "client_id": "sandbox-bot-client", "client_secret": "sandbox-bot-secret"})
    everyday_flow(gateway_jira(sandbox, token=grant.json()["access_token"]), "sandbox-bot")  # token= is sent as Bearer


def test_the_scoped_token_on_the_site_url_fails_with_401(sandbox):
    with pytest.raises(HTTPError) as caught:
        Jira(url=sandbox.url + "/cloud", username=ADMIN, password=SCOPED, cloud=True).myself()
    assert caught.value.response.status_code == 401


def test_jira_administration_without_its_scope_is_the_scope_mismatch(sandbox):
    with pytest.raises(HTTPError) as caught:
        gateway_jira(sandbox, username=ADMIN, password=SCOPED).create_group("release-managers")
    assert caught.value.response.status_code == 401
    assert caught.value.response.json() == {"code": 401, "message": "Unauthorized; scope does not match"}


def test_confluence_v2_with_a_scoped_token(sandbox):
    confluence = gateway_confluence(sandbox, username=ADMIN, password=SCOPED)
    spaces = confluence.get_spaces(keys=["DEMO"])
    space = next(iter(spaces if isinstance(spaces, list) else spaces["results"]))
    assert space["key"] == "DEMO"
    page = confluence.create_page(space["id"], "Through the gateway", "<p>one</p>")
    assert page["version"]["number"] == 1
    updated = confluence.update_page(page["id"], "Through the gateway", "<p>two</p>")
    assert updated["version"]["number"] == 2
    assert confluence.get_page_by_id(page["id"], body_format="storage")["body"]["storage"]["value"] == "<p>two</p>"
    with pytest.raises(HTTPError) as caught:  # delete:page:confluence is not among the token's scopes
        confluence.delete_page(page["id"])
    assert caught.value.response.json() == {"code": 401, "message": "Unauthorized; scope does not match"}
    assert sandbox.stats()["products"]["gateway"]["gateway_calls"]["confluence"] > 0


def test_confluence_v2_on_the_wiki_form_of_the_gateway_url(sandbox):
    confluence = Confluence(url=f"{sandbox.url}/gateway/ex/confluence/{CLOUD_ID}/wiki", cloud=True, api_version=2,
                            username="sandbox-bot@serviceaccount.atlassian.com", password="sandbox-bot-scoped-token")
    spaces = confluence.get_spaces(keys=["DEMO"])
    assert [s["key"] for s in (spaces if isinstance(spaces, list) else spaces["results"])] == ["DEMO"]
