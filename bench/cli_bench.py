"""Issue 14 targets (which replaced issue 3's): `atlctl --version` within 2.5x of bare Python
start-up; one getServerInfo that checks the credentials, as every client here does, at most 0.8x
the wall time of the faster of the PyPI `jira` and `atlassian-python-api` packages over plain http,
and 0.75x over HTTPS with every client trusting the same hashed CA directory (the system's CAs and
the sandbox's); a shell loop of separate invocations with and without the profile session cache.
Each client is a fresh process, as a script would run it."""

import os
import subprocess
import sys
import tempfile
import time

import httpx

from bench import common
from bench.common import ATLCTL, compare, sandbox, table, trust_directory

RUNS = 15
LOOP = 100  # separate invocations in the session-cache comparison

VERIFY = "import sys; verify = sys.argv[2] if len(sys.argv) > 2 else True; "  # a CA directory, or the default
JIRA = VERIFY + ("from jira import JIRA; "
                 "JIRA(sys.argv[1], basic_auth=('admin', 'admin'), options={'verify': verify}).myself()")
APA = VERIFY + ("from atlassian import Jira; j = Jira(sys.argv[1], username='admin', password='admin', verify_ssl=verify); "
                "j.get_server_info(); j.myself()")


def main() -> None:
    startup = compare({"python -c pass": [sys.executable, "-c", "pass"], "atlctl --version": [ATLCTL, "--version"]}, RUNS)
    base = startup["python -c pass"]
    table([(name, f"{t * 1000:.1f} ms", f"{t / base:.2f}x") for name, t in startup.items()],
          ("start-up", "median", "vs python"))
    print(f"target: atlctl --version <= 2.5x python start-up -> {startup['atlctl --version'] / base:.2f}x\n")
    with sandbox() as url:
        one_call(url + "/jira", "http", 0.8, trust=None)
        session_cache(url)
    with sandbox("--tls") as url, tempfile.TemporaryDirectory() as directory:
        one_call(url + "/jira", "HTTPS", 0.75, trust=trust_directory(common.ca, directory))


def one_call(jira: str, transport: str, target: float, trust: str | None) -> None:
    """getServerInfo with credentials, which every client checks: atlctl through the current user
    (session by default, basic with --auth basic); the peers construct their client and ask."""
    verify = [trust] if trust else []
    bundle = ["--ca-bundle", trust] if trust else []
    commands = {
        "atlctl getServerInfo (session)": [ATLCTL, "jira", "getServerInfo", "--server", jira, "--user", "admin", *bundle],
        "atlctl getServerInfo --auth basic": [ATLCTL, "jira", "getServerInfo", "--server", jira, "--user", "admin",
                                              "--auth", "basic", *bundle],
        "jira package (basic_auth)": [sys.executable, "-c", JIRA, jira, *verify],
        "atlassian-python-api": [sys.executable, "-c", APA, jira, *verify],
    }
    times = compare(commands, RUNS, env={"ATLCTL_PASSWORD": "admin"})
    peer = min(times["jira package (basic_auth)"], times["atlassian-python-api"])
    table([(name, f"{t * 1000:.1f} ms", f"{t / peer:.2f}x") for name, t in times.items()],
          (f"one getServerInfo over {transport}, fresh process", "median", "vs faster peer"))
    best = min(times["atlctl getServerInfo (session)"], times["atlctl getServerInfo --auth basic"])
    print(f"target over {transport}: atlctl <= {target}x the faster peer -> "
          f"{times['atlctl getServerInfo (session)'] / peer:.2f}x by default, {best / peer:.2f}x at best\n")


def session_cache(url: str) -> None:
    """A shell loop of LOOP separate `atlctl work getIssue` calls, with and without session_cache; the
    profile's password in the keyring either way, as `auth login` leaves it."""
    rows = []
    with tempfile.TemporaryDirectory() as home:
        keyring = {**os.environ, "HOME": home, "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring"}
        subprocess.run([sys.executable, "-c", "import keyring; keyring.set_password('atlctl', 'work', 'admin')"],
                       check=True, env=keyring)
        envs, spent, checks = {}, {False: 0.0, True: 0.0}, {False: 0, True: 0}
        for cache in (False, True):
            config = os.path.join(home, f"config-{cache}.toml")
            with open(os.open(config, os.O_WRONLY | os.O_CREAT, 0o600), "w") as handle:
                handle.write(f'[profiles.work]\nproduct = "jira"\nserver = "{url}/jira"\nuser = "admin"\n'
                             f'password = "keyring"\nsession_cache = {str(cache).lower()}\n')
            envs[cache] = {**keyring, "ATLCTL_CONFIG": config}
        for _ in range(LOOP):  # interleaved, so machine noise hits both alike
            for cache, env in envs.items():
                before, start = _checks(url), time.perf_counter()
                subprocess.run([ATLCTL, "work", "getIssue", "--issue", "DEMO-1"], check=True, env=env,
                               stdout=subprocess.DEVNULL)
                spent[cache] += time.perf_counter() - start
                checks[cache] += _checks(url) - before
        rows = [(f"session_cache = {str(cache).lower()}", f"{spent[cache]:.2f} s", checks[cache]) for cache in envs]
    table(rows, (f"{LOOP} separate getIssue invocations", "total", "password checks"))
    print(f"target: {LOOP} invocations with the session cache cost 1 password check -> {rows[1][2]}\n")


def _checks(url: str) -> int:
    return httpx.get(url + "/_sandbox/stats", trust_env=False).json()["products"]["jira"]["password_checks"]
