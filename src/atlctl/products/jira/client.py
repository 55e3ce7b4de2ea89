"""Jira REST calls (Server/DC /rest/api/2, Cloud /rest/api/2 and /rest/api/3), with the server's
own field names. No printing here: actions turn these answers into results."""

from __future__ import annotations

import re
from typing import Iterator

from atlctl.errors import ClientError
from atlctl.http.connection import Connection
from atlctl.http.paging import Pages, signature
from atlctl.http.validate import EMPTY, PAGE as WEB_PAGE, optional
from atlctl.products.atlassian import PersonalAccessTokens, segment, web_path
from atlctl.products.base import ServerInfo
from atlctl.products.jira.fields import SEARCH_FIELDS
from atlctl.values import is_number

API = "/rest/api/2"
# Cloud account ids: 24 hex digits, or `557058:` and a UUID (older accounts); lists show `Name (id)`.
ACCOUNT_ID = re.compile(r"[0-9a-f]{24}|\d+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
ACCOUNT_SHOWN = re.compile(rf".*\(({ACCOUNT_ID.pattern})\)", re.I)
PAGE = 100
ID = (str, int)
ISSUE = {"id": ID, "key": str, "fields": optional(dict)}
NUMBER = optional(int)
PAGE_OF_VALUES = {"values": [dict], "isLast": optional(bool), "total": NUMBER}
PAGE_OF_ISSUES = {"issues": [ISSUE], "startAt": NUMBER, "total": NUMBER, "nextPageToken": optional(str)}
PROJECT = {"issueTypes": optional([dict])}
ATTACHMENT = {"id": ID, "content": optional(str)}
NAMED = {"id": ID, "name": str}
LINK_TYPE = {"id": ID, "name": str, "inward": str, "outward": str}
LINKED = optional({"key": str})
LINK = {"id": ID, "type": LINK_TYPE, "inwardIssue": LINKED, "outwardIssue": LINKED}
FILTER = {"id": ID, "name": str, "jql": optional(str)}


class JiraClient(PersonalAccessTokens):  # tokens from 8.14 (product.PAT_VERSION) [§1.5]
    def __init__(self, conn: Connection, deployment: str, info: ServerInfo | None = None):
        self.conn = conn
        self.deployment = deployment
        self.info = info
        self.me: dict | None = None  # the current user, once verify() has asked
        self._fields: list[dict] | None = None
        self._editmeta: dict[str, dict] = {}  # issue key -> its editable fields
        self._accounts: dict[str, str] = {}  # a user as given (lower case) -> accountId (Cloud) or user name

    @property
    def cloud(self) -> bool:
        return self.deployment == "cloud"

    def browse_url(self, key: str) -> str:
        return f"{self.conn.server}/browse/{key}"

    def user_id(self, user: str) -> str:
        """The user name (Server/DC) or accountId (Cloud) of the user given. On Cloud an email or a
        display name (or `Name (accountId)`, as lists show users) is found through the user search,
        once per process; none or several matches are a ClientError naming the candidates."""
        user = user.strip()
        if not self.cloud:
            return self._server_name(user)
        shown = ACCOUNT_SHOWN.fullmatch(user)
        if shown:
            return shown[1]
        if ACCOUNT_ID.fullmatch(user):
            return user
        if user.lower() not in self._accounts:
            self._accounts[user.lower()] = self._only(user, self.find_users(user), "accountId")
        return self._accounts[user.lower()]

    def _server_name(self, user: str) -> str:
        """On Server/DC a user name is taken as given; a value with '@' or a blank (an email, a display
        name) is looked up, and stays as given when it is some user's name."""
        if not ("@" in user or " " in user):
            return user
        wanted = user.lower()
        if wanted not in self._accounts:
            found = self.find_users(user)
            named = any(str(u.get("name", "")).lower() == wanted for u in found)
            self._accounts[wanted] = user if named else self._only(user, found, "name")
        return self._accounts[wanted]

    def _only(self, user: str, found: list[dict], key: str) -> str:
        """The `key` of the one user whose email or display name is `user`; else a ClientError."""
        wanted = user.lower()
        exact = [u for u in found if wanted in (str(u.get("emailAddress", "")).lower(), str(u.get("displayName", "")).lower())]
        if not exact and "@" in user and len(found) == 1 and not found[0].get("emailAddress"):
            exact = found  # the email is hidden by the user's privacy settings, but the search matched it
        if len(exact) == 1 and exact[0].get(key):
            return str(exact[0][key])
        candidates = "; ".join(_described(u) for u in (exact or found)[:10])
        if len(exact) > 1:
            raise ClientError(f"User '{user}' is ambiguous on {self._where()}: {candidates}. Give the email or "
                              f"{'account id' if self.cloud else 'user name'}.")
        raise ClientError(f"No {self._where()} user '{user}' (as email, display name or "
                          f"{'account id' if self.cloud else 'user name'})" + (f"; did you mean: {candidates}?" if found else "."))

    def _where(self) -> str:
        return "Jira Cloud" if self.cloud else "Jira"

    def user_ref(self, user: str) -> dict:
        """How an issue field refers to a user: accountId on Cloud, user name on Server/DC."""
        return {"accountId" if self.cloud else "name": self.user_id(user)}

    # -- server and users
    def server_info(self) -> dict:
        return self.conn.get_json(f"{API}/serverInfo", anonymous=True, expect=dict)

    def myself(self) -> dict:
        self.me = self.conn.get_json(f"{API}/myself", expect=dict)
        return self.me

    def verify(self) -> dict | None:
        """The credentials' owner, asked once per connection (serverInfo answers anyone, so it proves
        nothing); None when anonymous."""
        if self.conn.situation.scheme == "anonymous":
            return None
        return self.me if self.me is not None else self.myself()

    def user(self, user_id: str) -> dict:
        key = "accountId" if self.cloud else "username"
        return self.conn.get_json(f"{API}/user", params={key: self.user_id(user_id)}, expect=dict)

    def add_user(self, name: str, email: str, full_name: str, password: str | None) -> dict:
        body = {"name": name, "emailAddress": email, "displayName": full_name}
        if password:
            body["password"] = password
        return self.conn.json("POST", f"{API}/user", json=body, expect=dict)

    def remove_user(self, name: str) -> None:
        self.conn.send("DELETE", f"{API}/user", params={"username": name}, answer=EMPTY)

    def add_group(self, name: str) -> dict:
        return self.conn.json("POST", f"{API}/group", json={"name": name})

    def add_user_to_group(self, name: str, group: str) -> dict:
        return self.conn.json("POST", f"{API}/group/user", params={"groupname": group}, json={"name": name})

    # -- projects
    def projects(self) -> list[dict]:
        return self.conn.get_json(f"{API}/project", expect=[dict])

    def project(self, key: str) -> dict:
        return self.conn.get_json(f"{API}/project/{segment(key)}", expect=PROJECT)

    # -- issues
    def issue(self, key: str) -> dict:
        return self.conn.get_json(f"{API}/issue/{segment(key)}", expect=ISSUE)

    def issue_fields(self, key: str, fields: list[str], expect=dict) -> dict:
        """These fields of the issue (`expect`: what they must look like)."""
        issue = self.conn.get_json(f"{API}/issue/{segment(key)}", params={"fields": ",".join(fields)},
                                   expect={"fields": optional(expect)})
        return issue.get("fields") or {}

    def create_issue(self, fields: dict) -> dict:
        return self.conn.json("POST", f"{API}/issue", json={"fields": fields}, expect=ISSUE)

    def creatable(self, project: str, issue_type: str) -> tuple[list[dict], dict]:
        """The issue types `project` may create (createmeta), and field id -> what a create of
        `issue_type` (name or id) may set ({} when the project has no such type)."""
        base = f"{API}/issue/createmeta/{segment(project)}/issuetypes"
        types = self._meta_pages(base)
        wanted = issue_type.strip().lower()
        found = next((t for t in types if wanted in (str(t.get("name", "")).lower(), str(t.get("id")))), None)
        if found is None:
            return types, {}
        fields = self._meta_pages(f"{base}/{segment(str(found['id']))}")
        return types, {str(f.get("fieldId") or f.get("key")): f for f in fields}

    def _meta_pages(self, path: str) -> list[dict]:
        """Every entry of a createmeta answer, page by page: `values` on Server/DC; on Cloud `issueTypes`
        and a type's `fields`."""
        return list(self._paged("GET", path, ("values", "issueTypes", "fields"), dict))

    def _paged(self, method: str, path: str, keys: tuple[str, ...], expect, limit: int | None = None,
               size: int = PAGE, **query) -> Iterator[dict]:
        """Every entry of a startAt/maxResults-paged answer (the first of `keys` holding a list), asking only
        for what the first `limit` need. It ends at an empty page, `isLast`, or `total` (after the page
        when the answer has none); a server that makes no progress is stopped by Pages. `query` goes in
        the parameters of a GET, in the JSON body otherwise."""
        start, seen, pages = 0, 0, Pages(f"{method} {path}")
        while True:
            ask = {**query, "startAt": start, "maxResults": _page(limit, seen, size)}
            if method == "GET":
                page = self.conn.get_json(path, params=ask, expect=expect)
            else:
                page = self.conn.json(method, path, json=ask, expect=expect)
            entries = next((page[key] for key in keys if isinstance(page.get(key), list)), [])
            entries = [e for e in entries if isinstance(e, dict)]
            for entry in entries:
                yield entry
                seen += 1
                if limit is not None and seen >= limit:
                    return
            start = _int(page.get("startAt"), start) + len(entries)
            if not entries or page.get("isLast") is True or start >= _int(page.get("total"), start):
                return
            pages.advance(start, len(entries), signature(entries))

    def editable(self, key: str, fresh: bool = False) -> dict:
        """Field id -> what an edit of the issue may set it to (editmeta), asked once per issue (again
        when `fresh`)."""
        if fresh or key.upper() not in self._editmeta:
            meta = self.conn.get_json(f"{API}/issue/{segment(key)}/editmeta", expect={"fields": dict})
            self._editmeta[key.upper()] = meta["fields"]
        return self._editmeta[key.upper()]

    def edit_issue(self, key: str, fields: dict) -> None:
        self.conn.send("PUT", f"{API}/issue/{segment(key)}", json={"fields": fields}, answer=EMPTY)

    def update_issue(self, key: str, update: dict) -> None:
        """Field operations (add, remove, set) rather than whole values."""
        self.conn.send("PUT", f"{API}/issue/{segment(key)}", json={"update": update}, answer=EMPTY)

    # -- versions and components of a project
    def versions(self, project: str) -> list[dict]:
        return self.conn.get_json(f"{API}/project/{segment(project)}/versions", expect=[NAMED])

    def add_version(self, body: dict) -> dict:
        return self.conn.json("POST", f"{API}/version", json=body, expect=NAMED)

    def components(self, project: str) -> list[dict]:
        return self.conn.get_json(f"{API}/project/{segment(project)}/components", expect=[NAMED])

    def add_component(self, body: dict) -> dict:
        return self.conn.json("POST", f"{API}/component", json=body, expect=NAMED)

    # -- watchers and work
    def add_watcher(self, key: str, user: str) -> None:
        """The body is the user's name (Server/DC) or accountId (Cloud) as a JSON string."""
        self.conn.send("POST", f"{API}/issue/{segment(key)}/watchers", json=user, answer=EMPTY)

    def add_worklog(self, key: str, body: dict) -> dict:
        return self.conn.json("POST", f"{API}/issue/{segment(key)}/worklog", json=body, expect={"id": ID})

    # -- groups and users
    def groups(self, query: str = "", member: str | None = None, limit: int | None = None) -> list[dict]:
        params = {"query": query, "maxResults": min(limit or 1000, 1000)}
        if member:
            params["accountId" if self.cloud else "userName"] = member
        return self.conn.get_json(f"{API}/groups/picker", params=params,
                                  expect={"groups": [{"name": str}]})["groups"]

    def group_members(self, group: str, limit: int | None = None) -> list[dict]:
        """The members of `group`, page by page: only the pages the first `limit` need."""
        return list(self._paged("GET", f"{API}/group/member", ("values",), PAGE_OF_VALUES, limit, 50, groupname=group))

    def find_users(self, query: str, limit: int | None = None) -> list[dict]:
        """Active users whose name, email or display name starts with `query` ("." for all on Server/DC)."""
        key = "query" if self.cloud else "username"
        return self.conn.get_json(f"{API}/user/search", params={key: query, "maxResults": min(limit or 1000, 1000)},
                                  expect=[dict])

    # -- links
    def link_types(self) -> list[dict]:
        return self.conn.get_json(f"{API}/issueLinkType", expect={"issueLinkTypes": [LINK_TYPE]})["issueLinkTypes"]

    def link(self, type_name: str, inward: str, outward: str) -> None:
        """`inward` is the issue the outward description is said of ("inward blocks outward")."""
        body = {"type": {"name": type_name}, "inwardIssue": {"key": inward}, "outwardIssue": {"key": outward}}
        self.conn.send("POST", f"{API}/issueLink", json=body, answer=EMPTY)

    def delete_link(self, link_id: str) -> None:
        self.conn.send("DELETE", f"{API}/issueLink/{segment(str(link_id))}", answer=EMPTY)

    def links(self, key: str) -> list[dict]:
        return self.issue_fields(key, ["issuelinks"], {"issuelinks": optional([LINK])}).get("issuelinks") or []

    def delete_issue(self, key: str, subtasks: bool) -> None:
        self.conn.send("DELETE", f"{API}/issue/{segment(key)}", params={"deleteSubtasks": str(subtasks).lower()},
                       answer=EMPTY)

    def resolutions(self) -> list[dict]:
        return self.conn.get_json(f"{API}/resolution", expect=[dict])

    def transitions(self, key: str) -> list[dict]:
        return self.conn.get_json(f"{API}/issue/{segment(key)}/transitions", expect={"transitions": [{"id": ID}]})["transitions"]

    def transition(self, key: str, transition_id: str, fields: dict | None = None, comment: str | None = None) -> None:
        body: dict = {"transition": {"id": transition_id}}
        if fields:
            body["fields"] = fields
        if comment:
            body["update"] = {"comment": [{"add": {"body": comment}}]}
        self.conn.send("POST", f"{API}/issue/{segment(key)}/transitions", json=body, answer=EMPTY)

    def add_comment(self, key: str, body: str) -> dict:
        return self.conn.json("POST", f"{API}/issue/{segment(key)}/comment", json={"body": body}, expect=dict)

    def comments(self, key: str, limit: int | None = None) -> list[dict]:
        """The comments of `key`, page by page: only the pages the first `limit` need."""
        return list(self._paged("GET", f"{API}/issue/{segment(key)}/comment", ("comments",),
                                {"comments": [dict], "startAt": NUMBER, "total": NUMBER}, limit))

    def search(self, jql: str, limit: int | None = None, fields: list[str] | None = None) -> Iterator[dict]:
        """All matching issues, page by page (stops at `limit`). Cloud uses the token-paged
        /rest/api/3/search/jql (the old /search is gone there); Server/DC the offset-paged /search."""
        fields = fields or SEARCH_FIELDS
        if not self.cloud:
            yield from self._paged("POST", f"{API}/search", ("issues",), PAGE_OF_ISSUES, limit, jql=jql, fields=fields)
            return
        seen, token, pages = 0, None, Pages("POST /rest/api/3/search/jql")
        while True:
            body = {"jql": jql, "maxResults": _page(limit, seen), "fields": fields}
            if token:
                body["nextPageToken"] = token
            page = self.conn.json("POST", "/rest/api/3/search/jql", json=body,
                                  expect={**PAGE_OF_ISSUES, "isLast": optional(bool)})
            for issue in page["issues"]:
                yield issue
                seen += 1
                if limit is not None and seen >= limit:
                    return
            token = page.get("nextPageToken")
            if page.get("isLast", not token) or not token or not page["issues"]:
                return
            pages.advance(token, len(page["issues"]), signature(page["issues"]))

    # -- saved filters (getIssueList --filter)
    def saved_filter(self, ref: str) -> dict:
        """A saved filter by id, or by its name (any case): on Cloud through filter/search, on Server/DC
        among the user's favourite and own filters (its REST finds no other by name). None or several
        of that name are a ClientError naming what was found."""
        ref = ref.strip()
        if is_number(ref):
            return self.conn.get_json(f"{API}/filter/{ref}", expect=FILTER)
        found = self._filters_named(ref)
        exact = [f for f in found if str(f["name"]).lower() == ref.lower()]
        if len(exact) == 1:
            return exact[0] if exact[0].get("jql") is not None else self.saved_filter(str(exact[0]["id"]))
        listed = "; ".join(f"{f['name']} ({f['id']})" for f in (exact or found)[:10])
        if exact:
            raise ClientError(f"Filter name '{ref}' is ambiguous: {listed}. Give the filter id as --filter.")
        where = "" if self.cloud else " among your favourite and own filters (Jira Server/DC finds no other by name: give its id)"
        raise ClientError(f"No saved filter named '{ref}'{where}" + (f"; found: {listed}." if found else "."))

    def _filters_named(self, name: str) -> list[dict]:
        if not self.cloud:
            mine = self.conn.get_json(f"{API}/filter/favourite", expect=[FILTER])
            mine += self.conn.get_json(f"{API}/filter/my", expect=[FILTER])
            return list({str(f["id"]): f for f in mine}.values())
        return list(self._paged("GET", f"{API}/filter/search", ("values",),
                                {**PAGE_OF_VALUES, "values": [FILTER]}, filterName=name, expand="jql"))

    # -- attachments
    def add_attachment(self, key: str, name: str, body) -> list[dict]:
        """Attach `body` (bytes, or a binary file: `files.upload_input`) as `name`."""
        import mimetypes

        part = (name, body, mimetypes.guess_type(name)[0] or "application/octet-stream")
        # X-Atlassian-Token: no-check goes on every request (multipart fails XSRF without it) [§0.4]
        return self.conn.json("POST", f"{API}/issue/{segment(key)}/attachments", files={"file": part},
                              expect=[ATTACHMENT])

    def attachments(self, key: str) -> list[dict]:
        issue = self.conn.get_json(f"{API}/issue/{segment(key)}", params={"fields": "attachment"},
                                   expect={"fields": optional({"attachment": optional([ATTACHMENT])})})
        return (issue.get("fields") or {}).get("attachment") or []

    def download(self, url: str) -> bytes:
        return self.conn.download(url).content

    # -- fields (for --field NAME=VALUE)
    def fields(self) -> list[dict]:
        if self._fields is None:
            self._fields = self.conn.get_json(f"{API}/field", expect=[dict])
        return self._fields

    # -- web pages (Server/DC)
    def render(self, path: str) -> str:
        path = web_path(self.conn.server, path, "/secure/ViewProfile.jspa")
        return self.conn.send("GET", path, answer=WEB_PAGE).text

    def logout(self) -> None:
        self.conn.end_session()


def _described(user: dict) -> str:
    email = f" <{user['emailAddress']}>" if user.get("emailAddress") else ""
    return f"{user.get('displayName')}{email} ({user.get('accountId') or user.get('name')})"


def _int(value, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _page(limit: int | None, seen: int, size: int = PAGE) -> int:
    """How many to ask for next: a page of `size`, or fewer when only `limit` are wanted."""
    return size if limit is None else max(1, min(size, limit - seen))
