"""Confluence's entry in the sandbox registry: its start-up option and create(), which loads the
implementation on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from atlctl.sandbox.settings import Option, version

if TYPE_CHECKING:
    from atlctl.sandbox.product import Environment, Product

OPTIONS = (Option("confluence_version", "8.5.9", "Confluence DC version to report and behave as", version),)


def create(env: Environment) -> list[Product]:
    """Confluence Data Center under /confluence and Confluence Cloud under /cloud/wiki."""
    from atlctl.sandbox.confluence.product import CLOUD, DC, ConfluenceProduct

    return [ConfluenceProduct(DC, env), ConfluenceProduct(CLOUD, env)]
