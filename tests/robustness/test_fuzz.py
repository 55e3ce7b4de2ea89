"""The fuzz suite (issue 9): every action of every product (products/registry.py, actions/registry.py)
driven through a deliberately odd server. Whatever comes back, atlctl ends with a documented exit code
(0, 253, 254, 255) and at most one line on stderr: never 157, never a traceback, never a hang (each run
makes a bounded number of requests; waits go to a clock the test controls). An HTML page is never a
success, except for the action that asks for a web page."""

from __future__ import annotations

import os
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlctl.actions.registry import REGISTRY
from atlctl.products import registry as products
from tests.helpers import run, secret
from tests.robustness.oddserver import HTML, JSON, LOGIN_PAGE, ODD, response

PASSWORD = secret("Fuzz-Pw-55k1")
DOCUMENTED = {0, 253, 254, 255}
MAX_REQUESTS = 12  # a run's retries and pages included: more means a loop that does not stop
FILES = tempfile.mkdtemp(prefix="atlctl-fuzz-")
UPLOAD = os.path.join(FILES, "upload.txt")
with open(UPLOAD, "w") as _handle:
    _handle.write("attached\n")
SCRIPT = os.path.join(FILES, "script.txt")
with open(SCRIPT, "w") as _handle:
    _handle.write("--action getIssue --issue DEMO-1\n")
CSV = os.path.join(FILES, "rows.csv")
with open(CSV, "w") as _handle:
    _handle.write("action,issue\ngetIssue,DEMO-1\n")
VALUES = {"issue": "DEMO-1", "project": "DEMO", "type": "Task", "summary": "s", "jql": "project = DEMO",
          "transition": "Start Progress", "userId": "bob", "userEmail": "b@example.com", "userFullName": "Bob",
          "group": "devs", "name": "n", "id": "1", "request": "/secure/ViewProfile.jspa", "list": "a,b",
          "common": "--action getIssue --issue @entry@"}
BATCH = {"run", "runfromcsv", "runfromlist"}  # a run prints a line per failed line and a summary
WEB_PAGE = {"renderrequest"}  # its point is an HTML page


def actions() -> list:
    return list(_actions())


def _actions():
    for name in products.names():
        for key, action in sorted(REGISTRY.product(name).items()):
            yield pytest.param(name, action, id=f"{name}.{action.name}")


def argv_for(product: str, action, server: str, deployment: str = "server", auth: str = "basic") -> list[str]:
    argv = [product, action.name, "--server", server, "--deployment", deployment, "--user", "fuzz@example.com",
            "--password", PASSWORD, "--timeout", "5"]
    if auth != "auto":
        argv += ["--auth", auth]
    for param in action.params:
        if param.required and not param.flag:
            argv += [param.option, VALUES.get(param.name, "x")]
    lower = action.name.lower()
    if lower == "runfromcsv":
        argv += ["--file", CSV]
    elif lower == "run":
        argv += ["--file", SCRIPT]
    elif action.file_input or lower == "getattachment":
        argv += ["--file", UPLOAD if action.file_input else os.path.join(FILES, "download.bin")]
    if lower == "getattachment":
        argv += ["--name", "n"]
    return argv


def drive(odd, answer: bytes, argv: list[str]):
    odd.answer, odd.requests = answer, 0
    outcome = run(*argv)
    assert "Traceback" not in outcome.text, outcome.text
    assert outcome.code in DOCUMENTED, f"exit {outcome.code}: {outcome.err}"
    lines = outcome.err.strip().splitlines()
    assert len(lines) <= (8 if argv[1].lower() in BATCH else 1), outcome.err
    if outcome.code:
        assert lines and lines[-1].strip(), "a failure says why"
    assert odd.requests <= MAX_REQUESTS, f"{odd.requests} requests: a loop that does not stop"
    return outcome


@pytest.mark.parametrize("product,action", actions())
def test_every_action_against_every_odd_answer(odd, no_waiting, product, action):
    for name, answer in ODD:
        outcome = drive(odd, answer, argv_for(product, action, odd.url))
        if name.startswith("html") and action.name.lower() not in WEB_PAGE | BATCH and odd.requests:
            # (an action that asks no server, such as getClientInfo, cannot be fooled by its answers)
            assert outcome.code != 0, f"{name}: false success of {action.name}: {outcome.out}"


PATHS_CLASSES = {"html-login-200", "json-list", "json-null", "json-odd-fields", "no-content-204", "empty-200",
                 "not-json", "bad-utf8", "deep-nesting", "garbage-gzip", "short-body", "302-empty", "400-odd-errors",
                 "503-long-retry-after"}


@pytest.mark.parametrize("product,action", actions())
def test_every_action_on_cloud_and_through_the_session_login(odd, no_waiting, product, action):
    """The other paths an answer takes: Cloud's decoders, and the session login (the default)."""
    for name, answer in [(n, a) for n, a in ODD if n in PATHS_CLASSES]:
        drive(odd, answer, argv_for(product, action, odd.url, deployment="cloud", auth="auto"))
        drive(odd, answer, argv_for(product, action, odd.url, auth="auto"))


# -- property-based: random statuses, headers and JSON bodies ---------------------------------------

ACTIONS = [(p.values[0], p.values[1]) for p in actions()]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "key", "fields", "issues", "comments", "transitions", "startAt", "total", "session",
                         "name", "value", "content", "attachment", "errorMessages", "errors", "version",
                         "nextPageToken", "isLast", "rawToken", "x"]) | st.text(max_size=8), inner, max_size=6),
    max_leaves=20)
STATUSES = st.sampled_from([200, 201, 204, 301, 302, 303, 307, 400, 401, 403, 404, 409, 429, 500, 502, 503]) | \
    st.integers(100, 599)
HEADERS = st.fixed_dictionaries({}, optional={
    "Content-Type": st.sampled_from(["application/json", "text/html", "text/plain", "application/octet-stream",
                                     "application/json; charset=latin-1", ""]),
    "Retry-After": st.sampled_from(["0", "1", "-5", "soon", "1e400", "nan", "Wed, 21 Oct 2015 07:28:00 GMT", "999999"]),
    "Location": st.sampled_from(["/x", "http://127.0.0.2:1/login", "", "http://[::1", "https://sso.example.com/saml"]),
    "X-Authentication-Denied-Reason": st.sampled_from(["CAPTCHA_CHALLENGE; login-url=http://x/login.jsp", "odd"]),
    "Content-Encoding": st.sampled_from(["gzip", "deflate", "br", "identity", "x-odd"]),
})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(action=st.sampled_from(ACTIONS), status=STATUSES, headers=HEADERS,
       body=JSON_VALUES.map(lambda v: __import__("json").dumps(v).encode()) | st.binary(max_size=64),
       cloud=st.booleans())
def test_random_answers(odd, no_waiting, action, status, headers, body, cloud):
    product, declared = action
    if status in (204, 304) or 100 <= status < 200:
        body = b""
    answer = response(status, body, {k: v for k, v in headers.items()}, reason="Whatever")
    drive(odd, answer, argv_for(product, declared, odd.url, deployment="cloud" if cloud else "server"))
