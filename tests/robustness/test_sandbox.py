"""Item 5 of issue 9: the sandbox survives odd data. A lone surrogate in a summary no longer makes every
search and getIssue touching it answer 500 (also after a restart with --state), and JQL nested too
deep is a 400 with Jira's error body, not a 500."""

from __future__ import annotations

import httpx

from atlctl.sandbox.server import SandboxServer
from tests.helpers import run, run_installed

ADMIN = ("admin", "admin")
XSRF = {"X-Atlassian-Token": "no-check", "Content-Type": "application/json"}
LONE = b'{"fields": {"project": {"key": "DEMO"}, "issuetype": {"name": "Task"}, "summary": "odd \\ud800 one"}}'


def _create_odd_issue(jira: str) -> str:
    created = httpx.post(f"{jira}/rest/api/2/issue", content=LONE, headers=XSRF, auth=ADMIN)
    assert created.status_code == 201, created.text
    return created.json()["key"]


def _readable(jira: str, key: str) -> None:
    issue = httpx.get(f"{jira}/rest/api/2/issue/{key}", auth=ADMIN)
    assert issue.status_code == 200 and issue.json()["fields"]["summary"] == "odd \ud800 one"
    search = httpx.post(f"{jira}/rest/api/2/search", json={"jql": "project = DEMO"}, auth=ADMIN, headers=XSRF)
    assert search.status_code == 200
    outcome = run("jira", "getIssue", "--server", jira, "-u", "admin", "-p", "admin", "--issue", key)
    assert outcome.code == 0, outcome.err


def test_atlctl_prints_a_lone_surrogate_on_a_real_stdout(sandbox):
    key = _create_odd_issue(sandbox.jira)
    outcome = run_installed("jira", "getIssue", "--server", sandbox.jira, "-u", "admin", "-p", "admin", "--issue", key)
    assert outcome.code == 0 and "odd ? one" in outcome.out, outcome.err


def test_a_lone_surrogate_in_a_summary_breaks_nothing(sandbox):
    _readable(sandbox.jira, _create_odd_issue(sandbox.jira))


def test_a_lone_surrogate_survives_a_restart_with_state(tmp_path):
    state = str(tmp_path / "state.db")
    with SandboxServer(port=0, state=state) as server:
        key = _create_odd_issue(server.url + "/jira")
    with SandboxServer(port=0, state=state) as server:
        _readable(server.url + "/jira", key)


def test_deeply_nested_jql_is_a_400(sandbox):
    for jql in ("(" * 5000 + "project = DEMO" + ")" * 5000, "NOT " * 5000 + "project = DEMO"):
        answer = httpx.post(f"{sandbox.jira}/rest/api/2/search", json={"jql": jql}, auth=ADMIN, headers=XSRF)
        assert answer.status_code == 400 and "nests parentheses or NOT more than 100" in answer.json()["errorMessages"][0]
    fine = httpx.post(f"{sandbox.jira}/rest/api/2/search", json={"jql": "((project = DEMO))"}, auth=ADMIN, headers=XSRF)
    assert fine.status_code == 200
