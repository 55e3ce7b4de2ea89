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
