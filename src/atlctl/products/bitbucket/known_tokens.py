"""What atlctl knows about access tokens it created (addAccessToken): their name, permissions and
scope, so that a refusal can say what the token has (Bitbucket's 401 does not). Kept in the config
directory as SHA-256 digests of the tokens, never the tokens themselves."""

from __future__ import annotations

import base64
import hashlib
import json
import os

from atlctl.files import write_private

FILE = "bitbucket-tokens.json"


def _path(env) -> str:
    return os.path.join(env.config_dir, FILE)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _read(env) -> dict:
    try:
        with open(_path(env), encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remember(env, raw: str, name, permissions: list[str], scope: str | None) -> None:
    data = _read(env)
    data[_digest(raw)] = {"name": name, "permissions": list(permissions), "scope": scope}
    try:
        os.makedirs(env.config_dir, exist_ok=True)
        write_private(_path(env), json.dumps(data, indent=1))
    except OSError:
        pass  # only a better message later is lost


def lookup(env, conn) -> dict | None:
    """What atlctl recorded about the token this connection sends (as Bearer or the basic password)."""
    header = getattr(conn.auth, "_header", "")
    scheme, _, value = header.partition(" ")
    if scheme == "Basic":
        try:
            value = base64.b64decode(value).decode().partition(":")[2]
        except ValueError:
            return None
    found = _read(env).get(_digest(value)) if value else None
    return found if isinstance(found, dict) and isinstance(found.get("permissions"), list) else None
