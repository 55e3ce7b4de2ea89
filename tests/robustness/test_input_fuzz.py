"""Property-based local input (issue 9, "Done when"): random run scripts, CSV files, config files and
command lines end with a documented exit code and no traceback. Nothing is sent: scripts and CSV run
with --simulate, config files are checked offline, and any server named is a closed port."""

from __future__ import annotations

import os
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlctl.actions import parse
from atlctl.actions.registry import REGISTRY
from atlctl.errors import AtlctlError
from tests.helpers import run

DOCUMENTED = {0, 253, 254, 255}
NOWHERE = "http://127.0.0.1:1/jira"
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORDS = st.sampled_from(["--action", "getIssue", "createIssue", "--issue", "DEMO-1", "--summary", '"a b"', "'c'",
                         "--field", "x=y", "-p", "-", "--threads", "2", "\\", '"', "'", "#", "@entry@", "--common",
                         "--file", "--journal", "--columns", "1", "--output", "json", "=", "--", "-a", "run"])
LINE = st.lists(WORDS | st.text(max_size=12), max_size=10).map(" ".join)
FILES = tempfile.mkdtemp(prefix="atlctl-input-fuzz-")


def _file(name: str, data: bytes) -> str:
    path = os.path.join(FILES, name)
    with open(path, "wb") as handle:
        handle.write(data)
    return path


def _documented(outcome) -> None:
    assert "Traceback" not in outcome.text, outcome.text
    assert outcome.code in DOCUMENTED, f"exit {outcome.code}: {outcome.err}"


@SETTINGS
@given(lines=st.lists(LINE, max_size=6), encoding=st.sampled_from(["utf-8", "latin-1"]))
def test_random_run_scripts(lines, encoding):
    script = _file("script.txt", "\n".join(lines).encode(encoding, "replace"))
    _documented(run("jira", "run", "--server", NOWHERE, "--file", script, "--simulate", "--continue"))


@SETTINGS
@given(header=st.lists(st.sampled_from(["action", "issue", "summary", "project", "type", "x", ""]) | st.text(max_size=6),
                       max_size=5),
       rows=st.lists(st.lists(LINE, max_size=5), max_size=5), raw=st.binary(max_size=40))
def test_random_csv_files(header, rows, raw):
    text = "\n".join(",".join(cells) for cells in [header, *rows]).encode("utf-8", "surrogatepass") + raw
    csv_file = _file("rows.csv", text)
    _documented(run("jira", "runFromCsv", "--server", NOWHERE, "--file", csv_file, "--simulate", "--continue"))


TOML_PIECES = st.sampled_from([
    "[profiles.work]\n", "[defaults]\n", 'jira = "work"\n', 'product = "jira"\n', 'product = "nope"\n',
    'server = "https://jira.example.com"\n', "server = 42\n", 'user = "alice"\n', 'password = "env:PW"\n',
    'password = "file:/dev/zero"\n', 'token = "keyring"\n', "insecure = \"false\"\n", 'deployment = "moon"\n',
    'proxy = "::bad::"\n', "timeout = -1\n", "[profiles]\n", "=\n", "[[x]]\n", '"\\ud800" = 1\n', "\x00\n",
])


@SETTINGS
@given(pieces=st.lists(TOML_PIECES | st.text(max_size=10), max_size=10))
def test_random_config_files(pieces):
    config = _file("config.toml", "".join(pieces).encode("utf-8", "surrogatepass"))
    os.chmod(config, 0o600)
    _documented(run("auth", "status", "--offline", environ={"ATLCTL_CONFIG": config, "PW": "x"}))


@SETTINGS
@given(argv=st.lists(WORDS | st.text(max_size=8), max_size=30))
def test_random_command_lines_parse_or_fail_as_parameter_problems(argv):
    action = REGISTRY.find("jira", "updateIssue")
    try:
        parse.parse_params(action, argv)
    except AtlctlError as exc:
        assert exc.exit_code in DOCUMENTED
