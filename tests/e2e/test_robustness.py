"""Bad input and odd servers: a one-line error and a documented exit code, never a traceback, never a
secret in the message, never a damaged file."""

import os
import signal
import subprocess
import time

import pytest

from tests.canned import Canned
from tests.e2e.conftest import DAVE_PASSWORD, checks
from tests.helpers import ATLCTL, NO_CONFIG, STATE, run, secret

DAVE = ["--user", "dave", "--password", DAVE_PASSWORD]


@pytest.mark.parametrize("argv,code,words", [
    (["--timeout", "nan"], 254, "--timeout"),
    (["--timeout", "1e400"], 254, "--timeout"),
    (["--proxy", "proxy.corp:3128"], 255, "proxy settings"),
    (["--proxy", "foo://proxy"], 255, "proxy settings"),
])
def test_bad_connection_values(sandbox, argv, code, words):
    outcome = run("jira", "getServerInfo", "--server", sandbox.jira, *argv)
    assert outcome.code == code and words in outcome.err and "Traceback" not in outcome.err


@pytest.mark.parametrize("server", ["http://[::1", "http://", "HTTPS:///"])
def test_invalid_server_url(server):
    outcome = run("jira", "getServerInfo", "--server", server)
    assert outcome.code == 255 and "Invalid server URL" in outcome.err and "Cannot connect" not in outcome.err


def test_blank_values_are_refused_not_ignored(sandbox):
    """A --list of nothing but commas, a blank --dateFormat: 254 before anything runs, as an empty value is."""
    nothing = run("jira", "runFromList", "--server", sandbox.jira, *DAVE, "--list", " , ,",
                  "--common", "--action getIssue --issue @entry@")
    assert nothing.code == 254 and "holds no entries" in nothing.err and "successful" not in nothing.out
    dates = run("jira", "getIssue", "--server", sandbox.jira, *DAVE, "--issue", "DEMO-1", "--dateFormat", " ")
    assert dates.code == 254 and "parameter: dateFormat" in dates.err


def test_credentials_in_the_server_url_are_refused_and_never_echoed(sandbox):
    password = secret("Url-Pw-8812")
    url = sandbox.jira.replace("http://", f"http://dave:{password}@")
    before = sandbox.stats()
    outcome = run("jira", "getCurrentUser", "--server", url)
    assert outcome.code == 255 and "must not hold credentials" in outcome.err
    assert sandbox.stats()["requests_by_auth"] == before["requests_by_auth"]  # nothing was sent


@pytest.mark.parametrize("key", ["../project/DEMO", "..", "DEMO-1/../../project/DEMO"])
def test_keys_never_escape_their_path_segment(dc, key):
    outcome = run("jira", "deleteIssue", "--server", dc.jira, *DAVE, "--issue", key)
    assert outcome.code in (253, 254)
    projects = run("jira", "getProjectList", "--server", dc.jira, *DAVE)
    assert "DEMO,10000,Demo" in projects.out


@pytest.mark.parametrize("status,body,headers,words", [
    (200, b"", {"Content-Type": "application/json"}, "not JSON"),
    (200, b"hello", {"Content-Type": "text/plain"}, "text/plain, not JSON"),
    (429, b"", {"Retry-After": "soon"}, "HTTP 429"),
])
def test_odd_server_answers(status, body, headers, words):
    server = Canned(status, body, headers)
    try:
        outcome = run("jira", "getServerInfo", "--server", server.url, "--deployment", "server")
    finally:
        server.close()
    assert outcome.code in (253, 255) and words in outcome.err and "Traceback" not in outcome.err


@pytest.mark.parametrize("content", [b"not\ta\tcookie\tline", b"h\tFALSE\t/\tFALSE\tnever\tJSESSIONID\tsecret-v4lue",
                                     b"\xff\xfe\x00bad"])
def test_bad_cookie_file(dc, tmp_path, content):
    jar = tmp_path / "jar.txt"
    jar.write_bytes(content)
    os.chmod(jar, 0o600)
    outcome = run("jira", "getCurrentUser", "--server", dc.jira, *DAVE, "--cookies", jar)
    assert outcome.code == 255 and "Cookie file" in outcome.err and "secret-v4lue" not in outcome.err
    assert jar.read_bytes() == content  # left as it was


def test_create_issue_reads_the_description_from_file(dc, tmp_path):
    description = tmp_path / "desc.txt"
    description.write_text("Long description\nfrom a file\n")
    outcome = run("jira", "createIssue", "--server", dc.jira, *DAVE, "--project", "DEMO", "--type", "Task",
                  "--summary", "from file", "--file", description, "--output", "json")
    assert outcome.code == 0 and '"key"' in outcome.out
    assert description.read_text() == "Long description\nfrom a file\n"  # an input, never overwritten
    key = outcome.out.split('"key": "')[1].split('"')[0]
    got = run("jira", "getIssue", "--server", dc.jira, *DAVE, "--issue", key, "--columns", "Description")
    assert "Long description" in got.out


def test_binary_comment_file(dc, tmp_path):
    blob = tmp_path / "blob.bin"
    blob.write_bytes(b"\xff\x00\xfe")
    outcome = run("jira", "addComment", "--server", dc.jira, *DAVE, "--issue", "DEMO-1", "--file", blob)
    assert outcome.code == 254 and "not UTF-8 text" in outcome.err


def test_output_file_written_through_a_symlink(dc, tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert run("jira", "getProjectList", "--server", dc.jira, *DAVE, "--file", link).code == 0
    assert link.is_symlink() and real.read_text().startswith("Key,Id,Name")


def test_sigterm_still_ends_the_session(dc):
    """A SIGTERM mid-action unwinds like Ctrl-C: the session this process opened is logged out."""
    dc.settings({"jira": {"faults": [{"path": "/rest/api/2/issue/DEMO-1", "kind": "slow", "seconds": 30}]}})
    proc = subprocess.Popen([ATLCTL, "jira", "getIssue", "--server", dc.jira, "--user", "dave", "--issue", "DEMO-1",
                             "--debug"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={"PATH": os.environ["PATH"], "ATLCTL_PASSWORD": DAVE_PASSWORD, "ATLCTL_CONFIG": NO_CONFIG, "XDG_STATE_HOME": STATE})
    for _ in range(100):  # wait until the slow request is on its way (the login came before it)
        if dc.stats()["logins"] >= 1:
            break
        time.sleep(0.05)
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 143
    assert "> DELETE " in err and "/rest/auth/1/session" in err and DAVE_PASSWORD not in err


def test_broken_pipe_is_quiet(dc):
    for n in range(40):
        run("jira", "createIssue", "--server", dc.jira, *DAVE, "--project", "DEMO", "--type", "Task", "--summary", "x" * 200)
    command = (f"{ATLCTL} jira getIssueList --server {dc.jira} --user dave --jql 'project = DEMO' "
               f"--output json | head -c 10")
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True,
                          env={"PATH": os.environ["PATH"], "ATLCTL_PASSWORD": DAVE_PASSWORD, "ATLCTL_CONFIG": NO_CONFIG, "XDG_STATE_HOME": STATE})
    assert proc.returncode in (0, 141) and "Traceback" not in proc.stderr and "Exception" not in proc.stderr


def test_one_login_for_a_run_that_includes_a_web_session_action(dc, tmp_path):
    script = tmp_path / "script.txt"
    script.write_text("getIssue --issue DEMO-1\nrenderRequest --request /secure/ViewProfile.jspa\ngetCurrentUser\n")
    before = checks(dc)
    outcome = run("jira", "run", "--file", script, "--server", dc.jira, *DAVE)
    assert outcome.code == 0, outcome.err
    assert checks(dc) - before == 1


def test_a_csv_with_an_open_quote_runs_no_row(sandbox, tmp_path):
    """The rows after an open quote would be swallowed into one cell and the run called successful:
    a file input is refused (254) before any row is sent."""
    broken = tmp_path / "broken.csv"
    broken.write_text('summary,description\nfirst,fine\nsecond,"desc with unclosed\nthird,x\n')
    before = sandbox.stats()["requests_by_auth"]
    outcome = run("jira", "runFromCsv", "--server", sandbox.jira, *DAVE, "--file", str(broken),
                  "--common", "--action createIssue --project DEMO --type Task")
    assert outcome.code == 254 and "starts on line 3 is never closed" in outcome.err, outcome.err
    assert "successful" not in outcome.out + outcome.err
    assert sandbox.stats()["requests_by_auth"] == before  # not even a login


def test_a_value_that_starts_with_a_dash_is_shown_where_it_goes_but_a_secret_never():
    draft = run("jira", "createIssue", "--server", "http://127.0.0.1:9/jira", "--project", "DEMO", "--type", "Task",
                "--summary", "-draft")
    assert draft.code == 254 and "goes after '=': --summary=-draft." in draft.err
    password = secret("-Dash-Pw-771")
    hidden = run("jira", "getIssue", "--server", "http://127.0.0.1:9/jira", "--issue", "X", "--password", password)
    assert hidden.code == 254 and "--password=VALUE." in hidden.err and password not in hidden.err
    missing = run("jira", "createIssue", "--server", "http://127.0.0.1:9/jira", "--project", "DEMO", "--summary", "--type", "Task")
    assert missing.code == 254 and "goes after" not in missing.err  # --type is an option, not a value
