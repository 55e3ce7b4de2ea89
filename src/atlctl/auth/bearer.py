"""Bearer token: Server/DC personal access tokens (Jira >= 8.14, Confluence >= 7.9,
Bitbucket >= 5.5), Bitbucket Cloud access tokens, Slack tokens."""

import httpx

from atlctl.auth.origin import origin


class BearerAuth(httpx.Auth):
    scheme = "token"

    def __init__(self, server: str, token: str, user: str | None = None):
        self.origin = origin(server)
        self.user = user
        self._header = f"Bearer {token}"

    def auth_flow(self, request):
        if origin(request.url) == self.origin:
            request.headers["Authorization"] = self._header
        yield request
