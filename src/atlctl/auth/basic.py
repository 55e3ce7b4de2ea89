"""HTTP basic: Server/DC user + password, Cloud account email + API token (`--auth basic`, or the
only scheme Cloud accepts).

Every request carries the password, so every request is a password check: until the server has
accepted it once, requests go one at a time through the first-login gate (as the session scheme's
first login does). With a wrong password a run makes one check, not one per thread of a bulk run,
and a CAPTCHA lockout is not set off by atlctl itself."""

import base64
import threading

import httpx

from atlctl.auth.origin import origin
from atlctl.errors import ClientError


def basic_header(user: str | None, secret: str | None) -> str:
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


class BasicAuth(httpx.Auth):
    scheme = "basic"

    def __init__(self, server: str, user: str, secret: str):
        self.origin = origin(server)
        self.user = user
        self._header = basic_header(user, secret)
        self._gate = threading.Lock()
        self._accepted = False  # the server has accepted the credentials once: no more gating
        self._refused = False

    def signed(self, request: httpx.Request) -> httpx.Request | None:
        """The request to send with the credentials, or None: it goes out as it is, without them
        (another origin)."""
        if origin(request.url) != self.origin:
            return None
        request.headers["Authorization"] = self._header
        return request

    def first(self, request: httpx.Request):
        """The exchange that checks the credentials (a generator, as auth flows are): its last answer."""
        return (yield request)

    def refuses(self, response: httpx.Response) -> bool:
        return refused(response)

    def auth_flow(self, request):
        if self._accepted:  # signed after the check: another thread may have moved the route meanwhile
            yield self.signed(request) or request
            return
        target = self.signed(request)
        if target is None:
            yield request
            return
        with self._gate:  # the first check, one at a time
            if self._refused:
                raise ClientError(
                    f"The server refused the credentials for {self.user} earlier in this run; atlctl does not send "
                    "them again (each failure counts towards a CAPTCHA lockout). Check the user name and password.")
            if not self._accepted:
                response = yield from self.first(target)
                if self.refuses(response):
                    self._refused = True
                elif response.status_code not in (401, 403):
                    self._accepted = True
                return
        yield self.signed(request) or request  # accepted meanwhile, perhaps through another route


def refused(response: httpx.Response) -> bool:
    """The credentials were refused: a 401, or a 403 that says why authentication was denied (a CAPTCHA)."""
    return response.status_code == 401 or (response.status_code == 403
                                           and bool(response.headers.get("X-Authentication-Denied-Reason")))
