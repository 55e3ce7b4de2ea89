"""One scheme per connection, chosen before any request: (product, deployment, version,
credentials, --auth) -> scheme, or an error naming what to pass. Each rule is a row of the
authentication matrix in DEVELOPERS.md and has a unit test."""

from __future__ import annotations

import re
from typing import NamedTuple

from atlctl.errors import ClientError, ParameterError

# Server/DC versions that introduced personal access tokens.
PAT_MIN_VERSION = {"jira": (8, 14), "confluence": (7, 9), "bitbucket": (5, 5)}
PRODUCT_TITLE = {"jira": "Jira", "confluence": "Confluence", "bitbucket": "Bitbucket"}
API_TOKEN_URL = "https://id.atlassian.com/manage-profile/security/api-tokens"
TOKEN_REFUSED = ("Action or capability not available when using token authentication. "
                 "Use user and password parameters instead.")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Credentials(NamedTuple):
    user: str | None = None
    password: str | None = None
    token: str | None = None
    session: str | None = None  # a session id from --login or a cookie file

    @property
    def secret(self) -> str | None:
        return self.token or self.password


class Choice(NamedTuple):
    scheme: str  # anonymous | basic | session | token
    user: str | None = None
    secret: str | None = None  # password or token the scheme sends (None for anonymous/session reuse)
    reason: str = ""


def cloud_credentials_hint() -> str:
    return (f"Jira Cloud needs the account email as --user and an API token as --token (or --password); "
            f"create a token at {API_TOKEN_URL}")


def choose(product: str, deployment: str, version: tuple[int, ...] | None, creds: Credentials,
           requested: str = "auto", *, web_session: bool = False) -> Choice:
    """The scheme for an action that needs a user (actions that need none run anonymously, unasked)."""
    if deployment == "cloud":
        choice = _cloud(creds, requested)
    else:
        choice = _server(product, version, creds, requested)
    if choice.scheme == "anonymous":
        raise ParameterError(
            "This action needs credentials: give --user and --password (or set ATLCTL_PASSWORD), "
            "or a token with --token (or ATLCTL_TOKEN)."
        )
    if web_session:
        choice = _web_session(deployment, choice, creds)
    return choice


def _cloud(creds: Credentials, requested: str) -> Choice:
    if requested == "session" or creds.session:
        raise ClientError(
            "Session login is not available on Jira Cloud (Atlassian removed it). " + cloud_credentials_hint() + "."
        )
    if creds.token and creds.password:
        raise ParameterError("Give either --password or --token, not both (on Cloud both carry the API token).")
    if not creds.secret:
        if creds.user:
            raise ParameterError(f"Missing API token for {creds.user}: give --token (or set ATLCTL_TOKEN).")
        return Choice("anonymous", reason="no credentials given")
    if not creds.user or not EMAIL.match(creds.user):
        got = f" (got '{creds.user}', not an email address)" if creds.user else ""
        raise ClientError(cloud_credentials_hint().replace("as --user", f"as --user{got}", 1) + ".")
    return Choice("basic", creds.user, creds.secret, "Cloud: account email + API token as basic auth")


def _server(product: str, version, creds: Credentials, requested: str) -> Choice:
    title = PRODUCT_TITLE.get(product, product)
    if requested == "auto":
        if creds.token and creds.password:
            raise ParameterError("Give either --password or --token, not both (or choose with --auth basic|session|token).")
        if creds.token:
            requested = "token"
        elif creds.password or creds.session:
            requested = "session"
        elif creds.user:
            raise ParameterError(
                f"Missing password for {creds.user}: give --password (or set ATLCTL_PASSWORD), or a "
                "personal access token with --token."
            )
        else:
            return Choice("anonymous", reason="no credentials given")
    if requested == "token":
        if not creds.token:
            raise ParameterError("--auth token needs a personal access token: give --token (or set ATLCTL_TOKEN).")
        minimum = PAT_MIN_VERSION.get(product)
        if minimum and version is not None and tuple(version[:2]) < minimum:
            raise ClientError(
                f"Personal access tokens need {title} {'.'.join(map(str, minimum))} or later; this server "
                f"runs {title} {'.'.join(map(str, version))}. Use --user and --password instead."
            )
        return Choice("token", creds.user, creds.token, "personal access token as Bearer")
    if requested == "basic":
        if creds.token and not creds.password:
            raise ParameterError(
                f"{title} Server/DC does not accept a personal access token with basic auth: use --auth token "
                "(the default for --token), or give --password for basic."
            )
        if not (creds.user and creds.password):
            raise ParameterError("--auth basic needs --user and --password (or ATLCTL_PASSWORD).")
        return Choice("basic", creds.user, creds.password, "basic auth on every request (--auth basic)")
    # session
    if not creds.session and not (creds.user and creds.password):
        raise ParameterError("Session authentication needs --user and --password, or --login with a saved session.")
    reason = "reusing a saved session" if creds.session else "session with automatic login"
    return Choice("session", creds.user, creds.password, reason)


def _web_session(deployment: str, choice: Choice, creds: Credentials) -> Choice:
    """Capabilities that only a browser-style session has (renderRequest, /secure pages)."""
    if deployment == "cloud":
        raise ClientError(
            "Action or capability not available on Jira Cloud: it needs a web session, and Cloud accepts "
            "only API tokens for scripts."
        )
    if choice.scheme == "token":
        raise ClientError(TOKEN_REFUSED)
    if choice.scheme == "basic":  # we hold the password, so a session can be opened for this action
        return Choice("session", choice.user, choice.secret, "this action needs a web session")
    return choice
