"""Confluence Data Center and Confluence Cloud as sandbox products (the contract is sandbox/product.py).

DC, under /confluence: Seraph in front (Basic with a session opened by the first good request, the
JSESSIONID it hands out, /dologin.action, CAPTCHA, basic auth switched off), personal access tokens
as Bearer from 7.9, websudo for the admin REST resources (/doauthenticate.action grants it).
Cloud, under /cloud/wiki: the Atlassian edge shared with Jira Cloud (one realm, atlassian_cloud):
email + API token as Basic, and only for accounts with Confluence access."""

from __future__ import annotations

import itertools
import secrets
import time
import uuid
from typing import Any
from urllib.parse import quote

from starlette.responses import Response

from atlctl.sandbox import atlassian
from atlctl.sandbox.confluence import errors, model, routes
from atlctl.sandbox.confluence.deployment import (
    CLOUD,
    CLOUD_USERS,
    DC,
    DC_SCHEMA,
    PAT,
    PAT_VERSION,
    ConfluenceCall,
    ConfluenceEndpoint,
    ConfluenceSettings,
    Deployment,
    dc_defaults,
)
from atlctl.sandbox.product import MOUNT, Call, Environment, Product, basic_credentials
from atlctl.sandbox.ratelimit import RateLimiter, Take
from atlctl.sandbox.realm import Session, Stats
from atlctl.sandbox.responses import method_not_allowed_handler, redirect
from atlctl.sandbox.router import Router

__all__ = ["CLOUD", "DC", "ConfluenceProduct"]

class ConfluenceProduct(Product):
    call_type = ConfluenceCall

    def __init__(self, deployment: Deployment, env: Environment):
        self.deployment = deployment
        self.cloud = deployment.cloud
        self.key, self.prefix, self.title, self.users = deployment.name, deployment.prefix, deployment.title, deployment.users
        self.tomcat = not self.cloud
        self.session_cookie = "" if self.cloud else "JSESSIONID"
        if self.cloud:
            self.settings = ConfluenceSettings({}, dict)
        else:
            default_version = env.options["confluence_version"]
            self.settings = ConfluenceSettings(DC_SCHEMA, lambda: dc_defaults(default_version))
        self.realm = env.realm(deployment.realm, self.settings, by_email=self.cloud, admin_groups=(deployment.admin_group,))
        self.stats = Stats()
        self.rate_limiter = RateLimiter()
        self.data = model.ConfluenceData(env.store, deployment.name)
        self.router: Router[ConfluenceEndpoint] = routes.build(self.cloud)
        self._request_numbers = itertools.count(1)

    # ---- who is calling -------------------------------------------------------------------

    async def authenticate(self, call: ConfluenceCall) -> Response | None:
        return await (self._authenticate_cloud(call) if self.cloud else self._authenticate_dc(call))

    async def _authenticate_dc(self, call: ConfluenceCall) -> Response | None:
        stale = call.resume_session()  # Seraph trusts the session before any Authorization header
        if call.user is not None:
            return None
        # Pages read the Authorization header only when asked to with os_authType=basic (§1.1 of products.md).
        if call.endpoint.kind != "web" or call.request.query_params.get("os_authType") == "basic":
            scheme, value = call.authorization()
            if scheme == "basic":
                return await self._basic_dc(call, value)
            if scheme == "bearer" and self.settings.version_tuple >= PAT_VERSION:
                call.scheme = "bearer"
                token = self.realm.token(value)
                user = self.realm.users.get(token.user_key) if token is not None and token.type == PAT else None
                if user is None or not user.active:
                    call.reasons.append("AUTHENTICATED_FAILED")
                    return errors.not_authenticated(call)
                call.user = user  # a PAT request opens no session (as Jira's PAT filter)
                return None
            # Before 7.9 nothing reads a Bearer header: the request stays anonymous.
        if stale and call.endpoint.kind == "rest":
            call.scheme = "session"
            return errors.not_authenticated(call)
        return None

    async def _basic_dc(self, call: ConfluenceCall, value: str) -> Response | None:
        call.scheme = "basic"
        if not self.settings.basic_auth:
            return errors.basic_disabled()
        login, password = basic_credentials(value)
        user = self.realm.find_user(login)
        outcome = await self.realm.login(user, password, self.stats)
        if outcome:
            call.start_session(user)  # the JSESSIONID a client keeps: the rest of its requests ride it
            call.user = user
            call.reasons.append("OK")
            return None
        if outcome is None:
            call.reasons.append("AUTHENTICATION_DENIED")
            return errors.captcha(call)
        call.reasons.append("AUTHENTICATED_FAILED")
        return errors.basic_failed(call)

    async def _authenticate_cloud(self, call: ConfluenceCall) -> Response | None:
        scheme, _ = call.authorization()
        if scheme == "bearer":
            call.scheme = "bearer"
            return errors.cloud_bearer()
        if scheme != "basic":
            return None
        call.scheme = "basic"
        outcome, user = await atlassian.cloud_basic(call)
        if outcome == "token":
            call.user = user  # the guard checks the account's Confluence access
            return None
        if outcome == "password":
            return errors.cloud_password()
        call.reasons.append("AUTHENTICATED_FAILED")
        if outcome == "scoped":
            return errors.not_authenticated(call)  # §4.2: scoped tokens work only through the gateway
        return None  # anonymous: the guard refuses what anonymous users may not see

    async def guard(self, call: ConfluenceCall) -> Response | None:
        ep = call.endpoint
        if ep.min_version and self.settings.version_tuple < ep.min_version:
            return await _not_found(call)  # the PAT API before 7.9
        if self.cloud and call.user is not None and CLOUD_USERS not in call.user.groups:
            return errors.cloud_forbidden(errors.NO_CONFLUENCE)  # an account without Confluence access
        if call.user is None and self.cloud and not ep.public:
            return errors.cloud_forbidden(errors.CLOUD_ANONYMOUS)  # anonymous access off (§4.1)
        if call.user is None and not ep.anonymous:
            return _login_redirect(call) if ep.kind == "web" else errors.not_authenticated(call)
        if ep.xsrf and call.request.method == "POST" and not await atlassian.xsrf_ok(call):
            return errors.xsrf_failed(self.cloud)
        if ep.kind == "web":
            if ep.admin and not self.realm.is_admin(call.user):
                return errors.error(403, "User is not permitted to perform this operation.")  # [I]
            if ep.websudo and self.settings.websudo and not self.realm.has_websudo(call.session):
                return _websudo_redirect(call)
            return None
        if ep.websudo and not self.cloud and atlassian.websudo_enforced(call):
            return errors.websudo_required()
        if ep.admin and not self.realm.is_admin(call.user):
            return errors.error(403, "User is not permitted to perform this operation.")  # [I]
        return None

    # ---- the rest of the contract ------------------------------------------------------------

    def error(self, status: int, message: str) -> Response:
        return errors.error(status, message)

    def unrouted(self, path: str, method: str, allowed: list[str]) -> ConfluenceEndpoint:
        if allowed:
            return ConfluenceEndpoint(method, path, method_not_allowed_handler(allowed))
        return ConfluenceEndpoint(method, path, _not_found, kind="rest" if path.startswith(("/rest/", "/api/")) else "web")

    def rate_limited(self, call: Call, requests: int, interval: float, take: Take) -> Response | None:
        if self.cloud:
            return atlassian.rate_limited_cloud(call, requests, interval, take, reason="confluence-burst-based")
        return atlassian.rate_limited_dc(call, requests, interval, take)

    def finish(self, call: ConfluenceCall, raw: list[tuple[bytes, bytes]]) -> None:
        raw.append((b"x-content-type-options", b"nosniff"))
        raw.append((b"x-xss-protection", b"1; mode=block"))
        if call.endpoint.kind != "web":
            raw.append((b"cache-control", b"no-cache, must-revalidate"))
        if self.cloud:
            raw.append((b"server", b"AtlassianEdge"))
            raw.append((b"atl-traceid", secrets.token_hex(8).encode()))
            raw.append((b"x-arequestid", uuid.uuid4().hex.encode()))
        else:
            raw.append((b"x-frame-options", b"SAMEORIGIN"))
            raw.append((b"x-confluence-request-time", str(int(time.time() * 1000)).encode()))
            raw.append((b"x-arequestid", f"{int(time.time() // 60 % 1440)}x{next(self._request_numbers)}x1".encode()))
            if call.session is not None:
                raw.append((b"x-asessionid", call.session.short_id.encode()))
            raw.append((b"x-ausername", atlassian.url_encoded(call.user.name).encode() if call.user else b"anonymous"))
        for reason in call.reasons:
            raw.append((b"x-seraph-loginreason", reason.encode()))

    def session_cookies(self, session: Session) -> list[str]:
        return [f"{self.session_cookie}={session.id}; Path={self.prefix}; HttpOnly"]

    def load(self, records: dict[str, dict[str, Any]], blobs: dict[str, bytes]) -> None:
        self.data.load(records, blobs)

    def reset(self) -> None:
        self.settings.reset()
        self.stats = Stats()
        self.rate_limiter = RateLimiter()
        self.data.clear()
        for seed in self.users:  # accounts a shared realm already had get this product's groups too
            user = self.realm.users.get(seed.key)
            if user is not None:
                for group in seed.groups:
                    self.realm.join_group(user, group)
        admin = next(seed.key for seed in self.users if seed.login.split("@")[0] == "admin")
        model.seed(self.data, admin, self.realm.clock.now())

    # ---- helpers for handlers --------------------------------------------------------------

    def can_use(self, user) -> bool:
        """May view and add content in DEMO and the spaces users create: any user of the product."""
        return user is not None and self.deployment.user_group in user.groups or self.realm.is_admin(user)

    def space_admin(self, user, space: model.Space) -> bool:
        return user is not None and (user.key in space.admins or self.realm.is_admin(user))


def _login_redirect(call: Call) -> Response:
    destination = call.request.url.path[len(call.request.scope.get(MOUNT, call.product.prefix)) :] or "/"
    return redirect(f"{call.base}/login.action?os_destination={quote(destination, safe='')}")


def _websudo_redirect(call: Call) -> Response:
    """An admin page without a fresh grant goes to the password confirmation first (§2.4)."""
    destination = call.request.url.path[len(call.request.scope.get(MOUNT, call.product.prefix)) :]
    return redirect(f"{call.base}/authenticate.action?destination={quote(destination, safe='')}")


async def _not_found(call: Call) -> Response:
    return errors.error(404, f"null for uri: {call.request.url}")
