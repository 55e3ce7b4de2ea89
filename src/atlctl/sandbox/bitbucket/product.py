"""Bitbucket Data Center as a sandbox product (the contract is sandbox/product.py): its own realm,
Basic with the real hash cost, a BITBUCKETSESSIONID session from the first authenticated request,
the j_atl_security_check form login, HTTP access tokens (user tokens as Basic or Bearer, project
and repository tokens as Bearer only) with their permissions, CAPTCHA, rate limiting and XSRF."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

from starlette.requests import Request
from starlette.responses import Response

from atlctl.sandbox.atlassian import ServerSettings
from atlctl.sandbox.bitbucket import errors, model
from atlctl.sandbox.product import Call, Endpoint, Environment, Product, basic_credentials
from atlctl.sandbox.ratelimit import RateLimiter, Take
from atlctl.sandbox.realm import AccessToken, SeedUser, Stats, User
from atlctl.sandbox.responses import method_not_allowed_handler
from atlctl.sandbox.router import Router
from atlctl.sandbox.settings import Schema, boolean, int_between, version

TOKEN_VERSION = (5, 5, 0)  # personal access tokens
BASIC_SWITCH_VERSION = (7, 12, 0)  # basic auth can be turned off
ADMINS, USERS = "bitbucket-admins", "bitbucket-users"
# Token types in the realm: a user's, a project's, a repository's.
USER_TOKEN, PROJECT_TOKEN, REPO_TOKEN = "user", "project", "repository"

SCHEMA: Schema = {
    "version": version,
    "basic_auth": boolean,
    "session_idle_seconds": int_between(1, 30 * 86400),
    "captcha_threshold": int_between(1, 1000),
    "max_tokens": int_between(1, 1000),
}


def defaults(bitbucket_version: str) -> dict[str, Any]:
    return {
        "version": bitbucket_version,
        "basic_auth": True,
        "session_idle_seconds": 30 * 60,  # Bitbucket's server.session.timeout (30 minutes)
        "captcha_threshold": 5,  # Bitbucket's own default: five failed logins, then CAPTCHA
        "max_tokens": 100,
    }


class BitbucketSettings(ServerSettings):
    product_name, basic_switch = "Bitbucket", BASIC_SWITCH_VERSION
    websudo_idle_seconds = 0  # the realm's Policy asks; Bitbucket's REST has no websudo


@dataclass(frozen=True)
class BitbucketEndpoint(Endpoint):
    # What the caller needs on the path's project or repository: "PROJECT_READ", "REPO_WRITE"...
    permission: str | None = None
    tokens: bool = True  # False: access tokens may not call it (managing tokens, acting as a person)
    xsrf: bool = True
    min_version: tuple[int, int, int] | None = None


class BitbucketCall(Call):
    __slots__ = ("token",)

    def __init__(self, product: Product, request: Request, endpoint: Endpoint, params: dict[str, str]):
        super().__init__(product, request, endpoint, params)
        self.token: AccessToken | None = None  # the access token that identified the caller

    @property
    def data(self) -> model.BitbucketData:
        return self.product.data

    @property
    def person(self) -> User | None:
        """The user behind the request: None for anonymous callers and project/repository tokens."""
        return None if self.token is not None and self.token.user_key is None else self.user

    def may(self, permission: str, key: str, slug: str | None = None) -> bool:
        """Whether the caller holds `permission` on project `key` (or its repository `slug`): the
        user's own rights, and for a token also what the token grants and where."""
        target, needed = model.level(permission)
        token = self.token
        if token is not None:
            project_level, repo_level = model.grants(token.scopes)
            if (project_level if target == "PROJECT" else repo_level) < needed:
                return False
            if token.type == PROJECT_TOKEN and token.resource != key:
                return False
            if token.type == REPO_TOKEN and (target == "PROJECT" or not (
                    token.resource == f"{key}/{slug}" or slug is None and token.resource.startswith(key + "/"))):
                return False  # a repository's token: that repository (and its project's list of repositories)
            if token.user_key is None:
                return key in self.data.projects
        return self.data.project_level(self.user, key) >= needed


class BitbucketRateLimiter(RateLimiter):
    """The shared token buckets, and a token given back for the requests Bitbucket does not limit."""

    def give_back(self, who: str) -> None:
        config, tokens, anchor = self._buckets[who]
        self._buckets[who] = (config, min(float(config[0]), tokens + 1), anchor)


def _bot(token: AccessToken) -> User:
    """Who a project or repository token acts as: no account of the realm, and no X-AUSERNAME."""
    return User(f"token:{token.id}", "", token.name, "", "")


class BitbucketProduct(Product):
    key = "bitbucket"
    prefix = "/bitbucket"
    title = "Bitbucket Data Center"
    session_cookie = "BITBUCKETSESSIONID"
    tomcat = True
    call_type = BitbucketCall
    users = (
        SeedUser("1", "admin", "Administrator", "admin@example.com", "admin", (ADMINS, USERS)),
        SeedUser("2", "alice", "Alice Example", "alice@example.com", "alice", (USERS,)),
    )

    def __init__(self, env: Environment, router: Router[BitbucketEndpoint]):
        bitbucket_version = env.options["bitbucket_version"]
        self.settings = BitbucketSettings(SCHEMA, lambda: defaults(bitbucket_version))
        self.realm = env.realm("bitbucket", self.settings, admin_groups=(ADMINS,))
        self.stats = Stats()
        self.rate_limiter = BitbucketRateLimiter()
        self.data = model.BitbucketData(self.realm, self.key)
        self.router = router  # resources.build(): the endpoints import this module, not the other way
        self._request_numbers = itertools.count(1)

    # ---- the contract ----------------------------------------------------------------------

    async def authenticate(self, call: BitbucketCall) -> Response | None:
        call.resume_session()  # a session cookie first, as Bitbucket's filters do; a stale one is ignored
        if call.user is not None:
            return None
        if call.endpoint.kind == "web":
            return None  # pages know only the session
        scheme, value = call.authorization()
        if scheme == "basic":
            return await self._basic(call, value)
        if scheme == "bearer" and self.settings.version_tuple >= TOKEN_VERSION:
            return self._bearer(call, value)
        return None  # before 5.5 nothing reads a Bearer header: anonymous

    async def _basic(self, call: BitbucketCall, value: str) -> Response | None:
        call.scheme = "basic"
        login, secret = basic_credentials(value)
        user = self.realm.find_user(login)
        token = self.realm.token(secret) if self.settings.version_tuple >= TOKEN_VERSION else None
        if user is not None and token is not None and token.type == USER_TOKEN and token.user_key == user.key:
            if not user.active:
                return errors.wrong_credentials()
            call.user, call.token = user, token  # a user's token as the Basic password: no session, no hash
            return None
        if not self.settings.basic_auth:
            return errors.basic_disabled()
        outcome = await self.realm.login(user, secret, self.stats)
        if outcome is None:
            return errors.captcha(call.base)
        if not outcome:
            return errors.wrong_credentials()
        call.user = user
        call.start_session(user)
        return None

    def _bearer(self, call: BitbucketCall, raw: str) -> Response | None:
        call.scheme = "bearer"
        token = self.realm.token(raw)
        if token is None:
            return errors.wrong_credentials()
        if token.user_key is None:
            call.user, call.token = _bot(token), token
            return None
        user = self.realm.users.get(token.user_key)
        if user is None or not user.active:
            return errors.wrong_credentials()
        call.user, call.token = user, token
        return None

    async def guard(self, call: BitbucketCall) -> Response | None:
        endpoint: BitbucketEndpoint = call.endpoint  # type: ignore[assignment]
        if endpoint.min_version and self.settings.version_tuple < endpoint.min_version:
            return await _unknown(call)
        if endpoint.xsrf and call.request.method == "POST" and endpoint.kind == "rest" and _xsrf_refused(call.request):
            return errors.xsrf_failed()
        if not endpoint.anonymous and call.user is None:
            return errors.not_permitted()
        if call.token is not None and not endpoint.tokens:
            return errors.not_permitted()
        if endpoint.permission and "key" in call.params:
            key, slug = call.params["key"], call.params.get("slug")
            if key not in self.data.projects:
                return errors.not_found(f"Project {key} does not exist.", "project.NoSuchProjectException")
            if slug is not None and (key, slug) not in self.data.repos:
                return errors.not_found(f"Repository {key}/{slug} does not exist.",
                                        "repository.NoSuchRepositoryException")
            if not call.may(endpoint.permission, key, slug):
                return errors.not_permitted()
        return None

    def error(self, status: int, message: str) -> Response:
        return errors.error(status, message)

    def unrouted(self, path: str, method: str, allowed: list[str]) -> BitbucketEndpoint:
        if allowed:
            return BitbucketEndpoint(method, path, method_not_allowed_handler(allowed))
        return BitbucketEndpoint(method, path, _unknown, kind="rest" if path.startswith("/rest") else "web")

    def rate_limited(self, call: BitbucketCall, requests: int, interval: float, take: Take) -> Response | None:
        """Only requests sent with Basic or Bearer credentials are limited (§3.6); 429 with Retry-After."""
        if call.scheme not in ("basic", "bearer"):
            if take.allowed:
                self.rate_limiter.give_back(call.user.key)  # a session request takes nothing from the bucket
            return None
        if take.allowed:
            return None
        call.headers.append(("Retry-After", str(take.wait)))
        return errors.error(429, "You have exceeded the rate limit for this instance. Please wait and try again.",
                            "throttle.ThrottledException")  # [I] body not captured

    def finish(self, call: BitbucketCall, raw: list[tuple[bytes, bytes]]) -> None:
        raw.append((b"x-content-type-options", b"nosniff"))
        raw.append((b"x-arequestid", self.next_request_id().encode()))
        raw.append((b"x-asen", b"SEN-L00000000"))
        if call.endpoint.kind == "rest":
            raw.append((b"cache-control", b"private, no-cache"))
            raw.append((b"cache-control", b"no-cache, no-transform"))
            raw.append((b"pragma", b"no-cache"))
        if call.session is not None and call.session.user_key:
            raw.append((b"x-asessionid", call.session.short_id.encode()))
        person = call.person
        if person is not None:
            raw.append((b"x-auserid", person.key.encode()))
            raw.append((b"x-ausername", quote_plus(person.name, safe="*").encode()))

    def next_request_id(self) -> str:
        """X-AREQUESTID as Bitbucket writes it: @<id>x<minute of day>x<request number>x0."""
        minute = int(time.time() // 60 % 1440)
        return f"@1BBDC0Xx{minute}x{next(self._request_numbers)}x0"

    def load(self, records: dict[str, dict[str, Any]], blobs: dict[str, bytes]) -> None:
        self.data.load(records)

    def reset(self) -> None:
        self.settings.reset()
        self.stats = Stats()
        self.rate_limiter = BitbucketRateLimiter()
        self.data.clear()
        users = {u.name: u for u in self.realm.users.values()}
        model.seed(self.data, users["admin"], users["alice"], self.realm.clock.now())



def _xsrf_refused(request: Request) -> bool:
    """§0.4 as Bitbucket's REST applies it: a POST whose body is a form, multipart, plain text or
    has no media type needs X-Atlassian-Token: no-check (JSON passes)."""
    if request.headers.get("x-atlassian-token", "").lower() in ("no-check", "nocheck"):
        return False
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return media in ("", "application/x-www-form-urlencoded", "multipart/form-data", "text/plain")


async def _unknown(call: BitbucketCall) -> Response:
    if call.endpoint.kind == "web":
        return Response(b"<html><body><h1>Page not found</h1></body></html>", 404, media_type="text/html;charset=UTF-8")
    return errors.error(404, f"The path {call.request.url.path} does not exist.")  # [I]

