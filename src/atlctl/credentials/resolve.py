"""Where each secret comes from, in one documented order; the first step that yields one wins:

    1. flags: --password / --token (a value, or '-' to read it from standard input)
    2. environment: ATLCTL_PASSWORD / ATLCTL_TOKEN
    3. the profile's source: `password = "..."` or `token = "..."` in the config file
    4. the profile's keyring entry, when the profile names no source
    5. a hidden prompt, only with a terminal on stdin and not in CI

The step is remembered, so atlctl can always say where the secret in use came from. Whatever the
step, the secret goes through clean_secret(), the one check before a secret can reach a request."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, NamedTuple

from atlctl.environment import Environment
from atlctl.errors import ClientError, ParameterError

if TYPE_CHECKING:  # profiles are loaded only when one is in use
    from atlctl.credentials.profile import Profile

SECRET_ENV = {"password": "ATLCTL_PASSWORD", "token": "ATLCTL_TOKEN"}
CLIENT_SECRET_ENV = "ATLCTL_CLIENT_SECRET"
GRANT = ".oauth"  # the keyring entry PROFILE.oauth: an OAuth 2.0 (3LO) login's tokens (auth login --web)
CLIENT_SECRET = ".client-secret"  # the keyring entry PROFILE.client-secret, when the profile has a client-id
SLOTS = ("password", "token")
USER_FLAG = "flag --user"  # sources["user"] of a user given as --user (else "profile NAME")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class Credentials(NamedTuple):
    user: str | None = None
    password: str | None = None
    token: str | None = None
    session: str | None = None  # a session id from --login or a cookie file
    client_id: str | None = None  # OAuth 2.0 (Atlassian Cloud): a service account's or an app's client
    client_secret: str | None = None
    grant: str | None = None  # an OAuth 2.0 (3LO) login's tokens, as JSON (credentials/oauth_grant.py)

    @property
    def secret(self) -> str | None:
        return self.token or self.password


def clean_secret(value: str | None, where: str) -> str | None:
    """The secret without surrounding whitespace (`$(cat file)` of a CRLF file leaves a `\\r`), or
    None if nothing is left. A control character inside is refused here, before it can reach an HTTP
    header (whose error would quote it). `where` names the source ("flag --password", ...)."""
    value = (value or "").strip()
    if any("\udc80" <= c <= "\udcff" for c in value):  # bytes that were not UTF-8 (argv, environment)
        raise ClientError(f"The secret from {where} is not valid UTF-8 text: atlctl does not send it. Check its "
                          "encoding (a secret typed in a non-UTF-8 terminal or file).")
    bad = CONTROL.search(value)
    if bad:
        raise ClientError(f"The secret from {where} contains a control character (U+{ord(bad[0]):04X}): atlctl "
                          "does not send it. Remove the character from the secret.")
    return value or None


class Resolved(NamedTuple):
    credentials: Credentials
    sources: dict[str, str]  # "password" -> "flag --password", "env ATLCTL_PASSWORD", ...


def resolve(values: dict, env: Environment, profile: Profile | None = None, *, ask: bool = False,
            warn: Callable[[str], None] = lambda line: None) -> Resolved:
    """`ask`: the action needs credentials, so prompting is allowed (when interactive)."""
    from_stdin = [name for name in ("password", "token", "login", "client-secret") if values.get(name) == "-"]
    if len(from_stdin) > 1:
        raise ParameterError(f"Only one secret can come from standard input ('-'), not {' and '.join(from_stdin)}.")
    sources: dict[str, str] = {}
    session = _flag(values, "login", env, sources)
    secrets = {slot: _flag(values, slot, env, sources) for slot in SLOTS}
    if not any(secrets.values()):
        secrets = {slot: _variable(slot, env, sources) for slot in SLOTS}
    if not any(secrets.values()) and profile is not None:
        secrets = _from_profile(profile, env, sources, warn, optional=bool(session), can_prompt=ask)
    user = values.get("user") or None
    slot = profile.slot if profile else ("token" if values.get("auth") == "token" else "password")
    if not any(secrets.values()) and not session and ask and env.interactive and (user or slot == "token"):
        secrets = {slot: _prompt(slot, values, env, sources)}
    if user:
        sources["user"] = f"profile {profile.name}" if profile and values.get("user") == profile.data.get("user") else USER_FLAG
    client_id = values.get("client-id") or None
    client_secret = _client_secret(values, env, profile, sources, warn) if client_id else None
    grant = _stored(profile, "oauth", GRANT, env, sources, warn) if profile and profile.data.get("oauth") else None
    return Resolved(Credentials(user, secrets.get("password"), secrets.get("token"), session, client_id, client_secret,
                                grant), sources)


def _client_secret(values: dict, env: Environment, profile, sources: dict, warn) -> str | None:
    """--client-secret, else ATLCTL_CLIENT_SECRET, else the profile's `client-secret` source (by default
    its keyring entry PROFILE.client-secret)."""
    secret = _flag(values, "client-secret", env, sources)
    if secret:
        return secret
    secret = clean_secret(env.environ.get(CLIENT_SECRET_ENV), f"env {CLIENT_SECRET_ENV}")
    if secret:
        sources["client-secret"] = f"env {CLIENT_SECRET_ENV}"
        return secret
    return _stored(profile, "client-secret", CLIENT_SECRET, env, sources, warn) if profile else None


def stored_source(profile: Profile, key: str, suffix: str):
    """Where a profile's `key` secret is: the source it names, "keyring" (or nothing) and
    "insecure-storage" meaning that store's entry PROFILE + suffix."""
    from atlctl.credentials.sources import INSECURE, KEYRING, Source, parse

    spec = profile.data.get(key)
    if spec in (None, KEYRING, INSECURE):
        return Source(spec or KEYRING, profile.name + suffix)
    return parse(str(spec), profile.name)


def _stored(profile: Profile, key: str, suffix: str, env: Environment, sources: dict, warn) -> str | None:
    """A profile's secret other than its password or token: the source its `key` names ("keyring" meaning
    the entry PROFILE + suffix), None if it holds none."""
    source = stored_source(profile, key, suffix)
    where = f"profile {profile.name}: {source.describe(env)}"
    value = clean_secret(source.read(env, warn), where)
    if value:
        sources[key] = where
    return value


def _flag(values: dict, name: str, env: Environment, sources: dict) -> str | None:
    given = values.get(name)
    if not given:
        return None
    where = "stdin" if given == "-" else f"flag --{name}"
    value = clean_secret(_stdin(name, values, env) if given == "-" else given, where)
    if value:
        sources[name] = where
    elif given == "-":
        raise ParameterError(f"Expected the {name} on standard input ('--{name} -'), got nothing.")
    return value


def _stdin(name: str, values: dict, env: Environment) -> str:
    """`--{name} -`: on a terminal the user types it, so without echo; else the first line piped in."""
    if env.stdin_isatty:
        return env.read_secret(_prompt_text(name, values))
    return env.stdin.readline()


def _variable(slot: str, env: Environment, sources: dict) -> str | None:
    where = f"env {SECRET_ENV[slot]}"
    value = clean_secret(env.environ.get(SECRET_ENV[slot]), where)
    if value:
        sources[slot] = where
    return value


def _from_profile(profile: Profile, env: Environment, sources: dict, warn, *, optional: bool, can_prompt: bool) -> dict:
    """`optional`: a --login session is given, so the password would only renew it."""
    from atlctl.credentials.keyring_store import KeyringUnavailable
    from atlctl.credentials.sources import SourceError

    source = profile.source()
    if source is None:
        return {}
    slot, login = profile.slot, f"`atlctl auth login {profile.name}`"
    fix = f", or store one with {login}" if source.writable else ""
    where = f"profile {profile.name}: {source.describe(env)}"
    try:
        secret = clean_secret(source.read(env, warn), where)
        problem = None if secret else f"No {slot} for profile {profile.name}: {source.describe(env)} has none."
    except KeyringUnavailable as exc:  # reported as what it is, never as a wrong secret
        secret, problem = None, str(exc)
        fix = f", or keep it in a plain-text file with {login[:-1]} --insecure-storage`"
    except SourceError as exc:
        secret, problem = None, str(exc)
    if secret:
        sources[slot] = where
        return {slot: secret}
    if optional:
        return {}
    if can_prompt and env.interactive:
        warn(f"Note: {problem}")
        return {}
    raise ClientError(f"{problem} Set {SECRET_ENV[slot]} to give the {slot} another way{fix} "
                      "(atlctl prompts only on a terminal, never in CI).")


def _prompt(slot: str, values: dict, env: Environment, sources: dict) -> str:
    secret = clean_secret(env.read_secret(_prompt_text(slot, values)), "prompt")
    if not secret:
        raise ParameterError(f"No {_label(slot, values).lower()} given.")
    sources[slot] = "prompt"
    return secret


def _prompt_text(name: str, values: dict) -> str:
    user = values.get("user")
    return f"{_label(name, values)}{f' for {user}' if user else ''} at {values.get('server')}: "


def _label(name: str, values: dict) -> str:
    if name == "login":
        return "Session id"
    if name == "token":
        return "Personal access token"
    return "API token" if values.get("deployment") == "cloud" else "Password"
