"""The workspace's content: channels, their members and messages, uploaded files. In memory only:
a restart (or a reset) seeds it again; accounts and tokens live in the realm and persist."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    def __init__(self, now: float):
        self.channels: dict[str, Channel] = {}
        self.uploads: dict[str, Upload] = {}
        self.upload_secrets: dict[str, str] = {}  # secret -> file id
        self._next_channel = 1
        self._next_file = 1
        self._last_ts = (int(now), 0)
        created = int(now) - 86400
        self.add(Channel("C0GENERAL", "general", ADMIN, created, members=[ADMIN, ALICE, BOT], purpose="Everyone"))
        self.add(Channel("C0RANDOM", "random", ADMIN, created, members=[ADMIN, ALICE, BOT]))
        self.add(Channel("C0OPS", "ops", ADMIN, created, is_private=True, members=[ADMIN]))

    def add(self, channel: Channel) -> Channel:
        self.channels[channel.id] = channel
        return channel

    def new_channel_id(self) -> str:
        channel_id = f"C{self._next_channel:08d}"
        self._next_channel += 1
        return channel_id

    def new_file_id(self) -> str:
        file_id = f"F{self._next_file:08d}"
        self._next_file += 1
        return file_id

    def by_name(self, name: str) -> Channel | None:
        name = name.lstrip("#").lower()
        return next((c for c in self.channels.values() if c.name == name), None)

    def next_ts(self, now: float) -> str:
        """Message timestamps are unique and increasing within the workspace, like Slack's."""
        seconds, seq = self._last_ts
        current = int(now)
        self._last_ts = (current, 1) if current > seconds else (seconds, seq + 1)
        return f"{self._last_ts[0]}.{self._last_ts[1]:06d}"
