"""Results as text (ACLI-like), csv or json; to stdout or to the --file of a get/list action."""

from __future__ import annotations

import io
import json
import re

from atlctl.products.base import Result
from atlctl.console import Console
from atlctl.errors import ClientError, ParameterError, clause
from atlctl.values import is_number, list_items

LABEL_WIDTH = 22
UNSHOWN = re.compile(r"[\x7f-\x9f]")  # DEL and C1 controls, which JSON leaves raw: \u escapes to the console


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
        if match is None and is_number(item):
            raise ParameterError(f"Column {item} for --columns is out of range (1-{len(columns)}).")
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
    to_stdout = path == "-"  # as an output, '-' is standard output: what the file would hold
    path = None if to_stdout else path
    appending = bool(path and values.get("append"))
    body = _body(result, output, values.get("columns"), console=None if path else console)
    if appending and output == "csv" and isinstance(body, str) and result.content is None and _has_content(path):
        header, _, body = body.partition("\n")  # the rows go under the file's own header row, if it is this one
        check_header(path, next(csv_rows([header])))
    if path and body is not None:
        _write(path, body, append=appending)
        console.out(f"{_count(result)} {'appended' if appending else 'written'} to file: {path}")
    elif isinstance(body, bytes):
        console.binary(body)
    elif body is not None:
        (console.data if to_stdout else console.result)(body)
    elif result.message:
        console.out(result.message)


def _count(result: Result) -> str:
    if result.rows is not None:
        return f"{len(result.rows)} {result.noun}"
    return "Output"


def _body(result: Result, output: str, columns_wanted: str | None, console: Console | None = None):
    """`console`: the output goes to it (else to a file)."""
    if result.content is not None:
        if columns_wanted:  # a value, a page or a file: nothing to choose columns of
            raise ParameterError("--columns selects the columns of a list or a get action's fields: this action "
                                 "prints a value or a file. Leave --columns out.")
        return result.content
    if output == "json":
        return None if result.data is None else _json(result.data, console)
    if result.rows is not None:
        columns = select_columns(_columns(result), columns_wanted)
        if output == "csv":
            return _csv(columns, result.rows)
        return f"{len(result.rows)} {result.noun} in list\n{_csv(columns, result.rows)}"
    if result.record:
        record = result.record
        if columns_wanted:
            values = dict(record)
            record = [(label, values[label]) for label in select_columns(list(values), columns_wanted)]
        if output == "csv":
            return _csv([label for label, _ in record], [dict(record)])
        return labelled(record)
    return None


def _columns(result: Result) -> list[str]:
    return result.columns or (list(result.rows[0]) if result.rows else [])


def _json(data, console: Console | None) -> str:
    """The JSON document; to the console in \\u escapes where it cannot show a character as it is
    (an ASCII terminal: nothing lost) and for DEL and C1 controls."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if console is None:
        return text
    if not console.encodes(text):
        text = json.dumps(data, indent=2)
    return UNSHOWN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def header_row(path: str) -> list[str] | None:
    """The first row of the CSV file at `path`, or None when there is none to read (no file yet, empty,
    a device or a pipe)."""
    if path == "-" or _special(path) or not _has_content(path):
        return None
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
            return next(csv_rows([handle.readline()]), [])
    except OSError:
        return None


def csv_rows(lines):
    import csv

    return csv.reader(lines)


def check_header(path: str, columns: list[str], exact: bool = True) -> None:
    """--append adds rows under the file's own header row: other columns would make a ragged file.
    `exact` False: names compared in any case (the --columns a user gave, before the answer)."""
    found = header_row(path)
    if found is None:
        return
    same = found == columns if exact else [c.lower() for c in found] == [c.lower() for c in columns]
    if not same:
        raise ParameterError(f"--append: the header row of {path} is {','.join(found)}, not the columns being written "
                             f"({','.join(columns)}). Give --columns {','.join(found)}, or write to another --file.")


def _csv(columns: list[str], rows: list[dict]) -> str:
    """The rows as CSV, without its last newline."""
    return to_csv(columns, rows).rstrip("\n")


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
