"""The one response-validation step: a decoded answer must be what the caller declared, so a
product's decoders never meet a KeyError or TypeError on a server's odd answer. A declaration is
    a type (dict, list, str, int...) or a tuple of types   the value is one of them
    {"key": declaration, ...}                              an object with at least these keys
    [declaration]                                         a list whose every item is that
    None                                                  anything (no check)
"""

from __future__ import annotations

from atlctl.errors import RemoteError

NAMES = {dict: "an object", list: "a list", str: "text", int: "a number", float: "a number", bool: "true or false",
         type(None): "null"}


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
    if isinstance(expect, dict):
        if not isinstance(data, dict):
            return f"{_name(data)}{where} where an object was expected"
        for key, inner in expect.items():
            if key not in data:
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
