"""Bitbucket Cloud's privilege scopes and what implies what (products.md §4.1, SB §5.1).

Two vocabularies: the legacy OAuth names that app passwords, access tokens and OAuth consumers
carry (`repository:write`), and the names of scoped API tokens (`write:repository:bitbucket`).
A credential holds one vocabulary; an endpoint declares the scope it needs in both."""

from __future__ import annotations

# Each legacy scope and the scopes it implies directly (admin ⊃ write ⊃ read for one resource;
# `pullrequest` implies reading repositories, `project` too: a token with `project` was accepted
# where `repository` is required [R] sourcegraph TestClient-Repos.yaml).
LEGACY: dict[str, tuple[str, ...]] = {
    "account": (),
    "account:write": ("account",),
    "email": (),
    "repository": (),
    "repository:write": ("repository",),
    "repository:admin": ("repository:write",),
    "repository:delete": (),
    "pullrequest": ("repository",),
    "pullrequest:write": ("pullrequest", "repository:write"),
    "project": ("repository",),
    "project:write": ("project",),
    "project:admin": ("project:write",),
    "webhook": (),
    "pipeline": (),
    "pipeline:write": ("pipeline",),
    "snippet": (),
    "snippet:write": ("snippet",),
    "wiki": (),
    "issue": (),
    "issue:write": ("issue",),
}

RESOURCES = ("user", "workspace", "project", "repository", "pullrequest", "pipeline", "webhook", "snippet", "issue")
LEVELS = ("read", "write", "admin", "delete")


def _api_implies(scope: str) -> tuple[str, ...]:
    level, _, rest = scope.partition(":")
    resource = rest.removesuffix(":bitbucket")
    implied = {"write": (f"read:{resource}:bitbucket",), "admin": (f"write:{resource}:bitbucket",)}.get(level, ())
    if scope == "read:pullrequest:bitbucket":
        implied += ("read:repository:bitbucket",)
    if scope == "write:pullrequest:bitbucket":
        implied += ("write:repository:bitbucket",)
    return implied


API = {f"{level}:{resource}:bitbucket": () for resource in RESOURCES for level in LEVELS}
API = {scope: _api_implies(scope) for scope in API}
KNOWN = {**LEGACY, **API}


def closure(granted) -> set[str]:
    """Every scope the granted ones give, implied ones included."""
    seen: set[str] = set()
    todo = list(granted)
    while todo:
        scope = todo.pop()
        if scope not in seen:
            seen.add(scope)
            todo.extend(KNOWN.get(scope, ()))
    return seen


def is_api_style(scope: str) -> bool:
    return scope.endswith(":bitbucket")
