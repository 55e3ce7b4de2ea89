"""Atlassian Cloud beyond the site URL (issue 17), through the installed command against the
sandbox's gateway (`/gateway` for https://api.atlassian.com, `/gateway/auth` for
https://auth.atlassian.com): scoped API tokens, service accounts, OAuth 2.0 client credentials and
the 3LO browser login with refresh-token rotation. Every run is also a leak test."""

import json
import sys
from pathlib import Path

import httpx
import pytest

from atlctl.credentials import keyring_store
from tests.helpers import run, run_installed, secret

SCOPED = secret("sandbox-scoped-token-admin")
BOT = "sandbox-bot@serviceaccount.atlassian.com"
BOT_TOKEN = secret("sandbox-bot-scoped-token")
BOT_CLIENT, BOT_SECRET = "sandbox-bot-client", secret("sandbox-bot-secret")
APP_CLIENT, APP_SECRET = "sandbox-3lo-client", secret("sandbox-3lo-secret")
CONSENT = Path(__file__).with_name("consent.py")


def urls(sandbox) -> list[str]:
    return ["--gateway-url", sandbox.url + "/gateway", "--oauth-url", sandbox.url + "/gateway/auth"]


def gateway_calls(sandbox) -> dict:
    return sandbox.stats()["products"]["gateway"]["gateway_calls"]


def test_a_scoped_token_on_the_jira_site_goes_through_the_gateway(sandbox):
    site = sandbox.url + "/cloud"
    outcome = run_installed("jira", "getIssue", "--issue", "DEMO-1", "--server", site, "--deployment", "cloud",
                            "--user", "admin@example.com", "--verbose", *urls(sandbox), environ={"ATLCTL_TOKEN": SCOPED})
    assert outcome.code == 0, outcome.text
    assert "DEMO-1" in outcome.out
    assert "refused the credentials (HTTP 401) and the gateway took them: a scoped API token" in outcome.err
    assert f"{sandbox.url}/gateway/ex/jira/" in outcome.err
    assert gateway_calls(sandbox)["jira"] >= 1


def test_a_scoped_token_on_the_confluence_site_goes_through_the_gateway(sandbox):
    site = sandbox.url + "/cloud/wiki"
    outcome = run_installed("confluence", "getPageList", "--space", "DEMO", "--server", site, "--deployment", "cloud",
                            "--user", "admin@example.com", "--verbose", *urls(sandbox), environ={"ATLCTL_TOKEN": SCOPED})
    assert outcome.code == 0, outcome.text
    assert f"{sandbox.url}/gateway/ex/confluence/" in outcome.err and "/wiki" in outcome.err
    assert gateway_calls(sandbox)["confluence"] >= 1


def test_gateway_never_explains_the_site_refusal(sandbox):
    outcome = run_installed("jira", "getCurrentUser", "--server", sandbox.url + "/cloud", "--deployment", "cloud",
                            "--user", "admin@example.com", "--gateway", "never", *urls(sandbox),
                            environ={"ATLCTL_TOKEN": SCOPED})
    assert outcome.code == 253, outcome.text
    assert "This looks like a scoped API token" in outcome.err and "--gateway auto" in outcome.err
    assert gateway_calls(sandbox)["jira"] == 0  # never: nothing went to the gateway
    assert len(outcome.err.strip().splitlines()) == 1


def test_gateway_always_goes_straight_there(sandbox):
    outcome = run_installed("jira", "getCurrentUser", "--server", sandbox.url + "/cloud", "--deployment", "cloud",
                            "--user", "admin@example.com", "--gateway", "always", *urls(sandbox),
                            environ={"ATLCTL_TOKEN": SCOPED})
    assert outcome.code == 0, outcome.text
    assert "admin@example.com" in outcome.out


def test_a_wrong_token_is_refused_by_both_and_said_so(sandbox):
    wrong = secret("not-a-token-of-anyone-1234")
    outcome = run_installed("jira", "getCurrentUser", "--server", sandbox.url + "/cloud", "--deployment", "cloud",
                            "--user", "admin@example.com", *urls(sandbox), environ={"ATLCTL_TOKEN": wrong})
    assert outcome.code == 253
    assert "on the site and on the API gateway" in outcome.err and "id.atlassian.com" in outcome.err


def test_a_service_account_scoped_token(sandbox):
    outcome = run_installed("jira", "getIssue", "--issue", "DEMO-1", "--server", sandbox.url + "/cloud",
                            "--deployment", "cloud", "--user", BOT, *urls(sandbox), environ={"ATLCTL_TOKEN": BOT_TOKEN})
    assert outcome.code == 0, outcome.text and "DEMO-1" in outcome.out


def test_a_missing_scope_is_named_with_where_to_add_it(sandbox):
    # user/current needs read:confluence-user, which the seeded scoped token does not hold
    outcome = run_installed("confluence", "getCurrentUser", "--server", sandbox.url + "/cloud/wiki",
                            "--deployment", "cloud", "--user", "admin@example.com", *urls(sandbox),
                            environ={"ATLCTL_TOKEN": SCOPED})
    assert outcome.code == 253, outcome.text
    assert "lacks the scope read:confluence-user" in outcome.err
    assert "https://id.atlassian.com/manage-profile/security/api-tokens" in outcome.err


def test_service_account_client_credentials(sandbox, home):
    base = ["--server", sandbox.url + "/cloud", "--deployment", "cloud", "--client-id", BOT_CLIENT, *urls(sandbox)]
    first = home.run_installed("jira", "getIssue", "--issue", "DEMO-1", *base, "--verbose",
                               environ={"ATLCTL_CLIENT_SECRET": BOT_SECRET})
    assert first.code == 0, first.text
    assert "Authentication: oauth" in first.err and "secret from env ATLCTL_CLIENT_SECRET" in first.err
    again = home.run_installed("jira", "getCurrentUser", *base, environ={"ATLCTL_CLIENT_SECRET": BOT_SECRET})
    assert again.code == 0 and BOT in again.out
    grants = sandbox.stats()["products"]["gateway"]["token_grants"]
    assert grants["client_credentials"] == 1  # the access token is kept in the keyring until it expires
    cached = keyring_store.get(home.env(), f"client-credentials.{BOT_CLIENT}")
    assert cached and "access_token" in json.loads(cached)
    no_secret_in_files(home, BOT_SECRET, json.loads(cached)["access_token"])


def test_client_credentials_profile_login(sandbox, home):
    login = home.run_installed("auth", "login", "bot", "--product", "jira", "--server", sandbox.url + "/cloud",
                               "--client-id", BOT_CLIENT, "--client-secret", "-", *urls(sandbox),
                               stdin=BOT_SECRET + "\n")
    assert login.code == 0, login.text
    assert "with OAuth 2.0 client credentials" in login.out
    config = home.config_file.read_text()
    assert 'client-id = "sandbox-bot-client"' in config and BOT_SECRET not in config
    assert keyring_store.get(home.env(), "bot.client-secret") == BOT_SECRET
    issue = home.run_installed("bot", "getIssue", "--issue", "DEMO-1")
    assert issue.code == 0, issue.text
    access = json.loads(keyring_store.get(home.env(), "bot.access-token"))["access_token"]
    no_secret_in_files(home, BOT_SECRET, access)


def no_secret_in_files(home, *values) -> None:
    """Tokens and secrets are in the secret store (the tests' file keyring) and nowhere else: not in the
    config file, not in the state directory (cached cloudIds)."""
    from tests.helpers import STATE

    keyring_file = home.keyring_file.resolve()
    for root in (home.root, Path(STATE)):
        for path in root.rglob("*"):
            if path.is_file() and path.resolve() != keyring_file:
                text = path.read_text(errors="replace")
                assert not [v for v in values if v and v in text], f"a secret in {path}"


def browser(decision="accept", email="admin@example.com", password="admin") -> dict:
    return {"ATLCTL_BROWSER": f"{sys.executable} {CONSENT} {decision} {email} {password}"}


def stored_grant(home, name="cloud3lo") -> dict:
    return json.loads(keyring_store.get(home.env(), f"{name}.oauth"))


def web_login(sandbox, home, decision="accept", *more):
    return home.run_installed("auth", "login", "cloud3lo", "--web", "--product", "jira", "--server",
                              sandbox.url + "/cloud", "--client-id", APP_CLIENT, *urls(sandbox), *more,
                              environ={**browser(decision), "ATLCTL_CLIENT_SECRET": APP_SECRET})


def test_web_login_refresh_rotation_status_and_logout(sandbox, home):
    login = web_login(sandbox, home)
    assert login.code == 0, login.text
    assert "with OAuth 2.0" in login.out and "read:jira-work" in login.out
    grant = stored_grant(home)
    secret(grant["access_token"]), secret(grant["refresh_token"])
    config = home.config_file.read_text()
    assert 'oauth = "keyring"' in config and grant["refresh_token"] not in config

    issue = home.run_installed("cloud3lo", "getIssue", "--issue", "DEMO-1", environ={"ATLCTL_CLIENT_SECRET": APP_SECRET})
    assert issue.code == 0, issue.text

    # the access token has expired: renewed with the refresh token, which rotates and is saved
    home_env = home.env()
    keyring_store.put(home_env, "cloud3lo.oauth", json.dumps({**grant, "expires_at": 0}))
    renewed = home.run_installed("cloud3lo", "getCurrentUser", environ={"ATLCTL_CLIENT_SECRET": APP_SECRET})
    assert renewed.code == 0, renewed.text
    rotated = stored_grant(home)
    secret(rotated["access_token"]), secret(rotated["refresh_token"])
    assert rotated["refresh_token"] != grant["refresh_token"] and rotated["expires_at"] > 0
    assert sandbox.stats()["products"]["gateway"]["token_grants"]["refresh_token"] == 1

    status = home.run_installed("auth", "status", "cloud3lo", environ={"ATLCTL_CLIENT_SECRET": APP_SECRET})
    assert status.code == 0, status.text
    assert "read:jira-work" in status.out and "UTC" in status.out and "(tokens not shown)" in status.out

    no_secret_in_files(home, grant["access_token"], grant["refresh_token"], rotated["access_token"],
                       rotated["refresh_token"], APP_SECRET)
    logout = home.run_installed("auth", "logout", "cloud3lo")
    assert logout.code == 0 and "removed the OAuth 2.0 tokens" in logout.out
    assert "`atlctl auth login cloud3lo --web` logs in again" in logout.out
    assert keyring_store.get(home.env(), "cloud3lo.oauth") is None
    # logged out: the profile says so, rather than trying the 3LO app's client credentials
    after = home.run_installed("cloud3lo", "getCurrentUser", environ={"ATLCTL_CLIENT_SECRET": APP_SECRET})
    assert after.code == 255, after.text
    assert "Profile cloud3lo holds no OAuth 2.0 login" in after.err and "auth login --web cloud3lo" in after.err
    assert sandbox.stats()["products"]["gateway"]["token_grants"]["client_credentials"] == 0


def test_logins_kept_in_insecure_storage_are_found_again(sandbox, home):
    """--insecure-storage keeps a 3LO login's tokens and a service account's client secret in the
    plain-text store under PROFILE.oauth / PROFILE.client-secret, and the profile's commands (and the
    login's own check) read them from there, not from the entry named like the profile."""
    login = web_login(sandbox, home, "accept", "--insecure-storage")
    assert login.code == 0, login.text
    assert "entry cloud3lo.oauth" in login.out
    issue = home.run("cloud3lo", "getIssue", "--issue", "DEMO-1", environ={"ATLCTL_CLIENT_SECRET": APP_SECRET})
    assert issue.code == 0, issue.text
    bot = home.run("auth", "login", "bot", "--product", "jira", "--server", sandbox.url + "/cloud", "--client-id",
                   BOT_CLIENT, "--client-secret", "-", "--insecure-storage", *urls(sandbox), stdin=BOT_SECRET + "\n")
    assert bot.code == 0, bot.text
    assert home.run("bot", "getIssue", "--issue", "DEMO-1").code == 0
    logout = home.run("auth", "logout", "cloud3lo")
    assert logout.code == 0 and "removed the OAuth 2.0 tokens" in logout.out
    after = home.run("cloud3lo", "getCurrentUser", environ={"ATLCTL_CLIENT_SECRET": APP_SECRET})
    assert after.code == 255 and "Profile cloud3lo holds no OAuth 2.0 login" in after.err


def logged_in_then_revoked(sandbox, home) -> dict:
    """A 3LO login, then the user removes the app (the sandbox's revocation): the grant as stored."""
    assert web_login(sandbox, home).code == 0
    grant = stored_grant(home)
    secret(grant["access_token"]), secret(grant["refresh_token"])
    httpx.post(sandbox.url + "/_sandbox/gateway/revoke",
               json={"account": "admin@example.com", "client_id": APP_CLIENT}).raise_for_status()
    return grant


def test_a_revoked_refresh_token_is_explained(sandbox, home):
    grant = logged_in_then_revoked(sandbox, home)
    keyring_store.put(home.env(), "cloud3lo.oauth", json.dumps({**grant, "expires_at": 0}))
    outcome = home.run_installed("cloud3lo", "getCurrentUser", environ={"ATLCTL_CLIENT_SECRET": APP_SECRET})
    assert outcome.code == 255, outcome.text
    assert "expired or was revoked" in outcome.err and "atlctl auth login --web cloud3lo" in outcome.err
    assert len(outcome.err.strip().splitlines()) == 1


def test_web_login_debug_masks_the_code_and_the_pkce_verifier(sandbox, home):
    outcome = home.run_installed("auth", "login", "cloud3lo", "--web", "--product", "jira", "--server",
                                 sandbox.url + "/cloud", "--client-id", APP_CLIENT, "--debug", *urls(sandbox),
                                 environ={**browser(), "ATLCTL_CLIENT_SECRET": APP_SECRET})
    assert outcome.code == 0, outcome.text
    grant = stored_grant(home)
    secret(grant["access_token"]), secret(grant["refresh_token"])
    assert '"code": "****"' in outcome.err and '"code_verifier": "****"' in outcome.err


def test_a_cancelled_consent_saves_nothing(sandbox, home):
    outcome = web_login(sandbox, home, decision="cancel")
    assert outcome.code == 253 and "access_denied" in outcome.err and "Nothing was saved" in outcome.err
    assert not home.config_file.exists()


def test_the_headless_copy_paste_login(sandbox, home):
    """--no-browser: the address is printed; the user pastes where the browser was sent."""
    import subprocess

    from tests.helpers import ATLCTL

    environ = {**home.environ, "PATH": "/usr/bin:/bin", "ATLCTL_CLIENT_SECRET": APP_SECRET, "NO_PROXY": "*"}
    proc = subprocess.Popen([ATLCTL, "auth", "login", "headless", "--web", "--no-browser", "--server",
                             sandbox.url + "/cloud", "--client-id", APP_CLIENT, *urls(sandbox)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environ)
    line = ""
    while "authorize?" not in line:
        line = proc.stderr.readline()
        assert line, "no authorize address printed"
    url = line.strip()
    with httpx.Client(trust_env=False) as other_machine:  # the browser elsewhere
        page = other_machine.get(url).text
        import re
        from html import unescape

        form = re.search(r'<form id="consent" method="post" action="([^"]+)">(.*?)</form>', page, re.S)
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form[2]))
        fields = {k: unescape(v) for k, v in fields.items()}
        sent_to = other_machine.post(unescape(form[1]), data={**fields, "email": "admin@example.com",
                                                               "password": "admin", "decision": "accept"})
    out, err = proc.communicate(sent_to.headers["Location"] + "\n", timeout=60)
    assert proc.returncode == 0, err
    assert "Logged in to" in out
    grant = stored_grant(home, "headless")
    for value in (grant["access_token"], grant["refresh_token"], APP_SECRET):
        assert value not in out + err


@pytest.mark.parametrize("product, server", [("jira", "/cloud"), ("confluence", "/cloud/wiki")])
def test_the_judge_client_works_unchanged_against_the_gateway(sandbox, product, server):
    """atlassian-python-api with a scoped token, pointed at the gateway as the issue says."""
    from atlassian import Confluence, Jira

    cloud_id = httpx.get(sandbox.url + "/cloud/_edge/tenant_info").json()["cloudId"]
    if product == "jira":
        jira = Jira(url=f"{sandbox.url}/gateway/ex/jira/{cloud_id}", username="admin@example.com", password=SCOPED,
                    cloud=True)
        assert jira.myself()["emailAddress"] == "admin@example.com"
    else:
        wiki = Confluence(url=f"{sandbox.url}/gateway/ex/confluence/{cloud_id}/wiki", username="admin@example.com",
                          password=SCOPED, cloud=True, api_version=2)
        spaces = wiki.get_spaces(keys=["DEMO"])
        space = next(iter(spaces if isinstance(spaces, list) else spaces["results"]))
        page = wiki.create_page(space["id"], "Through the gateway", "<p>scoped</p>")
        assert wiki.get_page_by_id(page["id"])["title"] == "Through the gateway"


def test_auth_login_with_a_scoped_token_keeps_the_gateway_in_the_profile(sandbox, home):
    login = home.run_installed("auth", "login", "scoped", "--server", sandbox.url + "/cloud", "--deployment", "cloud",
                               "--user", "admin@example.com", "--with-token", *urls(sandbox), stdin=SCOPED + "\n")
    assert login.code == 0, login.text
    assert "A scoped API token" in login.out and "cloudId 8c1e3f4a" in login.out
    config = home.config_file.read_text()
    assert 'gateway = "always"' in config and 'cloud-id = "8c1e3f4a-2b6d-4e7a-9f10-5a3b2c1d0e9f"' in config
    before = gateway_calls(sandbox)["jira"]
    issue = home.run_installed("scoped", "getIssue", "--issue", "DEMO-1", "--verbose")
    assert issue.code == 0, issue.text
    assert "--gateway always" in issue.err and gateway_calls(sandbox)["jira"] == before + 1  # no site 401 first
    no_secret_in_files(home, SCOPED)


def test_a_revoked_login_before_its_expiry_is_explained(sandbox, home):
    """The gateway refuses the access token: atlctl renews it once, and the revoked refresh token says what to do."""
    logged_in_then_revoked(sandbox, home)
    outcome = home.run_installed("cloud3lo", "getCurrentUser", environ={"ATLCTL_CLIENT_SECRET": APP_SECRET})
    assert outcome.code == 255, outcome.text
    assert "expired or was revoked" in outcome.err and "atlctl auth login --web cloud3lo" in outcome.err


def test_a_stale_cloud_id_in_the_profile_is_learnt_again_from_the_site(sandbox, home, tmp_path):
    # a profile saved by `auth login` whose site was since moved (or a hand-edited cloud-id): the
    # gateway's 404 for it is not the answer, tenant_info's cloudId is
    home.write_config(f'[profiles.scoped]\nproduct = "jira"\nserver = "{sandbox.url}/cloud"\ndeployment = "cloud"\n'
                      f'user = "admin@example.com"\ngateway = "always"\ncloud-id = "0ld-c10ud-1d"\n'
                      f'gateway-url = "{sandbox.url}/gateway"\n')
    outcome = home.run_installed("jira", "getIssue", "--profile", "scoped", "--issue", "DEMO-1", "--verbose",
                                 environ={"ATLCTL_TOKEN": SCOPED, "XDG_STATE_HOME": str(tmp_path / "state")})
    assert outcome.code == 0, outcome.text
    assert "DEMO-1" in outcome.out and "cached cloudId 0ld-c10ud-1d" in outcome.err


def test_auth_doctor_names_the_oauth_secrets_of_a_profile(sandbox, home):
    assert web_login(sandbox, home).code == 0
    grant = stored_grant(home)
    secret(grant["access_token"]), secret(grant["refresh_token"])
    bot = home.run_installed("auth", "login", "bot", "--product", "jira", "--server", sandbox.url + "/cloud",
                             "--client-id", BOT_CLIENT, "--client-secret", "-", *urls(sandbox), stdin=BOT_SECRET + "\n")
    assert bot.code == 0, bot.text
    doctor = home.run_installed("auth", "doctor", "cloud3lo", environ={"ATLCTL_CLIENT_SECRET": APP_SECRET})
    assert doctor.code == 0, doctor.text
    assert "anonymous access" not in doctor.out
    assert any(line.startswith("ok       cloud3lo: OAuth 2.0 login available from profile cloud3lo: ")
               for line in doctor.out.splitlines())
    doctor = home.run_installed("auth", "doctor", "bot")
    assert doctor.code == 0, doctor.text
    lines = doctor.out.splitlines()
    assert any(line.startswith("ok       bot: OAuth client secret of sandbox-bot-client available from profile bot: ")
               for line in lines)
    assert "ok       bot: live check: logged in as sandbox-bot@serviceaccount.atlassian.com with oauth authentication" in lines
    assert home.run_installed("auth", "logout", "bot").code == 0
    doctor = home.run_installed("auth", "doctor", "bot", "--offline")
    assert "warning  bot: no client secret for the OAuth client sandbox-bot-client" in doctor.out


def test_an_unreachable_gateway_at_web_login_is_one_line_and_saves_nothing(sandbox, home):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    outcome = home.run_installed("auth", "login", "cloud3lo", "--web", "--product", "jira", "--server",
                                 sandbox.url + "/cloud", "--client-id", APP_CLIENT, "--gateway-url",
                                 f"http://127.0.0.1:{closed}", "--oauth-url", sandbox.url + "/gateway/auth",
                                 environ={**browser(), "ATLCTL_CLIENT_SECRET": APP_SECRET})
    assert outcome.code == 255, outcome.text
    assert "Cannot reach" in outcome.err and "accessible-resources" in outcome.err and "Nothing was saved" in outcome.err
    assert not home.config_file.exists()


def test_get_server_info_checks_oauth_credentials_as_it_checks_others(sandbox, home):
    # getServerInfo verifies the credentials given (DEVELOPERS.md); OAuth ones are credentials too
    outcome = home.run_installed("jira", "getServerInfo", "--server", sandbox.url + "/cloud", "--deployment", "cloud",
                                 "--client-id", BOT_CLIENT, "--verbose", *urls(sandbox),
                                 environ={"ATLCTL_CLIENT_SECRET": BOT_SECRET})
    assert outcome.code == 0, outcome.text
    assert "Authentication: oauth (OAuth 2.0 client credentials" in outcome.err
    assert "no credentials given" not in outcome.err
    keyring_store.delete(home.env(), f"client-credentials.{BOT_CLIENT}")  # else its access token is used
    wrong = home.run_installed("jira", "getServerInfo", "--server", sandbox.url + "/cloud", "--deployment", "cloud",
                               "--client-id", BOT_CLIENT, *urls(sandbox),
                               environ={"ATLCTL_CLIENT_SECRET": secret("not-the-bot-secret-9876")})
    assert wrong.code == 253 and "refused the client credentials" in wrong.err


def test_a_scope_a_service_account_s_oauth_credential_lacks_says_where_to_get_it(sandbox, home):
    outcome = home.run_installed("confluence", "getCurrentUser", "--server", sandbox.url + "/cloud/wiki",
                                 "--deployment", "cloud", "--client-id", BOT_CLIENT, *urls(sandbox),
                                 environ={"ATLCTL_CLIENT_SECRET": BOT_SECRET})
    assert outcome.code == 253, outcome.text
    assert "lacks the scope read:confluence-user" in outcome.err and "admin.atlassian.com" in outcome.err
    assert "auth login --web" not in outcome.err  # a service account has no browser login


def test_web_login_on_a_given_callback_port_and_one_in_use(sandbox, home):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = home.run_installed("auth", "login", "cloud3lo", "--web", "--product", "jira", "--server",
                                  sandbox.url + "/cloud", "--client-id", APP_CLIENT, "--callback-port", str(port),
                                  *urls(sandbox), environ={**browser(), "ATLCTL_CLIENT_SECRET": APP_SECRET})
    assert busy.code == 255, busy.text
    assert f"Cannot listen on 127.0.0.1:{port}" in busy.err and "Nothing was saved" in busy.err
    assert len(busy.err.strip().splitlines()) == 1 and not home.config_file.exists()
    login = home.run_installed("auth", "login", "cloud3lo", "--web", "--product", "jira", "--server",
                               sandbox.url + "/cloud", "--client-id", APP_CLIENT, "--callback-port", str(port),
                               *urls(sandbox), environ={**browser(), "ATLCTL_CLIENT_SECRET": APP_SECRET})
    assert login.code == 0, login.text
    grant = stored_grant(home)
    secret(grant["access_token"]), secret(grant["refresh_token"])
    assert f"redirect_uri=http%3A%2F%2F127.0.0.1%3A{port}%2Fcallback" in login.err
    bad = home.run_installed("auth", "login", "other", "--web", "--server", sandbox.url + "/cloud", "--client-id",
                             APP_CLIENT, "--callback-port", "99999", *urls(sandbox))
    assert bad.code == 254 and "--callback-port" in bad.err


def test_an_unreachable_gateway_is_named_not_the_site(sandbox):
    """The site refuses the token (401), the gateway cannot be reached: the error names the gateway's
    URL and --gateway-url / --gateway never, never --server (which answered)."""
    import socket

    with socket.socket() as free:  # a port nothing listens on
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    outcome = run("jiracloud", "getCurrentUser", "--server", sandbox.url + "/cloud", "--user", "admin@example.com",
                  "--token", SCOPED, "--gateway-url", f"http://127.0.0.1:{port}")
    assert outcome.code == 255
    assert outcome.err.startswith(f"Client error: Cannot connect to http://127.0.0.1:{port}/ex/jira/")
    assert "/rest/api/2/myself" in outcome.err and "Check --gateway-url" in outcome.err
    assert "--gateway never" in outcome.err and "--server" not in outcome.err
