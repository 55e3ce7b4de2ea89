"""What Atlassian's Server/DC stacks (and their Cloud edge) share, for the sandbox products of
Jira, Confluence and Bitbucket: the atlassian-rest XSRF filter (§0.4), websudo's REST rule (§0.5),
the Cloud edge's reading of email + API token (§4.1),
the rate-limit headers
(§1.9, §4.7), the encoding of X-AUSERNAME (§0.2) and the version-gated basic-auth switch (§2.3)."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote_plus, urlsplit

from starlette.requests import Request
from starlette.responses import Response

from atlctl.sandbox.product import Call, basic_credentials
from atlctl.sandbox.ratelimit import Take
from atlctl.sandbox.realm import AccessToken, Realm, User
from atlctl.sandbox.responses import empty_response
from atlctl.sandbox.settings import Settings, SettingsError, parse_version

# The Atlassian Cloud site the sandbox serves at /cloud (Jira) and /cloud/wiki (Confluence), as
# /_edge/tenant_info names it and the API gateway (sandbox/gateway/) addresses it.
CLOUD_ID = "8c1e3f4a-2b6d-4e7a-9f10-5a3b2c1d0e9f"
API_TOKEN = "api_token"  # a classic (unscoped) Atlassian API token
SCOPED_API_TOKEN = "scoped_api_token"  # an API token with scopes: good only through the gateway (§4.2)

_BROWSERS = ("Chrome/", "Firefox/", "Safari/", "Edg/", "OPR/", "MSIE ", "Trident/")
_XSRFABLE = ("", "application/x-www-form-urlencoded", "multipart/form-data", "text/plain")


async def xsrf_ok(call: Call) -> bool:
    """§0.4 XsrfResourceFilter (REST) and Jira's form-token check for .jspa posts."""
    request = call.request
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if call.endpoint.kind != "web":
        if _looks_like_browser(request) and not _browser_origin_ok(request):
            return False  # checked first: whatever the media type, even with X-Atlassian-Token: no-check
        if media not in _XSRFABLE:
            return True  # JSON and other media types cannot come from a cross-site form
    if request.headers.get("x-atlassian-token", "").lower() in ("no-check", "nocheck"):
        return True
    token = request.query_params.get("atl_token")
    if token is None and media == "application/x-www-form-urlencoded":
        token = (await call.form()).get("atl_token")
    session = call.session
    return bool(token and session and str(token).split("|lin")[0].split("|lout")[0] == session.xsrf)


def websudo_enforced(call: Call) -> bool:
    """§0.5 SalWebSudoResourceContext: Basic and Bearer-PAT requests skip websudo. Its test is
    startsWith("Basic ") / startsWith("Bearer "): case-sensitive, unlike the authentication. Reads the product's `websudo`
    setting."""
    if not call.product.settings.websudo:
        return False
    authorization = call.request.headers.get("authorization", "")
    if authorization.startswith("Basic ") or (authorization.startswith("Bearer ") and call.scheme == "bearer"):
        return False
    return not call.product.realm.has_websudo(call.session)


def basic_token(realm: Realm, value: str) -> tuple[User | None, AccessToken | None, str]:
    """The account a Basic value names (email case-insensitive), the token its secret is when the
    account is active and the token its own (else None), and the secret."""
    login, secret = basic_credentials(value)
    user = realm.find_user(login)
    token = realm.token(secret) if user is not None and user.active else None
    return user, token if token is not None and token.user_key == user.key else None, secret


async def cloud_basic(call: Call):
    """The Atlassian Cloud edge reading a Basic value (§4.1): ("token", user) for the account's API
    token, ("scoped", user) for one of its scoped API tokens, which only the gateway takes (§4.2),
    ("password", user) for its web password, which the API refuses, and ("bad", None) for anything
    else. Checks a password only when the token does not match."""
    user, token, secret = basic_token(call.product.realm, call.authorization()[1])
    if token is not None and token.type == API_TOKEN:
        return "token", user
    if token is not None and token.type == SCOPED_API_TOKEN:
        return "scoped", user
    if user is not None and await call.product.realm.check_password(user, secret, call.product.stats):
        return "password", user
    return "bad", None


def _looks_like_browser(request: Request) -> bool:
    agent = request.headers.get("user-agent", "")
    return agent.startswith("Mozilla/") and any(marker in agent for marker in _BROWSERS)


def _browser_origin_ok(request: Request) -> bool:
    """The filter's order: a same-origin Referer (query stripped), a same-origin Origin, a browser
    extension's Origin. (Jira's CORS allow-list is empty here.)"""
    here = _origin(f"{request.url.scheme}://{request.headers.get('host', '')}")
    referer = request.headers.get("referer", "").split("?", 1)[0]
    origin = request.headers.get("origin", "")
    if here is not None and here in (_origin(referer), _origin(origin)):
        return True
    scheme, sep, rest = origin.partition("://")
    return scheme in ("chrome-extension", "safari-extension") and bool(sep and rest)


def _origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) with the scheme's default port filled in; None if `url` has none."""
    try:
        parts = urlsplit(url)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:  # e.g. a bad port or IPv6 literal
        return None
    return (parts.scheme, parts.hostname, port) if parts.scheme and parts.hostname and port else None


# ---- rate-limit headers --------------------------------------------------------------------


def rate_limited_dc(call: Call, requests: int, interval: float, take: Take) -> Response | None:
    """§1.9: the bucket's state on every limited-eligible response; 429 with an empty body."""
    seconds = int(interval) if float(interval).is_integer() else interval
    call.headers += [
        ("X-RateLimit-Limit", str(requests)),
        ("X-RateLimit-Remaining", str(take.left)),
        ("X-RateLimit-Interval-Seconds", str(seconds)),
        ("X-RateLimit-FillRate", str(requests)),
        ("Retry-After", str(take.wait)),
    ]
    return None if take.allowed else empty_response(429)


def rate_limited_cloud(call: Call, requests: int, interval: float, take: Take, reason: str = "jira-burst-based") -> Response | None:
    """§4.7: limit and remaining, a near-limit flag, and when to come back on the 429."""
    call.headers += [("X-RateLimit-Limit", str(requests)), ("X-RateLimit-Remaining", str(take.left))]
    if take.left < requests * 0.2:
        call.headers.append(("X-RateLimit-NearLimit", "true"))
    if take.allowed:
        return None
    reset = time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime(take.refill_at))
    call.headers += [("Retry-After", str(take.wait)), ("X-RateLimit-Reset", reset), ("RateLimit-Reason", reason)]
    return empty_response(429)


def url_encoded(text: str) -> str:
    """java.net.URLEncoder, as Jira and Confluence encode X-AUSERNAME (§0.2): a space is +, and only A-Z a-z
    0-9 . - * _ stay as they are."""
    return quote_plus(text, safe="*").replace("~", "%7E")


class ServerSettings(Settings):
    """Settings of a Server/DC product: version_tuple follows version, and basic auth can be
    turned off only from the version that added the switch."""

    product_name: str
    basic_switch: tuple[int, int, int]
    version_tuple: tuple[int, int, int]

    def apply(self, values: dict[str, Any]) -> None:
        super().apply(values)
        if "version" in values:
            self.version_tuple = parse_version(self.version)

    def check_together(self, values: dict[str, Any]) -> None:
        if values.get("basic_auth") is False and parse_version(values["version"]) < self.basic_switch:
            major, minor, patch = self.basic_switch
            raise SettingsError(f"basic_auth: false needs version {major}.{minor}.{patch} or later "
                                f"({self.product_name} added the switch in {major}.{minor})")
