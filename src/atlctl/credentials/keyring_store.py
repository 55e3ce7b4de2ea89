"""The OS keyring (through the `keyring` package), where `atlctl auth login` keeps secrets.

Keyrings hang on headless machines (a D-Bus call nobody answers, a locked collection): every call,
including the import and backend discovery, runs in a daemon thread and is abandoned after a
timeout. Any failure to reach the keyring is a `KeyringUnavailable`, never mistaken for a missing
or wrong secret. `PYTHON_KEYRING_BACKEND` (keyring's own switch) is read from atlctl's environment,
so tests and users can pick a backend per invocation."""

from __future__ import annotations

import threading
from typing import Callable

from atlctl.environment import Environment
from atlctl.errors import ClientError, ParameterError

SERVICE = "atlctl"
TIMEOUT_ENV = "ATLCTL_KEYRING_TIMEOUT"
DEFAULT_TIMEOUT = 3.0


class KeyringUnavailable(ClientError):
    def __init__(self, reason: str):
        super().__init__(f"Keyring unavailable: {reason}")


def get(env: Environment, entry: str) -> str | None:
    """The secret stored under `entry`, or None if there is none."""
    return _call(env, lambda backend: backend.get_password(SERVICE, entry))


def put(env: Environment, entry: str, secret: str) -> None:
    _call(env, lambda backend: backend.set_password(SERVICE, entry, secret))


def delete(env: Environment, entry: str) -> bool:
    """Remove `entry`; False if there was nothing to remove."""

    def remove(backend):
        from keyring.errors import PasswordDeleteError

        try:
            backend.delete_password(SERVICE, entry)
            return True
        except PasswordDeleteError:
            return False

    return _call(env, remove)


def describe(env: Environment) -> str:
    """The backend in use, after checking that it answers (a read of an entry that never exists)."""

    def probe(backend):
        backend.get_password(SERVICE, "atlctl-doctor-probe")
        return f"{type(backend).__module__}.{type(backend).__name__}"

    return _call(env, probe)


def entry_words(env: Environment, entry: str) -> str:
    """How messages name a keyring entry: a plain-text backend (keyrings.alt) is named as such, so a
    secret is never said to be "in the keyring" when it sits unencrypted in a file."""
    where = f"service {SERVICE}, entry {entry}"
    try:
        backend = _call(env, lambda backend: f"{type(backend).__module__}.{type(backend).__name__}")
    except ClientError:  # unreachable: the operation that follows says so
        return f"keyring ({where})"
    if is_plaintext(backend):
        return f"plaintext keyring ({where}; {backend.rsplit('.', 1)[1]} of keyrings.alt, not encrypted)"
    return f"keyring ({where})"


def is_plaintext(backend_name: str) -> bool:
    """keyrings.alt's file backends keep secrets unencrypted (or with a weak, fixed key)."""
    return backend_name.startswith("keyrings.alt.file.")


def timeout(env: Environment) -> float:
    raw = env.environ.get(TIMEOUT_ENV)
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ParameterError(f"Invalid value '{raw}' for {TIMEOUT_ENV}: give a positive number of seconds, e.g. 3.")
    return value


def _call(env: Environment, operation: Callable):
    limit = timeout(env)
    box: dict = {}

    def work():
        try:
            box["value"] = operation(_backend(env))
        except BaseException as exc:  # handed to the caller's thread below
            box["error"] = exc

    thread = threading.Thread(target=work, name="atlctl-keyring", daemon=True)
    thread.start()
    thread.join(limit)
    if thread.is_alive():  # abandoned: the daemon thread dies with the process
        raise KeyringUnavailable(
            f"no answer within {limit:g} s (a locked keyring, or no desktop session to unlock it). "
            f"Raise {TIMEOUT_ENV} if it needs longer to unlock."
        )
    error = box.get("error")
    if error is None:
        return box["value"]
    if isinstance(error, KeyringUnavailable):
        raise error
    raise KeyringUnavailable(_reason(error)) from None


def _backend(env: Environment):
    import keyring
    import keyring.backends.fail
    import keyring.core

    name = env.environ.get("PYTHON_KEYRING_BACKEND")
    if name:
        try:
            backend = keyring.core.load_keyring(name)
        except Exception as exc:
            raise KeyringUnavailable(f"PYTHON_KEYRING_BACKEND={name} cannot be loaded ({exc.__class__.__name__}: {exc}).")
    else:
        backend = keyring.get_keyring()
    if isinstance(backend, keyring.backends.fail.Keyring):  # keyring found none viable, e.g. no D-Bus session
        raise KeyringUnavailable("no keyring backend is usable here (headless machine, container or CI?).")
    return backend


def _reason(error: BaseException) -> str:
    text = str(error).strip()
    return f"{error.__class__.__name__}" + (f": {text}" if text else "") + "."
