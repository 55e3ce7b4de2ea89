"""The `--cookies FILE` jar: Netscape/curl format (so `curl -b FILE` can use it too), written 0600."""

from __future__ import annotations

import os
import time

from atlctl.errors import ClientError
from atlctl.files import write_private

HEADER = "# Netscape HTTP Cookie File\n# Written by atlctl. Holds session cookies: keep it private.\n"


def load(path: str, host: str) -> dict[str, str]:
    """Unexpired cookies of `host` from the file; {} when it does not exist yet."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ClientError(f"Cannot read cookie file {path}: {exc.strerror}.") from None
    cookies, now = {}, time.time()
    for line in lines:
        if line.startswith("#HttpOnly_"):
            line = line[len("#HttpOnly_"):]
        elif not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 7:
            raise ClientError(f"Cookie file {path} is not in Netscape cookie format (line: {fields[0][:40]!r}).")
        domain, _, _, _, expires, name, value = fields
        if domain.lstrip(".") == host and (expires in ("0", "") or float(expires) > now):
            cookies[name] = value
    return cookies


def save(path: str, host: str, cookies: dict[str, str], secure: bool) -> None:
    """Replace `host`'s cookies in the file, keeping other hosts' lines."""
    kept = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            for line in handle.read().splitlines():
                bare = line[len("#HttpOnly_"):] if line.startswith("#HttpOnly_") else line
                if bare.strip() and not bare.startswith("#") and bare.split("\t")[0].lstrip(".") != host:
                    kept.append(line)
    flag = "TRUE" if secure else "FALSE"
    lines = kept + [f"#HttpOnly_{host}\tFALSE\t/\t{flag}\t0\t{name}\t{value}" for name, value in cookies.items()]
    write_private(path, HEADER + "".join(line + "\n" for line in lines))
