"""The opt-in plain-text store: 0600 file in a 0700 directory, never overwritten when unreadable."""

import json
import os
import stat

import pytest

from atlctl.credentials import insecure_store
from atlctl.errors import ClientError
from tests.helpers import secret

PASSWORD = secret("ins-Pw-3c4d5e6f")


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_file_0600_in_a_0700_directory_even_if_the_directory_was_loose(home):
    env = home.env()
    home.insecure_file.parent.mkdir(parents=True, mode=0o755)
    os.chmod(home.insecure_file.parent, 0o755)
    insecure_store.put(env, "p", PASSWORD)
    assert mode(home.insecure_file) == 0o600 and mode(home.insecure_file.parent) == 0o700
    assert insecure_store.warnings(env) == []
    assert insecure_store.get(env, "p") == PASSWORD


def test_loose_permissions_are_reported(home):
    env = home.env()
    insecure_store.put(env, "p", PASSWORD)
    os.chmod(home.insecure_file, 0o644)
    assert insecure_store.warnings(env) == [
        f"Warning: insecure secret store (plain text) {home.insecure_file} is accessible by other users (mode 644): "
        f"run chmod 600 {home.insecure_file}"]


def test_an_unreadable_store_is_reported_and_left_alone(home):
    env = home.env()
    home.insecure_file.parent.mkdir(parents=True)
    home.insecure_file.write_text("{not json")
    with pytest.raises(ClientError, match="atlctl does not overwrite it"):
        insecure_store.put(env, "p", PASSWORD)
    assert home.insecure_file.read_text() == "{not json"


def test_delete(home):
    env = home.env()
    insecure_store.put(env, "a", PASSWORD)
    insecure_store.put(env, "b", "other-secret")
    assert insecure_store.delete(env, "a") is True
    assert insecure_store.delete(env, "a") is False
    assert json.loads(home.insecure_file.read_text())["secrets"] == {"b": "other-secret"}
