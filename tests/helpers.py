"""Run atlctl in-process and capture what it prints (DESIGN principle 8)."""

import io
from dataclasses import dataclass

from atlctl.cli.main import main
from atlctl.environment import Environment


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def run(*argv, environ=None, stdin="", tty=False) -> Outcome:
    stdout, stderr = io.StringIO(), io.StringIO()
    env = Environment(stdin=io.StringIO(stdin), stdout=stdout, stderr=stderr, environ=dict(environ or {}),
                      stdin_isatty=tty, stderr_isatty=False)
    code = main([str(a) for a in argv], env)
    return Outcome(code, stdout.getvalue(), stderr.getvalue())
