"""Connection rules that need no server: no more attempts after a CAPTCHA, rate-limit waits shared by
threads, retries only where safe."""

import io

import httpx
import pytest

from atlctl.auth.basic import BasicAuth
from atlctl.console import Console
from atlctl.environment import Environment
from atlctl.errors import ClientError, RemoteError
from atlctl.http.classify import Situation
from atlctl.http.connection import Connection, OutcomeUnknown, Pool
from atlctl.products.registry import product

SERVER = "http://127.0.0.1:1/jira"


def connection(handler) -> Connection:
    pool = Pool(SERVER, Console(Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={})), product("jira"))
    pool.client._transport = httpx.MockTransport(handler)
    pool.retry.backoff = 0.01
    return Connection(pool, BasicAuth(SERVER, "dave", "pw"), Situation("Jira", "server", "basic", "dave"))


def test_no_further_attempt_after_captcha():
    sent = []

    def handler(request):
        sent.append(request)
        return httpx.Response(403, headers={"X-Authentication-Denied-Reason": "CAPTCHA_CHALLENGE; login-url=x/login.jsp",
                                            "Content-Type": "text/html"}, text="<html>denied</html>")

    conn = connection(handler)
    for _ in range(3):
        with pytest.raises(RemoteError, match="CAPTCHA"):
            conn.send("GET", "/rest/api/2/myself")
    assert len(sent) == 1  # the later calls were refused without touching the server


def test_rate_limit_is_retried_after_the_wait_even_for_post():
    answers = iter([httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(201, json={"key": "DEMO-9"})])
    conn = connection(lambda request: next(answers))
    assert conn.send("POST", "/rest/api/2/issue", json={}).json() == {"key": "DEMO-9"}


def test_server_error_is_not_retried_for_post():
    sent = []

    def handler(request):
        sent.append(request)
        return httpx.Response(503, headers={"Retry-After": "0"}, json={"errorMessages": ["busy"]})

    conn = connection(handler)
    with pytest.raises(RemoteError, match="503"):
        conn.send("POST", "/rest/api/2/issue", json={})
    assert len(sent) == 1


def test_server_error_is_retried_for_get():
    answers = iter([httpx.Response(503, headers={"Retry-After": "0"}), httpx.Response(200, json={"ok": 1})])
    conn = connection(lambda request: next(answers))
    assert conn.get_json("/rest/api/2/serverInfo") == {"ok": 1}


def test_lost_connection_after_sending_a_post_is_reported_not_repeated():
    sent = []

    def handler(request):
        sent.append(request)
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)

    conn = connection(handler)
    with pytest.raises(OutcomeUnknown, match="may or may not have done it"):
        conn.send("POST", "/rest/api/2/issue", json={})
    assert len(sent) == 1


def test_lost_connection_on_get_is_retried_once():
    calls = []

    def handler(request):
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ReadError("reset", request=request)
        return httpx.Response(200, json={"ok": 1})

    assert connection(handler).get_json("/rest/api/2/myself") == {"ok": 1} and len(calls) == 2


def test_a_client_certificate_alert_on_a_post_is_explained_not_an_unknown_outcome():
    def handler(request):
        raise httpx.ReadError("[SSL: TLSV1_ALERT_UNKNOWN_CA] tlsv1 alert unknown ca (_ssl.c:2580)", request=request)

    https = "https://127.0.0.1:1/jira"
    pool = Pool(https, Console(Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={})), product("jira"))
    pool.client._transport = httpx.MockTransport(handler)
    pool.client_cert = True  # as if --client-cert had been given
    conn = Connection(pool, BasicAuth(https, "dave", "pw"), Situation("Jira", "server", "basic", "dave"))
    with pytest.raises(ClientError) as raised:
        conn.send("POST", "/rest/api/2/issue", json={})
    assert not isinstance(raised.value, OutcomeUnknown)
    assert "refused the client certificate given with --client-cert (TLS alert UNKNOWN_CA)" in str(raised.value)


def test_a_message_around_an_exception_text_ends_with_one_period():
    def handler(request):
        raise httpx.RemoteProtocolError("peer closed connection without sending complete message body.", request=request)

    with pytest.raises(ClientError) as raised:
        connection(handler).send("GET", "/rest/api/2/myself")
    assert str(raised.value).endswith("complete message body.") and ".." not in str(raised.value)


@pytest.mark.parametrize("headers,said", [
    ([{}, {}, {}, {}], "atlctl gave up after 4 tries, backing off between them (the server did not say how long to wait)."),
    ([{"Retry-After": "0"}] * 4, "atlctl gave up after 4 tries, waiting as asked."),
    ([{"Retry-After": "0"}, {}, {}, {}], "waiting as asked where the server said how long, else backing off."),
    ([{}, {"Retry-After": "3600"}], "longer than the 60 s atlctl waits at most, so atlctl stopped after 2 tries: retry later."),
    ([{"Retry-After": "3600"}], "so atlctl did not wait: retry later."),
])
def test_a_rate_limit_that_does_not_end_says_what_the_retries_did(headers, said):
    answers = iter(httpx.Response(429, headers=h, json={"errorMessages": ["slow down"]}) for h in headers)
    conn = connection(lambda request: next(answers))
    with pytest.raises(RemoteError) as refused:
        conn.send("GET", "/rest/api/2/myself")
    assert str(refused.value).endswith(said), str(refused.value)


def test_the_tls_probe_is_made_once_and_briefly(monkeypatch):
    """Whether plain http:// hit an HTTPS port is only a hint on a dropped connection: one probe per
    process, bounded by TLS_PROBE, so a flaky server is not made slower to report."""
    from atlctl.http import connection as module

    calls = []

    def no_server(address, timeout):
        calls.append(timeout)
        raise ConnectionRefusedError(111, "refused")

    monkeypatch.setattr(module.socket, "create_connection", no_server)
    pool = connection(lambda request: httpx.Response(200)).pool
    assert pool.speaks_tls() is False and pool.speaks_tls() is False
    assert calls == [module.TLS_PROBE] and module.TLS_PROBE <= 1
