"""Every refusal the Jira products send, with the real servers' wording (server-behaviour.md).

Strings marked verbatim in the reference are reproduced byte for byte; the section is named next
to each. Choices made where the reference is uncertain are listed in docs/sandbox.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from starlette.responses import Response

from atlctl.sandbox.jira import pages
from atlctl.sandbox.responses import html_response, json_response, redirect, text_response, tomcat_report

if TYPE_CHECKING:
    from atlctl.sandbox.jira.call import JiraCall

NOT_AUTHENTICATED = "You are not authenticated. Authentication required to perform this operation."  # §1.2, §1.6
CLOUD_NOT_AUTHENTICATED = "Client must be authenticated to access this resource."  # §4.1
CLOUD_PASSWORD = (  # §4.1 (two spaces after the first period)
    "Basic authentication with passwords is deprecated.  For more information, see: "
    "https://developer.atlassian.com/cloud/confluence/deprecation-notice-basic-auth/"
)
ADMIN_REQUIRED = "You are not authorized to perform this operation."  # [I] no capture; docs/sandbox.md
NO_CLOUD_USER = "Specified user does not exist or you do not have required permissions"
NOT_A_STRING = "Operation value must be a string"
SEARCH_REMOVED = (  # Jira Cloud since 2025 (CHANGE-2046), as clients quote it
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
    "A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"
)


def oauth_realm(call: JiraCall) -> dict[str, str]:
    """§0.3: the base URL, percent-encoded, on 401/403 authentication failures."""
    return {"WWW-Authenticate": f'OAuth realm="{quote(call.base, safe="")}"'}


def collection(status: int, messages: list[str] | None = None, errors: dict[str, str] | None = None, headers: Any = None) -> Response:
    """Jira's ErrorCollection (§1.8)."""
    return json_response({"errorMessages": messages or [], "errors": errors or {}}, status, headers)


def tomcat_header_too_large() -> Response:
    """Tomcat's error report for a request line and headers beyond maxHttpHeaderSize."""
    return tomcat_report(400, "Bad Request", "Request header is too large", report="Exception Report")


def not_authenticated(call: JiraCall) -> Response:
    if call.product.deployment.cloud:
        return json_response({"errorMessages": [CLOUD_NOT_AUTHENTICATED]}, 401, oauth_realm(call))
    return collection(401, [NOT_AUTHENTICATED], headers=oauth_realm(call))


def basic_failed(call: JiraCall) -> Response:
    """§1.1: wrong Basic credentials on a REST URL: Seraph's HTML error page."""
    body = pages.error_page(401, "Unauthorized", "Basic Authentication Failure - Reason : AUTHENTICATED_FAILED", call.product.version)
    return html_response(body, 401, oauth_realm(call))


def _denied_reason(call: JiraCall) -> dict[str, str]:
    return {"X-Authentication-Denied-Reason": f"CAPTCHA_CHALLENGE; login-url={call.base}/login.jsp"}


def captcha_basic(call: JiraCall) -> Response:
    """§1.4: a Basic login for an account under CAPTCHA, right or wrong password."""
    body = pages.error_page(403, "Forbidden", "Basic Authentication Failure - Reason : AUTHENTICATION_DENIED", call.product.version)
    return html_response(body, 403, {**oauth_realm(call), **_denied_reason(call)})


def captcha_login(call: JiraCall) -> Response:
    """§1.2: POST /rest/auth/1/session for an account under CAPTCHA (rest.login.denied, §9.3)."""
    return collection(403, ["Login denied"], headers={**oauth_realm(call), **_denied_reason(call)})


def login_failed() -> Response:
    """§1.2: POST /rest/auth/1/session with wrong credentials."""
    return collection(401, ["Login failed"], headers={"WWW-Authenticate": "JIRA REST POST"})


def basic_disabled() -> Response:
    """§1.1: Basic authentication turned off by the administrator (Jira 8.16+)."""
    return json_response({"message": "Basic Authentication has been disabled on this instance."}, 403)


def websudo_required() -> Response:
    """§0.5: atlassian-rest Status entity, media type without charset."""
    return json_response({"status-code": 401, "message": "This resource requires WebSudo."}, 401, media_type="application/json")


def xsrf_failed(call: JiraCall) -> Response:
    """§0.4: the filter's plain string entity; 404 in the REST plugin's legacy mode (§9.7)."""
    return text_response(call.product.deployment.xsrf_failure, 404 if call.product.settings.xsrf_legacy else 403)


def cloud_bearer() -> Response:
    """§4.1: an API token sent as Bearer to the site."""
    return json_response({"error": "Failed to parse Connect Session Auth Token"}, 403, media_type="application/json")


def cloud_password() -> Response:
    """§4.1: the Atlassian account password in the Basic password slot."""
    return text_response(CLOUD_PASSWORD, 401)


def null_for_uri(call: JiraCall) -> Response:
    """Jersey's 404 for a REST path nobody serves (also the PAT API before Jira 8.14)."""
    return json_response({"message": f"null for uri: {call.request.url}", "status-code": 404}, 404)


def page_not_found(call: JiraCall) -> Response:
    body = pages.error_page(404, "Not Found", "The page you are looking for does not exist.", call.product.version)
    return html_response(body, 404)


def login_redirect(call: JiraCall) -> Response:
    """Web pages without a web session go to the login page, keeping where they were going."""
    return redirect(pages.login_url(call.base, call.request.url.path[len(call.product.prefix) :] or "/"))


def xsrf_missing_page(call: JiraCall) -> Response:
    return html_response(pages.xsrf_missing_page(call.product.version), 403)


def websudo_redirect(call: JiraCall) -> Response:
    """An admin page without a fresh grant goes to the websudo form first."""
    destination = call.request.url.path[len(call.product.prefix) :]
    return redirect(f"{call.base}/secure/admin/WebSudoAuthenticate!default.jspa?webSudoDestination={quote(destination, safe='')}")


def permission_violation(call: JiraCall) -> Response:
    return html_response(pages.permission_violation_page(call.product.version), 403)
