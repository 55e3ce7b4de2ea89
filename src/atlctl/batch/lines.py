"""ACLI run-script syntax (acli.md §4.2): words separated by blanks, double quotes around values
with blanks, a doubled double quote for a quote inside them, and no single quotes (they are plain
characters). Comma-separated lists single-quote an item that holds the separator."""

from __future__ import annotations

from atlctl.errors import ParameterError


def is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def split(line: str) -> list[str]:
    """One script line -> its words, quotes removed."""
    words: list[str] = []
    word: list[str] = []
    started = quoted = False  # `started`: an empty "" still makes a word
    i = 0
    while i < len(line):
        char = line[i]
        if quoted:
            if char == '"' and line[i + 1:i + 2] == '"':
                word.append('"')
                i += 1
            elif char == '"':
                quoted = False
            else:
                word.append(char)
        elif char.isspace():
            if started:
                words.append("".join(word))
                word, started = [], False
        elif char == '"':
            quoted = started = True
        else:
            word.append(char)
            started = True
        i += 1
    if quoted:
        raise ParameterError(f"Missing closing double quote in: {line.strip()}")
    if started:
        words.append("".join(word))
    return words


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
    at_start, quoted = True, False
    i = 0
    while i < len(text):
        char = text[i]
        if quoted:
            if char == "'" and text[i + 1:i + 2] == "'":
                item.append("'")
                i += 1
            elif char == "'":
                quoted = False
            else:
                item.append(char)
        elif char == "'" and at_start:
            quoted, item = True, []
        elif char == separator and maxsplit != len(items):
            items.append("".join(item))
            item, at_start = [], True
            i += 1
            continue
        else:
            item.append(char)
        at_start = at_start and char.isspace()  # `a, 'b,c'`: blanks before the quote are fine
        i += 1
    if quoted:
        raise ParameterError(f"Missing closing single quote in: {text}")
    items.append("".join(item))
    return items
