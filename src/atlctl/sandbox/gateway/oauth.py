"""The OAuth 2.0 server of the gateway (auth.atlassian.com under /gateway/auth) and the calls that
tell a token where it may go (server-behaviour.md §4.3):

GET  /gateway/auth/authorize     the consent page (3LO): the user signs in and accepts or cancels
POST /gateway/auth/authorize     its form: 302 to redirect_uri with code and state (or error)
POST /gateway/auth/oauth/token   authorization_code (PKCE too), refresh_token (rotating), client_credentials
GET  /gateway/oauth/token/accessible-resources   (Bearer) the sites the token reaches
GET  /cloud/_edge/tenant_info    the site's cloudId
POST /_sandbox/gateway/revoke    the user removes the app in their profile: its grant is gone

Access and refresh tokens are realm tokens (persisted with --state); authorization codes live in
memory for 10 minutes and are good once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import Response

from atlctl.sandbox.atlassian import CLOUD_ID
from atlctl.sandbox.gateway import scopes
from atlctl.sandbox.gateway.errors import unauthorized
from atlctl.sandbox.gateway.seeds import CLIENTS, SERVICE_DOMAIN, Client
from atlctl.sandbox.product import Call, Product, basic_credentials
from atlctl.sandbox.responses import html_response, json_response, redirect

ACCESS = "oauth_access"  # realm token types
REFRESH = "oauth_refresh"
GRANTS = ("authorization_code", "refresh_token", "client_credentials")
CODE_SECONDS = 600
_JSON = "application/json"
SITE_NAME = "sandbox"
AVATAR = "https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/rocket.png"


@dataclass(frozen=True)
class Code:
    client_id: str
    user_key: str
    scopes: tuple[str, ...]
    redirect_uri: str
    challenge: str
    method: str
    expires: float


def redirect_allowed(uri: str) -> bool:
    """The seeded 3LO app's callback URLs: http on 127.0.0.1 or localhost, any port and path."""
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 - a bad port raises
    except ValueError:
        return False
    return parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost") and not parts.fragment


def oauth_error(status: int, code: str, description: str) -> Response:
    return json_response({"error": code, "error_description": description}, status, media_type=_JSON)


def _verifier_ok(code: Code, verifier: str) -> bool:
    if not code.challenge:
        return True
    if code.method == "S256":
        verifier = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return bool(verifier) and hmac.compare_digest(verifier, code.challenge)


def _b64(data: dict[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _access_token() -> str:
    """Atlassian's access tokens are JWTs; these only look like one (opaque to clients either way)."""
    return f"{_b64({'kid': 'sandbox', 'alg': 'RS256'})}.{_b64({'jti': secrets.token_hex(16)})}.{secrets.token_urlsafe(32)}"


class OAuthServer:
    def __init__(self, product: Product):
        self.product = product
        self.codes: dict[str, Code] = {}

    def reset(self) -> None:
        self.codes.clear()

    def issue(self, user_key: str, client: Client, granted: tuple[str, ...], grant: str) -> Response:
        """An access token (and a refresh token with offline_access, never for client credentials)."""
        product = self.product
        realm, settings = product.realm, product.settings
        user = realm.users[user_key]
        raw = _access_token()
        realm.add_token(user, raw, name=client.client_id, type=ACCESS, scopes=list(granted),
                        expires_in=settings.access_token_seconds, resource=client.client_id)
        body: dict[str, Any] = {"access_token": raw, "expires_in": settings.access_token_seconds,
                                "token_type": "Bearer", "scope": " ".join(granted)}
        if scopes.OFFLINE in granted and client.account is None:
            body["refresh_token"] = refresh = secrets.token_urlsafe(48)
            realm.add_token(user, refresh, name=client.client_id, type=REFRESH, scopes=list(granted),
                            expires_in=settings.refresh_token_seconds, resource=client.client_id)
        product.stats.token_grants[grant] += 1
        return json_response(body, 200, {"Cache-Control": "no-store"}, media_type=_JSON)

    async def revoke_grant(self, request: Request) -> Response:
        """Control: {"account": EMAIL, "client_id": ID}: the user removed the app from their
        profile (Atlassian documents no revocation endpoint for 3LO apps): its access and refresh
        tokens stop working. 200 {"revoked": N}."""
        try:
            body = json.loads(await request.body())
            account, client_id = body["account"], body["client_id"]
        except (ValueError, RecursionError, KeyError, TypeError):
            body = None
        if body is None or not isinstance(account, str) or not isinstance(client_id, str):
            return json_response({"error": 'the body must be {"account": EMAIL, "client_id": ID}'}, 400, media_type=_JSON)
        realm = self.product.realm
        user = realm.find_user(account)
        gone = [t for t in realm.tokens.values() if user is not None and t.user_key == user.key
                and t.resource == client_id and t.type in (ACCESS, REFRESH)]
        for token in gone:
            realm.revoke_token(token)
        return json_response({"revoked": len(gone)}, media_type=_JSON)


# ---- handlers ------------------------------------------------------------------------------


async def tenant_info(call: Call) -> Response:
    return json_response({"cloudId": CLOUD_ID}, media_type=_JSON)


async def accessible_resources(call: Call) -> Response:
    """The site an OAuth token was granted, with the scopes it holds there (Bearer only)."""
    if call.token is None:
        return unauthorized()
    root = call.base[: -len(call.product.prefix)]
    granted = [s for s in call.token.scopes if s != scopes.OFFLINE]
    return json_response([{"id": CLOUD_ID, "url": f"{root}/cloud", "name": SITE_NAME, "scopes": granted,
                           "avatarUrl": AVATAR}], media_type=_JSON)


_AUTHORIZE_FIELDS = ("audience", "client_id", "scope", "redirect_uri", "state", "response_type", "prompt",
                     "code_challenge", "code_challenge_method")


def _request_problem(params: dict[str, str]) -> str | None:
    """Why an authorization request cannot go on (shown on the page: nothing is sent back to an
    unchecked redirect_uri), or None."""
    client = CLIENTS.get(params.get("client_id", ""))
    if client is None or client.account is not None:
        return "Invalid client_id: no OAuth 2.0 (3LO) app has this client ID."
    if not redirect_allowed(params.get("redirect_uri", "")):
        return "The redirect_uri is not one of the app's callback URLs."
    if params.get("audience") != "api.atlassian.com":
        return "The audience must be api.atlassian.com."
    if params.get("response_type") != "code":
        return "The response_type must be code."
    asked = params.get("scope", "").split()
    unknown = [s for s in asked if s not in scopes.KNOWN]
    if not asked or unknown:
        return f"Invalid scope: {' '.join(unknown) or '(none)'}"
    if params.get("code_challenge") and params.get("code_challenge_method", "plain") not in ("plain", "S256"):
        return "The code_challenge_method must be S256 or plain."
    return None


def _page(title: str, body: str, status: int = 200) -> Response:
    return html_response(f"<!DOCTYPE html><html><head><title>{escape(title)}</title></head><body>{body}</body></html>", status)


def _problem_page(problem: str) -> Response:
    return _page("Something went wrong", f'<h1>Something went wrong</h1><p id="error">{escape(problem)}</p>', 400)


def _consent_page(call: Call, params: dict[str, str], message: str = "") -> Response:
    client = CLIENTS[params["client_id"]]
    hidden = "".join(f'<input type="hidden" name="{name}" value="{escape(params.get(name, ""))}">' for name in _AUTHORIZE_FIELDS)
    listed = "".join(f"<li>{escape(s)}</li>" for s in params["scope"].split())
    root = call.base[: -len(call.product.prefix)]
    warning = f'<p id="error">{escape(message)}</p>' if message else ""
    return _page(f"Authorize {client.name}", (
        f"<h1>{escape(client.name)} is requesting access to your Atlassian account</h1>{warning}"
        f'<p>Use app on: <span id="site">{SITE_NAME} ({escape(root)}/cloud)</span></p><ul id="scopes">{listed}</ul>'
        f'<form id="consent" method="post" action="{escape(call.base)}/auth/authorize">{hidden}'
        '<label>Email <input name="email" type="email"></label> <label>Password <input name="password" type="password"></label>'
        '<button name="decision" value="accept">Accept</button> <button name="decision" value="cancel">Cancel</button>'
        "</form>"))


async def authorize_form(call: Call) -> Response:
    params = {name: call.request.query_params.get(name, "") for name in _AUTHORIZE_FIELDS}
    problem = _request_problem(params)
    if problem:
        return _problem_page(problem)
    return _consent_page(call, params)


def _back(params: dict[str, str], **values: str) -> Response:
    """302 to the app's callback with `values` and the state, keeping the callback's own query."""
    uri = params["redirect_uri"]
    base, _, query = uri.partition("?")
    pairs = parse_qsl(query, keep_blank_values=True) + list(values.items())
    if params.get("state"):
        pairs.append(("state", params["state"]))
    return redirect(f"{base}?{urlencode(pairs)}")


async def authorize_submit(call: Call) -> Response:
    form = await call.form()
    params = {name: str(form.get(name, "")) for name in _AUTHORIZE_FIELDS}
    problem = _request_problem(params)
    if problem:
        return _problem_page(problem)
    if form.get("decision") != "accept":
        return _back(params, error="access_denied", error_description="User did not authorize the request")
    product = call.product
    realm = product.realm
    user = realm.find_user(str(form.get("email", "")))
    signed_in = (user is not None and user.active and not user.email.endswith(SERVICE_DOMAIN)
                 and await realm.check_password(user, str(form.get("password", "")), product.stats))
    if not signed_in:
        return _consent_page(call, params, "Incorrect email address and / or password.")
    code = secrets.token_urlsafe(32)
    product.oauth.codes[code] = Code(
        params["client_id"], user.key, tuple(params["scope"].split()), params["redirect_uri"],
        params["code_challenge"], params["code_challenge_method"] or "plain", realm.clock.now() + CODE_SECONDS)
    return _back(params, code=code)


async def token(call: Call) -> Response:
    """POST /oauth/token, with a JSON body (as Atlassian documents) or a form (as OAuth libraries
    send), the client's ID and secret in it or as Basic credentials."""
    media = call.request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    try:
        if media == "application/x-www-form-urlencoded":
            body: Any = {key: str(value) for key, value in (await call.form()).items()}
        else:
            body = json.loads(await call.body())
    except (ValueError, RecursionError):
        body = None
    if not isinstance(body, dict) or not all(isinstance(v, str) for v in body.values()):
        return oauth_error(400, "invalid_request", "The request body must be a JSON object of strings or a form.")
    scheme, value = call.authorization()
    if scheme == "basic":  # client_secret_basic, which OAuth libraries send by default [I: Auth0 takes both]
        body["client_id"], body["client_secret"] = basic_credentials(value)
    grant = body.get("grant_type", "")
    if grant not in GRANTS:
        return oauth_error(400, "unsupported_grant_type", f"Unsupported grant type: {grant}")
    client = CLIENTS.get(body.get("client_id", ""))
    if client is None or not hmac.compare_digest(body.get("client_secret", "").encode(), client.secret.encode()):
        return oauth_error(401, "access_denied", "Unauthorized")  # [I] a wrong client ID or secret
    if (grant == "client_credentials") != (client.account is not None):
        return oauth_error(403, "unauthorized_client", f"The client is not allowed the grant type {grant}")
    server = call.product.oauth
    if grant == "client_credentials":
        account = call.product.realm.users.get(client.account)
        if account is None or not account.active:
            return oauth_error(401, "access_denied", "Unauthorized")
        return server.issue(account.key, client, scopes.SEEDED, grant)
    if grant == "authorization_code":
        return _exchange_code(call, server, client, body)
    return _refresh(call, server, client, body)


def _exchange_code(call: Call, server: OAuthServer, client: Client, body: dict[str, str]) -> Response:
    code = server.codes.pop(body.get("code", ""), None)  # good once, whatever happens next
    now = call.product.realm.clock.now()
    if code is None or code.client_id != client.client_id or code.expires <= now:
        return oauth_error(403, "invalid_grant", "Invalid authorization code")
    if body.get("redirect_uri", "") != code.redirect_uri:
        return oauth_error(403, "invalid_grant", "redirect_uri does not match the authorization request")
    if not _verifier_ok(code, body.get("code_verifier", "")):
        return oauth_error(403, "invalid_grant", "Invalid code_verifier")
    if code.user_key not in call.product.realm.users:
        return oauth_error(403, "invalid_grant", "Invalid authorization code")
    return server.issue(code.user_key, client, code.scopes, "authorization_code")


def _refresh(call: Call, server: OAuthServer, client: Client, body: dict[str, str]) -> Response:
    """Rotating refresh tokens: the one used is disabled and a new one comes with the access token."""
    realm = call.product.realm
    old = realm.token(body.get("refresh_token", ""))
    if old is None or old.type != REFRESH or old.resource != client.client_id or old.user_key not in realm.users:
        return oauth_error(403, "invalid_grant", "Unknown or invalid refresh token.")  # [D] refresh-tokens page
    realm.revoke_token(old)
    return server.issue(old.user_key, client, tuple(old.scopes), "refresh_token")


# (method, path, handler, kind): "oauth" reads no Authorization header, "api" needs a Bearer token.
ROUTES = (
    ("GET", "/auth/authorize", authorize_form, "oauth"),
    ("POST", "/auth/authorize", authorize_submit, "oauth"),
    ("POST", "/auth/oauth/token", token, "oauth"),
    ("GET", "/oauth/token/accessible-resources", accessible_resources, "api"),
)
