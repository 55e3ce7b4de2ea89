"""Bitbucket Cloud's error answers, verbatim where recorded (products.md §4.1-4.2, SB §5.2)."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

JSON = "application/json; charset=utf-8"
TEXT = "text/plain"
WWW_AUTHENTICATE = {"WWW-Authenticate": 'Basic realm="Bitbucket.org HTTP"'}
DOCS = "https://developer.atlassian.com/cloud/bitbucket/rest/intro/#authentication"

LOGIN_FAILED = (
    "Login failed due to incorrect login credentials or method.\n"
    "For information on authentication methods for Bitbucket Cloud APIs, visit:\n"
    f"    {DOCS}\n"
    "If you are unsure of which login details or login method to use, visit:\n"
    "    https://support.atlassian.com/bitbucket-cloud/docs/log-into-or-connect-to-bitbucket-cloud/\n"
)
# [R] sourcegraph bitbucketcloud-TestClient-CurrentUser.yaml (2022), byte for byte.
ACCOUNT_PASSWORD = (
    "Bitbucket Cloud recently stopped supporting account passwords for API authentication.\n"
    "See our community post for more details: https://atlassian.community/t5/x/x/ba-p/1948231\n"
    "App passwords are recommended for most use cases and can be created in your Personal settings:\n"
    "https://bitbucket.org/account/settings/app-passwords/\n"
    "For more details on API authentication methods see our documentation:\n"
    f"{DOCS}\n"
)
TOKEN_INVALID = "Token is invalid, expired, or not supported for this endpoint."
ACCESS_TOKEN_NOT_HERE = "Token is invalid or not supported for this endpoint."  # BCLOUD-23528, on /2.0/user
ACCESS_TOKEN_EXPIRED = "Access token expired."
LACKS_SCOPES = "Your credentials lack one or more required privilege scopes."
NO_REPOSITORY = ("The requested repository either does not exist or you do not have access. If you believe this "
                 "repository exists and you have access, make sure you're authenticated.")
NO_API = ("There is no API hosted at this URL.\n\nFor information about our API's, please refer to the documentation "
          "at: https://developer.atlassian.com/bitbucket/api/2/reference/")
RATE_LIMITED = "Rate limit for this resource has been exceeded"


def dump(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()  # Bitbucket writes ", " and ": " (SB §5.2)


def json_response(data: Any, status: int = 200, headers: dict | None = None) -> Response:
    return Response(dump(data), status, headers, JSON)


def error(status: int, message: str, *, detail: Any = None, fields: dict | None = None, headers: dict | None = None) -> Response:
    body: dict[str, Any] = {"message": message}
    if fields is not None:
        body = {"fields": fields, **body}
    if detail is not None:
        body["detail"] = detail
    return json_response({"type": "error", "error": body}, status, headers)


def text(status: int, body: str, headers: dict | None = None) -> Response:
    """A text/plain answer without a charset, as recorded (Starlette would add one to a media type)."""
    return Response(body.encode(), status, {**(headers or {}), "Content-Type": TEXT})


def login_failed() -> Response:
    return text(401, LOGIN_FAILED, WWW_AUTHENTICATE)


def account_password() -> Response:
    return text(401, ACCOUNT_PASSWORD, WWW_AUTHENTICATE)


def token_invalid() -> Response:
    return error(401, TOKEN_INVALID)


def access_token_expired() -> Response:
    return error(401, ACCESS_TOKEN_EXPIRED)


def lacks_scopes(required: list[str], granted: list[str]) -> Response:
    return error(403, LACKS_SCOPES, detail={"required": required, "granted": granted})


def forbidden() -> Response:
    return error(403, "Forbidden")


def no_repository() -> Response:
    return error(404, NO_REPOSITORY, headers={"Cache-Control": "max-age=900"})


def not_found(message: str) -> Response:
    return error(404, message)


def no_api() -> Response:
    return error(404, "Resource not found", detail=NO_API)


def bad_request(message: str, field: str | None = None) -> Response:
    if field is None:
        return error(400, message)
    return error(400, f"{field}: {message}", fields={field: [message]})
