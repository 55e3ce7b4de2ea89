"""Each Bitbucket DC authentication row through the installed `atlctl`, against the sandbox: exit
codes, messages and what the server saw (/_sandbox/stats)."""

import pytest

from tests.credentials.home import home  # noqa: F401  (the fixture)
from tests.helpers import run, run_installed, secret

PASSWORD = {"ATLCTL_PASSWORD": "alice"}


def bitbucket(bb, *argv, **kwargs):
    """The installed command: one run per row at least."""
    return run_installed("bitbucket", *argv, "--server", bb.url, **kwargs)


def inproc(bb, *argv, **kwargs):
    """The same in-process (main(argv)), for the further checks of a row: cheaper."""
    return run("bitbucket", *argv, "--server", bb.url, **kwargs)


def test_user_and_password_is_one_session_for_a_20_line_script(bb, tmp_path):
    script = tmp_path / "lines.txt"
    script.write_text("getProjectList\n" * 10 + "getRepositoryList --project DEMO\n" * 9 + "getCurrentUser\n")
    outcome = bitbucket(bb, "run", "--file", script, "--user", "alice", environ=PASSWORD)
    assert outcome.code == 0, outcome.err
    assert "20 actions were successful" in outcome.out and "User  . . . . . . . . : alice" in outcome.out
    counted = bb.stats()
    assert counted["password_checks"] == 1 and counted["requests_by_auth"]["basic"] == 1  # the first request
    assert counted["requests_by_auth"]["session"] >= 20


def test_basic_checks_the_password_on_every_request(bb):
    outcome = bitbucket(bb, "getProjectList", "--user", "alice", "--auth", "basic", environ=PASSWORD)
    assert outcome.code == 0 and "DEMO" in outcome.out
    assert bb.stats()["password_checks"] == 1 and bb.stats()["requests_by_auth"]["basic"] == 1


def test_a_users_token_as_bearer_and_as_basic_with_its_user(bb):
    token = bb.token("users/alice", ["REPO_READ"], auth=("alice", "alice"))
    checks = bb.stats()["password_checks"]
    bearer = bitbucket(bb, "getCurrentUser", "--token", token, "--verbose")
    assert bearer.code == 0 and "User  . . . . . . . . : alice" in bearer.out
    assert "Authentication: token (an HTTP access token as Bearer" in bearer.err
    basic = bitbucket(bb, "getCurrentUser", "--user", "alice", "--token", token, "--auth", "basic")  # another row
    assert basic.code == 0 and "User  . . . . . . . . : alice" in basic.out
    assert bb.stats()["password_checks"] == checks and bb.stats()["requests_by_auth"]["bearer"] >= 1


def test_a_project_token_is_bearer_only_and_belongs_to_no_user(bb):
    token = bb.token("projects/DEMO", ["PROJECT_READ"])
    me = bitbucket(bb, "getCurrentUser", "--token", token)
    assert me.code == 0 and "project or repository token (no user)" in me.out
    refused = bitbucket(bb, "getProjectList", "--token", token, "--auth", "basic")  # the refusal row
    assert refused.code == 254 and "work only as Bearer" in refused.err
    as_basic = inproc(bb, "getProjectList", "--user", "alice", "--token", token, "--auth", "basic")
    assert as_basic.code == 253 and "a project or repository token has no user and works only as Bearer" in as_basic.err


def test_a_token_beyond_its_permission_names_what_is_needed_and_what_it_has(bb, tmp_path):
    env = {"ATLCTL_CONFIG": str(tmp_path / "config.toml"), "ATLCTL_PASSWORD": "admin"}
    made = bitbucket(bb, "addAccessToken", "--user", "admin", "--project", "DEMO", "--name", "ci",
                     "--permission", "PROJECT_READ", environ=env, reveals=())
    token = secret(made.out.strip())
    assert made.code == 0 and token.startswith("BBDC-")
    refused = bitbucket(bb, "createRepository", "--token", token, "--project", "DEMO", "--repository", "x",
                        environ={"ATLCTL_CONFIG": env["ATLCTL_CONFIG"]})
    assert refused.code == 253
    assert ("it needs PROJECT_ADMIN on project DEMO, and the access token does not grant it (the token 'ci' has "
            "PROJECT_READ on project DEMO)") in refused.err
    unknown = inproc(bb, "createRepository", "--token", bb.token("projects/DEMO", ["PROJECT_READ"]),
                        "--project", "DEMO", "--repository", "x")
    assert unknown.code == 253 and "needs PROJECT_ADMIN" in unknown.err and "atlctl does not know" in unknown.err


def test_captcha_stops_every_further_attempt_with_the_servers_text(bb, tmp_path):
    for _ in range(5):
        run("bitbucket", "getProjectList", "-s", bb.url, "-u", "alice", "--auth", "basic", "--password", "nope")
    script = tmp_path / "lines.txt"
    script.write_text("getProjectList\n" * 3)
    outcome = bitbucket(bb, "run", "--file", script, "--user", "alice", "--continue", environ=PASSWORD)
    assert outcome.code == 255 and "3 actions failed, 0 actions were successful" in outcome.err
    assert "CAPTCHA required. Your Bitbucket account has been locked." in outcome.err
    assert "atlctl will not try again" in outcome.err
    assert bb.stats()["requests_by_auth"]["basic"] == 6  # one attempt for the three lines


def test_the_token_rows_need_5_5(bb):
    token = bb.token("users/alice", ["REPO_READ"], auth=("alice", "alice"))
    bb.settings(version="5.4.0")
    outcome = bitbucket(bb, "getProjectList", "--token", token)
    assert outcome.code == 255
    assert "HTTP access tokens need Bitbucket 5.5 or later; this server runs Bitbucket 5.4.0" in outcome.err


def test_login_prints_a_session_that_later_runs_reuse(bb):
    login = bitbucket(bb, "login", "--user", "alice", environ=PASSWORD, reveals=())
    session = secret(login.out.strip())
    assert login.code == 0 and len(session) == 32
    again = bitbucket(bb, "getProjectList", "--login", session)
    assert again.code == 0 and "DEMO" in again.out
    assert inproc(bb, "logout", "--login", session).code == 0
    assert bb.stats()["password_checks"] == 1
    gone = inproc(bb, "getProjectList", "--login", session)
    assert gone.code == 253


def test_render_request_needs_a_web_session(bb):
    page = bitbucket(bb, "renderRequest", "--user", "alice", "--request", "/profile", environ=PASSWORD)
    assert page.code == 0 and "Alice Example" in page.out
    refused = inproc(bb, "renderRequest", "--token", "anything-at-all", "--request", "/profile")
    assert refused.code == 255 and "not available when using token authentication" in refused.err
    assert bb.stats()["requests_by_auth"]["bearer"] == 0  # refused up front


@pytest.mark.parametrize("argv, code, message", [
    (("--user", "alice", "--password", "x", "--token", "y"), 254, "Give either --password or --token"),
    (("--user", "alice", "--auth", "token"), 254, "--auth token needs an HTTP access token"),
    (("--user", "alice"), 254, "Missing password for alice"),
    (("--token", "t", "--auth", "session"), 254, "Session authentication needs --user and --password"),
    (("--auth", "basic", "--user", "alice"), 254, "--auth basic needs --user and --password"),
    ((), 254, "This action needs credentials"),
])
def test_refusal_rows(bb, argv, code, message):
    outcome = run("bitbucket", "getProjectList", "-s", bb.url, *argv)
    assert (outcome.code, message in outcome.err) == (code, True), outcome.err
    assert bb.stats()["password_checks"] == 0


def test_anonymous_server_info_and_a_wrong_password(bb):
    info = bitbucket(bb, "getServerInfo")
    assert info.code == 0 and "Version . . . . . . . : 8.19.5" in info.out
    wrong = inproc(bb, "getServerInfo", "--user", "alice", "--password", "nope")
    assert wrong.code == 253 and "Login failed for user alice" in wrong.err and "CAPTCHA" in wrong.err


def test_a_profile_for_bitbucket_dc(home, bb):
    """auth login verifies the password, auth status checks it again (both once ended in an
    AttributeError: the client had no deployment), and the profile stands in for the product."""
    login = home.run("auth", "login", "bb", "--product", "bitbucket", "--server", bb.url, "--user", "alice",
                     "--password", "-", stdin="alice\n")
    assert login.code == 0, login.err
    assert "Logged in to " + bb.url + " (Server/Data Center" in login.out and "as alice" in login.out
    status = home.run("auth", "status", "bb")
    assert status.code == 0, status.err
    assert "OK, logged in as alice" in status.out
    listed = home.run("bb", "getProjectList", "--output", "csv", "--columns", "Key")
    assert listed.code == 0 and listed.out.splitlines() == ["Key", "DEMO"]
