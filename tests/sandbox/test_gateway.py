"""The Atlassian API gateway under /gateway (server-behaviour.md §4.2): tenant_info, scoped API
tokens refused on the site and served through the gateway, the scope check, service accounts,
unknown cloudIds, classic tokens, and the stats."""

import pytest

CLOUD_ID = "8c1e3f4a-2b6d-4e7a-9f10-5a3b2c1d0e9f"
ADMIN_SCOPED = ("admin@example.com", "sandbox-scoped-token-admin")
BOT_SCOPED = ("sandbox-bot@serviceaccount.atlassian.com", "sandbox-bot-scoped-token")
SCOPE_MISMATCH = {"code": 401, "message": "Unauthorized; scope does not match"}
UNAUTHORIZED = {"code": 401, "message": "Unauthorized"}


def jira(sandbox, cloud_id=CLOUD_ID):
    return f"{sandbox.url}/gateway/ex/jira/{cloud_id}"


def wiki(sandbox, cloud_id=CLOUD_ID):
    return f"{sandbox.url}/gateway/ex/confluence/{cloud_id}/wiki"


def test_tenant_info_names_the_site_without_authentication(sandbox):
    response = sandbox.http.get(sandbox.url + "/cloud/_edge/tenant_info")
    assert response.status_code == 200
    assert response.json() == {"cloudId": CLOUD_ID}
    assert response.headers["content-type"] == "application/json"
    assert sandbox.http.get(sandbox.url + "/gateway/tenant_info").status_code == 404  # the site's, not the gateway's


@pytest.mark.parametrize("path", ["/cloud/rest/api/3/myself", "/cloud/rest/api/3/project", "/cloud/rest/api/2/serverInfo"])
def test_a_scoped_token_is_refused_on_the_jira_site_even_where_anonymous_calls_pass(sandbox, path):
    response = sandbox.http.get(sandbox.url + path, auth=ADMIN_SCOPED)
    assert response.status_code == 401
    assert response.json() == {"errorMessages": ["Client must be authenticated to access this resource."]}
    assert response.headers["x-seraph-loginreason"] == "AUTHENTICATED_FAILED"
    assert response.headers["www-authenticate"].startswith("OAuth realm=")


def test_a_scoped_token_is_refused_on_the_confluence_site(sandbox):
    response = sandbox.http.get(sandbox.url + "/cloud/wiki/rest/api/content/65537", auth=ADMIN_SCOPED)
    assert response.status_code == 401
    assert response.json()["message"] == "This request requires authentication."


def test_the_classic_token_still_works_on_the_site(sandbox):
    response = sandbox.http.get(sandbox.url + "/cloud/rest/api/3/myself", auth=("admin@example.com", "sandbox-token-admin"))
    assert response.status_code == 200


def test_a_scoped_token_reads_and_writes_jira_through_the_gateway(sandbox):
    me = sandbox.http.get(jira(sandbox) + "/rest/api/3/myself", auth=ADMIN_SCOPED)
    assert me.status_code == 200
    assert me.json()["emailAddress"] == "admin@example.com"
    assert me.json()["self"].startswith(jira(sandbox) + "/rest/api/3/user")  # links use the gateway URL
    created = sandbox.http.post(jira(sandbox) + "/rest/api/2/issue", auth=ADMIN_SCOPED, json={
        "fields": {"project": {"key": "DEMO"}, "issuetype": {"name": "Task"}, "summary": "via the gateway"}})
    assert created.status_code == 201
    key = created.json()["key"]
    # the same data as the site
    on_site = sandbox.http.get(f"{sandbox.url}/cloud/rest/api/2/issue/{key}", auth=("admin@example.com", "sandbox-token-admin"))
    assert on_site.json()["fields"]["summary"] == "via the gateway"


def test_a_scoped_token_reads_and_writes_confluence_through_the_gateway(sandbox):
    page = sandbox.http.get(wiki(sandbox) + "/rest/api/content/65537", auth=ADMIN_SCOPED)
    assert page.status_code == 200
    spaces = sandbox.http.get(wiki(sandbox) + "/api/v2/spaces", auth=ADMIN_SCOPED)
    assert [s["key"] for s in spaces.json()["results"]] == ["DEMO"]
    assert spaces.json()["_links"]["base"] == wiki(sandbox)
    space_id = spaces.json()["results"][0]["id"]
    created = sandbox.http.post(wiki(sandbox) + "/api/v2/pages", auth=ADMIN_SCOPED, json={
        "spaceId": space_id, "status": "current", "title": "Gateway page",
        "body": {"representation": "storage", "value": "<p>hi</p>"}})
    assert created.status_code == 200
    on_site = sandbox.http.get(f"{sandbox.url}/cloud/wiki/api/v2/pages/{created.json()['id']}",
                               auth=("admin@example.com", "sandbox-token-admin"))
    assert on_site.json()["title"] == "Gateway page"


@pytest.mark.parametrize(("method", "url", "missing"), [
    ("GET", "/wiki/rest/api/space", "read:confluence-space.summary"),
    ("GET", "/wiki/rest/api/search?cql=type=page", "search:confluence"),
    ("DELETE", "/wiki/api/v2/pages/65537", "delete:page:confluence"),
])
def test_an_operation_the_token_has_no_scope_for_is_the_scope_mismatch(sandbox, method, url, missing):
    response = sandbox.http.request(method, f"{sandbox.url}/gateway/ex/confluence/{CLOUD_ID}{url}", auth=ADMIN_SCOPED)
    assert response.status_code == 401
    assert response.json() == SCOPE_MISMATCH
    assert response.headers["x-failure-category"] == "FAILURE_CLIENT_SCOPE_CHECK"
    assert response.headers["content-type"] == "application/json"


def test_jira_administration_needs_manage_jira_configuration(sandbox):
    response = sandbox.http.get(jira(sandbox) + "/rest/api/3/group/member?groupname=site-admins", auth=ADMIN_SCOPED)
    assert response.json() == SCOPE_MISMATCH
    # the scope check comes before the product: nothing was created
    made = sandbox.http.post(jira(sandbox) + "/rest/api/3/group", auth=ADMIN_SCOPED, json={"name": "nope"})
    assert made.json() == SCOPE_MISMATCH
    groups = sandbox.http.get(sandbox.url + "/cloud/rest/api/3/group/member?groupname=nope", auth=("admin@example.com", "sandbox-token-admin"))
    assert groups.status_code == 404


def test_an_operation_without_scopes_passes_any_scoped_token(sandbox):
    assert sandbox.http.get(jira(sandbox) + "/rest/api/3/serverInfo", auth=BOT_SCOPED).status_code == 200


def test_the_service_account_works_with_its_scoped_token(sandbox):
    me = sandbox.http.get(jira(sandbox) + "/rest/api/3/myself", auth=BOT_SCOPED)
    assert me.status_code == 200
    assert me.json()["accountId"] == "712020:3f9a7c52-1d4e-4b8a-9c6f-2e5d7a1b0c93"
    assert sandbox.http.get(wiki(sandbox) + "/rest/api/content/65537", auth=BOT_SCOPED).status_code == 200
    assert sandbox.http.get(sandbox.url + "/cloud/rest/api/3/myself", auth=BOT_SCOPED).status_code == 401


@pytest.mark.parametrize("auth", [None, ("admin@example.com", "wrong-token"), ("admin@example.com", "admin"),
                                  ("alice@example.com", "sandbox-scoped-token-admin")])
def test_no_or_bad_credentials_are_unauthorized(sandbox, auth):
    response = sandbox.http.get(jira(sandbox) + "/rest/api/3/myself", auth=auth)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED
    assert sandbox.stats()["password_checks"] == 0  # the gateway checks no passwords


def test_a_bad_bearer_token_is_unauthorized(sandbox):
    response = sandbox.http.get(jira(sandbox) + "/rest/api/3/myself", headers={"Authorization": "Bearer nope"})
    assert (response.status_code, response.json()) == (401, UNAUTHORIZED)


@pytest.mark.parametrize("url", [
    "/gateway/ex/jira/00000000-0000-0000-0000-000000000000/rest/api/3/myself",
    f"/gateway/ex/bitbucket/{CLOUD_ID}/rest/api/3/myself",
    "/gateway/nothing-here",
])
def test_unknown_sites_and_paths_are_the_gateways_404(sandbox, url):
    response = sandbox.http.get(sandbox.url + url, auth=ADMIN_SCOPED)
    assert response.status_code == 404
    assert response.json() == {"code": 404, "message": "Not Found"}


def test_confluence_through_the_gateway_without_wiki_in_the_path(sandbox):
    """As kovetskiy/mark#917 and atlassian-python-api#1546 call it: /ex/confluence/{cloudId}/rest/api/..."""
    base = f"{sandbox.url}/gateway/ex/confluence/{CLOUD_ID}"
    assert sandbox.http.get(base + "/rest/api/content/65537", auth=ADMIN_SCOPED).json()["id"] == "65537"
    spaces = sandbox.http.get(base + "/api/v2/spaces", auth=ADMIN_SCOPED).json()
    assert spaces["_links"]["base"] == base
    assert sandbox.http.get(base + "/rest/api/space", auth=ADMIN_SCOPED).json() == SCOPE_MISMATCH


def test_a_classic_token_on_the_gateway_is_refused_unless_the_setting_accepts_it(sandbox):
    classic = ("admin@example.com", "sandbox-token-admin")
    refused = sandbox.http.get(jira(sandbox) + "/rest/api/3/myself", auth=classic)
    assert (refused.status_code, refused.json()) == (401, SCOPE_MISMATCH)
    sandbox.settings({"gateway": {"classic_tokens": "accepted"}})
    accepted = sandbox.http.get(jira(sandbox) + "/rest/api/3/group/member?groupname=site-admins", auth=classic)
    assert accepted.status_code == 200  # no scope check: the account's own permissions


def test_settings_are_checked(sandbox):
    with pytest.raises(ValueError, match='classic_tokens: must be "refused" or "accepted"'):
        sandbox.settings({"gateway": {"classic_tokens": "maybe"}})
    with pytest.raises(ValueError, match="access_token_seconds: must be a whole number from 1 to 86400"):
        sandbox.settings({"gateway": {"access_token_seconds": 0}})


def test_stats_count_gateway_calls_and_the_forwarded_requests(sandbox):
    sandbox.http.get(jira(sandbox) + "/rest/api/3/myself", auth=ADMIN_SCOPED)
    sandbox.http.get(jira(sandbox) + "/rest/api/3/myself")
    sandbox.http.get(wiki(sandbox) + "/rest/api/content/65537", auth=BOT_SCOPED)
    stats = sandbox.stats()["products"]
    assert stats["gateway"]["gateway_calls"] == {"jira": 2, "confluence": 1}
    assert stats["gateway"]["requests_by_auth"]["basic"] == 2
    assert stats["gateway"]["requests_by_auth"]["anonymous"] == 1
    assert stats["jira_cloud"]["requests_by_auth"]["basic"] == 1  # only the one let through
    assert stats["confluence_cloud"]["requests_by_auth"]["basic"] == 1


def test_the_gateways_faults_apply_to_its_paths(sandbox):
    sandbox.settings({"gateway": {"faults": [{"path": "/ex/jira", "kind": "status", "status": 503, "count": 1}]}})
    assert sandbox.http.get(jira(sandbox) + "/rest/api/3/myself", auth=ADMIN_SCOPED).status_code == 503
    assert sandbox.http.get(jira(sandbox) + "/rest/api/3/myself", auth=ADMIN_SCOPED).status_code == 200
