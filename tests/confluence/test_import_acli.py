"""`config import-acli` entries for the confluence and confluencecloud clients become profiles that
work against the sandbox (the secrets move to the keyring)."""

from atlctl.credentials import keyring_store
from tests.confluence.conftest import ALICE_TOKEN, ERIN_PASSWORD
from tests.credentials.home import home  # noqa: F401  (the fixture)


def test_confluence_entries_become_working_profiles(cf, home, tmp_path):  # noqa: F811
    acli = tmp_path / "acli.properties"
    acli.write_text(f'wiki = confluence -s ${{SANDBOX}}/confluence -u erin -p "{ERIN_PASSWORD}"\n'
                    "cloudwiki = confluencecloud --server ${SANDBOX}/cloud/wiki --user alice@example.com "
                    "--token ${env:WIKI_TOKEN}\n")
    environ = {"SANDBOX": cf.url, "WIKI_TOKEN": ALICE_TOKEN}
    imported = home.run("config", "import-acli", acli, environ=environ)
    assert imported.code == 0, imported.text
    assert imported.out.splitlines()[0] == f"Imported 2 of 2 entries from {acli} into {home.config_file}."
    assert ERIN_PASSWORD not in home.config_file.read_text() and keyring_store.get(home.env(), "wiki") == ERIN_PASSWORD
    dc = home.run("wiki", "getSpace", "--space", "DEMO", environ=environ)
    assert dc.code == 0 and "Name  . . . . . . . . : Demo" in dc.out, dc.text
    cloud = home.run("cloudwiki", "getCurrentUser", environ=environ)
    assert cloud.code == 0 and "alice@example.com" in cloud.out, cloud.text


def test_auth_status_and_doctor_name_the_user(cf, home, tmp_path):  # noqa: F811
    """The live check names the user from getCurrentUser's @userId@ when the answer has no Jira-style
    field for it (Confluence's user/current has username, or email and accountId on Cloud)."""
    acli = tmp_path / "acli.properties"
    acli.write_text(f'wiki = confluence -s ${{SANDBOX}}/confluence -u erin -p "{ERIN_PASSWORD}"\n'
                    "cloudwiki = confluencecloud --server ${SANDBOX}/cloud/wiki --user alice@example.com "
                    "--token ${env:WIKI_TOKEN}\n")
    environ = {"SANDBOX": cf.url, "WIKI_TOKEN": ALICE_TOKEN}
    assert home.run("config", "import-acli", acli, environ=environ).code == 0
    status = home.run("auth", "status", environ=environ)
    assert status.code == 0, status.text
    assert "Check . . . . . . . . : OK, logged in as erin\n" in status.out
    assert "OK, logged in as alice@example.com" in status.out
    doctor = home.run("auth", "doctor", environ=environ)
    assert doctor.code == 0, doctor.text
    assert "ok       wiki: live check: logged in as erin with session authentication" in doctor.out
    assert "ok       cloudwiki: live check: logged in as alice@example.com with basic authentication" in doctor.out
