"""Log in, check, print, log out and switch the credentials of profiles; show the matrix.

`atlctl auth login|status|token|logout|switch|doctor|matrix`, after gh's `auth` commands: login
verifies the credential live before it saves anything, status checks every profile live (exit code
non-zero if any fails), and no command prints a secret except `auth token`, whose point it is."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from atlctl.actions.common import BY_NAME
from atlctl.actions.registry import REGISTRY
from atlctl.cli.commands import Run
from atlctl.cli.profiles import (RESERVED, learn, mask, profile_values, restrictions, select_profile, unsupported,
                                 verify)
from atlctl.credentials.config import Config
from atlctl.credentials.profile import CONNECTION, Profile, check_name, same_server
from atlctl.credentials.resolve import SECRET_ENV, resolve
from atlctl.credentials.sources import INSECURE, KEYRING, PLAINTEXT, Source, copies
from atlctl.errors import AtlctlError, ClientError, ParameterError, RemoteError, clause
from atlctl.products import registry as products
from atlctl.products.base import Action, Param

POSITIONAL = "profile"
POSITIONALS = {"matrix": "product"}  # commands whose bare word is not a profile
NO_PROMPT = ("atlctl never prompts in CI or without a terminal: pipe a token with --with-token "
             "(e.g. `printenv JIRA_TOKEN | atlctl auth login NAME --server URL --with-token`), give the password "
             "on standard input with --password -, or set ATLCTL_PASSWORD / ATLCTL_TOKEN.")


# -- login ---------------------------------------------------------------------------------------

def login(run: Run) -> int:
    from atlctl.actions.context import Context
    from atlctl.http.connection import Connection

    env, console = run.env, run.console
    config = run.config()
    name = _login_name(run, config)
    check_name(name, RESERVED)
    existing = config.profiles.get(name)
    if existing and not run["replace"]:
        _refuse_repointing(run, existing)
    replaced, existing = (existing, None) if run["replace"] else (None, existing)  # --replace: start afresh
    if existing and (reason := unsupported(existing)):
        raise ClientError(f"Profile {name}: {reason}.")
    product = existing.product if existing else run["product"]
    values = {**(profile_values(run, existing) if existing else run.values), "login": None}
    if not values.get("server"):
        raise ParameterError("This function requires a non-blank value for parameter: server "
                             "(the URL of the server to log in to).")
    if run["web"] or run["no-browser"]:
        return _login_web(run, config, name, existing, replaced, product, values)
    if values.get("client-id"):
        return _login_client(run, config, name, existing, replaced, product, values)
    if run["with-token"]:
        if values.get("token") or values.get("password"):
            raise ParameterError("--with-token reads the token from standard input: do not also give --token or --password.")
        values["token"] = "-"
    given = resolve(values, env)  # flags, standard input, environment
    if not given.credentials.secret and not env.interactive:
        raise ParameterError(f"auth login needs the secret, and {NO_PROMPT}")  # before any request
    declared = products.product(product)
    pool = Context(env, console, profile=None).pool(declared, values)
    try:
        info = declared.discover(Connection(pool))
    finally:
        pool.close()
    deployment = values["deployment"] if values.get("deployment") not in (None, "auto") else info.deployment
    values["deployment"] = deployment
    creds = given.credentials if given.credentials.secret else _ask(run, values, deployment)
    slot = learn(run, creds)
    candidate = Profile(name, {**(existing.data if existing else {}), "product": product,
                               "deployment": deployment, "version": info.version_text})
    try:
        verified = verify(run, candidate, values, creds)
    except AtlctlError as exc:
        exc.args = (f"{exc} Nothing was saved.",)
        raise
    target = _store_target(existing, slot, name, run["insecure-storage"])
    try:
        target.store(env, creds.token or creds.password)
    except AtlctlError as exc:
        raise ClientError(
            f"{exc} Nothing was saved. Run `atlctl auth login {name}` again with --insecure-storage to keep the secret "
            f"in a plain-text file (0600) instead, or skip `auth login` and give it through {SECRET_ENV[slot]}."
        ) from None
    old_profile = existing or replaced
    previous = old_profile and old_profile.source()
    stale = [*copies(target.ref), *([previous] if previous and previous.writable else [])]
    settings = {"product": product, "server": values["server"], "deployment": deployment,
                "version": verified.version or info.version_text, "user": creds.user or verified.user,
                slot: target.spec(name)}
    if verified.cloud_id and creds.user and verified.scheme == "basic":  # a scoped token: the gateway from now on
        settings.update({"cloud-id": verified.cloud_id, "gateway": "always"})
    config.save_profile(name, _profile_changes(settings, values), replace=replaced is not None)
    made_default = _make_default(run, config, product, name)
    # only once the profile points at the new copy: a failed save must leave the old one in place
    cleared = _remove_copies(run, config, name, [source for source in stale if source != target], "old")
    who = verified.user + (f" ({verified.display_name})" if verified.display_name else "") if verified.user else "anonymous"
    console.out(f"Logged in to {values['server']} ({_server_text(verified.deployment, verified.version)}) as {who}, "
                f"with {verified.scheme} authentication.")
    old = replaced and _account(replaced.value("server", env), replaced.value("user", env))
    console.out(f"Profile {name} saved in {config.path}" + (f" (replacing the profile for {old})" if old else "")
                + f"; {slot} stored in {target.describe(env)}" + cleared + ".")
    if target.kind == INSECURE:
        console.out("Insecure storage: anyone who can read that file has the secret.")
    if settings.get("cloud-id"):
        console.out(f"A scoped API token: the site refuses it, so the profile goes through the API gateway "
                    f"({values.get('gateway-url') or BY_NAME['gateway-url'].default}, cloudId {settings['cloud-id']}).")
    if made_default:
        console.out(f"{name} is the default {product} profile: `atlctl {product} ACTION ...` uses it without --server.")
    return 0


def _login_web(run: Run, config: Config, name: str, existing: Profile | None, replaced, product: str,
               values: dict) -> int:
    """`auth login --web`: OAuth 2.0 (3LO) in the browser (cli/web_login.py), verified, then stored."""
    from atlctl.actions.context import Context, cloud_url
    from atlctl.auth.gateway import site_of
    from atlctl.cli import web_login
    from atlctl.credentials.resolve import CLIENT_SECRET, GRANT
    from atlctl.http.connection import normalize_server

    env, console = run.env, run.console
    declared = products.product(product)
    if declared.gateway is None:
        raise ParameterError(f"--web logs in to Atlassian Cloud (Jira, Confluence) with OAuth 2.0, not to {declared.title}.")
    client_id = values.get("client-id")
    if not client_id:
        raise ParameterError("auth login --web needs your OAuth 2.0 app's --client-id (from "
                             "https://developer.atlassian.com/console/myapps/, with http://127.0.0.1 callbacks allowed).")
    creds = resolve(values, env, existing).credentials
    console.redactor.add(creds.client_secret)
    server = normalize_server(values["server"])
    pool = Context(env, console, profile=None).pool(declared, values)
    try:
        urls = {key: cloud_url(values, key, pool) for key in ("oauth-url", "gateway-url")}
        site = site_of(server, declared.gateway[1])
        grant = web_login.grant_for(run, pool.client, urls["oauth-url"], urls["gateway-url"], site, client_id,
                                    creds.client_secret, run["scope"] or declared.oauth_scopes)
    finally:
        pool.close()
    insecure = run["insecure-storage"]
    store = Source(INSECURE if insecure else KEYRING, name + GRANT)
    stored = [store]
    try:
        store.store(env, json.dumps(grant))
        if creds.client_secret and values.get("client-secret"):  # typed for this login: kept for the refreshes
            stored.append(Source(store.kind, name + CLIENT_SECRET))
            stored[-1].store(env, creds.client_secret)
    except AtlctlError as exc:
        raise ClientError(f"{exc} Nothing was saved. Run `atlctl auth login --web {name}` again with "
                          "--insecure-storage to keep the tokens in a plain-text file (0600) instead.") from None
    settings = {"product": product, "server": values["server"], "deployment": "cloud", "client-id": client_id,
                "cloud-id": grant["cloud_id"], "oauth": store.spec(name + GRANT), "user": None,
                **({"client-secret": stored[1].spec(name + CLIENT_SECRET)} if len(stored) > 1 else {})}
    candidate = Profile(name, {**(existing.data if existing else {}), **settings})
    try:
        verified = verify(run, candidate, {**values, "client-secret": creds.client_secret}, creds)
    except AtlctlError as exc:
        for source in stored:
            source.delete(env)
        exc.args = (f"{exc} Nothing was saved.",)
        raise
    changes = _profile_changes(settings, values)
    changes.update({"version": None, "user": verified.user})
    config.save_profile(name, changes, replace=replaced is not None)
    _make_default(run, config, product, name)
    console.out(f"Logged in to {values['server']} (Cloud) as {verified.user or 'the app user'} with OAuth 2.0 "
                f"through {urls['gateway-url']}; scopes: {web_login.scope_words(grant)}; access token expires "
                f"{web_login.expiry_words(grant)}.")
    console.out(f"Profile {name} saved in {config.path}; tokens stored in {store.describe(env)} (the refresh token "
                "rotates there at every renewal).")
    return 0


def _login_client(run: Run, config: Config, name: str, existing: Profile | None, replaced, product: str,
                  values: dict) -> int:
    """`auth login PROFILE --client-id ID`: a service account's OAuth 2.0 client credentials, verified,
    then the client secret stored (keyring entry PROFILE.client-secret) and the profile saved."""
    from atlctl.credentials.resolve import CLIENT_SECRET, CLIENT_SECRET_ENV

    env, console = run.env, run.console
    creds = resolve(values, env).credentials
    if not creds.client_secret:
        raise ParameterError(f"auth login --client-id needs the client secret: --client-secret - (standard input) or "
                             f"{CLIENT_SECRET_ENV}.")
    console.redactor.add(creds.client_secret)
    store = Source(INSECURE if run["insecure-storage"] else KEYRING, name + CLIENT_SECRET)
    settings = {"product": product, "server": values["server"], "deployment": "cloud", "client-id": creds.client_id,
                "client-secret": store.spec(name + CLIENT_SECRET), "oauth": None}
    candidate = Profile(name, {**(existing.data if existing else {}), **settings, "client-secret": None})
    try:
        verified = verify(run, candidate, {**values, "client-secret": creds.client_secret}, creds)
        store.store(env, creds.client_secret)
    except AtlctlError as exc:
        exc.args = (f"{exc} Nothing was saved.",)
        raise
    config.save_profile(name, {**_profile_changes(settings, values), "version": None, "user": verified.user},
                        replace=replaced is not None)
    _make_default(run, config, product, name)
    console.out(f"Logged in to {values['server']} (Cloud) as {verified.user or 'the service account'} with OAuth 2.0 "
                f"client credentials. Profile {name} saved in {config.path}; client secret stored in "
                f"{store.describe(env)}.")
    return 0


def _make_default(run: Run, config: Config, product: str, name: str) -> bool:
    """Make the profile just logged in its product's default when asked (--default) or when it has none."""
    made = run["default"] or product not in config.defaults
    if made:
        config.set_default(product, name)
    return made


def _login_name(run: Run, config: Config) -> str:
    """The profile to log in: the one named, else one named after the server (`jira.example.com`,
    `127.0.0.1-8080-jira`: with the port, as two servers may share a host), else the profile in use
    (to renew its secret)."""
    named = run["profile"] or run.env.environ.get("ATLCTL_PROFILE")
    if named:
        return named
    if run["server"]:
        url = urlsplit(run["server"] if "://" in run["server"] else "https://" + run["server"])
        host = url.netloc.rpartition("@")[2].lower() or "server"  # host[:port], without any user information
        words = [host, *(part for part in url.path.split("/") if part)]
        return re.sub(r"[^A-Za-z0-9_.-]+", "-", "-".join(words)).strip("-.")
    if config.profiles:
        return select_profile(run, config).name
    raise ParameterError("This function requires a non-blank value for parameter: server "
                         "(the URL of the server to log in to).")


def _refuse_repointing(run: Run, profile: Profile) -> None:
    """Logging in under an existing profile's name must not silently send it, and the secret stored
    under its name, to another server or user: that takes --replace."""
    server, user = profile.value("server", run.env), profile.value("user", run.env)
    other_server = run["server"] and not same_server(run["server"], server)
    other_user = run["user"] and user and run["user"].casefold() != user.casefold()
    if other_server or other_user:
        raise ParameterError(f"Profile {profile.name} is for {_account(server, user)}, not "
                             f"{_account(run['server'] or server, run['user'] or user)}: give --replace to repoint "
                             "it (its stored secret is replaced too), or log in under another name.")


def _account(server: str | None, user: str | None) -> str:
    return (server or "no server") + (f" as {user}" if user else "")


def _profile_changes(settings: dict, values: dict) -> dict:
    """What `auth login` writes: the learnt settings, the other connection values in use (TLS,
    proxy, cookies... unless at their defaults), and no source left for the other kind of secret."""
    changes = dict(settings)
    changes.update({key: values[key] for key in CONNECTION
                    if key not in changes and values.get(key) not in (None, False, BY_NAME[key].default)})
    changes.update({slot: None for slot in ("password", "token") if slot not in settings})
    return changes


def _ask(run: Run, values: dict, deployment: str):
    """The prompts (on a terminal only): the user if missing, then the hidden secret."""
    env = run.env
    if not values.get("user") and values.get("auth") != "token":
        label = "Account email" if deployment == "cloud" else "User name (empty to use a personal access token)"
        values["user"] = env.read_line(f"{label}: ").strip() or None
        if not values["user"]:
            values["auth"] = "token"
    creds = resolve(values, env, ask=True).credentials
    if not creds.secret:
        raise ParameterError("auth login needs a password or a token.")
    return creds


def _store_target(existing: Profile | None, slot: str, name: str, insecure: bool) -> Source:
    """Where the secret goes: the profile's own store entry if it has one, else the keyring entry
    named after the profile; the plain-text store only when asked for."""
    current = existing.source() if existing and existing.slot == slot else None
    entry = current.ref if current and current.writable else name
    return Source(INSECURE if insecure else KEYRING, entry)


def _server_text(deployment: str | None, version: str | None) -> str:
    kind = {"cloud": "Cloud", "server": "Server/Data Center"}.get(deployment or "", "deployment unknown")
    return f"{kind}, version {version}" if version else kind


# -- status --------------------------------------------------------------------------------------

def status(run: Run) -> int:
    from atlctl.actions.render import labelled

    config = run.config()
    if not config.profiles:
        raise ClientError(f"No profiles in {config.path} yet: create one with `atlctl auth login`.")
    profiles = [select_profile(run, config)] if run["profile"] else [config.profiles[n] for n in sorted(config.profiles)]
    reports, failures = [], []
    for profile in profiles:
        report, error = _status_of(run, config, profile)
        reports.append(report)
        if error is not None:
            failures.append((profile.name, error))
    if run["output"] == "json":
        run.console.result(json.dumps(reports, indent=2))
    else:
        blocks = []
        for report in reports:
            title = report["profile"] + (f" (default {report['product']} profile)" if report["default"] else "")
            blocks.append(title + "\n" + labelled(_status_record(report)))
        run.console.result("\n\n".join(blocks))
    if failures:
        error = failures[0][1]
        names = ", ".join(name for name, _ in failures)
        raise _same_kind(error, f"{len(failures)} of {len(reports)} profile checks failed ({names}): {error}")
    return 0


def _same_kind(error: AtlctlError, message: str) -> AtlctlError:
    """An error with `message` and the exit code of `error` (a summary of several failures)."""
    for kind in (RemoteError, ParameterError, ClientError):
        if isinstance(error, kind):
            return kind(message)
    return AtlctlError(message)


def _status_of(run: Run, config: Config, profile: Profile) -> tuple[dict, AtlctlError | None]:
    env = run.env
    cached = profile.cached_server()
    text = {key: value if isinstance(value, str) else None  # a value of the wrong type is the check's error, never shown as text
            for key, value in ((key, profile.data.get(key)) for key in ("server", "deployment", "user"))}
    report = {"profile": profile.name, "product": profile.product,
              "default": config.defaults.get(profile.product) == profile.name,
              "version": cached and ".".join(map(str, cached[1])), **text,
              "auth": None, "secretSource": None, "secret": None, "restrictions": [], "check": None, "ok": False}
    try:
        if reason := unsupported(profile):
            raise ClientError(f"Profile {profile.name}: {reason}.")
        values = profile_values(run, profile)
        report["server"] = values.get("server")
        resolved = resolve(values, env, profile, warn=run.console.error)
        creds = resolved.credentials
        slot = learn(run, creds)
        report.update(user=creds.user, secretSource=resolved.sources.get(slot) and f"{slot} from {resolved.sources[slot]}",
                      secret=mask(creds.secret, slot))
        if creds.grant or creds.client_id:
            report.update(_oauth_report(creds, resolved.sources))
        if run["offline"]:
            report.update(auth=values.get("auth"), check="skipped (--offline)", ok=True)
        else:
            verified = verify(run, profile, values, creds, resolved.sources)
            report.update(auth=verified.scheme, deployment=verified.deployment, version=verified.version, ok=True,
                          check=f"OK, logged in as {verified.user}" if verified.user else "OK (anonymous)")
        report["restrictions"] = restrictions(profile.product, report["deployment"], creds,
                                              values.get("auth") or "auto")
        return report, None
    except AtlctlError as exc:
        report["check"] = exc.line()
        if report["secretSource"] is None:
            report["secretSource"] = _unread_source(run, profile)
        return report, exc


def _unread_source(run: Run, profile: Profile) -> str | None:
    """Where the profile's secret should have come from, when it could not be read (an unset variable)."""
    try:
        source = profile.source()
    except AtlctlError:  # an invalid source is the check's error
        return None
    return source and f"{profile.slot} from profile {profile.name}: {source.describe(run.env)} (not set)"


def _oauth_report(creds, sources: dict) -> dict:
    """What `auth status` shows of an OAuth 2.0 profile: where its tokens are, its scopes and expiry (never a token)."""
    from atlctl.cli import web_login

    if not creds.grant:
        where = sources.get("client-secret")
        return {"secretSource": f"client secret of {creds.client_id} from {where}" if where else None,
                "secret": "********" if creds.client_secret else None}
    try:
        grant = json.loads(creds.grant)
    except ValueError:
        grant = {}
    grant = grant if isinstance(grant, dict) else {}
    return {"secretSource": f"OAuth 2.0 login from {sources.get('oauth')}", "secret": "(tokens not shown)",
            "scopes": web_login.scope_words(grant), "expires": web_login.expiry_words(grant)}


def _status_record(report: dict) -> list[tuple[str, object]]:
    oauth = [("Scopes", report["scopes"]), ("Access token expires", report["expires"])] if "scopes" in report else []
    return [
        ("Server", f"{report['server']} ({_server_text(report['deployment'], report['version'])})"),
        ("User", report["user"] or "(none)"),
        ("Authentication", report["auth"] or "auto (chosen at first use)"),
        ("Secret", f"{report['secretSource']}: {report['secret']}" if report["secret"] else
         report["secretSource"] or "(none)"),
        *oauth,
        ("Restrictions", "; ".join(report["restrictions"]) or "none"),
        ("Check", report["check"]),
    ]


# -- token, logout, switch -----------------------------------------------------------------------

def token(run: Run) -> int:
    config = run.config()
    profile = select_profile(run, config)
    resolved = resolve(profile_values(run, profile), run.env, profile, warn=run.console.error)
    secret, slot = resolved.credentials.secret, learn(run, resolved.credentials)
    if not secret:
        raise ClientError(f"Profile {profile.name} has no secret: log in with `atlctl auth login {profile.name}`.")
    run.console.info(f"The {slot} of profile {profile.name}, from {resolved.sources[slot]}")
    run.console.secret(secret)
    return 0


def logout(run: Run) -> int:
    env, console = run.env, run.console
    config = run.config()
    profile = select_profile(run, config)
    strategy = None if unsupported(profile) else products.product(profile.product).any_session(
        profile.data.get("deployment"))
    jar = profile.value("cookies", env)
    if jar and strategy:
        console.out(_end_jar_session(run, profile, jar, strategy))
    if profile.value("session_cache", env) is True and strategy:
        console.out(_end_cached_session(run, profile, strategy))
    source = profile.source()
    slot = profile.slot
    forgotten = _forget_oauth(run, config, profile)
    if forgotten:
        said = forgotten
    elif source is None:
        said = "it has no stored secret"
    elif source.writable:
        removed = source.delete(env)
        said = f"{'removed the ' + slot + ' from' if removed else 'no ' + slot + ' was stored in'} {source.describe(env)}"
        said += _remove_copies(run, config, profile.name, [c for c in copies(source.ref) + copies(profile.name)
                                                           if c != source])
    elif source.kind == PLAINTEXT:
        config.save_profile(profile.name, {slot: None})
        said = f"removed the {slot} written in {config.path}"
    else:
        said = f"its {slot} comes from {source.describe(env)}: nothing stored to remove"
    if source is not None and not source.writable:  # a login may have stored one before the profile was edited
        said += _remove_copies(run, config, profile.name, copies(profile.name))
    again = " --web" if profile.data.get("oauth") else ""
    console.out(f"Logged out of profile {profile.name}: {said}. The profile is kept: "
                f"`atlctl auth login {profile.name}{again}` logs in again.")
    return 0


def _forget_oauth(run: Run, config: Config, profile: Profile) -> str | None:
    """Remove an OAuth 2.0 profile's tokens and client secret from the secret store (Atlassian has no
    revocation endpoint for 3LO tokens: the grant is forgotten here, and revoked on the account's
    Connected apps page)."""
    from atlctl.credentials.resolve import CLIENT_SECRET, GRANT, stored_source
    from atlctl.credentials.token_store import ACCESS_TOKEN, beside

    if not (profile.data.get("oauth") or profile.data.get("client-id")):
        return None
    removed = []
    for key, suffix, words in (("oauth", GRANT, "the OAuth 2.0 tokens"),
                               ("client-secret", CLIENT_SECRET, "the client secret")):
        source = stored_source(profile, key, suffix)
        if (profile.data.get(key) or key == "client-secret") and source.writable and source.delete(run.env):
            removed.append(words)
    if beside(profile, profile.name + ACCESS_TOKEN).delete(run.env):
        removed.append("the cached access token")
    copied = _remove_copies(run, config, profile.name, [copy for suffix in (GRANT, CLIENT_SECRET, ACCESS_TOKEN)
                                                        for copy in copies(profile.name + suffix)])
    if profile.data.get("oauth"):
        run.console.out("To revoke the login on Atlassian's side too, remove the app from "
                        "https://id.atlassian.com/manage-profile/apps.")
    return (f"removed {' and '.join(removed)}" if removed else "no OAuth 2.0 tokens were stored") + copied


def _remove_copies(run: Run, config: Config, name: str, sources: list[Source], which: str = "another") -> str:
    """Remove the copies of profile `name`'s secrets in `sources` (a store entry another profile names
    is left alone), and say so: where copies were removed, and which store could not be checked (a
    copy may remain there). Empty when there was nothing to say."""
    named = set()
    for other in config.profiles.values():
        try:
            named.add(other.source() if other.name != name else None)
        except AtlctlError:  # a broken profile names nothing usable
            continue
    removed, unreachable = [], {}
    for source in dict.fromkeys(sources):
        if source in named or source.kind in unreachable:  # a store that failed once is not asked again
            continue
        try:
            if source.delete(run.env):
                removed.append(source.describe(run.env))
        except AtlctlError as exc:
            unreachable[source.kind] = clause(exc)
    said = []
    if removed:
        places = " and ".join(removed)
        said.append(f"the old copy was removed from {places}" if which == "old" else f"also removed a copy from {places}")
    said += [f"the {'keyring' if kind == KEYRING else 'insecure storage'} could not be checked for {which} copy "
             f"({why}): one may remain there" for kind, why in unreachable.items()]
    return "".join(f"; {part}" for part in said)


def _end_jar_session(run: Run, profile: Profile, jar: str, strategy) -> str:
    """End the server session saved in the profile's cookie jar, and empty the jar for that server."""
    from atlctl.http import cookiefile
    from atlctl.http.connection import normalize_server

    values = profile_values(run, profile)
    server = normalize_server(values["server"])
    said = _end_session(run, profile, values, cookiefile.load(jar, server).cookies.get(strategy.cookie),
                        f"the saved session in {jar}")
    cookiefile.save(jar, server, {}, server.startswith("https://"))
    return said


def _end_cached_session(run: Run, profile: Profile, strategy) -> str:
    """End the session the profile's session cache holds, and remove it from the store."""
    from atlctl.credentials.session_cache import SessionCache
    from atlctl.http.connection import normalize_server

    values = profile_values(run, profile)
    cache = SessionCache(run.env, profile, normalize_server(values["server"]), values.get("user"), run.console.error)
    said = _end_session(run, profile, values, cache.load().get(strategy.cookie),
                        f"the cached session in {cache.source.describe(run.env)}")
    cache.delete()
    return said


def _end_session(run: Run, profile: Profile, values: dict, session: str | None, what: str) -> str:
    """Log `session` out on the server with the product's logout action (`values`: the profile's settings)."""
    from atlctl.actions.context import Context, execute

    if not session:
        return f"No {what.removeprefix('the ')}."
    run.console.redactor.add(session)
    # only the saved session: no password that could log in again just to log out
    env = run.env.with_environ({k: v for k, v in run.env.environ.items() if k not in SECRET_ENV.values()})
    values = {**values, "user": None, "password": None, "token": None, "login": session, "cookies": None}
    context = Context(env, run.console, profile=None)
    try:
        execute(context, REGISTRY.find(profile.product, "logout"), values)
        return f"Ended {what}."
    except AtlctlError as exc:
        return f"{what[0].upper()}{what[1:]} could not be ended on the server ({exc.line()}); removed it."
    finally:
        context.close()


def switch(run: Run) -> int:
    config = run.config()
    if not run["profile"]:
        known = ", ".join(sorted(config.profiles)) or "none yet"
        raise ParameterError(f"Name the profile to make the default: atlctl auth switch NAME. Profiles: {known}.")
    profile = config.profile(run["profile"])
    before = config.defaults.get(profile.product)
    config.set_default(profile.product, profile.name)
    run.console.out(f"{profile.name} is now the default {profile.product} profile"
                    + (f" (was {before})." if before and before != profile.name else "."))
    return 0


def doctor(run: Run) -> int:
    from atlctl.cli.doctor import doctor as run_doctor  # its checks load only when asked for

    return run_doctor(run)


def matrix(run: Run) -> int:
    """The authentication matrix of one product (or every product), from the rows atlctl selects by."""
    from atlctl.actions.render import render
    from atlctl.cli import matrix as table

    word, deployment = run["product"], None
    if word:
        client = products.client_name(word)
        if client is None:
            raise ParameterError(f"Unknown product: {word}. Valid products: {', '.join(products.client_names())}.")
        (name, deployment), names = client, [client[0]]
    else:
        names = products.names()
    entries = [entry for name in names for entry in table.entries(products.product(name))
               if deployment in (None, entry["deployment"])]  # jiracloud: the Cloud rows
    if (run["output"] or "text") == "text" and not run["file"]:
        run.console.result(table.text(entries, run["columns"]))
    else:
        render(table.result(entries), run.values, run.console)
    return 0


COMMANDS = (
    Action("login", "auth", "Verify a credential live, then store its secret and save the profile (server, user, "
           "deployment and version).", login, params=(
               Param("product", "Product of a new profile.", choices=tuple(products.names()), default="jira"),
               Param("with-token", "Read the token from standard input: a personal access token (Server/DC) or an "
                     "API token (Cloud, with --user EMAIL).", flag=True),
               Param("insecure-storage", "Keep the secret in a plain-text file (mode 0600, in a 0700 directory) "
                     "instead of the OS keyring, for machines without a usable keyring.", flag=True),
               Param("replace", "Start an existing profile afresh: needed to point it to another server or user "
                     "(the secret stored under its name is replaced).", flag=True),
               Param("default", "Make it the default profile of its product (the first profile of a product "
                     "becomes its default anyway).", flag=True),
               Param("web", "Atlassian Cloud: log in with OAuth 2.0 (3LO) in the browser, with your app's --client-id "
                     "(and --client-secret); the tokens go to the keyring. ATLCTL_BROWSER names the browser command.",
                     flag=True),
               Param("no-browser", "With --web on a machine without a browser: print the address to open elsewhere, "
                     "then paste the address the browser was sent to.", flag=True),
               Param("callback-port", "With --web: the port of the callback on 127.0.0.1, when your app's callback "
                     "URL names one (http://127.0.0.1:PORT/callback); default: a free port.", metavar="PORT"),
               Param("scope", "With --web: the scopes to ask for, separated by spaces (default: the product's read "
                     "and write scopes, and offline_access for the refresh token).")),
           needs=frozenset(), example="atlctl auth login myjira --server https://jira.example.com --user alice"),
    Action("status", "auth", "Show every profile (or one): server, user, scheme, where the secret comes from (masked), "
           "restrictions; checks each live. Exit code non-zero if a check fails.", status,
           params=(Param("offline", "Do not contact the servers.", flag=True),),
           needs=frozenset()),
    Action("token", "auth", "Print the secret of a profile (for piping into another tool).", token, needs=frozenset()),
    Action("logout", "auth", "Remove the stored secret and end the profile's saved session; keep the profile.", logout,
           needs=frozenset()),
    Action("switch", "auth", "Make a profile the default of its product.", switch, needs=frozenset()),
    Action("matrix", "auth", "Print the authentication matrix: product, deployment, credentials given, --auth, the "
           "scheme used (or why it is refused), how it is sent, the minimum version and the restrictions; the rows "
           "atlctl chooses by, the first match winning.", matrix,
           params=(Param("product", "Only this product (or ACLI client name, e.g. jiracloud)."),),
           needs=frozenset(), example="atlctl auth matrix jira --output json"),
    Action("doctor", "auth", "Diagnose keyring, config permissions, clock skew, TLS trust, proxy settings and the "
           "server's authentication options, without printing any secret. Problems make the exit code 255.", doctor,
           params=(Param("offline", "Only the local checks: no connection to the servers.", flag=True),),
           needs=frozenset()),
)
