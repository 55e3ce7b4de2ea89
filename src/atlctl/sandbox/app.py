"""The sandbox as one ASGI app: Jira DC under /jira, Jira Cloud under /jira-cloud, the control API
under /_sandbox. The same app is served on a socket (atlctl sandbox, SandboxServer) and can be
driven in-process (Starlette's TestClient)."""

from __future__ import annotations

from starlette.types import Receive, Scope, Send

from atlctl.sandbox.control import Control
from atlctl.sandbox.jira.deployment import CLOUD, DC
from atlctl.sandbox.jira.product import JiraProduct
from atlctl.sandbox.realm import Clock
from atlctl.sandbox.settings import DEFAULT_JIRA_VERSION, parse_version
from atlctl.sandbox.store import Store


class Sandbox:
    def __init__(self, state: str | None = None, jira_version: str = DEFAULT_JIRA_VERSION):
        parse_version(jira_version)  # SettingsError before anything is opened
        self.store = Store(state)
        self.clock = Clock()
        self.products = {d.name: JiraProduct(d, self.store, self.clock, jira_version) for d in (DC, CLOUD)}
        # Longest prefix first: /jira-cloud must not be taken for /jira.
        self._mounts = sorted(((p.deployment.prefix, p) for p in self.products.values()), key=lambda m: -len(m[0]))
        self.control = Control(self)

    def reset(self) -> None:
        self.clock.offset = 0.0
        for product in self.products.values():
            product.reset()

    def close(self) -> None:
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
                await product(scope, receive, send)
                return
        await self.control(scope, receive, send)


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def create_app(state: str | None = None, jira_version: str = DEFAULT_JIRA_VERSION) -> Sandbox:
    """The ASGI app. `state`: SQLite file to keep state in (None: memory only)."""
    return Sandbox(state, jira_version)
