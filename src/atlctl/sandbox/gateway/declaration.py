"""The Atlassian API gateway's entry in the sandbox registry: no start-up options, and create(),
which loads the implementation. Listed after Jira and Confluence, whose Cloud site it fronts."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from atlctl.sandbox.product import Environment, Product

OPTIONS = ()


def create(env: Environment) -> list[Product]:
    """The gateway and OAuth 2.0 server under /gateway (api.atlassian.com, auth.atlassian.com), and
    the site's edge under /cloud/_edge (tenant_info)."""
    from atlctl.sandbox.gateway.product import GatewayProduct

    return [GatewayProduct(env)]
