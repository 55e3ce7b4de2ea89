"""What Jira's stack does around every resource, plugged into the shared pipeline: the REST filters
in the order the real stack runs them (version, login required, XSRF, websudo, administrator), the
rate-limit headers (§1.9, §4.7) and the response headers (§0.2).
"""

from __future__ import annotations

import secrets
import uuid

from starlette.responses import Response

from atlctl.sandbox.atlassian import rate_limited_cloud, rate_limited_dc, url_encoded, websudo_enforced, xsrf_ok
from atlctl.sandbox.jira import errors
from atlctl.sandbox.jira.call import JiraCall

__all__ = ["guard", "rate_limited_cloud", "rate_limited_dc", "finish_dc", "finish_cloud"]


# ---- the REST filters ----------------------------------------------------------------------


async def guard(call: JiraCall) -> Response | None:
    ep, product = call.endpoint, call.product
    web_style = ep.kind in ("web", "download")
    version = product.settings.version_tuple
    if version and ((ep.min_version and version < ep.min_version) or (ep.max_version and version >= ep.max_version)):
        return errors.null_for_uri(call)
    if not ep.anonymous and call.user is None:
        return errors.login_redirect(call) if web_style else errors.not_authenticated(call)
    if ep.xsrf and call.request.method == "POST" and not await xsrf_ok(call):
        return errors.xsrf_missing_page(call) if ep.kind == "web" else errors.xsrf_failed(call)
    if ep.kind == "web":
        # A page: administrators only, then a fresh websudo grant whatever the authentication.
        if ep.admin and not product.realm.is_admin(call.user):
            return errors.permission_violation(call)
        if ep.websudo and product.settings.websudo and not product.realm.has_websudo(call.session):
            return errors.websudo_redirect(call)
        return None
    if ep.websudo and websudo_enforced(call):
        return errors.websudo_required()
    if ep.admin and not product.realm.is_admin(call.user):
        return errors.collection(403, [errors.ADMIN_REQUIRED])
    return None


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
    raw.append((b"x-ausername", url_encoded(call.user.name).encode() if call.user else b"anonymous"))
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
