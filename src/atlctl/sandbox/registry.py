"""The one list of sandbox products: for each, the module that declares it, imported on first use.

A declaration module stays light (the CLI reads its OPTIONS before anything heavy loads) and offers:
    OPTIONS: tuple[settings.Option, ...]              start-up options, e.g. --jira-version
    create(env: product.Environment) -> list[Product]  the products it serves
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from types import ModuleType

DECLARATIONS = (
    "atlctl.sandbox.jira.declaration",
    "atlctl.sandbox.confluence.declaration",
    "atlctl.sandbox.bitbucket.declaration",
    "atlctl.sandbox.bitbucket_cloud.declaration",
    "atlctl.sandbox.slack.declaration",
    "atlctl.sandbox.gateway.declaration",  # after the Cloud products whose site it fronts
)


def load(declarations: Iterable[str] = DECLARATIONS) -> list[ModuleType]:
    return [importlib.import_module(name) for name in declarations]
