"""OAuth 2.0 access tokens for Atlassian Cloud's API gateway [server-behaviour.md §4.3]: a service
account's client credentials, or a user's 3LO login (`atlctl auth login --web`) refreshed with its
rotating refresh token. Each gives `header()`, the current `Bearer ...` value, for auth/gateway.py.

Tokens are kept in the secret store only (`save`), never in plain files; every token learnt is
handed to `learn` (the console's redactor) before anything could print it."""

from __future__ import annotations

import hashlib
import math
import re
import threading
import time
from typing import Callable

import httpx

from atlctl.errors import ClientError, RemoteError, clause

EARLY = 60  # seconds: a token this close to its expiry is renewed first
TOKEN_PATH = "/oauth/token"
ACCESS_TOKEN = re.compile(r"[\x21-\x7e]{1,16384}")  # visible ASCII: it goes into the Authorization header


def usable(token) -> bool:
    return isinstance(token, str) and bool(ACCESS_TOKEN.fullmatch(token))


def token_request(http: httpx.Client, url: str, body: dict, what: str) -> dict:
    """POST a token request; the answer's fields, or the authorization server's refusal as an error."""
    try:
        response = http.post(url, json=body, headers={"Accept": "application/json"}, auth=None)
        data = response.json()
    except httpx.HTTPError as exc:
        raise ClientError(f"Cannot reach the OAuth 2.0 server {url} for {what}: {exc.__class__.__name__}.") from None
    except ValueError:
        raise RemoteError(f"{url} answered {what} with HTTP {response.status_code} and no JSON: check --oauth-url.",
                          response.status_code, reason="unexpected") from None
    if response.status_code == 200 and not (isinstance(data, dict) and isinstance(data.get("access_token"), str)):
        raise RemoteError(f"{url} answered {what} with HTTP 200 but no access token: check --oauth-url.", 200,
                          reason="unexpected")
    if response.status_code != 200:
        error = (data.get("error_description") or data.get("error")) if isinstance(data, dict) else None
        error = "".join(c for c in " ".join(str(error).split()) if c.isprintable())[:200] if error else ""  # no escapes
        said = f"HTTP {response.status_code}{f': {error}' if error else ''}"
        if response.status_code not in (400, 401, 403):  # not the OAuth errors: the server failed (5xx, 429)
            raise RemoteError(f"{url} failed to answer {what} ({said}): try again later.", response.status_code,
                              reason="unexpected")
        raise RemoteError(f"{url} refused {what} ({said}).", response.status_code, reason="refused")
    if not usable(data["access_token"]):  # never kept: it could not be sent, and a later run would fail on it
        raise RemoteError(f"{url} answered {what} with no usable access token (not a string of visible ASCII "
                          "characters): check --oauth-url.", response.status_code, reason="unexpected")
    return data


def expiry(data: dict, now: float) -> float:
    """When an answer's access token expires: `expires_in` seconds from `now`, else (none, or no finite
    positive number) in an hour; a gateway refusal before then renews it anyway."""
    seconds = data.get("expires_in")
    number = isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and math.isfinite(seconds)
    return now + (float(seconds) if number and seconds > 0 else 3600)


class ClientCredentials:
    """A service account's OAuth client: the client credentials grant, its access token kept (by
    `load`/`save`, the secret store) until it expires."""

    def __init__(self, http: httpx.Client, token_url: str, client_id: str, client_secret: str, *,
                 load: Callable[[], dict | None], save: Callable[[dict], None], learn: Callable[[str], None],
                 clock: Callable[[], float] = time.time):
        self.http, self.token_url = http, token_url
        self.client_id, self._secret = client_id, client_secret
        self._load, self._save, self._learn, self._clock = load, save, learn, clock
        self._lock = threading.Lock()
        self._token: dict | None = None
        # which secret the cached token came from (a digest, kept beside the token in the secret store)
        self._digest = hashlib.sha256(client_secret.encode()).hexdigest()[:16]

    def renew(self) -> None:
        """The gateway refused the access token before its time (revoked): ask for a new one."""
        with self._lock:
            self._token, self._load = None, lambda: None

    def header(self) -> str:
        with self._lock:
            token = self._token or self._cached()
            if token is None or token["expires_at"] - EARLY < self._clock():
                data = self._request()
                self._learn(data["access_token"])
                token = {"client_id": self.client_id, "token_url": self.token_url, "secret": self._digest,
                         "access_token": data["access_token"], "expires_at": expiry(data, self._clock()),
                         "scope": data.get("scope")}
                self._save(token)
            self._token = token
            return f"Bearer {token['access_token']}"

    def _request(self) -> dict:
        try:
            return token_request(self.http, self.token_url, {
                "grant_type": "client_credentials", "client_id": self.client_id, "client_secret": self._secret,
                "audience": "api.atlassian.com"}, f"the client credentials of --client-id {self.client_id}")
        except RemoteError as exc:
            if exc.status != 401:  # a 403 (the grant not allowed) or a 400 says what it is itself
                raise
            raise RemoteError(f"{clause(exc)}: the client id or secret is wrong, or the credential was "
                              "revoked or has expired. Check --client-id and the client secret (--client-secret, "
                              "ATLCTL_CLIENT_SECRET or the profile's) against the service account's OAuth 2.0 "
                              "credential in admin.atlassian.com, or create a new credential there.", 401,
                              reason="refused") from None

    def _cached(self) -> dict | None:
        token = self._load()
        if not isinstance(token, dict) or (token.get("client_id"), token.get("token_url"), token.get("secret")) != (
                self.client_id, self.token_url, self._digest):
            return None  # another client, server or secret: a wrong --client-secret must not pass on a cached token
        if not usable(token.get("access_token")) or not isinstance(token.get("expires_at"), (int, float)) \
                or not math.isfinite(token["expires_at"]):
            return None
        self._learn(token["access_token"])
        return token


class Grant:
    """A user's 3LO login: the access token, renewed with the refresh token when it expires; the
    refresh token rotates, so every renewal is saved at once (`save`)."""

    def __init__(self, http: httpx.Client, data: dict, *, client_secret: str | None, save: Callable[[dict], None],
                 learn: Callable[[str], None], again: str, load: Callable[[], dict | None] = lambda: None,
                 clock: Callable[[], float] = time.time):
        self.http, self.data = http, data
        self._secret, self._save, self._learn, self._load, self._clock = client_secret, save, learn, load, clock
        self._again = again  # the command that logs in afresh, for the message
        self._lock = threading.Lock()
        for key in ("access_token", "refresh_token"):
            if isinstance(data.get(key), str):
                learn(data[key])

    def header(self) -> str:
        with self._lock:
            if not usable(self.data.get("access_token")) or self.expires_at - EARLY < self._clock():
                self.refresh()
            return f"Bearer {self.data['access_token']}"

    @property
    def expires_at(self) -> float:
        value = self.data.get("expires_at")
        return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else 0.0

    def renew(self) -> None:
        with self._lock:
            self.refresh()

    def refresh(self) -> None:
        refresh_token = self.data.get("refresh_token")
        if not isinstance(refresh_token, str):
            raise ClientError(f"The OAuth 2.0 login has expired and holds no refresh token (offline_access was not "
                              f"granted): run `{self._again}` again.")
        body = {"grant_type": "refresh_token", "client_id": self.data.get("client_id"), "refresh_token": refresh_token,
                **({"client_secret": self._secret} if self._secret else {})}
        try:
            answer = token_request(self.http, self.data.get("token_url", ""), body, "the refresh token")
        except RemoteError as exc:
            if exc.reason != "refused":
                raise
            if self._renewed_elsewhere(refresh_token):
                if self.expires_at - EARLY < self._clock():
                    self.refresh()  # its access token has expired too: renewed with its refresh token
                return
            raise ClientError(f"The OAuth 2.0 login has expired or was revoked ({clause(exc)}): run `{self._again}` again.") \
                from None
        self._learn(answer["access_token"])
        if isinstance(answer.get("refresh_token"), str):
            self._learn(answer["refresh_token"])
        self.data = {**self.data, "access_token": answer["access_token"],
                     "refresh_token": answer.get("refresh_token") or refresh_token,
                     "expires_at": expiry(answer, self._clock()), "scope": answer.get("scope") or self.data.get("scope")}
        self._save(self.data)  # the old refresh token no longer works: the new one must not be lost

    def _renewed_elsewhere(self, used: str) -> bool:
        """Another invocation of the profile renewed the login first, so the refresh token `used` was
        spent (it rotates): its renewal, saved in the secret store, is taken."""
        stored = self._load()
        if not isinstance(stored, dict) or stored.get("refresh_token") in (None, used) \
                or not usable(stored.get("access_token")):
            return False
        for key in ("access_token", "refresh_token"):
            if isinstance(stored.get(key), str):
                self._learn(stored[key])
        self.data = stored
        return True
