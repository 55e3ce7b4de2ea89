"""Slack's actions against the sandbox, in-process, and sendMessage found again after a crash."""

import json
import re

from tests.helpers import run
from tests.slack.conftest import BOT, USER


def slack_run(slack, *argv, token=BOT, **kwargs):
    return run("slack", *argv, *slack.server(), "--token", token, **kwargs)


def test_send_update_react_list_and_remove_messages(slack):
    sent = slack_run(slack, "sendMessage", "--channel", "#general", "--text", "first")
    assert sent.code == 0 and sent.out.startswith("Message sent to C0GENERAL with timestamp ")
    ts = sent.out.split("timestamp ")[1].rstrip(".\n")
    reply = slack_run(slack, "sendMessage", "--channel", "C0GENERAL", "--text", "a reply", "--thread", ts)
    assert reply.code == 0, reply.err
    assert slack_run(slack, "updateMessage", "--channel", "general", "--ts", ts, "--text", "first, edited").code == 0
    assert slack_run(slack, "addReaction", "--channel", "general", "--ts", ts, "--name", ":tada:").code == 0
    listed = slack_run(slack, "getMessageList", "--channel", "general", "--output", "json")
    messages = json.loads(listed.out)
    assert [m["text"] for m in messages] == ["first, edited"] and messages[0]["reactions"][0]["name"] == "tada"
    assert messages[0]["reply_count"] == 1
    removed = slack_run(slack, "removeMessage", "--channel", "general", "--ts", ts)
    assert removed.code == 0 and f"Message {ts} in C0GENERAL removed." in removed.out
    again = slack_run(slack, "removeMessage", "--channel", "general", "--ts", ts)
    assert again.code == 253 and "(message_not_found)" in again.err


def test_text_from_a_file(slack, tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("from a file\n")
    assert slack_run(slack, "sendMessage", "--channel", "random", "--file", str(path)).code == 0
    assert slack.call("conversations.history", channel="C0RANDOM")["messages"][0]["text"] == "from a file\n"
    marked = tmp_path / "marked.txt"
    marked.write_bytes(b"\xef\xbb\xbffrom Notepad")  # finding 10: the byte-order mark is no part of the text
    assert slack_run(slack, "sendMessage", "--channel", "random", "--file", str(marked)).code == 0
    assert slack.call("conversations.history", channel="C0RANDOM")["messages"][0]["text"] == "from Notepad"
    missing = slack_run(slack, "sendMessage", "--channel", "random")
    assert missing.code == 254 and "parameter: text" in missing.err


def test_text_from_standard_input(slack):
    sent = slack_run(slack, "sendMessage", "--channel", "random", "--file", "-", stdin="piped in\n")
    assert sent.code == 0, sent.err
    assert slack.call("conversations.history", channel="C0RANDOM")["messages"][0]["text"] == "piped in\n"
    ts = sent.out.split("timestamp ")[1].rstrip(".\n")
    updated = slack_run(slack, "updateMessage", "--channel", "random", "--ts", ts, "--file", "-", stdin="edited")
    assert updated.code == 0, updated.err
    assert slack.call("conversations.history", channel="C0RANDOM")["messages"][0]["text"] == "edited"
    both = run("slack", "sendMessage", *slack.server(), "--token", "-", "--channel", "random", "--file", "-",
               stdin=BOT + "\n")
    assert both.code == 254 and "--file - and --token - both ask for it" in both.err


def test_a_text_over_slack_s_limit_is_explained(slack, tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("x" * 50_000)
    outcome = slack_run(slack, "sendMessage", "--channel", "random", "--file", str(path))
    assert outcome.code == 253
    assert "(msg_too_long): the message text is longer than Slack's limit of 40,000 characters" in outcome.err
    assert "addAttachment" in outcome.err


def test_channels(slack):
    listed = slack_run(slack, "getChannelList", "--output", "csv", "--columns", "Name,Private")
    assert listed.code == 0 and listed.out.splitlines() == ["Name,Private", "general,false", "random,false"]
    created = slack_run(slack, "addChannel", "--channel", "release-1", token=USER)
    assert created.code == 0 and "Channel #release-1 created with id C" in created.out
    joined = slack_run(slack, "joinChannel", "--channel", "release-1")
    assert joined.code == 0 and joined.out.startswith("Joined channel #release-1")
    assert slack_run(slack, "joinChannel", "--channel", "release-1").out.startswith("Already in channel")
    shown = slack_run(slack, "getChannel", "--channel", "release-1")
    assert "Members . . . . . . . : 2" in shown.out
    unknown = slack_run(slack, "getChannel", "--channel", "ops")  # private: the bot does not see it
    assert unknown.code == 254 and "Channel ops not found" in unknown.err
    private = slack_run(slack, "getChannel", "--channel", "C0OPS")
    assert private.code == 253 and "(channel_not_found)" in private.err and "/invite" in private.err


def test_users(slack):
    listed = slack_run(slack, "getUserList", "--output", "csv", "--columns", "Id,Name,Email")
    assert listed.out.splitlines() == ["Id,Name,Email", "U0ADMIN,admin,admin@example.com",
                                           "U0ALICE,alice,alice@example.com", "U0BOT,sandboxbot,"]
    for given in ("U0ALICE", "alice", "alice@example.com"):
        found = slack_run(slack, "getUser", "--userId", given)
        assert found.code == 0 and "Id  . . . . . . . . . : U0ALICE" in found.out
    nobody = slack_run(slack, "getUser", "--userId", "nobody@example.com")
    assert nobody.code == 253 and "(users_not_found)" in nobody.err


def test_add_attachment_is_files_upload_v2(slack, tmp_path):
    path = tmp_path / "build.log"
    path.write_bytes(b"all green\n")
    done = slack_run(slack, "addAttachment", "--channel", "general", "--file", str(path), "--comment", "the log")
    assert done.code == 0 and "File 'build.log' uploaded with id F" in done.out and "shared in C0GENERAL" in done.out
    shared = slack.call("conversations.history", channel="C0GENERAL")["messages"][0]
    assert shared["text"] == "the log" and shared["files"][0]["size"] == 10
    assert slack_run(slack, "addAttachment", "--channel", "general").code == 254


def test_add_attachment_from_standard_input_takes_its_name(slack):
    """Review finding 10: `--file -` is standard input for every file-input action, so for addAttachment
    too, as in Jira; it has no file name, so --name gives it."""
    done = slack_run(slack, "addAttachment", "--channel", "general", "--file", "-", "--name", "piped.log",
                     stdin="from a pipe\n")
    assert done.code == 0 and "File 'piped.log' uploaded with id F" in done.out, done.err
    shared = slack.call("conversations.history", channel="C0GENERAL")["messages"][0]
    assert shared["files"][0]["size"] == len("from a pipe\n")
    nameless = slack_run(slack, "addAttachment", "--channel", "general", "--file", "-", stdin="data\n")
    assert (nameless.code, nameless.err) == (254, "--file - (standard input) has no file name: give the "
                                                  "attachment's --name.\n")


def test_the_upload_url_is_masked_in_debug(slack, tmp_path):
    """Finding 12: the upload URL is the credential (whoever holds it may upload, no token needed):
    --debug shows where it goes, never its secret part, in the answer that gives it and in the
    requests to it."""
    path = tmp_path / "build.log"
    path.write_bytes(b"all green\n")
    done = slack_run(slack, "addAttachment", "--channel", "general", "--file", str(path), "--debug")
    assert done.code == 0, done.err
    shown = re.findall(r"/upload/v1/([^\s\")]*)", done.err)
    assert len(shown) >= 3 and set(shown) == {"****"}, done.err  # the answer, the request, its response
    assert '"upload_url": "' + slack.base + '/upload/v1/****"' in done.err


def test_search_messages(slack):
    slack_run(slack, "sendMessage", "--channel", "general", "--text", "needle in general")
    found = slack_run(slack, "searchMessages", "--query", "needle", "--output", "csv", "--columns", "Channel,Text",
                      token=USER)
    assert found.code == 0 and found.out.splitlines() == ["Channel,Text", "general,needle in general"]


def test_a_send_the_server_did_is_found_not_repeated(slack, tmp_path):
    """The connection drops after chat.postMessage was sent: on --resume the row's message is found in
    the channel's history, so it is not posted twice."""
    slack_run(slack, "sendMessage", "--channel", "general", "--text", "lost b")  # before the run: not ours
    path = tmp_path / "rows.csv"
    path.write_text("text\nlost a\nlost b\nlost c\n")
    slack.settings(faults=[{"path": "/api/chat.postMessage", "kind": "drop", "count": 1}])
    script = ["runFromCsv", "--file", str(path), "--common", "--action sendMessage --channel general"]
    first = slack_run(slack, *script)
    assert first.code == 255 and "connection was lost after sending POST" in first.err  # a POST is not resent
    # as if the server had posted row 1 and only its answer was lost
    slack.call("chat.postMessage", channel="C0GENERAL", text="lost a")
    resumed = slack_run(slack, *script, "--resume")
    assert resumed.code == 0, resumed.err
    assert "(found after the interruption, not sent again)" in resumed.out
    texts = [m["text"] for m in slack.call("conversations.history", channel="C0GENERAL")["messages"]]
    assert sorted(texts) == ["lost a", "lost b", "lost b", "lost c"]


def test_a_script_creates_a_channel_posts_and_replies_with_variables(slack, tmp_path):
    script = tmp_path / "release.txt"
    script.write_text("# one connection for the whole script\n"
                      "--action addChannel --channel release-2\n"
                      "--action sendMessage --channel release-2 --text \"Release 2 is out\"\n"
                      "--action sendMessage --channel @channelId@ --thread @ts@ --text \"Notes follow\"\n"
                      "--action addReaction --channel release-2 --ts @ts@ --name eyes\n")
    outcome = slack_run(slack, "run", "--file", str(script), token=USER)
    assert outcome.code == 0, outcome.err
    created = slack.call("conversations.list", USER, types="public_channel")["channels"][-1]
    history = slack.call("conversations.history", USER, channel=created["id"])["messages"]
    assert [m["text"] for m in history] == ["Release 2 is out"] and history[0]["reply_count"] == 1
