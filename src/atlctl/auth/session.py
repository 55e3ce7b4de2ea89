"""Server/DC cookie session (`/rest/auth/1/session`), the default with a user and password.

One login per process however many requests follow (the server verifies the password once), an
expired session renewed once and never in a loop (a session refused right after a login is not
renewed again: a proxy dropping cookies would otherwise cost a password check per request), and a websudo elevation (secure
administrator session) when an admin resource asks for it and the password is at hand. The flow
never classifies failures: it hands the failing response back and `http.classify` explains it."""

from __future__ import annotations

import email.utils
import threading
import time

import httpx

from atlctl.auth.origin import origin
from atlctl.errors import ClientError

LOGIN_PATH = "/rest/auth/1/session"
WEBSUDO_PATH = "/secure/admin/WebSudoAuthenticate.jspa"
WEBSUDO_MESSAGE = "This resource requires WebSudo."
SESSION_COOKIE = "JSESSIONID"
XSRF_COOKIE = "atlassian.xsrf.token"


def is_websudo_refusal(response: httpx.Response) -> bool:
    return response.status_code == 401 and WEBSUDO_MESSAGE in response.text


class SessionAuth(httpx.Auth):
    scheme = "session"
    requires_response_body = True

    def __init__(self, base_url: str, user: str | None, password: str | None,
                 cookies: dict[str, str] | None = None, on_event=lambda message: None):
        self.base = base_url.rstrip("/")
        self.origin = origin(base_url)
        self.user = user
        self.password = password
        self.cookies = dict(cookies or {})
        self.created = False  # this process logged in, so it logs out at exit unless told to keep it
        self.on_event = on_event
        self.cookie_name = SESSION_COOKIE  # what the login answer names it (Bitbucket: BITBUCKETSESSIONID)
        self._generation = 0  # bumped by each login, so concurrent 401s renew only once
        self._unusable: str | None = None  # why sessions do not work here: no more logins in this process
        self._refused = False  # set under the lock, so threads queued behind a failed login do not retry it
        self._lock = threading.Lock()

    @property
    def session_id(self) -> str | None:
        return self.cookies.get(self.cookie_name)

    def auth_flow(self, request):
        if origin(request.url) != self.origin:
            yield request
            return
        if self._unusable:
            raise ClientError(self._unusable)
        with self._lock:
            fresh = self.session_id is None
            if fresh:
                failure = yield from self._login()
                if failure is not None:
                    return  # the login response goes back to the caller to be explained
            generation = self._generation
        self._apply(request)
        response = yield request
        self._absorb(response)
        if response.status_code != 401:
            return
        if is_websudo_refusal(response):
            if self.password is None:
                return
            yield from self._elevate()
        else:  # a 401 despite our cookie: the session expired or was logged out elsewhere
            if self.password is None:
                return
            if fresh:
                self._give_up()
            with self._lock:
                if generation == self._generation:  # no other thread renewed it meanwhile
                    self.on_event("Session expired; logging in again")
                    self.cookies.pop(self.cookie_name, None)
                    failure = yield from self._login()
                    if failure is not None:
                        return
        self._apply(request)
        response = yield request
        self._absorb(response)
        if response.status_code == 401 and not is_websudo_refusal(response):
            self._give_up()

    def _give_up(self):
        self._unusable = (
            "The server refused the session right after a successful login: something between atlctl and the "
            "server (a proxy, a load balancer without sticky sessions) is losing the session cookie. atlctl stops "
            "logging in (each login costs a password check). Use --auth basic or a personal access token."
        )
        raise ClientError(self._unusable)

    def _login(self):
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
        request = httpx.Request(
            "POST", self.base + LOGIN_PATH,
            json={"username": self.user, "password": self.password},
            headers={"Accept": "application/json", "X-Atlassian-Token": "no-check"},
        )
        response = yield request
        if response.status_code != 200:
            self._refused = response.status_code in (401, 403)  # the connection also blocks the user [§1.2, §1.3]
            return response
        self._absorb(response)
        try:
            session = response.json()["session"]
            self.cookie_name = session["name"]
            self.cookies[session["name"]] = session["value"]
        except (ValueError, KeyError, TypeError):
            pass
        if self.session_id is None:  # a 200 that is not a session: never hand it back as the action's answer
            raise ClientError(
                f"{self.base}{LOGIN_PATH} answered the login without a session: is --server the product's base URL?"
            )
        self._generation += 1
        self.created = True
        self.on_event(f"Logged in as {self.user} (session authentication)")
        return None

    def _elevate(self):
        self.on_event("Admin resource needs a secure administrator session (websudo); confirming the password")
        request = httpx.Request(
            "POST", self.base + WEBSUDO_PATH,
            data={"webSudoPassword": self.password, "webSudoDestination": "/", "webSudoIsPost": "false",
                  "atl_token": self.cookies.get(XSRF_COOKIE, "")},
            headers={"X-Atlassian-Token": "no-check"},
        )
        self._apply(request)
        response = yield request
        self._absorb(response)
        if response.headers.get("X-Atlassian-WebSudo") != "Has-Authentication":
            raise ClientError(
                f"Could not open a secure administrator session (websudo): the server answered HTTP "
                f"{response.status_code} to the password confirmation. Use --auth basic or a personal "
                "access token for admin actions, or ask an administrator to disable websudo."
            )

    def logout_request(self) -> httpx.Request:
        request = httpx.Request("DELETE", self.base + LOGIN_PATH, headers={"X-Atlassian-Token": "no-check"})
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


def _expired(attributes: list[str]) -> bool:
    for attribute in attributes:
        key, _, value = attribute.partition("=")
        key = key.strip().lower()
        if key == "max-age" and value.strip().lstrip("-").isdigit() and int(value) <= 0:
            return True
        if key == "expires":
            parsed = email.utils.parsedate_tz(value)
            if parsed and email.utils.mktime_tz(parsed) < time.time():
                return True
    return False
