"""The control API under /_sandbox/ (no authentication; the sandbox listens on loopback):

POST /_sandbox/reset      reseed everything, settings back to defaults, counters to zero
GET  /_sandbox/settings   current settings per product
POST /_sandbox/settings   change settings: {"jira": {...}, "jira_cloud": {...}}
GET  /_sandbox/stats      password checks, logins, requests by auth scheme
POST /_sandbox/clock      {"advance_seconds": N}: move the clock forward (expiry tests)
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from atlctl.sandbox.realm import Stats
from atlctl.sandbox.responses import empty_response, json_response, text_response
from atlctl.sandbox.router import Router
from atlctl.sandbox.settings import SettingsError

if TYPE_CHECKING:
    from atlctl.sandbox.app import Sandbox

_JSON = "application/json"
MAX_CLOCK_OFFSET = 100 * 365 * 86400  # far enough for any expiry test; dates stay real dates


def _error(message: str, status: int = 400) -> Response:
    return json_response({"error": message}, status, media_type=_JSON)


class Control:
    def __init__(self, sandbox: Sandbox):
        self.sandbox = sandbox
        self.router: Router[Callable[[Request], Awaitable[Response]]] = Router()
        self.router.add("GET", "/", self.index)
        self.router.add("POST", "/_sandbox/reset", self.reset)
        self.router.add("GET", "/_sandbox/settings", self.get_settings)
        self.router.add("POST", "/_sandbox/settings", self.post_settings)
        self.router.add("GET", "/_sandbox/stats", self.stats)
        self.router.add("POST", "/_sandbox/clock", self.clock)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        handler, _, allowed = self.router.match(scope["path"], scope["method"])
        if handler is not None:
            response = await handler(Request(scope, receive))
        elif allowed:
            response = Response(b"", 405, {"Allow": ",".join(allowed)})
        else:
            response = _error(f"no such path: {scope['path']}", 404)
        await response(scope, receive, send)

    async def index(self, request: Request) -> Response:
        root = f"{request.url.scheme}://{request.headers.get('host', 'localhost')}"
        return text_response(
            "atlctl sandbox\n\n"
            f"Jira Data Center  {root}/jira        users admin/admin (administrator), alice/alice\n"
            f"Jira Cloud        {root}/jira-cloud  admin@example.com / API token sandbox-token-admin,\n"
            "                                      alice@example.com / API token sandbox-token-alice\n"
            f"Control API       {root}/_sandbox/settings, /_sandbox/stats, POST /_sandbox/reset\n",
            200,
        )

    async def reset(self, request: Request) -> Response:
        self.sandbox.reset()
        return empty_response(204)

    def _settings(self) -> dict[str, Any]:
        return {name: product.settings.as_dict() for name, product in self.sandbox.products.items()}

    async def get_settings(self, request: Request) -> Response:
        return json_response(self._settings(), media_type=_JSON)

    async def post_settings(self, request: Request) -> Response:
        try:
            body = json.loads(await request.body())
        except (ValueError, RecursionError):
            return _error('the body must be a JSON object such as {"jira": {"websudo": false}}')
        if not isinstance(body, dict):
            return _error('the body must be a JSON object such as {"jira": {"websudo": false}}')
        products = self.sandbox.products
        checked = {}
        for name, changes in body.items():
            if name not in products:
                return _error(f"unknown product {name!r} (known: {', '.join(products)})")
            try:
                checked[name] = products[name].settings.check(changes)
            except SettingsError as exc:
                return _error(f"{name}: {exc}")
        for name, values in checked.items():  # all products validated before any changes
            products[name].settings.apply(values)
        return json_response(self._settings(), media_type=_JSON)

    async def stats(self, request: Request) -> Response:
        per_product = {name: product.realm.stats.as_dict() for name, product in self.sandbox.products.items()}
        total = Stats().as_dict()
        for stats in per_product.values():
            total["password_checks"] += stats["password_checks"]
            total["logins"] += stats["logins"]
            for scheme, count in stats["requests_by_auth"].items():
                total["requests_by_auth"][scheme] += count
        return json_response({**total, "products": per_product}, media_type=_JSON)

    async def clock(self, request: Request) -> Response:
        try:
            body = json.loads(await request.body())
            seconds = body["advance_seconds"]
        except (ValueError, RecursionError, KeyError, TypeError):
            return _error('the body must be {"advance_seconds": N}')
        room = MAX_CLOCK_OFFSET - self.sandbox.clock.offset
        # NaN and the infinities fail the range test too.
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds <= room:
            return _error(f"advance_seconds must be a number of seconds from 0 to {room:.0f}: the clock goes at most 100 years ahead")
        self.sandbox.clock.offset += seconds
        return json_response({"offset_seconds": self.sandbox.clock.offset}, media_type=_JSON)
