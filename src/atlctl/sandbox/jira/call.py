"""What Jira adds to the shared Endpoint and Call: the needs its filters check, the login reasons
Seraph reports, and a renderer for the REST version in the path."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from atlctl.sandbox.jira.render import Renderer
from atlctl.sandbox.product import Call, Endpoint, Product

# kind: which credentials count and how refusals look.
#   rest     REST credentials; JSON refusals; a stale session cookie is a 401 (§1.2)
#   auth     the /rest/auth session resource: reachable whatever the cookie says (§1.2)
#   web      /secure pages: only a cookie session counts; refusals redirect (login, websudo)
#   download attachment content under /secure: REST credentials, web-style refusals


@dataclass(frozen=True)
class JiraEndpoint(Endpoint):
    websudo: bool = False  # @WebSudoRequired (§0.5)
    admin: bool = False  # Jira administrators only
    xsrf: bool = True  # POSTs go through the XSRF check (§0.4)
    api: str = "2"  # REST version in the path: 2, 3 or latest
    min_version: tuple[int, int, int] | None = None  # DC: the feature's first version
    max_version: tuple[int, int, int] | None = None  # DC: the version that removed it


class JiraCall(Call):
    __slots__ = ("reasons", "_render")

    def __init__(self, product: Product, request: Request, endpoint: Endpoint, params: dict[str, str]):
        super().__init__(product, request, endpoint, params)
        self.reasons: list[str] = []  # X-Seraph-LoginReason values, in order (§0.1)
        self._render: Renderer | None = None

    @property
    def render(self) -> Renderer:
        if self._render is None:
            product = self.product
            self._render = Renderer(product.data, product.deployment.cloud, self.base, self.endpoint.api, self.user,
                                    product.public_emails)
        return self._render
