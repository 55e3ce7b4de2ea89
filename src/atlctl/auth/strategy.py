"""How a product's sessions are obtained and elevated, as data the session scheme (auth/session.py)
follows. Kept apart from the scheme so declaring it imports no HTTP library."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import httpx

LOGIN = "atlctl.login"  # request extension marking a login attempt: its refusal blocks the user
SENT = "atlctl.gateway.sent"  # request extension: the request goes to the API gateway, not the site


class Elevation(NamedTuple):
    """A password confirmation some resources want on top of the session (websudo)."""

    path: str  # where the password is confirmed (a form POST)
    refusal: str  # text of the 401 body that asks for it
    password_field: str
    fields: tuple[tuple[str, str], ...] = ()  # other form fields, as the browser sends them
    xsrf: tuple[str, str] | None = None  # (cookie, form field): the XSRF token the form carries
    granted: tuple[str, str] | None = None  # (header, value) the answer carries when it worked
    title: str = "The server"  # the product, as the refusal of a wrong password names it

    def refused(self, response: httpx.Response) -> bool:
        return response.status_code == 401 and self.refusal in response.text


class SessionStrategy(NamedTuple):
    cookie: str  # the session cookie's name, until the server names it otherwise
    login_path: str | None = None  # a login resource taking JSON {user_field, password_field}; None: first request
    logout_path: str | None = None  # DELETE ends the session
    user_field: str = "username"
    password_field: str = "password"
    elevation: Elevation | None = None
    headers: tuple[tuple[str, str], ...] = ()  # what login, logout and elevation requests carry besides
    # a header the server sets on every answer to a logged-in caller: a 401 that carries it refuses the
    # resource, not the session (servers that answer "not permitted" with 401, such as Bitbucket's X-AUSERNAME)
    alive_header: str | None = None
    # (path, header): a cheap GET whose answer names the session's user in that header (Atlassian's X-AUSERNAME,
    # "anonymous" or absent without a session): how a session of unknown owner (a curl cookie file) is checked
    whoami: tuple[str, str] | None = None


def is_login(request: httpx.Request) -> bool:
    return bool(request.extensions.get(LOGIN))
