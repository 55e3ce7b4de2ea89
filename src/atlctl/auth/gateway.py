"""Atlassian Cloud's API gateway (https://api.atlassian.com): where scoped API tokens, service
accounts and OAuth 2.0 tokens are sent, as `GATEWAY/ex/jira/{cloudId}/...` and
`GATEWAY/ex/confluence/{cloudId}/wiki/...`; the site (`https://SITE.atlassian.net`) refuses them
with 401 [server-behaviour.md §4.2, §4.3].

`--gateway auto` (the default on Cloud) sends the credentials to the site first; on a 401 it asks
the site for its cloudId (`SITE/_edge/tenant_info`, without credentials), sends the same request to
the gateway, and if the gateway takes the credentials, every later request of the process goes
there. This is the one case where a credential refused by one origin goes to another, and only to
the configured gateway, for the cloudId the site itself gave: no other origin, and no redirect,
ever receives it (`signed`). `always` goes to the gateway from the first request; `never` stays on
the site."""

from __future__ import annotations

import re
import threading
from typing import Callable, NamedTuple

import httpx

from atlctl.auth.basic import BasicAuth, refused
from atlctl.auth.origin import origin
from atlctl.auth.strategy import SENT
from atlctl.errors import ClientError, RemoteError

TENANT_INFO = "/_edge/tenant_info"
CLOUD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,99}")
MODES = ("auto", "always", "never")
ROUTE = "atlctl.gateway"  # response extension: how the gateway answered a request the site refused
UNREACHABLE = ("Check --gateway-url (Atlassian's API gateway, where scoped API tokens and OAuth 2.0 tokens go) and your "
               "network or proxy; --gateway never keeps to the site")
SMALL = 64 * 1024  # tenant_info and refusals are a few hundred bytes
PASSWORD = "Basic authentication with passwords is deprecated"  # the site's 401 to an account password [§4.1]


class Route(NamedTuple):
    """Where a Cloud connection's requests may go: the product's base URL on the site (`server`,
    e.g. https://site.atlassian.net/wiki), the site itself, and the gateway's product API."""

    server: str  # the connection's base URL on the site
    site: str  # the site's root: tenant_info lives there
    gateway: str  # the gateway's root, e.g. https://api.atlassian.com
    api: str  # the gateway's name of the product: jira, confluence
    mode: str = "auto"  # auto | always | never
    cloud_ids: object = None  # a store with get(site) and put(site, cloud_id), or None

    def base(self, cloud_id: str) -> str:
        """The gateway URL standing for `server`: Confluence's /wiki stays after the cloudId."""
        return f"{self.gateway}/ex/{self.api}/{cloud_id}{self.server[len(self.site):]}"


def site_of(server: str, suffix: str) -> str:
    """The site's root for a product base URL: `https://site.atlassian.net/wiki` -> the site."""
    return server[: -len(suffix)] if suffix and server.endswith(suffix) else server


def scope_mismatch(response: httpx.Response) -> bool:
    """The gateway took the credentials but not for this request: 401 `Unauthorized; scope does not
    match` (or a 403 naming scopes). Read from a small body only."""
    if response.status_code not in (401, 403):
        return False
    text = _text(response).lower()
    return "scope does not match" in text or ("scope" in text and response.status_code == 403)


class GatewayAuth(BasicAuth):
    """Basic email + token (or, with `header`, a Bearer OAuth token) for a Cloud site, routed through
    the gateway per `route.mode`. `on_event` gets the --verbose lines."""

    def __init__(self, route: Route, user: str | None, secret: str | None, http: httpx.Client, *,
                 header: Callable[[], str] | None = None, renew: Callable[[], None] | None = None, scheme: str = "basic",
                 on_event: Callable[[str], None] = lambda line: None):
        """`http`: the client tenant_info is asked with (without credentials)."""
        super().__init__(route.server, user, secret)
        self.http = http
        self.scheme = scheme
        self.route = route
        self._site_origin = origin(route.site)
        self._gateway_origin = origin(route.gateway)
        self._bearer = header
        self._renew = renew  # OAuth: a new access token, when the gateway refuses the current one
        self._on_event = on_event
        self.base: str | None = None  # the gateway base, once requests go there
        self.cloud_id: str | None = None
        self._cached = False  # the cloudId came from the cache (the profile's or the state file's)
        self._renewing = threading.Lock()
        self._fresh: str | None = None  # the header of a renewal not yet taken by the gateway

    @property
    def routed(self) -> bool:
        return self.base is not None

    def header(self) -> str:
        return self._bearer() if self._bearer else self._header

    def signed(self, request: httpx.Request) -> httpx.Request | None:
        """Credentials for the site's own base URL (before routing) or the gateway's base for this site
        (after): a request for the site is then rewritten to the gateway. Anything else gets none."""
        url = str(request.url)
        if self.base is not None:
            if _under(url, self.route.server):
                request = _moved(request, self.base + url[len(self.route.server):])
            elif not _under(url, self.base):
                return None
            request.extensions[SENT] = True
        elif origin(request.url) != self._site_origin:
            return None
        request.headers["Authorization"] = self.header()
        return request

    def first(self, request: httpx.Request):
        if self.route.mode == "always" and self.base is None:
            self._go_to_gateway()
            self._on_event(f"Gateway: --gateway always: every request goes through {self.base}")
            response = yield from self._through_gateway(request)
            if self._renew is not None and response.status_code == 401 and not scope_mismatch(response):
                self._on_event("Gateway: the access token was refused before its expiry: renewing it once")
                self._renew()
                response = yield self.signed(request)
            return response
        response = yield request
        if self.route.mode == "never" or self.base is not None or response.status_code != 401 \
                or not _under(str(request.url), self.route.server) or PASSWORD in _text(response):
            return response  # a password is no scoped token: the site's answer says so
        try:
            self._go_to_gateway()
        except (RemoteError, httpx.HTTPError) as exc:  # no cloudId to be had: the site's 401 stands
            self._on_event(f"Gateway: not tried, the site's cloudId is unknown ({exc.__class__.__name__}: {exc})")
            return response
        retried = yield from self._through_gateway(request)
        if not refused(retried) or scope_mismatch(retried):
            self._on_event(f"Gateway: {self.route.site} refused the credentials (HTTP 401) and the gateway took them: "
                           f"a scoped API token. Every request now goes through {self.base}.")
            return retried
        self.base = None  # refused there too: not a scoped token, a wrong one
        retried.extensions[ROUTE] = "refused"
        return retried

    def refuses(self, response: httpx.Response) -> bool:
        return refused(response) and not scope_mismatch(response)

    def auth_flow(self, request):
        """Once the gateway has taken an OAuth access token, a 401 for a later one (its clock ahead of
        ours at the expiry, or a revocation) renews it and sends the request again; a renewed token
        refused before it worked once is not renewed again."""
        if self._renew is None or not self._accepted:
            yield from super().auth_flow(request)
            return
        target = self.signed(request)
        if target is None:
            yield request
            return
        if self._took(target, (yield target)):
            return
        with self._renewing:
            sent = target.headers["Authorization"]
            if sent == self._fresh:
                return
            if self.header() == sent:  # not renewed by another thread meanwhile
                self._on_event("Gateway: the access token was refused before its expiry: renewing it once")
                self._renew()
                self._fresh = self.header()
        retry = self.signed(request)
        self._took(retry, (yield retry))

    def _took(self, sent: httpx.Request, response: httpx.Response) -> bool:
        """The gateway took the token `sent` carries (a renewed one may then be renewed in its turn)."""
        if response.status_code == 401 and not scope_mismatch(response):
            return False
        if sent.headers["Authorization"] == self._fresh:
            self._fresh = None
        return True

    def _through_gateway(self, request: httpx.Request):
        """Send `request` to the gateway. A 404 for a cached cloudId may be the cache's (a stale entry,
        or a site that moved): tenant_info is asked once, and the request sent again if it answers another."""
        response = yield self.signed(request)
        if response.status_code != 404 or not self._cached:
            return response
        stale = self.cloud_id
        try:
            self._go_to_gateway(cached=False)
        except (RemoteError, httpx.HTTPError):
            return response  # the base stays as it was: the 404 stands
        if self.cloud_id == stale:
            return response  # the cloudId is right: the resource is missing
        self._on_event(f"Gateway: the cached cloudId {stale} of {self.route.site} is unknown to the gateway (HTTP 404); "
                       f"the site's is {self.cloud_id}: requests now go through {self.base}")
        return (yield self.signed(request))

    def _go_to_gateway(self, cached: bool = True) -> None:
        """Learn the site's cloudId (cached, else tenant_info without credentials) and route there. A
        cached value that is no plain identifier (a hand-edited file or profile) is not used."""
        cloud_id = self.route.cloud_ids.get(self.route.site) if cached and self.route.cloud_ids is not None else None
        self._cached = isinstance(cloud_id, str) and bool(CLOUD_ID.fullmatch(cloud_id))
        if not self._cached:
            with self.http.stream("GET", self.route.site + TENANT_INFO, headers={"Accept": "application/json"},
                                  auth=None, follow_redirects=False) as answer:
                cloud_id = _cloud_id(answer, self.route.site)
            if self.route.cloud_ids is not None:
                self.route.cloud_ids.put(self.route.site, cloud_id)
        self.cloud_id = cloud_id
        self.base = self.route.base(cloud_id)


def _cloud_id(response: httpx.Response, site: str) -> str:
    """The cloudId of tenant_info's answer, checked: it becomes a path segment of a URL that gets the
    credentials, so nothing but letters, digits and dashes."""
    where = f"{site}{TENANT_INFO}"
    if response.status_code != 200:
        raise RemoteError(f"{where} answered HTTP {response.status_code}: atlctl cannot learn the site's cloudId, which "
                          "the gateway needs. Check --server (the Cloud site), or use --gateway never.",
                          response.status_code)
    import json

    try:
        value = json.loads(_text(response)).get("cloudId")
    except (ValueError, AttributeError):
        value = None
    if not isinstance(value, str) or not CLOUD_ID.fullmatch(value):
        raise RemoteError(f"{where} did not answer a usable cloudId: atlctl does not send credentials to the gateway "
                          "for it. Check --server (the Cloud site), or use --gateway never.", reason="unexpected")
    return value


def _text(response: httpx.Response) -> str:
    """The body of a small answer read inside the auth flow (at most SMALL bytes)."""
    if not hasattr(response, "_content"):
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > SMALL:
                response.close()
                raise RemoteError(f"{response.request.url.host} answered {response.request.url.path} with more than "
                                  f"{SMALL // 1024} KiB where a few hundred bytes were expected.", reason="unexpected")
            chunks.append(chunk)
        response._content = b"".join(chunks)
    try:
        return response.text
    except (LookupError, UnicodeDecodeError):
        return ""


def _under(url: str, base: str) -> bool:
    return url == base or url.startswith(base.rstrip("/") + "/") or url.startswith(base + "?")


def _moved(request: httpx.Request, url: str) -> httpx.Request:
    """`request` for another URL: the same method, headers (but Host), body and extensions (a copy)."""
    headers = httpx.Headers([(k, v) for k, v in request.headers.multi_items() if k.lower() != "host"])
    moved = httpx.Request(request.method, url, headers=headers, stream=request.stream, extensions=dict(request.extensions))
    moved.headers["Host"] = moved.url.netloc.decode("ascii")  # given a stream, httpx sets none
    return moved


def check_mode(mode: str | None) -> str:
    mode = mode or "auto"
    if mode not in MODES:
        raise ClientError(f"Invalid value '{mode}' for --gateway. Valid values: {', '.join(MODES)}.")
    return mode
