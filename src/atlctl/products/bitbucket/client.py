"""Bitbucket Server/Data Center REST calls (/rest/api/1.0, /rest/access-tokens/1.0), with the
server's own field names. Every answer's shape is declared; a refusal for want of a permission is a
NotPermitted naming the permission and where it was needed."""

from __future__ import annotations

from typing import Iterator
from urllib.parse import quote, unquote_plus

from atlctl.errors import ClientError, RemoteError
from atlctl.http import validate
from atlctl.http.connection import Connection
from atlctl.http.paging import Pages, signature
from atlctl.products.base import ServerInfo, parse_version

API = "/rest/api/1.0"
TOKENS = "/rest/access-tokens/1.0"
TOKEN_VERSION = (5, 5)
PAGE = {"values": [dict], "isLastPage": bool}
PROJECT = {"key": str, "name": str}
REPO = {"slug": str, "name": str, "project": PROJECT}
BRANCH = {"id": str, "displayId": str}
PULL = {"id": int, "version": int, "state": str, "fromRef": BRANCH, "toRef": BRANCH}
TOKEN = {"id": (str, int), "name": str}
LIMIT = 1000


class NotPermitted(RemoteError):
    """A 401 AuthorisationException: the credentials lack `need` on `where`."""

    def __init__(self, message: str, need: str, where: str):
        super().__init__(message, 401, reason="not_permitted")
        self.need, self.where = need, where


def _q(text: str) -> str:
    return quote(str(text), safe="")


class BitbucketClient:
    deployment = "server"  # Bitbucket Data Center's only one (the auth commands read it)

    def __init__(self, conn: Connection, info: ServerInfo | None = None):
        self.conn = conn
        self.info = info

    def _json(self, method: str, path: str, need: str, where: str, **kwargs):
        try:
            return self.conn.json(method, path, **kwargs)
        except RemoteError as exc:
            if getattr(exc, "reason", None) == "not_permitted":
                raise NotPermitted(str(exc), need, where) from None
            raise

    def _paged(self, path: str, need: str, where: str, params: dict | None = None, limit: int | None = None) -> Iterator[dict]:
        """Every value, following nextPageStart (it may skip: never start + limit, products.md §3.3). A page
        that is not the last must name a nextPageStart beyond its own start, or paging stops with a 253. As
        before, an empty one that moves on is followed (the server filters pages by permission)."""
        start, seen, pages = 0, 0, Pages(f"GET {path}", empty=True)
        while True:
            size = 100 if limit is None else min(100, limit - seen)  # no more than is wanted
            page = self._json("GET", path, need, where, params={**(params or {}), "start": start, "limit": size},
                              expect=PAGE)
            values = page["values"]
            for value in values:
                yield value
                seen += 1
                if limit is not None and seen >= limit:
                    return
            if page["isLastPage"]:
                return
            nxt = page.get("nextPageStart")
            usable = isinstance(nxt, int) and not isinstance(nxt, bool) and nxt > start
            pages.advance(nxt if usable else None, len(values), signature(values))
            start = nxt

    @staticmethod
    def repo_path(project: str, repo: str) -> str:
        return f"{API}/projects/{_q(project)}/repos/{_q(repo)}"

    # -- server and who is asking
    def application_properties(self) -> dict:
        return self.conn.get_json(f"{API}/application-properties", anonymous=True,
                                  expect={"version": str, "displayName": str})

    def whoami(self) -> tuple[str | None, dict]:
        """(the user name the server says the credentials belong to, from X-AUSERNAME; the
        application properties): Bitbucket has no "current user" resource (products.md §3.1)."""
        response = self.conn.send("GET", f"{API}/application-properties")
        try:
            data = response.json()
        except ValueError:
            data = None
        validate.check(data, {"version": str}, f"{self.conn.server} answered GET {API}/application-properties")
        name = response.headers.get("X-AUSERNAME")
        return (unquote_plus(name) if name else None), data

    def user(self, slug: str) -> dict:
        return self._json("GET", f"{API}/users/{_q(slug)}", "a user", "users", expect={"name": str})

    # -- projects
    def projects(self, name: str | None = None, limit: int | None = None) -> list[dict]:
        params = {"name": name} if name else None
        return list(self._paged(f"{API}/projects", "PROJECT_READ", "projects", params, limit))

    def project(self, key: str) -> dict:
        return self._json("GET", f"{API}/projects/{_q(key)}", "PROJECT_READ", f"project {key}", expect=PROJECT)

    def create_project(self, key: str, name: str, description: str | None) -> dict:
        body = {"key": key, "name": name, **({"description": description} if description else {})}
        return self._json("POST", f"{API}/projects", "PROJECT_CREATE (a system permission)", "the server",
                          json=body, expect=PROJECT)

    def delete_project(self, key: str) -> None:
        self._json("DELETE", f"{API}/projects/{_q(key)}", "PROJECT_ADMIN", f"project {key}")

    # -- repositories
    def repos(self, project: str, limit: int | None = None) -> list[dict]:
        return list(self._paged(f"{API}/projects/{_q(project)}/repos", "REPO_READ", f"project {project}",
                                limit=limit))

    def repo(self, project: str, slug: str) -> dict:
        return self._json("GET", self.repo_path(project, slug), "REPO_READ", f"repository {project}/{slug}",
                          expect=REPO)

    def create_repo(self, project: str, name: str, forkable: bool | None = None) -> dict:
        body = {"name": name, "scmId": "git", **({"forkable": forkable} if forkable is not None else {})}
        return self._json("POST", f"{API}/projects/{_q(project)}/repos", "PROJECT_ADMIN", f"project {project}",
                          json=body, expect=REPO)

    def delete_repo(self, project: str, slug: str) -> None:
        self._json("DELETE", self.repo_path(project, slug), "REPO_ADMIN", f"repository {project}/{slug}")

    # -- branches and commits
    def branches(self, project: str, slug: str, filter_text: str | None = None, limit: int | None = None) -> list[dict]:
        params = {"filterText": filter_text} if filter_text else None
        return list(self._paged(self.repo_path(project, slug) + "/branches", "REPO_READ",
                                f"repository {project}/{slug}", params, limit))

    def create_branch(self, project: str, slug: str, name: str, start: str) -> dict:
        return self._json("POST", self.repo_path(project, slug) + "/branches", "REPO_WRITE",
                          f"repository {project}/{slug}", json={"name": name, "startPoint": start}, expect=BRANCH)

    def commits(self, project: str, slug: str, until: str | None = None, limit: int | None = None) -> list[dict]:
        params = {"until": until} if until else None
        return list(self._paged(self.repo_path(project, slug) + "/commits", "REPO_READ",
                                f"repository {project}/{slug}", params, limit))

    # -- pull requests
    def pulls(self, project: str, slug: str, state: str = "OPEN", limit: int | None = None) -> list[dict]:
        return list(self._paged(self.repo_path(project, slug) + "/pull-requests", "REPO_READ",
                                f"repository {project}/{slug}", {"state": state}, limit))

    def pull(self, project: str, slug: str, ident: int) -> dict:
        return self._json("GET", f"{self.repo_path(project, slug)}/pull-requests/{ident}", "REPO_READ",
                          f"repository {project}/{slug}", expect=PULL)

    def create_pull(self, project: str, slug: str, title: str, source: str, target: str,
                    description: str | None, reviewers: list[str]) -> dict:
        def ref(branch: str) -> dict:
            return {"id": branch if branch.startswith("refs/") else f"refs/heads/{branch}",
                    "repository": {"slug": slug, "project": {"key": project}}}

        body = {"title": title, "fromRef": ref(source), "toRef": ref(target),
                "reviewers": [{"user": {"name": r}} for r in reviewers],
                **({"description": description} if description else {})}
        return self._json("POST", self.repo_path(project, slug) + "/pull-requests", "REPO_READ",
                          f"repository {project}/{slug}", json=body, expect=PULL)

    def close_pull(self, project: str, slug: str, ident: int, verb: str, version: int,
                   message: str | None = None) -> dict:
        """merge or decline, at `version` (the server refuses a stale one with 409)."""
        body = {"version": version, **({"message": message} if message else {})}
        return self._json("POST", f"{self.repo_path(project, slug)}/pull-requests/{ident}/{verb}",
                          "REPO_WRITE" if verb == "merge" else "REPO_READ", f"repository {project}/{slug}",
                          params={"version": version}, json=body, expect=PULL)

    # -- HTTP access tokens
    @staticmethod
    def token_path(user: str | None, project: str | None, repo: str | None) -> tuple[str, str]:
        if project and repo:
            return f"{TOKENS}/projects/{_q(project)}/repos/{_q(repo)}", f"repository {project}/{repo}"
        if project:
            return f"{TOKENS}/projects/{_q(project)}", f"project {project}"
        return f"{TOKENS}/users/{_q(user or '')}", f"user {user}"

    def _token_call(self, call, where: str):
        """A call of the token API; its 404 on a server older than 5.5 (which has none) says so."""
        try:
            return call("REPO_ADMIN" if "repository" in where else "PROJECT_ADMIN" if "project" in where else "a user")
        except RemoteError as exc:
            if exc.status == 404:
                version = parse_version(self.application_properties().get("version"))
                if version is not None and version < TOKEN_VERSION:
                    raise ClientError(f"HTTP access tokens need Bitbucket {'.'.join(map(str, TOKEN_VERSION))} or "
                                      f"later; this server runs Bitbucket {'.'.join(map(str, version))}.") from None
            raise

    def create_token(self, path: str, where: str, name: str, permissions: list[str], days: int | None) -> dict:
        body = {"name": name, "permissions": permissions, **({"expiryDays": days} if days else {})}
        return self._token_call(lambda need: self._json("PUT", path, need, where, json=body,
                                                        expect={**TOKEN, "token": str}), where)

    def tokens(self, path: str, where: str) -> list[dict]:
        return self._token_call(lambda need: list(self._paged(path, need, where)), where)

    def revoke_token(self, path: str, where: str, ident: str) -> None:
        self._token_call(lambda need: self._json("DELETE", f"{path}/{_q(ident)}", need, where), where)

    # -- pages
    def render(self, path: str) -> str:
        """A web page: the session comes from a REST request first (pages read only the cookie)."""
        self.whoami()
        response = self.conn.send("GET", path if path.startswith("/") else "/" + path, answer=validate.PAGE)
        return response.text
