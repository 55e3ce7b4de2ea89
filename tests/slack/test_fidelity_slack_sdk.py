"""slack_sdk's WebClient, unchanged, against the sandbox: base_url=<sandbox>/slack/api/."""

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from tests.slack.conftest import BOT, LIMITED, REVOKED, USER


def client(slack, token=BOT, **kwargs) -> WebClient:
    return WebClient(token=token, base_url=slack.api, **kwargs)


def test_auth_test(slack):
    bot = client(slack).auth_test()
    assert (bot["team_id"], bot["user_id"], bot["bot_id"], bot["team"]) == ("T0SANDBOX", "U0BOT", "B0BOT", "Sandbox")
    assert "chat:write" in bot.headers["x-oauth-scopes"]
    user = client(slack, USER).auth_test()
    assert user["user"] == "admin" and "bot_id" not in user.data


def test_chat_post_message_and_history(slack):
    web = client(slack)
    first = web.chat_postMessage(channel="#general", text="hello from slack_sdk")
    assert first["channel"] == "C0GENERAL" and first["message"]["text"] == "hello from slack_sdk"
    reply = web.chat_postMessage(channel="C0GENERAL", text="in thread", thread_ts=first["ts"])
    assert reply["message"]["thread_ts"] == first["ts"]
    web.chat_postMessage(channel="C0GENERAL", text="second")
    history = web.conversations_history(channel="C0GENERAL")
    assert [m["text"] for m in history["messages"]] == ["second", "hello from slack_sdk"]  # newest first, no replies
    assert history["messages"][1]["reply_count"] == 1
    pages = [page["messages"] for page in web.conversations_history(channel="C0GENERAL", limit=1)]
    assert [len(p) for p in pages] == [1, 1]
    web.chat_update(channel="C0GENERAL", ts=first["ts"], text="edited")
    web.reactions_add(channel="C0GENERAL", timestamp=first["ts"], name="thumbsup")
    web.chat_delete(channel="C0GENERAL", ts=reply["ts"])
    assert web.conversations_replies(channel="C0GENERAL", ts=first["ts"])["messages"][0]["text"] == "edited"


def test_conversations_list_with_paging(slack):
    web = client(slack, USER)
    names, cursors = [], []
    for page in web.conversations_list(types="public_channel,private_channel", limit=1):  # one object, turned over
        names += [c["name"] for c in page["channels"]]
        cursors.append(page["response_metadata"]["next_cursor"])
    assert names == ["general", "random", "ops"] and cursors[-1] == "" and all(cursors[:-1])
    bot = [c["name"] for page in client(slack).conversations_list(types="public_channel,private_channel", limit=2)
           for c in page["channels"]]
    assert bot == ["general", "random"]  # #ops is admin only


def test_users_list_info_and_lookup(slack):
    web = client(slack)
    members = [m for page in web.users_list(limit=2) for m in page["members"]]
    assert {m["id"] for m in members} == {"U0ADMIN", "U0ALICE", "U0BOT"}
    admin = next(m for m in members if m["id"] == "U0ADMIN")
    assert admin["is_admin"] and admin["profile"]["email"] == "admin@example.com"
    assert web.users_info(user="U0ALICE")["user"]["name"] == "alice"
    assert web.users_lookupByEmail(email="alice@example.com")["user"]["id"] == "U0ALICE"


def test_files_upload_v2(slack):
    web = client(slack)
    done = web.files_upload_v2(channel="C0GENERAL", content="report body", filename="report.txt", title="Report",
                               initial_comment="the report")
    assert done["file"]["name"] == "report.txt" and done["file"]["title"] == "Report" and done["file"]["size"] == 11
    shared = web.conversations_history(channel="C0GENERAL")["messages"][0]
    assert shared["text"] == "the report" and shared["files"][0]["id"] == done["file"]["id"]


def test_search_messages_with_a_user_token(slack):
    client(slack).chat_postMessage(channel="C0GENERAL", text="deploy finished")
    found = client(slack, USER).search_messages(query="deploy")
    assert found["messages"]["total"] == 1 and found["messages"]["matches"][0]["channel"]["name"] == "general"


@pytest.mark.parametrize("token, call, error, fields", [
    (None, lambda w: w.auth_test(), "not_authed", {}),
    ("xoxb-not-a-real-token", lambda w: w.auth_test(), "invalid_auth", {}),
    (REVOKED, lambda w: w.auth_test(), "token_revoked", {}),
    (LIMITED, lambda w: w.users_list(), "missing_scope", {"needed": "users:read", "provided": "chat:write"}),
    (BOT, lambda w: w.search_messages(query="x"), "not_allowed_token_type", {}),
    (BOT, lambda w: w.chat_postMessage(channel="C0NOWHERE", text="x"), "channel_not_found", {}),
    (BOT, lambda w: w.conversations_history(channel="C0OPS"), "channel_not_found", {}),
])
def test_slack_api_errors(slack, token, call, error, fields):
    with pytest.raises(SlackApiError) as raised:
        call(client(slack, token))
    assert raised.value.response.status_code == 200 and raised.value.response["error"] == error
    for name, value in fields.items():
        assert raised.value.response[name] == value


def test_not_in_channel(slack):
    channel = client(slack, USER).conversations_create(name="private-talk")["channel"]["id"]
    with pytest.raises(SlackApiError) as raised:
        client(slack).chat_postMessage(channel=channel, text="x")
    assert raised.value.response["error"] == "not_in_channel"


def test_ratelimited_429_and_the_retry_handler(slack):
    slack.settings(method_limits={"auth.test": {"requests": 1, "interval_seconds": 1}})
    client(slack).auth_test()
    with pytest.raises(SlackApiError) as raised:
        client(slack).auth_test()
    assert raised.value.response.status_code == 429 and raised.value.response["error"] == "ratelimited"
    assert raised.value.response.headers["retry-after"] in ("1", ["1"])  # a list from the sync client
    # the opt-in handler waits as Retry-After asks (1 s here) and tries again
    patient = client(slack, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)])
    assert patient.auth_test()["ok"]
