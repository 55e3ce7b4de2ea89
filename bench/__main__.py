"""Run every bench/*_bench.py module's main(), in name order."""

import importlib
import pkgutil
import sys

import bench


def main() -> int:
    status = 0
    for module in sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.endswith("_bench")):
        status |= importlib.import_module(f"bench.{module}").main() or 0
    return status


sys.exit(main())
