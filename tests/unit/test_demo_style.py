"""Issue 16: the demos style their headings only where wanted: NO_COLOR, FORCE_COLOR, not a terminal."""

import os
import pty
import subprocess
from pathlib import Path

STYLE = Path(__file__).resolve().parents[2] / "examples" / "style.sh"


def heading(environ=None, tty=False) -> bytes:
    env = {"PATH": os.environ.get("PATH", ""), **(environ or {})}
    command = ["bash", "--norc", "--noprofile", "-c", f'source "{STYLE}"; step "Hello"']
    if not tty:
        return subprocess.run(command, capture_output=True, env=env, timeout=30).stdout
    parent, child = pty.openpty()
    proc = subprocess.run(command, stdout=child, stderr=subprocess.DEVNULL, env=env, timeout=30)
    os.close(child)
    assert proc.returncode == 0
    return os.read(parent, 4096)


def test_plain_when_not_a_terminal_or_no_color():
    assert heading() == b"\n== Hello\n"
    assert heading({"NO_COLOR": "1"}, tty=True).replace(b"\r", b"") == b"\n== Hello\n"
    assert b"\x1b" not in heading({"NO_COLOR": "1", "FORCE_COLOR": "1"})


def test_bold_on_a_terminal_or_forced():
    assert b"\x1b[1m== Hello\x1b[0m" in heading(tty=True)
    assert heading({"FORCE_COLOR": "1"}) == b"\n\x1b[1m== Hello\x1b[0m\n"
    assert b"\x1b" not in heading({"FORCE_COLOR": "0"})
