"""The gateway's own answers to refused requests: {"code": 401, "message": "Unauthorized"}."""

from __future__ import annotations

from starlette.responses import Response

from atlctl.sandbox.responses import json_response

UNAUTHORIZED = "Unauthorized"
SCOPE_MISMATCH = "Unauthorized; scope does not match"  # [T] kovetskiy/mark#917, Atlassian community threads


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return json_response({"code": status, "message": message}, status, headers, media_type="application/json")


def unauthorized() -> Response:
    """No credentials, or none the gateway knows (a wrong, expired or revoked token, a password)."""
    return error(401, UNAUTHORIZED)


def scope_mismatch() -> Response:
    """The token lacks the scopes of the operation (mark#917 shows the header)."""
    return error(401, SCOPE_MISMATCH, {"X-Failure-Category": "FAILURE_CLIENT_SCOPE_CHECK"})


def not_found() -> Response:
    return error(404, "Not Found")  # [I] no capture of the gateway's 404 body (an unknown cloudId)
