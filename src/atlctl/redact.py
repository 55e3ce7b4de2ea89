"""Keeps secrets out of everything atlctl prints, without rewriting anyone's words.

Two layers. The places that can carry a secret are masked whatever their value: secret headers,
secret JSON keys and form fields, a URL's password and secret query parameters. And a secret
atlctl knows (a password, a token, a session id) is masked where it stands as a whole token: in
any text when it is strong (6 characters or more), and only in those places (headers, URLs, bodies
echoed, the argv of script lines) when it is weak, so that the password `wrong` leaves "wrong user
name or password" as it is. A value that is not secret (a user name) is never masked, even when a
secret equals it; the owner of the redactor is told once (`warn`) so it can say so."""

from __future__ import annotations

import json
import re
import threading
from typing import Callable
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

MASK = "****"
STRONG = 6  # a secret this long or longer is masked in any text; a shorter one only where secrets go
SECRET_HEADERS = {"authorization", "proxy-authorization", "cookie", "set-cookie"}
SECRET_KEYS = {"password", "token", "rawtoken", "websudopassword", "os_password", "value", "secret"}
SECRET_URL_KEYS = {"upload_url"}  # a URL that is itself the credential (Slack's files upload v2)
SECRET_QUERY = {"password", "token", "os_password", "websudopassword", "access_token", "secret", "api_key"}
_FORM_SECRET = re.compile(r"((?:^|&)(?:webSudoPassword|os_password|password|token)=)[^&]*", re.I)


class Redactor:
    def __init__(self, warn: Callable[[str, str], None] | None = None):
        self._secrets: set[str] = set()
        self._tiny: set[str] = set()  # secrets of 1-2 characters: masked in script lines only (elsewhere it garbles)
        self._public: set[str] = set()
        self._patterns: dict[bool, re.Pattern | bool] = {}  # strong only / all, rebuilt when secrets change
        self._warned: set[tuple[str, str]] = set()
        self._lock = threading.Lock()
        self.warn = warn  # warn(kind, value): "weak" (a short secret), "public" (a secret equal to a public value)

    def add(self, *values: str | None) -> None:
        notes = []
        with self._lock:
            for value in values:
                if value and len(value) < 3:
                    self._tiny.add(value)
                elif value and value not in self._secrets:
                    self._secrets.add(value)
                    notes.append(("weak", value) if len(value) < STRONG else None)
                    if value in self._public:
                        notes.append(("public", value))
            self._patterns = {}
        self._tell(notes)

    def public(self, value: str | None) -> None:
        """A value that is not secret even if a secret equals it (a user name used as its own
        password, as in the sandbox's admin/admin): it is shown, and `warn` is told once."""
        if value:
            with self._lock:
                self._public.add(value)
                self._patterns = {}
                notes = [("public", value)] if value in self._secrets else []
            self._tell(notes)

    def _tell(self, notes) -> None:
        for note in notes:
            if note and note not in self._warned and self.warn:
                self._warned.add(note)
                self.warn(*note)

    def _pattern(self, weak: bool):
        with self._lock:
            pattern = self._patterns.get(weak)
            if pattern is None:
                secrets = sorted((s for s in self._secrets - self._public if weak or len(s) >= STRONG),
                                 key=len, reverse=True)
                pattern = re.compile("|".join(map(_as_pattern, secrets))) if secrets else False
                self._patterns[weak] = pattern
            return pattern

    def text(self, text: str) -> str:
        """Any text atlctl prints (its own messages, a server's): strong secrets where they stand as a token."""
        pattern = self._pattern(False)
        return pattern.sub(MASK, text) if pattern else text

    def place(self, text: str) -> str:
        """Text that can carry a secret (a script line's argv, a URL, a body echoed): every secret, weak ones too."""
        pattern = self._pattern(True)
        return pattern.sub(MASK, text) if pattern else text

    def argv(self, line: str) -> str:
        """A script line (the words a user wrote): every secret, even one of 1 or 2 characters (a
        `--password ab` on the line itself), as a whole word."""
        text = self.place(line)
        with self._lock:
            tiny = sorted(self._tiny - self._public, key=len, reverse=True)
        if not tiny:
            return text
        return re.sub("|".join(rf"(?<![^\s='\"]){re.escape(t)}(?![^\s'\"])" for t in tiny), MASK, text)

    def url(self, url: str) -> str:
        """A URL: its password and secret query parameters masked, then any secret in it."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return self.place(url)
        netloc = parts.netloc
        if parts.password is not None:
            netloc = netloc.replace(":" + parts.password + "@", ":" + MASK + "@", 1)
        query = parts.query
        if query and any(key.lower() in SECRET_QUERY for key, _ in parse_qsl(query, keep_blank_values=True)):
            query = "&".join(f"{quote(key)}={MASK if key.lower() in SECRET_QUERY else quote(value)}"
                             for key, value in parse_qsl(query, keep_blank_values=True))
        return self.place(urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)))

    def credential_url(self, url: str) -> str:
        """A URL that is itself a credential (Slack's upload_url: whoever holds it may upload): its
        last path segment and its query become secrets, so the URL is masked wherever it is printed
        from now on (`> POST https://files.slack.com/upload/v1/****`). Returns it masked."""
        try:
            parts = urlsplit(url)
        except ValueError:
            self.add(url)
            return MASK
        self.add(parts.path.rpartition("/")[2], parts.query)
        return self.url(url)

    def header(self, name: str, value: str) -> str:
        lname = name.lower()
        if lname == "cookie":  # keep cookie names (useful when debugging sessions), mask values
            return "; ".join(f"{part.strip().split('=', 1)[0]}={MASK}" for part in value.split(";") if part.strip())
        if lname == "set-cookie":
            name, _, rest = value.partition("=")
            attributes = rest.partition(";")[2]
            return f"{name}={MASK}" + (f";{attributes}" if attributes else "")
        if lname in SECRET_HEADERS:
            scheme = value.split(" ", 1)[0] if " " in value else ""
            return f"{scheme} {MASK}".strip()
        if lname in {"location", "referer", "content-location"}:
            return self.url(value)
        return self.place(value)

    def body(self, content: bytes | str, content_type: str = "") -> str:
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        if "json" in content_type or text[:1] in "{[":
            try:
                text = json.dumps(self._mask_json(json.loads(text)))
            except ValueError:
                pass
        elif "x-www-form-urlencoded" in content_type:
            text = _FORM_SECRET.sub(lambda m: m[1] + MASK, text)
        return self.place(text)

    def _mask_json(self, data):
        if isinstance(data, dict):
            return {key: self._mask_item(key.lower(), value) for key, value in data.items()}
        if isinstance(data, list):
            return [self._mask_json(v) for v in data]
        return data

    def _mask_item(self, key: str, value):
        if isinstance(value, str) and key in SECRET_KEYS:
            return MASK
        if isinstance(value, str) and key in SECRET_URL_KEYS:
            return self.credential_url(value)
        return self._mask_json(value)


def _as_pattern(secret: str) -> str:
    """A secret is masked where it stands as a whole token ("admin" must not turn "administrator"
    into "****istrator"); a long one (a token, 12 characters or more) wherever it appears."""
    escaped = re.escape(secret)
    if len(secret) < 12 and secret[0].isalnum() and secret[-1].isalnum():
        return rf"(?<![A-Za-z0-9]){escaped}(?![A-Za-z0-9])"
    return escaped


