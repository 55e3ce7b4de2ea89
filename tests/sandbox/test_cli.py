"""`atlctl sandbox` as users run it: a subprocess with a ready line, clean signal exits, and
one-line errors with documented exit codes."""

import os
import re
import select
import signal
import socket
import subprocess
import sys

import httpx
import pytest

READY = re.compile(r"Sandbox ready at (http://127\.0\.0\.1:(\d+))\n")


def start(*args):
    return subprocess.Popen(
        [sys.executable, "-m", "atlctl", "sandbox", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def ready_url(proc):
    readable, _, _ = select.select([proc.stdout], [], [], 20)
    assert readable, "no ready line within 20 s"
    line = proc.stdout.readline()
    match = READY.fullmatch(line)
    assert match, f"unexpected first line {line!r}"
    return match.group(1)


def run(*args):
    return subprocess.run([sys.executable, "-m", "atlctl", "sandbox", *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_ready_line_then_clean_exit_on_signal(sig):
    proc = start("--port", "0")
    try:
        url = ready_url(proc)
        assert httpx.get(url + "/jira/rest/api/2/serverInfo").json()["baseUrl"] == url + "/jira"
        assert httpx.get(url + "/jira/rest/api/2/myself", auth=("admin", "admin")).status_code == 200
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 0
    assert out == ""  # the ready line was the only output
    assert err == ""


def test_jira_version_and_state_options(tmp_path):
    state = tmp_path / "s.sqlite"
    proc = start("--port", "0", "--jira-version", "8.13.5", "--state", str(state))
    try:
        url = ready_url(proc)
        info = httpx.get(url + "/jira/rest/api/2/serverInfo").json()
        assert info["version"] == "8.13.5" and info["buildNumber"] == 813005
        assert httpx.get(url + "/jira/rest/pat/latest/tokens", auth=("admin", "admin")).status_code == 404
        proc.terminate()
        proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 0 and state.exists()


def one_line_error(result, code, fragment):
    assert result.returncode == code
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("atlctl sandbox: error: ") and fragment in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["--port", "70000"], "invalid port 70000"),
        (["--port", "http"], "invalid port 'http'"),
        (["--jira-version", "nine"], "--jira-version: version must look like 9.12.4"),
        (["--colour"], "unrecognized arguments: --colour"),
    ],
)
def test_bad_arguments(args, fragment):
    one_line_error(run(*args), 254, fragment)


def test_unusable_state_file(tmp_path):
    bad = tmp_path / "not-a-db"
    bad.write_bytes(b"garbage" * 200)
    one_line_error(run("--port", "0", "--state", str(bad)), 255, f"cannot use state file {bad}")
    one_line_error(run("--port", "0", "--state", str(tmp_path / "missing" / "s.sqlite")), 255, "unable to open database file")


def test_port_in_use():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        one_line_error(run("--port", str(port)), 255, f"cannot listen on 127.0.0.1:{port}")


def test_help():
    result = run("--help")
    assert result.returncode == 0 and "--jira-version" in result.stdout
