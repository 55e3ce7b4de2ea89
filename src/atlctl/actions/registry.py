"""Actions are data: declared once (name, parameters, help, capabilities, handler); the parser,
`--help`, run-script validation and docs are all generated from these declarations."""

from __future__ import annotations

import importlib
import threading
from typing import Any, Callable, NamedTuple

# Product name -> its package: PACKAGE.actions registers the actions, PACKAGE.client holds the REST
# client (Client), discover(conn) and deployment_from_host(host). Both load on first use.
PRODUCTS = {"jira": "atlctl.products.jira"}
# Actions every product has (run, runFromCsv, runFromList): this module's register(registry, product).
SHARED_ACTIONS = "atlctl.batch.actions"

# Capabilities an action may need; auth/select.py decides which schemes can provide them.
WEB_SESSION = "web_session"  # a browser-style session (renderRequest, /secure pages): never with tokens
AUTHENTICATED = "authenticated"  # needs a user; everything but getServerInfo


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

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


class Registry:
    def __init__(self):
        self.actions: dict[str, dict[str, Action]] = {}  # product -> lower name -> action
        self._loaded: set[str] = set()  # products whose modules (and shared actions) are in
        self._loading = threading.RLock()  # rows of a bulk run load in parallel

    def register(self, action: Action) -> None:
        table = self.actions.setdefault(action.product, {})
        if action.name.lower() in table:
            raise ValueError(f"duplicate action {action.product}.{action.name}")
        table[action.name.lower()] = action

    def product(self, product: str) -> dict[str, Action]:
        with self._loading:
            if product not in self._loaded:
                importlib.import_module(product_package(product) + ".actions")
                importlib.import_module(SHARED_ACTIONS).register(self, product)
                self._loaded.add(product)
        return self.actions[product]

    def find(self, product: str, name: str) -> Action | None:
        """Action names are case-insensitive, as in ACLI."""
        return self.product(product).get(name.lower())


REGISTRY = Registry()


def product_package(product: str) -> str:
    if product not in PRODUCTS:
        from atlctl.errors import ClientError

        raise ClientError(f"atlctl does not support {product} yet (products: {', '.join(sorted(PRODUCTS))}).")
    return PRODUCTS[product]


def product_client(product: str):
    """The module with the product's REST client and server discovery."""
    return importlib.import_module(product_package(product) + ".client")


def action(product: str, name: str, help: str, *params: Param, needs=(AUTHENTICATED,), example=None,
           file_input=False):
    """Decorator declaring an action; the decorated function is its handler(call) -> Result."""

    def decorate(handler):
        REGISTRY.register(
            Action(name, product, help, handler, tuple(params), frozenset(needs), example, file_input)
        )
        return handler

    return decorate
