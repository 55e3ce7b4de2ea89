"""Jira Data Center (/jira) and Jira Cloud (/jira-cloud), as two configurations of one product
implementation. This module is what the registry reads: it stays light, the rest loads in create()."""

from __future__ import annotations

from typing import TYPE_CHECKING

from atlctl.sandbox.settings import Option, version

if TYPE_CHECKING:
    from atlctl.sandbox.product import Environment, Product

OPTIONS = (Option("jira_version", "9.12.4", "Jira DC version to report and behave as", version),)


def create(env: Environment) -> list[Product]:
    from atlctl.sandbox.jira.product import create

    return create(env)
