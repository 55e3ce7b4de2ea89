"""Secret sources: how the config names them (one grammar), and reading each kind."""

import os
import sys

import pytest

from atlctl.credentials import sources
from atlctl.credentials.sources import Source, SourceError, expand, parse
from atlctl.errors import ClientError
from tests.helpers import secret

PAT = secret("src-PAT-9f8e7d6c5b4a")

GRAMMAR = [
    ("keyring", Source("keyring", "myjira")),
    ("keyring:team.token", Source("keyring", "team.token")),
    ("${secret:team.token}", Source("keyring", "team.token")),  # ACLI's spelling
    ("insecure-storage", Source("insecure-storage", "myjira")),
    ("insecure-storage:other", Source("insecure-storage", "other")),
    ("env:JIRA_PAT", Source("env", "JIRA_PAT")),
    ("${env:JIRA_PAT}", Source("env", "JIRA_PAT")),
    ("file:~/.jira-token", Source("file", "~/.jira-token")),
    ("command:pass show jira", Source("command", "pass show jira")),
    ("hunter2", Source("plaintext", "hunter2")),  # a secret typed into the config by hand
    ("envy:x", Source("plaintext", "envy:x")),
]


@pytest.mark.parametrize("spec,source", GRAMMAR)
def test_grammar(spec, source):
    assert parse(spec, "myjira") == source


@pytest.mark.parametrize("spec", ["env:", "file: ", "command:"])
def test_a_source_must_name_something(spec):
    with pytest.raises(ClientError, match="names no"):
        parse(spec, "myjira")


def test_spec_leaves_out_the_profiles_own_entry():
    assert Source("keyring", "myjira").spec("myjira") == "keyring"
    assert Source("keyring", "team.token").spec("myjira") == "keyring:team.token"
    assert Source("insecure-storage", "myjira").spec("myjira") == "insecure-storage"


def test_env_source(home):
    source = parse("env:JIRA_PAT", "p")
    assert source.read(home.env({"JIRA_PAT": PAT}), print) == PAT
    assert source.read(home.env(), print) is None  # unset: no secret, not an error
    assert source.describe(home.env()) == "environment variable JIRA_PAT"


def test_file_source_reads_the_first_line_and_warns_about_loose_permissions(home, tmp_path):
    path = tmp_path / "token"
    path.write_text(PAT + "\nnotes the user keeps\n")
    os.chmod(path, 0o600)
    warnings = []
    assert parse(f"file:{path}", "p").read(home.env(), warnings.append) == PAT
    assert warnings == []
    os.chmod(path, 0o644)
    assert parse(f"file:{path}", "p").read(home.env(), warnings.append) == PAT
    assert warnings == [f"Warning: secret file {path} is accessible by other users (mode 644): run chmod 600 {path}"]


def test_missing_file(home, tmp_path):
    with pytest.raises(SourceError, match="Cannot read the secret file .*nothing: No such file"):
        parse(f"file:{tmp_path}/nothing", "p").read(home.env(), print)


def test_command_source(home):
    command = f"{sys.executable} -c \"import os; print(os.environ['PAT']); print('more')\""
    assert parse(f"command:{command}", "p").read(home.env({"PAT": PAT}), print) == PAT


def test_failing_command_says_why_without_its_output(home):
    command = f"{sys.executable} -c \"import os, sys; print(os.environ['PAT']); sys.exit('no such entry')\""
    with pytest.raises(SourceError) as failure:
        parse(f"command:{command}", "p").read(home.env({"PAT": PAT}), print)
    assert "failed with exit code 1: no such entry" in str(failure.value)
    assert PAT not in str(failure.value)


def test_missing_command(home):
    with pytest.raises(SourceError, match="Secret command not found"):
        parse("command:/no/such/helper", "p").read(home.env(), print)


def test_a_file_that_is_not_utf8_is_a_clear_error(home, tmp_path):
    path = tmp_path / "token"
    path.write_bytes(b"\xff\xfe" + PAT.encode())
    os.chmod(path, 0o600)
    with pytest.raises(SourceError) as failure:
        parse(f"file:{path}", "p").read(home.env(), print)
    assert str(failure.value) == f"The secret file {path} is not UTF-8 text." and PAT not in str(failure.value)


def test_a_byte_order_mark_is_not_part_of_the_secret(home, tmp_path):
    path = tmp_path / "token"
    path.write_text(PAT + "\r\n", encoding="utf-8-sig")  # as Windows PowerShell writes UTF-8
    os.chmod(path, 0o600)
    assert parse(f"file:{path}", "p").read(home.env(), print) == PAT


def test_a_command_that_is_not_executable_is_a_clear_error(home, tmp_path):
    helper = tmp_path / "helper"
    helper.write_text("#!/bin/sh\necho secret\n")
    os.chmod(helper, 0o644)
    with pytest.raises(SourceError, match=f"^Cannot run the secret command `{helper}`: Permission denied.$"):
        parse(f"command:{helper}", "p").read(home.env(), print)


def test_a_command_printing_something_that_is_not_utf8_is_a_clear_error(home):
    command = f"{sys.executable} -c \"import sys; sys.stdout.buffer.write(bytes([255]) + b'{PAT}')\""
    with pytest.raises(SourceError) as failure:
        parse(f"command:{command}", "p").read(home.env(), print)
    assert str(failure.value) == f"The secret command `{command}` printed something that is not UTF-8 text."


def test_store_and_delete_in_both_stores(home):
    env = home.env()
    for kind in sources.STORES:
        source = Source(kind, "p")
        source.store(env, PAT)
        assert source.read(env, print) == PAT
        assert source.delete(env) is True
        assert source.read(env, print) is None


def test_expand_references_in_config_values(home):
    env = home.env({"JIRA_HOST": "jira.example.com"})
    Source("keyring", "site").store(env, "example")
    assert expand("https://${env:JIRA_HOST}/${secret:site}", env, "server") == "https://jira.example.com/example"
    with pytest.raises(SourceError, match="Profile x: server refers to environment variable NOPE, which is not set"):
        expand("${env:NOPE}", env, "Profile x: server")
