"""core: a session strategy's alive_header tells a 401 refusing the resource to a logged-in caller
from an expired session (Bitbucket answers "not permitted" with 401 and names the user in
X-AUSERNAME): no new login, the refusal is handed back."""

import httpx
import pytest

from atlctl.auth.session import SessionAuth
from atlctl.auth.strategy import SessionStrategy

BASE = "http://bb.test/bitbucket"
STRATEGY = SessionStrategy("SID", alive_header="X-AUSERNAME")


def answer(request, status, headers=()):
    return httpx.Response(status, content=b"{}", headers=list(headers), request=request)


def test_a_refusal_to_a_live_session_is_not_renewed():
    auth = SessionAuth(BASE, "alice", "pw", STRATEGY, cookies={"SID": "S1"})
    flow = auth.auth_flow(httpx.Request("GET", BASE + "/rest/x"))
    request = next(flow)
    with pytest.raises(StopIteration):
        flow.send(answer(request, 401, [("X-AUSERNAME", "alice")]))
    assert auth.session_id == "S1"


def test_the_first_requests_refusal_with_a_session_is_handed_back_at_once():
    auth = SessionAuth(BASE, "alice", "pw", STRATEGY)
    flow = auth.auth_flow(httpx.Request("GET", BASE + "/rest/x"))
    first = next(flow)
    assert first.headers["Authorization"].startswith("Basic ")
    with pytest.raises(StopIteration):
        flow.send(answer(first, 401, [("Set-Cookie", "SID=S2; Path=/"), ("X-AUSERNAME", "alice")]))
    assert auth.session_id == "S2" and auth.created


def test_without_the_header_a_401_still_renews_the_session():
    auth = SessionAuth(BASE, "alice", "pw", STRATEGY, cookies={"SID": "OLD"})
    flow = auth.auth_flow(httpx.Request("GET", BASE + "/rest/x"))
    request = next(flow)
    again = flow.send(answer(request, 401))
    assert again.headers["Authorization"].startswith("Basic ")  # a new first-request login
