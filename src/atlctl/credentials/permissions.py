"""Files that hold private data (the config, cookie jars, secret files) must be the owner's alone."""

from __future__ import annotations

import os
import stat


def loose_mode(path: str) -> int | None:
    """The permission bits of `path` if group or others have any access to it, else None (also when
    it does not exist, or on Windows, where modes do not describe access)."""
    if os.name == "nt":
        return None
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None
    return mode if mode & 0o077 else None


def warning(path: str, what: str, wanted: str = "600") -> str | None:
    """A one-line warning if `path` (a `what`, e.g. "cookie file") is accessible by other users."""
    mode = loose_mode(path)
    if mode is None:
        return None
    return f"Warning: {what} {path} is accessible by other users (mode {mode:o}): run chmod {wanted} {path}"
