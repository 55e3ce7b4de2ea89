"""Confluence REST v1 calls (Server/DC /rest/api, Cloud /wiki/rest/api: the same resources), with
the server's own field names. No printing here: actions turn these answers into results."""

from __future__ import annotations

import mimetypes
from typing import Iterator

from atlctl.errors import ClientError, ParameterError, RemoteError
from atlctl.http.connection import Connection
from atlctl.http.paging import Pages, signature
from atlctl.http.validate import EMPTY, PAGE as WEB_PAGE
from atlctl.products.atlassian import PersonalAccessTokens, cloud_token_refused, segment, web_path
from atlctl.products.base import ServerInfo

API = "/rest/api"
MANIFEST = "/rest/applinks/1.0/manifest"  # Confluence has no serverInfo [§2.5]
PAGE = 100
CONTENT = {"id": str, "type": str, "title": str}
USER = {"type": str}
SPACE = {"key": str, "name": str}
ARRAY = {"results": list}
LABEL = {"name": str}
PAGE_EXPAND = "space,version,ancestors"


class ConfluenceClient(PersonalAccessTokens):  # tokens from 7.9
    def __init__(self, conn: Connection, deployment: str, info: ServerInfo | None = None):
        self.conn = conn
        self.deployment = deployment
        self.info = info
        self.me: dict | None = None

    @property
    def cloud(self) -> bool:
        return self.deployment == "cloud"

    def web_url(self, content: dict) -> str | None:
        webui = (content.get("_links") or {}).get("webui")
        return self.conn.server + webui if isinstance(webui, str) else None

    # -- server and users
    def manifest(self) -> dict:
        if self.info is not None and self.info.raw:
            return self.info.raw
        return self.conn.get_json(MANIFEST, anonymous=True, headers={"Accept": "application/json"}, expect=dict)

    def system_info(self) -> dict:
        return self.conn.get_json(f"{API}/settings/systemInfo", expect=dict)

    def current_user(self) -> dict:
        """The current user; an anonymous answer to credentials is a failure, not a user [§2.2]."""
        me = self.conn.get_json(f"{API}/user/current", expect=USER)
        situation = self.conn.situation
        if me.get("type") == "anonymous" and situation.scheme == "basic" and self.cloud:  # the site reads basic auth
            raise cloud_token_refused("Confluence", situation.user, 200)
        if me.get("type") == "anonymous" and situation.scheme != "anonymous":
            raise RemoteError(
                "Confluence answered as if no credentials were sent (user/current says anonymous): the server ignored "
                "them. A personal access token needs Confluence 7.9 or later; behind a proxy, check that it passes "
                "the Authorization header.", 401)
        self.me = me
        return me

    def verify(self) -> dict | None:
        if self.conn.situation.scheme == "anonymous":
            return None
        return self.me if self.me is not None else self.current_user()

    def add_user(self, name: str, full_name: str, email: str, password: str | None) -> dict:
        body = {"userName": name, "fullName": full_name, "email": email}
        if password:
            body["password"] = password
        return self.conn.json("POST", f"{API}/admin/user", json=body, expect=dict)

    # -- paging
    def _all(self, path: str, params: dict | None = None, limit: int | None = None) -> Iterator[dict]:
        """Offset paging by start/limit (the next link is relative to the base, context path
        included or not depending on the version, so the offset is computed, not followed). A server
        that ignores `start` (the same page again) or never ends stops with a 253 (Pages)."""
        start, seen, pages = 0, 0, Pages(f"GET {path}")
        while True:
            size = PAGE if limit is None else max(1, min(PAGE, limit - seen))
            page = self.conn.get_json(path, params={**(params or {}), "start": start, "limit": size}, expect=ARRAY)
            results = page["results"]
            for item in results:
                if not isinstance(item, dict):
                    raise RemoteError(f"{self.conn.server} answered {path} with an entry that is not an object.")
                yield item
                seen += 1
                if limit is not None and seen >= limit:
                    return
            if not results or "next" not in (page.get("_links") or {}):
                return
            start += len(results)
            pages.advance(start, len(results), signature(results))

    # -- spaces
    def spaces(self, limit: int | None = None) -> Iterator[dict]:
        return self._all(f"{API}/space", {"expand": "description.plain"}, limit)

    def space(self, key: str) -> dict:
        return self.conn.get_json(f"{API}/space/{segment(key)}", params={"expand": "description.plain,homepage"}, expect=SPACE)

    def add_space(self, key: str, name: str, description: str | None) -> dict:
        body: dict = {"key": key, "name": name}
        if description:
            body["description"] = {"plain": {"value": description, "representation": "plain"}}
        return self.conn.json("POST", f"{API}/space", json=body, expect=SPACE)

    def remove_space(self, key: str) -> None:
        self.conn.send("DELETE", f"{API}/space/{segment(key)}", answer=EMPTY)

    # -- content
    def content(self, content_id: str, expand: str = PAGE_EXPAND) -> dict:
        return self.conn.get_json(f"{API}/content/{segment(content_id)}", params={"expand": expand}, expect=CONTENT)

    def find_page(self, space: str, title: str, expand: str = PAGE_EXPAND) -> dict | None:
        found = self.conn.get_json(f"{API}/content", params={"spaceKey": space, "title": title, "type": "page",
                                                              "expand": expand}, expect={"results": [CONTENT]})
        return found["results"][0] if found["results"] else None

    def page(self, space: str | None, title: str | None, content_id: str | None, expand: str = PAGE_EXPAND) -> dict:
        """A page by --id, or by --space and --title."""
        if content_id:
            return self.content(content_id, expand)
        if not (space and title):
            raise ParameterError("Give --id, or --space and --title, to name the page.")
        page = self.find_page(space, title, expand)
        if page is None:
            raise RemoteError(f"Page '{title}' not found in space {space}.", 404)
        return page

    def add_page(self, space: str, title: str, body: str, parent_id: str | None, type: str = "page") -> dict:
        data: dict = {"type": type, "title": title, "space": {"key": space},
                      "body": {"storage": {"value": body, "representation": "storage"}}}
        if parent_id:
            data["ancestors"] = [{"id": parent_id}]
        return self.conn.json("POST", f"{API}/content", json=data, expect=CONTENT)

    def update_page(self, page: dict, title: str, body: str | None, parent_id: str | None, message: str | None,
                    minor: bool) -> dict:
        number = (page.get("version") or {}).get("number")
        if not isinstance(number, int):
            page = self.content(page["id"])
            number = page["version"]["number"]
        data: dict = {"id": page["id"], "type": page.get("type", "page"), "title": title,
                      "version": {"number": number + 1, "minorEdit": minor, "message": message or ""}}
        if body is not None:
            data["body"] = {"storage": {"value": body, "representation": "storage"}}
        if parent_id:
            data["ancestors"] = [{"id": parent_id}]
        return self.conn.json("PUT", f"{API}/content/{segment(page['id'])}", json=data, expect=CONTENT)

    def remove_content(self, content_id: str) -> None:
        self.conn.send("DELETE", f"{API}/content/{segment(content_id)}", answer=EMPTY)

    def children(self, content_id: str, kind: str, expand: str = "version", limit: int | None = None) -> Iterator[dict]:
        return self._all(f"{API}/content/{segment(content_id)}/child/{kind}", {"expand": expand}, limit)

    def space_pages(self, space: str, limit: int | None = None) -> Iterator[dict]:
        return self._all(f"{API}/content", {"spaceKey": space, "type": "page", "expand": "version,space"}, limit)

    def search(self, cql: str, limit: int | None = None, expand: str = "version,space") -> Iterator[dict]:
        return self._all(f"{API}/content/search", {"cql": cql, "expand": expand}, limit)

    # -- comments
    def add_comment(self, page_id: str, text: str) -> dict:
        data = {"type": "comment", "container": {"id": page_id, "type": "page", "status": "current"},
                "body": {"storage": {"value": text, "representation": "storage"}}}
        return self.conn.json("POST", f"{API}/content", json=data, expect=CONTENT)

    # -- labels
    def labels(self, content_id: str) -> list[dict]:
        return list(self._all(f"{API}/content/{segment(content_id)}/label"))

    def add_labels(self, content_id: str, names: list[str]) -> list[dict]:
        body = [{"prefix": "global", "name": name} for name in names]
        return self.conn.json("POST", f"{API}/content/{segment(content_id)}/label", json=body,
                              expect={"results": [LABEL]})["results"]

    def remove_label(self, content_id: str, name: str) -> None:
        self.conn.send("DELETE", f"{API}/content/{segment(content_id)}/label", params={"name": name}, answer=EMPTY)

    # -- attachments
    def add_attachment(self, page_id: str, name: str, body, comment: str | None) -> dict:
        """Upload `body` (bytes, or a binary file: `files.upload_input`) as `name`; a file of the same name
        gets a new version (…/child/attachment/{id}/data)."""
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        existing = next((a for a in self.children(page_id, "attachment") if a.get("title") == name), None)
        url = f"{API}/content/{segment(page_id)}/child/attachment"
        if existing is not None:
            url += f"/{segment(existing['id'])}/data"
        form = {"comment": comment} if comment else None
        # X-Atlassian-Token: no-check goes with every request: multipart needs it [§0.4]
        answer = self.conn.json("POST", url, files={"file": (name, body, mime)}, data=form, expect=dict)
        if existing is None:
            results = answer.get("results")
            if not isinstance(results, list) or not results or not isinstance(results[0], dict):
                raise RemoteError(f"{self.conn.server} answered the upload without the attachment.")
            return results[0]
        return answer

    def download(self, attachment: dict) -> bytes:
        link = (attachment.get("_links") or {}).get("download")
        if not isinstance(link, str):
            raise ClientError(f"Attachment {attachment.get('title')} has no download link.")
        return self.conn.download(self.conn.server + link).content

    # -- web pages (Server/DC)
    def render(self, path: str) -> str:
        """A web page. Web pages read no Authorization header (Seraph needs os_authType=basic for that),
        so a session is opened on a REST resource first when there is none yet."""
        if self.conn.situation.scheme == "session" and not getattr(self.conn.auth, "session_id", None):
            self.verify()
        path = web_path(self.conn.server, path, "/users/viewmyprofile.action")
        return self.conn.send("GET", path, answer=WEB_PAGE).text

    def logout(self) -> None:
        """Confluence has no REST logout: its logout page ends the session."""
        self.conn.send("GET", "/logout.action", expect_json=False, ok=(302,))
        self.conn.auth.cookies.clear()


