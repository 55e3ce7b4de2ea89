"""Every row of the authentication matrix (DEVELOPERS.md), run twice: in-process through
main(argv, env) and through the installed `atlctl` command, asserting output, exit code and the
sandbox's counters."""

import pytest

from atlctl.products.atlassian import TOKEN_REFUSED
from tests.e2e.conftest import CAROL_PASSWORD, CLOUD_TOKEN, DAVE_PASSWORD
from tests.helpers import run, run_installed, secret

RUNNERS = {"main": run, "installed": run_installed}


@pytest.fixture(params=sorted(RUNNERS))
def atlctl(request):
    return RUNNERS[request.param]


def counters(sandbox, product="jira"):
    stats = sandbox.stats()
    return stats["password_checks"], stats["logins"], dict(stats["products"][product]["requests_by_auth"])


def delta(before, after):
    schemes = {k: after[2].get(k, 0) - before[2].get(k, 0) for k in after[2]}
    return after[0] - before[0], after[1] - before[1], schemes


def test_dc_password_session_default(dc, atlctl):
    before = counters(dc)
    outcome = atlctl("jira", "getIssueList", "--server", dc.jira, "--user", "dave", "--jql", "project = DEMO ORDER BY key",
                     "--output", "csv", "--columns", "Key", environ={"ATLCTL_PASSWORD": DAVE_PASSWORD})
    assert (outcome.code, outcome.out) == (0, "Key\nDEMO-1\nDEMO-2\nDEMO-3\n"), outcome.err
    checks, logins, schemes = delta(before, counters(dc))
    assert (checks, logins) == (1, 1) and schemes["session"] >= 2 and schemes["basic"] == 0  # search + logout


def test_dc_password_basic(dc, atlctl):
    before = counters(dc)
    outcome = atlctl("jira", "getIssue", "--server", dc.jira, "--user", "dave", "--password", DAVE_PASSWORD,
                     "--auth", "basic", "--issue", "DEMO-1", "--output", "json")
    assert outcome.code == 0 and '"key": "DEMO-1"' in outcome.out
    checks, logins, schemes = delta(before, counters(dc))
    assert (checks, logins, schemes["basic"], schemes["session"]) == (1, 0, 1, 0)


def test_dc_saved_session(dc, atlctl):
    login = atlctl("jira", "login", "--server", dc.jira, "--user", "dave", "--password", DAVE_PASSWORD)
    assert login.code == 0
    token = secret(login.out.strip())
    before = counters(dc)
    outcome = atlctl("jira", "getCurrentUser", "--server", dc.jira, "--login", "-", stdin=token + "\n")
    assert outcome.code == 0 and "User  . . . . . . . . : dave" in outcome.out
    checks, logins, schemes = delta(before, counters(dc))
    assert (checks, logins) == (0, 0) and schemes["session"] == 1  # no password, and no logout of a kept session
    assert atlctl("jira", "logout", "--server", dc.jira, "--login", token).code == 0


def test_dc_personal_access_token(dc, atlctl):
    created = run("jira", "addAccessToken", "--server", dc.jira, "--user", "carol", "--password", CAROL_PASSWORD,
                  "--name", "matrix")
    token = secret(created.out.strip())
    before = counters(dc)
    outcome = atlctl("jira", "getCurrentUser", "--server", dc.jira, "--output", "json", environ={"ATLCTL_TOKEN": token})
    assert outcome.code == 0 and '"name": "carol"' in outcome.out
    checks, logins, schemes = delta(before, counters(dc))
    assert (checks, logins, schemes["bearer"]) == (0, 0, 1)


def test_dc_token_on_old_jira(dc, atlctl):
    token = secret(run("jira", "addAccessToken", "--server", dc.jira, "--user", "carol", "--password", CAROL_PASSWORD,
                       "--name", "old").out.strip())
    dc.settings({"jira": {"version": "8.5.3"}})
    outcome = atlctl("jira", "getCurrentUser", "--server", dc.jira, "--token", token)
    assert outcome.code == 255
    assert "need Jira 8.14 or later" in outcome.err and "runs Jira 8.5.3" in outcome.err and "--password" in outcome.err


def test_dc_token_restriction(dc, atlctl):
    before = counters(dc)
    outcome = atlctl("jira", "renderRequest", "--server", dc.jira, "--token", secret("restricted-t0ken-x"),
                     "--request", "/secure/ViewProfile.jspa")
    assert (outcome.code, outcome.err.strip()) == (255, f"Client error: {TOKEN_REFUSED}")
    assert counters(dc) == before  # refused before any request


def test_cloud_email_and_api_token(sandbox, atlctl):
    before = counters(sandbox, "jira_cloud")
    outcome = atlctl("jira", "getCurrentUser", "--server", sandbox.jira_cloud, "--user", "admin@example.com",
                     "--token", "-", stdin=CLOUD_TOKEN + "\n")
    assert outcome.code == 0 and "Full name . . . . . . : Sandbox Admin" in outcome.out
    checks, logins, schemes = delta(before, counters(sandbox, "jira_cloud"))
    assert schemes["basic"] == 1 and logins == 0


def test_cloud_needs_an_email(sandbox, atlctl):
    before = counters(sandbox, "jira_cloud")
    outcome = atlctl("jira", "getCurrentUser", "--server", sandbox.jira_cloud, "--user", "admin", "--token", CLOUD_TOKEN)
    assert outcome.code == 255 and "needs the account email" in outcome.err
    _, _, schemes = delta(before, counters(sandbox, "jira_cloud"))
    assert schemes["basic"] == 0  # only the anonymous serverInfo that said "Cloud"; no credential was sent


def test_cloud_password_is_refused_with_the_fix(sandbox, atlctl):
    outcome = atlctl("jira", "getCurrentUser", "--server", sandbox.jira_cloud, "--user", "admin@example.com",
                     "--password", "admin")
    assert outcome.code == 253 and "API token" in outcome.err and "id.atlassian.com" in outcome.err


def test_anonymous(sandbox, atlctl):
    outcome = atlctl("jira", "getServerInfo", "--server", sandbox.jira, "--output", "csv", "--columns", "Version,Deployment")
    assert (outcome.code, outcome.out) == (0, "Version,Deployment\n9.12.4,Server/Data Center\n")
    needs_user = atlctl("jira", "getCurrentUser", "--server", sandbox.jira)
    assert needs_user.code == 254 and "needs credentials" in needs_user.err
