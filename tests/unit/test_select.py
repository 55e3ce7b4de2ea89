"""The scheme-selection table (auth/select.py), one row per line of the authentication matrix in
DEVELOPERS.md. No network: selection happens before any request."""

import pytest

from atlctl.auth import select
from atlctl.credentials.resolve import Credentials
from atlctl.errors import ClientError, ParameterError
from atlctl.products.atlassian import TOKEN_REFUSED
from atlctl.products.base import WEB_SESSION
from atlctl.products.registry import product


def choose(name, deployment, version, creds, requested="auto", web_session=False):
    """This table is the oracle: Jira's declared rows must choose what it says."""
    return select.choose(product(name), deployment, version, creds, requested,
                         needs={WEB_SESSION} if web_session else frozenset())

PW = Credentials(user="admin", password="pw")
PAT = Credentials(token="pat")
CLOUD = Credentials(user="admin@example.com", token="api")
CLOUD_PW_SLOT = Credentials(user="admin@example.com", password="api")
NOTHING = Credentials()

ROWS = [
    # deployment, version, credentials, --auth, expected scheme
    ("server", (9, 12, 4), PW, "auto", "session"),  # default with automatic login
    ("server", (9, 12, 4), PW, "session", "session"),
    ("server", (9, 12, 4), PW, "basic", "basic"),
    ("server", (9, 12, 4), PAT, "auto", "token"),  # PAT as Bearer
    ("server", (8, 14, 0), PAT, "token", "token"),  # first version with PATs
    ("server", None, Credentials(session="abc"), "auto", "session"),  # --login TOKEN, no password
    ("server", None, Credentials(user="admin", password="pw", session="abc"), "auto", "session"),
    ("cloud", None, CLOUD, "auto", "basic"),  # email + API token as basic
    ("cloud", None, CLOUD_PW_SLOT, "auto", "basic"),  # the API token may come as --password
    ("cloud", None, CLOUD, "basic", "basic"),
    ("cloud", None, CLOUD, "token", "basic"),  # Cloud API tokens always travel as basic
]


@pytest.mark.parametrize("deployment,version,creds,requested,scheme", ROWS)
def test_selection_row(deployment, version, creds, requested, scheme):
    choice = choose("jira", deployment, version, creds, requested)
    assert choice.scheme == scheme


def test_cloud_basic_sends_email_and_token():
    choice = choose("jira", "cloud", None, CLOUD, "auto")
    assert (choice.user, choice.secret) == ("admin@example.com", "api")


FAILURES = [
    # deployment, version, credentials, --auth, error type, words the message must contain
    ("server", (8, 13, 0), PAT, "auto", ClientError, ["8.14", "8.13.0", "--user and --password"]),
    ("server", (9, 12, 4), Credentials(user="admin", password="pw", token="pat"), "auto", ParameterError, ["either --password or --token"]),
    ("server", (9, 12, 4), Credentials(user="admin"), "auto", ParameterError, ["Missing password", "ATLCTL_PASSWORD"]),
    ("server", (9, 12, 4), Credentials(user="admin", token="pat"), "basic", ParameterError, ["--auth token"]),
    ("server", (9, 12, 4), PW, "token", ParameterError, ["--token"]),
    ("server", (9, 12, 4), PAT, "session", ParameterError, ["--user and --password"]),
    ("cloud", None, Credentials(user="admin", token="api"), "auto", ClientError, ["account email", "not an email", "id.atlassian.com"]),
    ("cloud", None, Credentials(token="api"), "auto", ClientError, ["account email"]),
    ("cloud", None, CLOUD, "session", ClientError, ["Session login is not available on Jira Cloud"]),
    ("cloud", None, Credentials(session="abc"), "auto", ClientError, ["not available on Jira Cloud"]),
    ("cloud", None, Credentials(user="admin@example.com"), "auto", ParameterError, ["Missing API token"]),
]


@pytest.mark.parametrize("deployment,version,creds,requested,error,words", FAILURES)
def test_selection_failure_row(deployment, version, creds, requested, error, words):
    with pytest.raises(error) as caught:
        choose("jira", deployment, version, creds, requested)
    for word in words:
        assert word in str(caught.value)


@pytest.mark.parametrize("deployment", ["server", "cloud"])
def test_no_credentials_at_all(deployment):
    with pytest.raises(ParameterError, match="needs credentials"):
        choose("jira", deployment, (9, 12, 4), NOTHING, "auto")


def test_web_session_refused_with_token():
    with pytest.raises(ClientError) as caught:
        choose("jira", "server", (9, 12, 4), PAT, "auto", web_session=True)
    assert str(caught.value) == TOKEN_REFUSED


def test_web_session_refused_on_cloud():
    with pytest.raises(ClientError, match="web session"):
        choose("jira", "cloud", None, CLOUD, "auto", web_session=True)


def test_web_session_upgrades_basic_to_session():
    assert choose("jira", "server", (9, 12, 4), PW, "basic", web_session=True).scheme == "session"


@pytest.mark.parametrize("given, creds, matches", [
    ("email + password", Credentials("alice@example.com", "pw"), True),
    ("email + password", Credentials("alice@example.com", token="api"), False),  # a token is not a password
    ("email + password", Credentials("alice@example.com", "pw", "api"), False),
    ("email + password", Credentials("alice", "pw"), False),  # a user name, not an email
    ("user name + secret", Credentials("alice", "pw"), True),
    ("user name + secret", Credentials("alice", token="api"), True),
    ("user name + secret", Credentials("alice@example.com", "pw"), False),
    ("user name + secret", Credentials(token="api"), False),  # a secret with no user at all
    ("user name + secret", Credentials("alice"), False),
])
def test_given_conditions_tell_email_from_user_name(given, creds, matches):
    test, example = select.GIVEN[given]
    assert test(creds) is matches
    assert test(example)
