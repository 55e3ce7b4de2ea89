"""How an ACLI parameter value is read, the same for every product and for the run actions: a positive
whole number (--limit, --count, --id, --threads, days) and a comma-separated list (acli.md §4.2)."""

from __future__ import annotations

from atlctl.errors import ParameterError

INT_MAX = 2**31 - 1  # ACLI is Java: its numbers are ints (--count defaults to 2147483647)


def positive(value, name: str, most: int = INT_MAX) -> int | None:
    """A positive whole number, None when not given (None or empty: a blank such as " " is refused). ASCII digits only, nothing around
    them: not '²' or '٣' (str.isdigit and int() take those), not ' 3 ', '+3', '1.5' or '1e3'."""
    return whole(value, name, 1, most)


def whole(value, name: str, least: int = 0, most: int = INT_MAX) -> int | None:
    """A whole number from `least` to `most` (a version: 0 or more), None when not given; read as `positive`
    reads one."""
    if value is None or value == "":
        return None
    text = str(value)
    digits = (text.lstrip("0") or "0") if is_number(text) else ""
    if not (0 < len(digits) <= len(str(most)) and least <= int(digits) <= most):  # short: int() reads it at once
        too_big = len(digits) > len(str(most)) or bool(digits) and int(digits) > most  # say where the range ends
        wanted = (f"a whole number from {least} to {most}" if too_big or most != INT_MAX else
                  "a positive whole number" if least == 1 else "a whole number, 0 or more")
        raise ParameterError(f"Invalid value '{text}' for parameter --{name}: give {wanted}.")
    return int(digits)


def is_number(text) -> bool:
    """Whether `text` is ASCII digits only, as an id or a position is written: not '²' or '٣' (which
    str.isdecimal, str.isdigit and int() take), not blank, ' 3 ' or '+3'."""
    text = str(text)
    return text.isascii() and text.isdigit()


def quoted(text: str, start: int, quote: str) -> tuple[str, int]:
    """The text from `start` to the closing quote (a doubled quote is one quote inside), and the
    index after it."""
    part: list[str] = []
    i = start
    while i < len(text):
        if text[i] == quote and text[i + 1:i + 2] == quote:
            part.append(quote)
            i += 2
        elif text[i] == quote:
            return "".join(part), i + 1
        else:
            part.append(text[i])
            i += 1
    kind = "double" if quote == '"' else "single"
    raise ParameterError(f"Missing closing {kind} quote in: {text.strip()}")


def split_list(text: str, separator: str = ",", maxsplit: int = -1) -> list[str]:
    """`a,'b,c',d` -> [a, "b,c", d]: an item that starts with a single quote (blanks before it are
    fine) runs to the closing one, so it may hold the separator; '' inside it is a quote. Elsewhere a
    single quote is a plain character (o'brien needs no quoting). Items are as written: see `list_items`."""
    found: list[str] = []
    item: list[str] = []
    at_start = True
    i = 0
    while i < len(text):
        char = text[i]
        if char == "'" and at_start:
            part, i = quoted(text, i + 1, "'")
            item, at_start = [part], False
            continue
        if char == separator and maxsplit != len(found):
            found.append("".join(item))
            item, at_start = [], True
        else:
            item.append(char)
            at_start = at_start and char.isspace()
        i += 1
    found.append("".join(item))
    return found


def list_items(text: str | None) -> list[str]:
    """The entries of a list parameter (--labels, --userId, --custom, runFromList --list): `split_list`'s
    items, blanks around them stripped and blank ones dropped."""
    return [entry.strip() for entry in split_list(text or "") if entry.strip()]


def words(text: str | None) -> list[str]:
    """The entries of a list whose entries hold no blanks (Confluence's --labels, Bitbucket's --permission):
    `list_items`, each also split at blanks, so `a b,c` is [a, b, c]."""
    return [word for entry in list_items(text) for word in entry.split()]
