"""Response helpers shared by the products and the control API."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

# Jira and Bitbucket DC write no space before the charset (§0.2).
JSON = "application/json;charset=UTF-8"
HTML = "text/html;charset=UTF-8"
TEXT = "text/plain;charset=UTF-8"


def dump(data: Any) -> bytes:
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    try:
        return text.encode()
    except UnicodeEncodeError:  # a lone surrogate ("\ud800") someone stored: escaped, as valid JSON allows
        return json.dumps(data, separators=(",", ":")).encode()


def json_response(data: Any, status: int = 200, headers: Mapping[str, str] | None = None, media_type: str = JSON) -> Response:
    return Response(dump(data), status, headers, media_type)


TOMCAT_CLIENT_ERROR = (
    "The server cannot or will not process the request due to something that is perceived to be a client error "
    "(e.g., malformed request syntax, invalid request message framing, or deceptive request routing)."
)


def tomcat_report(status: int, reason: str, message: str, description: str = TOMCAT_CLIENT_ERROR,
                  report: str = "Status Report") -> Response:
    """Tomcat 9's error report page (ErrorReportValve), for what Tomcat refuses before the product."""
    title = f"HTTP Status {status} – {reason}"
    body = (
        f'<!doctype html><html lang="en"><head><title>{title}</title></head><body><h1>{title}</h1>'
        f'<hr class="line" /><p><b>Type</b> {report}</p><p><b>Message</b> {message}</p>'
        f'<p><b>Description</b> {description}</p><hr class="line" /><h3>Apache Tomcat</h3></body></html>'
    )
    return Response(body.encode(), status, media_type="text/html;charset=utf-8")


def html_response(body: str, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(body.encode(errors="replace"), status, headers, HTML)


def text_response(body: str, status: int, headers: Mapping[str, str] | None = None) -> Response:
    return Response(body.encode(errors="replace"), status, headers, TEXT)


def empty_response(status: int = 204, headers: Mapping[str, str] | None = None) -> Response:
    return Response(b"", status, headers)


def redirect(location: str, headers: Mapping[str, str] | None = None) -> Response:
    return Response(b"", 302, {"Location": location, **(headers or {})})


def method_not_allowed(allowed: list[str]) -> Response:
    return Response(b"", 405, {"Allow": ",".join(allowed)})


def method_not_allowed_handler(allowed: list[str]):
    """An endpoint handler answering method_not_allowed(allowed), for a product's unrouted()."""

    async def not_allowed(call: Any) -> Response:
        return method_not_allowed(allowed)

    return not_allowed
