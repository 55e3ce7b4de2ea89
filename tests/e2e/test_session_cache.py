"""A profile's session cache (`session_cache = true`): separate invocations share one session kept
in the profile's secret store, so a shell loop costs the server one password check; an expired
session is renewed once; `auth logout` ends and removes it; the cookie is never printed or written
anywhere but the store."""

from atlctl.credentials import keyring_store
from tests.e2e.conftest import DAVE_PASSWORD, checks, dc  # noqa: F401 -- dc is a fixture
from tests.helpers import secret


def profile(home, sandbox, cache=True):
    home.write_config(f'[profiles.work]\nproduct = "jira"\nserver = "{sandbox.jira}"\nuser = "dave"\n'
                      f'password = "env:DAVE_PW"\nsession_cache = {str(cache).lower()}\n')
    return {"DAVE_PW": DAVE_PASSWORD}


def cached_session(home) -> str | None:
    return keyring_store.get(home.env(), "work.session")


def test_many_invocations_one_password_check(dc, home):  # noqa: F811
    environ = profile(home, dc)
    before = checks(dc)
    for _ in range(25):
        outcome = home.run("work", "getIssue", "--issue", "DEMO-1", "--columns", "Key", environ=environ)
        assert (outcome.code, outcome.out) == (0, "Key . . . . . . . . . : DEMO-1\n"), outcome.err
    assert checks(dc) - before == 1
    stored = cached_session(home)
    assert stored and '"user": "dave"' in stored
    session = secret(stored.split('"JSESSIONID": "')[1].split('"')[0])  # every later run is a leak test for it
    assert session not in home.config_file.read_text()
    assert home.run("work", "getCurrentUser", environ=environ).code == 0


def test_without_the_setting_every_invocation_logs_in_and_out(dc, home):  # noqa: F811
    environ = profile(home, dc, cache=False)
    before = checks(dc)
    for _ in range(3):
        assert home.run("work", "getCurrentUser", environ=environ).code == 0
    assert checks(dc) - before == 3 and cached_session(home) is None


def test_an_expired_session_is_renewed_once(dc, home):  # noqa: F811
    environ = profile(home, dc)
    assert home.run("work", "getCurrentUser", environ=environ).code == 0
    first = cached_session(home)
    dc.advance_clock(6 * 3600)  # past Jira's 300-minute idle timeout
    before = checks(dc)
    outcome = home.run("work", "getCurrentUser", "--verbose", environ=environ)
    assert outcome.code == 0 and "Session expired; logging in again" in outcome.err
    assert checks(dc) - before == 1 and cached_session(home) != first
    assert home.run("work", "getCurrentUser", environ=environ).code == 0 and checks(dc) - before == 1


def test_logout_ends_and_removes_it(dc, home):  # noqa: F811
    environ = profile(home, dc)
    assert home.run("work", "getCurrentUser", environ=environ).code == 0
    assert cached_session(home)
    outcome = home.run("auth", "logout", "work", environ=environ)
    assert outcome.code == 0 and "Ended the cached session in plaintext keyring" in outcome.out, outcome.text
    assert cached_session(home) is None
    before = checks(dc)
    assert home.run("work", "getCurrentUser", environ=environ).code == 0 and checks(dc) - before == 1


def test_a_cache_for_another_user_is_not_used(dc, home):  # noqa: F811
    environ = profile(home, dc)
    keyring_store.put(home.env(), "work.session",
                      f'{{"server": "{dc.jira}", "user": "carol", "cookies": {{"JSESSIONID": "not-dave"}}}}')
    before = checks(dc)
    outcome = home.run("work", "getCurrentUser", environ=environ)
    assert outcome.code == 0 and "dave" in outcome.out and checks(dc) - before == 1


def test_a_damaged_cache_is_a_warning_and_a_fresh_login(dc, home):  # noqa: F811
    environ = profile(home, dc)
    keyring_store.put(home.env(), "work.session", "{not json")
    outcome = home.run("work", "getCurrentUser", environ=environ)
    assert outcome.code == 0 and "cached session" in outcome.err and "not valid JSON" in outcome.err


def test_session_cache_must_be_a_boolean(dc, home):  # noqa: F811
    home.write_config(f'[profiles.work]\nproduct = "jira"\nserver = "{dc.jira}"\nsession_cache = "yes"\n')
    outcome = home.run("work", "getServerInfo")
    assert outcome.code == 254 and "session_cache must be true or false" in outcome.err
