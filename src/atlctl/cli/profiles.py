"""What the `auth` commands and `auth doctor` share: picking the profile a command is about, its
values, registering its secrets for masking, and the live check of its credential."""

from __future__ import annotations

from dataclasses import dataclass

from atlctl.actions.common import params_by_name
from atlctl.actions.registry import REGISTRY
from atlctl.cli.commands import GROUPS, Run
from atlctl.credentials.config import Config
from atlctl.credentials.profile import Profile
from atlctl.errors import AtlctlError, ParameterError
from atlctl.products import registry as products

RESERVED = {*products.client_names(), *GROUPS, "sandbox", "help"}  # words a profile name would shadow


@dataclass
class Verified:
    """What a live check learnt: who the credential belongs to, how it authenticated, where."""

    user: str | None
    display_name: str | None
    scheme: str
    deployment: str
    version: str | None
    cloud_id: str | None = None  # Atlassian Cloud: the site's cloudId, when the check went through the API gateway


def verify(run: Run, profile: Profile, values: dict, creds, sources: dict | None = None) -> Verified:
    """Check the credential against the server (getCurrentUser, then getServerInfo): raises the
    classified error if the server refuses it. `sources`: where the credentials came from (--verbose)."""
    from atlctl.actions.context import Context, execute

    values = {**values, "user": creds.user, "password": creds.password, "token": creds.token, "login": creds.session}
    context = Context(run.env, run.console, profile=profile, sources=sources)
    try:
        whoami = REGISTRY.find(profile.product, "getCurrentUser")
        result = execute(context, whoami, values)
        me = result.data or {}
        info = execute(context, REGISTRY.find(profile.product, "getServerInfo"), values).data or {}
        client = context.client(whoami, values)
        # the user id the action hands to run scripts (@userId@, @user@) when the answer has no field named so
        user = (me.get("name") or me.get("emailAddress") or result.variables.get("userId") or result.variables.get("user")
                or me.get("accountId"))
        routed = getattr(client.conn.auth, "routed", False)
        return Verified(user, me.get("displayName"), client.conn.situation.scheme, client.deployment, info.get("version"),
                        client.conn.auth.cloud_id if routed else None)
    finally:
        context.close()


def restrictions(product: str, deployment: str | None, creds, requested: str) -> list[str]:
    """What the profile's way of authenticating cannot do: the restrictions of the row `choose` takes for
    its credentials, on its deployment (when that is not known, on every deployment where it works, if
    they all say the same)."""
    from atlctl.auth.select import row_for

    if unsupported_product(product):
        return []
    declared = products.product(product)
    deployments = [deployment] if deployment in declared.deployments else list(declared.deployments)
    found = set()
    for place in deployments:
        try:
            row = row_for(declared.rows, place, creds, requested)
        except AtlctlError:
            continue
        if row.scheme not in (None, "anonymous"):
            found.add(row.restrictions)
    return list(found.pop()) if len(found) == 1 else []


def unsupported_product(product: str) -> str | None:
    return None if product in products.PRODUCTS else f"atlctl does not support {product} yet"


def unsupported(profile: Profile) -> str | None:
    """Why atlctl cannot talk to the profile's server: `config import-acli` keeps profiles of products
    atlctl does not support yet, for the day it does."""
    return unsupported_product(profile.product)


def select_profile(run: Run, config: Config) -> Profile:
    """The profile a command is about: named, ATLCTL_PROFILE, the only default, or the only profile."""
    name = run["profile"] or run.env.environ.get("ATLCTL_PROFILE")
    if name:
        return config.profile(name)
    if len(config.defaults) == 1:
        return config.profile(next(iter(config.defaults.values())))
    if len(config.profiles) == 1:
        return next(iter(config.profiles.values()))
    known = ", ".join(sorted(config.profiles)) or "none yet (create one with `atlctl auth login`)"
    raise ParameterError(f"Which profile? Name it, e.g. `atlctl auth status NAME`. Profiles in {config.path}: {known}.")


def profile_values(run: Run, profile: Profile) -> dict:
    """The profile's connection settings, with the flags given on the command line winning."""
    return profile.apply(run.values, run.env, params_by_name(profile.product))


def learn(run: Run, creds) -> str:
    """Register the credentials' secrets with the console, which masks them from now on; return the
    slot ("password" or "token") that holds the secret."""
    run.console.redactor.add(creds.password, creds.token, creds.session)
    run.console.redactor.public(creds.user)
    return "token" if creds.token else "password"


def mask(secret: str | None, slot: str) -> str | None:
    """Enough to tell two tokens apart (the last 4 characters of a long token), never a password."""
    if not secret:
        return None
    return "********" + (secret[-4:] if slot == "token" and len(secret) >= 20 else "")
