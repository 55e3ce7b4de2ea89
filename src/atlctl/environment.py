"""Everything a command touches outside itself: streams, TTY flags, environment variables and the
config directory. Tests build one with in-memory streams and call `main(argv, env)`."""

import os
import sys
from dataclasses import dataclass, field
from typing import IO, Mapping


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@dataclass
class Environment:
    stdin: IO[str] = field(default_factory=lambda: sys.stdin)
    stdout: IO[str] = field(default_factory=lambda: sys.stdout)
    stderr: IO[str] = field(default_factory=lambda: sys.stderr)
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    stdin_isatty: bool | None = None
    stderr_isatty: bool | None = None

    def __post_init__(self):
        if self.stdin_isatty is None:
            self.stdin_isatty = _isatty(self.stdin)
        if self.stderr_isatty is None:
            self.stderr_isatty = _isatty(self.stderr)

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
