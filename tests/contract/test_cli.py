"""What the contract gives the command line: ACLI client names, getServerInfo that checks the
credentials it is given, --verbose naming the matrix row, and a --help that loads no HTTP library."""

import subprocess
import sys

from tests.e2e.conftest import CLOUD_TOKEN, DAVE_PASSWORD, checks, dc  # noqa: F401 -- dc is a fixture
from tests.helpers import run


def test_jiracloud_is_jira_on_cloud(sandbox):
    outcome = run("jiracloud", "getServerInfo", "-s", sandbox.jira_cloud)
    assert outcome.code == 0 and "Deployment  . . . . . : Cloud" in outcome.out, outcome.err
    me = run("jiracloud", "getCurrentUser", "-s", sandbox.jira_cloud, "-u", "admin@example.com", "--token", CLOUD_TOKEN)
    assert me.code == 0 and "Sandbox Admin" in me.out
    # the Cloud rows apply without discovery: a user name that is not an email is refused before any request
    before = sandbox.stats()["products"]["jira_cloud"]["requests_by_auth"]
    refused = run("jiracloud", "getCurrentUser", "-s", sandbox.jira_cloud, "-u", "admin", "--token", CLOUD_TOKEN)
    assert refused.code == 255 and "not an email address" in refused.err
    assert sandbox.stats()["products"]["jira_cloud"]["requests_by_auth"] == before


def test_jiracloud_in_a_run_script(sandbox, tmp_path):
    script = tmp_path / "actions.txt"
    script.write_text("jiracloud getCurrentUser --output json\n")
    outcome = run("jira", "run", "--file", script, "-s", sandbox.jira_cloud, "-u", "admin@example.com",
                  environ={"ATLCTL_TOKEN": CLOUD_TOKEN})
    assert outcome.code == 0 and '"displayName": "Sandbox Admin"' in outcome.out, outcome.err


def test_get_server_info_checks_a_wrong_password(dc):  # noqa: F811
    before = checks(dc)
    outcome = run("jira", "getServerInfo", "-s", dc.jira, "-u", "dave", "--password", "n0t-" + DAVE_PASSWORD)
    assert outcome.code == 253 and "Login failed for user dave" in outcome.err
    assert checks(dc) - before == 1


def test_get_server_info_with_the_right_password_costs_one_check(dc):  # noqa: F811
    before = checks(dc)
    outcome = run("jira", "getServerInfo", "-s", dc.jira, "-u", "dave", "--password", DAVE_PASSWORD)
    assert outcome.code == 0 and "User  . . . . . . . . : dave" in outcome.out
    assert checks(dc) - before == 1


def test_get_server_info_anonymously(dc):  # noqa: F811
    before = checks(dc)
    for argv in ([], ["-u", "anonymous", "--password", "whatever"]):
        outcome = run("jira", "getServerInfo", "-s", dc.jira, *argv)
        assert outcome.code == 0 and "Version . . . . . . . : 9.12.4" in outcome.out and "User" not in outcome.out
    exported = run("jira", "getServerInfo", "-s", dc.jira, environ={"ATLCTL_PASSWORD": "a password names nobody"})
    assert exported.code == 0 and "User" not in exported.out
    assert checks(dc) == before


def test_get_server_info_checks_a_token(sandbox):
    outcome = run("jira", "getServerInfo", "-s", sandbox.jira, "--token", "not-a-token")
    assert outcome.code == 253 and "personal access token" in outcome.err


def test_verbose_names_the_row(dc):  # noqa: F811
    outcome = run("jira", "getCurrentUser", "-s", dc.jira, "-u", "dave", "--verbose",
                  environ={"ATLCTL_PASSWORD": DAVE_PASSWORD})
    assert outcome.code == 0
    assert ("Authentication: session as dave (session with automatic login; row: Jira Server/Data Center, "
            "user + password, --auth auto/session -> session; secret from env ATLCTL_PASSWORD)") in outcome.err


def test_product_help_imports_no_http_library():
    code = ("import sys, io\n"
            "from atlctl.cli.main import main\n"
            "from atlctl.environment import Environment\n"
            "out = io.StringIO()\n"
            "assert main(['jira', '--help'], Environment(stdout=out, stderr=io.StringIO(), environ={})) == 0\n"
            "assert 'getIssue' in out.getvalue()\n"
            "print(sorted(m for m, module in sys.modules.items() if module is not None\n"
            "             and m.split('.')[0] in ('httpx', 'httpcore', 'h11', 'ssl', 'certifi')))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
