"""`make bench`: run every bench/*_bench.py module's main() in one run, so figures compare side by side."""

import importlib
import pathlib
import sys


def main() -> int:
    only = sys.argv[1:]
    for path in sorted(pathlib.Path(__file__).parent.glob("*_bench.py")):
        if only and path.stem not in only:
            continue
        print(f"\n### {path.stem}\n", flush=True)
        importlib.import_module(f"bench.{path.stem}").main()
    return 0


sys.exit(main())
