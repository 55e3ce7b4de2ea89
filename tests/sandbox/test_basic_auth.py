"""Basic authentication on Jira DC (server-behaviour.md §0.1, §0.2, §0.3, §1.1)."""

import base64

import pytest

MYSELF = "/rest/api/2/myself"


def test_good_credentials_identify_the_user_and_open_a_session(sandbox):
    """§1.1: 200, X-Seraph-LoginReason: OK, X-AUSERNAME, and a JSESSIONID even for Basic."""
    r = sandbox.http.get(sandbox.jira + MYSELF, auth=("admin", "admin"))
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json;charset=UTF-8"
    assert r.headers["x-seraph-loginreason"] == "OK"
    assert r.headers["x-ausername"] == "admin"
    cookies = r.headers.get_list("set-cookie")
    jsession = next(c for c in cookies if c.startswith("JSESSIONID="))
    assert "HttpOnly" in jsession and "Path=/jira" in jsession
    xsrf = next(c for c in cookies if c.startswith("atlassian.xsrf.token="))
    assert xsrf.split(";")[0].endswith("|lin")  # §0.4 logged-in form
    body = r.json()
    assert body["name"] == "admin" and body["key"] == "JIRAUSER10000"
    assert body["self"] == sandbox.jira + "/rest/api/2/user?username=admin"


def test_usernames_are_case_insensitive(sandbox):
    assert sandbox.http.get(sandbox.jira + MYSELF, auth=("ADMIN", "admin")).json()["name"] == "admin"


@pytest.mark.parametrize("login", [("admin", "wrong"), ("nobody", "admin")])
def test_wrong_credentials_get_seraphs_html_401(sandbox, login):
    """§1.1 + §9.1: 401, AUTHENTICATED_FAILED, OAuth realm (§0.3) and the HTML error page."""
    r = sandbox.http.get(sandbox.jira + MYSELF, auth=login)
    assert r.status_code == 401
    assert r.headers["x-seraph-loginreason"] == "AUTHENTICATED_FAILED"
    realm = sandbox.jira.replace(":", "%3A").replace("/", "%2F")
    assert r.headers["www-authenticate"] == f'OAuth realm="{realm}"'
    assert r.headers["content-type"] == "text/html;charset=UTF-8"
    assert "Basic Authentication Failure - Reason : AUTHENTICATED_FAILED" in r.text
    assert r.headers["x-ausername"] == "anonymous"


def test_malformed_basic_header_is_a_failed_login(sandbox):
    r = sandbox.http.get(sandbox.jira + MYSELF, headers={"Authorization": "Basic !!not-base64!!"})
    assert r.status_code == 401
    assert r.headers["x-seraph-loginreason"] == "AUTHENTICATED_FAILED"


def test_every_basic_request_verifies_the_password(sandbox):
    """Basic without the session cookie costs one PBKDF2 check per request."""
    for _ in range(3):
        assert sandbox.http.get(sandbox.jira + MYSELF, auth=("admin", "admin")).status_code == 200
    stats = sandbox.stats()["products"]["jira"]
    assert stats["password_checks"] == 3
    assert stats["requests_by_auth"]["basic"] == 3
    assert stats["logins"] == 0  # Basic is not a session/web login


def test_a_client_that_keeps_the_cookie_rides_the_session(sandbox):
    """Seraph trusts the session before the Authorization header: one check, then session."""
    with sandbox.client(auth=("admin", "admin")) as client:
        for _ in range(3):
            assert client.get(sandbox.jira + MYSELF).status_code == 200
    stats = sandbox.stats()["products"]["jira"]
    assert stats["password_checks"] == 1
    assert stats["requests_by_auth"] == {"basic": 1, "session": 2, "bearer": 0, "anonymous": 0}


def test_session_from_basic_works_without_credentials(sandbox):
    r = sandbox.http.get(sandbox.jira + MYSELF, auth=("alice", "alice"))
    cookie = r.cookies["JSESSIONID"]
    r2 = sandbox.http.get(sandbox.jira + MYSELF, headers={"Cookie": f"JSESSIONID={cookie}"})
    assert r2.status_code == 200 and r2.json()["name"] == "alice"
    assert "x-seraph-loginreason" not in r2.headers  # no login happened on this request


def test_basic_login_replaces_an_anonymous_session(sandbox):
    """Seraph's invalidate.session.on.login: a Basic login on a cookie whose session has nobody in
    it (left by a failed attempt) gets a new JSESSIONID and a |lin xsrf token (§0.4)."""
    with sandbox.client() as client:
        assert client.get(sandbox.jira + MYSELF, auth=("admin", "wrong")).status_code == 401
        anonymous = client.cookies["JSESSIONID"]
        assert client.cookies["atlassian.xsrf.token"].endswith("|lout")
        r = client.get(sandbox.jira + MYSELF, auth=("admin", "admin"))
        assert r.status_code == 200 and r.headers["x-seraph-loginreason"] == "OK"
        assert client.cookies["JSESSIONID"] != anonymous
        assert client.cookies["atlassian.xsrf.token"].endswith("|lin")
        assert client.get(sandbox.jira + MYSELF, auth=None).json()["name"] == "admin"  # rides the new session
    stale = sandbox.http.get(sandbox.jira + MYSELF, headers={"Cookie": f"JSESSIONID={anonymous}"})
    assert stale.status_code == 401  # the old session is gone (§1.2)


def test_basic_auth_disabled(sandbox):
    """§1.1 (8.16+): Basic gets the 403 JSON; session login and PATs keep working."""
    r = sandbox.http.post(sandbox.jira + "/rest/pat/latest/tokens", json={"name": "ci"}, auth=("admin", "admin"))
    token = r.json()["rawToken"]
    sandbox.settings({"jira": {"basic_auth": False}})

    r = sandbox.http.get(sandbox.jira + MYSELF, auth=("admin", "admin"))
    assert r.status_code == 403
    assert r.headers["content-type"] == "application/json;charset=UTF-8"
    assert r.text == '{"message":"Basic Authentication has been disabled on this instance."}'
    assert sandbox.stats()["password_checks"] == 1  # only the PAT creation above

    assert sandbox.http.get(sandbox.jira + MYSELF, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    with sandbox.client() as client:
        login = client.post(sandbox.jira + "/rest/auth/1/session", json={"username": "admin", "password": "admin"})
        assert login.status_code == 200
        assert client.get(sandbox.jira + MYSELF).json()["name"] == "admin"


def test_basic_auth_switch_needs_jira_8_16(sandbox):
    with pytest.raises(ValueError, match="8.16"):
        sandbox.settings({"jira": {"version": "8.15.0", "basic_auth": False}})
    sandbox.settings({"jira": {"basic_auth": False}})
    with pytest.raises(ValueError, match="8.16"):
        sandbox.settings({"jira": {"version": "8.13.0"}})


def test_password_is_stored_as_pkcs5s2():
    """Atlassian's encoder: {PKCS5S2} + base64(16-byte salt + 32-byte PBKDF2-SHA1 key)."""
    import hashlib

    from atlctl.sandbox.realm import hash_password, verify_password

    stored = hash_password("s3cret")
    raw = base64.b64decode(stored.removeprefix("{PKCS5S2}"))
    assert stored.startswith("{PKCS5S2}") and len(raw) == 48
    assert raw[16:] == hashlib.pbkdf2_hmac("sha1", b"s3cret", raw[:16], 10_000, 32)
    assert verify_password(stored, "s3cret") and not verify_password(stored, "s3cre")
    assert hash_password("s3cret") != stored  # salted
