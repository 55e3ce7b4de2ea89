"""Finding what a createIssue row did before a run stopped (see batch/recovery.py): the finder
declared with the action."""

from __future__ import annotations

import re
import threading

from atlctl.errors import AtlctlError, PartlyDone
from atlctl.products.base import Result

SEARCH_LIMIT = 1000


class CreatedIssue:
    """createIssue's effect: an issue in that project with exactly that summary and type, newer than
    every issue that existed before the run's first create (its "baseline", kept in the intent)."""

    def __init__(self):
        self._baselines: dict[tuple, int] = {}  # (id(client), project) -> newest issue id before our first create
        self._lock = threading.Lock()

    def mark(self, call) -> dict:
        client, project = call.client, call["project"]
        with self._lock:
            if (id(client), project) not in self._baselines:
                # restricted to the project: Cloud refuses unbounded JQL
                jql = f"project = {_jql_string(project)} ORDER BY created DESC"
                newest = next(iter(client.search(jql, limit=1, fields=["summary"])), None)
                self._baselines[id(client), project] = int(newest["id"]) if newest and str(newest["id"]).isdecimal() else 0
            after = self._baselines[id(client), project]
        return {"project": project, "type": call["type"], "summary": call["summary"], "after": after}

    def find(self, call, mark: dict) -> list[Result]:
        client = call.client
        words = re.findall(r"[^\W_]+(?:\s+[^\W_]+)*", mark["summary"])  # text search ignores punctuation
        phrase = max(words, key=len, default="")
        jql = f"project = {_jql_string(mark['project'])}"
        if phrase:
            jql += f" AND summary ~ {_jql_string(phrase)}"
        found = []
        for issue in client.search(jql + " ORDER BY created DESC", SEARCH_LIMIT, fields=["summary", "issuetype"]):
            fields = issue.get("fields") or {}
            kind = fields.get("issuetype") or {}
            if (str(issue["id"]).isdecimal() and int(issue["id"]) > mark["after"] and fields.get("summary") == mark["summary"]
                    and str(mark["type"]).lower() in (str(kind.get("name", "")).lower(), str(kind.get("id")))):
                key = issue["key"]
                found.append(Result(
                    f"Issue {key} created with id {issue['id']} (found after the interruption, not created again). "
                    f"URL: {client.browse_url(key)}",
                    data=issue, variables={"issue": key, "issueId": str(issue["id"])}))
        return found[::-1]  # oldest first

    def complete(self, call, found: Result) -> Result:
        """The --comment a create stopped before (the run was killed, or the comment refused), added
        unless the issue already has it; refused again, the row stays partly done."""
        key = found.variables["issue"]
        return commented(call, key, call["comment"] or None, found, f"Issue {key} was created", created=True,
                         unless_there=True)


def commented(call, key: str, comment: str | None, result: Result, done: str | None, created: bool = False,
              unless_there: bool = False) -> Result:
    """Add --comment to `key` once the create or update is `done` (`unless_there`: unless the issue has
    that comment already); a failure says that it was."""
    if comment is None:
        return result
    try:
        if unless_there and any(c.get("body") == comment for c in call.client.comments(key)):
            return result
        added = call.client.add_comment(key, comment)
    except AtlctlError as failed:
        if not done:
            raise
        message = f"{failed} ({done}, but the --comment was not added)"
        if created:  # a resumed run finds the issue and adds the comment (CreatedIssue.complete)
            raise PartlyDone(failed, message) from None
        failed.args = (message, *failed.args[1:])
        raise
    result.message += f" Comment with id {added.get('id')} added."
    result.variables["commentId"] = str(added.get("id"))
    return result


def _jql_string(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'
