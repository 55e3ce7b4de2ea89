"""Issue 16: where atlctl keeps its config and state (the journals). XDG on Linux, read from the
environment atlctl runs with; platformdirs' directories on macOS and Windows, imported only there."""

import os
import subprocess
import sys

import platformdirs
import pytest

from atlctl.batch.actions import default_journal, journal_dir
from atlctl.environment import Environment
from tests.helpers import _python_path


def test_linux_honours_xdg_state_and_config_home(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    environ = {"XDG_STATE_HOME": "/xdg/state", "XDG_CONFIG_HOME": "/xdg/config", "HOME": "/home/alice"}
    assert journal_dir(environ) == "/xdg/state/atlctl/journals"
    assert Environment(environ=environ).config_dir == "/xdg/config/atlctl"
    assert Environment(environ=environ).config_file == "/xdg/config/atlctl/config.toml"


def test_linux_without_xdg_uses_the_home_directory(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    environ = {"HOME": "/home/alice"}
    assert journal_dir(environ) == "/home/alice/.local/state/atlctl/journals"
    assert Environment(environ=environ).config_dir == "/home/alice/.config/atlctl"


def test_macos_uses_application_support(monkeypatch):
    from platformdirs.macos import MacOS

    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(platformdirs, "PlatformDirs", MacOS)
    monkeypatch.setenv("HOME", "/Users/alice")
    environ = {"XDG_STATE_HOME": "/not/on/macos", "XDG_CONFIG_HOME": "/not/on/macos"}
    assert journal_dir(environ) == "/Users/alice/Library/Application Support/atlctl/journals"
    assert Environment(environ=environ).config_dir == "/Users/alice/Library/Application Support/atlctl"


def test_windows_config_roams_and_state_stays_on_the_machine(monkeypatch):
    from platformdirs.windows import Windows

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(platformdirs, "PlatformDirs", Windows)
    roaming, local = r"C:\Users\alice\AppData\Roaming", r"C:\Users\alice\AppData\Local"
    monkeypatch.setenv("WIN_PD_OVERRIDE_APPDATA", roaming)  # platformdirs' own override of the known folders
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", local)
    environ = {"XDG_STATE_HOME": "/not/on/windows"}
    assert journal_dir(environ) == os.path.join(local, "atlctl", "journals")
    assert Environment(environ=environ).config_dir == os.path.join(roaming, "atlctl")


@pytest.mark.parametrize("variable", ["ATLCTL_CONFIG_DIR", "ATLCTL_CONFIG"])
def test_atlctl_config_variables_win_on_every_platform(monkeypatch, variable):
    monkeypatch.setattr(sys, "platform", "darwin")
    value = "/etc/atlctl" if variable == "ATLCTL_CONFIG_DIR" else "/etc/atlctl/config.toml"
    assert Environment(environ={variable: value}).config_dir == "/etc/atlctl"


def test_the_journal_is_named_after_the_input_its_path_and_its_content(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("name\nA\n")
    environ = {"XDG_STATE_HOME": str(tmp_path / "state")}
    first = default_journal(environ, str(path))
    assert os.path.dirname(first) == journal_dir(environ) and os.path.basename(first).startswith("rows.csv-")
    assert default_journal(environ, str(path)) == first
    path.write_text("name\nB\n")
    changed = default_journal(environ, str(path))
    assert changed != first and changed.split("-")[:-1] == first.split("-")[:-1]  # same path, other content
    other = tmp_path / "other"
    other.mkdir()
    (other / "rows.csv").write_text("name\nB\n")
    assert default_journal(environ, str(other / "rows.csv")) != changed  # same name and content, other path


def test_platformdirs_is_not_imported_to_start_or_on_linux():
    code = ("import sys; from atlctl.environment import Environment; import atlctl.cli.main; "
            "Environment().config_dir; from atlctl.batch.actions import journal_dir; journal_dir({}); "
            "print('platformdirs' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, **_python_path()}).stdout
    assert out.strip() == ("True" if sys.platform in ("darwin", "win32") else "False")
