"""Slack actions. ACLI's own Slack client is not documented anywhere we could find, so these names
are atlctl's, following ACLI's verb+noun convention (getServerInfo, sendMessage, getChannelList...);
parameters use Slack's own words where ACLI has none (ts, thread)."""

from __future__ import annotations

from atlctl.credentials.resolve import clean_secret
from atlctl.errors import ParameterError
from atlctl.files import upload_input
from atlctl.products.base import ActionSet, Param, Result
from atlctl.products.slack.product import USER_TOKEN_ENV, USER_TOKEN_KEY, token_type
from atlctl.products.slack.recovery import SentMessage, message_text
from atlctl.values import positive

ACTIONS = ActionSet("slack")
action = ACTIONS.action
CHANNEL = Param("channel", "Channel name (general or #general) or id (C0123ABCD).", required=True)
TS = Param("ts", "The message's timestamp (its id), as sendMessage or getMessageList shows it.", required=True)
LIMIT = Param("limit", "At most this many entries.", metavar="N")
MESSAGE_COLUMNS = ["Ts", "User", "Text", "Thread", "Replies"]
CHANNEL_COLUMNS = ["Id", "Name", "Private", "Member", "Members", "Purpose"]
USER_COLUMNS = ["Id", "Name", "Real name", "Email", "Admin", "Bot", "Deleted"]


def _limit(call) -> int | None:
    return positive(call["limit"], "limit")


def _channel_record(channel: dict) -> list:
    return [("Id", channel.get("id")), ("Name", channel.get("name")), ("Private", channel.get("is_private")),
            ("Member", channel.get("is_member")), ("Members", channel.get("num_members")),
            ("Archived", channel.get("is_archived")), ("Topic", (channel.get("topic") or {}).get("value")),
            ("Purpose", (channel.get("purpose") or {}).get("value")), ("Created", channel.get("created"))]


def _channel_row(channel: dict) -> dict:
    return dict(_channel_record(channel))


# -- server and users --------------------------------------------------------------------------

@action("getServerInfo", "Check the token with auth.test: the workspace, the token's user or bot, and its scopes.",
        example="atlctl slack getServerInfo --token xoxb-...", reads=True)
def get_server_info(call):
    me, scopes = call.client.auth_test()
    kind = "bot" if me.get("bot_id") else "user"
    record = [("Product", "Slack"), ("Workspace", me.get("team")), ("Team id", me.get("team_id")),
              ("URL", me.get("url")), ("User", me.get("user")), ("User id", me.get("user_id")),
              ("Bot id", me.get("bot_id")), ("Token type", kind), ("Scopes", ",".join(scopes))]
    return Result(f"Slack workspace: {me.get('team')} ({me.get('team_id')}), {kind} {me.get('user')}, url: {me.get('url')}",
                  data={**me, "scopes": scopes}, record=record)


def _user_row(user: dict) -> dict:
    profile = user.get("profile") or {}
    return {"Id": user.get("id"), "Name": user.get("name"), "Real name": user.get("real_name") or profile.get("real_name"),
            "Email": profile.get("email"), "Admin": user.get("is_admin"), "Bot": user.get("is_bot"),
            "Deleted": user.get("deleted")}


@action("getCurrentUser", "Show the user (or bot user) the token belongs to.", reads=True)
def get_current_user(call):
    user = call.client.user(call.client.me()["user_id"])
    return Result(data=user, record=list(_user_row(user).items()), variables={"userId": user["id"]})


@action("getUser", "Show a user, by id, email address or name.",
        Param("userId", "User id (U0123ABCD), email address or user name.", required=True), reads=True)
def get_user(call):
    user = call.client.user(call["userId"])
    return Result(data=user, record=list(_user_row(user).items()), variables={"userId": user["id"]})


@action("getUserList", "List the workspace's users.", LIMIT, reads=True)
def get_user_list(call):
    users = call.client.users(_limit(call))
    return Result(data=users, rows=[_user_row(u) for u in users], columns=USER_COLUMNS, noun="users")


# -- channels ----------------------------------------------------------------------------------

@action("getChannelList", "List the channels the token can see (public ones, and the private ones it is in).",
        Param("publicOnly", "Public channels only (needs channels:read alone).", flag=True), LIMIT, reads=True)
def get_channel_list(call):
    channels = call.client.channels(private=not call["publicOnly"], limit=_limit(call))
    return Result(data=channels, rows=[_channel_row(c) for c in channels], columns=CHANNEL_COLUMNS, noun="channels")


@action("getChannel", "Show a channel.", CHANNEL, reads=True)
def get_channel(call):
    channel = call.client.channel(call.client.channel_id(call["channel"]))
    return Result(data=channel, record=_channel_record(channel), variables={"channelId": channel["id"]})


@action("addChannel", "Create a channel (lower-case letters, digits, - and _).",
        Param("channel", "Name of the new channel.", required=True), Param("private", "Make it private.", flag=True),
        example="atlctl slack addChannel --channel release-2026")
def add_channel(call):
    channel = call.client.create_channel(call["channel"].lstrip("#"), bool(call["private"]))
    return Result(f"Channel #{channel['name']} created with id {channel['id']}.", data=channel,
                  variables={"channel": channel["name"], "channelId": channel["id"]})


@action("joinChannel", "Join a public channel with the token's user or bot.", CHANNEL)
def join_channel(call):
    channel_id = call.client.channel_id(call["channel"])
    answer = call.client.join(channel_id)
    already = answer.get("warning") == "already_in_channel"
    return Result(f"{'Already in' if already else 'Joined'} channel #{answer['channel']['name']} ({channel_id}).",
                  data=answer, variables={"channelId": channel_id})


# -- messages ----------------------------------------------------------------------------------

TEXT = Param("text", "Message text (Slack mrkdwn), or the content of --file.")


@action("sendMessage", "Post a message to a channel, or to a thread with --thread.", CHANNEL, TEXT,
        Param("thread", "Reply in the thread of this message (its ts).", metavar="TS"),
        example='atlctl slack sendMessage --channel general --text "Deploy done"', file_input=True, finder=SentMessage)
def send_message(call):
    text = message_text(call)
    client = call.client
    sent = client.post(client.channel_id(call["channel"]), text, call["thread"])
    return Result(f"Message sent to {sent['channel']} with timestamp {sent['ts']}.", data=sent,
                  variables={"ts": sent["ts"], "channel": sent["channel"]})


@action("updateMessage", "Change the text of a message the token's user or bot posted.", CHANNEL, TS, TEXT,
        file_input=True)
def update_message(call):
    text = message_text(call)
    client = call.client
    done = client.update(client.channel_id(call["channel"]), call["ts"], text)
    return Result(f"Message {done['ts']} in {done['channel']} updated.", data=done,
                  variables={"ts": done["ts"], "channel": done["channel"]})


@action("removeMessage", "Delete a message.", CHANNEL, TS)
def remove_message(call):
    client = call.client
    done = client.delete(client.channel_id(call["channel"]), call["ts"])
    return Result(f"Message {done['ts']} in {done['channel']} removed.", data=done)


@action("getMessageList", "List a channel's messages, newest first (thread replies are in their thread).", CHANNEL,
        LIMIT, reads=True)
def get_message_list(call):
    client = call.client
    messages = client.history(client.channel_id(call["channel"]), _limit(call) or 100)
    rows = [{"Ts": m.get("ts"), "User": m.get("user") or m.get("bot_id"), "Text": m.get("text"),
             "Thread": m.get("thread_ts"), "Replies": m.get("reply_count")} for m in messages]
    return Result(data=messages, rows=rows, columns=MESSAGE_COLUMNS, noun="messages")


@action("addReaction", "Add an emoji reaction to a message.", CHANNEL, TS,
        Param("name", "Emoji name, e.g. thumbsup (colons optional).", required=True))
def add_reaction(call):
    client = call.client
    channel_id = client.channel_id(call["channel"])
    client.react(channel_id, call["ts"], call["name"])
    return Result(f"Reaction :{call['name'].strip(':')}: added to message {call['ts']} in {channel_id}.")


@action("addAttachment", "Upload the --file and share it in a channel (Slack's files upload v2; --file - with "
        "--name: standard input).", CHANNEL,
        Param("name", "File name (default: the file's name)."), Param("title", "Title of the file (default: its name)."),
        Param("comment", "Message posted with the file."),
        Param("thread", "Share it in the thread of this message (its ts).", metavar="TS"), file_input=True)
def add_attachment(call):
    client = call.client
    with upload_input(call["file"], call["name"], call.context.env.stdin) as (name, body):  # before any request
        content = body if isinstance(body, bytes) else body.read()
    channel_id = client.channel_id(call["channel"])
    shared = client.upload(name, content, channel_id, call["title"], call["comment"], call["thread"])
    return Result(f"File '{shared.get('name')}' uploaded with id {shared.get('id')} and shared in {channel_id}.",
                  data=shared, variables={"fileId": str(shared.get("id"))})


@action("searchMessages", "Search messages (a user-token method: with a bot --token, the user token comes from "
        f"{USER_TOKEN_ENV} or the profile's slack.{USER_TOKEN_KEY}).", Param("query", "Slack search query, e.g. 'deploy in:#general'.", required=True),
        Param("limit", "At most this many matches (1 to 100).", default="20", metavar="N"), reads=True)
def search_messages(call):
    count = _limit(call) or 20
    found = _user_client(call).search(call["query"], min(count, 100))
    matches = found.get("matches") or []
    rows = [{"Ts": m.get("ts"), "Channel": (m.get("channel") or {}).get("name"), "User": m.get("username") or m.get("user"),
             "Text": m.get("text"), "Permalink": m.get("permalink")} for m in matches]
    return Result(data=found, rows=rows, columns=["Ts", "Channel", "User", "Text", "Permalink"], noun="messages")


def _user_client(call):
    """The client for a user-token method: a user token from ATLCTL_SLACK_USER_TOKEN, else from the
    profile's `user-token` source ([profiles.NAME.slack]), when one is given (the bot token stays
    --token for everything else); without one, the connection's own token."""
    user_token = _user_token(call)
    if not user_token:
        return call.client
    call.context.console.redactor.add(user_token)
    if token_type(f"Bearer {user_token}") != "user":
        raise ParameterError(f"The user token ({USER_TOKEN_ENV} or the profile's user-token) must be a user token "
                             "(xoxp-...), not another kind of token.")
    call.context.console.info("Authentication: the user token, for a method that takes no bot token")
    return call.context.client(call.action, {**call.values, "token": user_token})


def _user_token(call) -> str | None:
    from atlctl.credentials import sources

    env = call.context.env
    token = clean_secret(env.environ.get(USER_TOKEN_ENV), f"env {USER_TOKEN_ENV}")
    if token:
        return token
    _, profile = call.context.with_profile(call.action.product, call.values)
    spec = (profile.own_table() or {}).get(USER_TOKEN_KEY) if profile else None
    if spec is None:
        return None
    if not isinstance(spec, str):
        raise ParameterError(f"Profile {profile.name}: slack.{USER_TOKEN_KEY} must be a secret source in quotes, "
                             'e.g. "env:SLACK_USER_TOKEN", "file:~/.slack-user-token" or "keyring:NAME".')
    where = f"profile {profile.name}: slack.{USER_TOKEN_KEY}"
    return clean_secret(sources.parse(spec, profile.name).read(env, call.context.console.error), where)
