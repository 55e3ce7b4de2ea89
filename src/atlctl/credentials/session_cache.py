"""A profile's session kept between invocations (`session_cache = true`): for a profile what
`--cookies FILE` is by hand, but in the profile's secret store, never in a plain file. A shell loop
of separate `atlctl myjira ...` calls then costs the server one password check, not one per call.

The entry holds the server, the user and the session cookies as JSON; a cache written for another
server or user is not used. The store is the profile's own (the keyring, or the plain-text store
when the profile chose it); a store that cannot be used only loses the cache, with a warning."""

from __future__ import annotations

import json

from atlctl.credentials.token_store import beside
from atlctl.environment import Environment
from atlctl.errors import AtlctlError

SUFFIX = ".session"


class SessionCache:
    def __init__(self, env: Environment, profile, server: str, user: str | None, warn=lambda line: None):
        self.source = beside(profile, profile.name + SUFFIX)
        self.env = env
        self.owner = {"server": server.rstrip("/"), "user": user}
        self.warn = warn
        self._loaded: dict[str, str] = {}  # what load() found: saving it unchanged writes nothing

    def load(self) -> dict[str, str]:
        """The cached session cookies, or {} (none yet, another server or user, or unreadable)."""
        try:
            text = self.source.read(self.env, self.warn)
            data = json.loads(text) if text else {}
        except (AtlctlError, ValueError) as exc:
            self.warn(f"Warning: the cached session in {self.source.describe(self.env)} is not usable ({_why(exc)}); "
                      "logging in afresh.")
            return {}
        if not isinstance(data, dict) or {k: data.get(k) for k in self.owner} != self.owner:
            return {}
        cookies = data.get("cookies")
        if not isinstance(cookies, dict) or not all(isinstance(v, str) for v in cookies.values()):
            return {}
        self._loaded = dict(cookies)
        return cookies

    def save(self, cookies: dict[str, str]) -> None:
        if cookies == self._loaded:
            return
        try:
            if cookies:
                self.source.store(self.env, json.dumps({**self.owner, "cookies": cookies}))
            else:
                self.source.delete(self.env)
        except AtlctlError as exc:
            self.warn(f"Warning: the session could not be kept in {self.source.describe(self.env)} ({_why(exc)}); "
                      "the next call logs in again.")

    def delete(self) -> bool:
        return self.source.delete(self.env)


def _why(exc: Exception) -> str:
    return str(exc) if isinstance(exc, AtlctlError) else "not valid JSON"
