"""ACLI run-script syntax (acli.md §4.2): words separated by blanks, double quotes around values
with blanks, a doubled double quote for a quote inside them, and no single quotes (they are plain
characters). Comma-separated lists inside a value are `atlctl.values.split_list`'s."""

from __future__ import annotations

from atlctl.values import quoted


def is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def split(line: str) -> list[str]:
    """One script line -> its words, quotes removed."""
    words: list[str] = []
    word: list[str] = []
    started = False  # an empty "" still makes a word
    i = 0
    while i < len(line):
        char = line[i]
        if char == '"':
            part, i = quoted(line, i + 1, '"')
            word.append(part)
            started = True
            continue
        if not char.isspace():
            word.append(char)
            started = True
        elif started:
            words.append("".join(word))
            word, started = [], False
        i += 1
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
