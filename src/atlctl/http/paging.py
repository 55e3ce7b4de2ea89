"""The guard of every paging loop, product-neutral: a server that ignores the position asked for
(startAt, a page token, a cursor) or reports a huge total must not keep atlctl fetching forever.

    pages = Pages("POST /rest/api/2/search")
    while True:
        page = ...
        if last page: return
        pages.advance(next_position, len(items), signature=(first id, last id))   # RemoteError when stuck

A position asked for twice, a page identical to the one before, or more than MAX_PAGES pages stop the
loop with a RemoteError (253) naming the loop and how many rows were fetched: never a silent truncation."""

from __future__ import annotations

from atlctl.errors import RemoteError

MAX_PAGES = 10_000  # at 100 rows a page, a million rows: past that a query is better narrowed


class Pages:
    def __init__(self, what: str, max_pages: int | None = None):
        self.what = what
        self.max_pages = max_pages or MAX_PAGES
        self.pages = 0
        self.rows = 0
        self._seen: set = set()
        self._signature = None

    def advance(self, position, count: int, signature=None) -> None:
        """A page of `count` rows was read and the loop is about to ask for `position`."""
        self.pages += 1
        self.rows += count
        if count == 0 or position is None or position in self._seen or (
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
