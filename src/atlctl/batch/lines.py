"""ACLI run-script syntax (acli.md §4.2): words separated by blanks, double quotes around values
with blanks, a doubled double quote for a quote inside them, and no single quotes (they are plain
characters). Comma-separated lists single-quote an item that holds the separator."""

from __future__ import annotations

from typing import Iterator

from atlctl.errors import ParameterError


def is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def split(line: str) -> list[str]:
    """One script line -> its words, quotes removed."""
    return [word for _, _, word in spans(line)]


def spans(line: str) -> Iterator[tuple[int, int, str]]:
    """Each word of a script line with where it stands in it: (start, end, the word, quotes removed)."""
    word: list[str] = []
    start = None  # where the word began; an empty "" still makes a word
    i = 0
    while i < len(line):
        char = line[i]
        if char == '"':
            start = i if start is None else start
            part, i = _quoted(line, i + 1, '"')
            word.append(part)
            continue
        if not char.isspace():
            start = i if start is None else start
            word.append(char)
        elif start is not None:
            yield start, i, "".join(word)
            word, start = [], None
        i += 1
    if start is not None:
        yield start, len(line), "".join(word)


def _quoted(text: str, start: int, quote: str) -> tuple[str, int]:
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


def quote(word: str) -> str:
    """The inverse of `split` for one word."""
    if word and not any(c.isspace() or c == '"' for c in word):
        return word
    return '"' + word.replace('"', '""') + '"'


def join(words: list[str]) -> str:
    return " ".join(quote(w) for w in words)


def split_list(text: str, separator: str = ",", maxsplit: int = -1) -> list[str]:
    """`a,'b,c',d` -> [a, "b,c", d]: an item that starts with a single quote runs to the closing one,
    so it may hold the separator; '' inside it is a quote. Elsewhere a single quote is a plain character."""
    items: list[str] = []
    item: list[str] = []
    at_start = True  # blanks before the opening quote are fine: `a, 'b,c'`
    i = 0
    while i < len(text):
        char = text[i]
        if char == "'" and at_start:
            part, i = _quoted(text, i + 1, "'")
            item, at_start = [part], False
            continue
        if char == separator and maxsplit != len(items):
            items.append("".join(item))
            item, at_start = [], True
        else:
            item.append(char)
            at_start = at_start and char.isspace()
        i += 1
    items.append("".join(item))
    return items
