"""Run-time settings of each sandbox product: the validators products build their schemas from,
the settings every product has (rate_limit, faults), and the start-up options products declare.

Settings change behaviour by data (POST /_sandbox/settings), so handlers never grow special cases.
They live in memory only: a restart or POST /_sandbox/reset brings back the defaults.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

FAULT_KINDS = ("status", "slow", "drop", "html_login")


class SettingsError(ValueError):
    """A rejected setting; the message is shown to the caller as is."""


def parse_version(text: Any) -> tuple[int, int, int]:
    if not isinstance(text, str) or not re.fullmatch(r"\d{1,4}\.\d{1,4}\.\d{1,4}", text):
        raise SettingsError(f"version must look like 9.12.4, not {text!r}")
    major, minor, patch = (int(part) for part in text.split("."))
    return major, minor, patch


@dataclass
class Fault:
    path: str
    kind: str
    method: str | None = None
    status: int = 503
    seconds: float = 0.0
    retry_after: int = 1
    count: int | None = None

    def matches(self, path: str, method: str) -> bool:
        return path.startswith(self.path) and (self.method is None or self.method == method)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "method": self.method, "kind": self.kind}
        if self.kind == "status":
            out["status"] = self.status
            out["retry_after"] = self.retry_after
        if self.kind == "slow":
            out["seconds"] = self.seconds
        out["count"] = self.count
        return out


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise SettingsError("must be true or false")
    return value


def int_between(low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise SettingsError(f"must be a whole number from {low} to {high}")
        return value

    return check


def _rate_limit(value: Any) -> dict[str, float] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"requests", "interval_seconds"}:
        raise SettingsError('must be null or {"requests": N, "interval_seconds": S}')
    requests = int_between(1, 1_000_000)(value["requests"])
    interval = value["interval_seconds"]
    if isinstance(interval, bool) or not isinstance(interval, (int, float)) or not 0 < interval <= 86400:
        raise SettingsError("interval_seconds must be a number above 0 and at most 86400")
    return {"requests": requests, "interval_seconds": interval}


def version(value: Any) -> str:
    parse_version(value)
    return value


_FAULT_FIELDS = {"path", "method", "kind", "status", "seconds", "retry_after", "count"}


def _fault(value: Any) -> Fault:
    if not isinstance(value, dict):
        raise SettingsError("each fault must be an object")
    unknown = set(value) - _FAULT_FIELDS
    if unknown:
        raise SettingsError(f"unknown fault field(s): {', '.join(sorted(unknown))}")
    path, kind, method = value.get("path"), value.get("kind"), value.get("method")
    if not isinstance(path, str) or not path.startswith("/"):
        raise SettingsError('fault "path" must be a path starting with "/", relative to the product base')
    if kind not in FAULT_KINDS:
        raise SettingsError(f'fault "kind" must be one of {", ".join(FAULT_KINDS)}')
    if method is not None and (not isinstance(method, str) or not method.isalpha()):
        raise SettingsError('fault "method" must be an HTTP method such as "GET"')
    fault = Fault(path=path, kind=kind, method=method.upper() if method else None)
    if kind == "status":
        status = value.get("status", 503)
        if isinstance(status, bool) or not isinstance(status, int) or not 500 <= status <= 599:
            raise SettingsError('fault "status" must be a 5xx status code')
        fault.status = status
        fault.retry_after = int_between(0, 3600)(value.get("retry_after", 1))
    if kind == "slow":
        seconds = value.get("seconds")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds <= 300:
            raise SettingsError('fault "seconds" must be a number from 0 to 300')
        fault.seconds = float(seconds)
    count = value.get("count")
    if count is not None:
        fault.count = int_between(1, 1_000_000)(count)
    return fault


def _faults(value: Any) -> list[Fault]:
    if not isinstance(value, list):
        raise SettingsError("must be a list of faults")
    return [_fault(item) for item in value]


Schema = dict[str, Callable[[Any], Any]]  # key -> validator, which returns the value to keep
# Every product has these (the shared pipeline reads them); by default no limit, no faults and no
# latency (milliseconds added to every answer: a real server is never on the client's own CPUs).
_SHARED_SCHEMA: Schema = {"rate_limit": _rate_limit, "faults": _faults, "latency_ms": int_between(0, 60_000)}
_SHARED_DEFAULTS = {"rate_limit": None, "latency_ms": 0}  # and a fresh empty list of faults at each reset


@dataclass(frozen=True)
class Option:
    """A start-up option a product declares: `atlctl sandbox --<name with dashes>`, and the keyword
    of the same name to create_app() and SandboxServer()."""

    name: str  # e.g. "jira_version"
    default: str
    help: str
    check: Callable[[str], Any]  # returns the value to use, or raises SettingsError

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


class Settings:
    """The current settings of one product, read as attributes on the hot path: the product's own
    (`schema`, `defaults`), then rate_limit, faults and latency_ms."""

    rate_limit: dict[str, float] | None
    faults: list[Fault]
    latency_ms: int

    def __init__(self, schema: Schema, defaults: Callable[[], dict[str, Any]]):
        self._schema = {**schema, **_SHARED_SCHEMA}
        self._defaults = defaults
        self.reset()

    def reset(self) -> None:
        self.apply({**self._defaults(), **_SHARED_DEFAULTS, "faults": []})

    def apply(self, values: dict[str, Any]) -> None:
        for key, value in values.items():
            setattr(self, key, value)

    def check(self, changes: Any) -> dict[str, Any]:
        """Validated values for `changes`, or SettingsError; nothing is applied yet."""
        if not isinstance(changes, dict):
            raise SettingsError("settings of a product must be a JSON object")
        checked = {}
        for key, value in changes.items():
            if key not in self._schema:
                raise SettingsError(f"unknown setting {key!r} (known: {', '.join(self._schema)})")
            try:
                checked[key] = self._schema[key](value)
            except SettingsError as exc:
                raise SettingsError(f"{key}: {exc}") from None
        self.check_together({**self.as_values(), **checked})
        return checked

    def check_together(self, values: dict[str, Any]) -> None:
        """Refuse (SettingsError) a combination of valid values that cannot be; `values` is all of them."""

    def as_values(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in self._schema}

    def as_dict(self) -> dict[str, Any]:
        out = self.as_values()
        out["faults"] = [fault.as_dict() for fault in self.faults]
        return out

    def take_fault(self, path: str, method: str) -> Fault | None:
        """The first fault matching this request, using up one of its `count`."""
        for fault in self.faults:
            if fault.matches(path, method):
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count == 0:
                        self.faults = [f for f in self.faults if f is not fault]
                return fault
        return None
