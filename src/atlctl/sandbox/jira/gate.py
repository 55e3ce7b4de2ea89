"""The request pipeline every Jira endpoint goes through, in the order the real stack runs it:
authentication (Seraph / the Cloud edge) -> rate limiting -> the REST filters (login required,
version, XSRF, websudo, administrator) -> the resource -> response headers (§0.2).

Endpoints declare what they need (kind, anonymous, websudo, admin); the settings decide the
rest. Handlers never look at credentials.
"""

from __future__ import annotations

import logging
import secrets
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote_plus, urlsplit

from starlette.datastructures import FormData
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import Response

from atlctl.sandbox.jira import errors
from atlctl.sandbox.jira.render import Renderer
from atlctl.sandbox.realm import ResetMidway, Session, User
from atlctl.sandbox.responses import empty_response

if TYPE_CHECKING:
    from atlctl.sandbox.jira.product import JiraProduct

# kind: which credentials count and how refusals look.
#   rest     REST credentials; JSON refusals; a stale session cookie is a 401 (§1.2)
#   auth     the /rest/auth session resource: reachable whatever the cookie says (§1.2)
#   web      /secure pages: only a cookie session counts; refusals redirect (login, websudo)
#   download attachment content under /secure: REST credentials, web-style refusals


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    handler: Callable[[Call], Awaitable[Response]]
    kind: str = "rest"
    anonymous: bool = True  # False: the caller must be authenticated
    websudo: bool = False  # @WebSudoRequired (§0.5)
    admin: bool = False  # Jira administrators only
    xsrf: bool = True  # POSTs go through the XSRF check (§0.4)
    api: str = "2"  # REST version in the path: 2, 3 or latest
    min_version: tuple[int, int, int] | None = None  # DC: the feature's first version
    max_version: tuple[int, int, int] | None = None  # DC: the version that removed it


_BROWSERS = ("Chrome/", "Firefox/", "Safari/", "Edg/", "OPR/", "MSIE ", "Trident/")
_XSRFABLE = ("", "application/x-www-form-urlencoded", "multipart/form-data", "text/plain")


class Call:
    """One request on its way through the pipeline."""

    __slots__ = (
        "product",
        "request",
        "endpoint",
        "params",
        "base",
        "user",
        "scheme",
        "session",
        "new_session",
        "reasons",
        "headers",
        "cookies",
        "_render",
    )

    def __init__(self, product: JiraProduct, request: Request, endpoint: Endpoint, params: dict[str, str]):
        self.product = product
        self.request = request
        self.endpoint = endpoint
        self.params = params
        host = request.headers.get("host") or "localhost"
        self.base = f"{request.url.scheme}://{host}{product.deployment.prefix}"
        self.user: User | None = None
        self.scheme = "anonymous"
        self.session: Session | None = None
        self.new_session = False
        self.reasons: list[str] = []  # X-Seraph-LoginReason values, in order (§0.1)
        self.headers: list[tuple[str, str]] = []
        self.cookies: list[str] = []
        self._render: Renderer | None = None

    @property
    def render(self) -> Renderer:
        if self._render is None:
            self._render = Renderer(self.product.data, self.product.deployment.cloud, self.base, self.endpoint.api)
        return self._render

    def start_session(self, user: User | None) -> Session:
        """A fresh session (Seraph replaces the old one on login); its cookies go out with the response."""
        if self.session is not None:
            self.product.realm.drop_session(self.session.id)
        self.session = self.product.realm.new_session(user)
        self.new_session = True
        return self.session

    def query_list(self, name: str) -> list[str]:
        return self.request.query_params.getlist(name)

    async def body(self) -> bytes:
        return await self.product.realm.settle(self.request.body())

    async def form(self) -> FormData:
        """The urlencoded or multipart body; 400 if it cannot be parsed (a broken multipart body,
        Starlette's limits on fields and files)."""
        try:
            return await self.product.realm.settle(self.request.form())
        except MultiPartException as exc:
            raise errors.Refusal(errors.collection(400, [exc.message])) from None


# python-multipart logs every malformed body, and with no handler configured Python prints that
# on stderr; the client's 400 says it already.
logging.getLogger("python_multipart").setLevel(logging.CRITICAL)


async def handle(product: JiraProduct, endpoint: Endpoint, request: Request, params: dict[str, str]) -> Response:
    call = Call(product, request, endpoint, params)
    try:
        response = await product.authenticate(call)
        product.realm.stats.requests_by_auth[call.scheme] += 1
        if response is None:
            response = _rate_limit(call)
        if response is None:
            response = await _guard(call)
        if response is None:
            response = await endpoint.handler(call)
    except errors.Refusal as refusal:
        response = refusal.response
    except ResetMidway:
        call.user, call.session, call.new_session = None, None, False  # they went with the reset
        response = errors.reset_midway()
    finally:
        await request.close()  # uploaded files
    _finish(call, response)
    return response


# ---- the REST filters ----------------------------------------------------------------------


async def _guard(call: Call) -> Response | None:
    ep, product = call.endpoint, call.product
    web_style = ep.kind in ("web", "download")
    version = product.settings.version_tuple
    if version and ((ep.min_version and version < ep.min_version) or (ep.max_version and version >= ep.max_version)):
        return errors.null_for_uri(call)
    if not ep.anonymous and call.user is None:
        return errors.login_redirect(call) if web_style else errors.not_authenticated(call)
    if ep.xsrf and call.request.method == "POST" and not await _xsrf_ok(call):
        return errors.xsrf_missing_page(call) if ep.kind == "web" else errors.xsrf_failed(call)
    if ep.kind == "web":
        # A page: administrators only, then a fresh websudo grant whatever the authentication.
        if ep.admin and not product.realm.is_admin(call.user):
            return errors.permission_violation(call)
        if ep.websudo and product.settings.websudo and not product.realm.has_websudo(call.session):
            return errors.websudo_redirect(call)
        return None
    if ep.websudo and _websudo_enforced(call):
        return errors.websudo_required()
    if ep.admin and not product.realm.is_admin(call.user):
        return errors.collection(403, [errors.ADMIN_REQUIRED])
    return None


def _websudo_enforced(call: Call) -> bool:
    """§0.5 SalWebSudoResourceContext: Basic and Bearer-PAT requests skip websudo. Its test is
    startsWith("Basic ") / startsWith("Bearer "): case-sensitive, unlike the authentication."""
    if not call.product.settings.websudo:
        return False
    authorization = call.request.headers.get("authorization", "")
    if authorization.startswith("Basic ") or (authorization.startswith("Bearer ") and call.scheme == "bearer"):
        return False
    return not call.product.realm.has_websudo(call.session)


async def _xsrf_ok(call: Call) -> bool:
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


# ---- rate limiting (§1.9, §4.7) ------------------------------------------------------------


def _rate_limit(call: Call) -> Response | None:
    limit = call.product.settings.rate_limit
    if limit is None or call.user is None or call.endpoint.kind == "web":
        return None
    requests, interval = limit["requests"], limit["interval_seconds"]
    allowed, left, wait, refill_at = call.product.realm.rate_limiter.take(call.user.key, call.product.realm.clock.now(), requests, interval)
    if call.product.deployment.cloud:
        call.headers += [("X-RateLimit-Limit", str(requests)), ("X-RateLimit-Remaining", str(left))]
        if left < requests * 0.2:
            call.headers.append(("X-RateLimit-NearLimit", "true"))
        if allowed:
            return None
        reset = time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime(refill_at))
        call.headers += [("Retry-After", str(wait)), ("X-RateLimit-Reset", reset), ("RateLimit-Reason", "jira-burst-based")]
        return empty_response(429)
    seconds = int(interval) if float(interval).is_integer() else interval
    call.headers += [
        ("X-RateLimit-Limit", str(requests)),
        ("X-RateLimit-Remaining", str(left)),
        ("X-RateLimit-Interval-Seconds", str(seconds)),
        ("X-RateLimit-FillRate", str(requests)),
        ("Retry-After", str(wait)),
    ]
    return None if allowed else empty_response(429)


# ---- response headers (§0.2) ---------------------------------------------------------------

_DC_STATIC = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-xss-protection", b"1; mode=block"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"content-security-policy", b"frame-ancestors 'self'"),
    (b"x-asen", b"SEN-L00000000"),
]
_CLOUD_STATIC = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-xss-protection", b"1; mode=block"),
    (b"server", b"AtlassianEdge"),
    (b"timing-allow-origin", b"*"),
]
_NO_CACHE = (b"cache-control", b"no-cache, no-store, no-transform")


def _finish(call: Call, response: Response) -> None:
    product, raw = call.product, response.raw_headers
    cloud = product.deployment.cloud
    raw.extend(_CLOUD_STATIC if cloud else _DC_STATIC)
    if call.endpoint.kind != "web":
        raw.append(_NO_CACHE)
    if cloud:
        raw.append((b"x-arequestid", uuid.uuid4().hex.encode()))
        raw.append((b"atl-traceid", secrets.token_hex(8).encode()))
        if call.user is not None:
            raw.append((b"x-aaccountid", call.user.key.encode()))
    else:
        raw.append((b"x-arequestid", product.next_request_id().encode()))
        if call.session is not None:
            raw.append((b"x-asessionid", call.session.short_id.encode()))
        raw.append((b"x-ausername", _url_encoded(call.user.name).encode() if call.user else b"anonymous"))
    for reason in call.reasons:
        raw.append((b"x-seraph-loginreason", reason.encode()))
    for name, value in call.headers:
        raw.append((name.lower().encode(), value.encode()))
    if call.new_session and call.session is not None:
        path = product.deployment.prefix
        raw.append((b"set-cookie", f"JSESSIONID={call.session.id}; Path={path}; HttpOnly".encode()))
        state = "lin" if call.session.user_key else "lout"
        raw.append((b"set-cookie", f"atlassian.xsrf.token={call.session.xsrf}|{state}; Path={path}".encode()))
    for cookie in call.cookies:
        raw.append((b"set-cookie", cookie.encode()))


def _url_encoded(text: str) -> str:
    """java.net.URLEncoder, as Jira encodes X-AUSERNAME (§0.2): a space is +, and only A-Z a-z
    0-9 . - * _ stay as they are."""
    return quote_plus(text, safe="*").replace("~", "%7E")
