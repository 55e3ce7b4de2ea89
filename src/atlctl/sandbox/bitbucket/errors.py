"""Bitbucket DC's error bodies: {"errors": [{"context", "message", "exceptionName", ...}]} as
application/json;charset=UTF-8 (products.md §3.1; server-behaviour.md §3.1). Strings the reference
marks verbatim are reproduced byte for byte."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from atlctl.sandbox.responses import html_response, json_response

REALM = {"WWW-Authenticate": 'Basic realm="Atlassian Bitbucket"'}  # the CAPTCHA capture's header
PACKAGE = "com.atlassian.bitbucket."
WRONG_CREDENTIALS = "Authentication failed. Please check your credentials and try again."  # §3.1 verbatim
NOT_PERMITTED = "You are not permitted to access this resource"  # §3.1 verbatim
CAPTCHA = (  # products.md §3.1, verbatim but for the host
    "CAPTCHA required. Your Bitbucket account has been locked. To unlock it and log in again you must solve a "
    "CAPTCHA. This is typically caused by too many attempts to login with an incorrect password. The account lock "
    "prevents your SCM client from accessing Bitbucket and its mirrors until it is solved, even if you enter your "
    "password correctly.\n\nIf you are currently logged in to Bitbucket via a browser you may need to logout and "
    "then log back in in order to solve the CAPTCHA.\n\nVisit Bitbucket at {base} for more details."
)
BASIC_DISABLED = "Basic authentication has been disabled on this instance."  # [I] docs/bitbucket.md


def error(status: int, message: str, exception: str = "", headers: Any = None, **extra: Any) -> Response:
    item = {"context": None, "message": message, "exceptionName": PACKAGE + exception if exception else None, **extra}
    return json_response({"errors": [item]}, status, headers)


def wrong_credentials() -> Response:
    return error(401, WRONG_CREDENTIALS, "auth.IncorrectPasswordAuthenticationException", REALM)


def captcha(base: str) -> Response:
    return error(401, CAPTCHA.format(base=base), "auth.CaptchaRequiredAuthenticationException", REALM)


def not_permitted() -> Response:
    return error(401, NOT_PERMITTED, "AuthorisationException")


def basic_disabled() -> Response:
    return error(403, BASIC_DISABLED, "AuthorisationException")


def not_found(message: str, exception: str) -> Response:
    return error(404, message, exception)


def xsrf_failed() -> Response:
    return html_response("XSRF check failed", 403)  # observed as text/html (server-behaviour.md §3.4)
