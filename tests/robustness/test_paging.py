"""Every product's paging loop is guarded (http/paging.py:Pages), as Jira's are in test_answers.py §6: a
server that ignores the position asked for, repeats a page, names no next position on a page it says is
not the last, or never ends stops the run with a 253 and one "Stopped paging ..." line, after a counted
number of requests: never a silent truncation, never a loop. Slack's empty page with a cursor goes on."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest

from atlctl.errors import RemoteError
from atlctl.products.jira.client import JiraClient
from tests.e2e.conftest import DAVE_PASSWORD
from tests.helpers import run
from tests.robustness.oddserver import JSON, OddServer, response

DAVE = ["--user", "dave", "--password", DAVE_PASSWORD, "--auth", "basic"]
SLACK = ["--token", "xoxb-1234-5678-Paging0Token"]
BBC = ["--user", "bob", "--password", "App-Pw-Paging-55k1"]


def _json(obj) -> bytes:
    return response(200, json.dumps(obj).encode(), JSON)


def _drive(answer, *argv):
    """Run atlctl against an OddServer serving `answer` (bytes, or a function of (server, method, path,
    body)); "URL" in argv is the server's address. The outcome and the number of requests made."""
    server = OddServer()
    server.answer = (lambda method, path, body: answer(server, method, path, body)) if callable(answer) else answer
    try:
        outcome = run(*[server.url if a == "URL" else a for a in argv])
    finally:
        server.close()
    return outcome, server.requests


def _stopped(outcome, what: str, pages: int, why: str) -> None:
    assert outcome.code == 253, outcome.err
    assert outcome.err.count("\n") == 1 and f"Stopped paging {what} after {pages} pages" in outcome.err, outcome.err
    assert why in outcome.err, outcome.err
    assert outcome.out == ""  # no partial list printed as if it were the whole


NO_PROGRESS = "make no progress"
NO_POSITION = "gives no usable position for the next"


# -- Bitbucket Data Center: nextPageStart ------------------------------------------------------------

def _bitbucket_page(start: int, nxt) -> dict:
    page = {"values": [{"key": f"P{start}", "name": f"p{start}"}], "isLastPage": False, "start": start, "size": 1}
    return page if nxt is Ellipsis else {**page, "nextPageStart": nxt}


@pytest.mark.parametrize("nxt", [Ellipsis, None, "1", 1.5, True, 0, -3], ids=repr)
def test_bitbucket_a_page_not_the_last_without_a_usable_next_start_stops(nxt):
    outcome, requests = _drive(_json(_bitbucket_page(0, nxt)), "bitbucket", "getProjectList", "--server", "URL", *DAVE)
    _stopped(outcome, "GET /rest/api/1.0/projects", 1, NO_POSITION)
    assert requests == 1


def test_bitbucket_a_next_start_that_goes_back_stops():
    def answer(server, method, path, body):
        start = int(parse_qs(path.partition("?")[2])["start"][0])
        return _json(_bitbucket_page(start, 5 if start == 0 else 2))  # 0 -> 5, then 5 -> 2

    outcome, requests = _drive(answer, "bitbucket", "getProjectList", "--server", "URL", *DAVE)
    _stopped(outcome, "GET /rest/api/1.0/projects", 2, NO_POSITION)
    assert requests == 2 and "(2 rows fetched)" in outcome.err


def test_bitbucket_a_skipping_next_start_with_an_empty_page_is_followed():
    pages = {0: ([], 7), 7: (["B"], None)}  # permission filtering may skip, products.md §3.3

    def answer(server, method, path, body):
        keys, nxt = pages[int(parse_qs(path.partition("?")[2])["start"][0])]
        page = {"values": [{"key": k, "name": k.lower()} for k in keys], "isLastPage": nxt is None}
        return _json(page if nxt is None else {**page, "nextPageStart": nxt})

    outcome, requests = _drive(answer, "bitbucket", "getProjectList", "--server", "URL", *DAVE, "--output", "json")
    assert outcome.code == 0, outcome.err
    assert [p["key"] for p in json.loads(outcome.out)] == ["B"] and requests == 2


# -- Bitbucket Cloud: next links ---------------------------------------------------------------------

def _workspaces(server, slugs, nxt) -> bytes:
    values = [{"type": "workspace_access", "workspace": {"type": "workspace", "slug": s}} for s in slugs]
    return _json({"values": values, "next": f"{server.url}/2.0/user/workspaces?page={nxt}"})


def test_bitbucket_cloud_a_repeated_next_link_stops():
    def answer(server, method, path, body):  # fresh rows, but always the same next link
        return _workspaces(server, [f"w{server.requests}"], 2)

    outcome, requests = _drive(answer, "bitbucketcloud", "getWorkspaceList", "--server", "URL", *BBC)
    _stopped(outcome, "GET /2.0/user/workspaces", 2, NO_PROGRESS)
    assert requests == 2


def test_bitbucket_cloud_a_repeated_page_stops():
    def answer(server, method, path, body):  # fresh next links, always the same rows
        return _workspaces(server, ["w"], server.requests + 1)

    outcome, requests = _drive(answer, "bitbucketcloud", "getWorkspaceList", "--server", "URL", *BBC)
    _stopped(outcome, "GET /2.0/user/workspaces", 2, NO_PROGRESS)
    assert requests == 2


def test_bitbucket_cloud_a_list_that_never_ends_stops_at_the_page_cap(monkeypatch):
    monkeypatch.setattr("atlctl.http.paging.MAX_PAGES", 4)

    def answer(server, method, path, body):
        return _workspaces(server, [f"w{server.requests}"], server.requests + 1)

    outcome, requests = _drive(answer, "bitbucketcloud", "getWorkspaceList", "--server", "URL", *BBC)
    _stopped(outcome, "GET /2.0/user/workspaces", 4, "most atlctl fetches (4 pages)")
    assert requests == 4


def test_bitbucket_cloud_a_limit_fetches_no_page_to_drop():
    def answer(server, method, path, body):
        return _workspaces(server, ["a", "b"], server.requests + 1)

    outcome, requests = _drive(answer, "bitbucketcloud", "getWorkspaceList", "--server", "URL", *BBC, "--limit", "2")
    assert outcome.code == 0 and requests == 1, outcome.err


# -- Slack: cursors ----------------------------------------------------------------------------------

def _channels(ids, cursor: str) -> bytes:
    return _json({"ok": True, "channels": [{"id": i, "name": i.lower()} for i in ids],
                  "response_metadata": {"next_cursor": cursor}})


def _cursor(body: bytes) -> str:
    return parse_qs(body.decode()).get("cursor", [""])[0]


def test_slack_a_repeated_cursor_stops():
    def answer(server, method, path, body):  # fresh rows, but always the same cursor
        return _channels([f"C{server.requests}"], "dXNlcjpVMDYx")

    outcome, requests = _drive(answer, "slack", "getChannelList", "--server", "URL", *SLACK)
    _stopped(outcome, "POST /api/conversations.list", 2, NO_PROGRESS)
    assert requests == 2


def test_slack_a_repeated_page_stops():
    def answer(server, method, path, body):  # fresh cursors, always the same rows
        return _channels(["C1"], f"c{server.requests}")

    outcome, requests = _drive(answer, "slack", "getChannelList", "--server", "URL", *SLACK)
    _stopped(outcome, "POST /api/conversations.list", 2, NO_PROGRESS)
    assert requests == 2


def test_slack_an_empty_page_with_a_cursor_goes_on():
    pages = {"": ([], "c1"), "c1": ([], "c2"), "c2": (["C1", "C2"], "c3"), "c3": (["C3"], "")}

    def answer(server, method, path, body):
        ids, cursor = pages[_cursor(body)]
        return _channels(ids, cursor)

    outcome, requests = _drive(answer, "slack", "getChannelList", "--server", "URL", *SLACK, "--output", "json")
    assert outcome.code == 0, outcome.err
    assert [c["id"] for c in json.loads(outcome.out)] == ["C1", "C2", "C3"] and requests == 4


def test_slack_empty_pages_that_never_end_stop_at_the_page_cap(monkeypatch):
    monkeypatch.setattr("atlctl.http.paging.MAX_PAGES", 3)

    def answer(server, method, path, body):
        return _channels([], f"c{server.requests}")

    outcome, requests = _drive(answer, "slack", "getChannelList", "--server", "URL", *SLACK)
    _stopped(outcome, "POST /api/conversations.list", 3, "most atlctl fetches (3 pages)")
    assert requests == 3 and "(0 rows fetched)" in outcome.err


# -- Confluence: start/limit with _links.next --------------------------------------------------------

def test_confluence_a_server_that_ignores_start_stops():
    page = {"results": [{"key": f"S{i}", "name": f"s{i}", "id": i, "type": "global"} for i in range(3)],
            "start": 0, "limit": 100, "size": 3, "_links": {"next": "/rest/api/space?start=3"}}
    outcome, requests = _drive(_json(page), "confluence", "getSpaceList", "--server", "URL", "--deployment", "server",
                               *DAVE)
    _stopped(outcome, "GET /rest/api/space", 2, NO_PROGRESS)
    assert requests == 2 and "(6 rows fetched)" in outcome.err


def test_confluence_a_list_that_never_ends_stops_at_the_page_cap(monkeypatch):
    monkeypatch.setattr("atlctl.http.paging.MAX_PAGES", 3)

    def answer(server, method, path, body):  # honours start, always says more follow
        start = int(parse_qs(path.partition("?")[2])["start"][0])
        return _json({"results": [{"key": f"S{start}", "name": "s", "id": start, "type": "global"}], "start": start,
                      "size": 1, "_links": {"next": f"/rest/api/space?start={start + 1}"}})

    outcome, requests = _drive(answer, "confluence", "getSpaceList", "--server", "URL", "--deployment", "server", *DAVE)
    _stopped(outcome, "GET /rest/api/space", 3, "most atlctl fetches (3 pages)")
    assert requests == 3


# -- Jira: the one startAt helper guards group members and createmeta too ----------------------------

def test_jira_group_members_paging_stops():
    members = {"values": [{"name": f"u{i}"} for i in range(50)], "isLast": False, "total": 10**9}
    outcome, requests = _drive(_json(members), "jira", "getUserList", "--server", "URL", "--deployment", "server",
                               *DAVE, "--group", "devs")
    _stopped(outcome, "GET /rest/api/2/group/member", 2, NO_PROGRESS)
    assert requests == 2


class _SamePage:
    def __init__(self):
        self.asked = 0

    def get_json(self, path, params=None, expect=None):
        self.asked += 1
        return {"values": [{"id": "1", "name": "Task"}], "startAt": 0, "total": 10**9, "isLast": False}


def test_jira_createmeta_paging_stops():
    conn = _SamePage()
    with pytest.raises(RemoteError) as stopped:
        JiraClient(conn, "server").creatable("DEMO", "Task")
    assert "Stopped paging GET /rest/api/2/issue/createmeta/DEMO/issuetypes after 2 pages" in str(stopped.value)
    assert stopped.value.exit_code == 253 and conn.asked == 2
