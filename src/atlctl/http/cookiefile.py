"""The `--cookies FILE` jar: Netscape/curl format (so `curl -b FILE` can use it too), written 0600."""

from __future__ import annotations

import time

from atlctl.errors import ClientError
from atlctl.files import write_private

HEADER = "# Netscape HTTP Cookie File\n# Written by atlctl. Holds session cookies: keep it private.\n"


def load(path: str, host: str) -> dict[str, str]:
    """Unexpired cookies of `host` from the file; {} when it does not exist yet."""
    cookies, now = {}, time.time()
    for number, line in enumerate(_lines(path), 1):
        if line.startswith("#HttpOnly_"):
            line = line[len("#HttpOnly_"):]
        elif not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        expires = fields[4] if len(fields) == 7 else ""
        if len(fields) != 7 or not (expires == "" or expires.isdigit()):
            # the line number only: the line itself holds a session value
            raise ClientError(f"Cookie file {path} is not in Netscape cookie format (line {number}).")
        domain, _, _, _, expires, name, value = fields
        if domain.lstrip(".") == host and (expires in ("0", "") or int(expires) > now):
            cookies[name] = value
    return cookies


def _lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().splitlines()
    except FileNotFoundError:
        return []
    except UnicodeDecodeError:
        raise ClientError(f"Cookie file {path} is not a text cookie file (not UTF-8).") from None
    except OSError as exc:
        raise ClientError(f"Cannot read cookie file {path}: {exc.strerror}.") from None


def save(path: str, host: str, cookies: dict[str, str], secure: bool) -> None:
    """Replace `host`'s cookies in the file, keeping other hosts' lines."""
    kept = []
    for line in _lines(path):
        bare = line[len("#HttpOnly_"):] if line.startswith("#HttpOnly_") else line
        if bare.strip() and not bare.startswith("#") and bare.split("\t")[0].lstrip(".") != host:
            kept.append(line)
    flag = "TRUE" if secure else "FALSE"
    lines = kept + [f"#HttpOnly_{host}\tFALSE\t/\t{flag}\t0\t{name}\t{value}" for name, value in cookies.items()]
    write_private(path, HEADER + "".join(line + "\n" for line in lines))
