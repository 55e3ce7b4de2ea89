"""atlctl: an ACLI-compatible command-line client for Atlassian products and Slack."""

import sys

__version__ = "0.1.0"

# httpx imports its own command-line tool (click, pygments, rich) whenever those happen to be
# installed; atlctl never uses it, and skipping it takes ~30 ms off every start-up.
sys.modules.setdefault("httpx._main", None)
