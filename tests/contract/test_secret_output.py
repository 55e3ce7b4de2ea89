"""Actions that print a secret (a session, an access token) print it to standard output only: atlctl
writes secrets to no file but the secret store, so `--file` is refused before anything is sent (it
used to be ignored with --output json: the token went to the terminal, the file was never written)."""

import pytest

from atlctl.actions.registry import REGISTRY
from atlctl.products import registry as products
from tests.helpers import run


def test_every_login_and_add_access_token_action_is_marked():
    marked = {(name, action.name) for name in products.names() for action in REGISTRY.product(name).values()
              if action.name in ("login", "addAccessToken")}
    assert marked and all(REGISTRY.product(name)[action.lower()].secret_output for name, action in marked)


@pytest.mark.parametrize("output", ["text", "json"])
def test_file_with_a_secret_printing_action_is_refused_before_anything_is_sent(sandbox, tmp_path, output):
    dc = ("--server", sandbox.jira, "--user", "admin", "--password", "admin")
    before = run("jira", "getAccessTokenList", *dc, "--output", "json").out
    target = tmp_path / "token.json"
    refused = run("jira", "addAccessToken", *dc, "--name", "kept", "--output", output, "--file", str(target))
    assert refused.code == 254 and "standard output only" in refused.err, refused.err
    assert not target.exists() and run("jira", "getAccessTokenList", *dc, "--output", "json").out == before
    login = run("jira", "login", *dc, "--file", str(target))
    assert login.code == 254 and not target.exists()
