"""Jira Server/DC with user + password: session authentication with automatic login (the default),
explicit login/--login/logout, the cookie jar, expiry renewal (server-behaviour.md §1.2)."""

import os
import stat

from tests.e2e.conftest import CAROL_PASSWORD, DAVE_PASSWORD, checks
from tests.helpers import run, run_installed, secret


def test_session_is_the_default_and_checks_the_password_once(dc):
    before = checks(dc)
    for n in range(3):
        assert run("jira", "createIssue", "--server", dc.jira, "--user", "dave", "--password", DAVE_PASSWORD,
                   "--project", "DEMO", "--type", "Task", "--summary", f"bulk {n}").code == 0
    before_list = checks(dc)
    stats_before = dc.stats()
    # getIssueList with a tiny page size would need many requests; one process, one password check
    outcome = run("jira", "getIssueList", "--server", dc.jira, "--user", "dave", "--password", DAVE_PASSWORD,
                  "--jql", "project = DEMO ORDER BY key", "--verbose")
    assert outcome.code == 0, outcome.err
    assert outcome.out.startswith("6 issues in list\n")
    assert checks(dc) - before_list == 1
    assert dc.stats()["logins"] - stats_before["logins"] == 1
    assert "Authentication: session as dave" in outcome.err and "Logged out" in outcome.err
    assert checks(dc) - before == 4  # three createIssue processes + one list process: one check each


def test_many_requests_in_one_process_one_password_check(dc):
    """A transition is three requests (transitions, post, ...); a paged search more. Still one check."""
    before = checks(dc)
    outcome = run("jira", "transitionIssue", "--server", dc.jira, "--user", "dave", "--password", DAVE_PASSWORD,
                  "--issue", "DEMO-1", "--transition", "start progress", "--comment", "on it")
    assert outcome.code == 0, outcome.err
    assert outcome.out.strip() == "Successfully transitioned issue: DEMO-1 with transition: Start Progress."
    assert checks(dc) - before == 1
    total = dc.stats()["products"]["jira"]["requests_by_auth"]
    assert total.get("session", 0) >= 2  # the transition list and the transition itself rode the session


def test_session_is_ended_at_exit(dc):
    """The automatic session does not outlive the process: its cookie no longer works."""
    outcome = run("jira", "getCurrentUser", "--server", dc.jira, "--user", "dave", "--password", DAVE_PASSWORD,
                  "--debug")
    assert outcome.code == 0
    assert "> DELETE " in outcome.err and "/rest/auth/1/session" in outcome.err
    assert DAVE_PASSWORD not in outcome.err and "Basic " not in outcome.err.replace("Basic ****", "")


def test_login_prints_the_token_alone_and_login_reuses_it_without_password(dc):
    before = checks(dc)
    login = run("jira", "login", "--server", dc.jira, "--user", "dave", "--password", DAVE_PASSWORD,
                reveals=(DAVE_PASSWORD,))
    assert login.code == 0 and login.err == ""
    token = secret(login.out.strip())
    assert login.out == token + "\n" and len(token) >= 16
    for _ in range(3):  # later invocations: no password at all
        outcome = run("jira", "getIssue", "--server", dc.jira, "--login", token, "--issue", "DEMO-2")
        assert outcome.code == 0, outcome.err
        assert "Key . . . . . . . . . : DEMO-2" in outcome.out
    assert checks(dc) - before == 1  # only the login checked the password
    logout = run("jira", "logout", "--server", dc.jira, "--login", token)
    assert logout.code == 0 and logout.out.strip() == "Logged out."
    after = run("jira", "getIssue", "--server", dc.jira, "--login", token, "--issue", "DEMO-2")
    assert after.code == 253
    assert "session has expired or was logged out" in after.err and "login action again" in after.err


def test_cookie_jar_keeps_the_session_between_invocations(dc, tmp_path):
    jar = tmp_path / "jar.txt"
    before = checks(dc)
    for _ in range(3):
        outcome = run("jira", "getCurrentUser", "--server", dc.jira, "--user", "dave", "--password", DAVE_PASSWORD,
                      "--cookies", jar)
        assert outcome.code == 0, outcome.err
    assert checks(dc) - before == 1
    assert stat.S_IMODE(os.stat(jar).st_mode) == 0o600
    text = jar.read_text()
    assert text.startswith("# Netscape HTTP Cookie File") and "JSESSIONID" in text
    assert DAVE_PASSWORD not in text


def test_expired_session_is_renewed_once_transparently(dc, tmp_path):
    jar = tmp_path / "jar.txt"
    dc.settings({"jira": {"session_idle_seconds": 1}})
    assert run("jira", "getCurrentUser", "--server", dc.jira, "--user", "dave", "--password", DAVE_PASSWORD,
               "--cookies", jar).code == 0
    logins = dc.stats()["logins"]
    dc.advance_clock(2)  # let the session expire on the server
    outcome = run("jira", "getCurrentUser", "--server", dc.jira, "--user", "dave", "--password", DAVE_PASSWORD,
                  "--cookies", jar, "--verbose")
    assert outcome.code == 0, outcome.err
    assert "Session expired; logging in again" in outcome.err
    assert dc.stats()["logins"] - logins == 1


def test_wrong_password_then_captcha_stops_logins(dc):
    """§1.3: after 3 failures Jira wants a CAPTCHA, even for the right password; atlctl says so, prints the
    login URL, and makes no further login attempt in that process."""
    for _ in range(3):
        wrong = run("jira", "getCurrentUser", "--server", dc.jira, "--user", "dave", "--password", secret("nope-wr0ng"))
        assert wrong.code == 253 and "Login failed for user dave" in wrong.err
    before = checks(dc)
    outcome = run("jira", "getCurrentUser", "--server", dc.jira, "--user", "dave", "--password", DAVE_PASSWORD)
    assert outcome.code == 253
    assert "CAPTCHA" in outcome.err and f"{dc.jira}/login.jsp" in outcome.err
    assert checks(dc) == before  # denied without checking the password
    again = run("jira", "getCurrentUser", "--server", dc.jira, "--user", "dave", "--password", DAVE_PASSWORD, "--auth", "basic")
    assert again.code == 253 and "CAPTCHA" in again.err


def test_admin_action_completes_websudo_with_the_password(dc):
    """§0.5: the admin resource refuses a cookie session without a websudo grant; atlctl holds the password,
    confirms it once and resends."""
    outcome = run("jira", "addUser", "--server", dc.jira, "--user", "carol", "--password", CAROL_PASSWORD,
                  "--userId", "erin", "--userEmail", "erin@example.com", "--userFullName", "Erin E", "--verbose")
    assert outcome.code == 0, outcome.err
    assert outcome.out.strip() == "User 'erin' added with email: erin@example.com and full name: Erin E."
    assert "secure administrator session" in outcome.err


def test_admin_action_without_password_explains_websudo(dc):
    login = run("jira", "login", "--server", dc.jira, "--user", "carol", "--password", CAROL_PASSWORD)
    token = secret(login.out.strip())
    outcome = run("jira", "addGroup", "--server", dc.jira, "--login", token, "--group", "ops")
    assert outcome.code == 253
    for words in ("secure administrator session", "websudo", "--password", "--auth basic", "--token"):
        assert words in outcome.err


def test_session_via_installed_command(dc):
    before = checks(dc)
    outcome = run_installed("jira", "getIssue", "--server", dc.jira, "--user", "dave", "--issue", "DEMO-3",
                            environ={"ATLCTL_PASSWORD": DAVE_PASSWORD})
    assert outcome.code == 0, outcome.err
    assert "DEMO-3" in outcome.out and checks(dc) - before == 1


def test_logout_with_the_cookie_jar_empties_it(dc, tmp_path):
    jar = tmp_path / "jar.txt"
    assert run("jira", "getCurrentUser", "--server", dc.jira, "--user", "dave", "--password", DAVE_PASSWORD,
               "--cookies", jar).code == 0
    assert "JSESSIONID" in jar.read_text()
    assert run("jira", "logout", "--server", dc.jira, "--cookies", jar).code == 0
    assert "JSESSIONID" not in jar.read_text()
    again = run("jira", "getCurrentUser", "--server", dc.jira, "--cookies", jar)
    assert again.code == 254  # no session left and no password: atlctl asks for credentials
