"""The request pipeline every product endpoint goes through, in the order the real stacks run it:
faults (in front of the product) -> authentication -> rate limiting -> the product's filters ->
the handler -> response headers and cookies.

Endpoints declare what they need; the product's hooks (product.py) decide how it looks. Handlers
never look at credentials.
"""

from __future__ import annotations

import logging
from urllib.parse import unquote

import anyio

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from atlctl.sandbox import faults
from atlctl.sandbox.product import FORWARDED, MOUNT, Call, Endpoint, Product, Refusal
from atlctl.sandbox.realm import ResetMidway
from atlctl.sandbox.responses import tomcat_report

log = logging.getLogger("atlctl.sandbox")
# Tomcat's answer to %2F in a path (ALLOW_ENCODED_SLASH=false, Tomcat 9's encodedSolidusHandling
# "reject"), as captured from Tomcat 9 in github.com/samvera/valkyrie/issues/1001.
ENCODED_SLASH = "Invalid URI: [The encoded slash character is not allowed]"
RESET_MIDWAY = "The sandbox was reset while this request was in progress; send it again."


async def serve(product: Product, scope: Scope, receive: Receive, send: Send) -> None:
    """Answer one HTTP request under the product's prefix."""
    path, slashes = _path(product, scope)
    method = scope["method"]
    if slashes and product.tomcat:
        await tomcat_report(400, "Bad Request", ENCODED_SLASH)(scope, receive, send)
        return
    request = Request(scope, receive)
    if product.settings.faults:
        fault = product.settings.take_fault(path, method)
        if fault is not None and await faults.inject(fault, product.error, request, send):
            return
    endpoint, params, allowed = product.router.match(path, method)
    if slashes:
        params = {name: unquote(value) for name, value in params.items()}
    if endpoint is None:
        endpoint = product.unrouted(path, method, allowed)
    try:
        response = await handle(product, endpoint, request, params)
    except Exception:
        # A sandbox bug: answer as the product's REST layer would and keep serving.
        log.exception("internal error on %s %s%s", method, product.prefix, path)
        response = product.error(500, "Internal server error")
    if product.settings.latency_ms:
        await anyio.sleep(product.settings.latency_ms / 1000)
    await response(scope, receive, send)


def _path(product: Product, scope: Scope) -> tuple[str, bool]:
    """The path under the product's prefix, and whether the request spelled a slash as %2F. Such a
    path keeps %2F (and %) escaped within its segment, so that it routes as one path parameter."""
    path = scope["path"][len(scope.get(MOUNT, product.prefix)) :] or "/"
    raw = scope.get("raw_path") or b""
    if b"%2f" not in raw.lower():
        return path, False
    segments = [unquote(s) for s in raw.decode("latin-1").split("/")]
    if "/".join(segments) != scope["path"]:  # a path rewritten by a front (the gateway): as it is
        return path, False
    escaped = "/".join(s.replace("%", "%25").replace("/", "%2F") for s in segments)
    prefix = scope.get(MOUNT, product.prefix)
    return escaped[len(prefix) :] or "/", True


async def handle(product: Product, endpoint: Endpoint, request: Request, params: dict[str, str]) -> Response:
    call = product.call_type(product, request, endpoint, params)
    try:
        response = _forwarded(call) if FORWARDED in request.scope else await product.authenticate(call)
        product.stats.requests_by_auth[call.scheme] += 1
        if response is None:
            response = _rate_limit(call)
        if response is None:
            response = await product.guard(call)
        if response is None:
            response = await endpoint.handler(call)
    except Refusal as refusal:
        response = refusal.response
    except ResetMidway:
        call.user, call.session, call.new_session = None, None, False  # they went with the reset
        response = product.error(503, RESET_MIDWAY)
    finally:
        await request.close()  # uploaded files
    _finish(call, response)
    return response


def _forwarded(call: Call) -> None:
    """A request a trusted front authenticated (product.FORWARDED): its account is the caller."""
    user_key, call.scheme = call.request.scope[FORWARDED]
    call.user = call.product.realm.users.get(user_key)


def _rate_limit(call: Call) -> Response | None:
    """Authenticated requests only, and not web pages (§1.9: in-product UI traffic is not limited)."""
    product = call.product
    limit = product.settings.rate_limit
    if limit is None or call.user is None or call.endpoint.kind == "web":
        return None
    requests, interval = limit["requests"], limit["interval_seconds"]
    take = product.rate_limiter.take(call.user.key, product.realm.clock.now(), requests, interval)
    return product.rate_limited(call, requests, interval, take)


def _finish(call: Call, response: Response) -> None:
    product, raw = call.product, response.raw_headers
    product.finish(call, raw)
    for name, value in call.headers:
        raw.append((name.lower().encode(), value.encode()))
    if call.new_session and call.session is not None:
        for cookie in product.session_cookies(call.session):
            raw.append((b"set-cookie", cookie.encode()))
    for cookie in call.cookies:
        raw.append((b"set-cookie", cookie.encode()))
