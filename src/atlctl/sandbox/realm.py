"""An auth realm: users and password hashes, groups, sessions, tokens, failed-login counters
(CAPTCHA) and websudo grants. Each Data Center product has its own; products that share an account
store (the Atlassian Cloud products) share one (see product.Environment.realm).

It knows nothing about HTTP; the product's authentication turns its answers into responses.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
import string
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol, TypeVar

import anyio

from atlctl.sandbox.store import Sequences, Store

# Clients that ignore cookies leave a session per Basic request behind, as on a real Jira; past
# this many the oldest go first.
MAX_SESSIONS = 100_000

T = TypeVar("T")

# Atlassian's PKCS5S2 password encoder: PBKDF2-HMAC-SHA1, 10,000 iterations, 16-byte salt,
# 32-byte key, stored as "{PKCS5S2}" + base64(salt + key). The cost is the point: it is what
# cookie sessions save a client that would otherwise send Basic credentials on every request.
_PREFIX = "{PKCS5S2}"
_ITERATIONS = 10_000


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    key = hashlib.pbkdf2_hmac("sha1", password.encode(), salt, _ITERATIONS, 32)
    return _PREFIX + base64.b64encode(salt + key).decode()


def verify_password(stored: str, password: str) -> bool:
    raw = base64.b64decode(stored[len(_PREFIX) :])
    salt, expected = raw[:16], raw[16:]
    actual = hashlib.pbkdf2_hmac("sha1", password.encode(), salt, _ITERATIONS, 32)
    return hmac.compare_digest(actual, expected)


@functools.cache
def seed_hash(password: str) -> str:
    """Hashes of the seeded passwords, computed once per process so that resets stay fast."""
    return hash_password(password)


def digest(secret: str) -> str:
    """Tokens are random and long, so a plain SHA-256 is enough to avoid storing them."""
    return hashlib.sha256(secret.encode()).hexdigest()


class Clock:
    """Wall clock shared by the products; POST /_sandbox/clock moves it forward for expiry tests."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset


@dataclass
class User:
    key: str  # the account's fixed id (a Jira DC user key, a Cloud accountId)
    name: str  # the login name; the email address in realms whose accounts sign in by email
    display_name: str
    email: str
    password_hash: str
    groups: list[str] = field(default_factory=list)
    active: bool = True
    created: float = 0.0
    failed_count: int = 0  # consecutive failures: drives CAPTCHA
    login_count: int = 0
    last_failed: float | None = None
    previous_login: float | None = None
    last_login: float | None = None


@dataclass
class Session:
    id: str
    xsrf: str  # the session's anti-XSRF token (Atlassian's atl_token, without |lin / |lout)
    short_id: str  # a short public id (Atlassian's X-ASESSIONID)
    last_access: float
    user_key: str | None = None
    websudo_until: float = 0.0


@dataclass
class AccessToken:
    id: int
    type: str  # what kind of token it is, for the product that reads it (e.g. "pat", "api_token")
    user_key: str | None  # None: a token that belongs to no user (bound to `resource` instead)
    name: str
    digest: str
    created: float
    expires: float | None = None
    scopes: list[str] = field(default_factory=list)
    last_used: float | None = None
    resource: str = ""  # what a token without a user is bound to, in the product's words (e.g. a project)


@dataclass(frozen=True)
class SeedToken:
    raw: str
    type: str
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SeedUser:
    """An account a product declares: seeded into its realm on a fresh start and on every reset."""

    key: str
    login: str
    display_name: str
    email: str
    password: str
    groups: tuple[str, ...] = ()
    tokens: tuple[SeedToken, ...] = ()


class Policy(Protocol):
    """The settings a realm reads (those of the product that opened it), when it is asked to."""

    captcha_threshold: int  # consecutive failed logins before CAPTCHA
    session_idle_seconds: int
    websudo_idle_seconds: int


class ResetMidway(Exception):
    """The product was reset while a request waited (for its body, a password hash): the users,
    sessions and issues it holds belong to the old state and must not be written back."""


class Stats:
    """The counters behind /_sandbox/stats, kept per product (products may share a realm)."""

    SCHEMES = ("basic", "session", "bearer", "anonymous")

    def __init__(self) -> None:
        self.password_checks = 0
        self.logins = 0
        self.requests_by_auth = dict.fromkeys(self.SCHEMES, 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "password_checks": self.password_checks,
            "logins": self.logins,
            "requests_by_auth": dict(self.requests_by_auth),
        }


def _random_token(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


class Realm:
    def __init__(self, name: str, store: Store, clock: Clock, policy: Policy, *, by_email: bool, admin_groups: tuple[str, ...]):
        self.name = name  # also its records' namespace in the store
        self.store = store
        self.clock = clock
        self.policy = policy
        self.by_email = by_email  # accounts sign in with their email address (Atlassian Cloud)
        self.admin_groups = admin_groups
        self.generation = 0  # bumped by every clear(): see settle()
        self.clear()

    # ---- lifecycle -------------------------------------------------------------------------

    def clear(self) -> None:
        """Empty: no users, sessions or tokens, and fresh id sequences."""
        self.generation += 1
        self.sequences = Sequences(self.store, self.name, {})
        self.users: dict[str, User] = {}
        self.groups: dict[str, str] = {}  # name -> groupId (Cloud shows it)
        self.sessions: dict[str, Session] = {}
        self.tokens: dict[int, AccessToken] = {}
        self._login_index: dict[str, User] = {}
        self._token_index: dict[str, AccessToken] = {}
        self._login_locks: defaultdict[str, anyio.Lock] = defaultdict(anyio.Lock)
        self._next_sweep = 0.0

    def load(self, records: dict[str, dict[str, Any]]) -> None:
        self.sequences = Sequences(self.store, self.name, records.get("sequence", {}))
        for data in records.get("user", {}).values():
            self._index(User(**data))
        for name, data in records.get("group", {}).items():
            self.groups[name] = data["id"]
        for data in records.get("token", {}).values():
            self._index_token(AccessToken(**data))

    def seed(self, users: tuple[SeedUser, ...]) -> None:
        """Add the declared accounts, their groups and tokens; an account a realm already has (a
        realm shared with another product) is left as it is, but gets the declared tokens it lacks."""
        for group in sorted({g for seed in users for g in seed.groups} - set(self.groups)):
            self.add_group(group)
        for seed in users:
            user = self.users.get(seed.key)
            if user is None:
                user = User(seed.key, seed.login, seed.display_name, seed.email, seed_hash(seed.password), list(seed.groups))
                self.add_user(user)
            for token in seed.tokens:
                if digest(token.raw) not in self._token_index:
                    self.add_token(user, token.raw, name="seeded", type=token.type, scopes=list(token.scopes))

    def _login(self, user: User) -> str:
        return (user.email if self.by_email else user.name).lower()

    def _index(self, user: User) -> None:
        self.users[user.key] = user
        self._login_index[self._login(user)] = user

    def _save_user(self, user: User) -> None:
        self.store.put(self.name, "user", user.key, asdict(user))

    # ---- users and groups ------------------------------------------------------------------

    def find_user(self, login: str) -> User | None:
        """By login name or email address (as the realm signs in), case-insensitively like Jira."""
        return self._login_index.get(login.lower())

    def add_user(self, user: User) -> User:
        user.created = user.created or self.clock.now()
        self._index(user)
        self._save_user(user)
        return user

    def remove_user(self, user: User) -> None:
        del self.users[user.key]
        self._login_index.pop(self._login(user), None)
        self.store.delete(self.name, "user", user.key)
        for token in [t for t in self.tokens.values() if t.user_key == user.key]:
            self.revoke_token(token)
        for session in [s for s in self.sessions.values() if s.user_key == user.key]:
            self.drop_session(session.id)

    def add_group(self, name: str) -> None:
        self.groups[name] = str(uuid.uuid4())
        self.store.put(self.name, "group", name, {"id": self.groups[name]})

    def group_named(self, group_id: str) -> str | None:
        """The name of the group with this groupId."""
        return next((name for name, gid in self.groups.items() if gid == group_id), None)

    def remove_group(self, name: str) -> None:
        self.groups.pop(name, None)
        self.store.delete(self.name, "group", name)
        for user in self.users.values():
            if name in user.groups:
                user.groups.remove(name)
                self._save_user(user)

    def join_group(self, user: User, name: str) -> None:
        if name not in user.groups:
            user.groups.append(name)
            self._save_user(user)

    def leave_group(self, user: User, name: str) -> None:
        if name in user.groups:
            user.groups.remove(name)
            self._save_user(user)

    def members(self, name: str) -> list[User]:
        return [u for u in self.users.values() if name in u.groups]

    def is_admin(self, user: User | None) -> bool:
        return user is not None and any(g in self.admin_groups for g in user.groups)

    async def settle(self, awaitable: Awaitable[T]) -> T:
        """Await, then raise ResetMidway if the sandbox was reset meanwhile. Requests await only
        through here, so no request writes what it looked up before a reset."""
        generation = self.generation
        result = await awaitable
        if self.generation != generation:
            raise ResetMidway
        return result

    # ---- passwords and login counters ------------------------------------------------------

    async def check_password(self, user: User, password: str, stats: Stats) -> bool:
        """One PBKDF2 verification, off the event loop (hashlib releases the GIL), counted in the
        stats of the product that asked."""
        stats.password_checks += 1
        return await self.settle(anyio.to_thread.run_sync(verify_password, user.password_hash, password))

    async def login(self, user: User | None, password: str, stats: Stats, captcha: bool = True) -> bool | None:
        """A password login (Basic, session or form) of `user` (None: no such user): True, False,
        or None when CAPTCHA refuses it without checking the password (§0.1); the failed-login
        counter is reset or counts one more. The logins of one user run one at a time: otherwise
        parallel wrong passwords would all pass the threshold check before the first one failed."""
        if user is None:
            return False
        async with self._login_locks[user.key]:
            if captcha and self.captcha_required(user):
                self.login_failed(user)
                return None
            if user.active and await self.check_password(user, password, stats):
                self.login_succeeded(user)
                return True
            self.login_failed(user)
            return False

    async def make_hash(self, password: str) -> str:
        return await self.settle(anyio.to_thread.run_sync(hash_password, password))

    def captcha_required(self, user: User) -> bool:
        return user.failed_count >= self.policy.captcha_threshold

    def login_failed(self, user: User) -> None:
        user.failed_count += 1
        user.last_failed = self.clock.now()
        self._save_user(user)

    def login_succeeded(self, user: User) -> None:
        user.failed_count = 0
        user.login_count += 1
        user.previous_login, user.last_login = user.last_login, self.clock.now()
        self._save_user(user)

    # ---- sessions and websudo --------------------------------------------------------------

    def new_session(self, user: User | None = None) -> Session:
        now = self.clock.now()
        self._sweep(now)
        if len(self.sessions) >= MAX_SESSIONS:
            del self.sessions[next(iter(self.sessions))]
        xsrf = "-".join(_random_token(string.ascii_uppercase + string.digits, 4) for _ in range(4))
        session = Session(
            id=secrets.token_hex(16).upper(),
            xsrf=f"{xsrf}|{secrets.token_hex(20)}",
            short_id=_random_token(string.ascii_lowercase + string.digits, 7),
            last_access=now,
            user_key=user.key if user else None,
        )
        self.sessions[session.id] = session
        return session

    def session(self, session_id: str) -> Session | None:
        """The live session for a cookie value, touching it; None if unknown or idle too long."""
        session = self.sessions.get(session_id)
        if session is None:
            return None
        now = self.clock.now()
        if now - session.last_access > self.policy.session_idle_seconds:
            del self.sessions[session_id]
            return None
        session.last_access = now
        return session

    def drop_session(self, session_id: str) -> None:
        self.sessions.pop(session_id, None)

    def _sweep(self, now: float) -> None:
        """Drop idle sessions, at most once a minute."""
        if now < self._next_sweep:
            return
        self._next_sweep = now + 60
        idle = self.policy.session_idle_seconds
        for sid in [sid for sid, s in self.sessions.items() if now - s.last_access > idle]:
            del self.sessions[sid]

    def grant_websudo(self, session: Session) -> None:
        session.websudo_until = self.clock.now() + self.policy.websudo_idle_seconds

    def has_websudo(self, session: Session | None) -> bool:
        """A grant lasts `websudo_idle_seconds` since the last administrative request."""
        if session is None or session.websudo_until <= self.clock.now():
            return False
        self.grant_websudo(session)
        return True

    # ---- tokens ----------------------------------------------------------------------------

    def add_token(
        self, user: User | None, raw: str, *, name: str, type: str, scopes: list[str] | None = None,
        expires_in: float | None = None, resource: str = "",
    ) -> AccessToken:
        """Keep a token (as its digest: `raw` is the product's to format and show once) that
        expires `expires_in` seconds from now, or never. A token of no user (`user` None) is bound
        to a `resource` the product names instead."""
        now = self.clock.now()
        token = AccessToken(
            id=self.sequences.next("token", 1),
            type=type,
            user_key=user.key if user is not None else None,
            name=name,
            digest=digest(raw),
            created=now,
            expires=now + expires_in if expires_in is not None else None,
            scopes=scopes or [],
            resource=resource,
        )
        self._index_token(token)
        self.store.put(self.name, "token", token.id, asdict(token))
        return token

    def _index_token(self, token: AccessToken) -> None:
        self.tokens[token.id] = token
        self._token_index[token.digest] = token

    def revoke_token(self, token: AccessToken) -> None:
        self.tokens.pop(token.id, None)
        self._token_index.pop(token.digest, None)
        self.store.delete(self.name, "token", token.id)

    def token(self, raw: str) -> AccessToken | None:
        """The valid, unexpired token with this value (its last use is kept in memory only)."""
        token = self._token_index.get(digest(raw))
        now = self.clock.now()
        if token is None or (token.expires is not None and token.expires <= now):
            return None
        token.last_used = now
        return token
