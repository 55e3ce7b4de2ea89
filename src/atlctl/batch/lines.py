"""ACLI run-script syntax (acli.md §4.2): words separated by blanks, double quotes around values
with blanks, a doubled double quote for a quote inside them, and no single quotes (they are plain
characters). Comma-separated lists inside a value are `atlctl.values.split_list`'s."""

from __future__ import annotations

from typing import Iterator

from atlctl.values import quoted


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
            part, i = quoted(line, i + 1, '"')
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


def quote(word: str) -> str:
    """The inverse of `split` for one word."""
    if word and not any(c.isspace() or c == '"' for c in word):
        return word
    return '"' + word.replace('"', '""') + '"'


def join(words: list[str]) -> str:
    return " ".join(quote(w) for w in words)
