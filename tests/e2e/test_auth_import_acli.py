"""`atlctl config import-acli` with the sample acli.properties: every kind of entry becomes a
profile that works against the sandbox, literal secrets move to the keyring, nothing is printed."""

from atlctl.credentials import keyring_store
from tests.credentials.home import ACLI_SAMPLE as FIXTURE
from tests.credentials.home import new_token
from tests.e2e.conftest import CAROL_PASSWORD, CLOUD_TOKEN, _add_user
from tests.helpers import secret

LITERAL = secret("Imp0rted-Adm1n-pw")  # the password written in the sample file


def test_import_and_use(dc, home):
    _add_user(dc.jira, "importer", LITERAL, admin=False)
    environ = {"SANDBOX": dc.url, "JIRA_PAT": new_token(dc, "carol", CAROL_PASSWORD), "ALICE_PASSWORD": "alice"}
    outcome = home.run("config", "import-acli", FIXTURE, environ=environ)
    assert outcome.code == 0, outcome.text
    lines = outcome.out.splitlines()
    assert lines[0] == f"Imported 4 of 5 entries from {FIXTURE} into {home.config_file}."
    assert lines[1] == ("  dcjira: jira, server ${env:SANDBOX}/jira, user importer; password moved to plaintext keyring "
                        "(service atlctl, entry dcjira; PlaintextKeyring of keyrings.alt, not encrypted)")
    assert lines[2].startswith("  cloudjira: jira Cloud, server ${env:SANDBOX}/jira-cloud, user admin@example.com; "
                               "token from keyring entry cloudjira.token (${secret:cloudjira.token} lives in ACLI's")
    assert lines[3] == ("  patjira: jira, server ${env:SANDBOX}/jira; token from environment variable JIRA_PAT; "
                        "not imported: --outputFormat")
    assert lines[4] == ("  jira-acli (entry jira): jira, server ${env:SANDBOX}/jira, user alice; password from "
                        "environment variable ALICE_PASSWORD")
    assert "  dcjira is now the default jira profile." in lines
    assert lines[-2:] == ["Skipped:", "  sys (line 15): its value does not start with a client atlctl knows (jira, "
                          "jiracloud, confluence, confluencecloud, bitbucket, bitbucketcloud, slack), and is not "
                          "shown: it might be a secret"]
    assert LITERAL not in home.config_file.read_text()
    assert keyring_store.get(home.env(), "dcjira") == LITERAL

    for profile in ("dcjira", "patjira", "jira-acli"):
        used = home.run(profile, "getCurrentUser", environ=environ)
        assert used.code == 0, used.text
    # the ACLI secure property must be stored once: atlctl cannot read ACLI's key store
    missing = home.run("cloudjira", "getCurrentUser", environ={**environ, "CI": "true"})
    assert missing.code == 255 and "plaintext keyring (service atlctl, entry cloudjira.token; PlaintextKeyring of keyrings.alt, not encrypted) has none" in missing.err
    login = home.run("auth", "login", "cloudjira", "--with-token", stdin=CLOUD_TOKEN + "\n", environ=environ)
    assert login.code == 0 and "token stored in plaintext keyring (service atlctl, entry cloudjira.token; PlaintextKeyring of keyrings.alt, not encrypted)" in login.out
    assert home.run("cloudjira", "getCurrentUser", environ=environ).code == 0


def test_existing_profiles_are_kept_unless_replace(dc, home):
    environ = {"SANDBOX": dc.url}
    assert home.run("config", "import-acli", FIXTURE, environ=environ).code == 0
    before = home.config_file.read_text()
    again = home.run("config", "import-acli", "--file", FIXTURE, environ=environ)
    assert again.code == 254 and again.out.startswith("Imported 0 of 5 entries")
    assert again.err == f"Nothing was imported from {FIXTURE}: every entry was skipped (see above).\n"
    assert "  dcjira (line 5): profile dcjira exists already (--replace overwrites it)" in again.out
    assert home.config_file.read_text() == before
    replaced = home.run("config", "import-acli", FIXTURE, "--replace", environ=environ)
    assert replaced.out.startswith("Imported 4 of 5 entries")


def test_insecure_storage_and_acli_config_variable(dc, home):
    outcome = home.run("config", "import-acli", "--insecure-storage", environ={"ACLI_CONFIG": str(FIXTURE)})
    assert outcome.code == 0, outcome.text
    assert "password moved to insecure storage (plain-text file" in outcome.out
    assert 'password = "insecure-storage"' in home.config_file.read_text()


def test_keyring_unavailable_imports_nothing(home):
    outcome = home.run("config", "import-acli", FIXTURE, environ={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert outcome.code == 255
    assert outcome.err.startswith("Client error: Keyring unavailable") and "Nothing was imported" in outcome.err
    assert not home.config_file.exists()


def test_missing_file(home):
    assert home.run("config", "import-acli").code == 254
    outcome = home.run("config", "import-acli", home.root / "nope.properties")
    assert outcome.code == 255 and "Cannot read" in outcome.err


def test_profiles_of_products_atlctl_does_not_support_yet_break_nothing(dc, home):
    """atlctl now speaks to every ACLI client's product; a profile of another product (written by hand,
    or by a newer atlctl) is kept and reported, never crashed on."""
    from atlctl.http import cookiefile

    _add_user(dc.jira, "importer", LITERAL, admin=False)
    properties = home.root / "acli.properties"
    properties.write_text(f"dcjira = jira -s ${{SANDBOX}}/jira -u importer -p {LITERAL}\n")
    environ = {"SANDBOX": dc.url, "REPOS_PASSWORD": LITERAL}
    assert home.run("config", "import-acli", properties, environ=environ).code == 0
    jar = home.root / "repos.cookies"
    cookiefile.save(str(jar), "127.0.0.1", {"JSESSIONID": secret("repos-Session-5150")}, False)
    home.write_config(home.config_file.read_text() + f'\n[profiles.repos]\nproduct = "gitlab"\nserver = "{dc.url}/gitlab"\n'
                      f'user = "importer"\npassword = "env:REPOS_PASSWORD"\ncookies = "{jar}"\n')

    status = home.run("auth", "status", environ=environ)  # a failed check, as the other profiles are still checked
    assert status.code == 255, status.text
    assert "OK, logged in as importer" in status.out
    assert "Check . . . . . . . . : Client error: Profile repos: atlctl does not support gitlab yet." in status.out
    assert status.err == "Client error: 1 of 2 profile checks failed (repos): Profile repos: atlctl does not support gitlab yet.\n"
    doctor = home.run("auth", "doctor", environ=environ)
    assert doctor.code == 255, doctor.text
    assert "ok       dcjira: live check: logged in as importer with session authentication" in doctor.out
    assert "problem  repos: atlctl does not support gitlab yet: no server checks" in doctor.out
    for argv in (["switch", "repos"], ["logout", "repos"]):
        outcome = home.run("auth", *argv, environ=environ)
        assert outcome.code == 0, outcome.text
    login = home.run("auth", "login", "repos", "--password", "-", stdin=LITERAL + "\n", environ=environ)
    assert login.code == 255 and login.err == "Client error: Profile repos: atlctl does not support gitlab yet.\n"