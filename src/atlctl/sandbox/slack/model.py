"""The workspace's content: channels, their members and messages, uploaded files, written through
to the state store (accounts and tokens live in the realm)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from atlctl.sandbox.store import Store

KEY = "slack"  # the product's records in the store

TEAM_ID = "T0SANDBOX"
TEAM_NAME = "Sandbox"
ADMIN, ALICE, BOT = "U0ADMIN", "U0ALICE", "U0BOT"
BOT_ID = "B0BOT"


@dataclass
class Channel:
    id: str
    name: str
    creator: str
    created: int
    is_private: bool = False
    members: list[str] = field(default_factory=list)
    messages: list[dict] = field(default_factory=list)  # oldest first
    topic: str = ""
    purpose: str = ""


@dataclass
class Upload:
    id: str
    user: str
    filename: str
    length: int
    secret: str  # the upload URL's last segment: the URL is the credential
    created: int
    content: bytes | None = None
    title: str = ""
    completed: bool = False


class Workspace:
    def __init__(self, store: Store, now: float, records: dict[str, dict[str, Any]] | None = None,
                 blobs: dict[str, bytes] | None = None):
        self.store = store
        self.channels: dict[str, Channel] = {}
        self.uploads: dict[str, Upload] = {}
        self.upload_secrets: dict[str, str] = {}  # secret -> file id
        if records:
            self._load(records, blobs or {})
            return
        self._next_channel = 1
        self._next_file = 1
        self._last_ts = (int(now), 0)
        created = int(now) - 86400
        self.add(Channel("C0GENERAL", "general", ADMIN, created, members=[ADMIN, ALICE, BOT], purpose="Everyone"))
        self.add(Channel("C0RANDOM", "random", ADMIN, created, members=[ADMIN, ALICE, BOT]))
        self.add(Channel("C0OPS", "ops", ADMIN, created, is_private=True, members=[ADMIN]))
        self._save_counters()

    def _load(self, records: dict[str, dict[str, Any]], blobs: dict[str, bytes]) -> None:
        for data in records.get("channel", {}).values():
            channel = Channel(**data)
            self.channels[channel.id] = channel
        for data in records.get("upload", {}).values():
            upload = Upload(**data, content=blobs.get(data["id"]))
            self.uploads[upload.id] = upload
            if not upload.completed:
                self.upload_secrets[upload.secret] = upload.id
        counters = records.get("counters", {}).get("counters", {})
        self._next_channel = counters.get("next_channel", 1)
        self._next_file = counters.get("next_file", 1)
        self._last_ts = tuple(counters.get("last_ts", (0, 0)))

    def _save_counters(self) -> None:
        self.store.put(KEY, "counters", "counters", {"next_channel": self._next_channel, "next_file": self._next_file,
                                                     "last_ts": list(self._last_ts)})

    def save(self, channel: Channel) -> None:
        """Write a changed channel (its members and messages) through to the store."""
        self.store.put(KEY, "channel", channel.id, asdict(channel))

    def save_upload(self, upload: Upload) -> None:
        data = asdict(upload)
        content = data.pop("content")
        self.store.put(KEY, "upload", upload.id, data)
        if content is not None:
            self.store.put_blob(KEY, upload.id, content)

    def add(self, channel: Channel) -> Channel:
        self.channels[channel.id] = channel
        self.save(channel)
        return channel

    def new_channel_id(self) -> str:
        channel_id = f"C{self._next_channel:08d}"
        self._next_channel += 1
        self._save_counters()
        return channel_id

    def new_file_id(self) -> str:
        file_id = f"F{self._next_file:08d}"
        self._next_file += 1
        self._save_counters()
        return file_id

    def by_name(self, name: str) -> Channel | None:
        name = name.lstrip("#").lower()
        return next((c for c in self.channels.values() if c.name == name), None)

    def next_ts(self, now: float) -> str:
        """Message timestamps are unique and increasing within the workspace, like Slack's."""
        seconds, seq = self._last_ts
        current = int(now)
        self._last_ts = (current, 1) if current > seconds else (seconds, seq + 1)
        self._save_counters()
        return f"{self._last_ts[0]}.{self._last_ts[1]:06d}"
