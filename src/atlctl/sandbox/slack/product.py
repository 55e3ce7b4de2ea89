"""Slack's Web API: every method at /slack/api/<method>, by GET or POST (form or JSON), with its
arguments in the query string, the body, or both.

Authentication, as slack.com does it (server-behaviour.md §6.1, §6.2): `Authorization: Bearer
<token>` (scheme spelt exactly so), or a `token` argument in a POST body; a `token` in the query
string is refused with `invalid_auth` (apps created since 2021). Errors are HTTP 200
`{"ok": false, "error": ...}`, except the 429 `ratelimited` with `Retry-After`."""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict

from starlette.requests import Request
from starlette.responses import Response

from atlctl.sandbox.product import Call, Endpoint, Environment, Product, Refusal
from atlctl.sandbox.ratelimit import RateLimiter, Take
from atlctl.sandbox.realm import AccessToken, SeedToken, SeedUser, Stats
from atlctl.sandbox.responses import json_response, text_response
from atlctl.sandbox.router import Router
from atlctl.sandbox.settings import Settings, SettingsError, _rate_limit, int_between
from atlctl.sandbox.slack import methods
from atlctl.sandbox.slack.call import BOT_TYPE, USER_TYPE, SlackCall, slack_error
from atlctl.sandbox.slack.model import ADMIN, ALICE, BOT, Workspace

BOT_SCOPES = ("chat:write", "channels:read", "channels:history", "channels:manage", "channels:join", "groups:read",
              "users:read", "users:read.email", "files:write", "reactions:write")
USER_SCOPES = (*BOT_SCOPES, "search:read")
REVOKED = "xoxb-sandbox-revoked"
SEEDS = (
    SeedUser(ADMIN, "admin", "Sandbox Admin", "admin@example.com", "admin", ("admins",),
             (SeedToken("xoxp-sandbox-user", USER_TYPE, USER_SCOPES),)),
    SeedUser(ALICE, "alice", "Alice Example", "alice@example.com", "alice"),
    SeedUser(BOT, "sandboxbot", "Sandbox Bot", "", "(none: a bot signs in with its token)", ("bots",),
             (SeedToken("xoxb-sandbox-bot", BOT_TYPE, BOT_SCOPES), SeedToken("xoxb-sandbox-limited", BOT_TYPE, ("chat:write",)))),
)
TIERS = ("1", "2", "3", "4", "special")


def _tier_limits(value):
    if not isinstance(value, dict) or not set(value) <= set(TIERS):
        raise SettingsError(f"must be an object whose keys are tiers ({', '.join(TIERS)})")
    return {tier: _rate_limit(limit) for tier, limit in value.items()}


def _throttle(value):
    """[{"method": "auth.test", "count": 1, "retry_after": 1}]: the next `count` calls of the method answer 429,
    whatever the buckets say (a scenario that does not depend on timing)."""
    if not isinstance(value, list):
        raise SettingsError('must be a list of {"method": NAME, "count": N, "retry_after": S}')
    checked = []
    for entry in value:
        if not isinstance(entry, dict) or not isinstance(entry.get("method"), str) or set(entry) - {"method", "count", "retry_after"}:
            raise SettingsError('each entry must be {"method": NAME, "count": N, "retry_after": S}')
        checked.append({"method": entry["method"], "count": int_between(1, 1000)(entry.get("count", 1)),
                        "retry_after": int_between(0, 3600)(entry.get("retry_after", 1))})
    return checked


def _method_limits(value):
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise SettingsError('must be an object {"<method>": {"requests": N, "interval_seconds": S} or null}')
    return {name: _rate_limit(limit) for name, limit in value.items()}


class SlackProduct(Product):
    key = "slack"
    prefix = "/slack"
    title = "Slack (workspace Sandbox)"
    users = SEEDS
    session_cookie = ""
    call_type = SlackCall

    def __init__(self, env: Environment):
        self.env = env
        self.settings = Settings({"tier_limits": _tier_limits, "method_limits": _method_limits, "throttle": _throttle},
                                 lambda: {"tier_limits": {}, "method_limits": {}, "throttle": []})
        self.realm = env.realm("slack", self.settings, admin_groups=("admins",))
        self.stats = self._stats()
        self.rate_limiter = RateLimiter()
        self.workspace: Workspace  # seeded by reset() or read by load(), which the core calls before serving
        self.router: Router[Endpoint] = Router()
        for verb in ("GET", "POST"):
            self.router.add(verb, "/api/{method}", Endpoint(verb, "/api/{method}", methods.dispatch))
        self.router.add("POST", "/upload/v1/{secret}", Endpoint("POST", "/upload/v1/{secret}", methods.upload, kind="upload"))

    @staticmethod
    def _stats() -> Stats:
        return Stats()  # a token, in the header or in the body, counts as "bearer"

    # -- authentication ------------------------------------------------------------------------

    async def authenticate(self, call: SlackCall) -> Response | None:
        if call.endpoint.kind == "upload":
            return None  # the upload URL is the credential
        query = dict(call.request.query_params)
        body = await self._body(call)
        call.args = {**query, **body}
        header = call.request.headers.get("authorization", "")
        raw = None
        if header.startswith("Bearer ") and header[7:].strip():
            raw, call.scheme = header[7:].strip(), "bearer"
        elif isinstance(body.get("token"), str) and body["token"]:
            raw, call.scheme = body["token"], "bearer"
        elif "token" in query:
            call.scheme = "bearer"
            return slack_error("invalid_auth")  # tokens in query strings: refused for apps since 2021
        call.args.pop("token", None)
        if raw is None:
            return None  # the method decides: auth is needed by all but api.test
        token = self.realm.token(raw)
        if token is None:
            return slack_error("invalid_auth")
        if token.name == "revoked":
            return slack_error("token_revoked")
        user = self.realm.users.get(token.user_key)
        if user is None or not user.active:
            return slack_error("account_inactive")
        call.user, call.token = user, token
        call.headers.append(("X-OAuth-Scopes", ",".join(token.scopes)))
        return None

    async def _body(self, call: SlackCall) -> dict:
        if call.request.method != "POST":
            return {}
        content_type = call.request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "application/json":
            raw = await call.body()
            try:
                data = json.loads(raw or b"{}")
            except ValueError:
                raise Refusal(slack_error("invalid_json")) from None
            if not isinstance(data, dict):
                raise Refusal(slack_error("json_not_object"))
            return data
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await call.form()
            return {k: v for k, v in form.items() if isinstance(v, str)}
        return {}

    async def guard(self, call: SlackCall) -> Response | None:
        if call.endpoint.kind == "upload":
            return None
        spec = methods.METHODS.get(call.method)
        if spec is None:
            return slack_error("unknown_method")
        call.headers.append(("X-Accepted-OAuth-Scopes", ",".join(spec.scopes)))
        if call.token is None:
            return None if spec.anonymous else slack_error("not_authed")
        if spec.user_only and call.is_bot:
            return slack_error("not_allowed_token_type")
        needed = spec.needed(call)
        if needed and not any(scope in call.token.scopes for scope in needed):
            return slack_error("missing_scope", needed=",".join(needed), provided=",".join(call.token.scopes))
        return self._method_limit(call, spec)

    def _method_limit(self, call: SlackCall, spec) -> Response | None:
        """Per method, per token (Slack: per app and workspace), by the method's tier."""
        for entry in self.settings.throttle:
            if entry["method"] == call.method:
                entry["count"] -= 1
                if entry["count"] <= 0:
                    self.settings.throttle = [e for e in self.settings.throttle if e is not entry]
                response = slack_error("ratelimited", 429)
                response.headers["Retry-After"] = str(entry["retry_after"])
                return response
        limit = self.settings.method_limits.get(call.method) or self.settings.tier_limits.get(spec.tier)
        if not limit:
            return None
        take = self.rate_limiter.take(f"{call.token.id}:{call.method}", self.realm.clock.now(), limit["requests"],
                                      limit["interval_seconds"])
        return None if take.allowed else self._429(take)

    @staticmethod
    def _429(take: Take) -> Response:
        response = slack_error("ratelimited", 429)
        response.headers["Retry-After"] = str(take.wait)
        return response

    def rate_limited(self, call: SlackCall, requests: int, interval: float, take: Take) -> Response | None:
        return None if take.allowed else self._429(take)

    def error(self, status: int, message: str) -> Response:
        if status == 400:
            return slack_error("invalid_form_data")
        if status == 404:
            return text_response(message, 404)
        return slack_error("fatal_error" if status >= 500 else "request_failed", status)

    def unrouted(self, path: str, method: str, allowed: list[str]) -> Endpoint:
        async def not_found(call: Call) -> Response:
            return text_response("Not Found", 404)

        return Endpoint(method, path, not_found, kind="upload")

    def finish(self, call: SlackCall, raw_headers: list[tuple[bytes, bytes]]) -> None:
        raw_headers.append((b"x-slack-req-id", secrets.token_hex(16).encode()))

    # -- control -------------------------------------------------------------------------------

    def control_routes(self):
        return [("POST", "/tokens", self.add_token), ("POST", "/tokens/revoke", self.revoke_token)]

    async def add_token(self, request: Request) -> Response:
        """{"token": "xoxb-...", "user": "admin", "type": "bot"|"user", "scopes": [...]}; a bot token belongs
        to the bot user whatever `user` says."""
        try:
            data = await request.json()
            raw, kind = data["token"], data.get("type") or ("bot" if data["token"].startswith("xoxb-") else "user")
            scopes = data.get("scopes", [])
            if kind not in (BOT_TYPE, USER_TYPE) or not isinstance(raw, str) or not raw or not isinstance(scopes, list):
                raise ValueError
        except (ValueError, KeyError, TypeError, AttributeError):
            return json_response({"error": 'expected {"token": "...", "type": "bot"|"user", "user": "admin", '
                                           '"scopes": ["chat:write", ...]}'}, 400, media_type="application/json")
        user = self.realm.users.get(BOT) if kind == BOT_TYPE else self.realm.find_user(str(data.get("user", "admin")))
        if user is None:
            return json_response({"error": f"no such user: {data.get('user')}"}, 400, media_type="application/json")
        token = self.realm.add_token(user, raw, name="control", type=kind, scopes=[str(s) for s in scopes])
        return json_response({"id": token.id, "type": kind, "user": user.key, "scopes": token.scopes}, 201,
                             media_type="application/json")

    async def revoke_token(self, request: Request) -> Response:
        try:
            raw = (await request.json())["token"]
            token = self.realm.token(raw)
        except (ValueError, KeyError, TypeError):
            token = None
        if token is None:
            return json_response({"error": "no such token"}, 404, media_type="application/json")
        self._revoke(token)
        return json_response({"revoked": True}, media_type="application/json")

    def _revoke(self, token: AccessToken) -> None:
        token.name = "revoked"
        self.realm.store.put(self.realm.name, "token", token.id, asdict(token))

    def reset(self) -> None:
        self.settings.reset()
        self.stats = self._stats()
        self.rate_limiter = RateLimiter()
        self.workspace = Workspace(self.realm.store, self.realm.clock.now())
        if self.realm.token(REVOKED) is None:
            self._revoke(self.realm.add_token(self.realm.users[BOT], REVOKED, name="revoked", type=BOT_TYPE,
                                              scopes=list(BOT_SCOPES)))

    def load(self, records, blobs) -> None:
        self.workspace = Workspace(self.realm.store, self.realm.clock.now(), records, blobs)
