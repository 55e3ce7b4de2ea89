"""The sandbox and the client meet only over HTTP (DESIGN.md): the sandbox imports no client code."""

import subprocess
import sys

CLIENT_PACKAGES = ("atlctl.cli", "atlctl.auth", "atlctl.http", "atlctl.products", "atlctl.credentials", "atlctl.actions", "atlctl.batch")


def test_sandbox_imports_no_client_code():
    code = (
        "import sys, atlctl.sandbox.server, atlctl.sandbox.cli, atlctl.sandbox.app\n"
        "print('\\n'.join(sorted(m for m in sys.modules if m.startswith('atlctl.'))))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert "atlctl.sandbox.server" in loaded
    assert [m for m in loaded if m.startswith(CLIENT_PACKAGES)] == []


def test_importing_atlctl_does_not_load_the_server_stack():
    code = "import sys, atlctl\nprint(any(m.split('.')[0] in ('starlette', 'uvicorn') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
