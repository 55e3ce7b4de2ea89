"""Cookie sessions, the default with a user and password where a product has them.

How a session is obtained is the product's `SessionStrategy`: a login resource (Jira's
`/rest/auth/1/session`), or the cookie the server sets on the first request sent with basic auth
(products without a session resource). One login per process however many requests follow (the
server verifies the password once), an expired session renewed once and never in a loop (a session
refused right after a login is not renewed again: a proxy dropping cookies would otherwise cost a
password check per request), and an elevation (Jira's websudo, a secure administrator session)
when a resource asks for it and the password is at hand. The flow never classifies failures: it
hands the failing response back and `http.classify` explains it."""

from __future__ import annotations

import email.utils
import threading
import time
from urllib.parse import unquote_plus

import httpx

from atlctl.auth.basic import basic_header
from atlctl.auth.origin import origin
from atlctl.auth.strategy import LOGIN, Elevation, SessionStrategy
from atlctl.credentials.resolve import USER_FLAG
from atlctl.errors import AtlctlError, ClientError, ParameterError, RemoteError

LOGIN_SOURCE = "The --login session"  # the `source` of a session given with --login TOKEN


class SessionAuth(httpx.Auth):
    scheme = "session"
    # The flow reads the bodies it looks at itself (logins, refusals), bounded: the answer to the
    # request is left to the connection, which reads it within its deadline and size cap.
    requires_response_body = False

    def __init__(self, base_url: str, user: str | None, password: str | None, strategy: SessionStrategy,
                 cookies: dict[str, str] | None = None, on_event=lambda message: None, owner: str | None = None,
                 source: str | None = None, user_from: str = USER_FLAG):
        """`cookies`: the session to start with, from `source` ("Cookie file FILE", LOGIN_SOURCE), whose user is
        `owner` when known; a session of unknown owner has its user checked before it serves `user`, who comes
        from `user_from` (as credentials/resolve.py records it: "flag --user", "profile NAME")."""
        self.base = base_url.rstrip("/")
        self.origin = origin(base_url)
        self.user = user
        self.password = password
        self.strategy = strategy
        self.cookies = dict(cookies or {})
        self.created = False  # this process logged in, so it logs out at exit unless told to keep it
        self.on_event = on_event
        self.owner = owner  # whose session the cookies hold, when known (saved with them in a cookie file)
        self.source, self.user_from = source, user_from
        self._unchecked = bool(source and owner is None and user and self.cookies.get(strategy.cookie))
        self.cookie_name = strategy.cookie  # what the login answer names it
        self._generation = 0  # bumped by each login, so concurrent 401s renew only once
        self._unusable: AtlctlError | None = None  # why sessions do not work here: no more logins in this process
        self._refused = False  # set under the lock, so threads queued behind a failed login do not retry it
        self._unproven = False  # our last login's session has not been accepted by a request yet
        self._cookieless = False  # the server answered a first-request login without a session cookie
        self._wrong_elevation: RemoteError | None = None  # the password was refused at the elevation: not sent again
        self._lock = threading.Lock()

    @property
    def session_id(self) -> str | None:
        return self.cookies.get(self.cookie_name)

    def auth_flow(self, request):
        if origin(request.url) != self.origin:
            yield request
            return
        if self._unusable:
            raise self._unusable
        if self._cookieless:  # the server hands out no session: basic auth on every request
            _mark_login(request, True)
            request.headers["Authorization"] = basic_header(self.user, self.password)
            yield request
            return
        elevation = self.strategy.elevation
        with self._lock:
            if self._unchecked:
                yield from self._check_owner()
            if self.session_id is None:
                response = yield from self._login(request)
                if response is not None:
                    return  # refused (handed back to be explained), or the request itself answered
            generation = self._generation
        response = yield from self._send(request)
        if response.status_code != 401 or self._still_logged_in(response):
            return
        if elevation is not None and elevation.refused(response):
            if self.password is None:
                return
            yield from self._elevate(elevation)
        else:  # a 401 despite our cookie: the session expired or was logged out elsewhere
            if self.password is None:
                return
            with self._lock:
                if generation == self._generation:  # no other thread renewed it meanwhile
                    if self._unproven:
                        self._give_up()  # refused right after our own login: renewing would loop
                    self.on_event("Session expired; logging in again")
                    self.cookies.pop(self.cookie_name, None)
                    response = yield from self._login(request)
                    if response is not None:
                        return
        response = yield from self._send(request)
        if response.status_code == 401 and not (elevation and elevation.refused(response)):
            self._give_up()

    def _send(self, request: httpx.Request):
        self._apply(request)
        response = yield request
        if response.status_code == 401:
            read_small(response)  # the elevation test reads it; the flow may go on past it
        self._absorb(response)
        if response.status_code != 401:
            self._unproven = False  # the server accepts the session
        return response

    def _still_logged_in(self, response: httpx.Response) -> bool:
        """A 401 the server says it sent to a logged-in caller (the strategy's alive_header)."""
        header = self.strategy.alive_header
        return bool(header and response.headers.get(header))

    def _give_up(self):
        self._unusable = ClientError(
            "The server refused the session right after a successful login: something between atlctl and the "
            "server (a proxy, a load balancer without sticky sessions) is losing the session cookie. atlctl stops "
            "logging in (each login costs a password check). Use --auth basic or a personal access token."
        )
        raise self._unusable

    def _check_owner(self):
        """Ask the server whose session the cookies hold (a file atlctl did not write records no user):
        another user's is refused, never used for `user`; a dead one is dropped, and the flow logs in."""
        self._unchecked = False
        name = None
        if self.strategy.whoami is not None:
            path, header = self.strategy.whoami
            probe = httpx.Request("GET", self.base + path, headers={"Accept": "application/json"})
            self._apply(probe)
            response = yield probe
            read_small(response)
            self._absorb(response)
            name = unquote_plus(response.headers.get(header) or "") if response.status_code != 401 else None
        if name and name != "anonymous":
            self.owner = name
            if name.casefold() != self.user.casefold():
                self._unusable = ParameterError(another_user(self.source, name, self.user, self.base, self.user_from))
                raise self._unusable
            return
        self.on_event(f"{self.source} holds no live session for {self.base}; logging in as {self.user}")
        self.cookies.pop(self.cookie_name, None)

    def _login(self, request: httpx.Request):
        """Open a session. Returns None when the caller should now send `request` with the cookie, or
        the response to hand back: a refusal, or (first-request login) the answer to `request` itself."""
        if self._refused:
            raise ClientError(
                f"The server refused the login for {self.user} earlier in this run; atlctl does not send the "
                "password again (each failure counts towards a CAPTCHA lockout). Check the user name and password."
            )
        if self.password is None:
            raise ClientError(
                "The saved session is missing or has expired and no password is available to log in "
                "again. Run the login action again, or give --password (or ATLCTL_PASSWORD)."
            )
        if self.user is None:  # a password alone names nobody: never log in as "None"
            raise ParameterError(f"{_expired_session(self.source)} has expired; to log in again give --user with "
                                 "--password.")
        if self.strategy.login_path is None:
            return (yield from self._first_request_login(request))
        return (yield from self._resource_login())

    def _resource_login(self):
        """POST the user and password to the product's login resource; the session is in its answer."""
        strategy = self.strategy
        login = httpx.Request(
            "POST", self.base + strategy.login_path,
            json={strategy.user_field: self.user, strategy.password_field: self.password},
            headers={"Accept": "application/json", **dict(strategy.headers)},
        )
        _mark_login(login, True)
        response = yield login
        read_small(response)
        if response.status_code in (401, 403):
            self._refused = True  # the connection also blocks the user [§1.2, §1.3]
            return response
        if not response.is_success:  # a 5xx, a redirect...: explained as the request's answer
            return response
        self._absorb(response)
        session = _session(response)
        if session is not None:
            self.cookie_name, self.cookies[session[0]] = session
        if self.session_id is None:  # a 200 that is not a session: never hand it back as the action's answer
            kind = response.headers.get("content-type", "no content type").split(";")[0] or "no content type"
            got = "an empty body" if not response.content.strip() else f"{kind} without a session"
            raise ClientError(f"{self.base}{strategy.login_path} answered the login (HTTP {response.status_code}) with "
                              f"{got}: is --server the product's base URL?")
        _mark_login(login, False)
        self._logged_in()
        return None

    def _first_request_login(self, request: httpx.Request):
        """Send the request itself with basic auth; the session cookie comes with its answer."""
        request.headers.pop("Cookie", None)
        request.headers["Authorization"] = basic_header(self.user, self.password)
        _mark_login(request, True)
        response = yield request
        if response.status_code == 401:
            read_small(response)
        self._absorb(response)
        if self.session_id is not None:
            _mark_login(request, False)
            self._logged_in()
            if response.status_code == 401 and self._still_logged_in(response):
                self._unproven = False
                return response  # logged in, but the resource is refused: hand it back
            # a 401 with a session (an elevation wanted): send it again with the session, the flow goes on
            return None if response.status_code == 401 else response
        if response.status_code == 401:
            self._refused = True  # the credentials were refused: a login failure, which blocks the user
            return response
        _mark_login(request, False)  # answered without authenticating anybody: not a login refusal
        if response.is_success:
            self._cookieless = True
            self.on_event(f"The server set no session cookie ({self.strategy.cookie}): basic auth goes on every request")
        return response

    def _logged_in(self) -> None:
        self.owner = self.user
        self._generation += 1
        self._unproven = True  # until a request with the new session is accepted
        self.created = True
        self.on_event(f"Logged in as {self.user} (session authentication)")

    def _elevate(self, elevation: Elevation):
        if self._wrong_elevation is not None:
            raise self._wrong_elevation
        self.on_event("The resource wants the password confirmed (a secure administrator session, websudo); confirming it")
        fields = {elevation.password_field: self.password, **dict(elevation.fields)}
        if elevation.xsrf:
            fields[elevation.xsrf[1]] = self.cookies.get(elevation.xsrf[0], "")
        request = httpx.Request("POST", self.base + elevation.path, data=fields, headers=dict(self.strategy.headers))
        self._apply(request)
        response = yield request
        read_small(response)
        self._absorb(response)
        granted = elevation.granted
        if not (response.headers.get(granted[0]) == granted[1] if granted else response.is_success):
            if response.status_code == 200 and "html" in response.headers.get("content-type", ""):  # the form again
                who = self.owner or self.user or "the session's user"
                self._wrong_elevation = RemoteError(
                    f"{elevation.title} refused the password for {who} at the websudo confirmation (secure "
                    "administrator session): check the password given with --password.", 200)
                raise self._wrong_elevation
            raise ClientError(
                f"Could not open an elevated session (a secure administrator session, websudo): the server answered "
                f"HTTP {response.status_code} to the password confirmation. Use --auth basic or a personal access "
                "token for admin actions, or ask an administrator to turn the confirmation off."
            )

    def logout_request(self) -> httpx.Request | None:
        if self.strategy.logout_path is None:
            return None  # nothing ends the session but its idle timeout
        request = httpx.Request("DELETE", self.base + self.strategy.logout_path, headers=dict(self.strategy.headers))
        self._apply(request)
        return request

    def _apply(self, request: httpx.Request) -> None:
        request.headers.pop("Authorization", None)
        cookies = self.cookies.copy()  # atomic: other threads' responses may add cookies meanwhile
        if cookies:
            request.headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())

    def _absorb(self, response: httpx.Response) -> None:
        """Track the server's Set-Cookie headers (it may rotate the session, e.g. after websudo)."""
        for header in response.headers.get_list("set-cookie"):
            pair, *attributes = [part.strip() for part in header.split(";")]
            name, _, value = pair.partition("=")
            if _expired(attributes):
                self.cookies.pop(name, None)
            elif name:
                self.cookies[name] = value


def another_user(source: str, owner: str, user: str, server: str, user_from: str = USER_FLAG) -> str:
    """The refusal of a saved session (a cookie file, a --login token) that belongs to someone else than the
    user given, named as it was given (`user_from`: "flag --user", or "profile NAME" whose `user` it is)."""
    given, drop = ((f"--user {user}", f"drop --user to act as {owner}") if user_from == USER_FLAG else
                   (f"{user}, the user of {user_from}", f"give --user {owner} to act as {owner}"))
    if source == LOGIN_SOURCE:
        fix = f"Log in as {user} (the login action) for a session of their own"
    else:
        fix = (f"Give {user} a cookie file of their own (a new file name starts one), delete this one to replace its "
               "session")
    return (f"{source} holds a session of {owner} on {server}, not of {user}: atlctl does not act as {owner} for "
            f"{given}. {fix}, or {drop}.")


def _expired_session(source: str | None) -> str:
    if source is None or source == LOGIN_SOURCE:
        return source or "The saved session"
    return f"The session in {source[0].lower()}{source[1:]}"  # "Cookie file F" -> "The session in cookie file F"


def _session(response: httpx.Response) -> tuple[str, str] | None:
    """(cookie name, value) from a login answer {"session": {"name": ..., "value": ...}}, or None for any
    other answer (odd JSON, nesting too deep, not JSON at all)."""
    try:
        session = response.json().get("session")
        name, value = session["name"], session["value"]
    except (ValueError, RecursionError, AttributeError, KeyError, TypeError):
        return None
    return (name, value) if isinstance(name, str) and isinstance(value, str) and name else None


SMALL = 1 << 20  # a login answer or a refusal is a few hundred bytes


def read_small(response: httpx.Response, limit: int = SMALL) -> None:
    """Read a body the flow looks at, at most `limit` bytes (a larger one is cut): an auth flow must not
    hold a whole hostile answer in memory. An undecodable body reads as empty."""
    if hasattr(response, "_content"):
        return
    chunks, size = [], 0
    try:
        for chunk in response.iter_bytes():
            chunks.append(chunk[: limit - size])
            size += len(chunk)
            if size >= limit:
                break
    except httpx.DecodingError:
        chunks = []
    finally:
        response.close()
    response._content = b"".join(chunks)  # what response.read() would have set


def _mark_login(request: httpx.Request, login: bool) -> None:
    """Mark (or unmark) a request as a login attempt: a refused one blocks the user (http/connection.py)."""
    request.extensions = {**{k: v for k, v in request.extensions.items() if k != LOGIN}, **({LOGIN: True} if login else {})}


def _expired(attributes: list[str]) -> bool:
    for attribute in attributes:
        key, _, value = attribute.partition("=")
        key = key.strip().lower()
        if key == "max-age" and value.strip().lstrip("-").isdecimal() and int(value) <= 0:
            return True
        if key == "expires":
            parsed = email.utils.parsedate_tz(value)
            if parsed and email.utils.mktime_tz(parsed) < time.time():
                return True
    return False
