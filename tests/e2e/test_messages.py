"""Messages that say what actually happened and what to do (adversarial finding 11): an email where
Server/DC wants a user name, a Cloud site taken for Server/DC, both secret variables set, a refused
OAuth client credential."""

import pytest

from tests.e2e.conftest import CAROL_PASSWORD, CLOUD_TOKEN
from tests.e2e.test_gateway import BOT_CLIENT, urls
from tests.helpers import run, secret

DC_SIGNS_IN = "Server/Data Center signs in with the user name, not the email address"


@pytest.mark.parametrize("auth", ["session", "basic"])
def test_an_email_as_the_dc_user_name_is_hinted_when_the_login_fails(dc, auth):
    outcome = run("jira", "getCurrentUser", "--server", dc.jira, "--user", "carol@example.com",
                  "--password", CAROL_PASSWORD, "--auth", auth)
    assert outcome.code == 253
    assert f"Jira {DC_SIGNS_IN}: if carol@example.com is your email, give your user name" in outcome.err
    assert "CAPTCHA" in outcome.err  # the lockout advice stays


def test_the_email_hint_is_only_for_an_email(dc):
    outcome = run("jira", "getCurrentUser", "--server", dc.jira, "--user", "carol", "--password", "wrong-pw-1")
    assert outcome.code == 253 and "wrong user name or password" in outcome.err
    assert DC_SIGNS_IN not in outcome.err


def test_an_email_as_the_confluence_dc_user_name_is_hinted(sandbox):
    outcome = run("confluence", "getCurrentUser", "--server", sandbox.url + "/confluence", "--user",
                  "admin@example.com", "--password", "admin")
    assert outcome.code == 253 and f"Confluence {DC_SIGNS_IN}" in outcome.err


def test_a_cloud_site_with_deployment_server_says_it_looks_like_cloud(sandbox):
    outcome = run("jira", "getCurrentUser", "--server", sandbox.url + "/cloud", "--deployment", "server",
                  "--user", "admin@example.com", "--password", CLOUD_TOKEN)
    assert outcome.code == 255, outcome.text
    assert "this site looks like Jira Cloud" in outcome.err
    assert "Give --deployment cloud (or auto" in outcome.err
    assert not outcome.err.startswith("Remote error: null for uri")


def test_a_wrong_context_path_on_dc_is_not_called_cloud(sandbox):
    outcome = run("jira", "getCurrentUser", "--server", sandbox.jira + "/rest", "--deployment", "server",
                  "--user", "admin", "--password", "admin")
    assert outcome.code == 253 and "null for uri" in outcome.err and "Cloud" not in outcome.err


BOTH = {"ATLCTL_PASSWORD": secret("env-pw-5e1f0a"), "ATLCTL_TOKEN": secret("env-tok-77c2d9")}


@pytest.mark.parametrize("product, server", [("jira", "/jira"), ("jira", "/cloud"),
                                             ("bitbucketcloud", "/bitbucket-cloud")])
def test_both_secret_variables_are_named_not_flags(sandbox, product, server):
    user = "admin@example.com" if "cloud" in server else "admin"
    outcome = run(product, "getCurrentUser", "--server", sandbox.url + server, "--user", user, environ=BOTH)
    assert outcome.code == 254, outcome.text
    assert outcome.err.startswith("Both ATLCTL_PASSWORD and ATLCTL_TOKEN are set: unset one")
    assert "--password" not in outcome.err


def test_both_flags_are_still_named_as_flags(sandbox):
    outcome = run("jira", "getCurrentUser", "--server", sandbox.jira, "--user", "admin", "--password", "admin",
                  "--token", secret("flag-tok-31aa0e"))
    assert outcome.code == 254 and outcome.err.startswith("Give either --password or --token, not both")


def test_a_wrong_client_secret_says_the_id_or_secret_is_wrong_or_revoked(sandbox, home):
    outcome = home.run("jira", "getCurrentUser", "--server", sandbox.url + "/cloud", "--deployment", "cloud",
                       "--client-id", BOT_CLIENT, *urls(sandbox),
                       environ={"ATLCTL_CLIENT_SECRET": secret("not-the-bot-secret-4242")})
    assert outcome.code == 253, outcome.text
    assert f"refused the client credentials of --client-id {BOT_CLIENT} (HTTP 401: Unauthorized)" in outcome.err
    assert "the client id or secret is wrong, or the credential was revoked or has expired" in outcome.err
