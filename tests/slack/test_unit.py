"""Slack's declarations without a server: the rows choose() returns, the dialect's explanations."""

import io

import httpx
import pytest

from atlctl.auth.select import choose, row_for
from atlctl.console import Console
from atlctl.credentials.resolve import Credentials
from atlctl.environment import Environment
from atlctl.errors import ParameterError, RemoteError
from atlctl.http.connection import Connection, Pool
from atlctl.products import registry
from atlctl.products.slack.client import SlackClient

SLACK = registry.product("slack")


@pytest.mark.parametrize("index", range(len(SLACK.rows)))
def test_each_row_is_the_one_choose_returns(index):
    row = SLACK.rows[index]
    for requested in row.auth:
        assert row_for(SLACK.rows, "cloud", row.example_credentials, requested) is row
    if row.scheme is None:
        with pytest.raises(ParameterError):
            choose(SLACK, "cloud", None, row.example_credentials)
    else:
        assert choose(SLACK, "cloud", None, Credentials(token="xoxb-1")).scheme == "token"


def answer(body: dict, token: str | None = "xoxb-1", method: str = "users.list") -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = httpx.Request("POST", f"https://slack.com/api/{method}", headers=headers)
    return httpx.Response(200, json=body, request=request)


@pytest.mark.parametrize("body, token, words", [
    ({"ok": False, "error": "not_authed"}, None, "no token reached Slack"),
    ({"ok": False, "error": "invalid_auth"}, "xoxb-1", "the token is not valid"),
    ({"ok": False, "error": "invalid_auth"}, "abc", "does not look like a Slack token"),
    ({"ok": False, "error": "invalid_auth"}, "xapp-1-A", "that is an app-level token"),
    ({"ok": False, "error": "token_revoked"}, "xoxb-1", "Reinstall the app"),
    ({"ok": False, "error": "missing_scope", "needed": "users:read", "provided": "chat:write"}, "xoxp-1",
     "Add users:read to the app's User Token Scopes"),
    ({"ok": False, "error": "not_allowed_token_type"}, "xoxb-1", "does not accept a bot token"),
    ({"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": ["[ERROR] missing required field: x"]}},
     "xoxb-1", "(invalid_arguments): [ERROR] missing required field: x"),
])
def test_ok_false_is_explained(body, token, words):
    response = answer(body, token)
    error = SLACK.body_error(response, response.json())
    assert isinstance(error, RemoteError) and words in str(error) and error.exit_code == 253
    assert str(error).startswith("Slack refused users.list (")


def test_ok_true_is_no_error():
    response = answer({"ok": True})
    assert SLACK.body_error(response, response.json()) is None
    assert SLACK.body_error(response, ["not", "a", "dict"]) is None


def test_auth_test_answers_that_are_not_json_are_explained():
    """auth.test is read by hand (its scopes are in a header): it decodes as every answer does."""
    def serve(request):
        return httpx.Response(200, content=b"not json at all", headers={"Content-Type": "text/plain"})

    env = Environment(stdin=io.StringIO(), stdout=io.StringIO(), stderr=io.StringIO(), environ={})
    pool = Pool("http://127.0.0.1:9/slack", Console(env), SLACK)
    pool.client = httpx.Client(transport=httpx.MockTransport(serve), base_url="http://127.0.0.1:9")
    with pytest.raises(RemoteError, match="answered auth.test with text/plain, not JSON"):
        SlackClient(Connection(pool)).auth_test()
