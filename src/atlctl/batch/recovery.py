"""Settling a row whose request may have reached the server before the run stopped (killed, or the
connection lost after sending). Such a row is never sent again blindly: an action that can find
its own effect (a finder) looks for it first; any other is reported until the user has checked it
(`--retryUnknown`). Read-only actions (get...) are simply run again."""

from __future__ import annotations

import re
import threading

from atlctl.actions.registry import Action
from atlctl.actions.result import Result
from atlctl.batch.journal import Journal, Past
from atlctl.errors import ClientError

SEARCH_LIMIT = 1000


def changes_something(action: Action) -> bool:
    """ACLI's verb convention: get... actions only read, so repeating them is harmless."""
    return not action.name.lower().startswith("get")


class Unsettled(ClientError):
    """The row may or may not have been done, and atlctl cannot tell."""


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
                self._baselines[id(client), project] = int(newest["id"]) if newest else 0
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
            if (int(issue["id"]) > mark["after"] and fields.get("summary") == mark["summary"]
                    and str(mark["type"]).lower() in (str(kind.get("name", "")).lower(), str(kind.get("id")))):
                key = issue["key"]
                found.append(Result(
                    f"Issue {key} created with id {issue['id']} (found after the interruption, not created again). "
                    f"URL: {client.browse_url(key)}",
                    data=issue, variables={"issue": key, "issueId": str(issue["id"])}))
        return found[::-1]  # oldest first


def _jql_string(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


FINDERS = {("jira", "createissue"): CreatedIssue}


class Recovery:
    def __init__(self, journal: Journal, retry_unknown: bool = False):
        self.journal = journal
        self.retry_unknown = retry_unknown
        self._finders = {}
        self._adopted: set[str] = set()  # effects claimed by rows settled in this run
        self._lock = threading.Lock()

    def _finder(self, action: Action):
        key = (action.product, action.name.lower())
        if key not in FINDERS:
            return None
        with self._lock:
            if key not in self._finders:
                self._finders[key] = FINDERS[key]()
            return self._finders[key]

    def mark(self, call) -> dict | None:
        """What the intent records so the row's effect can be found later."""
        finder = self._finder(call.action)
        return finder.mark(call) if finder else None

    def settle(self, call, past: Past) -> Result | None:
        """The row's earlier effect, or None when it is safe to send it. Raises Unsettled otherwise."""
        finder = self._finder(call.action)
        if finder is None or not past.mark:
            if self.retry_unknown:
                return None
            raise Unsettled(
                f"Row {past.row} ({call.action.name}) may or may not have been done before the run stopped, and "
                "atlctl cannot check it. Check it yourself, then resume with --retryUnknown to send it again "
                "(or remove the row from the input)."
            )
        with self._lock:  # rows with the same summary must not adopt the same issue
            found = [r for r in finder.find(call, past.mark) if _effect(r) not in self._adopted]
            if found:
                claimed = self.journal.claimed({_effect(r) for r in found})
                found = [r for r in found if _effect(r) not in claimed]
            if not found:
                return None
            self._adopted.add(_effect(found[0]))
            return found[0]


def _effect(result: Result) -> str:
    """What identifies a row's effect: its main variable (the issue key of createIssue)."""
    return next(iter(result.variables.values()))
