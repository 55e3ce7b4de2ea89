"""HTTP basic: Server/DC user + password, Cloud account email + API token (`--auth basic`, or the
only scheme Cloud accepts)."""

import base64

import httpx

from atlctl.auth.origin import origin


def basic_header(user: str | None, secret: str | None) -> str:
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


class BasicAuth(httpx.Auth):
    scheme = "basic"

    def __init__(self, server: str, user: str, secret: str):
        self.origin = origin(server)
        self.user = user
        self._header = basic_header(user, secret)

    def auth_flow(self, request):
        if origin(request.url) == self.origin:
            request.headers["Authorization"] = self._header
        yield request
