"""Run atlctl in-process or as the installed command, capture what it prints, and check every run
for leaked secrets (DESIGN principle 8): any test that registers a secret is also a leak test."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass

from atlctl.cli.main import main
from atlctl.environment import Environment

ATLCTL = os.path.join(os.path.dirname(sys.executable), "atlctl")
# Runs never read the developer's own config file unless a test gives ATLCTL_CONFIG itself.
NO_CONFIG = os.path.join(tempfile.gettempdir(), f"atlctl-tests-{os.getpid()}", "no-config.toml")
# ... nor write journals into the developer's own state directory.
STATE = os.path.join(tempfile.gettempdir(), f"atlctl-tests-{os.getpid()}", "state")


def journal_of(path) -> str:
    """Where a run of input file `path` keeps its journal by default (in the tests' state directory)."""
    from atlctl.batch.actions import default_journal

    return default_journal({"XDG_STATE_HOME": STATE}, str(path))

# Distinctive secrets used by tests (passwords, tokens, session ids). None may ever appear in what
# atlctl prints, except where a run says the secret is its point (`reveals`: login, addAccessToken).
SECRETS: set[str] = set()


def secret(value: str) -> str:
    SECRETS.add(value)
    return value


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def _check_leaks(argv, outcome: Outcome, reveals) -> None:
    leaked = [s for s in SECRETS if s not in reveals and s in outcome.text]
    assert not leaked, f"secret leaked by atlctl {' '.join(map(str, argv))}:\n{outcome.text}"


def run(*argv, environ=None, stdin="", tty=False, reveals=()) -> Outcome:
    """atlctl in-process through main(argv, env)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    env = Environment(stdin=io.StringIO(stdin), stdout=stdout, stderr=stderr,
                      environ={"ATLCTL_CONFIG": NO_CONFIG, "XDG_STATE_HOME": STATE, **(environ or {})},
                      stdin_isatty=tty, stderr_isatty=False)
    outcome = Outcome(main([str(a) for a in argv], env), stdout.getvalue(), stderr.getvalue())
    _check_leaks(argv, outcome, reveals)
    return outcome


def run_installed(*argv, environ=None, stdin="", reveals=(), timeout=60) -> Outcome:
    """The installed `atlctl` console script, as a user's shell runs it."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), "ATLCTL_CONFIG": NO_CONFIG,
           "XDG_STATE_HOME": STATE, **_python_path(), **(environ or {})}
    proc = subprocess.run([ATLCTL, *map(str, argv)], input=stdin, capture_output=True, text=True, env=env,
                          timeout=timeout)
    outcome = Outcome(proc.returncode, proc.stdout, proc.stderr)
    _check_leaks(argv, outcome, reveals)
    return outcome


def _python_path() -> dict:
    """A PYTHONPATH the tests run with (a work tree tested against another tree's install) reaches the
    installed command too, so it runs the code under test."""
    paths = [os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return {"PYTHONPATH": os.pathsep.join(paths)} if paths else {}
