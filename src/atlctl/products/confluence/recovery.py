"""Finding what an addPage or addSpace row did before a run stopped (see batch/recovery.py). Page
titles are unique within a space and space keys on the site, so each effect has one place to look."""

from __future__ import annotations

from atlctl.products.base import Result, unless_missing


class AddedPage:
    """addPage's effect: the page titled --title in --space, which did not exist before the row ran."""

    def mark(self, call) -> dict:
        existed = call.client.find_page(call["space"], call["title"], expand="version") is not None
        return {"space": call["space"], "title": call["title"], "existed": existed}

    def find(self, call, mark: dict) -> list[Result]:
        if mark["existed"]:
            return []  # the row could only have failed
        page = call.client.find_page(mark["space"], mark["title"])
        if page is None:
            return []
        return [Result(f"Page '{page['title']}' added with id: {page['id']} (found after the interruption, not added "
                       "again).", data=page, variables={"pageId": page["id"]})]


class AddedSpace:
    def mark(self, call) -> dict:
        existed = unless_missing(lambda: call.client.space(call["space"])) is not None
        return {"space": call["space"], "existed": existed}

    def find(self, call, mark: dict) -> list[Result]:
        if mark["existed"]:
            return []
        space = unless_missing(lambda: call.client.space(mark["space"]))
        if space is None:
            return []
        return [Result(f"Space {space['key']} added (found after the interruption, not added again).", data=space,
                       variables={"space": space["key"]})]
