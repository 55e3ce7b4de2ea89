"""The product contract: what a product declares and the shared layers read. A product is a
subclass of `Product` in `products/<name>/product.py` (data and small hooks, cheap to import:
nothing heavy at module level), its REST client, and its actions declared with an `ActionSet`.

The shared layers (cli, batch, actions, http, auth, credentials) name no product: they read these
declarations. `products/registry.py` is the one place that lists the products."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable, NamedTuple

from atlctl.auth.select import dotted
from atlctl.errors import RemoteError
from atlctl.http.dialect import Dialect

if TYPE_CHECKING:
    from atlctl.auth.select import Row
    from atlctl.auth.strategy import SessionStrategy
    from atlctl.http.connection import Connection

# Capabilities an action may need; each product's auth rows say which schemes cannot provide them.
AUTHENTICATED = "authenticated"  # needs a user
VERIFIES = "verifies"  # authenticates when credentials are given and checks them, else runs anonymously
WEB_SESSION = "web_session"  # a browser-style session (renderRequest, /secure pages)
RUNS = "runs"  # runs other actions (run, runFromCsv, runFromList): a script line may not...
LISTS = "lists"  # ...unless they are rows of single actions (runFromList, runFromIssueList): one level deep


class ServerInfo(NamedTuple):
    deployment: str  # one of the product's deployments, e.g. "server" or "cloud"
    version: tuple[int, ...] | None
    raw: dict | None = None  # the discovery answer, reused by getServerInfo when it can be

    @property
    def version_text(self) -> str:
        return dotted(self.version)


def parse_version(text: str | None) -> tuple[int, ...] | None:
    numbers = re.findall(r"\d+", text or "")[:3]
    return tuple(int(n) for n in numbers) or None


def unless_missing(fetch: Callable[[], Any]) -> Any:
    """What `fetch()` returns, or None when the server answers 404 (the thing does not exist)."""
    try:
        return fetch()
    except RemoteError as exc:
        if exc.status == 404:
            return None
        raise


class Product(Dialect):
    """Declarations every product makes; the defaults suit a product that has one deployment."""

    name = ""  # the product key: `atlctl NAME ...`, profiles' `product = NAME`
    title = ""  # how messages name it: "Jira"
    clients: dict[str, str | None] = {}  # ACLI client names -> the deployment each implies (jiracloud -> cloud)
    deployments: dict[str, str] = {}  # deployment -> how messages name it: {"server": "Server/Data Center"}
    rows: tuple[Row, ...] = ()  # the authentication matrix (auth/select.py reads it)
    actions = ""  # module whose ACTIONS (an ActionSet) declares the product's actions
    takes: frozenset[str] | None = None  # connection parameters it takes (None: all of actions/common.py)
    default_server: str | None = None  # --server when none is given (Slack: the public API)
    # Atlassian Cloud's API gateway (auth/gateway.py): (the product's name there, the suffix of its base URL
    # on the site), e.g. ("confluence", "/wiki"); None: the product is not reached through the gateway
    gateway: tuple[str, str] | None = None
    oauth_scopes = ""  # what `auth login --web` asks for by default (space-separated OAuth 2.0 scopes)

    def session(self, deployment: str) -> SessionStrategy | None:
        """How a session is obtained on that deployment (None: no sessions there)."""
        return None

    def any_session(self, deployment: str | None) -> SessionStrategy | None:
        """The session strategy of `deployment`, or when it is not known ("auto"), of the first deployment that
        has one."""
        if deployment in self.deployments:
            return self.session(deployment)
        return next(filter(None, (self.session(d) for d in self.deployments)), None)

    def deployment_from_host(self, host: str) -> str | None:
        """The deployment a host name gives away (e.g. *.atlassian.net is Cloud), else None."""
        return None

    def discover(self, conn: Connection) -> ServerInfo:
        """Ask the server what it is, over an anonymous connection (once per process); ClientError if it is
        not this product."""
        raise NotImplementedError

    def client(self, conn: Connection, deployment: str, info: ServerInfo | None):
        """The product's REST client for an authenticated connection (imported here, on first use)."""
        raise NotImplementedError

    def deployment_title(self, deployment: str | None) -> str:
        return f"{self.title} {self.deployments.get(deployment or '', deployment or '')}".strip()


# -- actions ---------------------------------------------------------------------------------------

# NamedTuples, not dataclasses: declared in the hundreds and imported on every start-up, where a
# dataclass costs ~1 ms to create and a NamedTuple a tenth of that.
class Param(NamedTuple):
    name: str
    help: str
    required: bool = False
    short: str | None = None
    flag: bool = False  # takes no value
    repeat: bool = False  # may be given several times, values collected in a list
    choices: tuple[str, ...] = ()
    default: Any = None
    metavar: str | None = None
    secret: bool = False  # value is redacted everywhere

    @property
    def option(self) -> str:
        return f"--{self.name}"


class Action(NamedTuple):
    name: str
    product: str
    help: str
    handler: Callable
    params: tuple[Param, ...] = ()
    needs: frozenset[str] = frozenset({AUTHENTICATED})
    example: str | None = None
    file_input: bool = False  # --file is this action's input, not where its output goes
    reads: bool = False  # only reads: repeating it after a crash is harmless
    finder: type | None = None  # finds the action's effect after a crash (mark(call), find(call, mark))
    secret_output: bool = False  # prints a secret (a session, a token): to standard output only, never to --file

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


class ListSource(NamedTuple):
    """A product's own run-from-list action (Jira's runFromIssueList): runFromList's engine, with the
    entries `entries(call)` yields (strings), each as @entry@ and as @VARIABLE@."""
    name: str
    help: str
    entries: Callable
    variable: str
    params: tuple[Param, ...] = ()
    example: str | None = None


class ActionSet:
    """A product's actions, declared with the `action` decorator in its actions module."""

    def __init__(self, product: str):
        self.product = product
        self.actions: list[Action] = []
        self.sources: list[ListSource] = []  # the batch layer declares their actions

    def source(self, name: str, help: str, *params: Param, variable: str, example=None):
        """Decorator declaring a run-from-list action; the decorated function yields its entries."""

        def decorate(entries):
            self.sources.append(ListSource(name, help, entries, variable, tuple(params), example))
            return entries

        return decorate

    def action(self, name: str, help: str, *params: Param, needs=(AUTHENTICATED,), example=None,
               file_input=False, reads=False, finder=None, secret_output=False):
        """Decorator declaring an action; the decorated function is its handler(call) -> Result."""

        def decorate(handler):
            self.actions.append(Action(name, self.product, help, handler, tuple(params), frozenset(needs), example,
                                       file_input, reads, finder, secret_output))
            return handler

        return decorate


class Result:
    """What an action hands back; `actions.render` prints it as text, csv or json."""

    def __init__(self, message: str | None = None, data: Any = None, record: list[tuple[str, Any]] | None = None,
                 rows: list[dict] | None = None, columns: list[str] | None = None, noun: str = "entries",
                 content: str | bytes | None = None, secret: str | None = None,
                 variables: dict[str, str] | None = None):
        self.message = message  # the ACLI-style line, e.g. "Issue DEMO-4 created with id 10004."
        self.data = data  # the server's JSON, for --output json
        self.record = record  # a get action's labelled fields
        self.rows = rows  # a list action's rows
        self.columns = columns  # default columns of `rows`, in order
        self.noun = noun  # "3 issues in list"
        self.content = content  # a page or file body (renderRequest, getAttachment)
        self.secret = secret  # the point of the action is this secret (login, addAccessToken)
        self.variables = variables or {}  # @issue@, @issueId@ ... for run scripts
