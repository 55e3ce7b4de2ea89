"""The rows of a bulk run, read one at a time (memory does not grow with the input): the lines of a
`run` script, the rows of a `runFromCsv` file, the entries of a `runFromList` list."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from atlctl.batch import lines
from atlctl.batch.substitute import find_replace
from atlctl.errors import ParameterError, clause
from atlctl.files import drop_bom

FALSE = {"", "false", "no", "n", "0"}


@dataclass(frozen=True)
class Step:
    row: int  # script line number, CSV data row or list entry number (1-based): what messages name
    text: str  # the line as written, --common appended: what `Run:` echoes
    words: tuple[str, ...] = ()  # the row's own words
    common: tuple[str, ...] = ()  # --common's words: the row's own values override them
    digest: str = ""  # identifies the row's input, so --resume can tell that the input changed
    comment: bool = False  # a `#` line: echoed, not run
    problem: str | None = None  # the row cannot be parsed (reported as that row's failure)
    values: dict[str, str] = field(default_factory=dict)  # per-row variables (@entry@)


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).hexdigest()


def script_steps(script: Iterable[str], common: str = "", pairs=()) -> Iterator[Step]:
    """One step per line; blank lines are skipped, `#` lines are comments."""
    common_words: tuple[str, ...] | None = None
    for number, raw in enumerate(script, 1):
        raw = raw.rstrip("\r\n")
        if number == 1:
            raw = drop_bom(raw)
        if not raw.strip():
            continue
        if lines.is_comment(raw):
            yield Step(number, raw.strip(), comment=True)
            continue
        text = find_replace(f"{raw.strip()} {common}".strip(), pairs)
        digest = _digest(raw, common, repr(pairs))
        try:
            if common_words is None:
                common_words = tuple(lines.split(find_replace(common, pairs)))
            yield Step(number, text, tuple(lines.split(find_replace(raw.strip(), pairs))), common_words, digest)
        except ParameterError as exc:  # an unclosed quote fails this line only
            yield Step(number, text, digest=digest, problem=str(exc))


CELL_LIMIT = 16 * 1024 * 1024  # the csv module's default (128 KiB) is smaller than a long description


def _rows(reader) -> Iterator[list[str]]:
    """The CSV rows, a malformed file reported as a parameter problem naming the line. The reader is
    strict: a quote left open would otherwise take every row after it into one cell, silently."""
    while True:
        first = reader.line_num + 1  # where the row being read starts
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                raise ParameterError(f"The CSV file cannot be read: the quoted value that starts on line {first} is "
                                     "never closed (a \" is missing); no row after it would be read.") from None
            raise ParameterError(f"The CSV file cannot be read at line {reader.line_num}: {clause(exc)}.") from None
        yield row


def csv_steps(rows: Iterable[str], common: str = "", pairs=(), flags: frozenset[str] = frozenset()) -> Iterator[Step]:
    """The header names parameters (`summary` -> `--summary=VALUE`, so a value may start with `-`; a
    column may repeat); every other row is one action, --common appended. Blank cells are left out; a
    flag column (`flags`) is on unless blank, false, no or 0. The echo reads `--summary VALUE`."""
    csv.field_size_limit(CELL_LIMIT)
    reader = _rows(csv.reader(rows, strict=True))
    header = next(reader, None)
    if header is None:
        return
    names = [drop_bom(name).strip().lstrip("-") for name in header]  # a BOM from Excel too
    common_words = tuple(lines.split(find_replace(common, pairs)))
    for number, cells in enumerate(reader, 1):
        if not any(cell.strip() for cell in cells):
            continue
        digest = _digest(*cells, common, repr(pairs))
        words: list[str] = []
        echo: list[str] = []
        problem = None
        for index, cell in enumerate(cells):
            if index >= len(names) or not names[index]:
                if cell.strip():
                    problem = f"Row {number} has a value in column {index + 1}, which has no name in the header row."
                continue
            option, value = "--" + names[index], find_replace(cell, pairs)
            if names[index] in flags:
                if value.strip().lower() not in FALSE:
                    words.append(option)
                    echo.append(option)
            elif value != "":
                words.append(f"{option}={value}")
                echo += [option, value]
        yield Step(number, lines.join(echo + list(common_words)), tuple(words), common_words, digest, problem=problem)


def list_steps(entries: Iterable[str], common: str, pairs=(), variable: str | None = None) -> Iterator[Step]:
    """One action per entry (blank ones skipped), the entry as @entry@ (and as @VARIABLE@) in --common."""
    text = find_replace(common, pairs)
    words = tuple(lines.split(text))
    for number, entry in enumerate((e.strip() for e in entries if e.strip()), 1):
        entry = find_replace(entry, pairs)
        values = {"entry": entry, **({variable: entry} if variable else {})}
        yield Step(number, text, words, (), _digest(entry, common, repr(pairs)), values=values)
