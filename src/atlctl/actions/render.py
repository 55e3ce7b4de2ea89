"""Results as text (ACLI-like), csv or json; to stdout or to the --file of a get/list action."""

from __future__ import annotations

import io
import json

from atlctl.products.base import Result
from atlctl.console import Console
from atlctl.errors import ClientError, ParameterError, clause
from atlctl.values import is_number, list_items

LABEL_WIDTH = 22


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def labelled(record: list[tuple[str, object]]) -> str:
    """ACLI's get-action block, `Summary . . . . . . : text`, dots on even columns so colons align."""
    lines = []
    for label, value in record:
        leader = label + " "
        if len(leader) % 2:
            leader += " "
        leader = (leader + ". " * LABEL_WIDTH)[:LABEL_WIDTH] if len(leader) < LABEL_WIDTH else leader
        lines.append(f"{leader}: {_cell(value)}")
    return "\n".join(lines)


def select_columns(columns: list[str], wanted: str | None) -> list[str]:
    if not wanted:
        return columns
    chosen = []
    for item in list_items(wanted):
        if is_number(item) and 1 <= int(item) <= len(columns):
            chosen.append(columns[int(item) - 1])
            continue
        match = next((c for c in columns if c.lower() == item.lower()), None)
        if match is None:
            raise ParameterError(f"Unknown column '{item}' for --columns. Valid columns: {', '.join(columns)}.")
        chosen.append(match)
    return chosen


def to_csv(columns: list[str], rows: list[dict]) -> str:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def render(result: Result, values: dict, console: Console, file_is_input: bool = False) -> None:
    output = values.get("output") or "text"
    if result.secret is not None:  # login / addAccessToken: the secret alone, or the JSON holding it
        console.secret(json.dumps(result.data, indent=2) if output == "json" else result.secret)
        return
    path = None if file_is_input else values.get("file")
    if path and output == "text" and result.rows is not None:
        output = "csv"  # a list written to a file is plain CSV; the count line goes to the terminal
    appending = bool(path and values.get("append"))
    body = _body(result, output, values.get("columns"), header=not (appending and _has_content(path)))
    if path == "-":  # as an output, '-' is standard output: what the file would hold
        path = None
    if path and body is not None:
        _write(path, body, append=appending)
        console.out(f"{_count(result)} {'appended' if appending else 'written'} to file: {path}")
    elif isinstance(body, bytes):
        console.binary(body)
    elif body is not None:
        console.result(body)
    elif result.message:
        console.out(result.message)


def _count(result: Result) -> str:
    if result.rows is not None:
        return f"{len(result.rows)} {result.noun}"
    return "Output"


def _body(result: Result, output: str, columns_wanted: str | None, header: bool = True):
    if result.content is not None:
        if columns_wanted:  # a value, a page or a file: nothing to choose columns of
            raise ParameterError("--columns selects the columns of a list or a get action's fields: this action "
                                 "prints a value or a file. Leave --columns out.")
        return result.content
    if output == "json":
        return json.dumps(result.data, indent=2, ensure_ascii=False) if result.data is not None else None
    if result.rows is not None:
        columns = select_columns(result.columns or (list(result.rows[0]) if result.rows else []), columns_wanted)
        if output == "csv":
            return _csv(columns, result.rows, header)
        return f"{len(result.rows)} {result.noun} in list\n{_csv(columns, result.rows)}"
    if result.record:
        record = result.record
        if columns_wanted:
            values = dict(record)
            record = [(label, values[label]) for label in select_columns(list(values), columns_wanted)]
        if output == "csv":
            return _csv([label for label, _ in record], [dict(record)], header)
        return labelled(record)
    return None


def _csv(columns: list[str], rows: list[dict], header: bool = True) -> str:
    """The rows as CSV, without its last newline; `header` False: without the header line (--append)."""
    table = to_csv(columns, rows).rstrip("\n")
    return table if header else table.partition("\n")[2]


def _write(path: str, body, append: bool = False) -> None:
    from atlctl.files import write_atomic

    if isinstance(body, str) and body and not body.endswith("\n"):
        body += "\n"
    if append and isinstance(body, str) and not _ends_a_line(path):  # its last row has no newline: end it first
        body = "\n" + body
    try:
        if append or _special(path):  # a device, a pipe (/dev/stdout, a FIFO): written in place, never replaced
            with open(path, "ab" if append else "wb") as handle:
                handle.write(body.encode("utf-8") if isinstance(body, str) else body)
        else:
            write_atomic(path, body)
    except OSError as exc:
        raise ClientError(f"Cannot write file {path}: {clause(exc.strerror or exc)}.") from None


def _has_content(path: str) -> bool:
    import os

    try:
        return os.path.getsize(path) > 0
    except OSError:
        return False


def _ends_a_line(path: str) -> bool:
    """Whether what is in the file ends with a newline (or there is nothing): appended rows start on a
    line of their own. A device or a pipe is not read (that could block)."""
    import os

    if _special(path):
        return True
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            if handle.tell() == 0:
                return True
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) == b"\n"
    except OSError:  # no such file yet: appending creates it
        return True


def _special(path: str) -> bool:
    import os
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)
