"""The Atlassian API gateway (https://api.atlassian.com) and OAuth 2.0 server (https://auth.atlassian.com)
as one sandbox product under /gateway, with the site's edge (/cloud/_edge/tenant_info).

/gateway/ex/jira/{cloudId}/... and /gateway/ex/confluence/{cloudId}/[wiki/]... are the sandbox's
Cloud site (Jira Cloud at /cloud, Confluence Cloud at /cloud/wiki: the same data): the gateway
authenticates the caller (a scoped API token as Basic email:token, an OAuth 2.0 access token as
Bearer), checks the token's scopes against the operation's (scopes.py), and hands the request to
the site's product with the account it authenticated (product.FORWARDED). Everything else here is
the OAuth 2.0 server (oauth.py). server-behaviour.md §4.2, §4.3.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from atlctl.sandbox import atlassian
from atlctl.sandbox.atlassian import API_TOKEN, CLOUD_ID, SCOPED_API_TOKEN
from atlctl.sandbox.gateway import oauth, scopes
from atlctl.sandbox.gateway.errors import error, not_found, scope_mismatch, unauthorized
from atlctl.sandbox.gateway.seeds import USERS
from atlctl.sandbox.pipeline import serve
from atlctl.sandbox.product import FORWARDED, MOUNT, Call, ControlHandler, Endpoint, Environment, Product
from atlctl.sandbox.ratelimit import RateLimiter, Take
from atlctl.sandbox.realm import Stats
from atlctl.sandbox.responses import method_not_allowed_handler
from atlctl.sandbox.router import Router
from atlctl.sandbox.settings import Settings, SettingsError, int_between

EDGE = "/cloud/_edge"  # the site's edge, where tenant_info lives (https://<site>.atlassian.net/_edge)
# The gateway's product names -> (the sandbox product serving the site, its path under the site).
SITES = {"jira": ("jira_cloud", ""), "confluence": ("confluence_cloud", "/wiki")}


def _classic(value: Any) -> str:
    if value not in ("refused", "accepted"):
        raise SettingsError('must be "refused" or "accepted"')
    return value


SCHEMA = {
    "access_token_seconds": int_between(1, 86400),
    "refresh_token_seconds": int_between(1, 365 * 86400),
    "classic_tokens": _classic,
}


def _defaults() -> dict[str, Any]:
    return {"access_token_seconds": 3600, "refresh_token_seconds": 90 * 86400, "classic_tokens": "refused"}


class GatewayStats(Stats):
    """Beyond the shared counters: requests to the products behind the gateway (refused ones too),
    and OAuth tokens issued, by grant type."""

    def __init__(self) -> None:
        super().__init__()
        self.gateway_calls: Counter[str] = Counter({site: 0 for site in SITES})
        self.token_grants: Counter[str] = Counter({grant: 0 for grant in oauth.GRANTS})

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "gateway_calls": dict(self.gateway_calls), "token_grants": dict(self.token_grants)}


@dataclass(frozen=True)
class GatewayEndpoint(Endpoint):
    edge: bool = False  # served under /cloud/_edge only (else under /gateway only)
    site: str = ""  # kind "ex": jira or confluence
    cloud_id: str = ""
    rest: str = ""  # kind "ex": the path after the cloudId


class GatewayCall(Call):
    __slots__ = ("scopes", "token", "forwarded")

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.scopes: list[str] | None = None  # the token's scopes (None: a classic token, if accepted)
        self.token = None  # the OAuth access token (realm.AccessToken) of a Bearer request
        self.forwarded = False


class Forwarded:
    """The answer of the site's product, to which the gateway handed the request: it runs the
    product's own pipeline under the gateway's URL, with the account the gateway authenticated."""

    def __init__(self, target: Product, mount: str, identity: tuple[str, str]):
        self.target, self.mount, self.identity = target, mount, identity
        self.raw_headers: list[tuple[bytes, bytes]] = []  # what the gateway's pipeline adds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        extra = self.raw_headers

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and extra:
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await serve(self.target, {**scope, MOUNT: self.mount, FORWARDED: self.identity}, receive, send_with_headers)


class GatewayProduct(Product):
    key = "gateway"
    prefix = "/gateway"
    aliases = (EDGE,)
    title = "Atlassian API gateway and OAuth 2.0 (api.atlassian.com, auth.atlassian.com)"
    users = USERS
    session_cookie = ""
    call_type = GatewayCall

    def __init__(self, env: Environment):
        self.env = env
        self.settings = Settings(SCHEMA, _defaults)
        self.realm = env.realm("atlassian_cloud", self.settings, by_email=True, admin_groups=("site-admins",))
        self.stats = GatewayStats()
        self.rate_limiter = RateLimiter()
        self.oauth = oauth.OAuthServer(self)
        self.router: Router[GatewayEndpoint] = Router()
        self.router.add("GET", "/tenant_info", GatewayEndpoint("GET", "/tenant_info", oauth.tenant_info, kind="edge", edge=True))
        for method, path, handler, kind in oauth.ROUTES:
            self.router.add(method, path, GatewayEndpoint(method, path, handler, kind=kind))

    # ---- who is calling -------------------------------------------------------------------

    async def authenticate(self, call: GatewayCall) -> Response | None:
        """Bearer: an OAuth 2.0 access token; Basic: email and a scoped API token. The OAuth
        server's own pages and token endpoint read no Authorization header."""
        ep = call.endpoint
        if ep.kind == "ex":
            self.stats.gateway_calls[ep.site] += 1
        if ep.kind not in ("ex", "api"):
            return None
        scheme, value = call.authorization()
        realm = self.realm
        if scheme == "bearer":
            call.scheme = "bearer"
            token = realm.token(value)
            user = realm.users.get(token.user_key) if token is not None and token.type == oauth.ACCESS else None
            if user is None or not user.active:
                return unauthorized()
            call.user, call.scopes, call.token = user, token.scopes, token
            return None
        if scheme != "basic":
            return unauthorized()
        call.scheme = "basic"
        user, token, _ = atlassian.basic_token(realm, value)
        if token is None:
            return unauthorized()  # the gateway checks no passwords
        if token.type == SCOPED_API_TOKEN and ep.kind == "ex":
            call.user, call.scopes = user, token.scopes
            return None
        if token.type == API_TOKEN and ep.kind == "ex":
            if self.settings.classic_tokens == "accepted":
                call.user = user  # no scopes to check: the account's own permissions decide
                return None
            return scope_mismatch()  # [I] a classic token holds no scopes (see docs/sandbox.md)
        return unauthorized()

    async def guard(self, call: GatewayCall) -> Response | None:
        ep = call.endpoint
        if ep.edge != (call.request.scope.get(MOUNT, self.prefix) == EDGE):
            return not_found()
        if ep.kind != "ex":
            return None
        if ep.cloud_id != CLOUD_ID or SITES[ep.site][0] not in self.env.products:
            return not_found()
        needed = scopes.required(ep.site, call.request.method, _under_site(ep))
        if needed is not None and call.scopes is not None and not scopes.allowed(call.scopes, needed):
            return scope_mismatch()
        return None

    # ---- the rest of the contract ------------------------------------------------------------

    def error(self, status: int, message: str) -> Response:
        return error(status, message)

    def unrouted(self, path: str, method: str, allowed: list[str]) -> GatewayEndpoint:
        """/ex/{jira|confluence}/{cloudId}/...: the site's products; the rest is a 404 (or 405)."""
        if allowed:
            return GatewayEndpoint(method, path, method_not_allowed_handler(allowed), kind="oauth")
        parts = path.split("/", 4)  # "", "ex", site, cloudId, rest
        if len(parts) == 5 and parts[1] == "ex" and parts[2] in SITES:
            site, cloud_id, rest = parts[2], parts[3], "/" + parts[4]
            return GatewayEndpoint(method, path, _forward, kind="ex", site=site, cloud_id=cloud_id, rest=rest)
        return GatewayEndpoint(method, path, _not_found, kind="oauth")

    def rate_limited(self, call: Call, requests: int, interval: float, take: Take) -> Response | None:
        return atlassian.rate_limited_cloud(call, requests, interval, take, reason="gateway-burst-based")

    def finish(self, call: GatewayCall, raw: list[tuple[bytes, bytes]]) -> None:
        if not call.forwarded:  # the site's product writes its own
            raw.append((b"server", b"AtlassianEdge"))
            raw.append((b"atl-traceid", uuid.uuid4().hex[:16].encode()))

    def control_routes(self) -> list[tuple[str, str, ControlHandler]]:
        return [("POST", "/revoke", self.oauth.revoke_grant)]

    def reset(self) -> None:
        self.settings.reset()
        self.stats = GatewayStats()
        self.rate_limiter = RateLimiter()
        self.oauth.reset()


def _under_site(ep: GatewayEndpoint) -> str:
    """The path as the site has it: Confluence's under /wiki, which the gateway lets callers leave
    out (kovetskiy/mark#917 and atlassian-python-api#1546 call /ex/confluence/{cloudId}/rest/api/...)."""
    site_path = SITES[ep.site][1]
    return ep.rest if f"{ep.rest}/".startswith(f"{site_path}/") else site_path + ep.rest


async def _forward(call: GatewayCall) -> Forwarded:
    ep, product = call.endpoint, call.product
    target_key, site_path = SITES[ep.site]
    given = site_path if _under_site(ep) == ep.rest else ""  # the mount ends where the site's path starts
    mount = f"{call.request.scope.get(MOUNT, product.prefix)}/ex/{ep.site}/{ep.cloud_id}{given}"
    call.forwarded = True
    return Forwarded(product.env.products[target_key], mount, (call.user.key, call.scheme))


async def _not_found(call: Call) -> Response:
    return not_found()
