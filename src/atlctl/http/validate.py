"""The one response-validation step: a decoded answer must be what the caller declared, so a
product's decoders never meet a KeyError or TypeError on a server's odd answer. A declaration is
    a type (dict, list, str, int...) or a tuple of types   the value is one of them
    {"key": declaration, ...}                              an object with at least these keys
    [declaration]                                         a list whose every item is that
    None                                                  anything (no check)
    optional(declaration)                                 (as a value in an object) the key may be absent
                                                          or null; when present it is as declared
decode(response, what) turns a response's body into JSON data with the same care: undecodable text,
absurd nesting and anything that is not JSON are a RemoteError saying what came back.
"""

from __future__ import annotations

import json

from atlctl.errors import RemoteError

# What a successful answer may carry (Connection.send's `answer`)
JSON = "json"  # JSON (then checked against the declaration)
EMPTY = "empty"  # a write's answer: no body, or anything but an HTML page (an SSO proxy's, a login page)
BYTES = "bytes"  # a download: anything but a login page
PAGE = "page"  # a web page the action asked for: anything

NAMES = {dict: "an object", list: "a list", str: "text", int: "a number", float: "a number", bool: "true or false",
         type(None): "null"}


MAX_DEPTH = 100  # nesting levels a JSON answer may have (real answers have about ten)


class optional:
    """A key that may be absent or null: {"fields": optional(dict)}."""

    def __init__(self, expect):
        self.expect = expect


def refuse_deep(response, what: str) -> None:
    """Any answer that is JSON nested past MAX_DEPTH, whatever its status, is refused as it is read: no
    decoder or error-body reader of any product then meets a RecursionError. The decoded JSON is kept
    for decode(), so an answer is parsed once."""
    content = response.content
    if content[:1] not in (b"[", b"{") and content.lstrip()[:1] not in (b"[", b"{"):
        return
    try:
        data = json.loads(content)
    except RecursionError:
        _too_deep(what)
    except ValueError:  # not JSON (or not text): decode() or the dialect say so
        return
    if depth(data) > MAX_DEPTH:
        _too_deep(what)
    response.extensions = {**response.extensions, DECODED: data}


DECODED = "atlctl.decoded"  # the response extension holding the JSON refuse_deep() decoded


def decode(response, what: str):
    """The JSON in `response` (already read), or a RemoteError (253) naming what came back instead."""
    if DECODED in response.extensions:
        return response.extensions[DECODED]
    content = response.content
    kind = response.headers.get("content-type", "no content type").split(";")[0].strip() or "no content type"
    if not content.strip():
        raise RemoteError(f"{what} with an empty body (HTTP {response.status_code}), not JSON. Is "
                          "--server the product's base URL (including any context path)?", reason="unexpected")
    try:
        data = response.json()
    except RecursionError:
        data = _too_deep(what)
    except UnicodeDecodeError:
        raise RemoteError(f"{what} with {kind} that is not valid text in its declared encoding, not JSON.",
                          reason="unexpected") from None
    except ValueError:
        raise RemoteError(f"{what} with {kind}, not JSON: is --server the base URL of the product (including any "
                          "context path)?", reason="unexpected") from None
    if depth(data) > MAX_DEPTH:
        _too_deep(what)
    return data


def refuse_page(response, answer: str, situation, dialect) -> None:
    """A 2xx that is an HTML page where the API's answer was expected (a write's, a JSON one) or a login
    page where a file was expected: the classified error, never a false success."""
    from atlctl.http.classify import classify, is_html, looks_like_login_page

    if answer == PAGE or response.status_code == 204:
        return
    if is_html(response) if answer in (JSON, EMPTY) else looks_like_login_page(response):
        raise classify(response, situation, dialect)


def _too_deep(what: str):
    raise RemoteError(f"{what} with JSON nested more than {MAX_DEPTH} levels deep: not an answer atlctl can use.",
                      reason="unexpected") from None


def depth(data) -> int:
    """How deeply `data` nests (iteratively: no recursion limit to meet), stopping past MAX_DEPTH."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, (dict, list)):
            deepest = max(deepest, level)
            if deepest > MAX_DEPTH:
                return deepest
            stack.extend((item, level + 1) for item in (value.values() if isinstance(value, dict) else value))
    return deepest


def check(data, expect, what: str):
    """`data` if it is as declared, else a RemoteError (253) saying `what` answered and where it differs."""
    problem = _problem(data, expect, "")
    if problem is not None:
        raise RemoteError(f"{what} with an unexpected answer: {problem}. Is --server the product's base URL, and "
                          "the server a supported version?", reason="unexpected")
    return data


def _problem(data, expect, where: str) -> str | None:
    if expect is None:
        return None
    if isinstance(expect, optional):
        return None if data is None else _problem(data, expect.expect, where)
    if isinstance(expect, dict):
        if not isinstance(data, dict):
            return f"{_name(data)}{where} where an object was expected"
        for key, inner in expect.items():
            if isinstance(inner, optional):
                if data.get(key) is None:
                    continue
                inner = inner.expect
            elif key not in data:
                return f"no '{key}'{where or ''} in the object"
            problem = _problem(data[key], inner, f" in '{key}'" + where)
            if problem:
                return problem
        return None
    if isinstance(expect, list):
        if not isinstance(data, list):
            return f"{_name(data)}{where} where a list was expected"
        for index, item in enumerate(data):
            problem = _problem(item, expect[0], f" at item {index + 1}" + where)
            if problem:
                return problem
        return None
    kinds = expect if isinstance(expect, tuple) else (expect,)
    if isinstance(data, bool) and bool not in kinds or not isinstance(data, kinds):
        wanted = " or ".join(dict.fromkeys(NAMES.get(k, k.__name__) for k in kinds))
        return f"{_name(data)}{where} where {wanted} was expected"
    return None


def _name(data) -> str:
    return NAMES.get(type(data), type(data).__name__)
