"""The Web API methods: what each needs (scopes, token type, rate-limit tier) and does. Arguments
and errors follow the 2020 OpenAPI document (shared/fixtures/specs/slack) and the method pages."""

from __future__ import annotations

import base64
import json
import re
import secrets
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, NamedTuple

from starlette.responses import Response

from atlctl.sandbox.responses import text_response
from atlctl.sandbox.slack.model import BOT, BOT_ID, TEAM_ID, TEAM_NAME, Channel, Upload

if TYPE_CHECKING:
    from atlctl.sandbox.slack.call import SlackCall

Handler = Callable[["SlackCall"], Awaitable[Response]]
CHANNEL_NAME = re.compile(r"^[a-z0-9_-]{1,80}$")
MAX_TEXT = 40000


class Method(NamedTuple):
    handler: Handler
    scopes: tuple[str, ...]  # accepted scopes (X-Accepted-OAuth-Scopes); any one of them will do
    tier: str = "3"
    user_only: bool = False  # bot tokens get not_allowed_token_type
    anonymous: bool = False
    private_scopes: tuple[str, ...] = ()  # needed instead when the call concerns private channels

    def needed(self, call: SlackCall) -> tuple[str, ...]:
        if self.private_scopes and _wants_private(call):
            return self.private_scopes
        return self.scopes


def _wants_private(call: SlackCall) -> bool:
    types = call.arg("types")
    if types is not None:
        return "private_channel" in types.split(",") and "public_channel" not in types.split(",")
    channel = call.product.workspace.channels.get(call.arg("channel") or "")
    # a private channel the caller is not in does not exist for it: channel_not_found, not a scope
    return bool(channel and channel.is_private and call.user.key in channel.members)


async def dispatch(call: SlackCall) -> Response:
    return await METHODS[call.method].handler(call)


class Failed(Exception):
    def __init__(self, error: str, **fields):
        self.error, self.fields = error, fields


def handles_failures(handler: Handler) -> Handler:
    async def run(call):
        try:
            return await handler(call)
        except Failed as failed:
            return call.error(failed.error, **failed.fields)

    return run


# -- helpers ---------------------------------------------------------------------------------------

def _required(call: SlackCall, name: str) -> str:
    value = call.arg(name)
    if not value:
        raise Failed("invalid_arguments", response_metadata={"messages": [f"[ERROR] missing required field: {name}"]})
    return value


def _int(call: SlackCall, name: str, default: int, low: int, high: int) -> int:
    value = call.arg(name)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise Failed("invalid_arguments", response_metadata={"messages": [f"[ERROR] invalid `{name}`"]}) from None
    return max(low, min(high, number))


def _visible(call: SlackCall, channel: Channel) -> bool:
    return not channel.is_private or call.user.key in channel.members


def _channel(call: SlackCall, by_name: bool = False) -> Channel:
    """The channel argument: an id (or, where Slack allows it, a name); channel_not_found if it is
    not there for the caller (private channels exist only for their members)."""
    given = _required(call, "channel")
    workspace = call.product.workspace
    channel = workspace.channels.get(given) or (workspace.by_name(given) if by_name else None)
    if channel is None or not _visible(call, channel):
        raise Failed("channel_not_found")
    return channel


def _member(call: SlackCall, channel: Channel) -> None:
    if call.user.key not in channel.members:
        raise Failed("not_in_channel")


def _channel_json(call: SlackCall, channel: Channel) -> dict:
    return {
        "id": channel.id, "name": channel.name, "name_normalized": channel.name, "is_channel": not channel.is_private,
        "is_group": channel.is_private, "is_im": False, "is_mpim": False, "is_private": channel.is_private,
        "is_archived": False, "is_general": channel.name == "general", "is_shared": False, "is_org_shared": False,
        "is_ext_shared": False, "created": channel.created, "creator": channel.creator,
        "is_member": call.user.key in channel.members, "num_members": len(channel.members),
        "context_team_id": TEAM_ID, "topic": {"value": channel.topic, "creator": "", "last_set": 0},
        "purpose": {"value": channel.purpose, "creator": "", "last_set": 0}, "previous_names": [],
    }


def _user_json(call: SlackCall, user) -> dict:
    product = call.product
    profile = {"real_name": user.display_name, "display_name": user.name, "real_name_normalized": user.display_name,
               "display_name_normalized": user.name, "team": TEAM_ID}
    if user.email and "users:read.email" in call.token.scopes:
        profile["email"] = user.email
    is_bot = user.key == BOT
    if is_bot:
        profile["bot_id"] = BOT_ID
    admin = "admins" in user.groups
    return {"id": user.key, "team_id": TEAM_ID, "name": user.name, "deleted": not user.active,
            "real_name": user.display_name, "tz": "Etc/UTC", "tz_label": "Coordinated Universal Time", "tz_offset": 0,
            "profile": profile, "is_admin": admin, "is_owner": admin, "is_primary_owner": admin,
            "is_restricted": False, "is_ultra_restricted": False, "is_bot": is_bot, "is_app_user": False,
            "updated": int(user.created or product.realm.clock.now())}


def _cursor(kind: str, index: int) -> str:
    return base64.b64encode(f"{kind}:{index}".encode()).decode()


def _page(call: SlackCall, kind: str, items: list, default_limit: int = 100, max_limit: int = 1000):
    """(the page, next_cursor): Slack's cursor paging (an opaque cursor, "" on the last page)."""
    limit = _int(call, "limit", default_limit, 0, max_limit)
    if limit == 0:
        limit = default_limit
    start = 0
    cursor = call.arg("cursor")
    if cursor:
        try:
            prefix, _, number = base64.b64decode(cursor, validate=True).decode().partition(":")
            start = int(number)
            if prefix != kind or start < 0:
                raise ValueError
        except ValueError:
            raise Failed("invalid_cursor") from None
    page = items[start:start + limit]
    after = start + limit
    return page, _cursor(kind, after) if after < len(items) else ""


def _message(call: SlackCall, channel: Channel, ts: str) -> dict:
    found = next((m for m in channel.messages if m["ts"] == ts), None)
    if found is None:
        raise Failed("message_not_found")
    return found


def _text(call: SlackCall) -> str:
    text = call.arg("text") or ""
    if not text and not call.arg("blocks") and not call.arg("attachments"):
        raise Failed("no_text")
    if len(text) > MAX_TEXT:
        raise Failed("msg_too_long")
    return text


def _post(call: SlackCall, channel: Channel, text: str, **extra) -> dict:
    now = call.product.realm.clock.now()
    message = {"type": "message", "text": text, "user": call.user.key, "ts": call.product.workspace.next_ts(now),
               "team": TEAM_ID, **extra}
    if call.is_bot:
        message.update(bot_id=BOT_ID, app_id="A0SANDBOX")
    for name in ("blocks", "attachments"):
        raw = call.arg(name)
        if raw:
            try:
                message[name] = json.loads(raw)
            except ValueError:
                raise Failed(f"invalid_{name}") from None
    thread = call.arg("thread_ts")
    if thread:
        parent = _message(call, channel, thread)
        parent.setdefault("reply_count", 0)
        parent["reply_count"] += 1
        parent["thread_ts"] = parent["ts"]
        message["thread_ts"] = thread
        message["parent_user_id"] = parent["user"]
    channel.messages.append(message)
    call.product.workspace.save(channel)
    return message


# -- methods ---------------------------------------------------------------------------------------

async def api_test(call: SlackCall) -> Response:
    error = call.arg("error")
    if error:
        return call.error(error, args={k: v for k, v in call.args.items()})
    return call.ok(args={k: v for k, v in call.args.items()} or {})


async def auth_test(call: SlackCall) -> Response:
    user = call.user
    data = {"url": f"{call.base}/", "team": TEAM_NAME, "user": user.name, "team_id": TEAM_ID, "user_id": user.key,
            "is_enterprise_install": False}
    if call.is_bot:
        data["bot_id"] = BOT_ID
    return call.ok(**data)


@handles_failures
async def chat_post_message(call: SlackCall) -> Response:
    channel = _channel(call, by_name=True)
    text = _text(call)
    _member(call, channel)
    message = _post(call, channel, text)
    if call.arg("reply_broadcast") in ("true", "1", "True"):
        message["subtype"] = "thread_broadcast"
        call.product.workspace.save(channel)
    return call.ok(channel=channel.id, ts=message["ts"], message=message)


@handles_failures
async def chat_update(call: SlackCall) -> Response:
    channel = _channel(call)
    message = _message(call, channel, _required(call, "ts"))
    if message["user"] != call.user.key:
        raise Failed("cant_update_message")
    message["text"] = _text(call)
    message["edited"] = {"user": call.user.key, "ts": call.product.workspace.next_ts(call.product.realm.clock.now())}
    call.product.workspace.save(channel)
    return call.ok(channel=channel.id, ts=message["ts"], text=message["text"], message=message)


@handles_failures
async def chat_delete(call: SlackCall) -> Response:
    channel = _channel(call)
    message = _message(call, channel, _required(call, "ts"))
    admin = not call.is_bot and "admins" in call.user.groups
    if message["user"] != call.user.key and not admin:
        raise Failed("cant_delete_message")
    channel.messages.remove(message)
    call.product.workspace.save(channel)
    return call.ok(channel=channel.id, ts=message["ts"])


@handles_failures
async def conversations_list(call: SlackCall) -> Response:
    types = (call.arg("types") or "public_channel").split(",")
    unknown = [t for t in types if t not in ("public_channel", "private_channel", "mpim", "im")]
    if unknown:
        raise Failed("invalid_types")
    scopes = call.token.scopes
    wanted = []
    for channel in call.product.workspace.channels.values():
        if channel.is_private and "private_channel" in types and "groups:read" in scopes and _visible(call, channel):
            wanted.append(channel)
        elif not channel.is_private and "public_channel" in types and "channels:read" in scopes:
            wanted.append(channel)
    page, cursor = _page(call, "channel", wanted)
    return call.ok(channels=[_channel_json(call, c) for c in page], response_metadata={"next_cursor": cursor})


@handles_failures
async def conversations_info(call: SlackCall) -> Response:
    return call.ok(channel=_channel_json(call, _channel(call)))


@handles_failures
async def conversations_history(call: SlackCall) -> Response:
    channel = _channel(call)
    if call.is_bot or channel.is_private:
        _member(call, channel)
    latest, oldest = call.arg("latest"), call.arg("oldest") or "0"
    inclusive = call.arg("inclusive") in ("true", "1", "True")

    def within(message):
        ts = float(message["ts"])
        low = float(oldest) < ts or (inclusive and float(oldest) == ts)
        high = latest is None or ts < float(latest) or (inclusive and float(latest) == ts)
        return low and high

    try:
        messages = [m for m in reversed(channel.messages) if within(m)
                    and (m.get("thread_ts") in (None, m["ts"]) or m.get("subtype") == "thread_broadcast")]
    except ValueError:
        raise Failed("invalid_ts_latest" if latest else "invalid_ts_oldest") from None
    page, cursor = _page(call, "message", messages, 100, 999)
    return call.ok(messages=page, has_more=bool(cursor), pin_count=0, channel_actions_ts=None,
                   channel_actions_count=0, response_metadata={"next_cursor": cursor})


@handles_failures
async def conversations_replies(call: SlackCall) -> Response:
    channel = _channel(call)
    if call.is_bot or channel.is_private:
        _member(call, channel)
    ts = _required(call, "ts")
    parent = _message(call, channel, ts)
    thread = [parent] + [m for m in channel.messages if m.get("thread_ts") == ts and m is not parent]
    page, cursor = _page(call, "reply", thread, 100, 1000)
    return call.ok(messages=page, has_more=bool(cursor), response_metadata={"next_cursor": cursor})


@handles_failures
async def conversations_create(call: SlackCall) -> Response:
    name = call.arg("name") or ""
    if not name:
        raise Failed("invalid_name_required")
    if not CHANNEL_NAME.match(name):
        raise Failed("invalid_name_specials" if len(name) <= 80 else "invalid_name_maxlength")
    workspace = call.product.workspace
    if workspace.by_name(name) is not None:
        raise Failed("name_taken")
    now = int(call.product.realm.clock.now())
    channel = workspace.add(Channel(workspace.new_channel_id(), name, call.user.key, now,
                                    is_private=call.arg("is_private") in ("true", "1", "True"), members=[call.user.key]))
    return call.ok(channel=_channel_json(call, channel))


@handles_failures
async def conversations_join(call: SlackCall) -> Response:
    channel = _channel(call)
    if channel.is_private:
        raise Failed("method_not_supported_for_channel_type")
    if call.user.key in channel.members:
        return call.ok(channel=_channel_json(call, channel), warning="already_in_channel",
                       response_metadata={"warnings": ["already_in_channel"]})
    channel.members.append(call.user.key)
    call.product.workspace.save(channel)
    return call.ok(channel=_channel_json(call, channel))


@handles_failures
async def conversations_members(call: SlackCall) -> Response:
    channel = _channel(call)
    page, cursor = _page(call, "member", list(channel.members))
    return call.ok(members=page, response_metadata={"next_cursor": cursor})


def _users(call: SlackCall) -> list:
    return sorted(call.product.realm.users.values(), key=lambda u: u.key)


@handles_failures
async def users_list(call: SlackCall) -> Response:
    page, cursor = _page(call, "user", _users(call), 1000, 1000)
    now = int(call.product.realm.clock.now())
    return call.ok(members=[_user_json(call, u) for u in page], cache_ts=now, response_metadata={"next_cursor": cursor})


@handles_failures
async def users_info(call: SlackCall) -> Response:
    user = call.product.realm.users.get(_required(call, "user"))
    if user is None:
        raise Failed("user_not_found")
    return call.ok(user=_user_json(call, user))


@handles_failures
async def users_lookup_by_email(call: SlackCall) -> Response:
    email = _required(call, "email").lower()
    user = next((u for u in _users(call) if u.email and u.email.lower() == email), None)
    if user is None:
        raise Failed("users_not_found")
    return call.ok(user=_user_json(call, user))


@handles_failures
async def reactions_add(call: SlackCall) -> Response:
    channel = _channel(call)
    message = _message(call, channel, _required(call, "timestamp"))
    name = (call.arg("name") or "").strip(":")
    if not name:
        raise Failed("invalid_name")
    reactions = message.setdefault("reactions", [])
    reaction = next((r for r in reactions if r["name"] == name), None)
    if reaction is None:
        reaction = {"name": name, "users": [], "count": 0}
        reactions.append(reaction)
    if call.user.key in reaction["users"]:
        raise Failed("already_reacted")
    reaction["users"].append(call.user.key)
    reaction["count"] += 1
    call.product.workspace.save(channel)
    return call.ok()


@handles_failures
async def search_messages(call: SlackCall) -> Response:
    query = _required(call, "query")
    words = [w.lower() for w in query.split() if ":" not in w]
    count, page = _int(call, "count", 20, 1, 100), _int(call, "page", 1, 1, 100)
    matches = []
    for channel in call.product.workspace.channels.values():
        if not _visible(call, channel):
            continue
        for message in channel.messages:
            if all(w in message.get("text", "").lower() for w in words):
                user = call.product.realm.users.get(message["user"])
                matches.append({"type": "message", "user": message["user"], "username": user.name if user else "",
                                "ts": message["ts"], "text": message.get("text", ""), "team": TEAM_ID,
                                "channel": {"id": channel.id, "name": channel.name, "is_private": channel.is_private},
                                "permalink": f"{call.base}/archives/{channel.id}/p{message['ts'].replace('.', '')}"})
    matches.sort(key=lambda m: float(m["ts"]), reverse=True)
    total = len(matches)
    pages = max(1, -(-total // count))
    shown = matches[(page - 1) * count: page * count]
    paging = {"count": count, "total": total, "page": page, "pages": pages}
    return call.ok(query=query, messages={"total": total, "matches": shown, "paging": paging,
                                          "pagination": {"total_count": total, "page": page, "per_page": count,
                                                         "page_count": pages, "first": (page - 1) * count + 1,
                                                         "last": (page - 1) * count + len(shown)}})


@handles_failures
async def files_get_upload_url_external(call: SlackCall) -> Response:
    filename = _required(call, "filename")
    length = _int(call, "length", -1, -1, 1 << 40)
    if length < 0:
        raise Failed("invalid_arguments", response_metadata={"messages": ["[ERROR] missing required field: length"]})
    workspace = call.product.workspace
    upload = Upload(workspace.new_file_id(), call.user.key, filename, length, secrets.token_urlsafe(24),
                    int(call.product.realm.clock.now()))
    workspace.uploads[upload.id] = upload
    workspace.upload_secrets[upload.secret] = upload.id
    workspace.save_upload(upload)
    return call.ok(upload_url=f"{call.base}/upload/v1/{upload.secret}", file_id=upload.id)


async def upload(call: SlackCall) -> Response:
    """The upload URL: raw bytes (or a multipart `file`/`filename` part), no Authorization needed."""
    workspace = call.product.workspace
    file_id = workspace.upload_secrets.get(call.params["secret"])
    if file_id is None:
        return text_response("Not Found", 404)
    content_type = call.request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await call.form()
        part = next((v for v in form.values() if hasattr(v, "read")), None)
        data = await part.read() if part is not None else b""
    else:
        data = await call.body()
    workspace.uploads[file_id].content = data
    workspace.save_upload(workspace.uploads[file_id])
    return text_response(f"OK - {len(data)}", 200)


def _file_json(call: SlackCall, upload: Upload, channels: list[str]) -> dict:
    return {"id": upload.id, "created": upload.created, "timestamp": upload.created, "name": upload.filename,
            "title": upload.title or upload.filename, "mimetype": _mimetype(upload.filename),
            "filetype": upload.filename.rsplit(".", 1)[-1].lower() if "." in upload.filename else "binary",
            "user": upload.user, "user_team": TEAM_ID, "size": len(upload.content or b""), "is_external": False,
            "is_public": bool(channels), "url_private": f"{call.base}/files/{upload.id}/{upload.filename}",
            "permalink": f"{call.base}/files/{upload.user}/{upload.id}/{upload.filename}", "channels": channels,
            "groups": [], "ims": [], "shares": {}}


def _mimetype(filename: str) -> str:
    import mimetypes

    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


@handles_failures
async def files_complete_upload_external(call: SlackCall) -> Response:
    raw = _required(call, "files")
    try:
        wanted = json.loads(raw)
        if not isinstance(wanted, list) or not wanted or not all(isinstance(f, dict) and f.get("id") for f in wanted):
            raise ValueError
    except ValueError:
        raise Failed("invalid_arguments", response_metadata={"messages": ["[ERROR] invalid `files`"]}) from None
    workspace = call.product.workspace
    uploads = []
    for entry in wanted:
        upload = workspace.uploads.get(str(entry["id"]))
        if upload is None or upload.user != call.user.key or upload.content is None or upload.completed:
            raise Failed("file_not_found")
        uploads.append((upload, str(entry.get("title") or upload.filename)))
    targets = [c for c in (call.arg("channels") or "").split(",") if c]
    if call.arg("channel_id"):
        targets.insert(0, call.arg("channel_id"))
    channels = []
    for target in targets:
        channel = workspace.channels.get(target)
        if channel is None or not _visible(call, channel):
            raise Failed("channel_not_found")
        _member(call, channel)
        channels.append(channel)
    files = []
    for upload, title in uploads:
        upload.title, upload.completed = title, True
        workspace.upload_secrets.pop(upload.secret, None)
        workspace.save_upload(upload)
        files.append(_file_json(call, upload, [c.id for c in channels]))
    for channel in channels:
        _post(call, channel, call.arg("initial_comment") or "", files=files, upload=True, subtype="file_share")
    return call.ok(files=files)


METHODS: dict[str, Method] = {
    "api.test": Method(api_test, (), "special", anonymous=True),
    "auth.test": Method(auth_test, (), "special"),
    "chat.postMessage": Method(chat_post_message, ("chat:write",), "special"),
    "chat.update": Method(chat_update, ("chat:write",), "3"),
    "chat.delete": Method(chat_delete, ("chat:write",), "3"),
    "conversations.list": Method(conversations_list, ("channels:read", "groups:read"), "2"),
    "conversations.info": Method(conversations_info, ("channels:read",), "3", private_scopes=("groups:read",)),
    "conversations.history": Method(conversations_history, ("channels:history",), "3", private_scopes=("groups:history",)),
    "conversations.replies": Method(conversations_replies, ("channels:history",), "3", private_scopes=("groups:history",)),
    "conversations.create": Method(conversations_create, ("channels:manage", "channels:write"), "2"),
    "conversations.join": Method(conversations_join, ("channels:join", "channels:write"), "3"),
    "conversations.members": Method(conversations_members, ("channels:read",), "4", private_scopes=("groups:read",)),
    "users.list": Method(users_list, ("users:read",), "2"),
    "users.info": Method(users_info, ("users:read",), "4"),
    "users.lookupByEmail": Method(users_lookup_by_email, ("users:read.email",), "3"),
    "reactions.add": Method(reactions_add, ("reactions:write",), "3"),
    "search.messages": Method(search_messages, ("search:read",), "2", user_only=True),
    "files.getUploadURLExternal": Method(files_get_upload_url_external, ("files:write",), "4"),
    "files.completeUploadExternal": Method(files_complete_upload_external, ("files:write",), "4"),
}
