"""The auth flow for a chosen scheme: one table from scheme name to its httpx.Auth, each built the
same way from the choice, the product's session strategy and, on Atlassian Cloud, the route to the
API gateway (auth/gateway.py)."""

from __future__ import annotations

from typing import NamedTuple

from atlctl.auth.basic import BasicAuth
from atlctl.auth.bearer import BearerAuth
from atlctl.auth.select import Choice
from atlctl.auth.session import SessionAuth
from atlctl.auth.strategy import SessionStrategy
from atlctl.credentials.resolve import USER_FLAG


class Setup(NamedTuple):
    """What a scheme's flow is built from, besides the choice."""

    server: str
    strategy: SessionStrategy | None = None
    cookies: dict = {}
    on_event: object = print
    route: object = None  # a Cloud site's gateway Route, or None
    header: object = None  # OAuth: the token source (auth/oauth.py): header() gives "Bearer ...", renew() a new one
    http: object = None  # the httpx.Client a Cloud route asks tenant_info with
    owner: str | None = None  # whose session `cookies` hold, when known
    source: str | None = None  # where `cookies` come from ("Cookie file FILE", --login): one of unknown owner is checked
    user_from: str = USER_FLAG  # where the user came from (credentials/resolve.py's record), named in a refusal


def _basic(choice: Choice, setup: Setup):
    if setup.route is not None and setup.route.mode != "never":
        from atlctl.auth.gateway import GatewayAuth

        return GatewayAuth(setup.route, choice.user, choice.secret, setup.http, on_event=setup.on_event)
    return BasicAuth(setup.server, choice.user, choice.secret)


def _oauth(choice: Choice, setup: Setup):
    """An OAuth 2.0 access token goes to the gateway only: the site refuses it [§4.3]."""
    from atlctl.auth.gateway import GatewayAuth

    if setup.route is None or setup.header is None:
        raise ValueError("an oauth row without a gateway route")  # a declaration bug
    return GatewayAuth(setup.route._replace(mode="always"), choice.user, None, setup.http, header=setup.header.header,
                       renew=setup.header.renew, scheme="oauth", on_event=setup.on_event)


SCHEMES = {
    "basic": _basic,
    "token": lambda choice, setup: BearerAuth(setup.server, choice.secret, choice.user),
    "session": lambda choice, setup: SessionAuth(setup.server, choice.user, choice.secret, setup.strategy,
                                                 setup.cookies, on_event=setup.on_event, owner=setup.owner,
                                                 source=setup.source, user_from=setup.user_from),
    "oauth": _oauth,
}


def build(choice: Choice, setup: Setup):
    """The httpx.Auth for `choice` (None for anonymous)."""
    if choice.scheme == "anonymous":
        return None
    if choice.scheme == "session" and setup.strategy is None:
        raise ValueError("a session row on a deployment without a session strategy")  # a declaration bug
    return SCHEMES[choice.scheme](choice, setup)
