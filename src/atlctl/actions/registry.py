"""Actions are data: declared once per product (products/<name>/actions.py, an ActionSet); the
parser, `--help`, run-script validation and docs are all generated from these declarations. The
run actions (run, runFromCsv, runFromList) are declared once for every product."""

from __future__ import annotations

import importlib
import threading

from atlctl.products import registry as products
from atlctl.products.base import Action

# Actions every product has, and its list sources' actions: this module's declare(product, sources) returns them.
SHARED_ACTIONS = "atlctl.batch.actions"


class Registry:
    def __init__(self):
        self.actions: dict[str, dict[str, Action]] = {}  # product -> lower name -> action
        self._loading = threading.RLock()  # rows of a bulk run load in parallel

    def product(self, product: str) -> dict[str, Action]:
        with self._loading:
            if product not in self.actions:
                declared = importlib.import_module(products.product(product).actions).ACTIONS
                shared = importlib.import_module(SHARED_ACTIONS).declare(product, declared.sources)
                table: dict[str, Action] = {}
                for action in (*declared.actions, *shared):
                    if action.name.lower() in table:
                        raise ValueError(f"duplicate action {product}.{action.name}")
                    table[action.name.lower()] = action
                self.actions[product] = table
        return self.actions[product]

    def find(self, product: str, name: str) -> Action | None:
        """Action names are case-insensitive, as in ACLI. Until the product's table is built, its own
        actions are searched first: one action's start-up does not load the shared run actions."""
        name = name.lower()
        with self._loading:
            if product not in self.actions:
                own = importlib.import_module(products.product(product).actions).ACTIONS.actions
                found = next((action for action in own if action.name.lower() == name), None)
                if found is not None:
                    return found
        return self.product(product).get(name)


REGISTRY = Registry()
