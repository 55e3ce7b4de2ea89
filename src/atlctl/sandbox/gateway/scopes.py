"""Which scopes the gateway asks of a token for each Jira and Confluence operation (server-behaviour.md
§4.2): a token passes if it holds every scope of one of the operation's sets (the classic set or
the granular one), and gets `Unauthorized; scope does not match` otherwise."""

from __future__ import annotations

import re

from atlctl.sandbox.gateway.jira_scopes import JIRA
from atlctl.sandbox.router import Router

# The Confluence REST v1 and v2 operations the sandbox serves. No Confluence OpenAPI document is
# saved in the fixtures: these are the classic scopes (v1) and granular scopes (v2) Atlassian's
# REST reference names for each operation, written down by hand [D, not checked against a spec].
_V1, _V2 = "/wiki/rest/api", "/wiki/api/v2"
_CONTENT_READ = ("read:confluence-content.all",)
_CONTENT_WRITE = ("write:confluence-content",)
CONFLUENCE: dict[tuple[str, str], tuple[tuple[str, ...], ...]] = {
    ("GET", "/wiki/rest/applinks/1.0/manifest"): ((),),
    ("GET", f"{_V1}/user/current"): (("read:confluence-user",),),
    ("GET", f"{_V1}/settings/systemInfo"): (("manage:confluence-configuration",),),
    ("GET", f"{_V1}/space"): (("read:confluence-space.summary",),),
    ("POST", f"{_V1}/space"): (("write:confluence-space",),),
    ("GET", f"{_V1}/space/{{key}}"): (("read:confluence-space.summary",),),
    ("DELETE", f"{_V1}/space/{{key}}"): (("write:confluence-space",),),
    ("GET", f"{_V1}/content"): (_CONTENT_READ,),
    ("POST", f"{_V1}/content"): (_CONTENT_WRITE,),
    ("GET", f"{_V1}/content/search"): (("search:confluence",),),
    ("GET", f"{_V1}/content/{{id}}"): (_CONTENT_READ,),
    ("PUT", f"{_V1}/content/{{id}}"): (_CONTENT_WRITE,),
    ("DELETE", f"{_V1}/content/{{id}}"): (_CONTENT_WRITE,),
    ("GET", f"{_V1}/content/{{id}}/history"): (_CONTENT_READ,),
    ("GET", f"{_V1}/content/{{id}}/child/attachment"): (_CONTENT_READ,),
    ("POST", f"{_V1}/content/{{id}}/child/attachment"): (("write:confluence-file",),),
    ("GET", f"{_V1}/content/{{id}}/child/{{type}}"): (_CONTENT_READ,),
    ("GET", f"{_V1}/content/{{id}}/descendant/page"): (_CONTENT_READ,),
    ("POST", f"{_V1}/content/{{id}}/child/attachment/{{att}}/data"): (("write:confluence-file",),),
    ("GET", f"{_V1}/content/{{id}}/child/attachment/{{att}}/download"): (("readonly:content.attachment:confluence",),),
    ("GET", f"{_V1}/content/{{id}}/label"): (("read:confluence-content.summary",),),
    ("POST", f"{_V1}/content/{{id}}/label"): (_CONTENT_WRITE,),
    ("DELETE", f"{_V1}/content/{{id}}/label"): (_CONTENT_WRITE,),
    ("DELETE", f"{_V1}/content/{{id}}/label/{{label}}"): (_CONTENT_WRITE,),
    ("GET", f"{_V1}/search"): (("search:confluence",),),
    ("GET", "/wiki/download/attachments/{id}/{name}"): (("readonly:content.attachment:confluence",),),
    ("GET", f"{_V2}/spaces"): (("read:space:confluence",),),
    ("POST", f"{_V2}/spaces"): (("write:space:confluence",),),
    ("GET", f"{_V2}/spaces/{{id}}"): (("read:space:confluence",),),
    ("GET", f"{_V2}/spaces/{{id}}/pages"): (("read:page:confluence",),),
    ("GET", f"{_V2}/pages"): (("read:page:confluence",),),
    ("POST", f"{_V2}/pages"): (("write:page:confluence",),),
    ("GET", f"{_V2}/pages/{{id}}"): (("read:page:confluence",),),
    ("PUT", f"{_V2}/pages/{{id}}"): (("write:page:confluence",),),
    ("DELETE", f"{_V2}/pages/{{id}}"): (("delete:page:confluence",),),
    ("GET", f"{_V2}/pages/{{id}}/footer-comments"): (("read:comment:confluence",),),
    ("POST", f"{_V2}/footer-comments"): (("write:comment:confluence",),),
    ("GET", f"{_V2}/pages/{{id}}/labels"): (("read:label:confluence",),),
}

# What the seeded scoped tokens (the admin's and the service account's) hold: the list.
SEEDED = (
    "read:jira-work", "write:jira-work", "read:jira-user", "read:confluence-content.all", "write:confluence-content",
    "read:page:confluence", "write:page:confluence", "read:space:confluence",
)
OFFLINE = "offline_access"  # asks for a refresh token; grants no API access
# Scopes an OAuth app may ask for: every scope the tables name, offline_access, and the identity ones.
KNOWN = frozenset(
    {s for sets in JIRA.values() for s in sets[0] + sets[1]}
    | {s for sets in CONFLUENCE.values() for group in sets for s in group}
    | {OFFLINE, "read:me", "read:account"}
)

_VERSION = re.compile(r"^/rest/api/(?:2|latest)/")


def _router(table: dict[tuple[str, str], tuple[tuple[str, ...], ...]]) -> Router[tuple[tuple[str, ...], ...]]:
    router: Router[tuple[tuple[str, ...], ...]] = Router()
    for (method, path), sets in table.items():
        router.add(method, path, sets)
    return router


_ROUTERS = {
    "jira": _router({key: tuple(s for s in sets if s) or ((),) for key, sets in JIRA.items()}),
    "confluence": _router(CONFLUENCE),
}


def required(product: str, method: str, path: str) -> tuple[tuple[str, ...], ...] | None:
    """The scope sets of the operation at `path` (relative to the product's gateway base:
    /rest/api/2/myself, /wiki/api/v2/pages), one of which a token must hold; None for a path the
    table does not know (the product answers it: its 404 or 405)."""
    if product == "jira":
        path = _VERSION.sub("/rest/api/3/", path)  # v2, v3 and latest ask for the same scopes
    sets, _, _ = _ROUTERS[product].match(path, method)
    return sets


def allowed(held: list[str], sets: tuple[tuple[str, ...], ...]) -> bool:
    return any(set(needed) <= set(held) for needed in sets)
