"""OAuth 2.0 tokens kept in a secret store (the keyring, or the plain-text store a profile chose),
as JSON: a service account's access token until it expires (entry PROFILE.access-token, or
client-credentials.CLIENT_ID without a profile), a 3LO login's tokens (entry PROFILE.oauth). Never in
the config file or any other plain file."""

from __future__ import annotations

import json

from atlctl.credentials.sources import INSECURE, KEYRING, Source
from atlctl.environment import Environment
from atlctl.errors import AtlctlError

ACCESS_TOKEN = ".access-token"


def beside(profile, entry: str) -> Source:
    """The store entry `entry` in the profile's own store: its plain-text store if it chose one, else the keyring."""
    source = profile.source() if profile is not None else None
    return Source(INSECURE if source is not None and source.kind == INSECURE else KEYRING, entry)


class TokenStore:
    def __init__(self, env: Environment, source: Source, warn=lambda line: None):
        self.env, self.source, self.warn = env, source, warn

    def load(self) -> dict | None:
        try:
            text = self.source.read(self.env, self.warn)
            data = json.loads(text) if text else None
        except (AtlctlError, ValueError):
            return None  # unreadable: a new token is asked for, and saved over it
        return data if isinstance(data, dict) else None

    def save(self, data: dict, *, required: bool = False) -> None:
        """`required`: losing it loses the login (a rotated refresh token), so a failure is an error."""
        try:
            self.source.store(self.env, json.dumps(data))
        except AtlctlError as exc:
            if required:
                raise
            self.warn(f"Note: the access token could not be kept in {self.source.describe(self.env)} ({exc}); the next "
                      "call asks for a new one.")

    def delete(self) -> bool:
        return self.source.delete(self.env)
