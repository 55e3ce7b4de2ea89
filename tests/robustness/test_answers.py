"""Items 1, 3, 4 and 6 of issue 9: no false success on writes, downloads that refuse a login page,
validated shapes, paging that stops. Each reproduces the case the issue reports."""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import DAVE_PASSWORD, CAROL_PASSWORD
from tests.helpers import run
from tests.robustness.oddserver import HTML, JSON, LOGIN_PAGE, OddServer, response

DAVE = ["--user", "dave", "--password", DAVE_PASSWORD]
CAROL = ["--user", "carol", "--password", CAROL_PASSWORD]


# -- 1. a write answered by an SSO proxy's 200 login page is not a success ---------------------------

@pytest.mark.parametrize("method,path,argv", [
    ("PUT", "/rest/api/2/issue/DEMO-1", ["updateIssue", "--issue", "DEMO-1", "--summary", "new"]),
    ("DELETE", "/rest/api/2/issue/DEMO-1", ["deleteIssue", "--issue", "DEMO-1"]),
    ("POST", "/rest/api/2/issue/DEMO-1/transitions", ["transitionIssue", "--issue", "DEMO-1", "--transition",
                                                      "Start Progress"]),
    ("DELETE", "/rest/api/2/user", ["removeUser", "--userId", "dave"]),
    ("DELETE", "/rest/pat/latest/tokens", ["removeAccessToken", "--id", "1"]),
])
def test_a_write_answered_by_a_login_page_fails(dc, method, path, argv):
    dc.settings({"jira": {"faults": [{"path": path, "method": method, "kind": "html_login"}]}})
    outcome = run("jira", *argv, "--server", dc.jira, *CAROL, "--auth", "basic")
    assert outcome.code == 255, outcome.out
    assert "HTML login page" in outcome.err and "single sign-on proxy" in outcome.err
    assert len(outcome.err.strip().splitlines()) == 1


def test_run_from_csv_does_not_journal_a_login_page_as_done(dc, tmp_path):
    dc.settings({"jira": {"faults": [{"path": "/rest/api/2/issue/DEMO-1", "method": "PUT", "kind": "html_login"}]}})
    rows = tmp_path / "rows.csv"
    rows.write_text("action,issue,summary\nupdateIssue,DEMO-1,new\n")
    journal = tmp_path / "journal"
    outcome = run("jira", "runFromCsv", "--server", dc.jira, *DAVE, "--file", rows, "--journal", journal)
    assert outcome.code == 255
    records = [json.loads(line) for line in journal.read_text().splitlines()]
    assert [r["type"] for r in records if r.get("row") == 1 and r["type"] in ("done", "failed")] == ["failed"]


# -- 3. getAttachment: a redirect to a login page on another origin is not the file ------------------

@pytest.fixture
def two():
    content, login = OddServer(), OddServer()
    yield content, login
    content.close()
    login.close()


def test_a_download_redirected_to_a_login_page_is_refused(two, tmp_path):
    api, sso = two
    sso.answer = response(200, LOGIN_PAGE, HTML)

    def answer(method, path, body):
        if path.startswith("/rest/api/2/issue/"):
            listing = {"id": "10000", "key": "DEMO-1", "fields": {"attachment": [
                {"id": "1", "filename": "report.pdf", "content": f"{api.url}/secure/attachment/1/report.pdf"}]}}
            return response(200, json.dumps(listing).encode(), JSON)
        return response(302, b"", {"Location": f"{sso.url}/sso/login?from=attachment"})

    api.answer = answer
    target = tmp_path / "report.pdf"
    outcome = run("jira", "getAttachment", "--server", api.url, "--deployment", "server", *DAVE, "--auth", "basic",
                  "--issue", "DEMO-1", "--name", "report.pdf", "--file", target)
    assert outcome.code == 255 and "login page" in outcome.err and "another origin" in outcome.err
    assert not target.exists()
    assert sso.requests == 1  # followed once, without credentials (the auth schemes check the origin)


# -- 4. a body missing an expected key, errorMessages not a list, the session login ------------------

@pytest.mark.parametrize("body,words", [
    (b'{"id": "1"}', "no 'key'"),
    (b'{"id": "1", "key": "A-1", "fields": [1]}', "a list in 'fields' where an object was expected"),
    (b"[]", "a list where an object was expected"),
    (b"\"str\"", "text where an object was expected"),
])
def test_a_missing_or_mistyped_field_is_a_remote_error(body, words):
    server = OddServer()
    server.answer = response(200, body, JSON)
    try:
        outcome = run("jira", "getIssue", "--server", server.url, "--deployment", "server", *DAVE, "--auth", "basic",
                      "--issue", "A-1")
    finally:
        server.close()
    assert outcome.code == 253 and words in outcome.err, outcome.err


@pytest.mark.parametrize("answer,words", [
    (response(204), "login"),
    (response(200, b"", JSON), "an empty body"),
    (response(200, b"[" * 100000 + b"]" * 100000, JSON), "without a session"),
])
def test_odd_answers_to_the_session_login_are_explained(answer, words):
    server = OddServer()
    server.answer = answer
    try:
        outcome = run("jira", "getIssue", "--server", server.url, "--deployment", "server", *DAVE, "--issue", "A-1")
    finally:
        server.close()
    assert outcome.code in (253, 255) and words in outcome.err, outcome.err
    assert len(outcome.err.strip().splitlines()) == 1


def test_error_messages_that_are_not_a_list():
    server = OddServer()
    server.answer = response(400, b'{"errorMessages": "not a list", "errors": [1]}', JSON)
    try:
        outcome = run("jira", "getIssue", "--server", server.url, "--deployment", "server", *DAVE, "--auth", "basic",
                      "--issue", "A-1")
    finally:
        server.close()
    assert outcome.code == 253 and "HTTP 400" in outcome.err


# -- 6. paging that makes no progress, or never ends ------------------------------------------------

def _page(start: int, ids) -> bytes:
    issues = [{"id": str(i), "key": f"DEMO-{i}", "fields": {"summary": "s"}} for i in ids]
    return response(200, json.dumps({"startAt": start, "total": 10**9, "issues": issues}).encode(), JSON)


def test_paging_stops_when_the_server_ignores_start_at():
    server = OddServer()
    server.answer = _page(0, range(1, 101))  # always the first page, whatever startAt asks
    try:
        outcome = run("jira", "getIssueList", "--server", server.url, "--deployment", "server", *DAVE, "--auth",
                      "basic", "--jql", "project = DEMO")
    finally:
        server.close()
    assert outcome.code == 253 and "Stopped paging POST /rest/api/2/search" in outcome.err
    assert "make no progress" in outcome.err and "200 rows fetched" in outcome.err
    assert server.requests == 2


def test_paging_stops_at_the_page_cap(monkeypatch):
    monkeypatch.setattr("atlctl.http.paging.MAX_PAGES", 5)
    server = OddServer()

    def answer(method, path, body):  # honours startAt, always reports more
        start = json.loads(body)["startAt"]
        return _page(start, range(start + 1, start + 101))

    server.answer = answer
    try:
        outcome = run("jira", "getIssueList", "--server", server.url, "--deployment", "server", *DAVE, "--auth",
                      "basic", "--jql", "project = DEMO")
    finally:
        server.close()
    assert outcome.code == 253 and "most atlctl fetches (5 pages)" in outcome.err and "500 rows fetched" in outcome.err
    assert server.requests == 5


def test_comments_paging_stops_too():
    server = OddServer()
    comments = [{"id": str(i), "body": "c"} for i in range(100)]
    server.answer = response(200, json.dumps({"startAt": 0, "total": 10**9, "comments": comments}).encode(), JSON)
    try:
        outcome = run("jira", "getCommentList", "--server", server.url, "--deployment", "server", *DAVE, "--auth",
                      "basic", "--issue", "DEMO-1")
    finally:
        server.close()
    assert outcome.code == 253 and "Stopped paging GET" in outcome.err and server.requests == 2
