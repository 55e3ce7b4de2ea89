"""The leak test of the credential commands: every `auth` and `config` command, with --debug, on
success and on failure, in-process and installed. tests.helpers checks each run's stdout and
stderr for every registered test secret (only `auth token` may print its own); here we also check
the config file, which must never hold a secret atlctl was given."""

import pytest

from tests.credentials.home import ACLI_SAMPLE, HANGING_KEYRING, new_token
from tests.e2e.conftest import CAROL_PASSWORD, CLOUD_TOKEN, DAVE_PASSWORD, _add_user
from tests.helpers import SECRETS, secret

WRONG = secret("leak-Wrong-Pw-0f0f0f")
IMPORTED = secret("Imp0rted-Adm1n-pw")


def assert_config_clean(home):
    text = home.config_file.read_text() if home.config_file.exists() else ""
    leaked = [s for s in SECRETS if s in text]
    assert not leaked, f"secret in the config file:\n{text}"


@pytest.mark.parametrize("runner", ["run", "run_installed"])
def test_every_command_keeps_every_secret(dc, home, runner):
    atlctl = getattr(home, runner)
    token = new_token(dc, "carol", CAROL_PASSWORD)
    _add_user(dc.jira, "importer", IMPORTED, admin=False)
    environ = {"SANDBOX": dc.url, "JIRA_PAT": token, "ALICE_PASSWORD": "alice"}
    steps = [
        # (argv, stdin, extra environment, expected exit code, the secret the step may print)
        (["auth", "login", "work", "--server", dc.jira, "--user", "dave", "--password", "-"], DAVE_PASSWORD, {}, 0, None),
        (["auth", "login", "pat", "--server", dc.jira, "--with-token"], token, {}, 0, None),
        (["auth", "login", "cloud", "--server", dc.jira_cloud, "--user", "admin@example.com", "--with-token"],
         CLOUD_TOKEN, {}, 0, None),
        (["auth", "login", "bad", "--server", dc.jira, "--user", "dave", "--password", "-"], WRONG, {}, 253, None),
        (["auth", "login", "hang", "--server", dc.jira, "--user", "dave", "--password", "-"], DAVE_PASSWORD,
         HANGING_KEYRING, 255, None),
        (["auth", "status"], "", {}, 0, None),
        (["auth", "status", "--output", "json"], "", {}, 0, None),
        (["auth", "status", "work"], "", {"ATLCTL_PASSWORD": WRONG}, 253, None),
        (["auth", "status", "--offline"], "", {}, 0, None),
        (["auth", "status", "--offline"], "", HANGING_KEYRING, 255, None),
        (["work", "getCurrentUser"], "", {}, 0, None),
        (["pat", "getIssue", "--issue", "DEMO-1"], "", {}, 0, None),
        (["cloud", "getIssue", "--issue", "DEMO-1"], "", {}, 0, None),
        (["pat", "renderRequest", "--request", "/secure/Dashboard.jspa"], "", {}, 255, None),
        (["auth", "doctor"], "", {}, 0, None),
        (["auth", "doctor", "--output", "json"], "", {"HTTPS_PROXY": "http://u:" + WRONG + "@proxy:3128"}, 0, None),
        (["auth", "doctor"], "", HANGING_KEYRING, 255, None),
        (["auth", "token", "pat"], "", {}, 0, token),
        (["auth", "token", "work"], "", {}, 0, DAVE_PASSWORD),
        (["auth", "switch", "pat"], "", {}, 0, None),
        (["config", "import-acli", ACLI_SAMPLE], "", {}, 0, None),
        (["dcjira", "getCurrentUser"], "", {}, 0, None),
        (["auth", "logout", "work"], "", {}, 0, None),
        (["auth", "logout", "pat"], "", HANGING_KEYRING, 255, None),
        (["auth", "logout", "pat"], "", {}, 0, None),
        (["auth", "status", "work"], "", {"CI": "true"}, 255, None),
    ]
    for argv, stdin, extra, code, reveals in steps:
        outcome = atlctl(*argv, "--debug", stdin=stdin + "\n" if stdin else "", environ={**environ, **extra},
                         reveals=(reveals,) if reveals else ())
        assert outcome.code == code, f"{argv}: {outcome.text}"
        if reveals:
            assert outcome.out == reveals + "\n"
        assert_config_clean(home)
