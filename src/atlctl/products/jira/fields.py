"""Jira fields by name or id, and values converted by each field's type: what --field NAME=VALUE,
--field NAME --values V, --custom "NAME:VALUE,..." and setFieldValue send."""

from __future__ import annotations

import math
import re

from atlctl.errors import ParameterError
from atlctl.values import list_items

SEARCH_FIELDS = ["summary", "status", "issuetype", "priority", "assignee", "reporter", "created", "updated"]  # a list's


def name_of(value, *keys):
    """The readable part of a Jira object field ({"name": ...}, {"displayName": ...}) or None."""
    if not isinstance(value, dict):
        return value
    for key in keys or ("name", "displayName", "value", "key"):
        if value.get(key) is not None:
            return value[key]
    return None


class Fields:
    """Field id -> value, remembering which parameter set each: one field set twice with different
    values is a parameter problem naming both, never a silent choice."""

    def __init__(self):
        self.values: dict = {}
        self.origin: dict[str, str] = {}

    def put(self, field_id: str, value, origin: str) -> None:
        """`origin`: the parameter and the value as given (`--priority High`)."""
        if field_id in self.values and self.values[field_id] != value:
            raise ParameterError(f"Field '{field_id}' is set twice with different values: by {self.origin[field_id]} "
                                 f"and by {origin}. Give it once.")
        self.values[field_id] = value
        self.origin.setdefault(field_id, origin)


def named_fields(call, fields: Fields | None = None) -> dict:
    """--field NAME=VALUE (repeatable), --field NAME --values V and --custom "NAME:VALUE,..." as
    field ids and values converted by each field's type."""
    fields = fields if fields is not None else Fields()
    items, values = list(call["field"] or []), call["values"]
    if call["value"] is not None:
        if values is not None and values != call["value"]:
            raise ParameterError(f"--values {values} and --value {call['value']} both give the --field value: give one.")
        values = call["value"]
    if values is not None:
        bare = [item for item in items if "=" not in item]
        if len(bare) != 1:
            raise ParameterError("--values (or --value) gives the value of one --field NAME given without '=': "
                                 f"found {len(bare)} such --field.")
        items.remove(bare[0])
        field_id, converted = field_value(call, bare[0].strip(), values)
        fields.put(field_id, converted, f"--field {bare[0]} --values {values}")
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"Invalid --field '{item}': use NAME=VALUE (e.g. --field \"Environment=prod\"), "
                                 "or --field NAME --values VALUE.")
        field_id, converted = field_value(call, name.strip(), value)
        fields.put(field_id, converted, f"--field {item}")
    for item in list_items(call["custom"]):
        name, sep, value = item.partition(":")
        if not sep or not name.strip():
            raise ParameterError(f"Invalid --custom entry '{item}': use NAME:VALUE (e.g. --custom \"customfield_10002:5\").")
        field_id, converted = field_value(call, name.strip(), value)
        fields.put(field_id, converted, f"--custom {item}")
    return fields.values


NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
NUMBER_INT = re.compile(r"[+-]?\d+")


def field_value(call, name: str, value: str):
    """Map a field name or id to its id and convert VALUE to what the field's schema expects."""
    client = call.client
    match = field(client, name)
    if value == "":
        return match["id"], None
    schema = match.get("schema") or {}
    kind, items = schema.get("type"), schema.get("items")
    if kind == "number":
        number = float(value) if NUMBER.fullmatch(value.strip()) else None  # as Java reads a double: no '1_000', no 'nan'
        if number is None or not math.isfinite(number):  # '1e400' overflows a double to infinity: JSON has no such number
            raise ParameterError(f"Field '{name}' needs a number, got '{value}'.")
        return match["id"], int(number) if number.is_integer() and NUMBER_INT.fullmatch(value.strip()) else number
    if kind in ("date", "datetime"):
        return match["id"], jira_date(value, call["dateFormat"], kind, name)
    if kind == "array":
        parts = list_items(value)
        if items in ("string", None):
            return match["id"], parts
        if items == "user":
            return match["id"], [client.user_ref(v) for v in parts]
        key = "value" if items == "option" else "name"
        return match["id"], [{key: v} for v in parts]
    if kind == "option":
        return match["id"], {"value": value}
    if kind == "user":
        return match["id"], client.user_ref(value)
    if kind in ("priority", "issuetype", "resolution", "securitylevel", "version", "component"):
        return match["id"], {"name": value}
    return match["id"], value


# Java SimpleDateFormat letters (ACLI's --dateFormat) -> strptime directives, longest first.
_JAVA = [("yyyy", "%Y"), ("yy", "%y"), ("y", "%Y"), ("MMMM", "%B"), ("MMM", "%b"), ("MM", "%m"), ("M", "%m"),
         ("dd", "%d"), ("d", "%d"), ("HH", "%H"), ("H", "%H"), ("hh", "%I"), ("h", "%I"), ("mm", "%M"), ("m", "%M"),
         ("ss", "%S"), ("s", "%S"), ("SSS", "%f"), ("a", "%p"), ("EEEE", "%A"), ("EEE", "%a"), ("Z", "%z"),
         ("XXX", "%z"), ("X", "%z")]


def strptime_pattern(java: str) -> str:
    """`dd/MMM/yy` -> `%d/%b/%y`; 'quoted' text is literal ('' is a quote); other letters are refused."""
    out, i = [], 0
    while i < len(java):
        char = java[i]
        if char == "'":
            end = java.find("'", i + 1)
            if end == i + 1:
                out.append("'")
                i += 2
                continue
            if end < 0:
                raise ParameterError(f"Invalid --dateFormat '{java}': unbalanced single quote.")
            out.append(java[i + 1:end].replace("%", "%%"))
            i = end + 1
            continue
        if char.isalpha():
            token = next((t for t in _JAVA if java.startswith(t[0], i)), None)
            if token is None:
                raise ParameterError(f"Invalid --dateFormat '{java}': the letter '{char}' is not a date part this "
                                     "client knows (y M d H h m s S a E Z X).")
            out.append(token[1])
            i += len(token[0])
            continue
        out.append("%%" if char == "%" else char)
        i += 1
    return "".join(out)


def shown_date(value, pattern: str | None):
    """A Jira date or timestamp as --dateFormat writes it (`pattern`: its strptime_pattern); as the
    server wrote it without one, or when it is not a date."""
    from datetime import datetime

    if not pattern or not isinstance(value, str):
        return value
    try:
        return datetime.fromisoformat(value).strftime(pattern)
    except ValueError:
        return value


_FULL_DATE = (("%Y", "%y"), ("%m", "%b", "%B"), ("%d",))  # what a date read by --dateFormat must hold


def jira_date(value: str, java_format: str | None, kind: str, name: str) -> str:
    """A date as Jira takes it (yyyy-MM-dd; a datetime as ISO 8601), from VALUE in --dateFormat
    (without one: Jira's own form)."""
    from datetime import datetime

    pattern = strptime_pattern(java_format) if java_format else None
    if pattern and not all(any(part in pattern for part in parts) for parts in _FULL_DATE):
        raise ParameterError(f"--dateFormat '{java_format}' has no full date (a year, a month and a day), so it "
                             f"cannot give '{name}' a date: add them, e.g. 'yyyy-MM-dd {java_format}'.")
    try:
        if pattern:
            parsed = datetime.strptime(value.strip(), pattern)
        else:
            parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        wanted = f"--dateFormat {java_format}" if java_format else "yyyy-MM-dd (or give its --dateFormat)"
        raise ParameterError(f"Field '{name}' needs a date as {wanted}, got '{value}'.") from None
    if kind == "date":
        return parsed.strftime("%Y-%m-%d")
    if parsed.tzinfo is None:
        parsed = parsed.astimezone()  # local time, as ACLI reads it
    return parsed.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + parsed.strftime("%z")


def field(client, name: str) -> dict:
    known = client.fields()
    match = next((f for f in known if f.get("id") == name), None) or next(
        (f for f in known if str(f.get("name", "")).lower() == name.lower()), None)
    if match is None:
        raise ParameterError(f"Unknown field '{name}': give a field name or id as listed by the server (getFieldList).")
    return match


def user_text(value) -> str | None:
    """A user as text and CSV show it: the user name on Server/DC; on Cloud the display name beside
    the accountId, `Alice Example (5f8e...)`, which --assignee and the like take back."""
    if not isinstance(value, dict):
        return value or None
    if value.get("name"):
        return value["name"]
    account, shown = value.get("accountId"), value.get("displayName")
    return f"{shown} ({account})" if account and shown else account or shown


def text_value(value) -> str:
    if isinstance(value, list):
        return ",".join(text_value(v) for v in value)
    if isinstance(value, dict):
        if "accountId" in value:
            return user_text(value) or ""
        return str(name_of(value, "name", "value", "displayName", "key") or "")
    return "" if value is None else str(value)
