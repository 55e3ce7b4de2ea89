"""Jira DC, user + password: auth login -> status -> actions with the profile -> logout, in-process
and through the installed command; prompts only on a terminal; the saved session ended by logout."""

import os
import stat

from atlctl.credentials import keyring_store
from tests.credentials.home import field
from tests.e2e.conftest import CAROL_PASSWORD, DAVE_PASSWORD, checks
from tests.helpers import secret


def test_lifecycle(dc, home):
    before = checks(dc)
    login = home.run("auth", "login", "work", "--server", dc.jira, "--user", "dave", "--password", "-",
                     stdin=DAVE_PASSWORD + "\n")
    assert login.code == 0, login.text
    assert login.out.splitlines() == [
        f"Logged in to {dc.jira} (Server/Data Center, version 9.12.4) as dave (Dave), with session authentication.",
        f"Profile work saved in {home.config_file}; password stored in plaintext keyring (service atlctl, entry work; PlaintextKeyring of keyrings.alt, not encrypted).",
        "work is the default jira profile: `atlctl jira ACTION ...` uses it without --server.",
    ]
    assert checks(dc) - before == 1  # verified live, once
    config = home.config_file.read_text()
    assert 'user = "dave"' in config and 'password = "keyring"' in config and 'version = "9.12.4"' in config
    assert DAVE_PASSWORD not in config and stat.S_IMODE(os.stat(home.config_file).st_mode) == 0o600
    assert keyring_store.get(home.env(), "work") == DAVE_PASSWORD

    status = home.run("auth", "status")
    assert status.code == 0, status.text
    assert field(status.out, "Check") == "OK, logged in as dave"
    assert "password from profile work: plaintext keyring (service atlctl, entry work; PlaintextKeyring of keyrings.alt, not encrypted): ********" in status.out
    assert field(status.out, "Authentication") == "session"

    for argv in (["work", "getIssue", "--issue", "DEMO-1"],  # the profile where ACLI puts a site shortcut
                 ["jira", "getIssue", "--issue", "DEMO-1", "--profile", "work"],
                 ["jira", "getIssue", "--issue", "DEMO-1"]):  # the product's default profile
        outcome = home.run(*argv, "--verbose")
        assert outcome.code == 0, outcome.text
        assert field(outcome.out, "Key") == "DEMO-1"
        assert "secret from profile work: plaintext keyring (service atlctl, entry work; PlaintextKeyring of keyrings.alt, not encrypted)" in outcome.err
    installed = home.run_installed("work", "-a", "getIssue", "--issue", "DEMO-1")
    assert installed.code == 0 and field(installed.out, "Key") == "DEMO-1", installed.text
    env_profile = home.run_installed("jira", "getCurrentUser", environ={"ATLCTL_PROFILE": "work"})
    assert env_profile.code == 0 and "dave" in env_profile.out

    logout = home.run("auth", "logout")
    assert logout.code == 0
    assert "removed the password from plaintext keyring (service atlctl, entry work; PlaintextKeyring of keyrings.alt, not encrypted)" in logout.out
    assert "[profiles.work]" in home.config_file.read_text()  # the profile stays
    after = home.run("work", "getIssue", "--issue", "DEMO-1", environ={"CI": "true"})
    assert after.code == 255
    assert "No password for profile work" in after.err and "Set ATLCTL_PASSWORD" in after.err
    assert home.run("auth", "status").code == 255


def test_flags_and_environment_win_over_the_profile(dc, home):
    assert home.run("auth", "login", "work", "--server", dc.jira, "--user", "dave", "--password", "-",
                    stdin=DAVE_PASSWORD + "\n").code == 0
    as_carol = home.run("work", "getCurrentUser", "--user", "carol", "--password", CAROL_PASSWORD)
    assert as_carol.code == 0 and "carol" in as_carol.out
    from_env = home.run("work", "getCurrentUser", "--user", "carol", "--verbose",
                        environ={"ATLCTL_PASSWORD": CAROL_PASSWORD})
    assert from_env.code == 0 and "secret from env ATLCTL_PASSWORD" in from_env.err


def test_interactive_login_prompts_for_user_and_hidden_password(dc, home):
    outcome = home.run("auth", "login", "--server", dc.jira, stdin=f"dave\n{DAVE_PASSWORD}\n", tty=True)
    assert outcome.code == 0, outcome.text
    assert outcome.err == (f"User name (empty to use a personal access token): Password for dave at {dc.jira}: ")
    name = dc.jira.split("://")[1].replace(":", "-").replace("/", "-")  # named after the server: 127.0.0.1-PORT-jira
    assert f"Profile {name} saved" in outcome.out


def test_login_repoints_a_profile_to_another_server_only_with_replace(dc, home):
    home.write_config('[profiles.work]\nproduct = "jira"\nserver = "http://127.0.0.1:9/jira"\nuser = "dave"\n')
    outcome = home.run("auth", "login", "work", "--server", dc.jira, "--user", "dave", "--password", "-", "--replace",
                       stdin=DAVE_PASSWORD + "\n")
    assert outcome.code == 0, outcome.text
    assert f"Profile work saved in {home.config_file} (replacing the profile for http://127.0.0.1:9/jira as dave)" \
        in outcome.out
    assert f'server = "{dc.jira}"' in home.config_file.read_text()


def test_an_action_prompts_on_a_terminal_when_the_profile_has_no_secret(dc, home):
    home.write_config(f'[profiles.work]\nproduct = "jira"\nserver = "{dc.jira}"\nuser = "dave"\n')
    outcome = home.run("work", "getCurrentUser", stdin=DAVE_PASSWORD + "\n", tty=True)
    assert outcome.code == 0, outcome.text
    assert "Note: No password for profile work: plaintext keyring (service atlctl, entry work; PlaintextKeyring of keyrings.alt, not encrypted) has none." in outcome.err
    assert f"Password for dave at {dc.jira}: " in outcome.err


def test_a_wrong_password_saves_nothing(dc, home):
    wrong = secret("wr0ng-Pw-dave-0000")
    outcome = home.run("auth", "login", "work", "--server", dc.jira, "--user", "dave", "--password", "-",
                       stdin=wrong + "\n")
    assert outcome.code == 253
    assert "Login failed for user dave" in outcome.err and outcome.err.rstrip().endswith("Nothing was saved.")
    assert not home.config_file.exists() and keyring_store.get(home.env(), "work") is None


def test_logout_ends_the_session_saved_in_the_profiles_cookie_jar(dc, home):
    jar = home.root / "cookies.txt"
    assert home.run("auth", "login", "work", "--server", dc.jira, "--user", "dave", "--password", "-",
                    "--cookies", jar, stdin=DAVE_PASSWORD + "\n").code == 0
    assert f'cookies = "{jar}"' in home.config_file.read_text()
    assert home.run("work", "getCurrentUser").code == 0
    session = secret(next(line.split("\t")[6] for line in jar.read_text().splitlines() if "\tJSESSIONID\t" in line))
    assert home.run("jira", "getCurrentUser", "--server", dc.jira, "--login", session).code == 0
    logout = home.run("auth", "logout", "work")
    assert logout.code == 0 and f"Ended the saved session in {jar}." in logout.out
    assert "JSESSIONID" not in jar.read_text()
    ended = home.run("jira", "getCurrentUser", "--server", dc.jira, "--login", session)
    assert ended.code == 253 and "session has expired or was logged out" in ended.err, ended.text


def test_a_cookie_jar_others_can_read_is_warned_about(dc, home):
    jar = home.root / "cookies.txt"
    assert home.run("jira", "getCurrentUser", "--server", dc.jira, "--user", "dave", "--password", DAVE_PASSWORD,
                    "--cookies", jar).code == 0
    assert stat.S_IMODE(os.stat(jar).st_mode) == 0o600
    os.chmod(jar, 0o644)
    outcome = home.run("jira", "getCurrentUser", "--server", dc.jira, "--cookies", jar)
    assert outcome.code == 0, outcome.text
    assert f"Warning: cookie file {jar} is accessible by other users (mode 644): run chmod 600 {jar}" in outcome.err
