"""Slack's Web API methods atlctl calls: POST form to /api/<method>, each answer's shape declared."""

from __future__ import annotations

import json
import re

from atlctl.errors import ParameterError
from atlctl.http.paging import Pages, signature
from atlctl.http.validate import check, decode

API = "/api"
CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")
USER_ID = re.compile(r"^[UWB][A-Z0-9]{2,}$")
PAGE = 200
CHANNEL = {"id": str, "name": str}
MESSAGE = {"ts": str}
USER = {"id": str, "name": str}


class SlackClient:
    deployment = "cloud"  # Slack's one deployment (the Web API)
    info = None  # nothing to discover: the Web API has no version

    def __init__(self, conn):
        self.conn = conn
        self._channels: dict[str, dict] | None = None  # name -> channel, once per connection
        self._me: dict | None = None

    def call(self, method: str, expect=None, **args) -> dict:
        """One Web API method; `None` arguments are left out."""
        data = {k: _form(v) for k, v in args.items() if v is not None}
        shape = {"ok": bool, **(expect or {})}
        return self.conn.json("POST", f"{API}/{method}", data=data, expect=shape)

    def pages(self, method: str, key: str, expect_item, limit: int | None = None, **args) -> list:
        """Every item of a cursor-paged method (response_metadata.next_cursor), up to `limit`. An empty
        page with a cursor goes on (Slack may send one, docs.slack.dev/apis/web-api/pagination); a
        cursor given twice, a page repeated or no end stops with a 253 (Pages)."""
        items, cursor, pages = [], None, Pages(f"POST {API}/{method}", empty=True)
        while True:
            answer = self.call(method, {key: [expect_item]}, limit=PAGE, cursor=cursor, **args)
            found = answer[key]
            items.extend(found)
            cursor = (answer.get("response_metadata") or {}).get("next_cursor")
            if not cursor or (limit is not None and len(items) >= limit):
                return items if limit is None else items[:limit]
            pages.advance(cursor, len(found), signature(found))

    # -- who ---------------------------------------------------------------------------------------

    def auth_test(self) -> tuple[dict, list[str]]:
        """auth.test, and the token's scopes (the X-OAuth-Scopes header)."""
        response = self.conn.send("POST", f"{API}/auth.test")
        what = f"{self.conn.server} answered auth.test"
        data = decode(response, what)
        error = self.conn.dialect.body_error(response, data)
        if error is not None:
            raise error
        check(data, {"ok": bool, "team": str, "team_id": str, "user": str, "user_id": str}, what)
        scopes = [s for s in response.headers.get("X-OAuth-Scopes", "").split(",") if s]
        self._me = data
        return data, scopes

    def me(self) -> dict:
        if self._me is None:
            self.auth_test()
        return self._me

    # -- channels ----------------------------------------------------------------------------------

    def channels(self, private: bool = True, limit: int | None = None) -> list[dict]:
        types = "public_channel,private_channel" if private else "public_channel"
        return self.pages("conversations.list", "channels", CHANNEL, limit, types=types, exclude_archived="true")

    def channel_id(self, given: str) -> str:
        """A channel id from an id, a name or #name."""
        given = (given or "").strip()
        if CHANNEL_ID.match(given):
            return given
        name = given.lstrip("#").lower()
        if self._channels is None or name not in self._channels:  # listed once, again for a name not seen yet
            self._channels = {c["name"]: c for c in self.channels(private=True)}
        if name not in self._channels:
            raise ParameterError(f"Channel {given} not found (or not visible to this token): give its name or id "
                                 "(getChannelList lists them).")
        return self._channels[name]["id"]

    def channel(self, channel_id: str) -> dict:
        return self.call("conversations.info", {"channel": CHANNEL}, channel=channel_id)["channel"]

    def create_channel(self, name: str, private: bool) -> dict:
        return self.call("conversations.create", {"channel": CHANNEL}, name=name,
                         is_private="true" if private else None)["channel"]

    def join(self, channel_id: str) -> dict:
        return self.call("conversations.join", {"channel": CHANNEL}, channel=channel_id)

    def history(self, channel_id: str, limit: int | None = None, oldest: str | None = None) -> list[dict]:
        return self.pages("conversations.history", "messages", MESSAGE, limit, channel=channel_id, oldest=oldest)

    def replies(self, channel_id: str, ts: str) -> list[dict]:
        return self.pages("conversations.replies", "messages", MESSAGE, None, channel=channel_id, ts=ts)

    # -- messages ----------------------------------------------------------------------------------

    def post(self, channel: str, text: str, thread: str | None = None) -> dict:
        return self.call("chat.postMessage", {"channel": str, "ts": str}, channel=channel, text=text, thread_ts=thread)

    def update(self, channel_id: str, ts: str, text: str) -> dict:
        return self.call("chat.update", {"channel": str, "ts": str}, channel=channel_id, ts=ts, text=text)

    def delete(self, channel_id: str, ts: str) -> dict:
        return self.call("chat.delete", {"channel": str, "ts": str}, channel=channel_id, ts=ts)

    def react(self, channel_id: str, ts: str, name: str) -> dict:
        return self.call("reactions.add", channel=channel_id, timestamp=ts, name=name.strip(":"))

    def search(self, query: str, count: int) -> dict:
        return self.call("search.messages", {"messages": {"matches": [dict]}}, query=query, count=count)["messages"]

    # -- users -------------------------------------------------------------------------------------

    def users(self, limit: int | None = None) -> list[dict]:
        return self.pages("users.list", "members", USER, limit)

    def user(self, given: str) -> dict:
        """A user by id, email address or name."""
        if "@" in given:
            return self.call("users.lookupByEmail", {"user": USER}, email=given)["user"]
        if USER_ID.match(given):
            return self.call("users.info", {"user": USER}, user=given)["user"]
        name = given.lstrip("@").lower()
        found = next((u for u in self.users() if u["name"].lower() == name), None)
        if found is None:
            raise ParameterError(f"User {given} not found: give a user id, an email address or a user name "
                                 "(getUserList lists them).")
        return found

    # -- files -------------------------------------------------------------------------------------

    def upload(self, name: str, content: bytes, channel_id: str | None, title: str | None, comment: str | None,
               thread: str | None) -> dict:
        """Files upload v2: an upload URL, the bytes to it (it is the credential: no token goes there), then
        completion, which shares the file to the channel."""
        ticket = self.call("files.getUploadURLExternal", {"upload_url": str, "file_id": str}, filename=name,
                           length=len(content))
        self.conn.console.redactor.credential_url(ticket["upload_url"])  # masked in every message from now on
        self.conn.send("POST", ticket["upload_url"], content=content, anonymous=True, expect_json=False,
                       headers={"Content-Type": "application/octet-stream"})
        files = [{"id": ticket["file_id"], "title": title or name}]
        done = self.call("files.completeUploadExternal", {"files": [{"id": str}]}, files=files, channel_id=channel_id,
                         initial_comment=comment, thread_ts=thread)
        return done["files"][0]


def _form(value) -> str:
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return str(value)
