"""Bitbucket Cloud (https://api.bitbucket.org/2.0), as the shared layers see it. Its own product:
the API shares nothing with Bitbucket Data Center (products/bitbucket/).

Three credentials (products.md §4.1, SB §5.1): an app password with the Bitbucket *user name*
(being retired), an API token with the account *email* (scoped), both as Basic; and an access
token bound to a repository, project or workspace, as Bearer. Account passwords are refused. The
rows tell the pairings apart by shape where they can (an email with --password is an app password
with the wrong user); otherwise the dialect reads the server's answer and says which pairing, scope
or resource is wrong."""

from __future__ import annotations

import re

from atlctl.auth.select import Row
from atlctl.credentials.resolve import Credentials
from atlctl.errors import ClientError, ParameterError, RemoteError
from atlctl.products.base import Product, ServerInfo

API_TOKEN_URL = "https://id.atlassian.com/manage-profile/security/api-tokens"
USERNAME_URL = "https://bitbucket.org/account/settings/"
PAIRINGS = ("--user USERNAME --password APP_PASSWORD (your Bitbucket user name, from " + USERNAME_URL + "), "
            "--user EMAIL --token API_TOKEN (your Atlassian account email), or --token ACCESS_TOKEN alone "
            "(a repository, project or workspace access token)")
NEEDS = "Bitbucket Cloud needs one of: " + PAIRINGS + "."
API_TOKEN_HINT = (f"Create an API token with scopes at {API_TOKEN_URL} (Create API token with scopes, app Bitbucket) "
                  "and give it with --user EMAIL --token API_TOKEN.")

# What the server says (products.md §4.1, SB §5.2).
ACCOUNT_PASSWORD = "stopped supporting account passwords"
LOGIN_FAILED = "Login failed due to incorrect login credentials or method"
TOKEN_INVALID = "Token is invalid, expired, or not supported for this endpoint."
NOT_FOR_ACCESS_TOKENS = "Token is invalid or not supported for this endpoint."
ACCESS_TOKEN_EXPIRED = "Access token expired."
LACKS_SCOPES = "lack one or more required privilege scopes"
RATE_LIMITED = "Rate limit for this resource has been exceeded"
KINDS = {"apppassword": "app password", "api_token": "API token", "apikey": "API token",
         "repository_access_token": "repository access token", "project_access_token": "project access token",
         "workspace_access_token": "workspace access token"}
RESOURCE_PATH = re.compile(r"/2\.0/(?:repositories|workspaces)/([^/?]+)(?:/([^/?]+))?")
OTHERS = ("auto", "basic", "token")
WEB_HOSTS = ("bitbucket.org", "www.bitbucket.org")
GIT_USERS = ("x-token-auth", "x-bitbucket-api-token-auth")  # Git over HTTPS only (SB §5.1)


def rows() -> tuple[Row, ...]:
    return (
        Row("cloud", "anything", ("session",), None, error=ClientError,
            message="Bitbucket Cloud has no session login for the API. " + NEEDS),
        Row("cloud", "a session (--login)", OTHERS, None, error=ClientError,
            message="Bitbucket Cloud has no session login for the API. " + NEEDS),
        Row("cloud", "password and token", OTHERS, None, error=ParameterError,
            message="{either} (an app password goes as the password; an API token or access token as the token)."),
        Row("cloud", "email + password", OTHERS, None, error=ParameterError,
            message="An app password goes with your Bitbucket user name, not your email ({user}): give --user "
                    f"USERNAME (see {USERNAME_URL}) --password APP_PASSWORD. With your email, give an API token: "
                    "--user {user} --token API_TOKEN. Account passwords are refused by the Bitbucket Cloud API."),
        Row("cloud", "user name + secret", ("auto", "basic"), "basic", "Authorization: Basic username:app-password",
            restrictions=("app passwords are being retired (no new ones since 2025-09-09, none work after 2026-06-09): "
                          "move to an API token",
                          "the secret must be an app password: the account password is refused (401)"),
            reason="app password with the Bitbucket user name as basic auth"),
        Row("cloud", "email + API token", ("auto", "basic"), "basic", "Authorization: Basic email:api-token",
            restrictions=("a scoped API token (app Bitbucket): each action needs its scope, e.g. read:user:bitbucket "
                          "for getCurrentUser; classic unscoped tokens are refused (401)",),
            reason="API token with the account email as basic auth"),
        Row("cloud", "a token", ("auto", "token"), "token", "Authorization: Bearer ACCESS_TOKEN",
            restrictions=("bound to one repository, project or workspace, within its scopes; no user-level "
                          "actions (getCurrentUser, getWorkspaceList)",),
            reason="access token as Bearer"),
        Row("cloud", "a user, no secret", OTHERS, None, error=ParameterError,
            message="Missing secret for {user}: give --password APP_PASSWORD with your Bitbucket user name, or "
                    "--token API_TOKEN with your account email (or set ATLCTL_PASSWORD / ATLCTL_TOKEN)."),
        Row("cloud", "nothing", OTHERS, "anonymous", "no credentials",
            restrictions=("only getServerInfo: every action reads or writes a private resource",),
            reason="no credentials given"),
        Row("cloud", "anything", OTHERS, None, error=ParameterError,
            message="The --auth given does not fit these credentials. " + NEEDS,
            example=Credentials("alice@example.com", token="api")),
    )


class BitbucketCloud(Product):
    name = "bitbucket_cloud"
    title = "Bitbucket Cloud"
    clients = {"bitbucket_cloud": None, "bitbucketcloud": None}  # its key, and ACLI's client name
    deployments = {"cloud": "Cloud"}
    rows = rows()
    actions = "atlctl.products.bitbucket_cloud.actions"
    default_server = "https://api.bitbucket.org"
    takes = frozenset({"profile", "server", "user", "password", "token", "auth", "timeout", "proxy", "ca-bundle",
                       "insecure", "client-cert", "client-key"})
    headers = {"Accept": "application/json"}
    lockout_advice = "Bitbucket locks an account after too many invalid attempts: check it before retrying."
    token_name = "access token"
    token_advice = "Check it, or create a new one in the repository, project or workspace settings."

    def message(self, response) -> str:
        """{"type": "error", "error": {"message", "detail", "fields"}}, or a line of the plain text."""
        try:
            data = response.json()
        except (ValueError, UnicodeDecodeError):
            return super().message(response)
        error = data.get("error") if isinstance(data, dict) else None
        if not isinstance(error, dict):
            return super().message(response)
        message = str(error.get("message") or "")
        detail = error.get("detail")
        if isinstance(detail, str) and detail.strip() and "no API hosted" not in detail:
            message += f" {detail.strip()}"
        return message

    def explain(self, response, situation):
        status, text = response.status_code, response.text
        if response.request.url.host in WEB_HOSTS:
            return ClientError(f"--server {response.request.url.scheme}://{response.request.url.host} is Bitbucket's web "
                               f"site, not its API: use {self.default_server} (the default: leave out --server).")
        kind = KINDS.get(response.headers.get("X-Credential-Type", ""), "")
        user = situation.user
        if status == 401 and ACCOUNT_PASSWORD in text:
            return RemoteError(
                f"Bitbucket Cloud does not accept account passwords for the API (user {user}). {API_TOKEN_HINT} "
                "Or use an app password with your Bitbucket user name while they last.", status)
        if status == 401 and LOGIN_FAILED in text:
            if user in GIT_USERS:
                return RemoteError(
                    f"{user} is a user name for Git over HTTPS only. For the REST API give an access token alone "
                    "(--token ACCESS_TOKEN, no --user), or an API token with your account email (--user EMAIL --token "
                    "API_TOKEN).", status)
            if user and "@" in user:
                return RemoteError(
                    f"Bitbucket Cloud rejected the API token for {user}: it is wrong, revoked or expired, or is an "
                    f"app password (those go with your Bitbucket user name, see {USERNAME_URL}). {API_TOKEN_HINT}",
                    status)
            if situation.given == "token":
                return RemoteError(
                    f"Bitbucket Cloud rejected the token given with the user name {user}: an API token goes with "
                    "your Atlassian account email, not the Bitbucket user name: --user EMAIL --token API_TOKEN. If it "
                    f"is an app password, it is wrong or revoked, or {user} is not your Bitbucket user name "
                    f"({USERNAME_URL}).", status)
            return RemoteError(
                f"Bitbucket Cloud rejected the app password for user name {user}: it is wrong or revoked, or "
                f"{user} is not your Bitbucket user name ({USERNAME_URL}). If the secret is an API token, it goes with "
                "your account email: --user EMAIL --token API_TOKEN.", status)
        if status == 401 and TOKEN_INVALID in text:
            return RemoteError(
                f"Bitbucket Cloud refused the API token for {user}: it has no Bitbucket scopes (a classic API token "
                f"works on Jira and Confluence only), or it has expired. {API_TOKEN_HINT}", status)
        if status == 401 and NOT_FOR_ACCESS_TOKENS in text:
            return RemoteError(
                f"This {kind or 'access token'} cannot do this: user-level resources (the current user, your "
                "workspaces) answer only to a user's credentials. Use an API token (--user EMAIL --token API_TOKEN) "
                "or an app password for this action.", status)
        if status == 401 and ACCESS_TOKEN_EXPIRED in text:
            return RemoteError(
                "Bitbucket Cloud refused the token sent as Bearer (\"Access token expired.\"): it is not a valid "
                "access token (expired, revoked or mistyped). An app password or an API token is not sent as Bearer: "
                "give it with --user (your user name for an app password, your email for an API token).", status)
        if status == 403 and LACKS_SCOPES in text:
            return self._lacks_scopes(response, kind, status)
        if status in (403, 404) and situation.scheme == "token":
            resource = _resource(response)
            scopes = response.headers.get("X-OAuth-Scopes", "")
            return RemoteError(
                f"The {kind or 'access token'} cannot reach {resource or 'this resource'}: "
                f"{self.message(response) or 'refused'} An access token works only inside the repository, project "
                f"or workspace it was created for{f' (its scopes: {scopes})' if scopes else ''}; use a token of that "
                "resource, or an API token for anything wider.", status)
        if status == 429 and RATE_LIMITED in text:
            return RemoteError("Bitbucket Cloud's rate limit for this resource is exhausted (limits count per hour, "
                               "per user or per access token). Retry later, or lower --threads.", status)
        return None

    def _lacks_scopes(self, response, kind: str, status: int) -> RemoteError:
        detail = {}
        try:
            detail = response.json()["error"]["detail"]
        except (ValueError, KeyError, TypeError):
            pass
        required = _words(detail.get("required") if isinstance(detail, dict) else None) or \
            response.headers.get("X-Accepted-OAuth-Scopes", "") or "(not said)"
        granted = _words(detail.get("granted") if isinstance(detail, dict) else None) or \
            response.headers.get("X-OAuth-Scopes", "") or "none"
        what = kind or "credential"
        return RemoteError(
            f"The {what} lacks the scope this action needs: {required} (it has: {granted}). Create a new {what} "
            f"with {required}, or use one that has it.", status, reason="scope")

    def deployment_title(self, deployment):
        return self.title  # not "Bitbucket Cloud Cloud": its one deployment is in its name

    def discover(self, conn):
        """One deployment and no server version: nothing to ask (the credentials are checked by getServerInfo)."""
        return ServerInfo("cloud", None)

    def client(self, conn, deployment, info):
        from atlctl.products.bitbucket_cloud.client import BitbucketCloudClient

        return BitbucketCloudClient(conn)


def _words(values) -> str:
    return ", ".join(str(v) for v in values) if isinstance(values, list) else ""


def _resource(response) -> str:
    found = RESOURCE_PATH.search(response.request.url.path)
    if not found:
        return ""
    workspace, rest = found.groups()
    if "/repositories/" in response.request.url.path and rest:
        return f"repository {workspace}/{rest}"
    return f"workspace {workspace}"


PRODUCT = BitbucketCloud()
