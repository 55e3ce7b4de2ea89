"""`atlctl auth doctor`: what commonly breaks authentication, checked and explained, without
printing a secret: the config file and its permissions, the keyring, the plain-text store, proxy
variables, and per profile the secret's source, TLS trust, clock skew against the server's `Date`,
the server's authentication options (basic auth disabled, personal access tokens unsupported on
this version) and a live check. Problems make the exit code 255; warnings do not."""

from __future__ import annotations

import email.utils
import json
import os
import re
import time
import urllib.request
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from atlctl.cli.commands import Run
from atlctl.cli.profiles import learn, profile_values, select_profile, unsupported, verify
from atlctl.credentials import insecure_store, keyring_store
from atlctl.credentials.config import Config
from atlctl.credentials.profile import Profile
from atlctl.credentials.resolve import resolve
from atlctl.credentials.sources import KEYRING
from atlctl.errors import AtlctlError, ClientError, clause
from atlctl.products import registry as products

OK, WARNING, PROBLEM = "ok", "warning", "problem"
SKEW_WARNING = 300  # seconds: beyond this, token expiry and certificate validity checks can go wrong
PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY")
PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
SCHEME_NAMES = {"token": "personal access tokens", "basic": "basic authentication", "session": "session login"}


@dataclass
class Finding:
    level: str
    topic: str
    text: str


def doctor(run: Run) -> int:
    findings: list[Finding] = []
    note = lambda level, topic, text: findings.append(Finding(level, topic, text))  # noqa: E731
    config = _config(run, note)
    profiles = [] if config is None else (
        [select_profile(run, config)] if run["profile"] else [config.profiles[n] for n in sorted(config.profiles)])
    _keyring(run, profiles, note)
    _insecure_store(run, note)
    _proxies(run, note)
    for profile in profiles:
        _profile(run, profile, lambda level, text, p=profile.name: note(level, p, text))
    if run["output"] == "json":
        run.console.result(json.dumps([asdict(f) for f in findings], indent=2))
    else:
        run.console.result("\n".join(f"{f.level:<8} {f.topic}: {f.text}" for f in findings))
    problems = [f for f in findings if f.level == PROBLEM]
    if problems:
        raise ClientError(f"auth doctor found {len(problems)} problem(s); the first: {problems[0].topic}: "
                          f"{problems[0].text}")
    return 0


def _config(run: Run, note) -> Config | None:
    path = run.env.config_file
    try:
        config = Config.load(run.env)
    except AtlctlError as exc:
        note(PROBLEM, "config", str(exc))
        return None
    if config.text is None:
        note(OK, "config", f"no config file yet at {path} (`atlctl auth login` creates it)")
        return config
    if config.loose_mode is None:
        note(OK, "config", f"{path}: {len(config.profiles)} profile(s), readable by you alone")
    for line in config.warnings:  # loose permissions, unknown keys
        note(WARNING, "config", line.removeprefix("Warning: "))
    if config.plaintext:
        readable = " that other users can read" if config.loose_mode else ""
        note(PROBLEM if readable else WARNING, "config", f"secrets written in plain text in the config file{readable} "
             f"({', '.join(config.plaintext)}): move them to the keyring with `atlctl auth login PROFILE`")
    return config


def _keyring(run: Run, profiles: list[Profile], note) -> None:
    users = [p.name for p in profiles if _keeps_secret_in_keyring(p)]
    try:
        backend = keyring_store.describe(run.env)
    except AtlctlError as exc:
        needed = f"; profiles that keep their secret there: {', '.join(users)}" if users else "; no profile needs it"
        note(PROBLEM if users else WARNING, "keyring", f"{clause(exc)}{needed}. Without a keyring, log in with "
             "--insecure-storage, or give secrets through ATLCTL_PASSWORD / ATLCTL_TOKEN or a file:/command: source")
        return
    if keyring_store.is_plaintext(backend):
        note(WARNING, "keyring", f"the backend {backend} stores secrets unencrypted")
    else:
        note(OK, "keyring", f"{backend} answers (timeout {keyring_store.timeout(run.env):g} s)")


def _keeps_secret_in_keyring(profile: Profile) -> bool:
    try:
        source = profile.source()
    except AtlctlError:
        return False  # an invalid source is reported with the profile
    return source is not None and source.kind == KEYRING


def _insecure_store(run: Run, note) -> None:
    path = insecure_store.path(run.env)
    if not os.path.exists(path):
        return
    note(WARNING, "insecure storage", f"secrets are kept in plain text in {path} (chosen with --insecure-storage)")
    for line in insecure_store.warnings(run.env):
        note(PROBLEM, "insecure storage", line.removeprefix("Warning: "))


def _proxies(run: Run, note) -> None:
    found = {name: value for name, value in _proxy_environ(run).items() if value}
    if not found:
        note(OK, "proxy", "no proxy variables set: connections go direct")
    for name, value in found.items():
        shown = f"{name}={_hide_userinfo(value)}"
        problem = None if name == "NO_PROXY" else _proxy_problem(value)  # NO_PROXY lists hosts, not a URL
        note(PROBLEM if problem else OK, "proxy", f"{shown} is not a usable proxy URL: {problem}" if problem else shown)


def _proxy_environ(run: Run) -> dict[str, str | None]:
    environ = run.env.environ
    return {name: environ.get(name) or environ.get(name.lower()) for name in PROXY_VARIABLES}


def _proxy_problem(value: str) -> str | None:
    """Why a proxy setting is not a usable URL, without quoting it (it may hold a password)."""
    try:
        parts = urlsplit(value if "://" in value else "http://" + value)  # no scheme: http://, as curl does
    except ValueError:
        return "it cannot be read as a URL"
    try:
        parts.port
    except ValueError:
        return "its port is not a number from 0 to 65535"
    if parts.scheme.lower() not in PROXY_SCHEMES:
        return f"its scheme is not one of {', '.join(PROXY_SCHEMES)}"
    return None if parts.hostname else "it names no host"


def _hide_userinfo(value: str) -> str:
    """`value` with its password (or its user name alone, which may be a token) replaced by ****, in any
    form: with or without a scheme, even malformed. Everything before the last '@' is user
    information, so a '/' or '@' in the password is hidden too."""
    end = value.rfind("@")
    if end < 0:
        return value
    scheme = SCHEME.match(value)
    start = scheme.end() if scheme else 0
    user, colon, _ = value[start:end].partition(":")
    return value[:start] + (f"{user}:****" if colon else "****") + value[end:]


def _profile(run: Run, profile: Profile, note) -> None:
    from atlctl.actions.context import Context
    from atlctl.http.connection import Connection

    try:
        values = profile_values(run, profile)
    except AtlctlError as exc:
        note(PROBLEM, str(exc))
        return
    creds = _secret(run, profile, values, note)
    if run["offline"]:
        return
    if reason := unsupported(profile):
        note(PROBLEM, f"{reason}: no server checks")
        return
    product = products.product(profile.product)
    try:
        pool = Context(run.env, run.console, profile=None).pool(product, values)
    except AtlctlError as exc:
        note(PROBLEM, str(exc))
        return
    try:
        conn = Connection(pool)
        how = _route(run, conn, values)
        try:
            response = conn.send("GET", "", anonymous=True, expect_json=False, ok=range(100, 600))
        except AtlctlError as exc:
            note(PROBLEM, f"{clause(exc)} (connecting {how}).")
            return
        note(OK, f"reaches {conn.host} {how}")
        _tls(conn, values, note)
        _clock(response.headers.get("Date"), note)
        info = product.discover(conn)
    except AtlctlError as exc:
        note(PROBLEM, str(exc))
        return
    finally:
        pool.close()
    _auth_options(profile, info, note)
    if creds is not None:
        _live(run, profile, values, creds, info, note)


def _secret(run: Run, profile: Profile, values: dict, note):
    try:
        resolved = resolve(values, run.env, profile, warn=lambda line: note(WARNING, line.removeprefix("Warning: ")))
    except AtlctlError as exc:
        note(PROBLEM, str(exc))
        return None
    creds = resolved.credentials
    slot = learn(run, creds)
    if creds.grant:
        note(OK, f"OAuth 2.0 login available from {resolved.sources['oauth']} (tokens not shown)")
    elif creds.client_id and creds.client_secret:
        note(OK, f"OAuth client secret of {creds.client_id} available from {resolved.sources['client-secret']} "
                 "(not shown)")
    elif creds.client_id:
        note(WARNING, f"no client secret for the OAuth client {creds.client_id}: give --client-secret (or set "
                      f"ATLCTL_CLIENT_SECRET), or store it with `atlctl auth login {profile.name} --client-id ID`")
    elif creds.secret:
        note(OK, f"{slot} available from {resolved.sources[slot]} (not shown)")
    else:
        note(OK, "no secret configured: anonymous access")
    return creds


def _route(run: Run, conn, values: dict) -> str:
    """How the connection goes: "directly", or through which proxy (atlctl ignores proxy variables for
    loopback)."""
    from atlctl.http.connection import is_loopback

    environ = _proxy_environ(run)
    proxy = values.get("proxy") or environ["HTTPS_PROXY"] or environ["HTTP_PROXY"] or environ["ALL_PROXY"]
    if values.get("proxy") or proxy and not is_loopback(conn.host) and \
            not urllib.request.proxy_bypass_environment(conn.host, {"no": environ["NO_PROXY"] or ""}):
        return f"through the proxy {_hide_userinfo(proxy)}"
    return "directly"


def _tls(conn, values: dict, note) -> None:
    from atlctl.http.connection import is_loopback

    if conn.server.startswith("http://"):
        level = OK if is_loopback(conn.host) or values.get("insecure") else PROBLEM
        note(level, f"plain http:// to {conn.host}: " + (
            "loopback, nothing crosses the network" if is_loopback(conn.host) else
            "credentials would cross the network unencrypted (allowed by --insecure)" if values.get("insecure") else
            "atlctl refuses to send credentials; use https://"))
    elif values.get("insecure"):
        note(WARNING, f"TLS verification of {conn.host} is disabled (insecure = true / --insecure)")
    else:
        trust = f"the CA bundle {values['ca-bundle']}" if values.get("ca-bundle") else "the default CA store"
        note(OK, f"TLS certificate of {conn.host} trusted ({trust})")


def _clock(date_header: str | None, note) -> None:
    skew = clock_skew(date_header, time.time())
    if skew is None:
        note(OK, "clock skew unknown: the server sent no Date header")
    elif abs(skew) > SKEW_WARNING:
        note(WARNING, f"the local clock is {abs(skew):.0f} s {'behind' if skew > 0 else 'ahead of'} the server: "
                      "token expiry and certificate checks can fail; synchronise the clock (NTP)")
    else:
        note(OK, f"clock within {max(abs(skew), 1):.0f} s of the server")


def clock_skew(date_header: str | None, now: float) -> float | None:
    """Server time minus local time in seconds, from an HTTP Date header (1 s resolution)."""
    parsed = email.utils.parsedate_tz(date_header) if date_header else None
    return None if parsed is None else email.utils.mktime_tz(parsed) - now


def _auth_options(profile: Profile, info, note) -> None:
    """What the server's deployment and version allow, read from the product's authentication rows."""
    from atlctl.auth.select import choose, dotted, row_for, too_old
    from atlctl.credentials.resolve import Credentials

    product = products.product(profile.product)
    place, version = product.deployment_title(info.deployment), info.version_text
    rows = [r for r in product.rows if r.deployment == info.deployment and r.scheme not in (None, "anonymous")]
    user, requested = profile.data.get("user"), profile.data.get("auth") or "auto"
    creds = Credentials(user=str(user) if user else None, **{profile.slot: "secret"})
    try:
        used = row_for(product.rows, info.deployment, creds, requested)
        if user:
            choose(product, info.deployment, None, creds, requested)
    except AtlctlError as exc:
        note(PROBLEM, f"the profile's credentials do not fit {place}: {exc}")
        return
    versioned = [r for r in rows if r.min_version]
    for row in versioned:
        if too_old(row, info.version):
            needed = dotted(row.min_version)
            note(PROBLEM if row is used else OK, f"{product.title} {version} does not support "
                 f"{SCHEME_NAMES.get(row.scheme, row.scheme)} (they need {product.title} {needed}): use a user and password")
        else:
            note(OK, f"{place} {version}: {SCHEME_NAMES.get(row.scheme, row.scheme)} supported")
    if not versioned:
        note(OK, f"{place} {version}: " + "; ".join(dict.fromkeys(f"{r.scheme} ({r.sent})" for r in rows)))


def _live(run: Run, profile: Profile, values: dict, creds, info, note) -> None:
    # what the server says now, not what `auth login` cached (the server may have changed since)
    profile = Profile(profile.name, {**profile.data, "deployment": info.deployment, "version": info.version_text})
    try:
        verified = verify(run, profile, values, creds)
    except AtlctlError as exc:
        note(PROBLEM, f"live check failed: {exc.line()}")
        return
    note(OK, f"live check: logged in as {verified.user or 'anonymous'} with {verified.scheme} authentication")
    schemes = {r.scheme for r in products.product(profile.product).rows if r.deployment == info.deployment}
    if creds.password and not creds.token and {"session", "basic"} <= schemes:
        _basic_auth(run, profile, values, creds, note)


def _basic_auth(run: Run, profile: Profile, values: dict, creds, note) -> None:
    """Whether the server accepts basic auth (Jira 8.16+ can disable it); costs one password check."""
    try:
        verify(run, profile, {**values, "auth": "basic"}, creds)
        note(OK, "basic authentication is enabled (--auth basic works)")
    except AtlctlError as exc:
        if getattr(exc, "reason", None) != "scheme_disabled":
            note(WARNING, f"could not tell whether basic authentication works: {exc.line()}")
            return
        uses_basic = profile.data.get("auth") == "basic"
        note(PROBLEM if uses_basic else WARNING, "basic authentication is disabled on this server: session "
             "authentication (the default with a password) and personal access tokens still work")
