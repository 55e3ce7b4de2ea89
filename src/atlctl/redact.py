"""Keeps secrets out of everything atlctl prints. Two layers: values known to be secret (passwords,
tokens, session ids) are masked wherever they appear, and secret-bearing headers and JSON keys are
masked whatever their value."""

from __future__ import annotations

import json
import re
import threading

MASK = "****"
SECRET_HEADERS = {"authorization", "proxy-authorization", "cookie", "set-cookie"}
SECRET_KEYS = {"password", "token", "rawtoken", "websudopassword", "os_password", "value", "secret"}
_FORM_SECRET = re.compile(r"((?:^|&)(?:webSudoPassword|os_password|password|token)=)[^&]*", re.I)


class Redactor:
    def __init__(self):
        self._secrets: set[str] = set()
        self._public: set[str] = set()
        self._pattern: re.Pattern | None = None  # all secrets in one regex, rebuilt when they change
        self._lock = threading.Lock()

    def add(self, *values: str | None) -> None:
        with self._lock:
            for value in values:
                if value and len(value) >= 3:  # masking 1-2 characters would garble all output
                    self._secrets.add(value)
            self._pattern = None

    def public(self, value: str | None) -> None:
        """A value that is not secret even if a secret equals it (a user name used as its own
        password, as in the sandbox's admin/admin): masking it would garble every message."""
        if value:
            with self._lock:
                self._public.add(value)
                self._pattern = None

    def text(self, text: str) -> str:
        with self._lock:
            if self._pattern is None:
                secrets = sorted(self._secrets - self._public, key=len, reverse=True)
                self._pattern = re.compile("|".join(map(_as_pattern, secrets))) if secrets else False
            pattern = self._pattern
        return pattern.sub(MASK, text) if pattern else text

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
        return self.text(value)

    def body(self, content: bytes | str, content_type: str = "") -> str:
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        if "json" in content_type or text[:1] in "{[":
            try:
                text = json.dumps(_mask_json(json.loads(text)))
            except ValueError:
                pass
        elif "x-www-form-urlencoded" in content_type:
            text = _FORM_SECRET.sub(lambda m: m[1] + MASK, text)
        return self.text(text)


def _as_pattern(secret: str) -> str:
    """A short secret is masked as a whole word only ("admin" must not turn "administrator" into
    "****istrator"); a long one (a token) wherever it appears."""
    escaped = re.escape(secret)
    if len(secret) < 12 and secret[0].isalnum() and secret[-1].isalnum():
        return rf"(?<![A-Za-z0-9]){escaped}(?![A-Za-z0-9])"
    return escaped


def _mask_json(data):
    if isinstance(data, dict):
        return {k: (MASK if k.lower() in SECRET_KEYS and isinstance(v, str) else _mask_json(v)) for k, v in data.items()}
    if isinstance(data, list):
        return [_mask_json(v) for v in data]
    return data
