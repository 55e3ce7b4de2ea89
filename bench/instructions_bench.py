"""Issue 14's one-action floor in CPU instructions, which (unlike wall time on this shared VM) are
the same on every run: each client process counted by valgrind (cachegrind, no cache simulation),
`PYTHONHASHSEED=0`, against one sandbox. It shows how much of the `jira` package's cost a client
built on httpx spends before doing anything of its own. Skipped without valgrind."""

import os
import re
import shutil
import subprocess
import sys
import tempfile

from bench.cli_bench import JIRA
from bench.common import ATLCTL, sandbox, table

NO_HTTPX_CLI = "import sys; sys.modules['httpx._main'] = None; "  # as atlctl does (see atlctl/__init__.py)
BARE = NO_HTTPX_CLI + ("import httpx; c = httpx.Client(verify=False, auth=('admin', 'admin')); "
                       "c.get(sys.argv[1] + '/rest/api/2/serverInfo'); c.get(sys.argv[1] + '/rest/api/2/myself')")
IMPORT = NO_HTTPX_CLI + "import httpx; httpx.Client(verify=False)"  # also loads httpcore and h11


def main() -> None:
    if not shutil.which("valgrind"):
        print("valgrind is not installed: instruction counts skipped")
        return
    with sandbox() as url:
        jira = url + "/jira"
        commands = {
            "PyPI `jira` package, JIRA(...).myself()": [sys.executable, "-c", JIRA, jira],
            "atlctl getServerInfo (session, 4 requests)": [ATLCTL, "jira", "getServerInfo", "--server", jira,
                                                          "--user", "admin"],
            "atlctl getServerInfo --auth basic (2 requests)": [ATLCTL, "jira", "getServerInfo", "--server", jira,
                                                              "--user", "admin", "--auth", "basic"],
            "bare httpx: one client, serverInfo and myself": [sys.executable, "-c", BARE, jira],
            "of which import httpx and one Client": [sys.executable, "-c", IMPORT],
            "python -c pass": [sys.executable, "-c", "pass"],
        }
        counts = {name: instructions(command) for name, command in commands.items()}
    peer = counts["PyPI `jira` package, JIRA(...).myself()"]
    rows = [(name, f"{count / 1e6:.0f} M", f"{count / peer:.2f}x") for name, count in counts.items()]
    table(rows, ("one getServerInfo with a credential check, http", "instructions", "vs jira package"))
    print(f"the 0.8x target is {0.8 * peer / 1e6:.0f} M instructions\n")


def instructions(command: list[str]) -> int:
    with tempfile.TemporaryDirectory() as home:  # no profile or keyring of the machine's user
        env = {**os.environ, "HOME": home, "XDG_CONFIG_HOME": home, "PYTHONHASHSEED": "0", "ATLCTL_PASSWORD": "admin"}
        done = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                               *command], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              check=True)
    return int(re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)[1].replace(",", ""))
