"""CAPTCHA after consecutive failed logins (server-behaviour.md §0.1, §1.1, §1.2, §1.3, §1.4)."""

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

MYSELF = "/rest/api/2/myself"


def fail(sandbox, times, user="admin"):
    for _ in range(times):
        assert sandbox.http.get(sandbox.jira + MYSELF, auth=(user, "wrong")).status_code == 401


def assert_captcha_403(sandbox, response):
    """§1.4: the real 8.0.2 capture, header by header."""
    assert response.status_code == 403
    assert response.headers["x-seraph-loginreason"] == "AUTHENTICATION_DENIED"
    assert response.headers["x-authentication-denied-reason"] == f"CAPTCHA_CHALLENGE; login-url={sandbox.jira}/login.jsp"
    assert response.headers["www-authenticate"].startswith('OAuth realm="http%3A%2F%2F')


def test_three_failures_then_even_the_right_password_is_denied(sandbox):
    fail(sandbox, 3)
    checks_before = sandbox.stats()["password_checks"]
    r = sandbox.http.get(sandbox.jira + MYSELF, auth=("admin", "admin"))
    assert_captcha_403(sandbox, r)
    assert r.headers["content-type"] == "text/html;charset=UTF-8"
    assert "<title>Forbidden (403)</title>" in r.text
    assert "Basic Authentication Failure - Reason : AUTHENTICATION_DENIED" in r.text
    assert "JSESSIONID" in r.cookies  # the capture shows a session cookie on the 403
    # AUTHENTICATION_DENIED: refused without checking the password (§0.1).
    assert sandbox.stats()["password_checks"] == checks_before


def test_wrong_password_under_captcha_gets_the_same_answer(sandbox):
    """§1.2: correct and wrong passwords give the same header during CAPTCHA."""
    fail(sandbox, 3)
    assert_captcha_403(sandbox, sandbox.http.get(sandbox.jira + MYSELF, auth=("admin", "wrong")))


def test_session_login_under_captcha(sandbox):
    """§1.2 + §9.3: 403 with rest.login.denied and the denied-reason header."""
    fail(sandbox, 3)
    r = sandbox.http.post(sandbox.jira + "/rest/auth/1/session", json={"username": "admin", "password": "admin"})
    assert_captcha_403(sandbox, r)
    assert r.text == '{"errorMessages":["Login denied"],"errors":{}}'


def test_counter_is_per_user_and_reset_by_success(sandbox):
    fail(sandbox, 2)
    assert sandbox.http.get(sandbox.jira + MYSELF, auth=("admin", "admin")).status_code == 200
    fail(sandbox, 2)
    assert sandbox.http.get(sandbox.jira + MYSELF, auth=("admin", "admin")).status_code == 200
    fail(sandbox, 3, "alice")
    assert sandbox.http.get(sandbox.jira + MYSELF, auth=("admin", "admin")).status_code == 200
    assert sandbox.http.get(sandbox.jira + MYSELF, auth=("alice", "alice")).status_code == 403


def test_session_login_failures_count_too(sandbox):
    for _ in range(3):
        r = sandbox.http.post(sandbox.jira + "/rest/auth/1/session", json={"username": "alice", "password": "x"})
        assert r.status_code == 401
    assert sandbox.http.get(sandbox.jira + MYSELF, auth=("alice", "alice")).status_code == 403


def test_threshold_setting(sandbox):
    sandbox.settings({"jira": {"captcha_threshold": 5}})
    fail(sandbox, 4)
    assert sandbox.http.get(sandbox.jira + MYSELF, auth=("admin", "admin")).status_code == 200
    fail(sandbox, 5)
    assert sandbox.http.get(sandbox.jira + MYSELF, auth=("admin", "admin")).status_code == 403


def test_reset_clears_the_lock(sandbox):
    fail(sandbox, 3)
    sandbox.reset()
    assert sandbox.http.get(sandbox.jira + MYSELF, auth=("admin", "admin")).status_code == 200


def test_web_form_login_clears_the_lock(sandbox):
    """§1.3: a successful UI login (where a person solves the CAPTCHA) resets the counter."""
    fail(sandbox, 3)
    r = sandbox.http.post(sandbox.jira + "/login.jsp", data={"os_username": "admin", "os_password": "admin"})
    assert r.status_code == 302 and r.headers["x-seraph-loginreason"] == "OK"
    assert sandbox.http.get(sandbox.jira + MYSELF, auth=("admin", "admin")).status_code == 200


def test_session_get_shows_failed_count(sandbox):
    fail(sandbox, 2)
    with sandbox.client() as client:
        client.get(sandbox.jira + MYSELF, auth=("admin", "admin"))
        info = client.get(sandbox.jira + "/rest/auth/1/session").json()["loginInfo"]
    assert info["failedLoginCount"] == 0  # reset by the successful login
    assert info["loginCount"] == 1
    assert "lastFailedLoginTime" in info


@pytest.mark.parametrize("count", [3])
def test_unknown_users_never_lock(sandbox, count):
    fail(sandbox, count, "ghost")
    assert sandbox.http.get(sandbox.jira + MYSELF, auth=("ghost", "x")).status_code == 401


@pytest.mark.parametrize("scheme", ["basic", "session"])
def test_parallel_wrong_passwords_cannot_pass_the_threshold(sandbox, scheme):
    """However the requests interleave, at most `captcha_threshold` passwords are checked; the
    other logins are refused unchecked."""

    def attempt(_):
        if scheme == "basic":
            return httpx.get(sandbox.jira + MYSELF, auth=("alice", "wrong")).status_code
        return httpx.post(sandbox.jira + "/rest/auth/1/session", json={"username": "alice", "password": "wrong"}).status_code

    with ThreadPoolExecutor(12) as pool:
        statuses = sorted(pool.map(attempt, range(12)))
    assert statuses == [401] * 3 + [403] * 9
    assert sandbox.stats()["password_checks"] == 3
