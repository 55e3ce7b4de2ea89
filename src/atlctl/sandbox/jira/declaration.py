"""Jira's entry in the sandbox registry: its start-up options, read by the CLI before anything heavy
loads, and create(), which loads the implementation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from atlctl.sandbox.settings import Option, version

if TYPE_CHECKING:
    from atlctl.sandbox.product import Environment, Product

OPTIONS = (Option("jira_version", "9.12.4", "Jira DC version to report and behave as", version),)


def create(env: Environment) -> list[Product]:
    """Jira Data Center under /jira and Jira Cloud under /cloud (also /jira-cloud)."""
    from atlctl.sandbox.jira.deployment import CLOUD, DC
    from atlctl.sandbox.jira.product import JiraProduct

    return [JiraProduct(DC, env), JiraProduct(CLOUD, env)]
