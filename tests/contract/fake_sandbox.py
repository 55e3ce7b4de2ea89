"""A sandbox product that exists only in the tests, to prove the contract
(src/atlctl/sandbox/product.py) without Jira: create_app(declarations=[NAME]).

Two products, "fake" under /fake and "fake_twin" under /fake-twin, share one realm (as the
Atlassian Cloud products will): one account, ann / s3cret-Ann-pw, with the token fake-token-ann.
  GET /api/hello   anonymous: the greeting (start-up option fake_greeting) and who is asking
  GET /api/me      a user: who, and by which scheme
A good Basic login opens a session (cookie FAKESESSION). Errors are {"fake_error": ..., "status": ...}.
Control: GET /_sandbox/<key>/sessions counts the realm's sessions.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from atlctl.sandbox.product import Call, ControlHandler, Endpoint, Environment, Product, basic_credentials
from atlctl.sandbox.ratelimit import RateLimiter, Take
from atlctl.sandbox.realm import SeedToken, SeedUser, Stats
from atlctl.sandbox.responses import json_response, method_not_allowed
from atlctl.sandbox.router import Router
from atlctl.sandbox.settings import Option, Settings, SettingsError, int_between

NAME = __name__
BOT = "bot"  # the fake's one token type


def _greeting(value: str) -> str:
    if not value.strip():
        raise SettingsError("the greeting must not be empty")
    return value


OPTIONS = (Option("fake_greeting", "hello", "what GET /fake/api/hello says", _greeting),)
ANN = SeedUser("u-1", "ann", "Ann Example", "ann@example.com", "s3cret-Ann-pw", ("fake-admins",), (SeedToken("fake-token-ann", BOT, ("read",)),))


def create(env: Environment) -> list[Product]:
    return [FakeProduct(env, "fake", "/fake"), FakeProduct(env, "fake_twin", "/fake-twin")]


def error(status: int, message: str) -> Response:
    return json_response({"fake_error": message, "status": status}, status)


async def hello(call: Call) -> Response:
    return json_response({"greeting": call.product.greeting, "user": call.user.name if call.user else None})


async def me(call: Call) -> Response:
    return json_response({"login": call.user.name, "scheme": call.scheme})


async def not_found(call: Call) -> Response:
    return error(404, f"no such path: {call.endpoint.path}")


class FakeProduct(Product):
    title = "Fake product"
    users = (ANN,)
    session_cookie = "FAKESESSION"
    call_type = Call

    def __init__(self, env: Environment, key: str, prefix: str):
        self.key, self.prefix = key, prefix
        self.greeting = env.options["fake_greeting"]
        schema = {"session_idle_seconds": int_between(1, 86400), "captcha_threshold": int_between(1, 100)}
        self.settings = Settings(schema, lambda: {"session_idle_seconds": 60, "captcha_threshold": 3})
        self.realm = env.realm("fake", self.settings, admin_groups=("fake-admins",))
        self.stats = Stats()
        self.rate_limiter = RateLimiter()
        self.router: Router[Endpoint] = Router()
        self.router.add("GET", "/api/hello", Endpoint("GET", "/api/hello", hello))
        self.router.add("GET", "/api/me", Endpoint("GET", "/api/me", me, anonymous=False))

    async def authenticate(self, call: Call) -> Response | None:
        if call.resume_session():
            call.scheme = "session"
            return error(401, "your session has ended")
        if call.user is not None:
            return None
        scheme, value = call.authorization()
        if scheme == "basic":
            call.scheme = "basic"
            login, password = basic_credentials(value)
            user = self.realm.find_user(login)
            if not await self.realm.login(user, password, self.stats):
                return error(401, "wrong login or password")
            call.user = user
            call.start_session(user)
        elif scheme == "bearer":
            call.scheme = "bearer"
            token = self.realm.token(value)
            if token is None or token.type != BOT:
                return error(401, "unknown token")
            call.user = self.realm.users[token.user_key]
        return None

    async def guard(self, call: Call) -> Response | None:
        if not call.endpoint.anonymous and call.user is None:
            return error(401, "log in first")
        return None

    def error(self, status: int, message: str) -> Response:
        return error(status, message)

    def unrouted(self, path: str, method: str, allowed: list[str]) -> Endpoint:
        if allowed:

            async def not_allowed(call: Call) -> Response:
                return method_not_allowed(allowed)

            return Endpoint(method, path, not_allowed)
        return Endpoint(method, path, not_found)

    def rate_limited(self, call: Call, requests: int, interval: float, take: Take) -> Response | None:
        call.headers.append(("X-Fake-Requests-Left", str(take.left)))
        return None if take.allowed else error(429, "slow down")

    def finish(self, call: Call, raw_headers: list[tuple[bytes, bytes]]) -> None:
        raw_headers.append((b"x-fake-product", self.key.encode()))

    def control_routes(self) -> list[tuple[str, str, ControlHandler]]:
        return [("GET", "/sessions", self.sessions)]

    async def sessions(self, request: Request) -> Response:
        return json_response({"sessions": len(self.realm.sessions)})

    def reset(self) -> None:
        self.settings.reset()
        self.stats = Stats()
        self.rate_limiter = RateLimiter()
