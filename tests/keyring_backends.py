"""Keyring backends for tests, chosen through keyring's own switch: PYTHON_KEYRING_BACKEND=
tests.keyring_backends.HangingKeyring (or keyrings.alt.file.PlaintextKeyring, a real file-based
backend, with XDG_DATA_HOME pointing at a temporary directory)."""

import threading

from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked


class HangingKeyring(KeyringBackend):
    """Never answers, like a Secret Service waiting for a desktop prompt on a headless machine."""

    priority = 0  # never chosen on its own

    def get_password(self, service, username):
        threading.Event().wait()

    def set_password(self, service, username, password):
        threading.Event().wait()

    def delete_password(self, service, username):
        threading.Event().wait()


class LockedKeyring(KeyringBackend):
    """Answers at once, but refuses: a keyring the user has not unlocked."""

    priority = 0

    def get_password(self, service, username):
        raise KeyringLocked("the collection is locked")

    def set_password(self, service, username, password):
        raise KeyringLocked("the collection is locked")

    def delete_password(self, service, username):
        raise KeyringLocked("the collection is locked")
