"""The auth flow for a chosen scheme: one table from scheme name to its httpx.Auth, each built the
same way from the choice and the product's session strategy."""

from __future__ import annotations

from atlctl.auth.basic import BasicAuth
from atlctl.auth.bearer import BearerAuth
from atlctl.auth.select import Choice
from atlctl.auth.session import SessionAuth
from atlctl.auth.strategy import SessionStrategy

SCHEMES = {
    "basic": lambda choice, server, strategy, cookies, on_event: BasicAuth(server, choice.user, choice.secret),
    "token": lambda choice, server, strategy, cookies, on_event: BearerAuth(server, choice.secret, choice.user),
    "session": lambda choice, server, strategy, cookies, on_event: SessionAuth(
        server, choice.user, choice.secret, strategy, cookies, on_event=on_event),
}


def build(choice: Choice, server: str, strategy: SessionStrategy | None, cookies: dict, on_event, route=None):
    """The httpx.Auth for `choice` (None for anonymous). `route`: a Cloud site's auth/gateway.py Route,
    for basic auth that may go through the gateway."""
    if choice.scheme == "anonymous":
        return None
    if route is not None and choice.scheme == "basic" and route.mode != "never":
        from atlctl.auth.gateway import GatewayAuth

        return GatewayAuth(route, choice.user, choice.secret, on_event=on_event)
    if choice.scheme == "session" and strategy is None:
        raise ValueError("a session row on a deployment without a session strategy")  # a declaration bug
    return SCHEMES[choice.scheme](choice, server, strategy, cookies, on_event)
