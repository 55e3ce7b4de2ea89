"""Entry point. Imports almost nothing at module level so `atlctl --version` starts fast."""

import sys


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sandbox"]:
        from atlctl.sandbox.cli import main as sandbox_main

        return sandbox_main(argv[1:])
    if argv[:1] == ["--version"]:
        from atlctl import __version__

        print(f"atlctl {__version__}")
        return 0
    print("atlctl: not implemented yet", file=sys.stderr)
    return 157


def entry() -> None:
    sys.exit(main())
