"""Whose session a --login token is (round 3, findings 1-3), on every product with sessions: a --login
session is never used for another --user (it costs one request to ask the server whose it is, and only
when --user is given); an expired one is not renewed without a user to log in as; a wrong password at
Jira's websudo confirmation is said to be one."""

import pytest

from tests.e2e.test_session_identity import PRODUCTS, WRONG, checks, server, user_of
from tests.helpers import run, secret

EXPIRED = 19000  # seconds: past the sandbox's session timeout


def login(sandbox, product: str, user: str, password: str) -> str:
    outcome = run(product, "login", "--server", server(sandbox, product), "--user", user, "--password", password,
                  reveals=(password,))
    assert outcome.code == 0, outcome.err
    return secret(outcome.out.strip())


def requests(sandbox, product: str) -> int:
    return sum(sandbox.stats()["products"][product]["requests_by_auth"].values())


def refusal(owner: str, user: str, base: str) -> str:
    return f"The --login session holds a session of {owner} on {base}, not of {user}: atlctl does not act as {owner}"


@pytest.mark.parametrize("product", PRODUCTS)
def test_another_users_login_session_is_refused_whatever_the_password(sandbox, product):
    base = server(sandbox, product)
    token = login(sandbox, product, "alice", "alice")
    before = checks(sandbox)
    for secret_args in (["--password", WRONG], [], ["--password", "admin"]):
        outcome = run(product, "getCurrentUser", "--server", base, "--login", token, "--user", "admin", *secret_args)
        assert outcome.code == 254, outcome.text
        assert refusal("alice", "admin", base) in outcome.err and "User " not in outcome.out
        assert "Log in as admin" in outcome.err and "drop --user to act as alice" in outcome.err
    assert checks(sandbox) == before  # nothing was sent with a password
    # alice's own session: with her name (in any case) and a dummy password (ACLI practice), or with no --user
    for user_args in (["--user", "alice", "--password", "dummy"], ["--user", "ALICE"], []):
        outcome = run(product, "getCurrentUser", "--server", base, "--login", token, *user_args)
        assert outcome.code == 0 and user_of(outcome) == "alice", outcome.text
    assert checks(sandbox) == before


@pytest.mark.parametrize("product", PRODUCTS)
def test_without_user_the_login_session_costs_no_extra_request(sandbox, product):
    base = server(sandbox, product)
    token = login(sandbox, product, "alice", "alice")
    before = requests(sandbox, product)
    assert run(product, "getCurrentUser", "--server", base, "--login", token).code == 0
    plain = requests(sandbox, product) - before
    assert run(product, "getCurrentUser", "--server", base, "--login", token, "--user", "alice").code == 0
    assert requests(sandbox, product) - before - plain == plain + 1  # with --user: one question more


def test_jira_create_issue_with_another_users_login_session_creates_nothing(sandbox):
    token = login(sandbox, "jira", "alice", "alice")
    outcome = run("jira", "createIssue", "--server", sandbox.jira, "--login", token, "--user", "admin",
                  "--password", WRONG, "--project", "DEMO", "--type", "Task", "--summary", "whose session?")
    assert outcome.code == 254 and refusal("alice", "admin", sandbox.jira) in outcome.err, outcome.text
    found = sandbox.http.get(f"{sandbox.jira}/rest/api/2/search", params={"jql": 'summary ~ "whose session"'},
                             auth=("admin", "admin")).json()
    assert found["total"] == 0


@pytest.mark.parametrize("product", PRODUCTS)
def test_an_expired_login_session_with_its_user_and_password_logs_in_again(sandbox, product):
    base = server(sandbox, product)
    token = login(sandbox, product, "alice", "alice")
    sandbox.advance_clock(EXPIRED)
    outcome = run(product, "getCurrentUser", "--server", base, "--login", token, "--user", "alice",
                  "--password", "alice", "--verbose")
    assert outcome.code == 0 and user_of(outcome) == "alice", outcome.text
    assert f"The --login session holds no live session for {base}; logging in as alice" in outcome.err


@pytest.mark.parametrize("product", ["jira", "confluence"])  # Bitbucket answers a dead session as anonymous (200)
def test_an_expired_login_session_with_a_password_but_no_user_is_refused_before_a_login(sandbox, product):
    base = server(sandbox, product)
    token = login(sandbox, product, "alice", "alice")
    sandbox.advance_clock(EXPIRED)
    before = checks(sandbox)
    outcome = run(product, "getCurrentUser", "--server", base, "--login", token, "--password", "alice", "--debug")
    assert outcome.code == 254, outcome.text
    assert "The --login session has expired; to log in again give --user with --password" in outcome.err
    assert "None" not in outcome.text and "null" not in outcome.err
    assert checks(sandbox) == before  # no login was sent


@pytest.fixture
def carol(dc):
    from tests.e2e.conftest import CAROL_PASSWORD

    return login(dc, "jira", "carol", CAROL_PASSWORD)


@pytest.mark.parametrize("user_args", [["--user", "carol"], []])
def test_a_wrong_password_at_the_websudo_confirmation_is_said_to_be_one(dc, carol, user_args):
    outcome = run("jira", "addGroup", "--server", dc.jira, "--login", carol, *user_args, "--password", WRONG,
                  "--group", "ops")
    assert outcome.code == 253, outcome.text
    who = "carol" if user_args else "the session's user"
    assert (f"Jira refused the password for {who} at the websudo confirmation (secure administrator session)"
            in outcome.err)
    assert "HTTP 200" not in outcome.err
    groups = dc.http.get(f"{dc.jira}/rest/api/2/groups/picker", params={"query": "ops"}, auth=("admin", "admin"))
    assert "ops" not in [group["name"] for group in groups.json()["groups"]]


def test_in_a_run_a_refused_websudo_password_is_not_sent_again(dc, carol, tmp_path):
    script = tmp_path / "groups.txt"
    script.write_text("--action addGroup --group ops1\n--action addGroup --group ops2\n--action getCurrentUser\n")
    before = checks(dc)
    outcome = run("jira", "run", "--server", dc.jira, "--login", carol, "--user", "carol", "--password", WRONG,
                  "--file", script, "--continue")
    assert outcome.code == 255, outcome.text
    assert outcome.err.count("Jira refused the password for carol at the websudo confirmation") == 2
    assert "User  . . . . . . . . : carol" in outcome.out  # the session still serves non-admin actions
    assert checks(dc) - before == 1


def test_confluence_names_itself_when_it_refuses_the_websudo_password(sandbox):
    token = login(sandbox, "confluence", "admin", "admin")
    outcome = run("confluence", "addUser", "--server", server(sandbox, "confluence"), "--login", token, "--user",
                  "admin", "--password", WRONG, "--userId", "hal", "--userEmail", "hal@example.com",
                  "--userFullName", "Hal")
    assert outcome.code == 253, outcome.text
    assert ("Confluence refused the password for admin at the websudo confirmation (secure administrator session)"
            in outcome.err)
    assert "User 'hal' added" not in outcome.out
