"""A small method+path router: a dict lookup for fixed paths, regexes for templated ones."""

from __future__ import annotations

import re
from typing import Generic, TypeVar

T = TypeVar("T")
_PARAM = re.compile(r"\{(\w+)\}")


class Router(Generic[T]):
    def __init__(self) -> None:
        self._fixed: dict[str, dict[str, T]] = {}
        self._templated: list[tuple[re.Pattern[str], dict[str, T]]] = []
        self._templates: dict[str, dict[str, T]] = {}

    def add(self, method: str, path: str, target: T) -> None:
        if "{" not in path:
            self._fixed.setdefault(path, {})[method] = target
            return
        if path not in self._templates:
            pattern = re.compile("^" + _PARAM.sub(r"(?P<\1>[^/]+)", re.escape(path).replace(r"\{", "{").replace(r"\}", "}")) + "$")
            self._templates[path] = {}
            self._templated.append((pattern, self._templates[path]))
        self._templates[path][method] = target

    def match(self, path: str, method: str) -> tuple[T | None, dict[str, str], list[str]]:
        """(target, path parameters, allowed methods); target None with methods = 405, without = 404.

        A trailing slash is ignored, as Jersey does (pycontribs calls `user/?username=`).
        """
        if len(path) > 1 and path.endswith("/"):
            path = path[:-1]
        methods = self._fixed.get(path)
        params: dict[str, str] = {}
        if methods is None:
            for pattern, candidates in self._templated:
                found = pattern.match(path)
                if found:
                    methods, params = candidates, found.groupdict()
                    break
        if methods is None:
            return None, {}, []
        target = methods.get(method) or (methods.get("GET") if method == "HEAD" else None)
        return target, params, sorted(methods)
