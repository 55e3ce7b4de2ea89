"""Confluence's refusals, in its {statusCode, data, message, reason} shape (server-behaviour.md §2.6)
and the Seraph / Cloud-edge answers it shares with Jira (§2.1, §4.1, products.md §1.2, §2.1).
Choices made where the reference is unsure are listed in docs/confluence.md."""

from __future__ import annotations

from html import escape
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from starlette.responses import Response

from atlctl.sandbox.responses import html_response, json_response, text_response

if TYPE_CHECKING:
    from atlctl.sandbox.product import Call

CLOUD_PASSWORD = (  # §4.1, two spaces after the first period
    "Basic authentication with passwords is deprecated.  For more information, see: "
    "https://developer.atlassian.com/cloud/confluence/deprecation-notice-basic-auth/"
)
NO_CONFLUENCE = "Current user not permitted to use Confluence"  # products.md §2.1 [R]
CLOUD_ANONYMOUS = (  # §4.1 [T]: bad or no credentials where anonymous access is off
    'com.atlassian.confluence.mvc.rest.common.exception.StacklessResponseStatusException: 403 FORBIDDEN '
    '"Request rejected because caller cannot access Confluence"'
)
# A page moved under itself or a page below it: Cloud's 400 as sphinx-contrib/confluencebuilder#517
# records it; DC's wording was not captured (some versions answer a bare 500), so DC says the same.
ANCESTOR_AS_CHILD = "Cannot add an existing ancestor as a child!"
NOT_AUTHENTICATED = "This request requires authentication."  # [I] no capture of Confluence's wording


def body(status: int, message: str, *, authorized: bool = False, successful: bool = False) -> dict[str, Any]:
    data = {"authorized": authorized, "valid": True, "allowedInReadOnlyMode": True, "errors": [], "successful": successful}
    return {"statusCode": status, "data": data, "message": message, "reason": HTTPStatus(status).phrase}


def error(status: int, message: str, **flags: bool) -> Response:
    return json_response(body(status, message, **flags), status)


def bad_request(message: str) -> Response:
    return error(400, f"com.atlassian.confluence.api.service.exceptions.BadRequestException: {message}")


def oauth_realm(call: Call) -> dict[str, str]:
    return {"WWW-Authenticate": f'OAuth realm="{quote(call.base, safe="")}"'}


def tomcat_page(status: int, message: str) -> str:
    """Tomcat's error report, as Confluence's Seraph failures come back (§2.1, Tomcat 9)."""
    title = f"HTTP Status {status} – {HTTPStatus(status).phrase}"
    return (
        f'<!doctype html><html lang="en"><head><title>{title}</title></head><body><h1>{title}</h1>'
        f"<hr class=\"line\" /><p><b>Type</b> Status Report</p><p><b>Message</b> {escape(message)}</p>"
        f"<p><b>Description</b> The request has not been applied because it lacks valid authentication "
        "credentials for the target resource.</p><hr class=\"line\" /><h3>Apache Tomcat/9.0.82</h3></body></html>"
    )


def basic_failed(call: Call) -> Response:
    return html_response(tomcat_page(401, "Basic Authentication Failure - Reason : AUTHENTICATED_FAILED"), 401, oauth_realm(call))


def captcha(call: Call) -> Response:
    headers = {**oauth_realm(call), "X-Authentication-Denied-Reason": f"CAPTCHA_CHALLENGE; login-url={call.base}/login.action"}
    return html_response(tomcat_page(403, "Basic Authentication Failure - Reason : AUTHENTICATION_DENIED"), 403, headers)


def not_authenticated(call: Call) -> Response:
    return json_response(body(401, NOT_AUTHENTICATED), 401, oauth_realm(call))


def basic_disabled() -> Response:
    return json_response({"message": "Basic Authentication has been disabled on this instance."}, 403)


def websudo_required() -> Response:
    return json_response({"status-code": 401, "message": "This resource requires WebSudo."}, 401, media_type="application/json")


def xsrf_failed(cloud: bool) -> Response:
    """§0.4: the filter's plain-text entity; Cloud's names where to read more."""
    return text_response("XSRF check failed. More information at https://confluence.atlassian.com/x/DhpJMQ" if cloud
                         else "XSRF check failed", 403)


def cloud_bearer() -> Response:
    return json_response({"error": "Failed to parse Connect Session Auth Token"}, 403, media_type="application/json")


def cloud_password() -> Response:
    return text_response(CLOUD_PASSWORD, 401)


def cloud_forbidden(message: str) -> Response:
    return json_response({"message": message, "statusCode": 403}, 403)


def v2_error(status: int, title: str, code: str | None = None) -> Response:
    """Confluence Cloud v2's error list (products.md §2.2)."""
    code = code or HTTPStatus(status).name
    return json_response({"errors": [{"status": status, "code": code, "title": title, "detail": None}]}, status)
