"""Jira Cloud authentication (server-behaviour.md §0.3, §0.4, §4.1)."""

import pytest

TOKEN = ("admin@example.com", "sandbox-token-admin")
DEPRECATED = (
    "Basic authentication with passwords is deprecated.  For more information, see: "
    "https://developer.atlassian.com/cloud/confluence/deprecation-notice-basic-auth/"
)
CLIENT_MUST_AUTHENTICATE = '{"errorMessages":["Client must be authenticated to access this resource."]}'


@pytest.mark.parametrize("api", ["2", "3"])
def test_email_and_api_token(sandbox, api):
    r = sandbox.http.get(sandbox.jira_cloud + f"/rest/api/{api}/myself", auth=TOKEN)
    assert r.status_code == 200
    body = r.json()
    assert body["accountId"] == "5f8e3c2a1b0d4e0069a1b2c3" and body["displayName"] == "Sandbox Admin"
    assert body["self"] == sandbox.jira_cloud + f"/rest/api/{api}/user?accountId=5f8e3c2a1b0d4e0069a1b2c3"
    assert "name" not in body and "key" not in body  # Cloud users are accountIds (§4.4)
    assert r.headers["x-aaccountid"] == body["accountId"]
    assert "set-cookie" not in r.headers  # no cookie sessions on Cloud


def test_email_is_case_insensitive(sandbox):
    assert sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/myself", auth=("Admin@Example.COM", "sandbox-token-admin")).status_code == 200


def test_tokens_are_cheap_to_check(sandbox):
    for _ in range(3):
        sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/myself", auth=TOKEN)
    stats = sandbox.stats()["products"]["jira_cloud"]
    assert stats["password_checks"] == 0 and stats["requests_by_auth"]["basic"] == 3


def test_the_web_password_is_refused_for_the_api(sandbox):
    """§4.1: two spaces after 'deprecated.'."""
    r = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/myself", auth=("admin@example.com", "admin"))
    assert r.status_code == 401
    assert r.text == DEPRECATED
    assert sandbox.stats()["products"]["jira_cloud"]["password_checks"] == 1


def test_wrong_token_on_a_resource_that_needs_a_user(sandbox):
    r = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/myself", auth=("admin@example.com", "nope"))
    assert r.status_code == 401
    assert r.headers["x-seraph-loginreason"] == "AUTHENTICATED_FAILED"
    realm = sandbox.jira_cloud.replace(":", "%3A").replace("/", "%2F")
    assert r.headers["www-authenticate"] == f'OAuth realm="{realm}"'
    assert r.text == CLIENT_MUST_AUTHENTICATE


def test_wrong_token_on_an_anonymous_resource_is_served_anonymously(sandbox):
    """§4.1 (JRACLOUD-93811): 200; only the header and a _lout XSRF cookie tell."""
    r = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/serverInfo", auth=("admin@example.com", "nope"))
    assert r.status_code == 200
    assert r.headers["x-seraph-loginreason"] == "AUTHENTICATED_FAILED"
    xsrf = r.headers["set-cookie"]
    assert xsrf.startswith("atlassian.xsrf.token=") and xsrf.split(";")[0].endswith("_lout")
    assert "x-aaccountid" not in r.headers
    projects = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/project", auth=("admin@example.com", "nope"))
    assert projects.status_code == 200 and projects.json() == []


def test_unknown_account(sandbox):
    r = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/myself", auth=("ghost@example.com", "x"))
    assert r.status_code == 401 and r.text == CLIENT_MUST_AUTHENTICATE


def test_bearer_is_a_connect_token_to_the_site(sandbox):
    """§4.1: 403, application/json without charset."""
    r = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/myself", headers={"Authorization": "Bearer sandbox-token-admin"})
    assert r.status_code == 403
    assert r.headers["content-type"] == "application/json"
    assert r.text == '{"error":"Failed to parse Connect Session Auth Token"}'
    assert sandbox.stats()["products"]["jira_cloud"]["requests_by_auth"]["bearer"] == 1


def test_anonymous_myself(sandbox):
    r = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/myself")
    assert r.status_code == 401 and r.text == CLIENT_MUST_AUTHENTICATE
    assert "x-seraph-loginreason" not in r.headers


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_no_session_resource(sandbox, method):
    """Cookie auth and /rest/auth/1/session are gone on Cloud (§4.1): 404 like any unknown REST path."""
    r = sandbox.http.request(
        method, sandbox.jira_cloud + "/rest/auth/1/session", json={"username": "admin@example.com", "password": "admin"}
    )
    assert r.status_code == 404
    assert r.json()["status-code"] == 404


def test_session_cookie_from_dc_is_not_sent_to_cloud(sandbox):
    with sandbox.client() as client:
        client.post(sandbox.jira + "/rest/auth/1/session", json={"username": "admin", "password": "admin"})
        r = client.get(sandbox.jira_cloud + "/rest/api/3/myself")
        assert r.status_code == 401


def test_cloud_admin_needs_no_websudo_but_admin_rights(sandbox):
    body = {"emailAddress": "carol@example.com", "displayName": "Carol", "products": ["jira-software"]}
    r = sandbox.http.post(sandbox.jira_cloud + "/rest/api/3/user", json=body, auth=("alice@example.com", "sandbox-token-alice"))
    assert r.status_code == 403
    r = sandbox.http.post(sandbox.jira_cloud + "/rest/api/3/user", json=body, auth=TOKEN)
    assert r.status_code == 201 and r.json()["emailAddress"] == "carol@example.com"
