"""Bitbucket Server/Data Center, as the shared layers see it: one deployment, its own rows (a user's
HTTP access token goes as Bearer or as the basic password with its user; project and repository
tokens have no user and go only as Bearer), a session from the first request's cookie, and
Bitbucket's error bodies ({"errors": [{"message", "exceptionName"}]})."""

from __future__ import annotations

from atlctl.auth.select import Row
from atlctl.auth.strategy import SessionStrategy
from atlctl.credentials.resolve import Credentials
from atlctl.errors import ClientError, ParameterError, RemoteError
from atlctl.products.atlassian import NO_XSRF, TOKEN_REFUSED, AtlassianProduct
from atlctl.products.base import WEB_SESSION, ServerInfo, parse_version

API = "/rest/api/1.0"
TOKEN_VERSION = (5, 5)  # personal access tokens; HTTP access tokens since
# No session resource: the first request sent with basic auth gets the cookie; the logout servlet ends it.
SESSION = SessionStrategy("BITBUCKETSESSIONID", logout_path="/j_atl_security_logout", headers=NO_XSRF,
                          alive_header="X-AUSERNAME",  # a 401 naming the user refuses the resource, not the session
                          whoami=(API + "/application-properties", "X-AUSERNAME"))
CAPTCHA = "CaptchaRequiredAuthenticationException"
NOT_PERMITTED = "AuthorisationException"
WRONG = "IncorrectPasswordAuthenticationException"
WEB_TOKEN = {WEB_SESSION: TOKEN_REFUSED}
BEARER_ONLY = ("Bitbucket project and repository access tokens have no user and work only as Bearer: drop --auth "
               "basic (--token alone sends it as Bearer). A personal access token also works with basic auth, "
               "together with its user: add --user.")


def rows() -> tuple[Row, ...]:
    s = "server"
    return (
        Row(s, "password and token", ("auto",), None, error=ParameterError,
            message="{either} (or choose with --auth basic|session|token)."),
        Row(s, "a token, no user", ("basic",), None, error=ParameterError, message=BEARER_ONLY),
        Row(s, "user + token", ("basic",), "basic", "Authorization: Basic user:token", TOKEN_VERSION,
            ("a personal (user) access token only: project and repository tokens are refused as basic",
             "no web-session actions (renderRequest)"), refuses=WEB_TOKEN,
            message="HTTP access tokens need {title} {minimum} or later; this server runs {title} {version}. "
                    "Use --user and --password instead.", reason="a personal access token as the basic password"),
        Row(s, "a token", ("auto", "token"), "token", "Authorization: Bearer TOKEN", TOKEN_VERSION,
            ("personal, project or repository HTTP access token, within its permissions",
             "project/repository tokens have no user: they cannot merge pull requests or manage tokens",
             "no web-session actions (renderRequest)"), refuses=WEB_TOKEN,
            message="HTTP access tokens need {title} {minimum} or later; this server runs {title} {version}. "
                    "Use --user and --password instead.", reason="an HTTP access token as Bearer"),
        Row(s, "anything", ("token",), None, error=ParameterError,
            message="--auth token needs an HTTP access token: give --token (or set ATLCTL_TOKEN).",
            example=Credentials("alice", "pw")),
        Row(s, "a session (--login)", ("auto", "session"), "session", "Cookie: the saved session",
            reason="reusing a saved session"),
        Row(s, "user + password", ("auto", "session"), "session",
            "Cookie BITBUCKETSESSIONID, from the first request sent with basic auth (logged out at exit)",
            reason="session from the first request"),
        Row(s, "a user, no secret", ("auto",), None, error=ParameterError,
            message="Missing password for {user}: give --password (or set ATLCTL_PASSWORD), or an HTTP access "
                    "token with --token."),
        Row(s, "nothing", ("auto",), "anonymous", "no credentials",
            restrictions=("only actions that need no user (getServerInfo)",), reason="no credentials given"),
        Row(s, "user + password", ("basic",), "basic", "Authorization: Basic user:password",
            restrictions=("every request costs the server a password check",), upgrades={WEB_SESSION: "session"},
            reason="basic auth on every request (--auth basic)"),
        Row(s, "anything", ("basic",), None, error=ParameterError,
            message="--auth basic needs --user and --password (or ATLCTL_PASSWORD), or --user and a personal "
                    "access token.", example=Credentials("alice")),
        Row(s, "anything", ("auto", "session"), None, error=ParameterError,
            message="Session authentication needs --user and --password, or --login with a saved session."),
    )


class Bitbucket(AtlassianProduct):
    name = "bitbucket"
    title = "Bitbucket"
    clients = {"bitbucket": None}  # one deployment; None as ACLI import (credentials/acli.py) names it
    deployments = {"server": "Server/Data Center"}
    rows = rows()
    actions = "atlctl.products.bitbucket.actions"
    lockout_advice = ("{title} locks the account behind a CAPTCHA after a few failed logins (5 by default), "
                      "which also stops git: check the password (or token) before retrying.")
    token_name = "access token"
    token_advice = ("A project or repository token works only as Bearer (--token without --user); a personal one "
                    "also as basic with its user. Otherwise create a new one (addAccessToken).")

    def session(self, deployment):
        return SESSION

    def deployment_from_host(self, host):
        return "server"  # Bitbucket Cloud is a product of its own (bitbucketcloud)

    def message(self, response) -> str:
        """{"errors": [{"context", "message", "exceptionName"}]}, else Atlassian's shapes."""
        try:
            data = response.json()
        except (ValueError, UnicodeDecodeError):
            return super().message(response)
        if isinstance(data, dict) and isinstance(data.get("errors"), list):
            parts = [str(e.get("message")) for e in data["errors"] if isinstance(e, dict) and e.get("message")]
            if parts:
                return " ".join(parts)
        return super().message(response)

    def explain(self, response, situation):
        text = response.text
        if response.status_code == 401 and CAPTCHA in text:  # products.md §3.1
            return RemoteError(
                f"{' '.join(self.message(response).split())} atlctl will not try again (every attempt prolongs the lock). Log in "
                f"once in a browser at {situation_base(response)}/login to solve the CAPTCHA, or ask an "
                f"administrator to clear it, then retry with the correct password.", 401, reason="lockout")
        if response.status_code == 401 and WRONG in text and situation.scheme == "basic" and "user + token" in situation.row:
            return RemoteError(
                f"Bitbucket refused the token as the basic password of {situation.user}: a personal access token "
                f"works with basic auth only with its own user, and a project or repository token has no user and "
                f"works only as Bearer (give --token without --user). The token may also be wrong, expired or "
                f"revoked. Each refusal counts as a failed login of {situation.user} towards a CAPTCHA lock.", 401)
        if response.status_code == 401 and NOT_PERMITTED in text and situation.scheme in ("basic", "token", "session"):
            return RemoteError(f"{self.message(response)} (HTTP 401): {situation.user or 'these credentials'} "
                               "lack the permission this needs.", 401, reason="not_permitted")
        if response.status_code == 404 and not self._bitbucket_body(response):
            return ClientError(
                f"No Bitbucket REST API at {situation_base(response)} ({response.request.url.path} answered 404 "
                "without Bitbucket's error body). Check --server: it must be the Bitbucket base URL, including any "
                "context path (e.g. https://host/bitbucket).")
        if response.status_code == 403 and "Basic authentication has been disabled" in text:
            return RemoteError(
                "Basic authentication is disabled on this Bitbucket. Use an HTTP access token (--token) or a "
                "session opened in a browser; atlctl's default session also starts with basic auth.", 403,
                reason="scheme_disabled")
        return None

    @staticmethod
    def _bitbucket_body(response) -> bool:
        try:
            data = response.json()
        except (ValueError, UnicodeDecodeError):
            return False
        return isinstance(data, dict) and isinstance(data.get("errors"), list)

    def discover(self, conn):
        """application-properties, anonymously (it answers anyone, products.md §3.2)."""
        try:
            raw = conn.get_json(f"{API}/application-properties", anonymous=True, expect=dict)
        except RemoteError as exc:
            if exc.status == 404:
                raise ClientError(
                    f"No Bitbucket REST API at {conn.server} (application-properties answered 404). Check --server: "
                    "it must be the Bitbucket base URL, including any context path (e.g. https://host/bitbucket)."
                ) from None
            raise
        if raw.get("displayName") != "Bitbucket" or not isinstance(raw.get("version"), str):
            raise ClientError(f"{conn.server} answered application-properties without a Bitbucket version: is it a "
                              "Bitbucket Server/Data Center?")
        return ServerInfo("server", parse_version(raw["version"]), raw)

    def client(self, conn, deployment, info):
        from atlctl.products.bitbucket.client import BitbucketClient

        return BitbucketClient(conn, info)


def situation_base(response) -> str:
    """The product base the failing request went to: its URL up to /rest."""
    url = str(response.request.url)
    return url.split("/rest/", 1)[0] if "/rest/" in url else url.rsplit("/", 1)[0]


PRODUCT = Bitbucket()
