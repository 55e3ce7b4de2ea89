"""WebSudo on Jira DC (server-behaviour.md §0.4, §0.5)."""

import base64
import contextlib
import re

import pytest

USER = "/rest/api/2/user"
NEW_USER = {"name": "bob", "password": "bob", "emailAddress": "bob@example.com", "displayName": "Bob"}
WEBSUDO_BODY = '{"status-code":401,"message":"This resource requires WebSudo."}'


@contextlib.contextmanager
def session_client(sandbox, user="admin"):
    with sandbox.client() as client:
        r = client.post(sandbox.jira + "/rest/auth/1/session", json={"username": user, "password": user})
        assert r.status_code == 200
        yield client


def grant(client, sandbox, password="admin", token=True):
    data = {"webSudoPassword": password, "webSudoDestination": "/secure/admin/ViewApplicationProperties.jspa", "webSudoIsPost": "false"}
    if token:
        data["atl_token"] = client.cookies["atlassian.xsrf.token"]
    return client.post(sandbox.jira + "/secure/admin/WebSudoAuthenticate.jspa", data=data)


def test_cookie_session_needs_websudo(sandbox):
    with session_client(sandbox) as client:
        r = client.post(sandbox.jira + USER, json=NEW_USER)
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/json"
    assert r.text == WEBSUDO_BODY


@pytest.mark.parametrize(
    "method,path,kwargs",
    [
        ("POST", USER, {"json": NEW_USER}),
        ("DELETE", USER, {"params": {"username": "alice"}}),
        ("POST", "/rest/api/2/group", {"json": {"name": "g"}}),
        ("DELETE", "/rest/api/2/group", {"params": {"groupname": "jira-software-users"}}),
        ("POST", "/rest/api/2/group/user", {"params": {"groupname": "jira-administrators"}, "json": {"name": "alice"}}),
        ("DELETE", "/rest/api/2/group/user", {"params": {"groupname": "jira-software-users", "username": "alice"}}),
    ],
)
def test_every_admin_resource_is_protected(sandbox, method, path, kwargs):
    with session_client(sandbox) as client:
        assert client.request(method, sandbox.jira + path, **kwargs).text == WEBSUDO_BODY


def test_basic_skips_websudo(sandbox):
    """§0.5: Authorization: Basic -> no websudo (even if a session cookie rides along)."""
    with session_client(sandbox) as client:
        r = client.post(sandbox.jira + USER, json=NEW_USER, auth=("admin", "admin"))
    assert r.status_code == 201
    assert r.json()["name"] == "bob"


def test_the_exemption_is_case_sensitive(sandbox):
    """§0.5: the exemption tests startsWith("Basic ") / ("Bearer "); `basic` and `bearer`
    authenticate, but without a websudo grant."""
    token = base64.b64encode(b"admin:admin").decode()
    r = sandbox.http.post(sandbox.jira + USER, json=NEW_USER, headers={"Authorization": f"basic {token}"})
    assert r.status_code == 401 and r.text == WEBSUDO_BODY
    assert r.headers["x-seraph-loginreason"] == "OK"
    pat = sandbox.http.post(sandbox.jira + "/rest/pat/latest/tokens", json={"name": "t"}, auth=("admin", "admin")).json()["rawToken"]
    r = sandbox.http.post(sandbox.jira + USER, json=NEW_USER, headers={"Authorization": f"bearer {pat}"})
    assert r.status_code == 401 and r.text == WEBSUDO_BODY


def test_bearer_pat_skips_websudo(sandbox):
    token = sandbox.http.post(sandbox.jira + "/rest/pat/latest/tokens", json={"name": "t"}, auth=("admin", "admin")).json()["rawToken"]
    r = sandbox.http.post(sandbox.jira + USER, json=NEW_USER, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201


def test_grant_through_the_websudo_form(sandbox):
    """§0.5: 302 to the destination with X-Atlassian-WebSudo: Has-Authentication."""
    with session_client(sandbox) as client:
        r = grant(client, sandbox)
        assert r.status_code == 302
        assert r.headers["location"] == sandbox.jira + "/secure/admin/ViewApplicationProperties.jspa"
        assert r.headers["x-atlassian-websudo"] == "Has-Authentication"
        assert client.post(sandbox.jira + USER, json=NEW_USER).status_code == 201
        assert client.get(sandbox.jira + "/secure/admin/ViewApplicationProperties.jspa").status_code == 200


def test_grant_with_no_check_header_instead_of_atl_token(sandbox):
    with session_client(sandbox) as client:
        client.headers["X-Atlassian-Token"] = "no-check"
        assert grant(client, sandbox, token=False).status_code == 302


def test_grant_without_any_token_shows_the_xsrf_page(sandbox):
    with session_client(sandbox) as client:
        r = grant(client, sandbox, token=False)
        assert r.status_code == 403 and "<!-- SecurityTokenMissing -->" in r.text
        assert client.post(sandbox.jira + USER, json=NEW_USER).text == WEBSUDO_BODY


def test_wrong_websudo_password(sandbox):
    with session_client(sandbox) as client:
        checks = sandbox.stats()["password_checks"]
        r = grant(client, sandbox, password="wrong")
        assert r.status_code == 200
        assert "You have requested access to an administrative function in Jira" in r.text
        assert "The password you entered is incorrect." in r.text
        assert sandbox.stats()["password_checks"] == checks + 1
        assert client.post(sandbox.jira + USER, json=NEW_USER).text == WEBSUDO_BODY


def test_grant_lasts_ten_idle_minutes(sandbox):
    with session_client(sandbox) as client:
        grant(client, sandbox)
        sandbox.advance_clock(9 * 60)
        assert client.get(sandbox.jira + "/secure/admin/ViewApplicationProperties.jspa").status_code == 200
        sandbox.advance_clock(9 * 60)  # the admin page above refreshed the grant
        assert client.post(sandbox.jira + USER, json=NEW_USER).status_code == 201
        sandbox.advance_clock(10 * 60 + 1)
        r = client.post(sandbox.jira + USER, json={**NEW_USER, "name": "carol"})
        assert r.text == WEBSUDO_BODY


def test_drop_websudo(sandbox):
    """DELETE /rest/auth/1/websudo (what pycontribs' kill_websudo calls)."""
    with session_client(sandbox) as client:
        grant(client, sandbox)
        assert client.delete(sandbox.jira + "/rest/auth/1/websudo").status_code == 204
        assert client.post(sandbox.jira + USER, json=NEW_USER).text == WEBSUDO_BODY


def test_websudo_setting_off(sandbox):
    sandbox.settings({"jira": {"websudo": False}})
    with session_client(sandbox) as client:
        assert client.post(sandbox.jira + USER, json=NEW_USER).status_code == 201
        assert client.get(sandbox.jira + "/secure/admin/ViewApplicationProperties.jspa").status_code == 200


def test_non_admin_is_refused(sandbox):
    r = sandbox.http.post(sandbox.jira + USER, json=NEW_USER, auth=("alice", "alice"))
    assert r.status_code == 403
    assert r.text == '{"errorMessages":["You are not authorized to perform this operation."],"errors":{}}'
    with session_client(sandbox, "alice") as client:
        assert client.post(sandbox.jira + USER, json=NEW_USER).text == WEBSUDO_BODY  # the filter runs first


def test_admin_page_needs_the_grant_whatever_the_auth(sandbox):
    with session_client(sandbox) as client:
        r = client.get(sandbox.jira + "/secure/admin/ViewApplicationProperties.jspa")
        assert r.status_code == 302
        assert r.headers["location"] == (
            sandbox.jira
            + "/secure/admin/WebSudoAuthenticate!default.jspa?webSudoDestination=%2Fsecure%2Fadmin%2FViewApplicationProperties.jspa"
        )
        form = client.get(r.headers["location"])
        assert form.status_code == 200 and 'name="webSudoPassword"' in form.text
        token = re.search(r'name="atl_token" value="([^"]+)"', form.text).group(1)
        assert token == client.cookies["atlassian.xsrf.token"]


def test_admin_page_refuses_non_admins(sandbox):
    with session_client(sandbox, "alice") as client:
        r = client.get(sandbox.jira + "/secure/admin/ViewApplicationProperties.jspa")
    assert r.status_code == 403 and "Permission violation" in r.text
