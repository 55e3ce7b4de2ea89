"""The session scheme stepped by hand (DESIGN principle 1): each yielded request and the answer we
feed back, so every branch of the flow is visible without a server."""

import json
import threading

import httpx
import pytest

from atlctl.auth.session import SessionAuth
from atlctl.auth.strategy import SessionStrategy, is_login
from atlctl.products.jira.product import SESSION as JIRA_SESSION
from atlctl.errors import ClientError

BASE = "http://jira.test/jira"


def answer(request, status=200, body=None, headers=None, text=None):
    content = text.encode() if text is not None else json.dumps(body or {}).encode()
    return httpx.Response(status, content=content, headers=headers or {}, request=request)


def login_ok(request, value="S1"):
    return answer(request, body={"session": {"name": "JSESSIONID", "value": value}},
                  headers=[("Set-Cookie", f"JSESSIONID={value}; Path=/jira; HttpOnly"),
                           ("Set-Cookie", "atlassian.xsrf.token=X|Y|lin; Path=/jira")])


def test_first_request_logs_in_then_sends_cookie():
    auth = SessionAuth(BASE, "admin", "pw", JIRA_SESSION)
    flow = auth.auth_flow(httpx.Request("GET", BASE + "/rest/api/2/myself"))
    login = next(flow)
    assert (login.method, login.url.path) == ("POST", "/jira/rest/auth/1/session")
    assert json.loads(login.content) == {"username": "admin", "password": "pw"}
    request = flow.send(login_ok(login))
    assert request.url.path == "/jira/rest/api/2/myself"
    assert "JSESSIONID=S1" in request.headers["Cookie"] and "Authorization" not in request.headers
    with pytest.raises(StopIteration):
        flow.send(answer(request))
    assert auth.created and auth.session_id == "S1"


def test_later_requests_reuse_the_session_without_login():
    auth = SessionAuth(BASE, "admin", "pw", JIRA_SESSION, cookies={"JSESSIONID": "S1"})
    flow = auth.auth_flow(httpx.Request("GET", BASE + "/rest/api/2/project"))
    request = next(flow)
    assert request.headers["Cookie"] == "JSESSIONID=S1" and not auth.created


def test_failed_login_hands_the_login_answer_back_unretried():
    auth = SessionAuth(BASE, "admin", "wrong", JIRA_SESSION)
    flow = auth.auth_flow(httpx.Request("GET", BASE + "/rest/api/2/myself"))
    login = next(flow)
    with pytest.raises(StopIteration):  # httpx then returns this 401 to the caller to classify
        flow.send(answer(login, 401, {"errorMessages": ["Login failed"], "errors": {}}))
    assert auth.session_id is None


def test_expired_session_is_renewed_once_and_never_in_a_loop():
    auth = SessionAuth(BASE, "admin", "pw", JIRA_SESSION, cookies={"JSESSIONID": "OLD"})
    flow = auth.auth_flow(httpx.Request("GET", BASE + "/rest/api/2/myself"))
    first = next(flow)
    relogin = flow.send(answer(first, 401, {"errorMessages": ["You are not authenticated."]}))
    assert relogin.url.path.endswith("/rest/auth/1/session") and relogin.method == "POST"
    retry = flow.send(login_ok(relogin, "NEW"))
    assert "JSESSIONID=NEW" in retry.headers["Cookie"]
    with pytest.raises(ClientError, match="right after a successful login"):  # no third login, ever
        flow.send(answer(retry, 401, {"errorMessages": ["You are not authenticated."]}))
    later = auth.auth_flow(httpx.Request("GET", BASE + "/rest/api/2/project"))
    with pytest.raises(ClientError, match="losing the session cookie"):
        next(later)


def test_a_session_refused_right_after_login_is_not_renewed():
    """A proxy that drops cookies: renewing would cost a password check on every request."""
    auth = SessionAuth(BASE, "admin", "pw", JIRA_SESSION)
    flow = auth.auth_flow(httpx.Request("GET", BASE + "/rest/api/2/myself"))
    login = next(flow)
    request = flow.send(login_ok(login))
    with pytest.raises(ClientError, match="losing the session cookie"):
        flow.send(answer(request, 401, {"errorMessages": ["You are not authenticated."]}))


def test_login_answer_names_the_session_cookie():
    auth = SessionAuth(BASE, "admin", "pw", JIRA_SESSION)
    flow = auth.auth_flow(httpx.Request("GET", BASE + "/rest/api/2/myself"))
    login = next(flow)
    request = flow.send(answer(login, body={"session": {"name": "JSESSIONID_NODE1", "value": "N1"}}))
    assert request.headers["Cookie"] == "JSESSIONID_NODE1=N1" and auth.session_id == "N1"


def test_login_answer_without_a_session_is_an_error_not_the_actions_answer():
    auth = SessionAuth(BASE, "admin", "pw", JIRA_SESSION)
    flow = auth.auth_flow(httpx.Request("GET", BASE + "/rest/api/2/issue/X-1"))
    login = next(flow)
    with pytest.raises(ClientError, match="without a session"):
        flow.send(answer(login, body={"something": "else"}))


def test_a_refused_login_is_not_repeated_by_the_next_request():
    auth = SessionAuth(BASE, "admin", "wrong", JIRA_SESSION)
    flow = auth.auth_flow(httpx.Request("GET", BASE + "/rest/api/2/myself"))
    login = next(flow)
    with pytest.raises(StopIteration):
        flow.send(answer(login, 401, {"errorMessages": ["Login failed"], "errors": {}}))
    with pytest.raises(ClientError, match="refused the login for admin earlier"):
        next(auth.auth_flow(httpx.Request("GET", BASE + "/rest/api/2/myself")))


def test_saved_session_without_password_is_not_renewed():
    auth = SessionAuth(BASE, None, None, JIRA_SESSION, cookies={"JSESSIONID": "OLD"})
    flow = auth.auth_flow(httpx.Request("GET", BASE + "/rest/api/2/myself"))
    first = next(flow)
    with pytest.raises(StopIteration):
        flow.send(answer(first, 401, {"errorMessages": ["You are not authenticated."]}))


def test_websudo_refusal_confirms_the_password_then_resends():
    auth = SessionAuth(BASE, "admin", "pw", JIRA_SESSION, cookies={"JSESSIONID": "S1", "atlassian.xsrf.token": "TOK"})
    flow = auth.auth_flow(httpx.Request("POST", BASE + "/rest/api/2/user", json={"name": "bob"}))
    first = next(flow)
    elevate = flow.send(answer(first, 401, {"status-code": 401, "message": "This resource requires WebSudo."}))
    assert elevate.url.path == "/jira/secure/admin/WebSudoAuthenticate.jspa"
    form = dict(httpx.QueryParams(elevate.content.decode()))
    assert form["webSudoPassword"] == "pw" and form["atl_token"] == "TOK"
    assert elevate.headers["X-Atlassian-Token"] == "no-check"
    resend = flow.send(answer(elevate, 302, text="", headers={"X-Atlassian-WebSudo": "Has-Authentication",
                                                               "Location": BASE + "/"}))
    assert resend.url.path == "/jira/rest/api/2/user" and json.loads(resend.content) == {"name": "bob"}


def test_websudo_without_password_is_left_to_the_classifier():
    auth = SessionAuth(BASE, None, None, JIRA_SESSION, cookies={"JSESSIONID": "S1"})
    flow = auth.auth_flow(httpx.Request("POST", BASE + "/rest/api/2/user", json={}))
    first = next(flow)
    with pytest.raises(StopIteration):
        flow.send(answer(first, 401, {"status-code": 401, "message": "This resource requires WebSudo."}))


def test_no_credentials_to_another_origin():
    auth = SessionAuth(BASE, "admin", "pw", JIRA_SESSION, cookies={"JSESSIONID": "S1"})
    flow = auth.auth_flow(httpx.Request("GET", "https://cdn.example.org/file"))
    request = next(flow)
    assert "Cookie" not in request.headers and "Authorization" not in request.headers


def test_cookie_cleared_by_server_is_dropped():
    auth = SessionAuth(BASE, "admin", "pw", JIRA_SESSION, cookies={"JSESSIONID": "S1"})
    flow = auth.auth_flow(httpx.Request("GET", BASE + "/rest/api/2/myself"))
    request = next(flow)
    with pytest.raises(StopIteration):
        flow.send(answer(request, 200, {}, headers={"Set-Cookie": "JSESSIONID=; Max-Age=0; Path=/jira"}))
    assert auth.session_id is None


def test_threads_share_one_login():
    """Many threads, one session: the server sees a single login (the lock holds the others back)."""
    logins = []

    def handler(request):
        if request.url.path.endswith("/rest/auth/1/session"):
            logins.append(1)
            return login_ok(request)
        assert "JSESSIONID=S1" in request.headers.get("Cookie", "")
        return answer(request, body={"ok": True})

    auth = SessionAuth(BASE, "admin", "pw", JIRA_SESSION)
    client = httpx.Client(transport=httpx.MockTransport(handler))
    results = []

    def fetch():
        try:
            results.append(client.get(BASE + "/rest/api/2/myself", auth=auth).status_code)
        except Exception as exc:  # collected: an assertion in a thread would only be a warning
            results.append(exc)

    threads = [threading.Thread(target=fetch) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * 8 and len(logins) == 1


# -- a session from the first request's cookie (products without a login resource) ---------------

FIRST = SessionStrategy("FAKESESSION")  # no login_path: the first request, sent with basic auth, logs in


def cookie(request, value="C1", status=200, body=None):
    return answer(request, status, body or {}, headers=[("Set-Cookie", f"FAKESESSION={value}; Path=/; HttpOnly")])


def test_first_request_carries_basic_and_its_cookie_serves_the_rest():
    auth = SessionAuth(BASE, "ann", "pw", FIRST)
    flow = auth.auth_flow(httpx.Request("GET", BASE + "/api/me"))
    first = next(flow)
    assert first.url.path == "/jira/api/me" and first.headers["Authorization"].startswith("Basic ")
    with pytest.raises(StopIteration):  # the request's own answer, no second request
        flow.send(cookie(first))
    assert auth.created and auth.session_id == "C1" and not is_login(first)
    later = next(auth.auth_flow(httpx.Request("GET", BASE + "/api/x")))
    assert later.headers["Cookie"] == "FAKESESSION=C1" and "Authorization" not in later.headers


def test_first_request_refused_is_a_login_failure_and_never_sent_again():
    auth = SessionAuth(BASE, "ann", "wrong", FIRST)
    flow = auth.auth_flow(httpx.Request("GET", BASE + "/api/me"))
    first = next(flow)
    with pytest.raises(StopIteration):
        flow.send(answer(first, 401, {"fake_error": "wrong login or password"}))
    assert is_login(first)  # so the connection blocks the user and the classifier says "Login failed"
    with pytest.raises(ClientError, match="refused the login for ann earlier"):
        next(auth.auth_flow(httpx.Request("GET", BASE + "/api/me")))


@pytest.mark.parametrize("status", [403, 404])
def test_first_request_refused_for_another_reason_is_no_login_failure(status):
    auth = SessionAuth(BASE, "ann", "pw", FIRST)
    flow = auth.auth_flow(httpx.Request("DELETE", BASE + "/api/thing"))
    first = next(flow)
    with pytest.raises(StopIteration):
        flow.send(cookie(first, status=status))  # the credentials were good: the server opened a session
    assert not is_login(first) and auth.session_id == "C1"
    again = SessionAuth(BASE, "ann", "pw", FIRST)
    flow = again.auth_flow(httpx.Request("DELETE", BASE + "/api/thing"))
    first = next(flow)
    with pytest.raises(StopIteration):
        flow.send(answer(first, status))  # no session cookie either: still not a refused login
    assert not is_login(first)
    assert next(again.auth_flow(httpx.Request("GET", BASE + "/api/me"))).headers["Authorization"].startswith("Basic ")


def test_first_request_login_that_loses_its_cookie_gives_up_instead_of_looping():
    """A proxy dropping cookies: each renewal would cost a password check, so a session refused
    before the server ever accepted it is not renewed."""
    auth = SessionAuth(BASE, "ann", "pw", FIRST)
    flow = auth.auth_flow(httpx.Request("GET", BASE + "/api/a"))
    with pytest.raises(StopIteration):
        flow.send(cookie(next(flow), "C1"))
    flow = auth.auth_flow(httpx.Request("GET", BASE + "/api/b"))
    with_cookie = next(flow)
    assert with_cookie.headers["Cookie"] == "FAKESESSION=C1"
    with pytest.raises(ClientError, match="losing the session cookie"):
        flow.send(answer(with_cookie, 401))  # the cookie did not arrive: no second login
    with pytest.raises(ClientError, match="losing the session cookie"):
        next(auth.auth_flow(httpx.Request("GET", BASE + "/api/c")))


def test_first_request_session_that_worked_is_renewed_once_when_it_expires():
    auth = SessionAuth(BASE, "ann", "pw", FIRST)
    flow = auth.auth_flow(httpx.Request("GET", BASE + "/api/a"))
    with pytest.raises(StopIteration):
        flow.send(cookie(next(flow), "C1"))
    flow = auth.auth_flow(httpx.Request("GET", BASE + "/api/b"))
    with pytest.raises(StopIteration):
        flow.send(answer(next(flow), 200))  # the session is accepted
    flow = auth.auth_flow(httpx.Request("GET", BASE + "/api/c"))
    renewal = flow.send(answer(next(flow), 401))  # then it expires
    assert renewal.headers["Authorization"].startswith("Basic ") and "Cookie" not in renewal.headers
    with pytest.raises(StopIteration):
        flow.send(cookie(renewal, "C2"))
    assert auth.session_id == "C2"


def test_a_server_without_session_cookies_gets_basic_on_every_request_without_serialising():
    auth = SessionAuth(BASE, "ann", "pw", FIRST)
    flow = auth.auth_flow(httpx.Request("GET", BASE + "/api/a"))
    with pytest.raises(StopIteration):
        flow.send(answer(next(flow), 200))
    assert auth.session_id is None and not auth._lock.locked()
    with auth._lock:  # another thread holding the session lock does not hold this request up
        request = next(auth.auth_flow(httpx.Request("GET", BASE + "/api/b")))
    assert request.headers["Authorization"].startswith("Basic ") and is_login(request)
