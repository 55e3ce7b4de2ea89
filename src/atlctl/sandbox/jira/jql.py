"""Enough JQL for scripts: field clauses joined by AND/OR/NOT and parentheses, ORDER BY.

Fields: project, key/issuekey/id/issue, status, issuetype/type, priority, assignee, reporter,
creator, labels, resolution, summary/description/environment/text (~), created/updated (dates).
Operators: = != ~ !~ < <= > >= IN, NOT IN, IS [NOT] EMPTY. Function: currentUser().
Errors carry Jira's own wording where it is known.
"""

from __future__ import annotations

import calendar
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from atlctl.sandbox.jira import catalog
from atlctl.sandbox.jira.model import Issue, JiraData, Project
from atlctl.sandbox.realm import User


class JqlError(ValueError):
    pass


_TOKEN = re.compile(
    r"""\s*(?:
      (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    | (?P<op>!=|!~|<=|>=|=|~|<|>)
    | (?P<punct>[(),])
    | (?P<word>[^\s()=!<>~,"']+)
    )""",
    re.VERBOSE,
)
_OPERATORS = "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'."


@dataclass
class Token:
    kind: str  # string, op, punct, word, end
    text: str
    pos: int

    def keyword(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words


def tokenize(text: str) -> list[Token]:
    tokens, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            if text[pos:].strip() == "":
                break
            raise JqlError(
                f"Error in the JQL Query: The character '{text[pos:].strip()[0]}' is a reserved JQL character. "
                f"(line 1, character {pos + 1})"
            )
        kind = match.lastgroup or "word"
        raw = match.group(kind)
        value = raw[1:-1].replace('\\"', '"').replace("\\'", "'") if kind == "string" else raw
        tokens.append(Token(kind, value, match.start(kind) + 1))
        pos = match.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


@dataclass
class Context:
    data: JiraData
    user: User | None
    visible: Callable[[Project], bool]
    cloud: bool


Predicate = Callable[[Issue], bool]


class Query:
    def __init__(self, where: Predicate | None, order: list[tuple[str, bool]]):
        self.where = where
        self.order = order

    def run(self, ctx: Context) -> list[Issue]:
        issues = [i for i in ctx.data.issues.values() if ctx.visible(ctx.data.projects[i.project_id])]
        if self.where:
            issues = [i for i in issues if self.where(i)]
        # Without ORDER BY the newest issues come first.
        for name, descending in reversed(self.order or [("created", True)]):
            issues.sort(key=_SORT_KEYS[name], reverse=descending)
        return issues


def _key_number(issue: Issue) -> tuple[str, int]:
    project, _, number = issue.key.rpartition("-")
    return project, int(number)


_SORT_KEYS: dict[str, Callable[[Issue], Any]] = {
    "key": _key_number,
    "id": lambda i: i.id,
    "created": lambda i: (i.created, i.id),
    "updated": lambda i: (i.updated, i.id),
    "summary": lambda i: i.summary.lower(),
    "status": lambda i: catalog.status(i.status_id).name,
    "priority": lambda i: -int(i.priority_id),
    "assignee": lambda i: i.assignee or "",
}
_SORT_ALIASES = {"issuekey": "key", "issue": "key", "createddate": "created", "updateddate": "updated"}


MAX_DEPTH = 100


class Parser:
    def __init__(self, text: str, ctx: Context):
        self.tokens = tokenize(text)
        self.i = 0
        self.ctx = ctx
        self.depth = 0  # parentheses and NOTs open: each is a level of recursion, here and when evaluated

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect_punct(self, char: str) -> None:
        if self.tok.kind != "punct" or self.tok.text != char:
            raise JqlError(f"Error in the JQL Query: Expecting '{char}' but got '{self.tok.text}'. (line 1, character {self.tok.pos})")
        self.take()

    def parse(self) -> Query:
        where = None
        if self.tok.kind != "end" and not self.tok.keyword("ORDER"):
            where = self.or_expr()
        order = self.order_by() if self.tok.keyword("ORDER") else []
        if self.tok.kind != "end":
            raise JqlError(
                f"Error in the JQL Query: Expecting either 'OR' or 'AND' but got '{self.tok.text}'. (line 1, character {self.tok.pos})"
            )
        return Query(where, order)

    def or_expr(self) -> Predicate:
        parts = [self.and_expr()]
        while self.tok.keyword("OR"):
            self.take()
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else (lambda issue: any(p(issue) for p in parts))

    def and_expr(self) -> Predicate:
        parts = [self.not_expr()]
        while self.tok.keyword("AND"):
            self.take()
            parts.append(self.not_expr())
        return parts[0] if len(parts) == 1 else (lambda issue: all(p(issue) for p in parts))

    def not_expr(self) -> Predicate:
        if self.tok.keyword("NOT") or self.tok.kind == "punct" and self.tok.text == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise JqlError(f"Error in the JQL Query: the query nests parentheses or NOT more than {MAX_DEPTH} "
                               f"levels deep. (line 1, character {self.tok.pos})")
            try:
                return self._nested()
            finally:
                self.depth -= 1
        return self.clause()

    def _nested(self) -> Predicate:
        if self.tok.keyword("NOT"):
            self.take()
            inner = self.not_expr()
            return lambda issue: not inner(issue)
        if self.tok.kind == "punct" and self.tok.text == "(":
            self.take()
            inner = self.or_expr()
            self.expect_punct(")")
            return inner
        raise AssertionError("not a nested expression")  # not_expr checked

    def clause(self) -> Predicate:
        field = self.take()
        if field.kind not in ("word", "string") or field.keyword("AND", "OR", "ORDER"):
            raise JqlError(f"Error in the JQL Query: Expecting a field name but got '{field.text}'. (line 1, character {field.pos})")
        name = field.text.lower()
        if name not in _FIELDS:
            raise JqlError(f"Field '{field.text}' does not exist or you do not have permission to view it.")
        op = self.operator()
        values = self.operand(op)
        if _CurrentUser in values and name not in _USER_FIELDS:
            raise JqlError(f"A value provided by the function 'currentUser' is invalid for the field '{field.text}'.")
        return _FIELDS[name](self.ctx, field.text, op, values)

    def operator(self) -> str:
        tok = self.take()
        if tok.kind == "op":
            return tok.text
        if tok.keyword("IN"):
            return "in"
        if tok.keyword("IS"):
            if self.tok.keyword("NOT"):
                self.take()
                return "is not"
            return "is"
        if tok.keyword("NOT") and self.tok.keyword("IN"):
            self.take()
            return "not in"
        raise JqlError(f"Error in the JQL Query: Expecting operator but got '{tok.text}'. {_OPERATORS} (line 1, character {tok.pos})")

    def operand(self, op: str) -> list[Any]:
        if op in ("in", "not in"):
            self.expect_punct("(")
            values = [self.value()]
            while self.tok.kind == "punct" and self.tok.text == ",":
                self.take()
                values.append(self.value())
            self.expect_punct(")")
            return values
        return [self.value()]

    def value(self) -> Any:
        tok = self.take()
        if tok.kind == "string":
            return tok.text
        if tok.kind != "word":
            raise JqlError(
                f"Error in the JQL Query: Expecting either a value, list or function but got '{tok.text}'. (line 1, character {tok.pos})"
            )
        if tok.keyword("EMPTY", "NULL"):
            return None
        if self.tok.kind == "punct" and self.tok.text == "(":
            self.take()
            self.expect_punct(")")
            if tok.text.lower() != "currentuser":
                raise JqlError(f"Unable to find JQL function '{tok.text}()'.")
            return _CurrentUser
        return tok.text

    def order_by(self) -> list[tuple[str, bool]]:
        self.take()
        if not self.tok.keyword("BY"):
            raise JqlError(f"Error in the JQL Query: Expecting 'BY' but got '{self.tok.text}'. (line 1, character {self.tok.pos})")
        self.take()
        order = []
        while True:
            tok = self.take()
            name = _SORT_ALIASES.get(tok.text.lower(), tok.text.lower())
            if name not in _SORT_KEYS:
                if tok.text.lower() in _FIELDS:
                    raise JqlError(f"Field '{tok.text}' does not support sorting.")
                raise JqlError(f"Field '{tok.text}' does not exist or you do not have permission to view it.")
            descending = False
            if self.tok.keyword("ASC", "DESC"):
                descending = self.take().text.upper() == "DESC"
            order.append((name, descending))
            if not (self.tok.kind == "punct" and self.tok.text == ","):
                return order
            self.take()


class _CurrentUser:
    """Marker for currentUser()."""


def parse(text: str, ctx: Context) -> Query:
    return Parser(text or "", ctx).parse()


# ---- field clauses -------------------------------------------------------------------------


def _not_exist(value: str, field: str) -> JqlError:
    return JqlError(f"The value '{value}' does not exist for the field '{field}'.")


def _match(op: str, field: str, values: list[Any], resolve: Callable[[Any], Any], get: Callable[[Issue], Any]) -> Predicate:
    """Equality-style clause over resolved values (None = EMPTY)."""
    if op in ("is", "is not"):
        if values != [None]:
            raise JqlError(f"The operator '{op.upper()}' can only be used with the values 'EMPTY' or 'NULL'.")
    elif op not in ("=", "!=", "in", "not in"):
        raise JqlError(f"The operator '{op}' is not supported by the '{field}' field.")
    wanted = {None if v is None else resolve(v) for v in values}
    if op in ("=", "in", "is"):
        return lambda issue: get(issue) in wanted
    return lambda issue: get(issue) not in wanted and get(issue) is not None


def _project(ctx: Context, field: str, op: str, values: list[Any]) -> Predicate:
    def resolve(ref: str) -> str:
        project = ctx.data.project(ref) or next((p for p in ctx.data.projects.values() if p.name.lower() == ref.lower()), None)
        if project is None or not ctx.visible(project):
            raise _not_exist(ref, field)
        return project.id

    return _match(op, field, values, resolve, lambda i: i.project_id)


def _key(ctx: Context, field: str, op: str, values: list[Any]) -> Predicate:
    def resolve(ref: str) -> int:
        issue = ctx.data.issue(ref)
        if issue is None or not ctx.visible(ctx.data.projects[issue.project_id]):
            raise JqlError(f"An issue with key '{ref}' does not exist for field '{field}'.")
        return issue.id

    return _match(op, field, values, resolve, lambda i: i.id)


def _lookup(finder: Callable[[str], Any], attr: str) -> Callable[[Context, str, str, list[Any]], Predicate]:
    def clause(ctx: Context, field: str, op: str, values: list[Any]) -> Predicate:
        def resolve(ref: str) -> str:
            found = finder(ref)
            if found is None:
                raise _not_exist(ref, field)
            return found

        return _match(op, field, values, resolve, lambda i: getattr(i, attr))

    return clause


def _user(attr: str) -> Callable[[Context, str, str, list[Any]], Predicate]:
    def clause(ctx: Context, field: str, op: str, values: list[Any]) -> Predicate:
        def resolve(ref: Any) -> str:
            if ref is _CurrentUser:
                # Anonymous callers match nobody, as in Jira.
                return ctx.user.key if ctx.user else "\0anonymous"
            realm = ctx.data.realm
            user = realm.users.get(ref) or realm.find_user(ref)
            if user is None and not ctx.cloud:
                raise _not_exist(ref, field)
            return user.key if user else ref

        return _match(op, field, values, resolve, lambda i: getattr(i, attr))

    return clause


def _labels(ctx: Context, field: str, op: str, values: list[Any]) -> Predicate:
    wanted = {v for v in values if v is not None}
    if op in ("is", "is not"):
        return (lambda i: not i.labels) if op == "is" else (lambda i: bool(i.labels))
    if op in ("=", "in"):
        return lambda i: bool(wanted & set(i.labels))
    if op in ("!=", "not in"):
        return lambda i: not wanted & set(i.labels)
    raise JqlError(f"The operator '{op}' is not supported by the '{field}' field.")


def _resolution(ctx: Context, field: str, op: str, values: list[Any]) -> Predicate:
    def resolve(ref: str) -> str | None:
        if ref.lower() == "unresolved":
            return None
        found = catalog.resolution(ref)
        if found is None:
            raise _not_exist(ref, field)
        return found["id"]

    return _match(op, field, values, resolve, lambda i: None if i.resolved is None else i.resolution_id or catalog.DONE_RESOLUTION["id"])


def _members(attr: str, kind: str) -> Callable[[Context, str, str, list[Any]], Predicate]:
    """component, fixVersion, affectedVersion: the issue's list holds one named (by name or id)."""

    def clause(ctx: Context, field: str, op: str, values: list[Any]) -> Predicate:
        table = ctx.data.components if kind == "component" else ctx.data.versions
        if op in ("is", "is not"):
            if values != [None]:
                raise JqlError(f"The operator '{op.upper()}' can only be used with the values 'EMPTY' or 'NULL'.")
            return (lambda i: not getattr(i, attr)) if op == "is" else (lambda i: bool(getattr(i, attr)))
        if op not in ("=", "!=", "in", "not in"):
            raise JqlError(f"The operator '{op}' is not supported by the '{field}' field.")
        wanted = set()
        for value in values:
            found = {r.id for r in table.values() if str(value) in (str(r.id), r.name)}
            if not found:
                raise _not_exist(str(value), field)
            wanted |= found
        if op in ("=", "in"):
            return lambda i: bool(wanted & set(getattr(i, attr)))
        return lambda i: not wanted & set(getattr(i, attr))

    return clause


def _text(attrs: tuple[str, ...]) -> Callable[[Context, str, str, list[Any]], Predicate]:
    def clause(ctx: Context, field: str, op: str, values: list[Any]) -> Predicate:
        if op not in ("~", "!~"):
            raise JqlError(f"The operator '{op}' is not supported by the '{field}' field.")
        needle = _not_empty(values[0], field).lower().strip("*")

        def contains(issue: Issue) -> bool:
            return any(needle in (getattr(issue, a) or "").lower() for a in attrs)

        return contains if op == "~" else (lambda i: not contains(i))

    return clause


def _date(attr: str) -> Callable[[Context, str, str, list[Any]], Predicate]:
    compare = {
        "=": lambda a, b: a == b,
        "!=": lambda a, b: a != b,
        "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b,
        ">": lambda a, b: a > b,
        ">=": lambda a, b: a >= b,
    }

    def clause(ctx: Context, field: str, op: str, values: list[Any]) -> Predicate:
        if op not in compare:
            raise JqlError(f"The operator '{op}' is not supported by the '{field}' field.")
        moment = _moment(_not_empty(values[0], field), field, ctx.data.realm.clock.now())
        return lambda issue: compare[op](getattr(issue, attr), moment)

    return clause


def _not_empty(value: str | None, field: str) -> str:
    if value is None:
        raise JqlError(f"The field '{field}' does not support searching for EMPTY values.")
    return value


_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def _moment(text: str, field: str, now: float) -> float:
    text = text.strip()
    relative = re.fullmatch(r"([-+]?)(\d+)([mhdw])", text)
    if relative:
        sign = -1 if relative.group(1) == "-" else 1
        return now + sign * int(relative.group(2)) * _UNITS[relative.group(3)]
    for fmt in ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d"):
        try:
            return calendar.timegm(time.strptime(text, fmt))
        except ValueError:
            continue
    raise JqlError(
        f"Date value '{text}' for field '{field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', "
        "'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'."
    )


_USER_FIELDS = frozenset({"assignee", "reporter", "creator"})  # where currentUser() means something
_FIELDS: dict[str, Callable[[Context, str, str, list[Any]], Predicate]] = {
    "project": _project,
    "key": _key,
    "issuekey": _key,
    "issue": _key,
    "id": _key,
    "status": _lookup(lambda ref: (s := catalog.status_named(ref)) and s.id, "status_id"),
    "issuetype": _lookup(lambda ref: (t := catalog.issue_type(ref)) and t.id, "type_id"),
    "type": _lookup(lambda ref: (t := catalog.issue_type(ref)) and t.id, "type_id"),
    "priority": _lookup(lambda ref: (p := catalog.priority(ref)) and p[0], "priority_id"),
    "assignee": _user("assignee"),
    "reporter": _user("reporter"),
    "creator": _user("creator"),
    "labels": _labels,
    "component": _members("components", "component"),
    "fixversion": _members("fix_versions", "version"),
    "affectedversion": _members("versions", "version"),
    "resolution": _resolution,
    "summary": _text(("summary",)),
    "description": _text(("description",)),
    "environment": _text(("environment",)),
    "text": _text(("summary", "description", "environment")),
    "created": _date("created"),
    "createddate": _date("created"),
    "updated": _date("updated"),
    "updateddate": _date("updated"),
}
