"""Jira Cloud: account email + API token through auth login; the web password is refused with the
Cloud explanation and nothing is saved."""

from atlctl.credentials import keyring_store

from tests.e2e.conftest import CLOUD_TOKEN


def test_lifecycle(sandbox, home):
    login = home.run("auth", "login", "cloud", "--server", sandbox.jira_cloud, "--user", "admin@example.com",
                     "--with-token", stdin=CLOUD_TOKEN + "\n")
    assert login.code == 0, login.text
    assert login.out.startswith(f"Logged in to {sandbox.jira_cloud} (Cloud, version ")
    assert "as admin@example.com (Sandbox Admin), with basic authentication." in login.out
    config = home.config_file.read_text()
    assert 'deployment = "cloud"' in config and 'user = "admin@example.com"' in config and 'token = "keyring"' in config

    status = home.run("auth", "status")
    assert status.code == 0, status.text
    assert "(Cloud, version" in status.out and "OK, logged in as admin@example.com" in status.out
    assert "no session login and no web-session actions (renderRequest) on Cloud" in status.out

    me = home.run("cloud", "getCurrentUser", "--output", "json")
    assert me.code == 0 and '"emailAddress": "admin@example.com"' in me.out
    issue = home.run_installed("cloud", "getIssue", "--issue", "DEMO-1")
    assert issue.code == 0, issue.text

    logout = home.run("auth", "logout", "cloud")
    assert logout.code == 0 and keyring_store.get(home.env(), "cloud") is None


def test_the_web_password_is_refused_and_nothing_saved(sandbox, home):
    outcome = home.run("auth", "login", "cloud", "--server", sandbox.jira_cloud, "--user", "admin@example.com",
                       "--password", "-", stdin="admin\n")
    assert outcome.code == 253
    assert "Jira Cloud does not accept account passwords for the API" in outcome.err
    assert "id.atlassian.com" in outcome.err and "Nothing was saved." in outcome.err
    assert not home.config_file.exists()


def test_interactive_cloud_login_asks_for_the_email_and_the_api_token(sandbox, home):
    outcome = home.run("auth", "login", "cloud", "--server", sandbox.jira_cloud,
                       stdin=f"admin@example.com\n{CLOUD_TOKEN}\n", tty=True)
    assert outcome.code == 0, outcome.text
    assert outcome.err == f"Account email: API token for admin@example.com at {sandbox.jira_cloud}: "
