"""Slack's entry in the sandbox registry: no start-up options; create() loads the implementation."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from atlctl.sandbox.product import Environment, Product

OPTIONS = ()


def create(env: Environment) -> list[Product]:
    """The Slack workspace "Sandbox" under /slack."""
    from atlctl.sandbox.slack.product import SlackProduct

    return [SlackProduct(env)]
