"""Serving the sandbox with uvicorn: in the foreground (atlctl sandbox) or in a background thread
(SandboxServer, for tests, benchmarks and the demo)."""

from __future__ import annotations

import contextlib
import importlib.util
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator

import uvicorn

from atlctl.sandbox.app import Sandbox, create_app
from atlctl.sandbox.tls import Certificates, uvicorn_options


def listen(host: str, port: int) -> socket.socket:
    """A listening socket; OSError (address in use, bad host...) is the caller's to report."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(1024)
    except OSError:
        sock.close()
        raise
    return sock


def url_for(host: str, port: int, tls: bool = False) -> str:
    scheme = "https" if tls else "http"
    return f"{scheme}://[{host}]:{port}" if ":" in host else f"{scheme}://{host}:{port}"


class _Uvicorn(uvicorn.Server):
    """uvicorn that reports readiness and exits cleanly (code 0) on SIGINT and SIGTERM."""

    def __init__(self, app: Sandbox, on_ready: Callable[[], None] | None = None, tls: dict | None = None):
        """`tls`: uvicorn's ssl_* settings (sandbox/tls.py), or None for plain HTTP."""
        loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
        config = uvicorn.Config(
            app,
            loop=loop,
            http="httptools",
            ws="none",
            lifespan="off",
            access_log=False,  # no URLs, hence no secrets, in the output
            log_config=None,
            log_level="warning",
            server_header=False,
            timeout_graceful_shutdown=3,
            timeout_keep_alive=30,
            **(tls or {}),
        )
        super().__init__(config)
        self._on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started and self._on_ready is not None:
            self._on_ready()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # uvicorn's own handler re-raises the signal after shutdown, which would kill us with
        # -SIGTERM / KeyboardInterrupt; a sandbox asked to stop has done nothing wrong.
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _stop(self, sig: int, frame: object) -> None:
        if self.should_exit:
            self.force_exit = True  # a second signal: stop waiting for connections
        self.should_exit = True


def serve_forever(app: Sandbox, sock: socket.socket, on_ready: Callable[[], None], tls: dict | None = None) -> None:
    """Serve in the foreground until SIGINT or SIGTERM."""
    _Uvicorn(app, on_ready, tls).run(sockets=[sock])


class SandboxServer:
    """The sandbox on a socket in a background thread.

    with SandboxServer() as server:          # port 0: a free port
        httpx.get(server.url + "/jira/rest/api/2/serverInfo")
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, state: str | None = None, *,
                 tls: Certificates | None = None, tls_client_ca: str | None = None, **options: str):
        """`options`: the products' start-up options, e.g. jira_version="8.20.10"; `tls`: serve HTTPS with
        these certificates (and require client certificates signed by `tls_client_ca`)."""
        self.host = host
        self.port = port
        self.tls = tls
        self._tls_options = uvicorn_options(tls, tls_client_ca) if tls else None
        self.app = create_app(state, **options)
        self._server: _Uvicorn | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return url_for(self.host, self.port, self.tls is not None)

    def start(self, timeout: float = 10.0) -> SandboxServer:
        sock = listen(self.host, self.port)
        self.port = sock.getsockname()[1]
        self._server = _Uvicorn(self.app, tls=self._tls_options)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, name="atlctl-sandbox", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the sandbox did not start on {self.url}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
            self._server = self._thread = None
        self.app.close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
