"""Cookie sessions on Jira DC: /rest/auth/1/session (server-behaviour.md §0.1, §0.2, §0.4, §1.2)."""

import re

import pytest

SESSION = "/rest/auth/1/session"
MYSELF = "/rest/api/2/myself"
NOT_AUTHENTICATED = '{"errorMessages":["You are not authenticated. Authentication required to perform this operation."],"errors":{}}'


def login(client, base, user="admin", password=None):
    return client.post(base + SESSION, json={"username": user, "password": password or user})


def test_login_returns_the_session_and_login_info(sandbox):
    """§1.2: body session.name/value = the cookie, loginInfo; headers OK + X-AUSERNAME."""
    with sandbox.client() as client:
        r = login(client, sandbox.jira)
        assert r.status_code == 200
        assert r.headers["x-seraph-loginreason"] == "OK"
        assert r.headers["x-ausername"] == "admin"
        body = r.json()
        assert body["session"] == {"name": "JSESSIONID", "value": client.cookies["JSESSIONID"]}
        assert re.fullmatch(r"[0-9A-F]{32}", body["session"]["value"])
        assert body["loginInfo"]["loginCount"] == 1 and body["loginInfo"]["failedLoginCount"] == 0
        xsrf = client.cookies["atlassian.xsrf.token"]
        assert re.fullmatch(r"([A-Z0-9]{4}-){3}[A-Z0-9]{4}\|[0-9a-f]{40}\|lin", xsrf)  # §0.4
        me = client.get(sandbox.jira + MYSELF)
        assert me.status_code == 200 and me.json()["name"] == "admin"
        assert re.fullmatch(r"[0-9a-z]{7}", me.headers["x-asessionid"])  # §0.2
        assert re.fullmatch(r"\d+x\d+x1", me.headers["x-arequestid"])
    stats = sandbox.stats()["products"]["jira"]
    assert stats["logins"] == 1 and stats["password_checks"] == 1
    assert stats["requests_by_auth"]["session"] == 1


def test_session_cookie_path_is_the_context_path(sandbox):
    with sandbox.client() as client:
        r = login(client, sandbox.jira)
        assert all("Path=/jira" in c for c in r.headers.get_list("set-cookie"))


def test_wrong_password(sandbox):
    """§1.2: 401, WWW-Authenticate: JIRA REST POST, rest.login.failed."""
    r = sandbox.http.post(sandbox.jira + SESSION, json={"username": "admin", "password": "nope"})
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "JIRA REST POST"
    assert r.headers["x-seraph-loginreason"] == "AUTHENTICATED_FAILED"
    assert r.text == '{"errorMessages":["Login failed"],"errors":{}}'
    assert "JSESSIONID" not in r.cookies


def test_get_session(sandbox):
    """§1.2: self is <base>/rest/api/latest/user?username=..., name, loginInfo."""
    with sandbox.client() as client:
        login(client, sandbox.jira, "alice")
        body = client.get(sandbox.jira + SESSION).json()
    assert body["self"] == sandbox.jira + "/rest/api/latest/user?username=alice"
    assert body["name"] == "alice"
    assert body["loginInfo"]["loginCount"] == 1


def test_get_session_anonymously_is_401(sandbox):
    r = sandbox.http.get(sandbox.jira + SESSION)
    assert r.status_code == 401 and r.text == NOT_AUTHENTICATED


def test_logout_then_the_cookie_is_stale(sandbox):
    """§1.2: DELETE -> 204; the old cookie gets 401 on REST even where anonymous would do,
    but /rest/auth stays reachable to log in again."""
    with sandbox.client() as client:
        login(client, sandbox.jira)
        r = client.delete(sandbox.jira + SESSION)
        assert r.status_code == 204
        assert client.cookies["atlassian.xsrf.token"].endswith("|lout")
        stale = client.get(sandbox.jira + "/rest/api/2/serverInfo")
        assert stale.status_code == 401 and stale.text == NOT_AUTHENTICATED
        assert client.get(sandbox.jira + SESSION).status_code == 401
        assert login(client, sandbox.jira).status_code == 200
        assert client.get(sandbox.jira + MYSELF).status_code == 200


def test_logout_without_session_is_401(sandbox):
    assert sandbox.http.delete(sandbox.jira + SESSION).status_code == 401


def test_unknown_cookie_is_401_on_rest_but_not_on_auth(sandbox):
    cookie = {"Cookie": "JSESSIONID=0123456789ABCDEF0123456789ABCDEF"}
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/serverInfo", headers=cookie).status_code == 401
    r = sandbox.http.post(sandbox.jira + SESSION, json={"username": "admin", "password": "admin"}, headers=cookie)
    assert r.status_code == 200


def test_unknown_cookie_with_basic_credentials_logs_in(sandbox):
    cookie = {"Cookie": "JSESSIONID=0123456789ABCDEF0123456789ABCDEF"}
    r = sandbox.http.get(sandbox.jira + MYSELF, headers=cookie, auth=("admin", "admin"))
    assert r.status_code == 200 and r.headers["x-seraph-loginreason"] == "OK"


def test_session_idles_out(sandbox):
    """§1.2: an expired session is a 401 (setting session_idle_seconds)."""
    sandbox.settings({"jira": {"session_idle_seconds": 60}})
    with sandbox.client() as client:
        login(client, sandbox.jira)
        sandbox.advance_clock(59)
        assert client.get(sandbox.jira + MYSELF).status_code == 200  # activity keeps it alive
        sandbox.advance_clock(59)
        assert client.get(sandbox.jira + MYSELF).status_code == 200
        sandbox.advance_clock(61)
        r = client.get(sandbox.jira + MYSELF)
        assert r.status_code == 401 and r.text == NOT_AUTHENTICATED


def test_relogin_on_a_live_session_says_out_then_ok(sandbox):
    """§0.1: OUT for the session logged out, then OK: clients see `OUT, OK`."""
    with sandbox.client() as client:
        first = login(client, sandbox.jira).json()["session"]["value"]
        r = login(client, sandbox.jira, "alice")
        assert r.headers["x-seraph-loginreason"] == "OUT, OK"
        assert r.json()["session"]["value"] != first  # a fresh session id on login
        assert client.get(sandbox.jira + MYSELF).json()["name"] == "alice"


@pytest.mark.parametrize("version", ["1", "latest"])
def test_both_session_paths(sandbox, version):
    r = sandbox.http.post(sandbox.jira + f"/rest/auth/{version}/session", json={"username": "admin", "password": "admin"})
    assert r.status_code == 200


def test_login_needs_json(sandbox):
    """§0.4: a form post without the token header is an XSRF failure before anything else."""
    r = sandbox.http.post(sandbox.jira + SESSION, data={"username": "admin", "password": "admin"})
    assert r.status_code == 403 and r.text == "XSRF check failed"
    r = sandbox.http.post(sandbox.jira + SESSION, data={"username": "admin"}, headers={"X-Atlassian-Token": "no-check"})
    assert r.status_code == 415


def test_sessions_are_bounded(sandbox, monkeypatch):
    """Clients that ignore cookies leave a session per Basic request; the oldest go first."""
    from atlctl.sandbox import realm

    monkeypatch.setattr(realm, "MAX_SESSIONS", 3)
    with sandbox.client() as keeper:
        keeper.post(sandbox.jira + SESSION, json={"username": "alice", "password": "alice"})
        for _ in range(3):
            sandbox.http.get(sandbox.jira + MYSELF, auth=("admin", "admin"))
        assert keeper.get(sandbox.jira + MYSELF).status_code == 401  # evicted, hence stale
