"""`atlctl auth doctor` against the sandbox: healthy profiles, the server's auth options (basic auth
disabled, PATs unsupported on an old version), an unavailable keyring, loose permissions, proxy
variables; never a secret, even with --debug."""

import json
import os

from tests.credentials.home import HANGING_KEYRING, new_token
from tests.e2e.conftest import CAROL_PASSWORD, CLOUD_TOKEN, DAVE_PASSWORD
from tests.helpers import secret


def login_all(dc, home):
    assert home.run("auth", "login", "work", "--server", dc.jira, "--user", "dave", "--password", "-",
                    stdin=DAVE_PASSWORD + "\n").code == 0
    token = new_token(dc, "carol", CAROL_PASSWORD)
    assert home.run("auth", "login", "pat", "--server", dc.jira, "--with-token", stdin=token + "\n").code == 0
    assert home.run("auth", "login", "cloud", "--server", dc.jira_cloud, "--user", "admin@example.com",
                    "--with-token", stdin=CLOUD_TOKEN + "\n").code == 0


def test_healthy(dc, home):
    login_all(dc, home)
    outcome = home.run("auth", "doctor", "--debug")
    assert outcome.code == 0, outcome.text
    lines = outcome.out.splitlines()
    for expected in [
        f"ok       config: {home.config_file}: 3 profile(s), readable by you alone",
        "warning  keyring: the backend keyrings.alt.file.PlaintextKeyring stores secrets unencrypted",
        "ok       work: password available from profile work: plaintext keyring (service atlctl, entry work; PlaintextKeyring of keyrings.alt, not encrypted) (not shown)",
        "ok       work: plain http:// to 127.0.0.1: loopback, nothing crosses the network",
        "ok       work: Jira Server/Data Center 9.12.4: personal access tokens supported",
        "ok       work: live check: logged in as dave with session authentication",
        "ok       work: basic authentication is enabled (--auth basic works)",
        "ok       pat: live check: logged in as carol with token authentication",
        "ok       cloud: live check: logged in as admin@example.com with basic authentication",
        "ok       work: reaches 127.0.0.1 directly",
    ]:
        assert expected in lines, expected
    assert any(line.startswith("ok       work: clock within ") for line in lines)
    assert any(line.startswith("ok       cloud: Jira Cloud ") for line in lines)


def test_basic_auth_disabled_on_the_server(dc, home):
    login_all(dc, home)
    dc.settings({"jira": {"basic_auth": False}})
    outcome = home.run("auth", "doctor", "work")
    assert outcome.code == 0, outcome.text  # a warning: the profile uses session authentication
    assert ("warning  work: basic authentication is disabled on this server: session authentication (the default "
            "with a password) and personal access tokens still work") in outcome.out
    home.run("auth", "logout", "work")
    home.write_config(home.config_file.read_text().replace('user = "dave"', 'user = "dave"\nauth = "basic"'))
    assert home.run("auth", "login", "work", "--password", "-", stdin=DAVE_PASSWORD + "\n").code == 253
    outcome = home.run("auth", "doctor", "work", environ={"ATLCTL_PASSWORD": DAVE_PASSWORD})
    assert outcome.code == 255 and "problem  work: live check failed: Remote error: Basic authentication is disabled" \
        in outcome.out


def test_pats_unsupported_on_an_old_version(dc, home):
    login_all(dc, home)
    dc.settings({"jira": {"version": "8.5.0"}})
    outcome = home.run("auth", "doctor")
    assert outcome.code == 255
    lines = outcome.out.splitlines()
    assert ("problem  pat: Jira 8.5.0 does not support personal access tokens (they need Jira 8.14): use a user "
            "and password") in lines
    assert "problem  pat: live check failed: Client error: Personal access tokens need Jira 8.14 or later; this " \
           "server runs Jira 8.5.0. Use --user and --password instead." in lines
    assert ("ok       work: Jira 8.5.0 does not support personal access tokens (they need Jira 8.14): use a user "
            "and password") in lines
    assert outcome.err.startswith("Client error: auth doctor found 2 problem(s); the first: pat: Jira 8.5.0")


def test_offline_makes_no_request(dc, home):
    login_all(dc, home)
    before = dc.stats()["requests_by_auth"]
    outcome = home.run("auth", "doctor", "--offline")
    assert outcome.code == 0, outcome.text
    assert dc.stats()["requests_by_auth"] == before
    assert "ok       pat: token available from profile pat: plaintext keyring (service atlctl, entry pat; PlaintextKeyring of keyrings.alt, not encrypted) (not shown)" in outcome.out


def test_unavailable_keyring(dc, home):
    login_all(dc, home)
    outcome = home.run("auth", "doctor", "--offline", environ=HANGING_KEYRING)
    assert outcome.code == 255
    assert ("problem  keyring: Keyring unavailable: no answer within 0.2 s (a locked keyring, or no desktop session "
            "to unlock it). Raise ATLCTL_KEYRING_TIMEOUT if it needs longer to unlock; profiles that keep their secret "
            "there: cloud, pat, work") in outcome.out
    assert "problem  work: Keyring unavailable" in outcome.out and "--insecure-storage" in outcome.out


def test_loose_config_and_proxy_variables(dc, home):
    login_all(dc, home)
    os.chmod(home.config_file, 0o644)
    outcome = home.run("auth", "doctor", "work", "--output", "json",
                       environ={"HTTPS_PROXY": "http://me:pr0xy-pass@proxy.example.com:3128"})
    findings = {(f["level"], f["topic"], f["text"]) for f in json.loads(outcome.out)}
    assert ("warning", "config", f"the config file {home.config_file} is accessible by other users (mode 644): run "
            f"chmod 600 {home.config_file}") in findings
    assert ("ok", "proxy", "HTTPS_PROXY=http://me:****@proxy.example.com:3128") in findings
    assert ("ok", "work", "reaches 127.0.0.1 directly") in findings  # loopback never goes through a proxy
    assert "pr0xy-pass" not in outcome.text


def test_unreachable_server(home):
    home.write_config('[profiles.gone]\nproduct = "jira"\nserver = "http://127.0.0.1:9"\n')
    outcome = home.run("auth", "doctor")
    assert outcome.code == 255 and "problem  gone: Cannot connect to http://127.0.0.1:9" in outcome.out
    assert "(connecting directly).\n" in outcome.out and "reaches" not in outcome.out  # not both at once


def test_a_secret_typed_into_a_config_others_can_read(home):
    password = secret("doc-Typed-Pw-9a9a")
    home.write_config(f'[profiles.work]\nproduct = "jira"\nserver = "http://127.0.0.1:9"\npassword = "{password}"\n',
                      mode=0o644)
    outcome = home.run("auth", "doctor", "--offline")
    assert outcome.code == 255
    assert ("problem  config: secrets written in plain text in the config file that other users can read "
            "(profiles.work.password): move them to the keyring with `atlctl auth login PROFILE`") in outcome.out
    os.chmod(home.config_file, 0o600)
    outcome = home.run("auth", "doctor", "--offline")
    assert outcome.code == 0 and "warning  config: secrets written in plain text in the config file (" in outcome.out
