"""Bitbucket Cloud REST 2.0 calls, with the server's own field names. Lists follow the absolute
`next` link of each page (SB §5.4: clients must never build page URLs). No printing here."""

from __future__ import annotations

from typing import Iterator
from urllib.parse import quote

from atlctl.errors import ClientError
from atlctl.http.connection import Connection
from atlctl.http.paging import Pages, signature
from atlctl.http.validate import EMPTY

API = "/2.0"
PAGELEN = 100
LINKS = {"links": dict}
USER = {"type": str, "display_name": str}
WORKSPACE = {"type": str, "slug": str}
REPOSITORY = {"type": str, "full_name": str, "slug": str, "links": dict}
PULL_REQUEST = {"type": str, "id": int, "title": str, "state": str, "source": dict, "destination": dict}
BRANCH = {"name": str, "target": {"hash": str}}
PAGE = {"values": [dict]}


def part(value: str) -> str:
    return quote(str(value), safe="")


class BitbucketCloudClient:
    deployment = "cloud"  # its only one (the auth commands read it)

    def __init__(self, conn: Connection):
        self.conn = conn

    def repo_path(self, workspace: str, repository: str) -> str:
        return f"{API}/repositories/{part(workspace)}/{part(repository)}"

    def pages(self, path: str, params: dict | None = None, limit: int | None = None,
              item: object = dict) -> Iterator[dict]:
        """Every item of a paged list, page after page through `next` (same server only); a `next` given
        twice, a page repeated or no end stops with a 253 (Pages)."""
        url, query, count, pages = path, {"pagelen": PAGELEN, **(params or {})}, 0, Pages(f"GET {path}")
        while True:
            page = self.conn.get_json(url, params=query, expect={"values": [item]})
            for value in page["values"]:
                if limit is not None and count >= limit:
                    return
                count += 1
                yield value
            if limit is not None and count >= limit:
                return  # the next page would only be fetched to be dropped
            url, query = page.get("next"), None
            if url is None:
                return
            if not isinstance(url, str) or not url.startswith(self.conn.server + "/"):
                raise ClientError(f"Bitbucket Cloud gave a next page outside {self.conn.server}: {str(url)[:200]}; "
                                  "atlctl does not follow it (check --server).")
            pages.advance(url, len(page["values"]), signature(page["values"]))

    # -- user and workspaces
    def current_user(self) -> dict:
        return self.conn.get_json(f"{API}/user", expect=USER)

    def workspaces(self, limit=None) -> Iterator[dict]:
        for access in self.pages(f"{API}/user/workspaces", limit=limit, item={"workspace": WORKSPACE}):
            yield access["workspace"]

    def workspace(self, workspace: str) -> dict:
        return self.conn.get_json(f"{API}/workspaces/{part(workspace)}", expect=WORKSPACE)

    def projects(self, workspace: str, limit=None) -> Iterator[dict]:
        return self.pages(f"{API}/workspaces/{part(workspace)}/projects", limit=limit, item={"key": str, "name": str})

    # -- repositories
    def repositories(self, workspace: str, query: str | None = None, limit=None) -> Iterator[dict]:
        params = {"q": query} if query else None
        return self.pages(f"{API}/repositories/{part(workspace)}", params, limit, REPOSITORY)

    def repository(self, workspace: str, repository: str) -> dict:
        return self.conn.get_json(self.repo_path(workspace, repository), expect=REPOSITORY)

    def create_repository(self, workspace: str, repository: str, body: dict) -> dict:
        return self.conn.json("POST", self.repo_path(workspace, repository), json=body, expect=REPOSITORY)

    def delete_repository(self, workspace: str, repository: str) -> None:
        self.conn.send("DELETE", self.repo_path(workspace, repository), answer=EMPTY)  # 204, no body

    # -- branches and commits
    def branches(self, workspace: str, repository: str, query: str | None = None, limit=None) -> Iterator[dict]:
        params = {"q": query} if query else None
        return self.pages(self.repo_path(workspace, repository) + "/refs/branches", params, limit, BRANCH)

    def create_branch(self, workspace: str, repository: str, name: str, start: str) -> dict:
        return self.conn.json("POST", self.repo_path(workspace, repository) + "/refs/branches",
                              json={"name": name, "target": {"hash": start}}, expect=BRANCH)

    def commits(self, workspace: str, repository: str, branch: str | None = None, limit=None) -> Iterator[dict]:
        path = self.repo_path(workspace, repository) + "/commits"
        if branch:
            path += "/" + quote(branch, safe="/")
        return self.pages(path, limit=limit, item={"hash": str})

    # -- pull requests
    def pull_requests(self, workspace: str, repository: str, states: list[str], limit=None,
                      query: str | None = None) -> Iterator[dict]:
        params = {"state": states, **({"q": query} if query else {})}  # state= repeated: one per state
        return self.pages(self.repo_path(workspace, repository) + "/pullrequests", params, limit, PULL_REQUEST)

    def pull_request(self, workspace: str, repository: str, pr_id: int) -> dict:
        return self.conn.get_json(f"{self.repo_path(workspace, repository)}/pullrequests/{pr_id}", expect=PULL_REQUEST)

    def create_pull_request(self, workspace: str, repository: str, body: dict) -> dict:
        return self.conn.json("POST", self.repo_path(workspace, repository) + "/pullrequests", json=body,
                              expect=PULL_REQUEST)

    def pull_request_action(self, workspace: str, repository: str, pr_id: int, verb: str, body: dict | None = None,
                            expect=PULL_REQUEST) -> dict:
        return self.conn.json("POST", f"{self.repo_path(workspace, repository)}/pullrequests/{pr_id}/{verb}",
                              json=body, expect=expect)
