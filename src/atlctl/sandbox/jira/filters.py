"""What Jira's stack does around every resource, plugged into the shared pipeline: the REST filters
in the order the real stack runs them (version, login required, XSRF, websudo, administrator), the
rate-limit headers (§1.9, §4.7) and the response headers (§0.2).
"""

from __future__ import annotations

import secrets
import time
import uuid
from urllib.parse import quote_plus, urlsplit

from starlette.requests import Request
from starlette.responses import Response

from atlctl.sandbox.jira import errors
from atlctl.sandbox.jira.call import JiraCall
from atlctl.sandbox.ratelimit import Take
from atlctl.sandbox.responses import empty_response

_BROWSERS = ("Chrome/", "Firefox/", "Safari/", "Edg/", "OPR/", "MSIE ", "Trident/")
_XSRFABLE = ("", "application/x-www-form-urlencoded", "multipart/form-data", "text/plain")


# ---- the REST filters ----------------------------------------------------------------------


async def guard(call: JiraCall) -> Response | None:
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


def _websudo_enforced(call: JiraCall) -> bool:
    """§0.5 SalWebSudoResourceContext: Basic and Bearer-PAT requests skip websudo. Its test is
    startsWith("Basic ") / startsWith("Bearer "): case-sensitive, unlike the authentication."""
    if not call.product.settings.websudo:
        return False
    authorization = call.request.headers.get("authorization", "")
    if authorization.startswith("Basic ") or (authorization.startswith("Bearer ") and call.scheme == "bearer"):
        return False
    return not call.product.realm.has_websudo(call.session)


async def _xsrf_ok(call: JiraCall) -> bool:
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


# ---- rate-limit headers --------------------------------------------------------------------


def rate_limited_dc(call: JiraCall, requests: int, interval: float, take: Take) -> Response | None:
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


def rate_limited_cloud(call: JiraCall, requests: int, interval: float, take: Take) -> Response | None:
    """§4.7: limit and remaining, a near-limit flag, and when to come back on the 429."""
    call.headers += [("X-RateLimit-Limit", str(requests)), ("X-RateLimit-Remaining", str(take.left))]
    if take.left < requests * 0.2:
        call.headers.append(("X-RateLimit-NearLimit", "true"))
    if take.allowed:
        return None
    reset = time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime(take.refill_at))
    call.headers += [("Retry-After", str(take.wait)), ("X-RateLimit-Reset", reset), ("RateLimit-Reason", "jira-burst-based")]
    return empty_response(429)


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


def finish_dc(call: JiraCall, raw: list[tuple[bytes, bytes]]) -> None:
    raw.extend(_DC_STATIC)
    if call.endpoint.kind != "web":
        raw.append(_NO_CACHE)
    raw.append((b"x-arequestid", call.product.next_request_id().encode()))
    if call.session is not None:
        raw.append((b"x-asessionid", call.session.short_id.encode()))
    raw.append((b"x-ausername", _url_encoded(call.user.name).encode() if call.user else b"anonymous"))
    for reason in call.reasons:
        raw.append((b"x-seraph-loginreason", reason.encode()))


def finish_cloud(call: JiraCall, raw: list[tuple[bytes, bytes]]) -> None:
    raw.extend(_CLOUD_STATIC)
    if call.endpoint.kind != "web":
        raw.append(_NO_CACHE)
    raw.append((b"x-arequestid", uuid.uuid4().hex.encode()))
    raw.append((b"atl-traceid", secrets.token_hex(8).encode()))
    if call.user is not None:
        raw.append((b"x-aaccountid", call.user.key.encode()))
    for reason in call.reasons:
        raw.append((b"x-seraph-loginreason", reason.encode()))


def _url_encoded(text: str) -> str:
    """java.net.URLEncoder, as Jira encodes X-AUSERNAME (§0.2): a space is +, and only A-Z a-z
    0-9 . - * _ stay as they are."""
    return quote_plus(text, safe="*").replace("~", "%7E")
