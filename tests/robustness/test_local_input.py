"""Items 8, 9 (the local half) and 12 of issue 9: local input never crashes atlctl (non-UTF-8 arguments,
a malformed proxy from a variable, /dev/zero as an attachment), secret sources are read bounded, and
argument parsing costs work in proportion to the arguments (counted, not timed)."""

from __future__ import annotations

import os
import sys

import pytest

from atlctl.actions import parse
from atlctl.actions.registry import REGISTRY
from atlctl.credentials import sources
from atlctl.credentials.sources import Source, SourceError
from atlctl.environment import Environment
from tests.e2e.conftest import DAVE_PASSWORD
from tests.helpers import run, secret
from tests.slack.conftest import BOT as SLACK_BOT

DAVE = ["--user", "dave", "--password", DAVE_PASSWORD]


# -- 8. local input ------------------------------------------------------------------------------

@pytest.mark.parametrize("argv,words", [
    (["getIssue", "--issue", "DEMO-\udcff"], "The value of --issue is not valid UTF-8"),
    (["getIssue", "--issue", "DEMO-1", "-p", "pw\udcfe"], "The value of -p is not valid UTF-8"),
    (["get\udcffIssue"], "Argument 2 is not valid UTF-8"),
])
def test_arguments_that_are_not_utf8(argv, words):
    outcome = run("jira", *argv, "--server", "http://127.0.0.1:1/jira")
    assert outcome.code == 254 and outcome.err.startswith(words) and "\udcfe" not in outcome.err


def test_a_secret_from_the_environment_that_is_not_utf8(dc):
    outcome = run("jira", "getIssue", "--server", dc.jira, "--user", "dave", "--issue", "DEMO-1",
                  environ={"ATLCTL_PASSWORD": "pw\udcff"})
    assert outcome.code == 255 and "not valid UTF-8" in outcome.err


@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"])
def test_a_malformed_proxy_variable(variable, monkeypatch):
    monkeypatch.setenv(variable, "::bad proxy::")
    outcome = run("jira", "getServerInfo", "--server", "https://jira.example.com")
    assert outcome.code == 255 and "Cannot use the proxy settings" in outcome.err


def test_attaching_dev_zero_is_refused(dc):
    outcome = run("jira", "addAttachment", "--server", dc.jira, *DAVE, "--issue", "DEMO-1", "--file", "/dev/zero")
    assert outcome.code == 254 and "not a regular file" in outcome.err


@pytest.mark.parametrize("argv", [
    ("slack", "addAttachment", "--server", "/slack", "--token", SLACK_BOT, "--channel", "general"),
    ("slack", "sendMessage", "--server", "/slack", "--token", SLACK_BOT, "--channel", "general"),
    ("jira", "addAttachment", "--server", "/jira", "-u", "admin", "-p", "admin", "--issue", "DEMO-1"),
    ("confluence", "addAttachment", "--server", "/confluence", "-u", "admin", "-p", "admin", "--space", "DEMO",
     "--title", "Getting started"),
    ("bitbucket", "run", "--server", "/bitbucket", "-u", "admin", "-p", "admin"),
    ("jira", "runFromCsv", "--server", "/jira", "-u", "admin", "-p", "admin", "--common", "--action getServerInfo"),
])
def test_a_directory_as_the_file_is_named_a_directory(sandbox, tmp_path, argv):
    """Every product's --file says what is wrong with a directory given for it (files.open_input, read_text)."""
    argv = [sandbox.url + a if a.startswith("/") and a[1:].isalpha() else a for a in argv]
    outcome = run(*argv, "--file", str(tmp_path))
    assert outcome.code == 254 and outcome.err == f"Cannot read file {tmp_path}: it is a directory, not a file.\n"


@pytest.mark.parametrize("argv", [
    ("jira", "addComment", "--server", "/jira", "-u", "admin", "-p", "admin", "--issue", "DEMO-1"),
    ("confluence", "addPage", "--server", "/confluence", "-u", "admin", "-p", "admin", "--space", "DEMO",
     "--title", "From a pipe"),
    ("slack", "sendMessage", "--server", "/slack", "--token", SLACK_BOT, "--channel", "general"),
])
def test_standard_input_that_is_not_utf8_is_a_parameter_problem(sandbox, argv):
    """Bytes that are not UTF-8 arrive as lone surrogates (the stdin's errors=surrogateescape): 254, as
    the same bytes in a file are, never an exception when the text is sent."""
    argv = [sandbox.url + a if a.startswith("/") and a[1:].isalpha() else a for a in argv]
    outcome = run(*argv, "--file", "-", stdin="ab\udcff\n")
    assert (outcome.code, outcome.err) == (254, "Standard input (--file -) is not UTF-8 text.\n")


def test_slack_refuses_an_unreadable_upload_before_any_request(sandbox, tmp_path):
    for path in (tmp_path, "/dev/zero"):
        outcome = run("slack", "addAttachment", "--server", sandbox.url + "/slack", "--token", SLACK_BOT, "--channel",
                      "general", "--file", str(path))
        assert outcome.code == 254 and outcome.err.startswith(f"Cannot read file {path}: ")
    assert "not a regular file (a device or a pipe)" in outcome.err
    assert sum(sandbox.stats()["products"]["slack"]["requests_by_auth"].values()) == 0


# -- 9. bounded secret sources -------------------------------------------------------------------

ENV = Environment(environ={})


def test_a_secret_file_without_a_line_end_is_not_read_whole(tmp_path):
    big = tmp_path / "huge"
    big.write_bytes(b"x" * (sources.MAX_SECRET * 4))
    os.chmod(big, 0o600)
    with pytest.raises(SourceError, match="no line end in its first 64 KiB"):
        Source(sources.FILE, str(big)).read(ENV, lambda line: None)


def test_a_secret_file_with_a_long_tail_gives_its_first_line(tmp_path):
    path = tmp_path / "secret"
    path.write_bytes(b"s3cret-first\n" + b"y" * (sources.MAX_SECRET * 4))
    os.chmod(path, 0o600)
    assert Source(sources.FILE, str(path)).read(ENV, lambda line: None) == "s3cret-first"


def test_a_secret_command_that_never_stops_printing_is_cut(tmp_path):
    command = f"{sys.executable} -c \"import sys\nwhile True: sys.stdout.write('y' * 65536)\""
    with pytest.raises(SourceError, match="printed more than 64 KiB"):
        Source(sources.COMMAND, command).read(Environment(environ=dict(os.environ)), lambda line: None)


def test_a_failing_command_does_not_echo_what_it_printed():
    leaked = secret("Cmd-Secret-991x")
    command = f"{sys.executable} -c \"import sys; print('{leaked}'); sys.exit('no entry for {leaked}')\""
    with pytest.raises(SourceError) as caught:
        Source(sources.COMMAND, command).read(Environment(environ=dict(os.environ)), lambda line: None)
    message = str(caught.value).replace(command, "")
    assert leaked not in message and "no entry for ****" in message


# -- 9. linear argument parsing (work counted in executed lines, not timed) -------------------------

def _lines_to_parse(options: int) -> int:
    action = REGISTRY.find("jira", "updateIssue")
    argv = ["--issue", "DEMO-1"] + [arg for n in range(options) for arg in ("--field", f"f{n}=v")]
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        values = parse.parse_params(action, argv)
    finally:
        sys.settrace(None)
    assert len(values["field"]) == options
    return count


def test_argument_parsing_is_linear():
    small, large = _lines_to_parse(500), _lines_to_parse(4000)
    assert large < 10 * small  # 8 times the options; quadratic parsing would cost 64 times the work


def test_a_malformed_proxy_in_a_profile(home):
    home.write_config('[profiles.work]\nproduct = "jira"\nserver = "https://jira.example.com"\n'
                      'deployment = "server"\nproxy = "::bad proxy::"\n')
    outcome = home.run("work", "getServerInfo")
    assert outcome.code == 255 and "Cannot use the proxy settings" in outcome.err
