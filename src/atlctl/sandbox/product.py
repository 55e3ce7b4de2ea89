"""The contract between the sandbox core and a sandbox product.

A product lives in sandbox/<name>/; its declaration module, listed in registry.py, offers OPTIONS
and create(env), which returns the Product objects it serves (Jira: DC and Cloud). The core mounts each under its prefix,
runs every request through the shared pipeline (pipeline.py) and reads the rest of what the
product declares here: settings, seeded accounts, session cookie, error body, control routes.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from starlette.formparsers import MultiPartException

from atlctl.sandbox.realm import Clock, Policy, Realm, SeedUser, Session, Stats, User

if TYPE_CHECKING:
    from starlette.datastructures import FormData
    from starlette.requests import Request
    from starlette.responses import Response

    from atlctl.sandbox.ratelimit import RateLimiter, Take
    from atlctl.sandbox.router import Router
    from atlctl.sandbox.settings import Settings
    from atlctl.sandbox.store import Store

MOUNT = "atlctl.mount"  # scope key: the prefix (or alias) a request came in under
# Scope key of a request a trusted front (the Atlassian API gateway) hands to a product: the
# (user key, scheme) it authenticated; the pipeline then skips the product's own authentication.
FORWARDED = "atlctl.forwarded"
ControlHandler = Callable[["Request"], Awaitable["Response"]]


class Product(Protocol):
    """One product mounted under its prefix. Products subclass this to inherit the defaults."""

    key: str  # its name in /_sandbox/settings and /_sandbox/stats, and /_sandbox/<key>/... routes
    prefix: str  # URL path of the product base, e.g. "/jira"
    aliases: tuple[str, ...] = ()  # other paths it also answers under; links use the one called
    title: str  # how the index page at / names it
    users: tuple[SeedUser, ...]  # seeded into its realm on a fresh start and on every reset
    session_cookie: str  # the cookie that carries a realm session ("" if the product has none)
    call_type: type[Call]  # Call, or a subclass with the product's own per-request helpers
    # Behind Tomcat (the Data Center products): an encoded slash (%2F) in the path is Tomcat's 400
    # before the product sees it. Otherwise %2F stays a character of its path segment.
    tomcat: bool = False

    # Built by the product from the shared parts, read by the core.
    settings: Settings
    realm: Realm
    stats: Stats
    rate_limiter: RateLimiter
    router: Router[Endpoint]

    async def authenticate(self, call: Call) -> Response | None:
        """Identify the caller (call.user, call.scheme, call.session), or answer with a refusal."""
        ...

    async def guard(self, call: Call) -> Response | None:
        """The product's filters between authentication and the handler (login required, XSRF,
        elevation, administrators...): a refusal, or None to go on."""
        ...

    def error(self, status: int, message: str) -> Response:
        """The product's own error body, also used by the core: a body it cannot parse (400), an
        internal error or the 500 fault (500), a request caught by a reset (503)."""
        ...

    def unrouted(self, path: str, method: str, allowed: list[str]) -> Endpoint:
        """The endpoint for a request no route matches (`allowed`: the methods the path has, if
        any), so that it goes through authentication like any other."""
        ...

    def rate_limited(self, call: Call, requests: int, interval: float, take: Take) -> Response | None:
        """Add the product's rate-limit headers to call.headers and answer 429 if `take` was not
        allowed; called for authenticated requests when the rate_limit setting is on."""
        ...

    def finish(self, call: Call, raw_headers: list[tuple[bytes, bytes]]) -> None:
        """Append the product's own response headers (the core then adds call.headers and cookies)."""

    def session_cookies(self, session: Session) -> list[str]:
        """Set-Cookie values for a session the request opened."""
        return [f"{self.session_cookie}={session.id}; Path={self.prefix}; HttpOnly"]

    def control_routes(self) -> list[tuple[str, str, ControlHandler]]:
        """(method, path, handler) served under /_sandbox/<key>; no authentication, like all of /_sandbox."""
        return []

    def load(self, records: dict[str, dict[str, Any]], blobs: dict[str, bytes]) -> None:
        """The product's content from the state file (its realm loads its own records)."""

    def reset(self) -> None:
        """Back to a fresh start: settings, counters and content (seeded again). Called on a fresh
        start and on every reset, when the product's records are gone from the store and its realm
        holds the seeded accounts."""
        ...

    def close(self) -> None:
        """The sandbox stops."""


class Environment:
    """What a product is built with: the store, the clock, the start-up options and the realms."""

    def __init__(self, store: Store, clock: Clock, options: dict[str, Any]):
        self.store = store
        self.clock = clock
        self.options = options
        self.realms: dict[str, Realm] = {}
        self.products: dict[str, Product] = {}  # every product by key, filled once all are built

    def realm(self, name: str, policy: Policy, *, by_email: bool = False, admin_groups: tuple[str, ...] = ()) -> Realm:
        """The realm called `name`: products that ask for the same name share it (an account store
        shared by several products); the first one sets its policy and sign-in rules."""
        realm = self.realms.get(name)
        if realm is None:
            realm = self.realms[name] = Realm(name, self.store, self.clock, policy, by_email=by_email, admin_groups=admin_groups)
        return realm


@dataclass(frozen=True)
class Endpoint:
    """A route and what it needs. Products subclass it to declare their own needs (Jira: XSRF,
    websudo, versions...), which their guard reads."""

    method: str
    path: str
    handler: Callable[[Any], Awaitable[Response]]  # takes the product's call_type
    kind: str = "rest"  # "web": a page browsers load, which rate limiting leaves alone; others are the product's
    anonymous: bool = True  # False: the caller must be authenticated


class Refusal(Exception):
    """Raised anywhere below a handler to answer the request with `response` instead."""

    def __init__(self, response: Response):
        self.response = response


class Call:
    """One request on its way through the pipeline."""

    __slots__ = ("product", "request", "endpoint", "params", "base", "user", "scheme", "session", "new_session", "headers", "cookies")

    def __init__(self, product: Product, request: Request, endpoint: Endpoint, params: dict[str, str]):
        self.product = product
        self.request = request
        self.endpoint = endpoint
        self.params = params
        host = request.headers.get("host") or "localhost"
        mount = request.scope.get(MOUNT, product.prefix)  # the prefix or the alias called
        self.base = f"{request.url.scheme}://{host}{mount}"  # the product base the client called
        self.user: User | None = None
        self.scheme = "anonymous"  # what identified, or tried to identify, the caller: a Stats scheme
        self.session: Session | None = None
        self.new_session = False
        self.headers: list[tuple[str, str]] = []
        self.cookies: list[str] = []  # Set-Cookie values beyond those of a new session

    def authorization(self) -> tuple[str, str]:
        """(scheme in lower case, value) of the Authorization header; ("", "") without one."""
        scheme, _, value = self.request.headers.get("authorization", "").partition(" ")
        return scheme.lower(), value.strip()

    def resume_session(self) -> bool:
        """Attach the session the product's cookie names; its active user is then the caller
        (scheme "session"). True if the cookie names a session that is gone (stale)."""
        session_id = self.request.cookies.get(self.product.session_cookie)
        if not session_id:
            return False
        realm = self.product.realm
        self.session = realm.session(session_id)
        if self.session is None:
            return True
        user = realm.users.get(self.session.user_key) if self.session.user_key else None
        if user is not None and user.active:
            self.user, self.scheme = user, "session"
        return False

    def start_session(self, user: User | None) -> Session:
        """A fresh session (replacing the one the call had); its cookies go out with the response."""
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
            raise Refusal(self.product.error(400, exc.message)) from None


def basic_credentials(value: str) -> tuple[str, str]:
    """(login, secret) of a Basic value; ("", "") names nobody, for a value that is not base64 of
    UTF-8 "login:secret"."""
    try:
        decoded = base64.b64decode(value, validate=True).decode()
    except ValueError:  # binascii.Error, UnicodeDecodeError, and non-ASCII characters in the value
        return "", ""
    login, sep, secret = decoded.partition(":")
    return (login, secret) if sep else ("", "")


# python-multipart logs every malformed body, and with no handler configured Python prints that
# on stderr; the client's 400 says it already.
logging.getLogger("python_multipart").setLevel(logging.CRITICAL)
