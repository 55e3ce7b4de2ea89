"""Confluence's JSON shapes (v1: content, space, user, labels, the paged arrays; v2 in v2.py)."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote, urlencode

from atlctl.sandbox.confluence.model import Content, Space, Version


def iso(when: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(when)) + f".{int(when * 1000) % 1000:03d}Z"


class V1:
    """v1 bodies for one call: `base` is the product base the client called (with /confluence or /wiki)."""

    def __init__(self, product, base: str, expand: set[str]):
        self.product, self.base, self.expand = product, base, expand
        self.context = base.split("://", 1)[-1].partition("/")[2]
        self.context = "/" + self.context if self.context else ""
        self.data = product.data

    def links(self, self_path: str, **more: str) -> dict[str, str]:
        return {"base": self.base, "context": self.context, "self": self.base + self_path, **more}

    def user(self, user) -> dict[str, Any]:
        if user is None:
            return {"type": "anonymous", "profilePicture": {"path": f"{self.context}/images/icons/profilepics/anonymous.svg",
                    "width": 48, "height": 48, "isDefault": True}, "displayName": "Anonymous",
                    "_links": self.links("/rest/api/user/anonymous")}
        picture = {"path": f"{self.context}/images/icons/profilepics/default.svg", "width": 48, "height": 48, "isDefault": True}
        if self.product.cloud:
            return {"type": "known", "accountId": user.key, "accountType": "atlassian", "email": user.email,
                    "publicName": user.display_name, "profilePicture": picture, "displayName": user.display_name,
                    "isExternalCollaborator": False, "_links": {"self": f"{self.base}/rest/api/user?accountId={user.key}",
                                                                "base": self.base, "context": self.context}}
        return {"type": "known", "username": user.name, "userKey": user.key, "profilePicture": picture,
                "displayName": user.display_name, "_links": {"base": self.base, "context": self.context,
                                                             "self": f"{self.base}/rest/api/user?key={user.key}"}}

    def user_key(self, key: str) -> dict[str, Any]:
        return self.user(self.product.realm.users.get(key)) if key in self.product.realm.users else {"type": "unknown"}

    def space(self, space: Space) -> dict[str, Any]:
        out: dict[str, Any] = {"id": space.id, "key": space.key, "name": space.name, "type": space.type, "status": "current",
                               "_links": {"webui": f"/spaces/{space.key}", "self": f"{self.base}/rest/api/space/{space.key}"},
                               "_expandable": {"description": "", "homepage": f"/rest/api/content/{space.homepage}"}}
        if "description" in self.expand or "description.plain" in self.expand:
            out["description"] = {"plain": {"value": space.description, "representation": "plain"}}
        if "homepage" in self.expand and space.homepage in self.data.content:
            out["homepage"] = V1(self.product, self.base, set()).content(self.data.content[space.homepage])
        return out

    def version(self, content: Content, version: Version) -> dict[str, Any]:
        return {"by": self.user_key(version.by), "when": iso(version.when), "message": version.message,
                "number": version.number, "minorEdit": version.minor_edit,
                "_links": {"self": f"{self.base}/rest/experimental/content/{content.id}/version/{version.number}"}}

    def history(self, content: Content) -> dict[str, Any]:
        return {"latest": content.status == "current", "createdBy": self.user_key(content.created.by),
                "createdDate": iso(content.created.when), "lastUpdated": self.version(content, content.version),
                "_links": {"self": f"{self.base}/rest/api/content/{content.id}/history"}}

    def content(self, content: Content) -> dict[str, Any]:
        space = self.data.space(content.space)
        title = quote(content.title.replace(" ", "+"), safe="+")
        webui = (f"/display/{content.space}/{title}" if content.type == "page" and not self.product.cloud
                 else f"/spaces/{content.space}/pages/{content.id}/{title}")
        out: dict[str, Any] = {"id": str(content.id), "type": content.type, "status": content.status, "title": content.title}
        expandable: dict[str, str] = {}
        if content.type == "attachment":
            out["metadata"] = {"mediaType": content.media_type, "comment": content.comment}
            out["extensions"] = {"mediaType": content.media_type, "fileSize": len(content.data), "comment": content.comment}
            download = f"/download/attachments/{content.parent}/{quote(content.title)}?version={content.version.number}&api=v2"
            links = {"webui": webui, "download": download, "self": f"{self.base}/rest/api/content/{content.id}"}
        else:
            out["extensions"] = {"position": "none"} if content.type == "page" else {}
            links = {"webui": webui, "edit": f"/pages/resumedraft.action?draftId={content.id}", "tinyui": f"/x/{content.id}",
                     "self": f"{self.base}/rest/api/content/{content.id}"}
        out["_links"] = links
        wanted = self.expand
        if "space" in wanted and space is not None:
            out["space"] = V1(self.product, self.base, set()).space(space)
        else:
            expandable["space"] = f"/rest/api/space/{content.space}"
        if "version" in wanted:
            out["version"] = self.version(content, content.version)
        else:
            expandable["version"] = ""
        if "history" in wanted or "history.lastUpdated" in wanted:
            out["history"] = self.history(content)
        else:
            expandable["history"] = f"/rest/api/content/{content.id}/history"
        if "ancestors" in wanted:
            out["ancestors"] = [V1(self.product, self.base, set()).content(a) for a in self.data.ancestors(content)]
        else:
            expandable["ancestors"] = ""
        if content.type in ("comment", "attachment") and content.parent in self.data.content:
            if "container" in wanted:
                out["container"] = V1(self.product, self.base, set()).content(self.data.content[content.parent])
            else:
                expandable["container"] = f"/rest/api/content/{content.parent}"
        body: dict[str, Any] = {}
        for kind in ("storage", "view", "export_view", "styled_view"):
            if f"body.{kind}" in wanted:
                body[kind] = {"value": content.body, "representation": kind, "_expandable": {"content": f"/rest/api/content/{content.id}"}}
        if body:
            out["body"] = body
        else:
            expandable["body"] = ""
        if "metadata.labels" in wanted:
            labels = [self.label(label) for label in content.labels]
            out.setdefault("metadata", {})["labels"] = {"results": labels, "start": 0, "limit": 200, "size": len(labels)}
        expandable.update({"children": f"/rest/api/content/{content.id}/child", "descendants": f"/rest/api/content/{content.id}/descendant",
                           "restrictions": f"/rest/api/content/{content.id}/restriction/byOperation"})
        out["_expandable"] = expandable
        return out

    def label(self, label: tuple[int, str]) -> dict[str, Any]:
        return {"prefix": "global", "name": label[1], "id": str(label[0]), "label": label[1]}

    def page(self, items: list[Any], start: int, limit: int, path: str, params: dict[str, Any], total: int) -> dict[str, Any]:
        """A v1 array: results, start, limit, size and _links, with `next` (relative to _links.base)
        when more results exist, and `prev` when there are earlier ones."""
        query = {k: v for k, v in params.items() if v is not None and k not in ("start", "limit")}
        links = self.links(f"{path}?{urlencode({**query, 'start': start, 'limit': limit})}" if query or start else path)
        if start + len(items) < total:
            links["next"] = f"{path}?{urlencode({**query, 'limit': limit, 'start': start + limit})}"
        if start > 0:
            links["prev"] = f"{path}?{urlencode({**query, 'limit': limit, 'start': max(0, start - limit)})}"
        return {"results": items, "start": start, "limit": limit, "size": len(items), "_links": links}
