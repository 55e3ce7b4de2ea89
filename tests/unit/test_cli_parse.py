"""The ACLI-compatible command line (acli.md §4.2, §4.5): action forms, case rules, exit codes."""

import pytest

from tests.helpers import run


def test_version_is_fast_path():
    outcome = run("--version")
    assert outcome.code == 0 and outcome.out.startswith("atlctl ")


@pytest.mark.parametrize("argv", [
    ["jira", "--action", "getIssue"],
    ["jira", "-a", "getIssue"],
    ["jira", "getIssue"],
    ["jira", "--action=GETISSUE"],  # action names are case-insensitive
    ["jira", "getissue"],
])
def test_action_forms_are_equivalent(argv):
    outcome = run(*argv)  # all reach the same action, which then misses its required --issue
    assert outcome.code == 254
    assert outcome.err.strip() == "This function requires a non-blank value for parameter: issue"


def test_parameter_names_are_case_sensitive():
    outcome = run("jira", "getIssue", "--Issue", "DEMO-1")
    assert outcome.code == 254 and "Unknown parameter: --Issue" in outcome.err and "--issue" in outcome.err


def test_unknown_action_lists_valid_choices():
    outcome = run("jira", "--action", "getIssues")
    assert outcome.code == 254
    assert "Invalid action specified: getIssues" in outcome.err and "getIssueList" in outcome.err


def test_unknown_product():
    outcome = run("jiraa", "getIssue")
    assert outcome.code == 254 and "Unknown product: jiraa" in outcome.err and "jira" in outcome.err


def test_conflicting_actions():
    outcome = run("jira", "getIssue", "--action", "createIssue")
    assert outcome.code == 254 and "Conflicting actions" in outcome.err


def test_bad_choice_names_valid_values():
    outcome = run("jira", "getServerInfo", "--output", "xml", "--server", "http://127.0.0.1:9")
    assert outcome.code == 254 and "text, csv, json" in outcome.err


def test_missing_option_value():
    outcome = run("jira", "getIssue", "--issue")
    assert outcome.code == 254 and "--issue" in outcome.err and "Traceback" not in outcome.err


def test_help_documents_every_parameter():
    # issue 16: an action's help has its own parameters; the common ones are in `atlctl help common`
    outcome = run("jira", "createIssue", "--help")
    assert outcome.code == 0
    for option in ("--project", "--type", "--summary", "--description", "--priority", "--assignee", "--labels",
                   "--field"):
        assert option in outcome.out, option
    assert "atlctl help common jira" in outcome.out and "--client-key" not in outcome.out
    common = run("help", "common", "jira")
    assert common.code == 0
    for option in ("--server", "--user", "--password", "--token", "--login", "--cookies", "--deployment",
                   "--auth", "--timeout", "--proxy", "--ca-bundle", "--insecure", "--client-cert", "--client-key",
                   "--output", "--columns", "--file", "--quiet", "--verbose", "--debug"):
        assert option in common.out, option


def test_action_help_has_an_example_and_the_auth_rows_that_apply():
    helped = run("jira", "renderRequest", "--help")
    assert helped.code == 0
    assert "Example:\n  atlctl jira renderRequest --request" in helped.out
    assert "Authentication that applies" in helped.out
    assert "Authorization: Basic user:password" in helped.out  # basic can open a web session
    assert "Authorization: Bearer TOKEN" not in helped.out  # a token cannot
    assert "Authorization: Bearer TOKEN" in run("jira", "getIssue", "--help").out
    assert len(helped.out.splitlines()) < 30
    assert run("help", "jira", "renderRequest").out == helped.out
    assert run("help", "jira").out == run("jira", "--help").out


def test_help_shows_only_the_rows_of_the_deployment_given_or_implied():
    """`jiracloud` implies Jira Cloud: its help lists Cloud's rows, not Server's (review of issue 16)."""
    rows = lambda out: {line.split()[1] for line in out.splitlines() if line.startswith("  jira ")}  # noqa: E731
    assert rows(run("jira", "getIssue", "--help").out) == {"server", "cloud"}
    for argv in (("jiracloud", "getIssue", "--help"), ("jira", "getIssue", "--deployment", "cloud", "--help"),
                 ("jira", "--action", "getIssue", "--deployment=Cloud", "-h")):
        helped = run(*argv)
        assert helped.code == 0 and rows(helped.out) == {"cloud"}, helped.text
        assert "Authorization: Basic email:api-token" in helped.out
    assert rows(run("jiracloud", "--help").out) == {"cloud"}
    assert rows(run("jira", "--deployment", "server", "--help").out) == {"server"}
    assert rows(run("jira", "getIssue", "--deployment", "nope", "--help").out) == {"server", "cloud"}


def test_help_auth_is_the_auth_matrix():
    assert run("help", "auth").out == run("auth", "matrix").out
    assert run("help", "auth", "jira").out == run("auth", "matrix", "jira").out
    assert run("help", "common").code == 0 and "--server" in run("help", "common").out
    assert run("help", "common", "nope").code == 254


def test_product_help_lists_actions():
    outcome = run("jira", "--help")
    assert outcome.code == 0 and "getIssueList" in outcome.out and "renderRequest" in outcome.out


def test_missing_server():
    outcome = run("jira", "getServerInfo")
    assert outcome.code == 254 and "parameter: server" in outcome.err


def test_unreachable_server_is_a_client_error_without_traceback():
    outcome = run("jira", "getServerInfo", "--server", "http://127.0.0.1:9")
    assert outcome.code == 255 and outcome.err.startswith("Client error: Cannot connect")
    assert "Traceback" not in outcome.err


def test_bad_timeout():
    outcome = run("jira", "getServerInfo", "--server", "http://127.0.0.1:9", "--timeout", "soon")
    assert outcome.code == 254 and "--timeout" in outcome.err


def test_unexpected_failure_is_157_with_the_traceback_only_under_debug(monkeypatch):
    from atlctl.actions.registry import REGISTRY

    action = REGISTRY.find("jira", "getServerInfo")

    def broken(call):
        raise KeyError("surprise")

    monkeypatch.setitem(REGISTRY.actions["jira"], "getserverinfo", action._replace(handler=broken))
    plain = run("jira", "getServerInfo", "--server", "http://127.0.0.1:9")
    assert plain.code == 157 and plain.err.startswith("Exception: KeyError") and "Traceback" not in plain.err
    debug = run("jira", "getServerInfo", "--server", "http://127.0.0.1:9", "--debug")
    assert debug.code == 157 and "Traceback (most recent call last)" in debug.err


def test_python_dash_m():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "atlctl", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("atlctl ")


def test_digits_int_cannot_read_are_a_parameter_problem_not_a_crash():
    """'²'.isdigit() is true but int('²') fails: numbers are checked with isdecimal()."""
    from atlctl.actions.render import select_columns
    from atlctl.errors import ParameterError

    assert select_columns(["Key", "Summary"], "2") == ["Summary"]
    with pytest.raises(ParameterError, match="Unknown column '²'"):
        select_columns(["Key", "Summary"], "²")
