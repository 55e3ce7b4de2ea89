"""Slack, as the shared layers see it: one deployment (the Web API), a token as Bearer, and a
dialect for answers that are HTTP 200 `{"ok": false, "error": ...}` (server-behaviour.md §6.2)."""

from __future__ import annotations

from atlctl.auth.select import Row
from atlctl.errors import ClientError, ParameterError, RemoteError
from atlctl.products.base import Product, ServerInfo

APPS = "https://api.slack.com/apps"
USER_TOKEN_ENV = "ATLCTL_SLACK_USER_TOKEN"
MAX_TEXT = 40_000  # characters of a message's text (chat.postMessage docs; longer: msg_too_long)
USER_TOKEN_KEY = "user-token"  # in the profile's [profiles.NAME.slack] table: a secret source
GET_TOKEN = (f"create a Slack app at {APPS}, add the scopes it needs under OAuth & Permissions, install it to the "
             "workspace and copy its Bot User OAuth Token (xoxb-) or User OAuth Token (xoxp-)")
EVERY_AUTH = ("auto", "basic", "session", "token")  # the refusals answer whatever --auth a profile or script holds
PREFIXES = {"xoxb-": "bot", "xoxp-": "user", "xoxe.xoxb-": "bot", "xoxe.xoxp-": "user", "xapp-": "app-level",
            "xoxc-": "browser", "xoxe-": "refresh"}


def token_type(authorization: str | None) -> str | None:
    """"bot", "user", ... from the Bearer header a request carried, or None if not recognised."""
    token = (authorization or "").removeprefix("Bearer ").strip()
    return next((kind for prefix, kind in sorted(PREFIXES.items(), key=lambda p: -len(p[0]))
                 if token.startswith(prefix)), None)


class Slack(Product):
    name = "slack"
    title = "Slack"
    clients = {"slack": None}
    deployments = {"cloud": "Web API"}  # one deployment; "cloud" as profiles and the core name it
    takes = frozenset({"profile", "server", "token", "timeout", "proxy", "ca-bundle", "insecure", "client-cert",
                       "client-key"})
    default_server = "https://slack.com"
    token_name = "Slack token"
    token_advice = f"Check it, or reinstall the app at {APPS} and use its new token."
    rows = (
        Row("cloud", "a token", ("auto", "token"), "token", "Authorization: Bearer TOKEN (xoxb- bot or xoxp- user token)",
            restrictions=("user-token methods (searchMessages) need a user token (xoxp-): with a bot token as "
                          f"--token, give the user token in {USER_TOKEN_ENV} or the profile's slack.{USER_TOKEN_KEY}",),
            reason="a Slack token, sent as Bearer"),
        Row("cloud", "nothing", EVERY_AUTH, None, error=ParameterError,
            message=f"Slack needs a token: give --token (or set ATLCTL_TOKEN, or use a profile); to get one, {GET_TOKEN}."),
        Row("cloud", "anything", EVERY_AUTH, None, error=ParameterError,
            message="Slack takes a token, not a user or password (is ATLCTL_PASSWORD set?): give --token xoxb-... "
                    "or xoxp-... (or set ATLCTL_TOKEN)."),
    )
    actions = "atlctl.products.slack.actions"

    def discover(self, conn):
        """api.test answers anyone: it tells a Slack Web API from anything else."""
        answer = conn.json("POST", "/api/api.test", anonymous=True, expect={"ok": bool})
        return ServerInfo("cloud", None, answer)

    def client(self, conn, deployment, info):
        from atlctl.products.slack.client import SlackClient

        return SlackClient(conn)

    # -- the dialect -------------------------------------------------------------------------------

    def message(self, response):
        try:
            data = response.json()
        except (ValueError, RecursionError):  # not JSON (UnicodeDecodeError is one), or nested past any use
            return super().message(response)
        return str(data.get("error", "")) if isinstance(data, dict) else ""

    def explain(self, response, situation):
        method = _method(response)
        if response.status_code == 429:
            wait = response.headers.get("Retry-After")
            return RemoteError(f"Slack rate-limited {method} (HTTP 429 ratelimited{f', retry after {wait} s' if wait else ''}): "
                               "retry later, or lower --threads (Slack limits each method per app and workspace by "
                               "its tier).", 429)
        if response.status_code == 404 and "/api/" in response.request.url.path:
            base = str(response.request.url).split("/api/", 1)[0]
            return ClientError(f"No Slack Web API at {base} ({method} answered 404): --server must be https://slack.com, or the sandbox's "
                               "http://HOST:PORT/slack.")
        return None

    def body_error(self, response, data):
        if not (isinstance(data, dict) and data.get("ok") is False):
            return None
        return explain_error(_method(response), data, token_type(response.request.headers.get("Authorization")))


def _method(response) -> str:
    return response.request.url.path.rsplit("/", 1)[-1] or "the method"


def explain_error(method: str, data: dict, kind: str | None) -> RemoteError:
    """Slack's error code, and what to do about it."""
    error = str(data.get("error") or "unknown_error")
    said = f"Slack refused {method} ({error})"
    if error == "not_authed":
        return RemoteError(f"{said}: no token reached Slack. Give --token (or ATLCTL_TOKEN); to get one, {GET_TOKEN}.")
    if error == "invalid_auth" and kind in ("app-level", "browser", "refresh"):
        return RemoteError(f"{said}: that is {'an' if kind[0] in 'aeiou' else 'a'} {kind} token, which the Web API methods atlctl calls do not take: "
                           f"give the app's bot token (xoxb-) or a user token (xoxp-), from OAuth & Permissions at {APPS}.")
    if error == "invalid_auth":
        shape = "" if kind else " It does not look like a Slack token either (bot tokens start with xoxb-, user tokens with xoxp-)."
        return RemoteError(f"{said}: the token is not valid (mistyped, from another workspace, or rotated).{shape} "
                           f"Copy it again from the app's OAuth & Permissions page at {APPS}.")
    if error == "token_revoked":
        return RemoteError(f"{said}: the token has been revoked (the app was uninstalled or the token revoked). "
                           f"Reinstall the app at {APPS} and use its new token.")
    if error == "token_expired":
        return RemoteError(f"{said}: the token has expired (token rotation is on): refresh it, or use a new one.")
    if error == "account_inactive":
        return RemoteError(f"{said}: the token belongs to a deactivated user or an uninstalled app.")
    if error == "missing_scope":
        needed, provided = str(data.get("needed") or "?"), str(data.get("provided") or "none")
        which = {"bot": "Bot Token Scopes", "user": "User Token Scopes"}.get(kind or "", "scopes")
        first, *others = needed.split(",")
        accepts = f" (Slack accepts any of: {needed})" if others else ""
        return RemoteError(f"{said}: the token lacks the scope {first}{accepts}; it has: {provided}. Add {first} to "
                           f"the app's {which} (OAuth & Permissions at {APPS}), reinstall the app to the workspace, "
                           "and use the new token it shows.")
    if error == "not_allowed_token_type":
        gave = f"a {kind} token" if kind else "this kind of token"
        fix = (f"give a user token (xoxp-) in {USER_TOKEN_ENV} or the profile's slack.{USER_TOKEN_KEY} (with your "
               "bot token as --token), or as --token"
               if kind == "bot" else "give a bot token (xoxb-) or a user token (xoxp-) as the method requires")
        return RemoteError(f"{said}: {method} does not accept {gave}: {fix}.")
    if error == "msg_too_long":
        return RemoteError(f"{said}: the message text is longer than Slack's limit of {MAX_TEXT:,} characters. "
                           "Shorten it, split it into several messages (replies in a thread with --thread), or send "
                           "it as a file with addAttachment.")
    if error == "channel_not_found":
        return RemoteError(f"{said}: no such channel for this token. Check the name or id; a private channel exists "
                           "only for its members (invite the app with /invite @app).")
    if error == "not_in_channel":
        return RemoteError(f"{said}: the token's user or bot is not a member of the channel: join it with "
                           "joinChannel (public channels) or invite the app with /invite @app.")
    details = "; ".join(str(m) for m in (data.get("response_metadata") or {}).get("messages") or [])
    return RemoteError(f"{said}{f': {details}' if details else '.'}")


PRODUCT = Slack()
