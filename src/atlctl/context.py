"""Everything one invocation resolves once: credentials, the connection per server, the auth scheme.
A `run` script shares one Context, so hundreds of actions share one pool and one session."""

from __future__ import annotations

import math
import threading

from atlctl.actions.registry import AUTHENTICATED, WEB_SESSION, Action
from atlctl.auth.select import TOKEN_REFUSED, Choice, choose
from atlctl.auth.session import SESSION_COOKIE
from atlctl.console import Console
from atlctl.credentials.resolve import resolve
from atlctl.environment import Environment
from atlctl.errors import ClientError, ParameterError


SELECT = object()  # Context(profile=SELECT): each action's profile comes from its flags and the config file


class Context:
    def __init__(self, env: Environment, console: Console, profile=SELECT, config=None):
        """`profile`: SELECT, or the Profile (or None) every connection of this context uses;
        `config`: the config file if the caller has read it already."""
        self.env = env
        self.console = console
        self._profile = profile
        self._config = config
        self._clients: dict[tuple, object] = {}
        self._blocks: dict = {}  # refused credentials, shared by all connections: see Connection.blocked
        self._lock = threading.Lock()

    @property
    def config(self):
        """The config file, read at most once per process; its warnings are printed once."""
        from atlctl.credentials.config import Config

        if self._config is None:
            self._config = Config.load(self.env)
        for line in self._config.warnings:
            self.console.error(line)
        self._config.warnings.clear()
        return self._config

    def with_profile(self, product: str, values: dict):
        """(values completed by the profile in use, that profile or None). Flags win over the profile."""
        from atlctl.actions.common import BY_NAME

        profile = self._profile
        if profile is SELECT:
            named = values.get("profile") or self.env.environ.get("ATLCTL_PROFILE")
            profile = self.config.select(product, values, self.env.environ) if named or not values.get("server") else None
        if profile is None:
            return values, None
        return profile.apply(values, self.env, BY_NAME), profile

    def client(self, action: Action, values: dict):
        """The product client for these connection values, built (and authenticated) once: every action of a
        run with the same values shares its pool and its session."""
        from atlctl.actions.common import CONNECTION

        with self._lock:
            values, profile = self.with_profile(action.product, values)
            key = (action.product, values.get("profile"), *(values.get(p.name) for p in CONNECTION))
            client = self._clients.get(key)
            if client is not None and WEB_SESSION in action.needs and client.conn.situation.scheme != "session":
                key += ("web session",)  # --auth basic: this action alone needs a session of its own
                client = self._clients.get(key)
            if client is None:
                client = self._clients[key] = self._connect(action, values, profile)
            return client

    def connection(self, product: str, values: dict):
        """An unauthenticated connection to the values' server, with their TLS, proxy and timeout."""
        from atlctl.http.connection import Connection

        if not values.get("server"):
            raise ParameterError("This function requires a non-blank value for parameter: server")
        return Connection(values["server"], self.console, product=product, timeout=_timeout(values),
                          proxy=values.get("proxy"), ca_bundle=values.get("ca-bundle"),
                          insecure=bool(values.get("insecure")), client_cert=values.get("client-cert"),
                          client_key=values.get("client-key"))

    def _connect(self, action: Action, values: dict, profile=None):
        from atlctl.actions.registry import product_client
        from atlctl.credentials.permissions import warning
        from atlctl.http import cookiefile

        product = product_client(action.product)
        conn = self.connection(action.product, values)
        conn.blocks = self._blocks
        try:
            resolved = resolve(values, self.env, profile, ask=AUTHENTICATED in action.needs, warn=self.console.error)
            creds = resolved.credentials
            self.console.redactor.add(creds.password, creds.token, creds.session)
            self.console.redactor.public(creds.user)
            web_session = WEB_SESSION in action.needs
            if web_session and creds.token and not creds.password:
                raise ClientError(TOKEN_REFUSED)  # refused up front: no request is sent
            if creds.password or creds.token or creds.session:
                conn.refuse_cleartext()
            deployment, info = self._deployment(conn, values, creds, product, profile)
            conn.situation.deployment = deployment
            cookies = {}
            if values.get("cookies") and deployment == "server":
                loose = warning(values["cookies"], "cookie file")
                if loose:
                    self.console.error(loose)
                cookies = cookiefile.load(values["cookies"], conn.host)
                self.console.redactor.add(*cookies.values())
            if creds.session:
                cookies[SESSION_COOKIE] = creds.session
            if cookies and not creds.session:
                creds = creds._replace(session=cookies.get(SESSION_COOKIE))
            if AUTHENTICATED in action.needs:
                choice = choose(action.product, deployment, info.version if info else None, creds,
                                values.get("auth") or "auto", web_session=web_session)
            else:  # the action asks only what the server tells anyone: no login, no password check
                choice = Choice("anonymous", reason="this action needs no login")
            self._authenticate(conn, choice, cookies, resolved.sources)
            if choice.scheme == "session":
                conn.cookie_file = values.get("cookies")
        except BaseException:
            conn.close()
            raise
        return product.Client(conn, deployment, info)

    def _deployment(self, conn, values, creds, product, profile=None):
        from atlctl.products.base import ServerInfo

        requested = values.get("deployment") or "auto"
        deployment = None if requested == "auto" else requested
        deployment = deployment or product.deployment_from_host(conn.host)
        # the version matters only to decide whether a personal access token can work
        needs_version = deployment != "cloud" and creds.token and not creds.password
        cached = profile.cached_server() if profile else None  # learnt by `auth login`: no discovery
        if cached and deployment in (None, cached[0]):
            return cached[0], ServerInfo(*cached)
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
        conn.use_auth(auth, choice.scheme, choice.user)
        secret_from = sources.get("token" if choice.scheme == "token" else "password") or sources.get("login")
        who = f" as {choice.user}" if choice.user else ""
        self.console.info(f"Authentication: {choice.scheme}{who} ({choice.reason}" + (f"; secret from {secret_from})" if secret_from else ")"))

    def close(self) -> None:
        """End what this process started (see Connection.close), unless `login` kept the session."""
        for client in self._clients.values():
            client.conn.close()
        self._clients.clear()


def _timeout(values: dict) -> float:
    try:
        value = float(values.get("timeout") or 60)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= 86400):
        raise ParameterError(f"Invalid value '{values.get('timeout')}' for parameter --timeout: give seconds, e.g. 30 "
                             "(at most 86400).")
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
