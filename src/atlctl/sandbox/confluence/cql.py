"""Enough CQL for scripts: space, type, title, label, text, id, parent, ancestor and creator with
=, !=, ~, !~ and IN (...), joined by AND / OR with parentheses, then ORDER BY. Anything else is
Confluence's 400 for a query it cannot parse."""

from __future__ import annotations

import re
from collections.abc import Callable

from atlctl.sandbox.confluence.model import ConfluenceData, Content

TOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\')|(?P<op>!=|!~|=|~|\(|\)|,)|(?P<word>[^\s=!~(),"\']+))')
FIELDS = ("space", "type", "title", "label", "text", "id", "parent", "ancestor", "creator", "created", "lastmodified")
Match = Callable[[Content], bool]


class CqlError(ValueError):
    pass


def _tokens(cql: str) -> list[tuple[str, str]]:
    out, pos, cql = [], 0, cql.rstrip()
    while pos < len(cql):
        m = TOKEN.match(cql, pos)
        if not m or m.end() == pos:
            raise CqlError(cql)
        pos = m.end()
        if m.group("str"):
            out.append(("value", re.sub(r"\\(.)", r"\1", m.group("str")[1:-1])))
        elif m.group("op"):
            out.append(("op", m.group("op")))
        else:
            out.append(("word", m.group("word")))
    return out


class _Parser:
    def __init__(self, cql: str, data: ConfluenceData):
        self.cql, self.data, self.items, self.pos = cql, data, _tokens(cql), 0

    def peek(self, *words: str) -> bool:
        if self.pos >= len(self.items):
            return False
        kind, text = self.items[self.pos]
        return kind != "value" and text.lower() in words

    def take(self) -> tuple[str, str]:
        if self.pos >= len(self.items):
            raise CqlError(self.cql)
        self.pos += 1
        return self.items[self.pos - 1]

    def parse(self) -> tuple[Match, list[tuple[str, bool]]]:
        match = self.expression()
        order: list[tuple[str, bool]] = []
        if self.peek("order"):
            self.take()
            if not self.peek("by"):
                raise CqlError(self.cql)
            self.take()
            while True:
                kind, name = self.take()
                if name.lower() not in FIELDS:
                    raise CqlError(self.cql)
                descending = False
                if self.peek("asc", "desc"):
                    descending = self.take()[1].lower() == "desc"
                order.append((name.lower(), descending))
                if not self.peek(","):
                    break
                self.take()
        if self.pos != len(self.items):
            raise CqlError(self.cql)
        return match, order

    def expression(self) -> Match:
        left = self.conjunction()
        while self.peek("or"):
            self.take()
            right, first = self.conjunction(), left
            left = lambda c, a=first, b=right: a(c) or b(c)  # noqa: E731
        return left

    def conjunction(self) -> Match:
        left = self.term()
        while self.peek("and"):
            self.take()
            right, first = self.term(), left
            left = lambda c, a=first, b=right: a(c) and b(c)  # noqa: E731
        return left

    def term(self) -> Match:
        if self.peek("not"):
            self.take()
            inner = self.term()
            return lambda c: not inner(c)
        if self.peek("("):
            self.take()
            inner = self.expression()
            if not self.peek(")"):
                raise CqlError(self.cql)
            self.take()
            return inner
        kind, field = self.take()
        field = field.lower()
        if kind != "word" or field not in FIELDS:
            raise CqlError(self.cql)
        kind, op = self.take()
        if op.lower() in ("in", "not") and kind == "word":
            negate = op.lower() == "not"
            if negate and self.take()[1].lower() != "in":
                raise CqlError(self.cql)
            values = self.values()
            test = self.test(field, "=")
            return lambda c: any(test(c, v) for v in values) != negate
        if kind != "op" or op not in ("=", "!=", "~", "!~"):
            raise CqlError(self.cql)
        value_kind, value = self.take()
        if value_kind == "op":
            raise CqlError(self.cql)
        test = self.test(field, op.lstrip("!"))
        negate = op.startswith("!")
        return lambda c: test(c, value) != negate

    def values(self) -> list[str]:
        if not self.peek("("):
            raise CqlError(self.cql)
        self.take()
        values = []
        while True:
            kind, value = self.take()
            if kind == "op":
                raise CqlError(self.cql)
            values.append(value)
            if self.peek(")"):
                self.take()
                return values
            if not self.peek(","):
                raise CqlError(self.cql)
            self.take()

    def test(self, field: str, op: str) -> Callable[[Content, str], bool]:
        data = self.data
        if op == "~":
            if field == "title":
                return lambda c, v: _contains(c.title, v)
            if field == "text":
                return lambda c, v: _contains(c.title + " " + re.sub(r"<[^>]+>", " ", c.body), v)
            raise CqlError(self.cql)
        exact: dict[str, Callable[[Content, str], bool]] = {
            "space": lambda c, v: c.space.upper() == v.upper(),
            "type": lambda c, v: c.type == v.lower(),
            "title": lambda c, v: c.title == v,
            "label": lambda c, v: any(name == v.lower() for _, name in c.labels),
            "id": lambda c, v: str(c.id) == v,
            "parent": lambda c, v: str(c.parent) == v,
            "ancestor": lambda c, v: any(str(a.id) == v for a in data.ancestors(c)),
            "creator": lambda c, v: c.created.by == v,
        }
        if field not in exact:
            raise CqlError(self.cql)
        return exact[field]


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"\W+", text.lower()) if w}


def _contains(text: str, query: str) -> bool:
    """Text search as a person expects it: every word of the query starts a word of the text
    ("start" finds "started"; Confluence's search stems words), a trailing * included."""
    words = _words(text)
    return all(any(w.startswith(q) for w in words) for q in _words(query.replace("*", "")))


def search(data: ConfluenceData, cql: str, visible: Callable[[Content], bool]) -> list[Content]:
    """The current content `cql` finds among what the caller may see; CqlError if it cannot be parsed."""
    if not cql.strip():
        raise CqlError(cql)
    match, order = _Parser(cql, data).parse()
    found = [c for c in data.current() if c.type in ("page", "blogpost", "comment", "attachment") and visible(c) and match(c)]
    for name, descending in reversed(order):
        key = {"title": lambda c: c.title.lower(), "created": lambda c: c.created.when,
               "lastmodified": lambda c: c.version.when}.get(name, lambda c: c.id)
        found.sort(key=key, reverse=descending)
    return found
