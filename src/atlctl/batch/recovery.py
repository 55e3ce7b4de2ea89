"""Settling a row whose request may have reached the server before the run stopped (killed, or the
connection lost after sending). Such a row is never sent again blindly: an action that can find
its own effect (the finder it declares) looks for it first; any other is reported until the user
has checked it (`--retryUnknown`). Actions declared read-only are simply run again."""

from __future__ import annotations

import threading

from atlctl.batch.journal import Journal, Past
from atlctl.errors import ClientError
from atlctl.products.base import Action, Result


def changes_something(action: Action) -> bool:
    """Actions that only read (declared `reads`) are harmless to repeat."""
    return not action.reads


class Unsettled(ClientError):
    """The row may or may not have been done, and atlctl cannot tell."""


class Recovery:
    def __init__(self, journal: Journal, retry_unknown: bool = False):
        self.journal = journal
        self.retry_unknown = retry_unknown
        self._finders = {}
        self._adopted: set[str] = set()  # effects claimed by rows settled in this run
        self._lock = threading.Lock()

    def _finder(self, action: Action):
        """The action's declared finder, one per run (it may keep state across rows, e.g. a baseline)."""
        if action.finder is None:
            return None
        key = (action.product, action.name.lower())
        with self._lock:
            if key not in self._finders:
                self._finders[key] = action.finder()
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
        complete = getattr(finder, "complete", None)  # the rest of a partly done action (createIssue's --comment)
        return complete(call, found[0]) if complete else found[0]


def _effect(result: Result) -> str:
    """What identifies a row's effect: its main variable (the issue key of createIssue)."""
    return next(iter(result.variables.values()))
