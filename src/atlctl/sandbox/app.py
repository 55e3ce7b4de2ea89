"""The sandbox as one ASGI app: each product under its prefix (registry.py lists them), the control
API under /_sandbox. The same app is served on a socket (atlctl sandbox, SandboxServer) and can be
driven in-process (Starlette's TestClient)."""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType
from typing import Any

from starlette.types import Receive, Scope, Send

from atlctl.sandbox import registry
from atlctl.sandbox.control import Control
from atlctl.sandbox.pipeline import serve
from atlctl.sandbox.product import MOUNT, Environment, Product
from atlctl.sandbox.realm import Clock
from atlctl.sandbox.store import Store, StoreError


class Sandbox:
    def __init__(self, state: str | None = None, declarations: Iterable[str] = registry.DECLARATIONS, **options: str):
        modules = registry.load(declarations)
        checked = _options(modules, options)  # SettingsError before anything is opened
        self.store = Store(state)
        self.clock = Clock()
        env = Environment(self.store, self.clock, checked)
        self.products: dict[str, Product] = {p.key: p for module in modules for p in module.create(env)}
        env.products.update(self.products)  # for products that hand requests to others (the gateway)
        self.realms = env.realms
        # Longest prefix first: /jira-cloud must not be taken for /jira, nor /cloud/wiki for /cloud.
        mounts = [(prefix, p) for p in self.products.values() for prefix in (p.prefix, *p.aliases)]
        self._mounts = sorted(mounts, key=lambda m: -len(m[0]))
        try:
            self._load()
        except (TypeError, KeyError) as exc:  # records whose fields the code no longer has
            self.store.close()
            raise StoreError(f"cannot use state file {state}: written by another version of the sandbox ({exc})") from None
        self.control = Control(self.products, self.reset, self.clock)

    def _load(self) -> None:
        """Realms and products from the state file; a product with no records there starts fresh."""
        for realm in self.realms.values():
            realm.load(self.store.load(realm.name))
        for product in self.products.values():
            records = self.store.load(product.key)
            if records:
                product.load(records, self.store.load_blobs(product.key))
            else:
                self._fresh(product)

    def _fresh(self, product: Product) -> None:
        product.realm.seed(product.users)
        product.reset()

    def reset(self) -> None:
        """Everything back to a fresh start, the state file emptied."""
        self.clock.offset = 0.0
        self.store.clear()
        for realm in self.realms.values():
            realm.clear()
        for product in self.products.values():
            self._fresh(product)

    def close(self) -> None:
        for product in self.products.values():
            product.close()
        self.store.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path = scope["path"]
        for prefix, product in self._mounts:
            if path == prefix or path.startswith(prefix + "/"):
                await serve(product, scope if prefix == product.prefix else {**scope, MOUNT: prefix}, receive, send)
                return
        await self.control(scope, receive, send)


def _options(modules: list[ModuleType], given: dict[str, str]) -> dict[str, Any]:
    """The start-up options the products declare, with their defaults and checked."""
    declared = {option.name: option for module in modules for option in module.OPTIONS}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise TypeError(f"unknown sandbox option(s): {', '.join(unknown)} (known: {', '.join(declared) or 'none'})")
    return {name: option.check(given.get(name, option.default)) for name, option in declared.items()}


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def create_app(state: str | None = None, declarations: Iterable[str] = registry.DECLARATIONS, **options: str) -> Sandbox:
    """The ASGI app. `state`: SQLite file to keep state in (None: memory only); `declarations`: the
    modules of the products to serve (registry.py); `options`: their start-up options, e.g.
    jira_version="9.12.4"."""
    return Sandbox(state, declarations, **options)
