"""The opt-in plain-text secret store (`--insecure-storage`), for machines without a usable keyring:
one JSON file, mode 0600, in a directory of its own, mode 0700, next to the config file. Anyone who
can read it (root, a backup, a stolen disk) has the secrets, which `auth status` says plainly."""

from __future__ import annotations

import json
import os

from atlctl.credentials.permissions import warning
from atlctl.environment import Environment
from atlctl.errors import ClientError
from atlctl.files import private_dirs, write_private

FILE_NAME = "insecure-storage.json"


def path(env: Environment) -> str:
    return os.path.join(env.config_dir, "secrets", FILE_NAME)


def get(env: Environment, entry: str) -> str | None:
    return _read(env).get(entry)


def put(env: Environment, entry: str, secret: str) -> None:
    secrets = _read(env)
    secrets[entry] = secret
    _write(env, secrets)


def delete(env: Environment, entry: str) -> bool:
    secrets = _read(env)
    if entry not in secrets:
        return False
    del secrets[entry]
    _write(env, secrets)
    return True


def warnings(env: Environment) -> list[str]:
    """Loose permissions on the file or its directory."""
    found = (warning(os.path.dirname(path(env)), "directory of the insecure secret store", "700"),
             warning(path(env), "insecure secret store (plain text)"))
    return [w for w in found if w]


def _read(env: Environment) -> dict[str, str]:
    try:
        with open(path(env), encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ClientError(f"Cannot read the insecure secret store {path(env)}: {exc.__class__.__name__}. "
                          "Fix or remove the file (atlctl does not overwrite it).") from None
    secrets = data.get("secrets") if isinstance(data, dict) else None
    if not isinstance(secrets, dict):
        raise ClientError(f"The insecure secret store {path(env)} is not in atlctl's format. "
                          "Fix or remove the file (atlctl does not overwrite it).")
    return secrets


def _write(env: Environment, secrets: dict[str, str]) -> None:
    directory = os.path.dirname(path(env))
    private_dirs(directory)
    os.chmod(directory, 0o700)  # also when it existed with looser permissions
    write_private(path(env), json.dumps({"version": 1, "secrets": secrets}, indent=2) + "\n")
