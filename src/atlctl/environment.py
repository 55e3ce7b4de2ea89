"""Everything a command touches outside itself: streams, TTY flags, environment variables and the
config directory. Tests build one with in-memory streams and call `main(argv, env)`."""

import os
import sys
from typing import IO, Mapping


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def state_dir(environ: Mapping[str, str]) -> str:
    """atlctl's state directory (journals, cached cloudIds): $XDG_STATE_HOME/atlctl, else ~/.local/state/atlctl."""
    state = environ.get("XDG_STATE_HOME") or os.path.join(environ.get("HOME") or os.path.expanduser("~"), ".local", "state")
    return os.path.join(state, "atlctl")


class Environment:
    def __init__(self, stdin: IO[str] | None = None, stdout: IO[str] | None = None, stderr: IO[str] | None = None,
                 environ: Mapping[str, str] | None = None, stdin_isatty: bool | None = None,
                 stderr_isatty: bool | None = None):
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.environ = os.environ if environ is None else environ
        self.stdin_isatty = _isatty(self.stdin) if stdin_isatty is None else stdin_isatty
        self.stderr_isatty = _isatty(self.stderr) if stderr_isatty is None else stderr_isatty

    def with_environ(self, environ: Mapping[str, str]) -> "Environment":
        """The same streams and terminal flags with other environment variables."""
        return Environment(self.stdin, self.stdout, self.stderr, environ, self.stdin_isatty, self.stderr_isatty)

    @property
    def is_ci(self) -> bool:
        return self.environ.get("CI", "").lower() in ("1", "true", "yes")

    @property
    def interactive(self) -> bool:
        """Whether atlctl may prompt: never in CI, never without a terminal on stdin."""
        return bool(self.stdin_isatty) and not self.is_ci

    @property
    def config_file(self) -> str:
        """ATLCTL_CONFIG (the path of the file), else config.toml in the config dir."""
        return self.environ.get("ATLCTL_CONFIG") or os.path.join(self.config_dir, "config.toml")

    @property
    def config_dir(self) -> str:
        """The directory of ATLCTL_CONFIG, else ATLCTL_CONFIG_DIR, else the platform's config dir (XDG on Linux)."""
        if self.environ.get("ATLCTL_CONFIG"):
            return os.path.dirname(os.path.abspath(self.environ["ATLCTL_CONFIG"]))
        if self.environ.get("ATLCTL_CONFIG_DIR"):
            return self.environ["ATLCTL_CONFIG_DIR"]
        if sys.platform == "win32":
            base = self.environ.get("APPDATA") or os.path.expanduser("~")
        elif sys.platform == "darwin":
            base = os.path.expanduser("~/Library/Application Support")
        else:
            base = self.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
        return os.path.join(base, "atlctl")

    def read_secret(self, prompt: str) -> str:
        """A hidden prompt (no echo) on the terminal; injected streams (tests) are read as they are."""
        if self.stdin is sys.stdin:
            import getpass

            return getpass.getpass(prompt, stream=self.stderr)
        return self.read_line(prompt)

    def read_line(self, prompt: str) -> str:
        self.stderr.write(prompt)
        self.stderr.flush()
        return self.stdin.readline().rstrip("\r\n")
