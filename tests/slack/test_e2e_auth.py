"""Each Slack auth case through the installed `atlctl`, with its exit code and message."""

import re

import pytest

from tests.helpers import run, run_installed
from tests.slack.conftest import BOT, CI_BOT, LIMITED, REVOKED, USER


def test_a_bot_token_is_sent_as_bearer(slack):
    outcome = run_installed("slack", "getServerInfo", *slack.server(), "--token", BOT, "--verbose")
    assert outcome.code == 0, outcome.err
    assert "Workspace . . . . . . : Sandbox" in outcome.out and "Token type  . . . . . : bot" in outcome.out
    assert "users:read.email" in outcome.out  # the scopes, from X-OAuth-Scopes
    assert "Authentication: token (a Slack token, sent as Bearer" in outcome.err
    assert slack.sandbox.stats()["products"]["slack"]["requests_by_auth"]["bearer"] == 1


def test_a_user_token_from_the_environment(slack):
    outcome = run_installed("slack", "getCurrentUser", *slack.server(), environ={"ATLCTL_TOKEN": USER})
    assert outcome.code == 0, outcome.err
    assert "Name  . . . . . . . . : admin" in outcome.out
    assert re.search(r"^Admin[ .]*: true$", outcome.out, re.M)


def test_a_profile_holds_the_token_source(slack, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(f'[profiles.work]\nproduct = "slack"\nserver = "{slack.base}"\ntoken = "env:WORK_SLACK_TOKEN"\n')
    config.chmod(0o600)
    outcome = run_installed("work", "getServerInfo", environ={"ATLCTL_CONFIG": str(config), "WORK_SLACK_TOKEN": BOT})
    assert outcome.code == 0, outcome.err
    assert "User  . . . . . . . . : sandboxbot" in outcome.out


def test_auth_login_verifies_and_stores_a_slack_token(slack, tmp_path):
    environ = {"ATLCTL_CONFIG": str(tmp_path / "config.toml")}
    login = run("auth", "login", "team", "--product", "slack", *slack.server(), "--with-token", "--insecure-storage",
                stdin=BOT + "\n", environ=environ)
    assert login.code == 0, login.err
    assert "as sandboxbot, with token authentication" in login.out
    status = run_installed("auth", "status", "team", environ=environ)
    assert status.code == 0 and "OK, logged in as sandboxbot" in status.out
    assert run_installed("slack", "getServerInfo", environ=environ).code == 0  # the default slack profile
    refused = run("auth", "login", "other", "--product", "slack", *slack.server(), "--with-token",
                  "--insecure-storage", stdin=REVOKED + "\n", environ=environ)
    assert refused.code == 253 and "(token_revoked)" in refused.err and "Nothing was saved." in refused.err


def test_no_token_is_refused_with_the_fix_and_nothing_is_sent(slack):
    outcome = run_installed("slack", "getServerInfo", *slack.server())
    assert outcome.code == 254
    assert outcome.err.startswith("Slack needs a token: give --token") and "https://api.slack.com/apps" in outcome.err
    assert sum(slack.sandbox.stats()["products"]["slack"]["requests_by_auth"].values()) == 0


def test_a_password_is_refused(slack):
    outcome = run("slack", "getServerInfo", *slack.server(), environ={"ATLCTL_PASSWORD": "s3cret-pw-slack"})
    assert outcome.code == 254 and "Slack takes a token, not a user or password" in outcome.err


def test_slack_takes_no_user_password_or_session_flags(slack):
    for flag in ("--user", "--password", "--login", "--cookies", "--deployment", "--auth"):
        outcome = run("slack", "getServerInfo", *slack.server(), "--token", BOT, flag, "x")
        assert outcome.code == 254, (flag, outcome.err)


@pytest.mark.parametrize("token, expected", [
    ("xoxb-mistyped-token", "Slack refused auth.test (invalid_auth): the token is not valid"),
    ("not-a-slack-token", "It does not look like a Slack token either"),
    (REVOKED, "Slack refused auth.test (token_revoked): the token has been revoked"),
])
def test_refused_tokens_are_explained(slack, token, expected):
    outcome = run_installed("slack", "getServerInfo", *slack.server(), "--token", token)
    assert outcome.code == 253 and expected in outcome.err, outcome.err
    assert outcome.err.count("\n") == 1  # one line, no traceback


def test_a_missing_scope_names_the_scope_to_add_and_reinstall(slack):
    outcome = run_installed("slack", "getUserList", *slack.server(), "--token", LIMITED)
    assert outcome.code == 253
    assert ("the token lacks the scope users:read; it has: chat:write. Add users:read to the app's Bot Token Scopes"
            in outcome.err) and "reinstall the app" in outcome.err


def test_a_bot_token_on_a_user_token_method_says_so(slack):
    outcome = run_installed("slack", "searchMessages", *slack.server(), "--token", BOT, "--query", "x")
    assert outcome.code == 253
    assert "search.messages does not accept a bot token: give a user token (xoxp-) in ATLCTL_SLACK_USER_TOKEN" in outcome.err


def test_user_token_methods_go_to_the_user_token(slack):
    run("slack", "sendMessage", *slack.server(), "--token", BOT, "--channel", "general", "--text", "release shipped")
    outcome = run_installed("slack", "searchMessages", *slack.server(), "--token", BOT, "--query", "shipped",
                            environ={"ATLCTL_SLACK_USER_TOKEN": USER})
    assert outcome.code == 0, outcome.err
    assert "release shipped" in outcome.out and "1 messages in list" in outcome.out
    wrong = run("slack", "searchMessages", *slack.server(), "--token", BOT, "--query", "x",
                environ={"ATLCTL_SLACK_USER_TOKEN": CI_BOT})
    assert wrong.code == 254 and "must be a user token (xoxp-...)" in wrong.err


def test_a_profile_holds_a_bot_and_a_user_token(slack, tmp_path):
    """The bot token serves every method but the user-token ones, which get the profile's user token."""
    config = tmp_path / "config.toml"
    config.write_text(f'[profiles.work]\nproduct = "slack"\nserver = "{slack.base}"\ntoken = "env:WORK_BOT"\n\n'
                      '[profiles.work.slack]\nuser-token = "env:WORK_USER"\n')
    config.chmod(0o600)
    environ = {"ATLCTL_CONFIG": str(config), "WORK_BOT": BOT, "WORK_USER": USER}
    assert run("work", "sendMessage", "--channel", "general", "--text", "both tokens", environ=environ).code == 0
    posted = slack.call("conversations.history", channel="C0GENERAL")["messages"][0]
    assert posted["user"] == "U0BOT"
    outcome = run_installed("work", "searchMessages", "--query", "both", "--verbose", environ=environ)
    assert outcome.code == 0, outcome.err
    assert "both tokens" in outcome.out and "Warning" not in outcome.err
    assert "Authentication: the user token, for a method that takes no bot token" in outcome.err


def test_a_429_waits_as_retry_after_asks_then_succeeds(slack):
    slack.settings(throttle=[{"method": "auth.test", "count": 2, "retry_after": 1}])
    outcome = run_installed("slack", "getServerInfo", *slack.server(), "--token", BOT, "--verbose")
    assert outcome.code == 0, outcome.err
    assert outcome.err.count("HTTP 429 from POST /slack/api/auth.test; retrying in 1 s") == 2


def test_a_429_past_the_retries_is_explained(slack):
    slack.settings(throttle=[{"method": "auth.test", "count": 10, "retry_after": 0}])
    outcome = run("slack", "getServerInfo", *slack.server(), "--token", BOT)
    assert outcome.code == 253
    assert outcome.err == ("Remote error: Slack rate-limited auth.test (HTTP 429 ratelimited, retry after 0 s): retry "
                           "later, or lower --threads (Slack limits each method per app and workspace by its tier). "
                           "atlctl gave up after 4 tries, waiting as asked.\n")


def test_a_429_asking_for_too_long_a_wait_is_not_waited_for_and_says_so(slack):
    slack.settings(throttle=[{"method": "auth.test", "count": 1, "retry_after": 3600}])
    outcome = run("slack", "getServerInfo", *slack.server(), "--token", BOT)
    assert outcome.code == 253
    assert outcome.err.startswith("Remote error: Slack rate-limited auth.test (HTTP 429 ratelimited, retry after "
                                  "3600 s): retry later")
    assert outcome.err.endswith("The server asked to wait 3600 s before retrying, longer than the 60 s atlctl waits "
                                "at most, so atlctl did not wait: retry later.\n")
    assert "waiting as" not in outcome.err and "gave up after" not in outcome.err


def test_a_server_outage_is_one_line(slack):
    slack.settings(faults=[{"path": "/api/auth.test", "kind": "status", "status": 503, "retry_after": 0, "count": 1}])
    outcome = run("slack", "getServerInfo", *slack.server(), "--token", BOT)  # a 5xx on a POST is not retried
    assert outcome.code == 253 and "Traceback" not in outcome.err and outcome.err.count("\n") == 1


def test_the_matrix_lists_slacks_rows(slack):
    outcome = run("auth", "matrix", "slack", "--output", "csv")
    assert outcome.code == 0
    assert "Authorization: Bearer TOKEN (xoxb- bot or xoxp- user token)" in outcome.out
    assert len(outcome.out.strip().splitlines()) == 4
