"""The OS keyring through `keyring`: a real file backend, and backends that hang, refuse or are
missing, which must all read as "keyring unavailable" (never as a missing or wrong secret)."""

import pytest

from atlctl.credentials import keyring_store
from atlctl.credentials.keyring_store import KeyringUnavailable
from atlctl.errors import ParameterError
from tests.credentials.home import HANGING_KEYRING, LOCKED_KEYRING
from tests.helpers import secret

TOKEN = secret("kr-Tok3n-0a1b2c3d4e")


def test_round_trip_through_a_real_file_backend(home):
    env = home.env()
    assert keyring_store.get(env, "myjira") is None
    keyring_store.put(env, "myjira", TOKEN)
    assert keyring_store.get(env, "myjira") == TOKEN
    assert "[atlctl]" in home.keyring_file.read_text()  # stored under atlctl's service, in the test's directory
    assert keyring_store.delete(env, "myjira") is True
    assert keyring_store.get(env, "myjira") is None
    assert keyring_store.delete(env, "myjira") is False


@pytest.mark.parametrize("call", [
    lambda env: keyring_store.get(env, "p"),
    lambda env: keyring_store.put(env, "p", TOKEN),
    lambda env: keyring_store.delete(env, "p"),
    keyring_store.describe,
])
def test_every_call_to_a_hanging_keyring_times_out(home, call):
    with pytest.raises(KeyringUnavailable, match=r"Keyring unavailable: no answer within 0.2 s"):
        call(home.env(HANGING_KEYRING))


def test_a_locked_keyring_is_unavailable_not_empty(home):
    with pytest.raises(KeyringUnavailable, match="KeyringLocked: the collection is locked"):
        keyring_store.get(home.env(LOCKED_KEYRING), "p")


def test_no_usable_backend(home):
    with pytest.raises(KeyringUnavailable, match="no keyring backend is usable here"):
        keyring_store.get(home.env({"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}), "p")


def test_a_backend_that_cannot_be_loaded(home):
    with pytest.raises(KeyringUnavailable, match="PYTHON_KEYRING_BACKEND=no.such.Backend cannot be loaded"):
        keyring_store.get(home.env({"PYTHON_KEYRING_BACKEND": "no.such.Backend"}), "p")


@pytest.mark.parametrize("value", ["0", "-1", "soon"])
def test_the_timeout_must_be_a_positive_number(home, value):
    with pytest.raises(ParameterError, match="ATLCTL_KEYRING_TIMEOUT"):
        keyring_store.get(home.env({"ATLCTL_KEYRING_TIMEOUT": value}), "p")


def test_describe_names_the_backend_and_flags_plaintext_ones(home):
    backend = keyring_store.describe(home.env())
    assert backend == "keyrings.alt.file.PlaintextKeyring"
    assert keyring_store.is_plaintext(backend)
    assert not keyring_store.is_plaintext("keyring.backends.macOS.Keyring")


def test_the_plaintext_keyring_is_named_as_such(home):  # issue 16
    words = keyring_store.entry_words(home.env(), "work")
    assert words == "plaintext keyring (service atlctl, entry work; PlaintextKeyring of keyrings.alt, not encrypted)"
    assert keyring_store.entry_words(home.env(LOCKED_KEYRING), "work") == "keyring (service atlctl, entry work)"
