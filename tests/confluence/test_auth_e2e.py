"""Every Confluence authentication row end to end through the installed `atlctl`: exit codes, the
messages, and what the sandbox counted (/_sandbox/stats)."""

from tests.confluence.conftest import ALICE_TOKEN, BOB_TOKEN, ERIN_PASSWORD
from tests.helpers import run, run_installed, secret

TOKEN_REFUSED = ("Client error: Action or capability not available when using token authentication. Use user and "
                 "password parameters instead.\n")
PASSWORD = {"ATLCTL_PASSWORD": ERIN_PASSWORD}


def test_session_by_default_one_password_check_for_a_20_line_script(cf, tmp_path):
    script = tmp_path / "lines.txt"
    lines = ["getCurrentUser", "getSpace --space DEMO", "getPage --space DEMO --title \"Getting started\"",
             "getPageList --space DEMO", "getLabelList --space DEMO --title \"Demo Home\""] * 4
    script.write_text("\n".join(lines) + "\n")
    outcome = run_installed("confluence", "run", "--file", script, "-s", cf.dc, "-u", "erin", "--verbose", environ=PASSWORD)
    assert outcome.code == 0, outcome.err
    assert "20 actions were successful" in outcome.out
    assert "Authentication: session" in outcome.err and "row: Confluence Server/Data Center, user + password" in outcome.err
    stats = cf.stats()
    assert stats["password_checks"] == 1 and stats["requests_by_auth"]["basic"] == 1  # the first request's cookie
    assert stats["requests_by_auth"]["session"] >= 20


def test_basic_checks_the_password_on_every_request(cf):
    outcome = run_installed("confluence", "getPage", "-s", cf.dc, "-u", "erin", "--auth", "basic", "--space", "DEMO",
                  "--title", "Getting started", environ=PASSWORD)
    assert outcome.code == 0 and "Title . . . . . . . . : Getting started" in outcome.out
    assert cf.checks() == 1
    outcome = run_installed("confluence", "addComment", "-s", cf.dc, "-u", "erin", "--auth", "basic", "--space", "DEMO",
                  "--title", "Getting started", "--comment", "<p>hi</p>", environ=PASSWORD)
    assert outcome.code == 0, outcome.err
    assert cf.checks() == 3  # find the page, then add the comment: two requests, two checks


def test_personal_access_token_as_bearer(cf):
    created = run_installed("confluence", "addAccessToken", "-s", cf.dc, "-u", "erin", "--name", "ci", environ=PASSWORD,
                            reveals=())
    token = secret(created.out.strip())
    assert created.code == 0 and len(token) == 44 and created.out == token + "\n"
    before = cf.checks()
    outcome = run_installed("confluence", "getCurrentUser", "-s", cf.dc, "--token", token, "--verbose")
    assert outcome.code == 0, outcome.err
    assert "User  . . . . . . . . : erin" in outcome.out and "Authentication: token" in outcome.err
    assert cf.checks() == before and cf.stats()["requests_by_auth"]["bearer"] == 1
    listed = run_installed("confluence", "getAccessTokenList", "-s", cf.dc, "--token", token, "--output", "json")
    assert listed.code == 0 and '"name": "ci"' in listed.out


def test_token_before_7_9_is_refused_up_front(cf):
    cf.settings(version="7.4.11")
    outcome = run_installed("confluence", "getCurrentUser", "-s", cf.dc, "--token", secret("not-sent-0123456789"))
    assert outcome.code == 255
    assert outcome.err == ("Client error: Personal access tokens need Confluence 7.9 or later; this server runs "
                           "Confluence 7.4.11. Use --user and --password instead.\n")
    assert cf.stats()["requests_by_auth"]["bearer"] == 0  # only the anonymous manifest was asked


def test_token_with_basic_is_refused(cf):
    outcome = run_installed("confluence", "getCurrentUser", "-s", cf.dc, "-u", "erin", "--token", secret("tok-abc-123456"),
                  "--auth", "basic")
    assert outcome.code == 254 and "Confluence Server/DC does not accept a personal access token with basic auth" in outcome.err


def test_render_request_with_a_token_is_refused_before_any_request(cf):
    token = cf.pat()
    outcome = run_installed("confluence", "renderRequest", "-s", cf.dc, "--token", token, "--request", "/users/viewmyprofile.action")
    assert (outcome.code, outcome.err) == (255, TOKEN_REFUSED)
    assert cf.stats()["requests_by_auth"]["bearer"] == 0


def test_render_request_with_the_session(cf):
    outcome = run_installed("confluence", "renderRequest", "-s", cf.dc, "-u", "erin", "--request", "/users/viewmyprofile.action",
                  environ=PASSWORD)
    assert outcome.code == 0, outcome.err
    assert "Erin Example" in outcome.out


def test_wrong_password_then_captcha(cf):
    wrong = secret("wr0ng-Pw-erin")
    for _ in range(3):
        outcome = run_installed("confluence", "getCurrentUser", "-s", cf.dc, "-u", "erin", "--password", wrong)
        assert outcome.code == 253 and "Login failed for user erin" in outcome.err
    outcome = run_installed("confluence", "getCurrentUser", "-s", cf.dc, "-u", "erin", "--password", ERIN_PASSWORD)
    assert outcome.code == 253
    assert "asks for a CAPTCHA for user erin" in outcome.err and f"{cf.dc}/login.action" in outcome.err
    assert cf.checks() == 3  # the CAPTCHA refused the fourth without checking it


def test_login_reuse_and_logout(cf):
    login = run_installed("confluence", "login", "-s", cf.dc, "-u", "erin", environ=PASSWORD, reveals=(ERIN_PASSWORD,))
    assert login.code == 0 and login.err == ""
    token = secret(login.out.strip())
    before = cf.checks()
    for _ in range(2):
        outcome = run_installed("confluence", "getSpace", "-s", cf.dc, "--login", token, "--space", "DEMO")
        assert outcome.code == 0 and "Name  . . . . . . . . : Demo" in outcome.out
    assert cf.checks() == before
    assert run_installed("confluence", "logout", "-s", cf.dc, "--login", token).out == "Logged out.\n"
    gone = run_installed("confluence", "getSpace", "-s", cf.dc, "--login", token, "--space", "DEMO")
    assert gone.code == 253 and "The session has expired or was logged out" in gone.err


def test_websudo_is_confirmed_with_the_password_once(cf, tmp_path):
    """Admin REST resources want a secure administrator session from cookie sessions (a request with
    Basic skips it, so the script's first line opens the session): atlctl confirms the password on
    /doauthenticate.action and resends."""
    new = secret("N3w-User-pw-77")
    script = tmp_path / "admin.txt"
    script.write_text("getCurrentUser\naddUser --userId gil --userEmail gil@example.com --userFullName Gil "
                      f"--userPassword {new}\naddUser --userId ian --userEmail ian@example.com --userFullName Ian\n")
    outcome = run_installed("confluence", "run", "--file", script, "-s", cf.dc, "-u", "admin", "--password", "admin", "--verbose")
    assert outcome.code == 0, outcome.err
    assert outcome.err.count("wants the password confirmed") == 1 and "User 'gil' added" in outcome.out
    assert cf.checks() == 2  # the login and the confirmation
    login = run_installed("confluence", "login", "-s", cf.dc, "-u", "admin", "--password", "admin")
    session = secret(login.out.strip())
    refused = run_installed("confluence", "addUser", "-s", cf.dc, "--login", session, "--userId", "hal", "--userEmail",
                  "hal@example.com", "--userFullName", "Hal")
    assert refused.code == 253 and "secure administrator session (websudo)" in refused.err


def test_basic_auth_disabled_points_to_tokens(cf):
    cf.settings(basic_auth=False)
    outcome = run_installed("confluence", "getCurrentUser", "-s", cf.dc, "-u", "erin", environ=PASSWORD)
    assert outcome.code == 253
    assert "Basic authentication is disabled on this Confluence" in outcome.err and "--token" in outcome.err
    assert cf.checks() == 0


def test_anonymous_server_info(cf):
    outcome = run_installed("confluence", "getServerInfo", "-s", cf.dc)
    assert outcome.code == 0 and "Version . . . . . . . : 8.5.9" in outcome.out and "User" not in outcome.out


def test_cloud_email_and_api_token(cf):
    for secret_flag in ("--token", "--password"):
        outcome = run_installed("confluencecloud", "getSpaceList", "-s", cf.cloud, "-u", "alice@example.com",
                                secret_flag, ALICE_TOKEN)
        assert outcome.code == 0, outcome.err
        assert outcome.out.startswith("1 spaces in list\n") and "DEMO,98305,Demo" in outcome.out
    assert cf.stats("confluence_cloud")["requests_by_auth"]["basic"] == 2


def test_cloud_is_discovered_from_the_manifest(cf):
    outcome = run_installed("confluence", "getCurrentUser", "-s", cf.cloud, "-u", "alice@example.com", "--token", ALICE_TOKEN,
                  "--verbose")
    assert outcome.code == 0, outcome.err
    assert "row: Confluence Cloud, email + API token" in outcome.err and "alice@example.com" in outcome.out


def test_cloud_refusals(cf):
    password = run_installed("confluencecloud", "getSpaceList", "-s", cf.cloud, "-u", "alice@example.com", "--password",
                   secret("alice-web-pw-x"))
    assert password.code == 253 and "Confluence Cloud does not accept account passwords" not in password.err  # wrong
    web = run_installed("confluencecloud", "getSpaceList", "-s", cf.cloud, "-u", "admin@example.com", "--password", "admin")
    assert web.code == 253 and web.err.startswith("Remote error: Confluence Cloud does not accept account passwords")
    bob = run_installed("confluencecloud", "getSpaceList", "-s", cf.cloud, "-u", "bob@example.com", "--token", BOB_TOKEN)
    assert bob.code == 253 and "has no access to Confluence on this site" in bob.err
    jira = run_installed("jiracloud", "getCurrentUser", "-s", cf.url + "/cloud", "-u", "bob@example.com", "--token", BOB_TOKEN)
    assert jira.code == 0, jira.err  # the same account and token work for Jira Cloud
    session = run_installed("confluencecloud", "getSpaceList", "-s", cf.cloud, "-u", "alice@example.com", "--token", ALICE_TOKEN,
                  "--auth", "session")
    assert session.code == 255 and "Session login is not available on Confluence Cloud" in session.err
    no_email = run_installed("confluencecloud", "getSpaceList", "-s", cf.cloud, "--token", ALICE_TOKEN)
    assert no_email.code == 255 and "Confluence Cloud needs the account email as --user" in no_email.err
    render = run_installed("confluencecloud", "renderRequest", "-s", cf.cloud, "-u", "alice@example.com", "--token", ALICE_TOKEN,
                 "--request", "/")
    assert render.code == 255 and "it needs a web session, which Confluence Cloud gives only to a browser" in render.err


def test_cloud_anonymous(cf):
    info = run_installed("confluencecloud", "getServerInfo", "-s", cf.cloud)
    assert info.code == 0 and "Deployment  . . . . . : Cloud" in info.out
    refused = run_installed("confluencecloud", "getSpaceList", "-s", cf.cloud)
    assert refused.code == 254 and "This action needs credentials" in refused.err


def test_cloud_wrong_api_token_is_named(cf):
    """Confluence Cloud serves a wrong token as anonymous (X-Seraph-LoginReason: AUTHENTICATED_FAILED):
    200 for user/current, 403 elsewhere; both say the token was refused, as Jira Cloud does."""
    wrong = secret("wrongtoken123")
    refused = ("Remote error: Confluence Cloud refused the API token for admin@example.com ({}): it is wrong, expired "
               "or revoked, or belongs to another account than this email. Create a new one at "
               "https://id.atlassian.com/manage-profile/security/api-tokens.\n")
    for action, said in ((["getCurrentUser"], "answered as anonymous"), (["getSpaceList"], "HTTP 403"),
                         (["getPage", "--id", "98306"], "HTTP 403")):
        outcome = run("confluencecloud", *action, "-s", cf.cloud, "-u", "admin@example.com", "--token", wrong)
        assert (outcome.code, outcome.err) == (253, refused.format(said)), action
    other = run("confluencecloud", "getCurrentUser", "-s", cf.cloud, "-u", "admin@example.com", "--token", ALICE_TOKEN)
    assert other.code == 253 and "belongs to another account than this email" in other.err
