"""Whose session atlctl rides (findings 1 and 2), on every product with sessions (Jira, Confluence and
Bitbucket DC): a --cookies file holding another user's session is never used for --user (with a wrong
password, no password or the right one), a file without atlctl's record of its user (curl's) has its
session's user checked once, and a refused login blocks only that user and password in a run."""

import pytest

from tests.helpers import SECRETS, run, secret

WRONG = secret("wr0ng-Pw-91c2e7")
PRODUCTS = ["jira", "confluence", "bitbucket"]


def server(sandbox, product: str) -> str:
    return f"{sandbox.url}/{product}"


def checks(sandbox) -> int:
    return sandbox.stats()["password_checks"]


def admins_jar(sandbox, product: str, tmp_path):
    """A cookie file atlctl wrote for admin; its session values are registered as secrets (leak-checked)."""
    jar = tmp_path / "jar.txt"
    outcome = run(product, "getCurrentUser", "--server", server(sandbox, product), "--user", "admin",
                  "--password", "admin", "--cookies", jar)
    assert outcome.code == 0, outcome.err
    for line in jar.read_text().splitlines():
        if line.startswith("#HttpOnly_"):
            secret(line.split("\t")[6])
    return jar


def as_curl_keeps_it(jar, tmp_path, name="curl.txt"):
    """The file as curl -c would keep it: the cookies, without atlctl's record of whose they are."""
    curl = tmp_path / name
    curl.write_text("".join(line + "\n" for line in jar.read_text().splitlines() if "atlctl-user" not in line))
    curl.chmod(0o600)
    return curl


def user_of(outcome) -> str:
    return outcome.out.split("User  . . . . . . . . : ")[1].split("\n")[0]


def refusal(jar, owner: str, user: str, base: str) -> str:
    return f"Cookie file {jar} holds a session of {owner} on {base}, not of {user}: atlctl does not act as {owner}"


@pytest.mark.parametrize("product", PRODUCTS)
def test_another_users_cookie_file_is_refused_whatever_the_password(sandbox, product, tmp_path):
    base = server(sandbox, product)
    jar = admins_jar(sandbox, product, tmp_path)
    assert f"# atlctl-user\t127.0.0.1:{base.split(':')[2].split('/')[0]}\t/{product}\tadmin\n" in jar.read_text()
    saved, before = jar.read_text(), checks(sandbox)
    for secret_args in (["--password", WRONG], [], ["--password", "alice"]):
        outcome = run(product, "getCurrentUser", "--server", base, "--user", "alice", *secret_args, "--cookies", jar)
        assert outcome.code == 254, outcome.text
        assert refusal(jar, "admin", "alice", base) in outcome.err and "User " not in outcome.out
    assert checks(sandbox) == before  # nothing was sent with a password
    assert jar.read_text() == saved  # admin's session is neither overwritten nor dropped
    # admin's own session, with no password (no check), or with no --user at all
    for user_args in (["--user", "admin"], ["--user", "ADMIN"], []):
        outcome = run(product, "getCurrentUser", "--server", base, *user_args, "--cookies", jar)
        assert outcome.code == 0 and user_of(outcome) == "admin", outcome.text
    assert checks(sandbox) == before


def test_jira_create_issue_as_another_user_is_refused_and_creates_nothing(sandbox, tmp_path):
    jar = admins_jar(sandbox, "jira", tmp_path)
    outcome = run("jira", "createIssue", "--server", sandbox.jira, "--user", "alice", "--password", WRONG,
                  "--cookies", jar, "--project", "DEMO", "--type", "Task", "--summary", "as whom?")
    assert outcome.code == 254 and refusal(jar, "admin", "alice", sandbox.jira) in outcome.err
    found = sandbox.http.get(f"{sandbox.jira}/rest/api/2/search", params={"jql": 'summary ~ "as whom"'},
                             auth=("admin", "admin")).json()
    assert found["total"] == 0


@pytest.mark.parametrize("product", PRODUCTS)
def test_a_file_without_the_record_has_its_users_checked_once(sandbox, product, tmp_path):
    base = server(sandbox, product)
    jar = admins_jar(sandbox, product, tmp_path)
    curl = as_curl_keeps_it(jar, tmp_path)
    before = checks(sandbox)
    outcome = run(product, "getCurrentUser", "--server", base, "--user", "alice", "--password", WRONG,
                  "--cookies", curl)
    assert outcome.code == 254 and refusal(curl, "admin", "alice", base) in outcome.err, outcome.text
    assert checks(sandbox) == before  # the session's user was asked, no password sent
    outcome = run(product, "getCurrentUser", "--server", base, "--user", "admin", "--cookies", curl)
    assert outcome.code == 0 and user_of(outcome) == "admin", outcome.text
    assert "\tadmin\n" in curl.read_text()  # now recorded: the next call needs no check
    assert checks(sandbox) == before


@pytest.mark.parametrize("product", PRODUCTS)
def test_a_dead_session_in_a_file_without_the_record_is_replaced_by_a_login(sandbox, product, tmp_path):
    base = server(sandbox, product)
    jar = admins_jar(sandbox, product, tmp_path)
    curl, other = as_curl_keeps_it(jar, tmp_path), as_curl_keeps_it(jar, tmp_path, "other.txt")
    sandbox.reset()  # the server forgets every session
    wrong = run(product, "getCurrentUser", "--server", base, "--user", "alice", "--password", WRONG, "--cookies", other)
    assert wrong.code == 253 and "User " not in wrong.out, wrong.text
    assert "atlctl-user" not in other.read_text()
    outcome = run(product, "getCurrentUser", "--server", base, "--user", "alice", "--password", "alice",
                  "--cookies", curl, "--verbose")
    assert outcome.code == 0 and user_of(outcome) == "alice", outcome.text
    assert f"Cookie file {curl} holds no live session for {base}; logging in as alice" in outcome.err
    assert checks(sandbox) == 2  # the wrong password once, alice's once
    assert f"/{product}\talice\n" in curl.read_text()
    assert not any(value in curl.read_text() for value in SECRETS if value not in ("admin", "alice"))


@pytest.mark.parametrize("product", PRODUCTS)
def test_in_a_run_only_the_refused_password_is_not_sent_again(sandbox, product, tmp_path):
    script = tmp_path / "s5.txt"
    line = "--action getCurrentUser --columns User --user alice --password {}\n"
    script.write_text(line.format(WRONG) * 2 + line.format("alice"))
    outcome = run(product, "run", "--server", server(sandbox, product), "--file", script, "--continue")
    assert outcome.code == 255, outcome.text
    assert "2 actions failed, 1 actions were successful" in outcome.err
    assert outcome.out.count("User  . . . . . . . . : alice") == 1
    assert checks(sandbox) == 2  # the wrong password once (the second line's is not sent again), the right one once


@pytest.mark.parametrize("recorded", [True, False], ids=["atlctl's file", "curl's file"])
def test_the_refusal_names_the_profile_the_user_came_from(sandbox, tmp_path, recorded):
    """Review finding 8: a user from a profile (not --user) is named as such, and the way out is not
    "drop --user" (there is none to drop) but --user OWNER."""
    base = server(sandbox, "jira")
    jar = admins_jar(sandbox, "jira", tmp_path)
    jar = jar if recorded else as_curl_keeps_it(jar, tmp_path)
    config = tmp_path / "config.toml"
    config.write_text(f'[profiles.work]\nproduct = "jira"\nserver = "{base}"\nuser = "alice"\n'
                      'password = "env:WORK_PW"\ndeployment = "server"\n')
    config.chmod(0o600)
    environ = {"ATLCTL_CONFIG": str(config), "WORK_PW": "alice"}
    outcome = run("work", "getCurrentUser", "--cookies", jar, environ=environ)
    assert outcome.code == 254, outcome.text
    assert outcome.err == (f"{refusal(jar, 'admin', 'alice', base)} for alice, the user of profile work. Give alice a "
                           "cookie file of their own (a new file name starts one), delete this one to replace its "
                           "session, or give --user admin to act as admin.\n")
    flag = run("jira", "getCurrentUser", "--server", base, "--user", "alice", "--password", "alice", "--cookies", jar)
    assert flag.code == 254 and "for --user alice." in flag.err and "drop --user to act as admin." in flag.err
    assert user_of(run("work", "getCurrentUser", "--cookies", jar, "--user", "admin", environ=environ)) == "admin"
