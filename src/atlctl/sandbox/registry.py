"""The one list of sandbox products: the packages under sandbox/, imported only when needed.

Each package's __init__ stays light (the CLI reads its OPTIONS before anything heavy loads) and
offers:
    OPTIONS: tuple[settings.Option, ...]              start-up options, e.g. --jira-version
    create(env: product.Environment) -> list[Product]  the products it serves
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from types import ModuleType

PACKAGES = ("atlctl.sandbox.jira",)


def load(packages: Iterable[str] = PACKAGES) -> list[ModuleType]:
    return [importlib.import_module(name) for name in packages]
