"""What the contract gives the command line: ACLI client names, getServerInfo that checks the
credentials it is given, --verbose naming the matrix row, and a --help that loads no HTTP library."""

import subprocess
import sys

import httpx

from tests.e2e.conftest import CLOUD_TOKEN, DAVE_PASSWORD, checks, dc, home  # noqa: F401 -- fixtures
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


def test_one_action_loads_only_what_it_uses(dc):  # noqa: F811
    """getServerInfo loads neither the shared run actions, the cookie-file code nor, on Server/DC, the
    Cloud gateway's (start-up time, issue 14); `run` is still found, through the full table."""
    code = ("import sys, io\n"
            "from atlctl.cli.main import main\n"
            "from atlctl.environment import Environment\n"
            "out, err = io.StringIO(), io.StringIO()\n"
            f"argv = ['jira', 'getServerInfo', '-s', {dc.jira!r}, '-u', 'dave']\n"
            "environ = {'ATLCTL_PASSWORD': sys.argv[1], 'ATLCTL_CONFIG': '/nonexistent'}\n"
            "assert main(argv, Environment(stdout=out, stderr=err, environ=environ)) == 0, err.getvalue()\n"
            "assert 'User  . . . . . . . . : dave' in out.getvalue(), out.getvalue()\n"
            "print(sorted(m for m in ('atlctl.batch.actions', 'atlctl.http.cookiefile', 'atlctl.credentials.permissions',\n"
            "                         'atlctl.auth.gateway', 'atlctl.credentials.cloud_ids')\n"
            "             if m in sys.modules))\n"
            "from atlctl.actions.registry import REGISTRY\n"
            "assert REGISTRY.find('jira', 'RUN').name == 'run' and REGISTRY.find('jira', 'getserverinfo')\n")
    proc = subprocess.run([sys.executable, "-c", code, DAVE_PASSWORD], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_jiracloud_keeps_parameter_problems_readable(sandbox):
    outcome = run("jiracloud", "--action")
    assert outcome.code == 254 and "Missing value for parameter: action" in outcome.err


def test_a_line_naming_jira_in_a_jiracloud_run_detects_its_own_deployment(dc, tmp_path):  # noqa: F811
    script = tmp_path / "lines.txt"
    script.write_text(f"jira getCurrentUser -s {dc.jira} -u dave -p {DAVE_PASSWORD}\n")
    outcome = run("jiracloud", "run", "--file", script, "-s", dc.jira_cloud)
    assert outcome.code == 0 and "User  . . . . . . . . : dave" in outcome.out, outcome.err


def test_get_server_info_with_a_cookie_file_checks_its_session_and_shares_it(dc, tmp_path):  # noqa: F811
    jar = tmp_path / "jar.txt"
    login = run("jira", "getCurrentUser", "-s", dc.jira, "-u", "dave", "--password", DAVE_PASSWORD, "--cookies", jar)
    assert login.code == 0
    script = tmp_path / "lines.txt"
    script.write_text("getServerInfo\ngetCurrentUser\n")
    before = checks(dc)
    outcome = run("jira", "run", "--file", script, "-s", dc.jira, "--cookies", jar)
    assert outcome.code == 0 and outcome.out.count("User  . . . . . . . . : dave") == 2, outcome.err
    assert checks(dc) == before  # the saved session, no password
    jar.write_text(jar.read_text().replace("\tJSESSIONID\t", "\tJSESSIONID\tdead"))
    dead = run("jira", "getServerInfo", "-s", dc.jira, "--cookies", jar)
    assert dead.code == 253 and "session has expired" in dead.err  # checked, not asked anonymously


def test_offline_status_of_a_cloud_token_profile_shows_clouds_restrictions(home):
    home.write_config('[profiles.cloud]\nproduct = "jira"\nserver = "https://x.atlassian.net"\ndeployment = "cloud"\n'
                      'user = "me@example.com"\ntoken = "env:CLOUD_TOKEN"\n')
    outcome = home.run("auth", "status", "--offline", environ={"CLOUD_TOKEN": "cloud-token-value-1234567890"})
    assert outcome.code == 0, outcome.text
    assert "no session login and no web-session actions (renderRequest) on Cloud" in outcome.out


def test_auth_logout_ends_the_saved_session_of_a_profile_with_deployment_auto(dc, home, tmp_path):  # noqa: F811
    jar = tmp_path / "jar.txt"
    home.write_config(f'[profiles.auto]\nproduct = "jira"\nserver = "{dc.jira}"\ndeployment = "auto"\nuser = "dave"\n'
                      f'password = "env:DAVE_PW"\ncookies = "{jar}"\n')
    assert home.run("auto", "getCurrentUser", environ={"DAVE_PW": DAVE_PASSWORD}).code == 0
    session = next(line.split("\t")[-1] for line in jar.read_text().splitlines() if "\tJSESSIONID\t" in line)
    outcome = home.run("auth", "logout", "auto")
    assert outcome.code == 0 and "Ended the saved session" in outcome.out, outcome.text
    assert httpx.get(dc.jira + "/rest/api/2/myself", cookies={"JSESSIONID": session}).status_code == 401


def test_top_help_keeps_product_names_apart_from_their_titles():
    listing = run("--help").out.split("Products:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert {line.split()[0] for line in listing} >= {"bitbucket_cloud", "jira", "confluence"}
    assert all(line.startswith("  ") and "  " in line.strip() for line in listing), listing
    assert len({line.index(line.split()[1]) for line in listing}) == 1  # one column for every title


def test_page_and_attachment_help_examples_name_what_they_act_on():
    for product, action, words in (("confluence", "getAttachment", "--name"), ("confluence", "removePage", "--title"),
                                   ("jira", "getAttachment", "--issue")):
        example = run(product, action, "--help").out.split("Example:\n", 1)[1].splitlines()[0]
        assert words in example, example
