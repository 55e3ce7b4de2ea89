"""Jira Cloud: account email + API token as basic; the web password, a user name instead of an email, a
Bearer header and session logins all fail with the reason and the fix (server-behaviour.md §4.1)."""

from tests.e2e.conftest import CLOUD_TOKEN, by_auth
from tests.helpers import run, run_installed


def test_email_and_api_token(sandbox):
    for secret_flag in ("--token", "--password"):  # both carry the API token on Cloud
        outcome = run("jira", "getCurrentUser", "--server", sandbox.jira_cloud, "--user", "admin@example.com",
                      secret_flag, CLOUD_TOKEN)
        assert outcome.code == 0, outcome.err
        assert "Full name . . . . . . : Sandbox Admin" in outcome.out
    assert by_auth(sandbox, "basic", "jira_cloud") >= 2


def test_cloud_workflow(sandbox):
    common = ["--server", sandbox.jira_cloud, "--user", "admin@example.com", "--token", CLOUD_TOKEN]
    created = run("jira", "createIssue", *common, "--project", "DEMO", "--type", "Bug", "--summary", "Cloud bug")
    assert created.code == 0, created.err
    key = created.out.split()[1]
    assert run("jira", "transitionIssue", *common, "--issue", key, "--transition", "Start Progress").code == 0
    assert run("jira", "addComment", *common, "--issue", key, "--comment", "seen").code == 0
    found = run("jira", "getIssueList", *common, "--jql", f"key = {key}", "--output", "csv", "--columns", "Key,Status")
    assert found.code == 0, found.err
    assert found.out == f"Key,Status\n{key},In Progress\n"


def test_web_password_is_refused_with_the_fix(sandbox):
    outcome = run("jira", "getCurrentUser", "--server", sandbox.jira_cloud, "--user", "admin@example.com",
                  "--password", "admin")
    assert outcome.code == 253
    assert "does not accept account passwords" in outcome.err and "API token" in outcome.err
    assert "id.atlassian.com/manage-profile/security/api-tokens" in outcome.err


def test_user_name_instead_of_email_is_refused_before_any_request(sandbox):
    before = sandbox.stats()["products"]["jira_cloud"]["requests_by_auth"]
    outcome = run("jira", "getCurrentUser", "--server", sandbox.jira_cloud, "--user", "admin", "--token", CLOUD_TOKEN)
    assert outcome.code == 255
    assert "account email" in outcome.err and "got 'admin', not an email address" in outcome.err
    after = sandbox.stats()["products"]["jira_cloud"]["requests_by_auth"]
    assert after.get("basic", 0) == before.get("basic", 0)


def test_wrong_token_says_what_cloud_needs(sandbox):
    outcome = run_installed("jira", "getCurrentUser", "--server", sandbox.jira_cloud, "--user", "admin@example.com",
                            environ={"ATLCTL_TOKEN": "not-the-token"})
    assert outcome.code == 253
    assert outcome.err.startswith("Remote error: Jira Cloud refused the API token for admin@example.com (HTTP 401): it "
                                  "is wrong, expired or revoked")  # the answer's X-Seraph-LoginReason: AUTHENTICATED_FAILED


def test_session_login_is_not_available_on_cloud(sandbox):
    outcome = run("jira", "login", "--server", sandbox.jira_cloud, "--user", "admin@example.com", "--token", CLOUD_TOKEN)
    assert outcome.code == 255 and "not available on Jira Cloud" in outcome.err
    forced = run("jira", "getCurrentUser", "--server", sandbox.jira_cloud, "--user", "admin@example.com",
                 "--token", CLOUD_TOKEN, "--auth", "session")
    assert forced.code == 255 and "Session login is not available on Jira Cloud" in forced.err


def test_bearer_sent_to_cloud_is_explained(sandbox):
    """Forcing --deployment server makes atlctl send the API token as Bearer; Cloud answers 403."""
    outcome = run("jira", "getCurrentUser", "--server", sandbox.jira_cloud, "--token", CLOUD_TOKEN,
                  "--deployment", "server")
    assert outcome.code == 253
    assert "Bearer" in outcome.err and "basic auth" in outcome.err and "email" in outcome.err


def test_web_session_action_refused_on_cloud(sandbox):
    outcome = run("jira", "renderRequest", "--server", sandbox.jira_cloud, "--user", "admin@example.com",
                  "--token", CLOUD_TOKEN, "--request", "/secure/ViewProfile.jspa")
    assert outcome.code == 255 and "not available when using token authentication" in outcome.err
