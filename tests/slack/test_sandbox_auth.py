"""The sandbox's Web API authenticates as slack.com does (server-behaviour.md §6): a Bearer header
or a `token` POST argument, never a query-string token; scopes, token types, revoked tokens, tiers."""

import httpx
import pytest

from tests.slack.conftest import BOT, CI_BOT, LIMITED, REVOKED, USER


def post(slack, method, **kwargs):
    response = slack.sandbox.http.post(slack.api + method, **kwargs)
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    return response


def test_bearer_header_form_token_and_json_body(slack):
    assert post(slack, "auth.test", headers={"Authorization": f"Bearer {BOT}"}).json()["user_id"] == "U0BOT"
    assert post(slack, "auth.test", data={"token": USER}).json()["user_id"] == "U0ADMIN"
    answer = post(slack, "chat.postMessage", json={"channel": "C0GENERAL", "text": "json"},
                  headers={"Authorization": f"Bearer {BOT}"}).json()
    assert answer["ok"] and answer["message"]["bot_id"] == "B0BOT"
    # GET with the arguments in the query string, and a POST mixing query and body
    got = slack.sandbox.http.get(slack.api + "conversations.info?channel=C0GENERAL",
                                 headers={"Authorization": f"Bearer {BOT}"}).json()
    assert got["channel"]["name"] == "general"
    mixed = post(slack, "chat.postMessage?channel=C0RANDOM", data={"text": "mixed", "token": BOT}).json()
    assert mixed["channel"] == "C0RANDOM"


@pytest.mark.parametrize("how, error", [
    ({"params": {"token": BOT}}, "invalid_auth"),  # query strings: refused for apps created since 2021
    ({}, "not_authed"),
    ({"headers": {"Authorization": f"bearer {BOT}"}}, "not_authed"),  # the scheme is spelt exactly
    ({"headers": {"Authorization": "Bearer xoxb-nope"}}, "invalid_auth"),
    ({"headers": {"Authorization": f"Bearer {REVOKED}"}}, "token_revoked"),
])
def test_auth_failures_are_http_200_ok_false(slack, how, error):
    response = post(slack, "auth.test", **how)
    assert response.status_code == 200 and response.json() == {"ok": False, "error": error}


def test_scopes_headers_and_missing_scope(slack):
    ok = post(slack, "users.list", headers={"Authorization": f"Bearer {BOT}"})
    assert "users:read" in ok.headers["x-oauth-scopes"].split(",")
    assert ok.headers["x-accepted-oauth-scopes"] == "users:read"
    refused = post(slack, "users.list", headers={"Authorization": f"Bearer {LIMITED}"})
    assert refused.json() == {"ok": False, "error": "missing_scope", "needed": "users:read", "provided": "chat:write"}
    assert refused.headers["x-oauth-scopes"] == "chat:write"


def test_user_token_only_methods_refuse_bot_tokens(slack):
    assert slack.call("search.messages", BOT, query="x")["error"] == "not_allowed_token_type"
    assert slack.call("search.messages", USER, query="x")["ok"]


def test_control_api_adds_and_revokes_tokens(slack):
    slack.add_token(CI_BOT, "bot", ["chat:write", "channels:read"])
    assert slack.call("auth.test", CI_BOT)["bot_id"] == "B0BOT"
    httpx.post(slack.sandbox.url + "/_sandbox/slack/tokens/revoke", json={"token": CI_BOT}).raise_for_status()
    assert slack.call("auth.test", CI_BOT)["error"] == "token_revoked"
    assert httpx.post(slack.sandbox.url + "/_sandbox/slack/tokens", json={"type": "bot"}).status_code == 400


def test_rate_limit_tiers_answer_429_with_retry_after(slack):
    slack.settings(method_limits={"users.list": {"requests": 1, "interval_seconds": 30}})
    assert slack.call("users.list")["ok"]
    limited = slack.sandbox.http.post(slack.api + "users.list", headers={"Authorization": f"Bearer {BOT}"})
    assert limited.status_code == 429 and limited.json() == {"ok": False, "error": "ratelimited"}
    assert 1 <= int(limited.headers["retry-after"]) <= 30
    assert slack.call("users.info", user="U0ALICE")["ok"]  # per method
    assert slack.call("users.list", USER)["ok"]  # per token (Slack: per app)
    slack.settings(tier_limits={"special": {"requests": 1, "interval_seconds": 30}})
    assert slack.call("auth.test")["ok"]
    assert slack.sandbox.http.post(slack.api + "auth.test", headers={"Authorization": f"Bearer {BOT}"}).status_code == 429
    with pytest.raises(ValueError, match="tier_limits"):
        slack.settings(tier_limits={"9": None})


def test_the_core_rate_limit_answers_as_slack(slack):
    slack.sandbox.settings({"slack": {"rate_limit": {"requests": 1, "interval_seconds": 60}}})
    assert slack.call("auth.test")["ok"]
    limited = slack.sandbox.http.post(slack.api + "users.list", headers={"Authorization": f"Bearer {BOT}"})
    assert limited.status_code == 429 and limited.json()["error"] == "ratelimited" and limited.headers["retry-after"]


def test_unknown_method_and_paths(slack):
    assert slack.call("nope.nothing") == {"ok": False, "error": "unknown_method"}
    assert slack.sandbox.http.get(slack.base + "/elsewhere").status_code == 404


def test_channel_errors(slack):
    assert slack.call("conversations.history", channel="C0OPS")["error"] == "channel_not_found"  # private, not a member
    refused = slack.call("conversations.history", USER, channel="C0OPS")  # a member, without groups:history
    assert (refused["error"], refused["needed"]) == ("missing_scope", "groups:history")
    assert slack.call("conversations.info", USER, channel="C0OPS")["channel"]["is_private"]  # groups:read
    created = slack.call("conversations.create", USER, name="quiet")["channel"]
    assert slack.call("chat.postMessage", channel=created["id"], text="x")["error"] == "not_in_channel"
    assert slack.call("conversations.join", channel=created["id"])["ok"]
    assert slack.call("chat.postMessage", channel="quiet", text="x")["ok"]  # by name, once a member
    assert slack.call("conversations.create", USER, name="quiet")["error"] == "name_taken"
    assert slack.call("conversations.create", USER, name="Bad Name")["error"] == "invalid_name_specials"
    assert slack.call("users.info", user="U0NOBODY")["error"] == "user_not_found"
    assert slack.call("users.lookupByEmail", email="alice@example.com")["user"]["id"] == "U0ALICE"


def test_stats_count_token_requests(slack):
    slack.call("auth.test")
    slack.call("auth.test", None)
    assert slack.sandbox.stats()["products"]["slack"]["requests_by_auth"] == {
        "basic": 0, "session": 0, "bearer": 1, "anonymous": 1}


def test_content_and_revocations_persist_with_a_state_file(tmp_path):
    import warnings

    from starlette.exceptions import StarletteDeprecationWarning

    from atlctl.sandbox.app import create_app

    with warnings.catch_warnings():  # Starlette would rather drive its TestClient with httpx2; httpx works
        warnings.simplefilter("ignore", StarletteDeprecationWarning)
        from starlette.testclient import TestClient

    state = str(tmp_path / "state.sqlite")
    auth = {"Authorization": f"Bearer {BOT}"}
    app = create_app(state=state)
    with TestClient(app) as client:
        posted = client.post("/slack/api/chat.postMessage", data={"channel": "C0GENERAL", "text": "kept"}, headers=auth).json()
        client.post("/slack/api/reactions.add", data={"channel": "C0GENERAL", "timestamp": posted["ts"], "name": "ok"},
                    headers=auth)
        ticket = client.post("/slack/api/files.getUploadURLExternal", data={"filename": "a.txt", "length": 2}, headers=auth).json()
        client.post(ticket["upload_url"].split("testserver", 1)[1], content=b"hi")
        client.post("/_sandbox/slack/tokens", json={"token": CI_BOT, "type": "bot", "scopes": ["chat:write"]})
        client.post("/_sandbox/slack/tokens/revoke", json={"token": CI_BOT})
    app.close()
    app = create_app(state=state)
    with TestClient(app) as client:
        history = client.post("/slack/api/conversations.history", data={"channel": "C0GENERAL"}, headers=auth).json()
        assert [m["text"] for m in history["messages"]] == ["kept"] and history["messages"][0]["reactions"]
        done = client.post("/slack/api/files.completeUploadExternal", headers=auth,
                           data={"files": f'[{{"id": "{ticket["file_id"]}"}}]'}).json()
        assert done["files"][0]["size"] == 2
        again = client.post("/slack/api/chat.postMessage", data={"channel": "C0GENERAL", "text": "x"}, headers=auth).json()
        assert float(again["ts"]) > float(posted["ts"])
        assert client.post("/slack/api/auth.test", headers={"Authorization": f"Bearer {CI_BOT}"}).json()["error"] == "token_revoked"
        assert client.post("/slack/api/auth.test", headers={"Authorization": f"Bearer {REVOKED}"}).json()["error"] == "token_revoked"
    app.close()
