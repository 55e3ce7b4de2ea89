"""The guard of every paging loop, product-neutral: a server that ignores the position asked for
(startAt, a page token, a cursor, a next link) or reports a huge total must not keep atlctl fetching forever.

    pages = Pages("POST /rest/api/2/search")
    while True:
        page = ...
        if last page: return
        pages.advance(next_position, len(items), signature(items))   # RemoteError when stuck

A page that is not the last but names no next position (None), a position asked for twice, a page identical
to the one before, an empty page that is not the last (unless `empty=True`: Slack may send one with a
cursor), or more than MAX_PAGES pages stop the loop with a RemoteError (253) naming the loop and how many
rows were fetched: never a silent truncation."""

from __future__ import annotations

import json

from atlctl.errors import RemoteError

MAX_PAGES = 10_000  # at 100 rows a page, a million rows: past that a query is better narrowed


def signature(items: list):
    """What tells one page from the next: its first and last items, whole (None for an empty page)."""
    if not items:
        return None
    return tuple(json.dumps(item, sort_keys=True, default=str) for item in (items[0], items[-1]))


class Pages:
    def __init__(self, what: str, max_pages: int | None = None, empty: bool = False):
        self.what = what
        self.max_pages = max_pages or MAX_PAGES
        self.empty = empty  # an empty page that is not the last is no sign of being stuck
        self.pages = 0
        self.rows = 0
        self._seen: set = set()
        self._signature = None

    def advance(self, position, count: int, signature=None) -> None:
        """A page of `count` rows was read and the loop is about to ask for `position` (None: the server
        said more follow but gave no usable position)."""
        self.pages += 1
        self.rows += count
        if position is None:
            raise self._stop("the server says more pages follow but gives no usable position for the next "
                             "(e.g. nextPageStart missing or not beyond the page asked for)")
        if (count == 0 and not self.empty) or position in self._seen or (
                signature is not None and signature == self._signature):
            raise self._stop("the server's answers make no progress (it ignores the position asked for, e.g. "
                             "startAt or the page token, or repeats the same page)")
        if self.pages >= self.max_pages:
            raise self._stop(f"that is the most atlctl fetches ({self.max_pages} pages): narrow the query "
                             "(e.g. --limit, or a narrower JQL/filter)")
        self._seen.add(position)
        self._signature = signature

    def _stop(self, why: str) -> RemoteError:
        return RemoteError(f"Stopped paging {self.what} after {self.pages} pages ({self.rows} rows fetched): {why}.",
                           reason="paging")
