"""The PyPI `jira` package, unchanged, against the sandbox: the everyday flow with each way of
authenticating, and failures that look like a real server's (server-behaviour.md §0.5, §1.1,
§1.2, §1.4, §1.5, §4.1)."""

import inspect
import io
import sys
import warnings

import pytest
from jira import JIRA
from jira.exceptions import JIRAError

# pycontribs warns about cookie auth being deprecated; that is the point of the test.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def everyday_flow(j: JIRA, me: str) -> None:
    """server info, myself, project list, create issue, JQL search, transition, comment."""
    info = j.server_info()
    assert info["versionNumbers"] and info["baseUrl"] == j.server_url
    assert j.myself()["displayName"] == me
    assert [p.key for p in j.projects()] == ["DEMO"]
    issue = j.create_issue(project="DEMO", summary="Made by pycontribs", issuetype={"name": "Task"}, description="hello")
    assert issue.fields.status.name == "To Do" and issue.fields.summary == "Made by pycontribs"
    found = j.search_issues(f'project = DEMO AND status = "To Do" AND key = {issue.key}')
    assert [i.key for i in found] == [issue.key]
    j.transition_issue(issue, "Start Progress")
    assert j.issue(issue.key).fields.status.name == "In Progress"
    comment = j.add_comment(issue, "a comment")
    assert comment.body == "a comment"
    assert [c.body for c in j.comments(issue)] == ["a comment"]
    attachment = j.add_attachment(issue, io.BytesIO(b"file body"), filename="notes.txt")
    assert attachment.get() == b"file body"
    issue.update(summary="Renamed")
    assert j.issue(issue.key).fields.summary == "Renamed"


def test_basic_auth(sandbox):
    j = JIRA(sandbox.jira, basic_auth=("admin", "admin"))
    everyday_flow(j, "Administrator")
    # requests keeps the JSESSIONID the first Basic call opened: one password check in all.
    assert sandbox.stats()["products"]["jira"]["password_checks"] == 1


def test_token_auth_with_a_pat_made_through_rest(sandbox):
    r = sandbox.http.post(
        sandbox.jira + "/rest/pat/latest/tokens", json={"name": "pycontribs", "expirationDuration": 30}, auth=("alice", "alice")
    )
    j = JIRA(sandbox.jira, token_auth=r.json()["rawToken"])
    everyday_flow(j, "Alice Example")
    assert sandbox.stats()["products"]["jira"]["requests_by_auth"]["basic"] == 1  # only the token creation


def test_cookie_session_auth(sandbox):
    j = JIRA(sandbox.jira, auth=("admin", "admin"))
    everyday_flow(j, "Administrator")
    stats = sandbox.stats()["products"]["jira"]
    assert stats["logins"] == 1 and stats["requests_by_auth"]["basic"] == 0


def test_cloud_email_and_api_token(sandbox):
    j = JIRA(sandbox.jira_cloud, basic_auth=("admin@example.com", "sandbox-token-admin"))
    assert j.deploymentType == "Cloud"
    everyday_flow(j, "Sandbox Admin")


def test_wrong_password(sandbox):
    with pytest.raises(JIRAError) as caught:
        JIRA(sandbox.jira, basic_auth=("admin", "wrong"))
    assert caught.value.status_code == 401
    assert "Basic Authentication Failure - Reason : AUTHENTICATED_FAILED" in caught.value.text
    assert caught.value.response.headers["X-Seraph-LoginReason"] == "AUTHENTICATED_FAILED"


def test_captcha_after_three_failures(sandbox):
    for _ in range(3):
        with pytest.raises(JIRAError):
            JIRA(sandbox.jira, basic_auth=("admin", "wrong"))
    with pytest.raises(JIRAError) as caught:
        JIRA(sandbox.jira, basic_auth=("admin", "admin"))
    # pycontribs reports the denied-reason header as the error text (§1.4).
    assert caught.value.status_code == 403
    assert caught.value.text == f"CAPTCHA_CHALLENGE; login-url={sandbox.jira}/login.jsp"


def test_captcha_on_cookie_login(sandbox):
    for _ in range(3):
        sandbox.http.get(sandbox.jira + "/rest/api/2/myself", auth=("admin", "wrong"))
    with pytest.raises(JIRAError) as caught:
        JIRA(sandbox.jira, auth=("admin", "admin"))
    assert caught.value.status_code == 403
    assert caught.value.text.startswith("CAPTCHA_CHALLENGE; login-url=")


def test_cookie_login_with_wrong_password(sandbox):
    with pytest.raises(JIRAError) as caught:
        JIRA(sandbox.jira, auth=("admin", "wrong"))
    assert caught.value.status_code == 401 and caught.value.text == "Login failed"


def test_websudo_stops_a_cookie_session(sandbox):
    """§0.5, with a session cookie handed to pycontribs (options["cookies"])."""
    session = sandbox.http.post(sandbox.jira + "/rest/auth/1/session", json={"username": "admin", "password": "admin"}).json()["session"]
    j = JIRA(sandbox.jira, options={"cookies": {session["name"]: session["value"]}})
    assert j.myself()["name"] == "admin"
    with pytest.raises(JIRAError) as caught:
        j.add_group("builders")
    assert caught.value.status_code == 401 and caught.value.text == "This resource requires WebSudo."
    # add_user reads `errors` from any error body; the websudo Status entity has none (§0.5).
    with pytest.raises(KeyError):
        j.add_user("bob", "bob@example.com", password="bob")


def test_cookie_auth_logs_in_again_and_again_on_a_websudo_401(sandbox):
    """pycontribs' JiraCookieAuth answers any 401 by logging in and retrying, and the login's own
    response resets its retry counter: a websudo 401 sends it round until Python's stack runs
    out. A real Jira gives the same 401 (§0.5), hence the same loop."""
    j = JIRA(sandbox.jira, auth=("admin", "admin"))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack(0)) + 400)  # the same ending, sooner
    try:
        with pytest.raises(RecursionError):
            j.add_user("bob", "bob@example.com", password="bob")
    finally:
        sys.setrecursionlimit(limit)
    assert sandbox.stats()["products"]["jira"]["logins"] > 3


def test_basic_auth_administers_users_without_websudo(sandbox):
    j = JIRA(sandbox.jira, basic_auth=("admin", "admin"))
    assert j.add_user("bob", "bob@example.com", password="bob") is True
    assert j.add_user("bob", "bob@example.com", password="bob", ignore_existing=True) is True
    assert j.add_group("builders") is True
    assert j.add_user_to_group("bob", "builders")["name"] == "builders"
    assert j.delete_user("bob") is True


def test_non_admin_is_refused(sandbox):
    j = JIRA(sandbox.jira, basic_auth=("alice", "alice"))
    with pytest.raises(JIRAError) as caught:
        j.add_user("bob", "bob@example.com")
    assert caught.value.status_code == 403


def test_bad_token(sandbox):
    with pytest.raises(JIRAError) as caught:
        JIRA(sandbox.jira, token_auth="bm8tc3VjaC10b2tlbg==")
    assert caught.value.status_code == 401
    assert "You are not authenticated" in caught.value.text


def test_token_on_a_jira_without_pats_is_anonymous(sandbox):
    token = sandbox.http.post(sandbox.jira + "/rest/pat/latest/tokens", json={"name": "t"}, auth=("admin", "admin")).json()["rawToken"]
    sandbox.settings({"jira": {"version": "8.13.0"}})
    j = JIRA(sandbox.jira, token_auth=token)  # serverInfo is anonymous-allowed: construction works
    assert j.projects() == []
    with pytest.raises(JIRAError) as caught:
        j.myself()
    assert caught.value.status_code == 401


def test_cloud_password_instead_of_token(sandbox):
    with pytest.raises(JIRAError) as caught:
        JIRA(sandbox.jira_cloud, basic_auth=("admin@example.com", "admin"))
    assert caught.value.status_code == 401
    assert caught.value.text.startswith("Basic authentication with passwords is deprecated.  For more information")


def test_cloud_wrong_token_is_silently_anonymous_until_it_matters(sandbox):
    """§4.1: serverInfo answers anonymously, so the client only finds out at myself."""
    j = JIRA(sandbox.jira_cloud, basic_auth=("admin@example.com", "wrong-token"))
    assert j.projects() == []
    with pytest.raises(JIRAError) as caught:
        j.myself()
    assert caught.value.status_code == 401
    assert caught.value.text == "Client must be authenticated to access this resource."


def test_kill_session_and_websudo(sandbox):
    with warnings.catch_warnings():
        j = JIRA(sandbox.jira, auth=("admin", "admin"))
    assert j.kill_websudo().status_code == 204
    assert j.kill_session().status_code == 204
