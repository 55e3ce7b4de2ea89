"""Everything one invocation resolves once: credentials, the connection per server, the auth scheme.
A `run` script shares one Context, so hundreds of actions share one pool and one session.

A connection is built in a straight line: resolve the credentials -> the product's rows choose the
scheme (after discovery, when the deployment or version matters) -> the auth flow -> Connection."""

from __future__ import annotations

import math
import threading

from atlctl.auth.select import Choice, choose, refused_up_front, row_for
from atlctl.console import Console
from atlctl.credentials.resolve import USER_FLAG, resolve
from atlctl.environment import Environment
from atlctl.errors import ClientError, ParameterError
from atlctl.products import registry as products
from atlctl.products.base import AUTHENTICATED, VERIFIES, WEB_SESSION, Action

SELECT = object()  # Context(profile=SELECT): each action's profile comes from its flags and the config file
ANONYMOUS_USER = "anonymous"  # `-u anonymous`: ACLI's way of asking for no authentication


class Context:
    def __init__(self, env: Environment, console: Console, profile=SELECT, config=None, sources=None):
        """`profile`: SELECT, or the Profile (or None) every connection of this context uses;
        `config`: the config file if the caller has read it already; `sources`: where the secrets
        passed in the values came from, when the caller resolved them (`auth status` checking a
        profile's stored secret: not "flag --password")."""
        self.env = env
        self._sources = dict(sources or {})
        self.console = console
        self._profile = profile
        self._config = config
        self._clients: dict[tuple, object] = {}
        self._retired: list = []  # clients replaced in _clients, still to be closed
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
        """(values completed by the profile in use, that profile or None). Flags win over the profile, whose
        values are checked against the product's own choices (its deployments, its --auth values)."""
        from atlctl.actions.common import params_by_name

        profile = self._profile
        if profile is SELECT:
            named = values.get("profile") or self.env.environ.get("ATLCTL_PROFILE")
            profile = self.config.select(product, values, self.env.environ) if named or not values.get("server") else None
        if profile is None:
            return values, None
        return profile.apply(values, self.env, params_by_name(product)), profile

    def client(self, action: Action, values: dict):
        """The product client for these connection values, built (and authenticated) once: every action of a
        run with the same values shares its pool and its session."""
        from atlctl.actions.common import CONNECTION

        with self._lock:
            values, profile = self.with_profile(action.product, values)
            # a value at its default is the same connection as none given (a script line's --deployment=auto)
            key = (action.product, values.get("profile"), *(values.get(p.name) or p.default for p in CONNECTION))
            client = self._clients.get(key)
            if client is not None and WEB_SESSION in action.needs and client.conn.situation.scheme != "session":
                key += ("web session",)  # --auth basic: this action alone needs a session of its own
                client = self._clients.get(key)
            if client is not None and AUTHENTICATED in action.needs and client.conn.situation.scheme == "anonymous":
                self._retired.append(client)  # getServerInfo's anonymous connection cannot serve this action
                client = None
            if client is None:
                client = self._clients[key] = self._connect(action, values, profile)
            return client

    def pool(self, product, values: dict):
        """The transport to the values' server, with their TLS, proxy and timeout (no credentials)."""
        from atlctl.http.connection import Pool

        server = values.get("server") or product.default_server
        if not server:
            raise ParameterError("This function requires a non-blank value for parameter: server")
        return Pool(server, self.console, product, timeout=_timeout(values), proxy=values.get("proxy"),
                    ca_bundle=values.get("ca-bundle"), insecure=bool(values.get("insecure")),
                    client_cert=values.get("client-cert"), client_key=values.get("client-key"))

    def _connect(self, action: Action, values: dict, profile=None):
        from atlctl.http.dialect import Situation
        from atlctl.http.connection import Connection

        product = products.product(action.product)
        pool = self.pool(product, values)
        try:
            resolved = resolve(values, self.env, profile, ask=AUTHENTICATED in action.needs, warn=self.console.error)
            creds = resolved.credentials
            self.console.redactor.add(creds.password, creds.token, creds.session, creds.client_secret)
            self.console.redactor.public(creds.user)
            requested = values.get("auth") or "auto"
            known = values.get("deployment") if values.get("deployment") not in (None, "auto") else None
            refusal = refused_up_front(product, creds, requested, action.needs,
                                       known or product.deployment_from_host(pool.host))
            if refusal:
                raise ClientError(refusal)  # refused up front: no request is sent
            if creds.password or creds.token or creds.session:
                pool.refuse_cleartext()
            required = AUTHENTICATED in action.needs
            may_verify = VERIFIES in action.needs and (_identifies(creds) or values.get("cookies"))
            deployment, info = self._deployment(pool, product, values, creds, requested, profile,
                                                required or may_verify)
            strategy = product.session(deployment)
            cache = self._session_cache(profile, values, pool, creds) if strategy else None
            user_from = resolved.sources.get("user") or USER_FLAG
            cookies, owner, source = (self._cookies(values, pool, strategy, creds, cache, user_from) if strategy
                                      else ({}, None, None))
            if cookies and not creds.session:
                creds = creds._replace(session=cookies.get(strategy.cookie))
            if required or VERIFIES in action.needs and _identifies(creds):
                if profile is not None and profile.data.get("oauth") and not creds.grant:
                    raise ClientError(f"Profile {profile.name} holds no OAuth 2.0 login (logged out, or its secret "
                                      f"store entry is gone): run `atlctl auth login --web {profile.name}`.")
                choice = choose(product, deployment, info.version if info else None, creds, requested,
                                needs=action.needs, sources=resolved.sources)
            else:  # the action asks only what the server tells anyone: no login, no password check
                choice = Choice("anonymous", reason=_anonymous_reason(action, creds))
            route = self._route(product, deployment, values, profile, pool, choice)
            header = self._oauth(pool, values, profile, creds) if choice.scheme == "oauth" else None
            auth = self._auth(pool, choice, strategy, cookies, route, header, owner, source, user_from)
            situation = Situation(product.title, deployment, choice.scheme, choice.user,
                                  row=_row_words(product, deployment, choice), gateway=route and route.mode,
                                  given="token" if creds.token else "password" if creds.password else None)
            keeps = choice.scheme == "session"
            conn = Connection(pool, auth, situation, blocks=self._blocks, secret=choice.secret or creds.session,
                              cookie_file=values.get("cookies") if keeps else None,
                              session_cache=cache if keeps else None)
        except BaseException:
            pool.close()
            raise
        self._say_scheme(choice, situation, {**resolved.sources, **self._sources})
        return product.client(conn, deployment, info)

    def _deployment(self, pool, product, values, creds, requested, profile, authenticates):
        """(deployment, ServerInfo or None): from --deployment, the host name, the profile's cache, or
        discovery, which runs only when the deployment is unknown or the scheme's row has a minimum version."""
        from atlctl.http.connection import Connection

        wanted = values.get("deployment") or "auto"
        deployment = None if wanted == "auto" else wanted
        deployment = deployment or product.deployment_from_host(pool.host)
        if len(product.deployments) == 1:
            deployment = deployment or next(iter(product.deployments))
        cached = profile.cached_server() if profile else None  # learnt by `auth login`: no discovery
        if cached and deployment in (None, cached[0]):
            return cached[0], _server_info(cached)
        needs_version = deployment is not None and authenticates and _row_min_version(product, deployment, creds,
                                                                                        requested)
        if deployment is None or needs_version:
            info = product.discover(Connection(pool))
            self.console.info(f"{pool.server}: {product.title} {info.version_text} "
                              f"({product.deployments.get(info.deployment, info.deployment)})")
            return deployment or info.deployment, info
        return deployment, None

    def _session_cache(self, profile, values: dict, pool, creds):
        """The profile's cached session (`session_cache = true`), unless --cookies or --login says otherwise."""
        if profile is None or profile.value("session_cache", self.env) is not True or values.get("cookies") \
                or creds.session:
            return None
        from atlctl.credentials.session_cache import SessionCache

        return SessionCache(self.env, profile, pool.server, creds.user, warn=self.console.error)

    def _cookies(self, values: dict, pool, strategy, creds, cache=None,
                 user_from: str = USER_FLAG) -> tuple[dict, str | None, str | None]:
        """(the session cookies the invocation starts with, whose they are when known, where they come from):
        --cookies FILE or the profile's cached session (its user's: SessionCache checks), then --login TOKEN.
        A cookie file recording another user's session than --user's is refused before anything is sent."""
        cookies = cache.load() if cache is not None else {}
        owner, source = creds.user if cookies else None, None
        self.console.redactor.add(*cookies.values())
        if values.get("cookies"):
            from atlctl.auth.session import another_user
            from atlctl.credentials.permissions import warning
            from atlctl.http import cookiefile

            loose = warning(values["cookies"], "cookie file")
            if loose:
                self.console.error(loose)
            source = f"Cookie file {values['cookies']}"
            cookies, owner = cookiefile.load(values["cookies"], pool.server)
            self.console.redactor.add(*cookies.values())
            if owner and creds.user and owner.casefold() != creds.user.casefold():
                raise ParameterError(another_user(source, owner, creds.user, pool.server, user_from))
        if creds.session:  # --login TOKEN: a session of unknown owner, asked for once when --user names someone
            from atlctl.auth.session import LOGIN_SOURCE

            cookies[strategy.cookie] = creds.session
            owner, source = None, LOGIN_SOURCE
        return cookies, owner, source

    def _auth(self, pool, choice: Choice, strategy, cookies: dict, route=None, header=None, owner=None, source=None,
              user_from: str = USER_FLAG):
        from atlctl.auth.schemes import Setup, build

        return build(choice, Setup(pool.server, strategy, cookies, self.console.info, route, header, pool.client,
                                   owner, source, user_from))

    def _oauth(self, pool, values: dict, profile, creds):
        """The token source (auth/oauth.py) of an oauth row: the profile's 3LO login, else the client
        credentials grant; tokens kept in the secret store."""
        import json

        from atlctl.auth.oauth import TOKEN_PATH, ClientCredentials, Grant
        from atlctl.credentials.resolve import CLIENT_SECRET_ENV, GRANT, stored_source
        from atlctl.credentials.token_store import ACCESS_TOKEN, TokenStore, beside

        learn, warn = self.console.redactor.add, self.console.info
        if creds.grant:
            try:
                data = json.loads(creds.grant)
            except ValueError:
                data = None
            again = f"atlctl auth login --web {profile.name}"
            if not isinstance(data, dict):
                raise ClientError(f"The OAuth 2.0 login stored for profile {profile.name} is not readable: run `{again}`.")
            store = TokenStore(self.env, stored_source(profile, "oauth", GRANT), warn)
            return Grant(pool.client, data, client_secret=creds.client_secret, learn=learn, again=again,
                         save=lambda grant: store.save(grant, required=True), load=store.load)
        oauth = cloud_url(values, "oauth-url", pool)
        entry = profile.name + ACCESS_TOKEN if profile else f"client-credentials.{creds.client_id}"
        store = TokenStore(self.env, beside(profile, entry), warn)
        if not creds.client_secret:
            raise ParameterError(f"Missing the OAuth client secret: give --client-secret (or set {CLIENT_SECRET_ENV}).")
        return ClientCredentials(pool.client, oauth + TOKEN_PATH, creds.client_id, creds.client_secret,
                                 load=store.load, save=store.save, learn=learn)

    def _route(self, product, deployment: str, values: dict, profile, pool, choice: Choice):
        """Where a Cloud connection's credentials may go: the site, and Atlassian's API gateway bound to it
        by its cloudId (auth/gateway.py), per --gateway; None off Cloud, or without credentials."""
        if deployment != "cloud" or product.gateway is None or choice.scheme in ("anonymous", "session"):
            return None
        from atlctl.auth.gateway import Route, check_mode, site_of  # Cloud only: not loaded for Server/DC
        from atlctl.credentials.cloud_ids import CloudIds

        gateway = cloud_url(values, "gateway-url", pool)
        api, suffix = product.gateway
        site = site_of(pool.server, suffix)
        cached = profile.value("cloud-id", self.env) if profile else None
        mode = check_mode(values.get("gateway"))
        if mode == "never" and choice.scheme == "oauth":
            raise ClientError("--gateway never cannot be used with OAuth 2.0: its access tokens work only through the "
                              "API gateway (the site refuses them). Use --gateway auto or always, or an API token.")
        return Route(pool.server, site, gateway, api, mode,
                     CloudIds(self.env, {site: cached} if cached else None))

    def _say_scheme(self, choice: Choice, situation, sources: dict) -> None:
        secret_from = sources.get("token" if choice.scheme == "token" else "password") or sources.get("login")
        if choice.scheme == "oauth":
            secret_from = sources.get("oauth") or sources.get("client-secret")
        who = f" as {choice.user}" if choice.user else ""
        details = "; ".join(filter(None, (choice.reason, situation.row and f"row: {situation.row}",
                                          secret_from and f"secret from {secret_from}")))
        self.console.info(f"Authentication: {choice.scheme}{who} ({details})")

    def close(self) -> None:
        """End what this process started (see Connection.close), unless `login` kept the session."""
        for client in (*self._retired, *self._clients.values()):
            client.conn.close()
        self._clients.clear()
        self._retired.clear()


def cloud_url(values: dict, key: str, pool) -> str:
    """--gateway-url or --oauth-url (or its default), checked as --server is: credentials go there."""
    from atlctl.actions.common import BY_NAME
    from atlctl.http.connection import normalize_server

    try:
        url = normalize_server(values.get(key) or BY_NAME[key].default)
    except ClientError as exc:
        raise ClientError(f"--{key}: {exc}") from None
    pool.refuse_cleartext(url)
    return url


def _anonymous_reason(action: Action, creds) -> str:
    if VERIFIES not in action.needs:
        return "this action needs no login"
    if creds.user == ANONYMOUS_USER:
        return "-u anonymous: no authentication"
    return "a password without a user names nobody" if creds.password else "no credentials given"


def _identifies(creds) -> bool:
    """Credentials that name someone to check: a user with a secret or session, a token, a session, an
    OAuth 2.0 login or client (a password alone, say from an exported ATLCTL_PASSWORD, names nobody;
    `-u anonymous` asks for none)."""
    if creds.user == ANONYMOUS_USER:
        return False
    return bool(creds.token or creds.session or creds.user and creds.password or creds.grant
                or creds.client_id and creds.client_secret)


def _row_min_version(product, deployment: str, creds, requested: str):
    try:
        return row_for(product.rows, deployment, creds, requested).min_version
    except ParameterError:
        return None  # choose() says so, with the same words


def _row_words(product, deployment: str, choice: Choice) -> str:
    row = choice.row
    if row is None:
        return ""
    return f"{product.deployment_title(deployment)}, {row.given}, --auth {'/'.join(row.auth)} -> {row.scheme}"


def _server_info(cached):
    from atlctl.products.base import ServerInfo

    return ServerInfo(*cached)


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
