"""Everything a command touches outside itself: streams, TTY flags, environment variables and the
config and state directories. Tests build one with in-memory streams and call `main(argv, env)`."""

import os
import sys
from typing import IO, Mapping


APP = "atlctl"
XDG = {"config": ("XDG_CONFIG_HOME", (".config",)), "state": ("XDG_STATE_HOME", (".local", "state"))}


def user_dir(kind: str, environ: Mapping[str, str]) -> str:
    """atlctl's "config" or "state" directory. On Linux (and the other Unixes) the XDG base directories,
    read from `environ`: $XDG_CONFIG_HOME/atlctl (else ~/.config/atlctl), $XDG_STATE_HOME/atlctl (else
    ~/.local/state/atlctl). On macOS and Windows, platformdirs' (imported only here, when a directory is
    needed): ~/Library/Application Support/atlctl; %APPDATA%\\atlctl for config (it roams with the user),
    %LOCALAPPDATA%\\atlctl for state (journals belong to the machine)."""
    if sys.platform in ("darwin", "win32"):
        import platformdirs

        dirs = platformdirs.PlatformDirs(APP, appauthor=False, roaming=kind == "config")
        return dirs.user_config_dir if kind == "config" else dirs.user_state_dir
    variable, default = XDG[kind]
    base = environ.get(variable) or os.path.join(environ.get("HOME") or os.path.expanduser("~"), *default)
    return os.path.join(base, APP)


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


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
        return user_dir("config", self.environ)

    @property
    def state_dir(self) -> str:
        """Where atlctl keeps what it learns while running (the journals of runs, cached cloudIds)."""
        return user_dir("state", self.environ)

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
