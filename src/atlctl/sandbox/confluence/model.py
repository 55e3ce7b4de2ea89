"""Confluence's content, in memory: spaces, pages, comments, attachments and labels.

Ids are numbers like Confluence's (spaces from 98305, content from 65537), never reused. Every
change is written through to the store (the --state file), as Jira's content is: handlers call
save() on what they changed."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from atlctl.sandbox.store import Sequences, Store

CREATE_PAGE = "page"
JAVA_TRIM = "".join(map(chr, range(0x21)))  # what Java's String.trim() drops: blanks and control characters
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


def title_of(body: dict[str, Any]) -> str | None:
    """A request body's title as Confluence keeps it, trimmed (kovetskiy/mark#672, docToolchain#1246:
    a page created as "Name " is "Name"); None when it is not text or blank."""
    title = body.get("title")
    return (title.strip(JAVA_TRIM) or None) if isinstance(title, str) else None


class ConfluenceData:
    def __init__(self, store: Store, namespace: str) -> None:
        self.store, self.namespace = store, namespace
        self.clear()

    def clear(self) -> None:
        self.sequences = Sequences(self.store, self.namespace, {})
        self.spaces: dict[str, Space] = {}
        self.content: dict[int, Content] = {}
        self._label_names: dict[str, int] = {}

    def load(self, records: dict[str, dict[str, Any]], blobs: dict[str, bytes]) -> None:
        self.sequences = Sequences(self.store, self.namespace, records.get("sequence", {}))
        for data in records.get("space", {}).values():
            space = Space(**{**data, "admins": tuple(data["admins"])})
            self.spaces[space.key.upper()] = space
        for data in records.get("content", {}).values():
            versions = [Version(**v) for v in data["versions"]]
            labels = [tuple(label) for label in data["labels"]]
            content = Content(**{**data, "versions": versions, "labels": labels, "data": blobs.get(str(data["id"]), b"")})
            self.content[content.id] = content
        for name, data in records.get("label", {}).items():
            self._label_names[name] = data["id"]

    def save(self, item: Space | Content) -> None:
        """Write a space or content through to the store (attachment bytes as a blob)."""
        if isinstance(item, Space):
            self.store.put(self.namespace, "space", item.key.upper(), asdict(item))
            return
        record = {k: v for k, v in asdict(item).items() if k != "data"}
        self.store.put(self.namespace, "content", item.id, record)
        if item.type == "attachment":
            self.store.put_blob(self.namespace, item.id, item.data)

    def purge(self, content: Content) -> None:
        self.content.pop(content.id, None)
        self.store.delete(self.namespace, "content", content.id)
        if content.type == "attachment":
            self.store.delete_blob(self.namespace, content.id)

    def add_space(self, key: str, name: str, description: str, by: str, when: float) -> Space:
        space = Space(self.sequences.next("space", 98305), key, name, description, admins=(by,))
        self.spaces[key.upper()] = space
        home = self.add_content("page", f"{name} Home", key, "", by, when)
        space.homepage = home.id
        self.save(space)
        return space

    def space(self, key: str) -> Space | None:
        return self.spaces.get(key.upper())

    def space_by_id(self, space_id: str) -> Space | None:
        return next((s for s in self.spaces.values() if str(s.id) == space_id), None)

    def remove_space(self, space: Space) -> None:
        del self.spaces[space.key.upper()]
        self.store.delete(self.namespace, "space", space.key.upper())
        for content in [c for c in self.content.values() if c.space == space.key]:
            self.purge(content)

    def add_content(self, type: str, title: str, space: str, body: str, by: str, when: float, parent: int | None = None,
                    message: str = "") -> Content:
        content = Content(self.sequences.next("content", 65537), type, title, space, body, [Version(1, by, when, message)], parent)
        self.content[content.id] = content
        self.save(content)
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
        """The pages above `content`, the top one first. The API refuses a move that would close a
        loop (moves_under), but a --state file may hold one: the walk stops where it comes back."""
        chain, seen = [], {content.id}
        parent = self.content.get(content.parent) if content.parent else None
        while parent is not None and parent.type == "page" and parent.id not in seen:
            seen.add(parent.id)
            chain.insert(0, parent)
            parent = self.content.get(parent.parent) if parent.parent else None
        return chain

    def descendants(self, content: Content) -> list[Content]:
        """The pages below `content`, each before its own children; each once, even in a loop."""
        out, seen, todo = [], {content.id}, self.children(content, "page")[::-1]
        while todo:
            page = todo.pop()
            if page.id not in seen:
                seen.add(page.id)
                out.append(page)
                todo += self.children(page, "page")[::-1]
        return out

    def moves_under(self, content: Content, parent: Content) -> bool:
        """Whether making `parent` the parent of `content` puts a page under itself or a page below it."""
        return parent.id == content.id or any(a.id == content.id for a in self.ancestors(parent))

    def label_id(self, name: str) -> int:
        if name not in self._label_names:
            self._label_names[name] = self.sequences.next("label", 1)
            self.store.put(self.namespace, "label", name, {"id": self._label_names[name]})
        return self._label_names[name]


def seed(data: ConfluenceData, admin: str, when: float) -> None:
    """Space DEMO ("Demo") with its home page "Demo Home" and a child page "Getting started"."""
    space = data.add_space("DEMO", "Demo", "The sandbox's demo space.", admin, when)
    home = data.content[space.homepage]
    home.body = "<p>Welcome to the <strong>Demo</strong> space.</p>"
    data.save(home)
    data.add_content("page", "Getting started", "DEMO", "<p>Start here: create pages, comment, attach files.</p>", admin, when,
                     parent=home.id)
