"""Jira Server/DC with --auth basic and with personal access tokens (server-behaviour.md §1.1, §1.5, §0.5)."""

from tests.e2e.conftest import CAROL_PASSWORD, DAVE_PASSWORD, by_auth, checks
from tests.helpers import run, run_installed, secret
from atlctl.products.atlassian import TOKEN_REFUSED


def test_basic_checks_the_password_on_every_request(dc):
    before, basic_before = checks(dc), by_auth(dc, "basic")
    outcome = run("jira", "transitionIssue", "--server", dc.jira, "--user", "dave", "--password", DAVE_PASSWORD,
                  "--auth", "basic", "--issue", "DEMO-1", "--transition", "Start Progress")
    assert outcome.code == 0, outcome.err
    requests = by_auth(dc, "basic") - basic_before
    assert requests >= 2 and checks(dc) - before == requests  # transitions list + transition: one check each


def test_basic_disabled_on_the_server(dc):
    dc.settings({"jira": {"basic_auth": False}})
    outcome = run("jira", "getCurrentUser", "--server", dc.jira, "--user", "dave", "--password", DAVE_PASSWORD,
                  "--auth", "basic")
    assert outcome.code == 253
    assert "Basic authentication is disabled" in outcome.err and "--token" in outcome.err
    # the default session login is not basic auth and keeps working
    assert run("jira", "getCurrentUser", "--server", dc.jira, "--user", "dave", "--password", DAVE_PASSWORD).code == 0


def _new_token(dc, user="carol", password=CAROL_PASSWORD, name="ci") -> str:
    outcome = run("jira", "addAccessToken", "--server", dc.jira, "--user", user, "--password", password,
                  "--name", name, "--expirationDuration", "30")
    assert outcome.code == 0, outcome.err
    return secret(outcome.out.strip())


def test_pat_as_bearer_and_its_management(dc):
    token = _new_token(dc)
    outcome = run("jira", "addAccessToken", "--server", dc.jira, "--user", "carol", "--password", CAROL_PASSWORD,
                  "--name", "second", reveals=())
    assert outcome.code == 0
    second = secret(outcome.out.strip())
    before = checks(dc)
    me = run("jira", "getCurrentUser", "--server", dc.jira, "--token", token, "--output", "json")
    assert me.code == 0, me.err
    assert '"name": "carol"' in me.out
    assert checks(dc) == before and by_auth(dc, "bearer") >= 1  # a token costs no password check
    listing = run("jira", "getAccessTokenList", "--server", dc.jira, "--token", token)
    assert listing.code == 0 and listing.out.startswith("2 tokens in list\n") and ",ci," in listing.out
    token_id = next(line.split(",")[0] for line in listing.out.splitlines()[2:] if ",second," in line)
    removed = run("jira", "removeAccessToken", "--server", dc.jira, "--token", token, "--id", token_id)
    assert removed.code == 0 and removed.out.strip() == f"Access token {token_id} removed."
    revoked = run("jira", "getCurrentUser", "--server", dc.jira, "--token", second)
    assert revoked.code == 253 and "personal access token" in revoked.err and "revoked" in revoked.err


def test_pat_from_environment_via_installed_command(dc):
    token = _new_token(dc)
    outcome = run_installed("jira", "getProjectList", "--server", dc.jira, environ={"ATLCTL_TOKEN": token})
    assert outcome.code == 0, outcome.err
    assert outcome.out.startswith("1 projects in list\nKey,Id,Name,Type,Lead\nDEMO,")


def test_pat_refused_on_jira_older_than_8_14(dc):
    token = _new_token(dc)
    dc.settings({"jira": {"version": "8.13.2"}})
    before = dc.stats()
    outcome = run("jira", "getCurrentUser", "--server", dc.jira, "--token", token)
    assert outcome.code == 255
    assert outcome.err.strip() == (
        "Client error: Personal access tokens need Jira 8.14 or later; this server runs Jira 8.13.2. "
        "Use --user and --password instead.")
    after = dc.stats()  # only the anonymous serverInfo that told us the version
    assert after["requests_by_auth"].get("bearer", 0) == before["requests_by_auth"].get("bearer", 0)


def test_token_restriction_refused_up_front_without_any_request(dc):
    token = _new_token(dc)
    before = dc.stats()
    outcome = run("jira", "renderRequest", "--server", dc.jira, "--token", token, "--request", "/secure/ViewProfile.jspa")
    assert outcome.code == 255
    assert outcome.err.strip() == f"Client error: {TOKEN_REFUSED}"
    after = dc.stats()
    assert sum(after["requests_by_auth"].values()) == sum(before["requests_by_auth"].values())


def test_render_request_with_a_session(dc):
    outcome = run("jira", "renderRequest", "--server", dc.jira, "--user", "dave", "--password", DAVE_PASSWORD,
                  "--request", "/secure/ViewProfile.jspa")
    assert outcome.code == 0, outcome.err
    assert "<html" in outcome.out.lower() and "dave" in outcome.out.lower()


def test_admin_action_with_pat_skips_websudo(dc):
    token = _new_token(dc)
    outcome = run("jira", "addGroup", "--server", dc.jira, "--token", token, "--group", "release-managers")
    assert outcome.code == 0, outcome.err
    assert outcome.out.strip() == "Group 'release-managers' added."
    added = run("jira", "addUserToGroup", "--server", dc.jira, "--token", token, "--userId", "dave",
                "--group", "release-managers")
    assert added.code == 0 and added.out.strip() == "User 'dave' added to group 'release-managers'."


def test_admin_action_refused_for_non_admin(dc):
    outcome = run("jira", "addGroup", "--server", dc.jira, "--user", "dave", "--password", DAVE_PASSWORD,
                  "--auth", "basic", "--group", "x")
    assert outcome.code == 253 and "Remote error:" in outcome.err


def test_password_and_token_together_is_ambiguous(dc):
    outcome = run("jira", "getCurrentUser", "--server", dc.jira, "--user", "dave", "--password", DAVE_PASSWORD,
                  "--token", secret("some-t0ken-value"))
    assert outcome.code == 254 and "either --password or --token" in outcome.err
