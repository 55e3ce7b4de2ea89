"""The `--cookies FILE` jar: Netscape/curl format (so `curl -b FILE` can use it too), written 0600.

Entries are keyed by origin and path, as a browser keeps cookies apart: the domain field is the host,
with `:PORT` when the server is not on its scheme's default port (a session saved for one port is
never sent to another port of the same host), and the path field is the server's base path (`/jira`
stays `/jira`, and is sent only to that path and below).

atlctl records whose session it saved, per origin and path, in a comment line curl ignores
(`# atlctl-user<TAB>domain<TAB>path<TAB>user`, the user percent-encoded): a session is then never
used for another --user (actions/context.py), and a file without the record (curl's) has its
session's user checked once before use (auth/session.py)."""

from __future__ import annotations

import time
from typing import NamedTuple
from urllib.parse import quote, unquote

from atlctl.errors import ClientError
from atlctl.files import write_private

HEADER = "# Netscape HTTP Cookie File\n# Written by atlctl. Holds session cookies: keep it private.\n"
OWNER = "# atlctl-user\t"


class Jar(NamedTuple):
    cookies: dict[str, str]  # the server's unexpired cookies
    owner: str | None  # whose session they are, as atlctl recorded it; None: not recorded (or no cookies)


def _scope(server: str) -> tuple[str, str]:
    """(domain field, path) for a server URL; a bare host name (older callers) is its own domain at `/`."""
    if "://" not in server:
        return server, "/"
    import httpx

    url = httpx.URL(server)
    default = {"http": 80, "https": 443}.get(url.scheme)
    domain = url.host if url.port in (None, default) else f"{url.host}:{url.port}"
    return domain, url.path.rstrip("/") or "/"


def _covers(cookie_path: str, path: str) -> bool:
    """RFC 6265 path-match: the cookie's path is the server's path or a parent of it on a `/` boundary."""
    cookie_path = cookie_path.rstrip("/") or "/"
    return cookie_path == "/" or path == cookie_path or path.startswith(cookie_path + "/")


def load(path: str, server: str) -> Jar:
    """Unexpired cookies of `server` (its base URL, or a host name) from the file, and whose they are; no
    cookies when it does not exist yet."""
    domain, base = _scope(server)
    cookies, now, owner = {}, time.time(), None
    for number, line in enumerate(_lines(path), 1):
        if line.startswith(OWNER):
            fields = line.split("\t")
            if len(fields) == 4 and fields[1] == domain and fields[2] == base:
                owner = unquote(fields[3]) or None
            continue
        if line.startswith("#HttpOnly_"):
            line = line[len("#HttpOnly_"):]
        elif not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        expires = fields[4] if len(fields) == 7 else ""
        if len(fields) != 7 or not (expires == "" or expires.isdecimal()):
            # the line number only: the line itself holds a session value
            raise ClientError(f"Cookie file {path} is not in Netscape cookie format (line {number}).")
        entry_domain, _, entry_path, _, expires, name, value = fields
        if entry_domain.lstrip(".") == domain and _covers(entry_path, base) and (expires in ("0", "") or int(expires) > now):
            cookies[name] = value
    return Jar(cookies, owner if cookies else None)


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


def save(path: str, server: str, cookies: dict[str, str], secure: bool, owner: str | None = None) -> None:
    """Replace `server`'s cookies (its origin and path) in the file, and the record of whose they are
    (`owner`, when known), keeping every other entry."""
    domain, base = _scope(server)
    kept = [line for line in _lines(path) if _entry_scope(line) not in (None, (domain, base))]
    flag = "TRUE" if secure else "FALSE"
    record = [f"{OWNER}{domain}\t{base}\t{quote(owner, safe='')}"] if owner and cookies else []
    lines = kept + record + [f"#HttpOnly_{domain}\tFALSE\t{base}\t{flag}\t0\t{name}\t{value}"
                             for name, value in cookies.items()]
    write_private(path, HEADER + "".join(line + "\n" for line in lines))


def _entry_scope(line: str) -> tuple[str, str] | None:
    """(domain, path) of a cookie line or of a record of whose session it is; None for a comment or a blank
    (not kept), ("", "") for a line of no scope (kept as it is)."""
    record = line.startswith(OWNER)
    bare = line[len(OWNER if record else "#HttpOnly_"):] if record or line.startswith("#HttpOnly_") else line
    if not bare.strip() or bare.startswith("#"):
        return None
    fields = bare.split("\t")
    where = 1 if record else 2  # a record: domain, path, user; a cookie: domain, subdomains, path, ...
    return (fields[0].lstrip("."), fields[where].rstrip("/") or "/") if len(fields) > where else ("", "")
