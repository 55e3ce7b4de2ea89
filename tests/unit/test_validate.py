"""The response-validation step every product's decoders use: an answer that is not what the call
declared is a remote error (253) naming what came back, never a KeyError or TypeError later."""

import httpx
import pytest

from atlctl.errors import RemoteError
from atlctl.http import validate
from tests.unit.test_connection import connection

ISSUE = {"id": (str, int), "key": str}


@pytest.mark.parametrize("data,expect", [
    ({"id": "1", "key": "A-1", "more": None}, ISSUE),
    ({"id": 1, "key": "A-1"}, ISSUE),
    ([{"a": 1}, {}], [dict]),
    ({"issues": []}, {"issues": [dict]}),
    ("anything", None),
])
def test_answers_as_declared_pass(data, expect):
    assert validate.check(data, expect, "GET /x") is data


@pytest.mark.parametrize("data,expect,words", [
    ([], ISSUE, "a list where an object was expected"),
    ("text", dict, "text where an object was expected"),
    (None, [dict], "null where a list was expected"),
    (42, ISSUE, "a number where an object was expected"),
    ({"id": "1"}, ISSUE, "no 'key'"),
    ({"id": True, "key": "A-1"}, ISSUE, "true or false in 'id' where text or a number was expected"),
    ({"issues": [{}, 3]}, {"issues": [dict]}, "a number at item 2 in 'issues' where an object was expected"),
    ({"issues": None}, {"issues": [dict]}, "null in 'issues' where a list was expected"),
])
def test_anything_else_is_a_remote_error_saying_what_came_back(data, expect, words):
    with pytest.raises(RemoteError) as caught:
        validate.check(data, expect, "https://jira.example.com answered GET /x")
    assert words in str(caught.value) and caught.value.exit_code == 253
    assert str(caught.value).startswith("https://jira.example.com answered GET /x with an unexpected answer")


@pytest.mark.parametrize("body", [b"[]", b'"str"', b"null", b"42", b'{"id": "1"}'])
def test_connection_json_validates_the_decoded_answer(body):
    conn = connection(lambda request: httpx.Response(200, content=body, headers={"Content-Type": "application/json"}))
    with pytest.raises(RemoteError, match="unexpected answer"):
        conn.get_json("/rest/api/2/issue/A-1", expect=ISSUE)


def test_a_dialect_can_call_a_successful_answer_an_error():
    """Slack answers errors as HTTP 200 {"ok": false}: the product's dialect says so."""
    from atlctl.http.dialect import Dialect

    class OkFalse(Dialect):
        def body_error(self, response, data):
            if isinstance(data, dict) and data.get("ok") is False:
                return RemoteError(f"The server said: {data.get('error')}")
            return None

    conn = connection(lambda request: httpx.Response(200, json={"ok": False, "error": "invalid_auth"}))
    conn.dialect = OkFalse()
    with pytest.raises(RemoteError, match="invalid_auth"):
        conn.get_json("/api/auth.test")
