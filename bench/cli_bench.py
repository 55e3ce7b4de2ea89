"""Issue 3 targets: `atlctl --version` within 2.5x of bare Python start-up; one getServerInfo through
atlctl at most 0.6x the wall time of the faster of the PyPI `jira` and `atlassian-python-api`
packages doing the same call (each a fresh process, as a script would run it)."""

import sys

from bench.common import ATLCTL, compare, sandbox, table

RUNS = 15


def main() -> None:
    startup = compare({"python -c pass": [sys.executable, "-c", "pass"], "atlctl --version": [ATLCTL, "--version"]}, RUNS)
    base = startup["python -c pass"]
    table([(name, f"{t * 1000:.1f} ms", f"{t / base:.2f}x") for name, t in startup.items()],
          ("start-up", "median", "vs python"))
    print(f"target: atlctl --version <= 2.5x python start-up -> {startup['atlctl --version'] / base:.2f}x\n")

    with sandbox() as url:
        jira = f"{url}/jira"
        commands = {
            "atlctl getServerInfo": [ATLCTL, "jira", "getServerInfo", "--server", jira, "--user", "admin"],
            "jira package (basic_auth)": [sys.executable, "-c",
                "import sys; from jira import JIRA; JIRA(sys.argv[1], basic_auth=('admin', 'admin')).server_info()", jira],
            "atlassian-python-api": [sys.executable, "-c",
                "import sys; from atlassian import Jira; Jira(sys.argv[1], username='admin', password='admin').get_server_info()", jira],
        }
        times = compare(commands, RUNS, env={"ATLCTL_PASSWORD": "admin"})
    faster_peer = min(times["jira package (basic_auth)"], times["atlassian-python-api"])
    table([(name, f"{t * 1000:.1f} ms", f"{t / faster_peer:.2f}x") for name, t in times.items()],
          ("one getServerInfo, fresh process", "median", "vs faster peer"))
    print(f"target: atlctl <= 0.6x the faster peer -> {times['atlctl getServerInfo (session)'] / faster_peer:.2f}x")
