"""Jira DC with a personal access token: created with addAccessToken, logged in with --with-token
(stdin), cached version (no discovery afterwards), token restrictions shown and enforced."""

from atlctl.products.atlassian import TOKEN_REFUSED
from atlctl.credentials import keyring_store
from tests.credentials.home import field, new_token
from tests.e2e.conftest import CAROL_PASSWORD, by_auth, checks
from tests.helpers import run


def test_lifecycle(dc, home):
    token = new_token(dc, "carol", CAROL_PASSWORD)
    before = checks(dc)
    login = home.run("auth", "login", "pat", "--server", dc.jira, "--with-token", stdin=token + "\n")
    assert login.code == 0, login.text
    assert "as carol (Carol), with token authentication." in login.out
    assert "token stored in plaintext keyring (service atlctl, entry pat; PlaintextKeyring of keyrings.alt, not encrypted)" in login.out
    config = home.config_file.read_text()
    assert 'token = "keyring"' in config and 'user = "carol"' in config and 'version = "9.12.4"' in config
    assert keyring_store.get(home.env(), "pat") == token

    status = home.run("auth", "status", "pat")
    assert status.code == 0, status.text
    assert field(status.out, "Authentication") == "token"
    assert f"token from profile pat: plaintext keyring (service atlctl, entry pat; PlaintextKeyring of keyrings.alt, not encrypted): ********{token[-4:]}" in status.out
    assert "renderRequest and other web-session actions unavailable with a token" in status.out

    anonymous = by_auth(dc, "anonymous")
    outcome = home.run("pat", "getIssue", "--issue", "DEMO-1")
    assert outcome.code == 0, outcome.text
    assert by_auth(dc, "anonymous") == anonymous  # the cached version spares the serverInfo discovery
    refused = home.run("pat", "renderRequest", "--request", "/secure/ViewProfile.jspa")
    assert refused.code == 255 and refused.err.strip() == f"Client error: {TOKEN_REFUSED}"
    assert checks(dc) == before  # a token never costs a password check

    assert home.run("auth", "token", "pat", reveals=(token,)).out == token + "\n"
    logout = home.run("auth", "logout", "pat")
    assert logout.code == 0 and "removed the token from plaintext keyring" in logout.out
    assert keyring_store.get(home.env(), "pat") is None


def test_pat_on_a_server_too_old_for_it(dc, home):
    token = new_token(dc, "carol", CAROL_PASSWORD)
    dc.settings({"jira": {"version": "8.5.0"}})
    outcome = home.run("auth", "login", "pat", "--server", dc.jira, "--with-token", stdin=token + "\n")
    assert outcome.code == 255
    assert "Personal access tokens need Jira 8.14 or later; this server runs Jira 8.5.0" in outcome.err
    assert "Nothing was saved." in outcome.err and not home.config_file.exists()


def test_a_revoked_token_fails_status_with_the_remote_error(dc, home):
    token = new_token(dc, "carol", CAROL_PASSWORD)
    assert home.run("auth", "login", "pat", "--server", dc.jira, "--with-token", stdin=token + "\n").code == 0
    listing = run("jira", "getAccessTokenList", "--server", dc.jira, "--token", token, "--output", "csv")
    token_id = listing.out.splitlines()[1].split(",")[0]
    assert run("jira", "removeAccessToken", "--server", dc.jira, "--token", token, "--id", token_id).code == 0
    status = home.run("auth", "status", "pat")
    assert status.code == 253
    assert "Remote error: Jira rejected the personal access token" in status.out
    assert status.err.startswith("Remote error: 1 of 1 profile checks failed (pat)")


def test_installed_command_with_the_token_profile(dc, home):
    token = new_token(dc, "carol", CAROL_PASSWORD)
    login = home.run_installed("auth", "login", "pat", "--server", dc.jira, "--with-token", stdin=token + "\n")
    assert login.code == 0, login.text
    outcome = home.run_installed("pat", "getProjectList")
    assert outcome.code == 0 and outcome.out.startswith("1 projects in list\n"), outcome.text
