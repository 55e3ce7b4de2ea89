"""A secret lives in one store at a time: logging in again into the other store (keyring <->
--insecure-storage) removes the old copy, and `auth logout` removes every copy atlctl keeps."""

from atlctl.credentials import insecure_store, keyring_store
from tests.e2e.conftest import DAVE_PASSWORD


def login(dc, home, *extra):
    outcome = home.run("auth", "login", "work", "--server", dc.jira, "--user", "dave", "--password", "-", *extra,
                       stdin=DAVE_PASSWORD + "\n")
    assert outcome.code == 0, outcome.text
    return outcome


def test_switching_to_insecure_storage_removes_the_keyring_copy(dc, home):
    login(dc, home)
    assert keyring_store.get(home.env(), "work") == DAVE_PASSWORD
    outcome = login(dc, home, "--insecure-storage")
    assert insecure_store.get(home.env(), "work") == DAVE_PASSWORD
    assert keyring_store.get(home.env(), "work") is None
    assert DAVE_PASSWORD not in home.keyring_file.read_text()
    assert "the old copy was removed from plaintext keyring (service atlctl, entry work" in outcome.out
    assert home.run("jira", "getIssue", "--issue", "DEMO-1", "--profile", "work").code == 0


def test_switching_back_to_the_keyring_removes_the_insecure_copy(dc, home):
    login(dc, home, "--insecure-storage")
    login(dc, home)
    assert keyring_store.get(home.env(), "work") == DAVE_PASSWORD
    assert insecure_store.get(home.env(), "work") is None
    assert DAVE_PASSWORD not in home.insecure_file.read_text()


def test_logout_removes_every_copy(dc, home):
    login(dc, home)
    keyring_store.put(home.env(), "work", DAVE_PASSWORD)
    login(dc, home, "--insecure-storage")
    keyring_store.put(home.env(), "work", DAVE_PASSWORD)  # a copy left by an older atlctl
    outcome = home.run("auth", "logout", "work")
    assert outcome.code == 0, outcome.text
    assert "removed the password from insecure storage" in outcome.out
    assert "; also removed a copy from plaintext keyring (service atlctl, entry work" in outcome.out
    assert keyring_store.get(home.env(), "work") is None and insecure_store.get(home.env(), "work") is None


def test_logout_says_where_a_copy_may_remain(dc, home):
    login(dc, home, "--insecure-storage")
    outcome = home.run("auth", "logout", "work", environ={"PYTHON_KEYRING_BACKEND": "tests.keyring_backends.LockedKeyring"})
    assert outcome.code == 0, outcome.text
    assert insecure_store.get(home.env(), "work") is None
    assert "removed the password from insecure storage" in outcome.out
    assert "the keyring could not be checked for another copy (Keyring unavailable: " in outcome.out


def test_a_failed_profile_save_keeps_the_old_copy(dc, home, monkeypatch):
    """The old copy goes only once the profile points at the new one: were it removed first, a save
    that fails would leave the profile naming a secret that no longer exists."""
    from atlctl.errors import ClientError

    login(dc, home)

    def full_disk(*args, **kwargs):
        raise ClientError("Cannot write the config file: No space left on device.")

    monkeypatch.setattr("atlctl.credentials.config.Config.save_profile", full_disk)
    failed = home.run("auth", "login", "work", "--server", dc.jira, "--user", "dave", "--password", "-",
                      "--insecure-storage", stdin=DAVE_PASSWORD + "\n")
    assert failed.code == 255 and "No space left" in failed.err
    assert keyring_store.get(home.env(), "work") == DAVE_PASSWORD  # the profile's secret is still where it says
