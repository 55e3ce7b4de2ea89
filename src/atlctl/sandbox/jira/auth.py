"""Who is calling: Jira DC's Seraph + PAT filter (§0.1, §1.1, §1.2, §1.5) and the Jira Cloud edge
(§4.1). Each returns None to let the request through (identified or anonymous) or a refusal.
"""

from __future__ import annotations

import secrets
import uuid

from starlette.responses import Response

from atlctl.sandbox.atlassian import cloud_basic
from atlctl.sandbox.jira import errors
from atlctl.sandbox.jira.call import JiraCall
from atlctl.sandbox.jira.deployment import PAT
from atlctl.sandbox.product import basic_credentials

PAT_VERSION = (8, 14, 0)  # Jira's first version with personal access tokens


# Jira's server.xml: maxHttpHeaderSize="8192" on its Tomcat connector, request line included.
TOMCAT_HEADER_LIMIT = 8192


def _head_size(call: JiraCall) -> int:
    scope = call.request.scope
    target = len(scope.get("raw_path", b"")) + len(scope.get("query_string", b"")) + 1
    line = len(scope["method"]) + 1 + target + len(" HTTP/1.1\r\n")
    return line + sum(len(name) + len(value) + 4 for name, value in scope["headers"]) + 2


async def authenticate_dc(call: JiraCall) -> Response | None:
    if _head_size(call) > TOMCAT_HEADER_LIMIT:  # Tomcat refuses it before Jira sees it
        return errors.tomcat_header_too_large()
    # Seraph trusts the session before looking at any Authorization header.
    stale_cookie = call.resume_session()
    if call.user is not None:
        return None
    if call.endpoint.kind != "web":
        scheme, value = call.authorization()
        if scheme == "basic":
            return await _basic_dc(call, value)
        if scheme == "bearer" and call.product.settings.version_tuple >= PAT_VERSION:
            return _bearer_dc(call, value)
        # Before 8.14 nothing reads a Bearer header: the request stays anonymous (§1.5).
    if stale_cookie:
        call.scheme = "session"
        if call.endpoint.kind == "rest":
            return errors.not_authenticated(call)  # §1.2: an expired session is a 401, not anonymous
    return None


async def _basic_dc(call: JiraCall, value: str) -> Response | None:
    realm = call.product.realm
    call.scheme = "basic"
    if not call.product.settings.basic_auth:
        return errors.basic_disabled()
    login, password = basic_credentials(value)
    user = realm.find_user(login)
    outcome = await realm.login(user, password, call.product.stats)
    if outcome:
        # Seraph (invalidate.session.on.login) replaces any session the cookie carried: a new
        # JSESSIONID and a |lin xsrf token.
        call.start_session(user)
        call.user = user
        call.reasons.append("OK")
        return None
    if call.session is None:
        call.start_session(None)  # a refused login attempt opens a session too (§1.1, §1.4)
    if outcome is None:
        call.reasons.append("AUTHENTICATION_DENIED")  # CAPTCHA: refused unchecked (§0.1)
        return errors.captcha_basic(call)
    call.reasons.append("AUTHENTICATED_FAILED")
    return errors.basic_failed(call)


def _bearer_dc(call: JiraCall, raw: str) -> Response | None:
    """A PAT identifies its owner; PAT requests get no session (§1.2 invalidate-session default)."""
    call.scheme = "bearer"
    realm = call.product.realm
    token = realm.token(raw)
    user = realm.users.get(token.user_key) if token is not None and token.type == PAT else None
    if user is None or not user.active:
        call.reasons.append("AUTHENTICATED_FAILED")
        return errors.not_authenticated(call)  # §9.2
    call.user = user
    return None


async def authenticate_cloud(call: JiraCall) -> Response | None:
    """Email + API token as Basic; no cookie sessions; Bearer is a Connect token to the site."""
    scheme, value = call.authorization()
    if scheme == "bearer":
        call.scheme = "bearer"
        return errors.cloud_bearer()
    if scheme != "basic":
        return None
    call.scheme = "basic"
    outcome, user = await cloud_basic(call)
    if outcome == "token":
        call.user = user
        return None
    if outcome == "password":
        return errors.cloud_password()
    call.reasons.append("AUTHENTICATED_FAILED")
    if outcome == "scoped":
        return errors.not_authenticated(call)  # §4.2: a 401 wherever it goes on the site, never anonymous
    if call.endpoint.anonymous:
        # JRACLOUD-93811: served anonymously; only the header and a logged-out XSRF cookie tell.
        path = call.product.prefix
        call.cookies.append(f"atlassian.xsrf.token={uuid.uuid4()}_{secrets.token_hex(20)}_lout; Path={path}; Secure")
        return None
    return errors.not_authenticated(call)
