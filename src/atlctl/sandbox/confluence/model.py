"""Confluence's content, in memory: spaces, pages, comments, attachments and labels.

Ids are numbers like Confluence's (spaces from 98305, content from 65537), never reused. The
sandbox keeps this content in memory only: a restart with --state brings back the seeds (the
accounts and tokens, which live in the realm, are kept)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

CREATE_PAGE = "page"
TYPES = ("page", "blogpost", "comment", "attachment")


@dataclass
class Version:
    number: int
    by: str  # user key
    when: float
    message: str = ""
    minor_edit: bool = False


@dataclass
class Space:
    id: int
    key: str
    name: str
    description: str = ""
    type: str = "global"
    homepage: int | None = None
    admins: tuple[str, ...] = ()  # user keys with space administration


@dataclass
class Content:
    id: int
    type: str
    title: str
    space: str  # space key
    body: str = ""
    versions: list[Version] = field(default_factory=list)
    parent: int | None = None  # pages: the parent page; comments and attachments: the container
    labels: list[tuple[int, str]] = field(default_factory=list)  # (label id, name), prefix global
    status: str = "current"
    media_type: str = ""  # attachments
    data: bytes = b""  # attachments
    comment: str = ""  # attachments

    @property
    def version(self) -> Version:
        return self.versions[-1]

    @property
    def created(self) -> Version:
        return self.versions[0]


class ConfluenceData:
    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.spaces: dict[str, Space] = {}
        self.content: dict[int, Content] = {}
        self._space_ids = itertools.count(98305)
        self._content_ids = itertools.count(65537)
        self._label_ids = itertools.count(1)
        self._label_names: dict[str, int] = {}

    def add_space(self, key: str, name: str, description: str, by: str, when: float) -> Space:
        space = Space(next(self._space_ids), key, name, description, admins=(by,))
        self.spaces[key.upper()] = space
        home = self.add_content("page", f"{name} Home", key, "", by, when)
        space.homepage = home.id
        return space

    def space(self, key: str) -> Space | None:
        return self.spaces.get(key.upper())

    def space_by_id(self, space_id: str) -> Space | None:
        return next((s for s in self.spaces.values() if str(s.id) == space_id), None)

    def remove_space(self, space: Space) -> None:
        del self.spaces[space.key.upper()]
        for content_id in [c.id for c in self.content.values() if c.space == space.key]:
            del self.content[content_id]

    def add_content(self, type: str, title: str, space: str, body: str, by: str, when: float, parent: int | None = None,
                    message: str = "") -> Content:
        content = Content(next(self._content_ids), type, title, space, body, [Version(1, by, when, message)], parent)
        self.content[content.id] = content
        return content

    def get(self, content_id: Any, status: str = "current") -> Content | None:
        try:
            content = self.content.get(int(str(content_id)))
        except ValueError:
            return None
        return content if content is not None and content.status == status else None

    def page_titled(self, space: str, title: str, type: str = "page") -> Content | None:
        return next((c for c in self.current() if c.type == type and c.space.upper() == space.upper() and c.title == title), None)

    def current(self) -> list[Content]:
        return [c for c in self.content.values() if c.status == "current"]

    def children(self, content: Content, type: str) -> list[Content]:
        return [c for c in self.current() if c.parent == content.id and c.type == type]

    def ancestors(self, content: Content) -> list[Content]:
        chain, parent = [], self.content.get(content.parent) if content.parent else None
        while parent is not None and parent.type == "page":
            chain.insert(0, parent)
            parent = self.content.get(parent.parent) if parent.parent else None
        return chain

    def descendants(self, content: Content) -> list[Content]:
        out = []
        for child in self.children(content, "page"):
            out += [child, *self.descendants(child)]
        return out

    def label_id(self, name: str) -> int:
        if name not in self._label_names:
            self._label_names[name] = next(self._label_ids)
        return self._label_names[name]


def seed(data: ConfluenceData, admin: str, when: float) -> None:
    """Space DEMO ("Demo") with its home page "Demo Home" and a child page "Getting started"."""
    space = data.add_space("DEMO", "Demo", "The sandbox's demo space.", admin, when)
    home = data.content[space.homepage]
    home.body = "<p>Welcome to the <strong>Demo</strong> space.</p>"
    data.add_content("page", "Getting started", "DEMO", "<p>Start here: create pages, comment, attach files.</p>", admin, when,
                     parent=home.id)
