"""Finding what a sendMessage row did before a run stopped (see batch/recovery.py): a message in that
channel (or thread), by this token's user, with exactly that text, newer than the channel's newest
message before the run's first send there (its "baseline", kept in the intent)."""

from __future__ import annotations

import threading

from atlctl.errors import ParameterError
from atlctl.files import read_text
from atlctl.products.base import Result

SEARCH_LIMIT = 1000


class SentMessage:
    def __init__(self):
        self._baselines: dict[tuple, str] = {}  # (id(client), channel id) -> newest ts before our first send
        self._lock = threading.Lock()

    def mark(self, call) -> dict:
        client = call.client
        channel = client.channel_id(call["channel"])
        with self._lock:
            if (id(client), channel) not in self._baselines:
                newest = next(iter(client.history(channel, limit=1)), None)
                self._baselines[id(client), channel] = newest["ts"] if newest else "0"
            after = self._baselines[id(client), channel]
        return {"channel": channel, "text": message_text(call), "thread": call["thread"], "after": after,
                "user": client.me()["user_id"]}

    def find(self, call, mark: dict) -> list[Result]:
        client = call.client
        channel, thread = mark["channel"], mark["thread"]
        if thread:
            messages = [m for m in client.replies(channel, thread) if m["ts"] != thread]
        else:
            messages = client.history(channel, limit=SEARCH_LIMIT, oldest=mark["after"])
        found = []
        for message in messages:
            if (float(message["ts"]) > float(mark["after"]) and message.get("text") == mark["text"]
                    and message.get("user") == mark["user"]):
                found.append(Result(
                    f"Message sent to {channel} with timestamp {message['ts']} (found after the interruption, not "
                    "sent again).", data=message, variables={"ts": message["ts"], "channel": channel}))
        return sorted(found, key=lambda r: float(r.variables["ts"]))  # oldest first


def message_text(call) -> str:
    """--text, or the content of --file (sendMessage, updateMessage)."""
    if call["text"]:
        return call["text"]
    if call["file"]:  # '-': standard input, which is read once (mark() and the action both ask)
        text = read_text(call["file"], call.context.env.stdin)
        call.values = {**call.values, "text": text, "file": None}
        return text
    raise ParameterError("This function requires a non-blank value for parameter: text (or --file)")
