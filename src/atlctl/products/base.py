"""What the core needs to know about a product before it picks an auth scheme."""

from __future__ import annotations

import re
from typing import NamedTuple


class ServerInfo(NamedTuple):
    deployment: str  # "server" (Server and Data Center) or "cloud"
    version: tuple[int, ...] | None
    raw: dict | None = None  # the discovery answer, reused by getServerInfo when it can be

    @property
    def version_text(self) -> str:
        return ".".join(map(str, self.version)) if self.version else "unknown"


def parse_version(text: str | None) -> tuple[int, ...] | None:
    numbers = re.findall(r"\d+", text or "")[:3]
    return tuple(int(n) for n in numbers) or None
