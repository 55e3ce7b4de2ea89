"""The one precedence order: flag > env > profile's source > profile's keyring entry > prompt (on a
terminal, never in CI); and atlctl can always say where the secret in use came from."""

import pytest

from atlctl.credentials import keyring_store
from atlctl.credentials.profile import Profile
from atlctl.credentials.resolve import resolve
from atlctl.errors import ClientError, ParameterError
from tests.credentials.home import HANGING_KEYRING
from tests.helpers import secret

FLAG = secret("res-Flag-Pw-1111")
ENV = secret("res-Env-Pw-2222")
SOURCE = secret("res-Source-Pw-3333")
KEYRING = secret("res-Keyring-Pw-4444")
TYPED = secret("res-Typed-Pw-5555")

SERVER = {"server": "https://jira.example.com", "user": "alice"}
WITH_SOURCE = Profile("work", {**SERVER, "password": "env:WORK_PASSWORD"})
WITH_KEYRING = Profile("work", {**SERVER})  # no source named: the keyring entry of the profile


def secret_and_source(outcome):
    creds = outcome.credentials
    slot = "token" if creds.token else "password"
    return creds.token or creds.password, outcome.sources.get(slot)


@pytest.fixture
def stored(home):
    keyring_store.put(home.env(), "work", KEYRING)
    return home


@pytest.mark.parametrize("flags,environ,profile,expected", [
    ({"password": FLAG}, {"ATLCTL_PASSWORD": ENV, "WORK_PASSWORD": SOURCE}, WITH_SOURCE, (FLAG, "flag --password")),
    ({}, {"ATLCTL_PASSWORD": ENV, "WORK_PASSWORD": SOURCE}, WITH_SOURCE, (ENV, "env ATLCTL_PASSWORD")),
    ({}, {"WORK_PASSWORD": SOURCE}, WITH_SOURCE,
     (SOURCE, "profile work: environment variable WORK_PASSWORD")),
    ({}, {}, WITH_KEYRING, (KEYRING, "profile work: plaintext keyring (service atlctl, entry work; PlaintextKeyring of keyrings.alt, not encrypted)")),
    ({}, {"ATLCTL_TOKEN": ENV}, WITH_KEYRING, (ENV, "env ATLCTL_TOKEN")),  # env beats the keyring too
])
def test_precedence(stored, flags, environ, profile, expected):
    values = {**SERVER, **flags}
    assert secret_and_source(resolve(values, stored.env(environ), profile)) == expected


def test_stdin_is_a_flag(stored):
    outcome = resolve({**SERVER, "password": "-"}, stored.env({"ATLCTL_PASSWORD": ENV}, stdin=FLAG + "\n"), WITH_KEYRING)
    assert secret_and_source(outcome) == (FLAG, "stdin")


def test_a_flag_for_one_slot_silences_the_other_slots_variable(stored):
    outcome = resolve({**SERVER, "token": FLAG}, stored.env({"ATLCTL_PASSWORD": ENV}), None)
    assert outcome.credentials.password is None and outcome.credentials.token == FLAG


def test_prompt_only_on_a_terminal_and_only_when_the_action_needs_credentials(home):
    values = {**SERVER}
    outcome = resolve(values, home.env(stdin=TYPED + "\n", tty=True), None, ask=True)
    assert secret_and_source(outcome) == (TYPED, "prompt")
    assert resolve(values, home.env(stdin=TYPED + "\n", tty=True), None, ask=False).credentials.secret is None
    assert resolve(values, home.env(stdin=TYPED + "\n", tty=False), None, ask=True).credentials.secret is None
    ci = home.env({"CI": "true"}, stdin=TYPED + "\n", tty=True)
    assert resolve(values, ci, None, ask=True).credentials.secret is None


def test_the_prompt_is_on_stderr_and_says_for_whom(home):
    env = home.env(stdin=TYPED + "\n", tty=True)
    resolve({**SERVER, "deployment": "cloud"}, env, None, ask=True)
    assert env.stderr.getvalue() == "API token for alice at https://jira.example.com: "
    assert env.stdout.getvalue() == ""


def test_in_ci_a_missing_profile_secret_names_the_variable(home):
    with pytest.raises(ClientError) as failure:
        resolve({**SERVER}, home.env({"CI": "true"}, tty=True), WITH_KEYRING, ask=True)
    message = str(failure.value)
    assert message.startswith("No password for profile work: plaintext keyring (service atlctl, entry work; PlaintextKeyring of keyrings.alt, not encrypted) has none.")
    assert "Set ATLCTL_PASSWORD" in message and "never in CI" in message


def test_on_a_terminal_a_missing_profile_secret_is_asked_for(home):
    notes = []
    env = home.env(stdin=TYPED + "\n", tty=True)
    outcome = resolve({**SERVER}, env, WITH_KEYRING, ask=True, warn=notes.append)
    assert secret_and_source(outcome) == (TYPED, "prompt")
    assert notes == ["Note: No password for profile work: plaintext keyring (service atlctl, entry work; PlaintextKeyring of keyrings.alt, not encrypted) has none."]


def test_an_unavailable_keyring_is_reported_as_such(home):
    with pytest.raises(ClientError) as failure:
        resolve({**SERVER}, home.env(HANGING_KEYRING), WITH_KEYRING, ask=True)
    message = str(failure.value)
    assert message.startswith("Keyring unavailable: no answer within 0.2 s")
    assert "Set ATLCTL_PASSWORD" in message and "--insecure-storage" in message
    assert "invalid" not in message.lower() and "wrong" not in message.lower()


def test_with_a_saved_session_the_profile_password_is_optional(home):
    outcome = resolve({**SERVER, "login": "JSESSION-abc"}, home.env(), WITH_KEYRING, ask=True)
    assert outcome.credentials.session == "JSESSION-abc" and outcome.credentials.password is None


def test_a_token_profile_fills_the_token_slot(home):
    keyring_store.put(home.env(), "pat", KEYRING)
    outcome = resolve({"server": "https://jira.example.com"}, home.env(), Profile("pat", {"token": "keyring"}))
    assert outcome.credentials.token == KEYRING and outcome.credentials.password is None


def test_a_profile_without_user_or_source_is_anonymous(home):
    outcome = resolve({"server": "https://jira.example.com"}, home.env(), Profile("anon", {}), ask=True)
    assert outcome.credentials.secret is None


def test_only_one_secret_from_stdin(home):
    with pytest.raises(ParameterError, match="Only one secret"):
        resolve({"password": "-", "token": "-"}, home.env(), None)


@pytest.mark.parametrize("flags,environ,stdin", [
    ({"password": f" {FLAG}\r"}, {}, ""),
    ({"password": "-"}, {}, f"{FLAG}\r\n"),
    ({}, {"ATLCTL_PASSWORD": f"{FLAG}\r\n"}, ""),  # `export ATLCTL_PASSWORD=$(cat crlf-file)`
    ({}, {"WORK_PASSWORD": f"\t{FLAG} \r"}, ""),
])
def test_surrounding_whitespace_is_stripped_from_every_source(home, flags, environ, stdin):
    outcome = resolve({**SERVER, **flags}, home.env(environ, stdin=stdin), WITH_SOURCE)
    assert outcome.credentials.password == FLAG


def test_surrounding_whitespace_is_stripped_from_the_keyring_and_the_prompt(stored):
    keyring_store.put(stored.env(), "work", f"{KEYRING}\r\n")
    assert resolve({**SERVER}, stored.env(), WITH_KEYRING).credentials.password == KEYRING
    outcome = resolve({**SERVER}, stored.env(stdin=f" {TYPED}\r\n", tty=True), None, ask=True)
    assert outcome.credentials.password == TYPED


@pytest.mark.parametrize("flags,environ,where", [
    ({"password": f"{FLAG}\x07x"}, {}, "flag --password"),
    ({}, {"ATLCTL_PASSWORD": f"{FLAG}\r\nx"}, "env ATLCTL_PASSWORD"),
    ({}, {"WORK_PASSWORD": f"{FLAG}\x1bx"}, "profile work: environment variable WORK_PASSWORD"),
])
def test_a_secret_with_a_control_character_is_refused_without_showing_it(home, flags, environ, where):
    with pytest.raises(ClientError) as failure:
        resolve({**SERVER, **flags}, home.env(environ), WITH_SOURCE)
    message = str(failure.value)
    assert message.startswith(f"The secret from {where} contains a control character (U+")
    assert FLAG not in message and "\n" not in message


def test_a_secret_from_stdin_on_a_terminal_is_read_with_the_hidden_prompt(home):
    env = home.env(stdin=TYPED + "\n", tty=True)
    outcome = resolve({**SERVER, "password": "-"}, env, None)
    assert secret_and_source(outcome) == (TYPED, "stdin")
    assert env.stderr.getvalue() == "Password for alice at https://jira.example.com: "
