"""Everything one invocation resolves once: credentials, the connection per server, the auth scheme.
A `run` script shares one Context, so hundreds of actions share one pool and one session."""

from __future__ import annotations

import threading

from atlctl.actions.registry import AUTHENTICATED, WEB_SESSION, Action
from atlctl.auth.select import TOKEN_REFUSED, Choice, choose
from atlctl.console import Console
from atlctl.credentials.resolve import resolve
from atlctl.environment import Environment
from atlctl.errors import ClientError, ParameterError


class Context:
    def __init__(self, env: Environment, console: Console):
        self.env = env
        self.console = console
        self.keep_session = False  # set by the login action: the session outlives the process
        self._clients: dict[tuple, object] = {}
        self._lock = threading.Lock()

    def client(self, action: Action, values: dict):
        """The product client for these connection values, built (and authenticated) once."""
        key = tuple(values.get(name) for name in (
            "server", "user", "password", "token", "login", "cookies", "deployment", "auth", "timeout", "proxy",
            "ca-bundle", "insecure", "client-cert", "client-key"))
        key = (action.product, key, WEB_SESSION in action.needs)
        with self._lock:
            if key not in self._clients:
                self._clients[key] = self._connect(action, values)
            return self._clients[key]

    def _connect(self, action: Action, values: dict):
        from atlctl.http import cookiefile
        from atlctl.http.connection import Connection
        from atlctl.products.jira import client as jira

        if not values.get("server"):
            raise ParameterError("This function requires a non-blank value for parameter: server")
        resolved = resolve(values, self.env)
        creds = resolved.credentials
        self.console.redactor.add(creds.password, creds.token, creds.session)
        self.console.redactor.public(creds.user)
        web_session = WEB_SESSION in action.needs
        if web_session and creds.token and not creds.password:
            raise ClientError(TOKEN_REFUSED)  # refused up front: no request is sent
        conn = Connection(values["server"], self.console, product=action.product, timeout=_timeout(values),
                          proxy=values.get("proxy"), ca_bundle=values.get("ca-bundle"),
                          insecure=bool(values.get("insecure")), client_cert=values.get("client-cert"),
                          client_key=values.get("client-key"))
        try:
            if creds.password or creds.token or creds.session:
                conn.refuse_cleartext()
            deployment, info = self._deployment(conn, values, creds, jira)
            conn.situation.deployment = deployment
            cookies = {}
            if values.get("cookies") and deployment == "server":
                cookies = cookiefile.load(values["cookies"], conn.host)
                self.console.redactor.add(*cookies.values())
            if creds.session:
                cookies["JSESSIONID"] = creds.session
            if cookies and not creds.session:
                creds = type(creds)(creds.user, creds.password, creds.token, cookies.get("JSESSIONID"))
            choice = choose(action.product, deployment, info.version if info else None, creds,
                            values.get("auth") or "auto", needs_user=AUTHENTICATED in action.needs,
                            web_session=web_session)
            self._authenticate(conn, choice, cookies, resolved.sources)
            if choice.scheme == "session":
                conn.cookie_file = values.get("cookies")
        except BaseException:
            conn.close()
            raise
        return jira.JiraClient(conn, deployment, info)

    def _deployment(self, conn, values, creds, product):
        requested = values.get("deployment") or "auto"
        deployment = None if requested == "auto" else requested
        deployment = deployment or product.deployment_from_host(conn.host)
        # the version matters only to decide whether a personal access token can work
        needs_version = deployment != "cloud" and creds.token and not creds.password
        if deployment is None or needs_version:
            info = product.discover(conn)
            self.console.info(f"{conn.server}: Jira {info.version_text} ({'Cloud' if info.deployment == 'cloud' else 'Server/Data Center'})")
            return deployment or info.deployment, info
        return deployment, None

    def _authenticate(self, conn, choice: Choice, cookies: dict, sources: dict) -> None:
        from atlctl.auth.basic import BasicAuth
        from atlctl.auth.bearer import BearerAuth
        from atlctl.auth.session import SessionAuth

        if choice.scheme == "basic":
            auth = BasicAuth(conn.server, choice.user, choice.secret)
        elif choice.scheme == "token":
            auth = BearerAuth(conn.server, choice.secret, choice.user)
        elif choice.scheme == "session":
            auth = SessionAuth(conn.server, choice.user, choice.secret, cookies, on_event=self.console.info)
        else:
            auth = None
        conn.use_auth(auth, choice.scheme, choice.user, has_password=bool(choice.secret) and choice.scheme != "token")
        secret_from = sources.get("token" if choice.scheme == "token" else "password") or sources.get("login")
        who = f" as {choice.user}" if choice.user else ""
        self.console.info(f"Authentication: {choice.scheme}{who} ({choice.reason}" + (f"; secret from {secret_from})" if secret_from else ")"))

    def close(self) -> None:
        """End what this process started (see Connection.close), unless `login` keeps the session."""
        for client in self._clients.values():
            client.conn.close(end_session=not self.keep_session)
        self._clients.clear()


def _timeout(values: dict) -> float:
    try:
        value = float(values.get("timeout") or 60)
    except ValueError:
        raise ParameterError(f"Invalid value '{values.get('timeout')}' for parameter --timeout: give seconds, e.g. 30.") from None
    if value <= 0:
        raise ParameterError("Invalid value for parameter --timeout: give a positive number of seconds.")
    return value


class Call:
    """One action invocation as its handler sees it: parameter values, and the product client,
    connected on first use (so actions that fail validation send nothing)."""

    def __init__(self, context: Context, action: Action, values: dict):
        self.context = context
        self.action = action
        self.values = values
        self._client = None

    def __getitem__(self, name: str):
        return self.values.get(name)

    @property
    def client(self):
        if self._client is None:
            self._client = self.context.client(self.action, self.values)
        return self._client


def execute(context: Context, action: Action, values: dict):
    """Run one parsed action and return its Result (printing is the caller's business)."""
    return action.handler(Call(context, action, values))
