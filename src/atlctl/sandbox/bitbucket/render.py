"""Records as Bitbucket DC's REST shapes (products.md §3.2, the sourcegraph recordings): links are
absolute and point at the host the client called."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from atlctl.sandbox.bitbucket.model import BitbucketData
from atlctl.sandbox.realm import User


def _self(href: str) -> dict[str, list[dict[str, str]]]:
    return {"self": [{"href": href}]}


def user(base: str, who: User | None) -> dict[str, Any]:
    if who is None:
        return {}
    return {"name": who.name, "emailAddress": who.email, "id": int(who.key) if who.key.isdecimal() else who.key,
            "displayName": who.display_name, "active": who.active, "slug": who.name, "type": "NORMAL",
            "links": _self(f"{base}/users/{who.name}")}


def project(base: str, data: dict) -> dict[str, Any]:
    out = {"key": data["key"], "id": data["id"], "name": data["name"]}
    if data.get("description"):
        out["description"] = data["description"]
    out.update({"public": data["public"], "type": "NORMAL", "links": _self(f"{base}/projects/{data['key']}")})
    return out


def repo(base: str, store: BitbucketData, data: dict) -> dict[str, Any]:
    key, slug = data["project"], data["slug"]
    host = urlsplit(base).hostname or "localhost"
    return {
        "slug": slug, "id": data["id"], "name": data["name"], "hierarchyId": f"{data['id']:020x}"[:20],
        "scmId": "git", "state": "AVAILABLE", "statusMessage": "Available", "forkable": data["forkable"],
        "project": project(base, store.projects[key]), "public": data["public"],
        "links": {"clone": [{"href": f"{base}/scm/{key.lower()}/{slug}.git", "name": "http"},
                            {"href": f"ssh://git@{host}:7999/{key.lower()}/{slug}.git", "name": "ssh"}],
                  "self": [{"href": f"{base}/projects/{key}/repos/{slug}/browse"}]},
    }


def branch(data: dict, name: str) -> dict[str, Any]:
    tip = data["branches"][name]
    return {"id": f"refs/heads/{name}", "displayId": name, "type": "BRANCH", "latestCommit": tip,
            "latestChangeset": tip, "isDefault": name == data["default"]}


def commit(base: str, store: BitbucketData, data: dict) -> dict[str, Any]:
    author = user(base, store.realm.users.get(data["author"]))
    return {"id": data["id"], "displayId": data["id"][:11], "author": author, "authorTimestamp": data["timestamp"],
            "committer": author, "committerTimestamp": data["timestamp"], "message": data["message"],
            "parents": [{"id": p, "displayId": p[:11]} for p in data["parents"]]}


def ref(base: str, store: BitbucketData, data: dict, name: str) -> dict[str, Any]:
    return {"id": f"refs/heads/{name}", "displayId": name, "latestCommit": data["branches"].get(name),
            "type": "BRANCH", "repository": repo(base, store, data)}


def _participant(base: str, store: BitbucketData, key: str, role: str) -> dict[str, Any]:
    return {"user": user(base, store.realm.users.get(key)), "role": role, "approved": False, "status": "UNAPPROVED"}


def pull(base: str, store: BitbucketData, data: dict) -> dict[str, Any]:
    r = store.repos[data["project"], data["slug"]]
    state = data["state"]
    out: dict[str, Any] = {
        "id": data["id"], "version": data["version"], "title": data["title"]}
    if data.get("description"):
        out["description"] = data["description"]
    out.update({
        "state": state, "open": state == "OPEN", "closed": state != "OPEN", "createdDate": data["created"],
        "updatedDate": data["updated"]})
    if data["closed"]:
        out["closedDate"] = data["closed"]
    out.update({
        "fromRef": ref(base, store, r, data["from"]), "toRef": ref(base, store, r, data["to"]), "locked": False,
        "author": _participant(base, store, data["author"], "AUTHOR"),
        "reviewers": [_participant(base, store, k, "REVIEWER") for k in data["reviewers"]], "participants": [],
        "links": _self(f"{base}/projects/{data['project']}/repos/{data['slug']}/pull-requests/{data['id']}")})
    if data["merge_commit"]:
        out["properties"] = {"mergeCommit": {"displayId": data["merge_commit"][:11], "id": data["merge_commit"]}}
    return out


def page(values: list, start: int, limit: int) -> dict[str, Any]:
    """Bitbucket's page: nextPageStart only when there is more (§3.3)."""
    chunk = values[start:start + limit]
    last = start + limit >= len(values)
    out: dict[str, Any] = {"size": len(chunk), "limit": limit, "isLastPage": last, "values": chunk, "start": start}
    if not last:
        out["nextPageStart"] = start + len(chunk)
    return out
