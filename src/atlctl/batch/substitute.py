"""What changes a line before it runs (acli.md §4.3): `--findReplace` pairs on its text, `@name@`
variables set by earlier actions, and `%name%` substitution variables."""

from __future__ import annotations

import re
import time

from atlctl.errors import ParameterError
from atlctl.values import split_list

VARIABLE = re.compile(r"@([A-Za-z_][\w.-]*)@")
SUBSTITUTION = re.compile(r"%(now|function_(lowercase|uppercase)\((.*?)\))%")


def find_replace_pairs(text: str | None) -> list[tuple[str, str]]:
    """`--findReplace "a:b,'c,d':'e:f'"` -> [(a, b), ("c,d", "e:f")]."""
    pairs = []
    for item in split_list(text or ""):
        if not item:
            continue
        find, *replace = split_list(item, ":", maxsplit=1)
        if not replace or not find:
            raise ParameterError(
                f"Invalid --findReplace item '{item}': use find:replace pairs separated by commas, with single "
                "quotes around a value that holds a comma or colon."
            )
        pairs.append((find, replace[0]))
    return pairs


def find_replace(text: str, pairs: list[tuple[str, str]]) -> str:
    for find, replace in pairs:
        text = text.replace(find, replace)
    return text


class Variables:
    """`@name@` values: each action's Result.variables (the last one wins), `--reference NAME` copies,
    and `@entry@` in runFromList. A name nobody set is left as written (an email address is safe)."""

    def __init__(self, values: dict[str, str] | None = None, now: str | None = None):
        self.values = dict(values or {})
        self.now = now or time.strftime("%Y-%m-%dT%H:%M:%S")  # once per run, as ACLI computes it once

    def assign(self, values: dict[str, str], reference: str | None = None) -> dict[str, str]:
        """Take an action's variables; `--reference NAME` also keeps its first (main) value as NAME.
        Returns what was set, for the journal to replay on --resume."""
        assigned = dict(values)
        if reference and values:
            assigned[reference] = next(iter(values.values()))
        self.values.update(assigned)
        return assigned

    def with_values(self, **values: str) -> "Variables":
        """A copy with extra values (a runFromList entry, a row run on another thread)."""
        return Variables({**self.values, **values}, self.now)

    def undefined(self, values) -> tuple[str, ...]:
        """The names of the @name@ variables in parameter values (strings, or lists of them) that nobody
        set, in order of appearance, each once."""
        names: dict[str, None] = {}
        for value in values:
            for text in value if isinstance(value, list) else [value]:
                if isinstance(text, str) and "@" in text:
                    names.update((m[1], None) for m in VARIABLE.finditer(text) if m[1] not in self.values)
        return tuple(names)

    def apply(self, text: str) -> str:
        if "@" in text:
            text = VARIABLE.sub(lambda m: self.values.get(m[1], m[0]), text)
        if "%" in text:
            text = SUBSTITUTION.sub(self._substitution, text)
        return text

    def _substitution(self, match: re.Match) -> str:
        if match[1] == "now":
            return self.now
        return match[3].lower() if match[2] == "lowercase" else match[3].upper()
