"""What Atlassian's products share, for their declarations to build on: the Server/Data Center and
Cloud authentication rows (acli.md's authentication table), Seraph's failure signals (CAPTCHA,
websudo, basic auth disabled), the Cloud edge's refusals and the REST error bodies."""

from __future__ import annotations

import re

from atlctl.auth.select import Row, dotted, is_email
from atlctl.auth.strategy import Elevation, is_login
from atlctl.credentials.resolve import Credentials
from atlctl.errors import ClientError, ParameterError, RemoteError
from atlctl.http.dialect import one_line
from atlctl.products.base import AUTHENTICATED, WEB_SESSION, ActionSet, Param, Product, Result, parse_version
from atlctl.values import positive

API_TOKEN_URL = "https://id.atlassian.com/manage-profile/security/api-tokens"
OAUTH_CONSOLE = "https://developer.atlassian.com/console/myapps/"
CLIENT_CREDENTIALS = "client id + secret"  # the row of a service account's OAuth 2.0 credential (in Situation.row)
SCOPE = re.compile(r"\b(?:read|write|delete|manage):[a-z0-9.:-]*[a-z0-9]")  # an OAuth scope's name
TOKEN_REFUSED = ("Action or capability not available when using token authentication. "
                 "Use user and password parameters instead.")
CLOUD_HINT = ("{title} Cloud needs the account email as --user and an API token as --token (or --password); "
              f"create a token at {API_TOKEN_URL}")
CAPTCHA = "CAPTCHA_CHALLENGE"
LOGIN_FAILED = "AUTHENTICATED_FAILED"  # Seraph's X-Seraph-LoginReason for refused credentials
BASIC_DISABLED = "Basic Authentication has been disabled on this instance."
CLOUD_PASSWORD = "Basic authentication with passwords is deprecated"
NO_RESOURCE = "null for uri"  # Jersey's 404 for a REST resource the server does not have
CONNECT_TOKEN = "Failed to parse Connect Session Auth Token"
NO_XSRF = (("X-Atlassian-Token", "no-check"),)
WEBSUDO = Elevation("/secure/admin/WebSudoAuthenticate.jspa", "This resource requires WebSudo.", "webSudoPassword",
                    (("webSudoDestination", "/"), ("webSudoIsPost", "false")), ("atlassian.xsrf.token", "atl_token"),
                    ("X-Atlassian-WebSudo", "Has-Authentication"), "Jira")


PAT_TOO_OLD = "Personal access tokens need {title} {minimum} or later; this server runs {title} {version}."
SESSION_LOGIN = "Cookie, after one login with the password (logged out at exit)"


def server_rows(pat_version: tuple[int, ...], session_how: str = SESSION_LOGIN) -> tuple[Row, ...]:
    """Server/Data Center: session (the default, automatic login), basic, personal access tokens.
    `session_how`: how the automatic session is obtained, in the matrix's words."""
    web_token = {WEB_SESSION: TOKEN_REFUSED}
    return (
        Row("server", "password and token", ("auto",), None, error=ParameterError,
            message="{either} (or choose with --auth basic|session|token)."),
        Row("server", "a token", ("auto", "token"), "token", "Authorization: Bearer TOKEN", pat_version,
            ("renderRequest and other web-session actions unavailable with a token (use a password profile for those)",),
            refuses=web_token,
            message=PAT_TOO_OLD + " Use --user and --password instead.", reason="personal access token as Bearer"),
        Row("server", "anything", ("token",), None, error=ParameterError,
            message="--auth token needs a personal access token: give --token (or set ATLCTL_TOKEN).",
            example=Credentials("alice", "pw")),
        Row("server", "a session (--login)", ("auto", "session"), "session", "Cookie: the saved session",
            reason="reusing a saved session"),
        Row("server", "user + password", ("auto", "session"), "session", session_how,
            reason="session with automatic login"),
        Row("server", "a user, no secret", ("auto",), None, error=ParameterError,
            message="Missing password for {user}: give --password (or set ATLCTL_PASSWORD), or a personal access "
                    "token with --token."),
        Row("server", "nothing", ("auto",), "anonymous", "no credentials",
            restrictions=("only actions that need no user (getServerInfo)",), reason="no credentials given"),
        Row("server", "a token, no password", ("basic",), None, error=ParameterError,
            message="{title} Server/DC does not accept a personal access token with basic auth: use --auth token "
                    "(the default for --token), or give --password for basic."),
        Row("server", "user + password", ("basic",), "basic", "Authorization: Basic user:password",
            restrictions=("every request costs the server a password check",), upgrades={WEB_SESSION: "session"},
            reason="basic auth on every request (--auth basic)"),
        Row("server", "anything", ("basic",), None, error=ParameterError,
            message="--auth basic needs --user and --password (or ATLCTL_PASSWORD).",
            example=Credentials("alice")),
        Row("server", "anything", ("auto", "session"), None, error=ParameterError,
            message="Session authentication needs --user and --password, or --login with a saved session."),
    )


def cloud_rows() -> tuple[Row, ...]:
    """Cloud: the account email and an API token as basic auth, nothing else."""
    no_session = "Session login is not available on {title} Cloud (Atlassian removed it). " + CLOUD_HINT + "."
    others = ("auto", "basic", "token")  # --auth session is refused by the first row, whatever the credentials
    cloud_web = ("Action or capability not available on {title} Cloud: it needs a web session, which {title} Cloud "
                 "gives only to a browser (its sign-in page); scripts authenticate with API tokens or OAuth.")
    return (
        Row("cloud", "anything", ("session",), None, error=ClientError, message=no_session),
        Row("cloud", "a session (--login)", others, None, error=ClientError, message=no_session),
        Row("cloud", "an OAuth 2.0 login (--web)", others, "oauth",
            "Authorization: Bearer ACCESS-TOKEN, through the API gateway (--gateway-url)",
            restrictions=("only the scopes granted at `auth login --web`; the refresh token rotates in the keyring",
                          "no web-session actions (renderRequest)"),
            refuses={WEB_SESSION: cloud_web}, reason="the profile's OAuth 2.0 (3LO) login"),
        Row("cloud", CLIENT_CREDENTIALS, others, "oauth",
            "Authorization: Bearer ACCESS-TOKEN from the client credentials grant (--oauth-url), through the API gateway",
            restrictions=("a service account: only its OAuth client's scopes; the access token is kept in the secret "
                          "store until it expires", "no web-session actions (renderRequest)"),
            refuses={WEB_SESSION: cloud_web}, reason="OAuth 2.0 client credentials (a service account)"),
        Row("cloud", "a client id, no secret", others, None, error=ParameterError,
            message="Missing the OAuth client secret for --client-id: give --client-secret (or set "
                    "ATLCTL_CLIENT_SECRET), or store it with `atlctl auth login PROFILE --client-id ID`."),
        Row("cloud", "password and token", others, None, error=ParameterError,
            message="{either} (on Cloud both carry the API token)."),
        Row("cloud", "a user, no secret", others, None, error=ParameterError,
            message="Missing API token for {user}: give --token (or set ATLCTL_TOKEN)."),
        Row("cloud", "nothing", others, "anonymous", "no credentials",
            restrictions=("only actions that need no user (getServerInfo)",), reason="no credentials given"),
        Row("cloud", "a secret, no email", others, None, error=ClientError,
            message=CLOUD_HINT.replace("as --user", "as --user{got}", 1) + "."),
        Row("cloud", "email + API token", ("auto", "basic", "token"), "basic",
            "Authorization: Basic email:api-token (a scoped token: through the API gateway, per --gateway)",
            restrictions=("no session login and no web-session actions (renderRequest) on Cloud",
                          "the account password is refused (401 'passwords are deprecated')",
                          "a scoped (or service account) token works only through the API gateway: --gateway auto "
                          "(the default) goes there after the site's 401"),
            refuses={WEB_SESSION: cloud_web},
            reason="Cloud: account email + API token as basic auth"),
    )


class AtlassianProduct(Product):
    """An Atlassian product: Seraph in front of its Server/DC, the Atlassian edge in front of its Cloud."""

    headers = dict(NO_XSRF)  # JSON bodies pass the XSRF filter anyway; uploads and forms need this [§0.4]
    lockout_advice = "{title} counts each failure and asks for a CAPTCHA after a few: check the password before retrying."
    token_name = "personal access token"
    token_advice = ("Create a new one (addAccessToken, or your profile's Personal Access Tokens page) or use --user "
                    "and --password.")

    def message(self, response) -> str:
        """Jira's ErrorCollection ({"errorMessages": [...], "errors": {...}}), atlassian-rest's Status, plain text."""
        try:
            data = response.json()
        except (ValueError, RecursionError):  # not JSON, undecodable, or nested past any use
            return super().message(response)
        if not isinstance(data, dict):
            return ""
        messages = data.get("errorMessages")
        parts = [str(m) for m in messages] if isinstance(messages, list) else []
        errors = data.get("errors")
        if isinstance(errors, dict):
            parts += [f"{field}: {message}" for field, message in errors.items()]
        return one_line(" ".join(parts), 600) or super().message(response)

    def user_hint(self, situation) -> str:
        """Server/Data Center signs in with the user name; an email there is the likely mistake (the
        server answers only "wrong user name or password") [§1.1]."""
        if situation.deployment != "server" or not is_email(situation.user):
            return ""
        return (f"{self.title} Server/Data Center signs in with the user name, not the email address: if "
                f"{situation.user} is your email, give your user name (on your profile page) as --user. ")

    def explain(self, response, situation):
        status, text = response.status_code, response.text
        title = self.title
        denied = response.headers.get("X-Authentication-Denied-Reason", "")
        if CAPTCHA in denied:  # [§1.1, §1.3, §1.4]
            url = denied.split("login-url=", 1)[1].strip() if "login-url=" in denied else "the login page"
            return RemoteError(
                f"{title} asks for a CAPTCHA for user {situation.user or '(unknown)'} after too many failed logins, "
                f"and refuses API logins until it is answered. atlctl will not try again (each attempt prolongs the "
                f"lockout). Log in once in a browser at {url}, or ask an administrator to reset the failed login "
                "count, then retry with the correct password.", status, reason="lockout")
        if WEBSUDO.refused(response):  # [§0.5]
            return RemoteError(
                "This admin action needs a secure administrator session (websudo): the server wants the password "
                "confirmed for admin functions, and atlctl has no password for this session. Give --password (or "
                "ATLCTL_PASSWORD) so atlctl can confirm it, use --auth basic or a personal access token (--token), "
                "which the REST admin resources accept without websudo, or ask an administrator to disable secure "
                "administrator sessions.", status, reason="elevation")
        if status == 403 and BASIC_DISABLED in text:  # [§1.1]
            return RemoteError(
                "Basic authentication is disabled on this server. Use session authentication (the default with "
                "--user and --password: drop --auth basic) or a personal access token (--token).", status,
                reason="scheme_disabled")
        hint = CLOUD_HINT.format(title=title)
        if status == 404 and situation.deployment == "server" and is_login(response.request) \
                and NO_RESOURCE in text and self._from_cloud(response):  # Cloud has no login resource [§4.1]
            url = response.request.url.copy_with(query=None)
            return ClientError(
                f"{url} does not exist (HTTP 404: null for uri): this site looks like {title} Cloud, which has no "
                f"session login, and --deployment server treats it as Server/Data Center. Give --deployment cloud "
                f"(or auto, the default, to let atlctl tell). {hint}.")
        if CLOUD_PASSWORD in text:  # [§4.1]
            return RemoteError(f"{title} Cloud does not accept account passwords for the API. {hint}.", status)
        if CONNECT_TOKEN in text:  # [§4.1]
            return RemoteError(
                f"{title} Cloud refused the token sent as Bearer: Cloud API tokens go with basic auth and the account "
                f"email. {hint} (and --deployment cloud or auto).", status)
        if situation.deployment == "cloud" and situation.gateway is not None:
            explained = self._explain_gateway(response, situation)
            if explained is not None:
                return explained
        if status in (401, 403) and situation.deployment == "cloud" and situation.scheme == "basic" \
                and LOGIN_FAILED in response.headers.get("X-Seraph-LoginReason", ""):  # served as anonymous [§4.1]
            return cloud_token_refused(title, situation.user, status)
        if status in (401, 403) and situation.deployment == "cloud":
            message = self.message(response)
            return RemoteError(
                f"User is not authorized to perform the request (HTTP {status}): {message or 'credentials rejected'}. "
                f"{hint}.", status)
        return None

    def _from_cloud(self, response) -> bool:
        """The answer came from Atlassian Cloud: its edge's headers, or a Cloud host name."""
        headers = response.headers
        return (headers.get("Server", "").lower() == "atlassianedge" or "atl-traceid" in headers
                or self.deployment_from_host(response.request.url.host) == "cloud")

    # what each request needs of a scoped token or an OAuth grant: (method or None for any, a part of the
    # path, the scope), the first match winning [server-behaviour.md §4.2]
    scopes: tuple[tuple[str | None, str, str], ...] = ()

    def scope_for(self, method: str, path: str) -> str | None:
        for wanted, part, scope in self.scopes:
            if wanted in (None, method) and part in path:
                return scope
        return None

    def _explain_gateway(self, response, situation):
        """A Cloud refusal where the gateway is in play: a missing scope (named, and where to add it),
        the token refused by the site and the gateway, or a scoped token on the site with --gateway never."""
        from atlctl.auth.gateway import ROUTE, scope_mismatch

        status, title = response.status_code, self.title
        bearer = situation.scheme == "oauth"
        if scope_mismatch(response):
            request = response.request
            named = SCOPE.search(response.text)
            scope = named[0] if named else self.scope_for(request.method, request.url.path)
            where = ("a service account's OAuth 2.0 credential gets its scopes when it is created: create one that "
                     "includes it on the service account's page in admin.atlassian.com and use its --client-id and "
                     "--client-secret" if CLIENT_CREDENTIALS in situation.row else
                     f"in your app's permissions at {OAUTH_CONSOLE}, then run `atlctl auth login --web PROFILE` "
                     "again to grant it" if bearer else
                     f"a scoped API token cannot be changed: create one that includes it at {API_TOKEN_URL} (or the "
                     "service account's page in admin.atlassian.com)")
            need = f"the scope {scope}" if scope else "a scope it lacks"
            return RemoteError(f"{title} Cloud's gateway refused {request.method} {request.url.path}: the "
                               f"{'OAuth grant' if bearer else 'token'} lacks {need} (HTTP {status}: "
                               f"{self.message(response) or 'scope does not match'}). Add it: {where}.", status,
                               reason="scope")
        if status != 401:
            return None
        if bearer:
            return RemoteError(
                f"{title} Cloud's API gateway refused the OAuth 2.0 access token (HTTP 401, also after renewing it): "
                "the app lost access to the site, or the service account's OAuth credential was removed. Log in again "
                "(`atlctl auth login --web PROFILE`), or check the credential in admin.atlassian.com.", status)
        if response.extensions.get(ROUTE) == "refused":
            return cloud_token_refused(title, situation.user, status, ", on the site and on the API gateway")
        if situation.gateway == "never" and situation.scheme == "basic":
            return RemoteError(
                f"The {title} Cloud site refused the credentials for {situation.user} (HTTP 401: "
                f"{self.message(response) or 'not authenticated'}). This looks like a scoped API token (or a service "
                "account's): the site refuses those, they work only through Atlassian's API gateway. Use --gateway "
                f"auto (the default: the gateway after the site's 401) or --gateway always; otherwise the token is "
                f"wrong, expired or revoked: create one at {API_TOKEN_URL}.", status)
        return None


def cloud_token_refused(title: str, user: str | None, status: int, where: str = "") -> RemoteError:
    """An Atlassian Cloud site (`where`: and the gateway) refused the account's API token; `status`
    200: it answered as if no credentials were sent."""
    said = "answered as anonymous" if status == 200 else f"HTTP {status}"
    return RemoteError(
        f"{title} Cloud refused the API token for {user or 'the account'}{where} ({said}): it is wrong, expired or "
        f"revoked, or belongs to another account than this email. Create a new one at {API_TOKEN_URL}.",
        status if status in (401, 403) else 401)


# -- what the clients and actions of Atlassian's Server/DC products share --------------------------

def segment(value) -> str:
    """A user-given value (key, id) as one path segment: `/` is encoded and `.`/`..` refused, so a
    crafted key from a CSV can never point a DELETE at another resource."""
    from urllib.parse import quote

    value = str(value)
    if value.strip() in ("", ".", ".."):
        raise ParameterError(f"Invalid key or id '{value}'.")
    return quote(value, safe="")


def web_path(server: str, path: str, example: str) -> str:
    """renderRequest's --request as a path on `server` with its leading '/': a full URL only on that
    server (`example`: a page of it, for the error)."""
    if path.startswith(("http://", "https://")):
        if not path.startswith(server + "/"):
            raise ParameterError(f"--request must be a path on {server}, e.g. {example}.")
        path = path[len(server):]
    return path if path.startswith("/") else "/" + path


class PersonalAccessTokens:
    """The personal access token resource of Jira (8.14+) and Confluence (7.9+), mixed into their
    clients (which have `conn`, `info` and `server_info()`; `pat_version`: the first version with tokens, set
    by the product that makes the client).
    Before it the resource is missing (Jersey's 404): said as --token use says it."""

    TOKENS = "/rest/pat/latest/tokens"
    pat_version: tuple[int, ...] | None = None

    def _tokens_call(self, send):
        """send(), refused before sending when the version is known to be too old, or explained after
        the resource's 404 by the server's version."""
        known = self.info.version if self.info is not None else None
        self._refuse_old_tokens(known)
        try:
            return send()
        except RemoteError as exc:
            if exc.status != 404 or known is not None or self.pat_version is None:
                raise
            self._refuse_old_tokens(parse_version(str(self.server_info().get("version") or "")))
            raise

    def _refuse_old_tokens(self, version: tuple[int, ...] | None) -> None:
        if self.pat_version and version is not None and tuple(version[:len(self.pat_version)]) < self.pat_version:
            raise ClientError(PAT_TOO_OLD.format(title=self.conn.situation.title, minimum=dotted(self.pat_version),
                                                 version=dotted(version)))

    def create_token(self, name: str, days: int | None) -> dict:
        from atlctl.http.validate import optional

        body: dict = {"name": name, **({"expirationDuration": days} if days else {})}
        return self._tokens_call(lambda: self.conn.json("POST", self.TOKENS, json=body,
                                                        expect={"id": (int, str), "name": optional(str), "rawToken": str}))

    def tokens(self) -> list[dict]:
        return self._tokens_call(lambda: self.conn.get_json(self.TOKENS, expect=[dict]))

    def revoke_token(self, token_id: str) -> None:
        from atlctl.http.validate import EMPTY

        self._tokens_call(lambda: self.conn.send("DELETE", f"{self.TOKENS}/{segment(token_id)}", answer=EMPTY))


def declare_session_actions(actions: ActionSet, page: str) -> None:
    """renderRequest, login and logout (ACLI's names): the client's render() fetches a page (`page`: an
    example path for the help), verify() proves the session, logout() ends it."""

    @actions.action("renderRequest", "Fetch a page of the web interface (needs a web session: not with tokens).",
                    Param("request", f"Path relative to the server, e.g. {page}.", required=True),
                    needs=(AUTHENTICATED, WEB_SESSION), reads=True)
    def render_request(call):
        return Result(content=call.client.render(call["request"]))

    @actions.action("login", "Log in and print the session token alone (use it later with --login).",
                    secret_output=True)
    def login(call):
        client = call.client
        title = client.conn.situation.title
        if client.cloud:
            raise ClientError(f"Session login is not available on {title} Cloud (Atlassian removed it): every command "
                              "authenticates with the account email and an API token instead.")
        if client.conn.situation.scheme != "session":
            raise ClientError("The login action needs session authentication: give --user and --password (not --token "
                              "or --auth basic) for a Server/DC instance.")
        client.verify()  # logs in (or checks the reused session) and proves it works
        auth = client.conn.auth
        client.conn.keep_session = True
        return Result(secret=auth.session_id, data={"session": {"name": auth.cookie_name, "value": auth.session_id}})

    @actions.action("logout", "End a session, e.g. one created by `login` (--login TOKEN).")
    def logout(call):
        client = call.client
        if client.conn.situation.scheme != "session":
            raise ClientError("Nothing to log out: logout ends a session given with --login (or kept with --cookies).")
        client.logout()
        return Result("Logged out.", data={"loggedOut": True})


def declare_token_actions(actions: ActionSet, since: str) -> None:
    """addAccessToken, getAccessTokenList, removeAccessToken (ACLI's names) on a client mixing in
    PersonalAccessTokens; `since`: the first version with tokens, for the help text."""

    def server_only(call, what: str) -> None:
        if call.client.cloud:
            raise ClientError(f"{what} is not available on {call.client.conn.situation.title} Cloud: create API tokens "
                              f"at {API_TOKEN_URL}.")

    @actions.action("addAccessToken", f"Create a personal access token (Server/DC {since}+); prints the token alone.",
                    Param("name", "Token name.", required=True),
                    Param("expirationDuration", "Days until the token expires (default: never, if the server allows).",
                          metavar="DAYS"), secret_output=True)
    def add_access_token(call):
        server_only(call, "addAccessToken")
        days = positive(call["expirationDuration"], "expirationDuration")
        token = call.client.create_token(call["name"], days)
        raw = token["rawToken"]
        call.context.console.redactor.add(raw)
        call.context.console.info(f"Personal access token '{token.get('name')}' created with id {token.get('id')}"
                                  + (f", expires {token['expiringAt']}" if token.get("expiringAt") else ""))
        return Result(secret=raw, data=token, variables={"tokenId": str(token.get("id"))})

    @actions.action("getAccessTokenList", f"List your personal access tokens (Server/DC {since}+).", reads=True)
    def get_access_token_list(call):
        server_only(call, "getAccessTokenList")
        tokens = call.client.tokens()
        rows = [{"Id": t.get("id"), "Name": t.get("name"), "Created": t.get("createdAt"), "Expires": t.get("expiringAt"),
                 "Last used": t.get("lastAccessedAt")} for t in tokens]
        return Result(data=tokens, rows=rows, columns=["Id", "Name", "Created", "Expires", "Last used"], noun="tokens")

    @actions.action("removeAccessToken", "Revoke one of your personal access tokens.",
                    Param("id", "Token id (see getAccessTokenList).", required=True))
    def remove_access_token(call):
        server_only(call, "removeAccessToken")
        call.client.revoke_token(call["id"])
        return Result(f"Access token {call['id']} removed.")
