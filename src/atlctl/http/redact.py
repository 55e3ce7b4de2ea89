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
        self._lock = threading.Lock()

    def add(self, *values: str | None) -> None:
        with self._lock:
            for value in values:
                if value and len(value) >= 3:  # masking 1-2 characters would garble all output
                    self._secrets.add(value)

    def public(self, value: str | None) -> None:
        """A value that is not secret even if a secret equals it (a user name used as its own
        password, as in the sandbox's admin/admin): masking it would garble every message."""
        if value:
            self._public.add(value)

    def text(self, text: str) -> str:
        for secret in sorted(self._secrets - self._public, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, MASK)
        return text

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


def _mask_json(data):
    if isinstance(data, dict):
        return {k: (MASK if k.lower() in SECRET_KEYS and isinstance(v, str) else _mask_json(v)) for k, v in data.items()}
    if isinstance(data, list):
        return [_mask_json(v) for v in data]
    return data
