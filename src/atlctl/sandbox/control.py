"""The control API under /_sandbox/ (no authentication; the sandbox listens on loopback):

POST /_sandbox/reset      reseed everything, settings back to defaults, counters to zero
GET  /_sandbox/settings   current settings per product
POST /_sandbox/settings   change settings: {"<product key>": {...}, ...}
GET  /_sandbox/stats      password checks, logins, requests by auth scheme
POST /_sandbox/clock      {"advance_seconds": N}: move the clock forward (expiry tests)
     /_sandbox/<key>/...  a product's own control routes
GET  /                    the products, their base URLs and accounts
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from atlctl.sandbox.product import ControlHandler, Product
from atlctl.sandbox.realm import Clock, SeedUser, Stats
from atlctl.sandbox.responses import empty_response, json_response, method_not_allowed, text_response
from atlctl.sandbox.router import Router
from atlctl.sandbox.settings import SettingsError

_JSON = "application/json"
MAX_CLOCK_OFFSET = 100 * 365 * 86400  # far enough for any expiry test; dates stay real dates


def _error(message: str, status: int = 400) -> Response:
    return json_response({"error": message}, status, media_type=_JSON)


class Control:
    def __init__(self, products: dict[str, Product], reset: Callable[[], None], clock: Clock):
        self.products = products
        self._reset = reset
        self._clock = clock
        self.router: Router[ControlHandler] = Router()
        self.router.add("GET", "/", self.index)
        self.router.add("POST", "/_sandbox/reset", self.reset)
        self.router.add("GET", "/_sandbox/settings", self.get_settings)
        self.router.add("POST", "/_sandbox/settings", self.post_settings)
        self.router.add("GET", "/_sandbox/stats", self.stats)
        self.router.add("POST", "/_sandbox/clock", self.clock)
        for product in products.values():
            for method, path, handler in product.control_routes():
                self.router.add(method, f"/_sandbox/{product.key}{path}", handler)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        handler, _, allowed = self.router.match(scope["path"], scope["method"])
        if handler is not None:
            response = await handler(Request(scope, receive))
        elif allowed:
            response = method_not_allowed(allowed)
        else:
            response = _error(f"no such path: {scope['path']}", 404)
        await response(scope, receive, send)

    async def index(self, request: Request) -> Response:
        root = f"{request.url.scheme}://{request.headers.get('host', 'localhost')}"
        width = max(len(title) for title in ("Control API", *(p.title for p in self.products.values())))
        lines = ["atlctl sandbox", ""]
        for product in self.products.values():
            also = "".join(f" (also {root}{alias})" for alias in product.aliases)
            lines.append(f"{product.title:<{width}}  {root}{product.prefix}{also}")
            lines += [f"    {_account(product, seed)}" for seed in product.users]
        lines.append(f"{'Control API':<{width}}  {root}/_sandbox/settings, /_sandbox/stats, POST /_sandbox/reset")
        return text_response("\n".join(lines) + "\n", 200)

    async def reset(self, request: Request) -> Response:
        self._reset()
        return empty_response(204)

    def _settings(self) -> dict[str, Any]:
        return {name: product.settings.as_dict() for name, product in self.products.items()}

    async def get_settings(self, request: Request) -> Response:
        return json_response(self._settings(), media_type=_JSON)

    async def post_settings(self, request: Request) -> Response:
        try:
            body = json.loads(await request.body())
        except (ValueError, RecursionError):
            body = None
        if not isinstance(body, dict):
            return _error('the body must be a JSON object: {"<product>": {"<setting>": <value>, ...}, ...}')
        products = self.products
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
        per_product = {name: product.stats.as_dict() for name, product in self.products.items()}
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
        room = MAX_CLOCK_OFFSET - self._clock.offset
        # NaN and the infinities fail the range test too.
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds <= room:
            return _error(f"advance_seconds must be a number of seconds from 0 to {room:.0f}: the clock goes at most 100 years ahead")
        self._clock.offset += seconds
        return json_response({"offset_seconds": self._clock.offset}, media_type=_JSON)


def _account(product: Product, seed: SeedUser) -> str:
    admin = " (administrator)" if any(g in product.realm.admin_groups for g in seed.groups) else ""
    tokens = "".join(f", {t.type.replace('_', ' ')} {t.raw}" for t in seed.tokens)
    return f"{seed.login} / password {seed.password}{admin}{tokens}"
