"""An isolated home for every test that touches credentials: config file, file-based keyring
(keyrings.alt's PlaintextKeyring, a real backend) and XDG directories live in a temporary
directory, so no test reads or writes the developer's own config or keyring.

    def test_something(home):
        home.run("auth", "status")                 # in-process, leak-checked (tests.helpers)
        home.run_installed("auth", "status")       # the installed command, same environment
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from atlctl.environment import Environment
from tests import helpers

ROOT = str(Path(__file__).resolve().parents[2])
ACLI_SAMPLE = Path(__file__).parent / "data" / "acli.properties"
HANGING_KEYRING = {"PYTHON_KEYRING_BACKEND": "tests.keyring_backends.HangingKeyring", "ATLCTL_KEYRING_TIMEOUT": "0.2"}
LOCKED_KEYRING = {"PYTHON_KEYRING_BACKEND": "tests.keyring_backends.LockedKeyring"}


@dataclass
class Home:
    root: Path
    environ: dict

    @property
    def config_file(self) -> Path:
        return Path(self.environ["ATLCTL_CONFIG"])

    @property
    def keyring_file(self) -> Path:
        return Path(self.environ["XDG_DATA_HOME"]) / "python_keyring" / "keyring_pass.cfg"

    @property
    def insecure_file(self) -> Path:
        return self.config_file.parent / "secrets" / "insecure-storage.json"

    def env(self, extra: dict | None = None, stdin: str = "", tty: bool = False) -> Environment:
        return Environment(stdin=io.StringIO(stdin), stdout=io.StringIO(), stderr=io.StringIO(),
                           environ={**self.environ, **(extra or {})}, stdin_isatty=tty, stderr_isatty=False)

    def write_config(self, text: str, mode: int = 0o600) -> None:
        self.config_file.parent.mkdir(parents=True, exist_ok=True)
        self.config_file.write_text(text)
        os.chmod(self.config_file, mode)

    def run(self, *argv, environ=None, **kwargs) -> helpers.Outcome:
        return helpers.run(*argv, environ={**self.environ, **(environ or {})}, **kwargs)

    def run_installed(self, *argv, environ=None, **kwargs) -> helpers.Outcome:
        return helpers.run_installed(*argv, environ={**self.environ, **(environ or {})}, **kwargs)


@pytest.fixture
def home(tmp_path, monkeypatch) -> Home:
    environ = {
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "ATLCTL_CONFIG": str(tmp_path / "atlctl" / "config.toml"),
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        # the installed command finds tests.keyring_backends (and the code under test, as tests.helpers says)
        "PYTHONPATH": os.pathsep.join(filter(None, [helpers._python_path().get("PYTHONPATH"), ROOT])),
        "NO_PROXY": "127.0.0.1,localhost",
    }
    # in-process, the file keyring finds its directory through os.environ
    monkeypatch.setenv("XDG_DATA_HOME", environ["XDG_DATA_HOME"])
    return Home(tmp_path, environ)


def field(text: str, label: str) -> str | None:
    """The value of a labelled line (`Label . . . . : value`) in ACLI-style output."""
    for line in text.splitlines():
        if line.startswith(label + " ") and " : " in line and not line[len(label):].split(" : ")[0].strip(" ."):
            return line.split(" : ", 1)[1]
    return None


def new_token(sandbox, user: str, password: str) -> str:
    """A personal access token created with atlctl's own addAccessToken (registered as a test secret)."""
    outcome = helpers.run("jira", "addAccessToken", "--server", sandbox.jira, "--user", user, "--password", password,
                          "--name", "atlctl-test")
    assert outcome.code == 0, outcome.err
    return helpers.secret(outcome.out.strip())
