"""Jira content of one product: projects, issues, comments and attachments.

Everything lives in dicts; each change is written through to the store (a no-op without --state).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from atlctl.sandbox.jira import catalog
from atlctl.sandbox.realm import Realm
from atlctl.sandbox.store import Sequences


@dataclass
class Project:
    id: str
    key: str
    name: str
    lead: str  # user key
    description: str = ""
    type_key: str = "software"
    assignee_type: str = "UNASSIGNED"
    url: str = ""
    category_id: int | None = None
    template: str | None = None  # the project template it was made from (its own workflow scheme)
    issue_security_scheme: int | None = None
    # role id -> {"users": [user keys], "groups": [names]}; seeded from catalog.ROLES
    roles: dict[str, dict[str, list[str]]] = field(default_factory=dict)


@dataclass
class RemoteLink:
    id: int
    issue_id: int
    link: dict[str, Any]  # globalId, application, relationship, object: as the client gave them


@dataclass
class Filter:
    id: int
    name: str
    jql: str
    owner: str  # user key
    description: str | None = None
    favourites: list[str] = field(default_factory=list)  # user keys


@dataclass
class Avatars:
    id: str  # the user key
    selected: int = 10122  # Jira's default user avatar
    custom: list[int] = field(default_factory=list)
    pending: bool = False  # a temporary upload waits to be confirmed


@dataclass
class Category:
    id: int
    name: str
    description: str = ""


@dataclass
class PermissionScheme:
    """One an administrator created; the default scheme (`catalog.PERMISSION_SCHEME`) is not stored."""

    id: int
    name: str
    description: str = ""


@dataclass
class Issue:
    id: int
    key: str
    project_id: str
    type_id: str
    summary: str
    reporter: str | None
    creator: str | None
    created: float
    updated: float
    description: str | None = None
    environment: str | None = None
    status_id: str = catalog.INITIAL_STATUS.id
    priority_id: str = catalog.DEFAULT_PRIORITY
    assignee: str | None = None
    labels: list[str] = field(default_factory=list)
    resolved: float | None = None
    resolution_id: str | None = None  # when resolved: None means Done
    custom: dict[str, Any] = field(default_factory=dict)  # customfield id -> number, option id(s), user key, text, date
    fix_versions: list[int] = field(default_factory=list)  # version ids
    versions: list[int] = field(default_factory=list)  # affects versions
    components: list[int] = field(default_factory=list)
    watchers: list[str] = field(default_factory=list)  # user keys
    voters: list[str] = field(default_factory=list)
    original_estimate: int | None = None  # seconds
    remaining_estimate: int | None = None


@dataclass
class Comment:
    id: int
    issue_id: int
    author: str
    body: str
    created: float
    updated: float
    visibility: dict[str, str] | None = None  # {"type": "role" | "group", "value": name}
    update_author: str | None = None


@dataclass
class Link:
    id: int
    type_id: str
    source: int  # the issue the outward description is said of ("A blocks B": A)
    target: int


@dataclass
class LinkType:
    id: int
    name: str
    inward: str
    outward: str


@dataclass
class Version:
    id: int
    project_id: str
    name: str
    description: str = ""
    released: bool = False
    archived: bool = False
    release_date: str | None = None  # yyyy-MM-dd
    start_date: str | None = None


@dataclass
class Component:
    id: int
    project_id: str
    name: str
    description: str = ""
    lead: str | None = None  # user key
    assignee_type: str = "PROJECT_DEFAULT"


@dataclass
class Worklog:
    id: int
    issue_id: int
    author: str
    seconds: int
    started: str  # as given (Jira's timestamp format)
    created: float
    updated: float
    comment: str = ""
    update_author: str | None = None


@dataclass
class Attachment:
    id: int
    issue_id: int
    filename: str
    mime_type: str
    size: int
    author: str
    created: float


def numeric_id(text: str) -> int | None:
    """An id in a path or JQL, or None: ASCII digits only ("²".isdigit() is true, int("²") fails),
    at most 18 of them (Jira's ids are Java longs)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


class JiraData:
    def __init__(self, realm: Realm, namespace: str):
        self.realm = realm  # the accounts the content refers to
        self.store = realm.store
        self.namespace = namespace  # of the records in the store
        self.sequences = Sequences(self.store, namespace, {})
        self.projects: dict[str, Project] = {}
        self.issues: dict[int, Issue] = {}
        self.comments: dict[int, Comment] = {}
        self.attachments: dict[int, Attachment] = {}
        self.contents: dict[int, bytes] = {}
        self.links: dict[int, Link] = {}
        self.link_types: dict[int, LinkType] = {}
        self.versions: dict[int, Version] = {}
        self.components: dict[int, Component] = {}
        self.worklogs: dict[int, Worklog] = {}
        self.categories: dict[int, Category] = {}
        self.permission_schemes: dict[int, PermissionScheme] = {}
        self.remote_links: dict[int, RemoteLink] = {}
        self.filters: dict[int, Filter] = {}
        self.avatars: dict[str, Avatars] = {}  # by user key, for those who changed theirs
        self.properties: dict[str, str] = {}  # application properties set away from their defaults
        self._by_key: dict[str, Issue] = {}
        # Per issue, so rendering one does not scan every comment and attachment of the product.
        self._comments_by_issue: defaultdict[int, dict[int, Comment]] = defaultdict(dict)
        self._attachments_by_issue: defaultdict[int, dict[int, Attachment]] = defaultdict(dict)

    @property
    def _records(self) -> dict[str, dict[int, Any]]:
        return {kind: table for kind, (table, _) in self._kinds().items()}

    def _kinds(self) -> dict[str, tuple[dict[int, Any], type]]:
        """The records kept in one table each, by id, with no index of their own."""
        return {"version": (self.versions, Version), "component": (self.components, Component), "worklog": (self.worklogs, Worklog),
                "category": (self.categories, Category), "remotelink": (self.remote_links, RemoteLink),
                "filter": (self.filters, Filter), "avatars": (self.avatars, Avatars),
                "permissionscheme": (self.permission_schemes, PermissionScheme),
                "linktype": (self.link_types, LinkType)}

    def add(self, kind: str, make: Any, **fields: Any) -> Any:
        """A new record of `kind` (version, component, worklog) with the next id of its sequence."""
        record = make(id=self.sequences.next(kind, 10000), **fields)
        self._kinds()[kind][0][record.id] = record
        self._put(kind, record.id, record)
        return record

    def change(self, kind: str, record: Any, **changes: Any) -> None:
        for name, value in changes.items():
            setattr(record, name, value)
        self._put(kind, record.id, record)

    def remove(self, kind: str, record: Any) -> None:
        del self._kinds()[kind][0][record.id]
        self._drop(kind, record.id)

    def _put(self, kind: str, key: Any, record: Any) -> None:
        self.store.put(self.namespace, kind, key, asdict(record))

    def _drop(self, kind: str, key: Any) -> None:
        self.store.delete(self.namespace, kind, key)

    def clear(self) -> None:
        self.sequences = Sequences(self.store, self.namespace, {})
        tables = (self.properties, self.projects, self.issues, self.comments, self.attachments, self.contents, self._by_key, self.links,
                  *self._records.values())
        for table in (*tables, self._comments_by_issue, self._attachments_by_issue):
            table.clear()

    def load(self, records: dict[str, dict[str, Any]], blobs: dict[str, bytes]) -> None:
        self.sequences = Sequences(self.store, self.namespace, records.get("sequence", {}))
        for data in records.get("project", {}).values():
            project = Project(**data)
            self.projects[project.id] = project
        for data in records.get("issue", {}).values():
            issue = Issue(**data)
            self.issues[issue.id] = issue
            self._by_key[issue.key] = issue
        for data in records.get("link", {}).values():
            link = Link(**data)
            self.links[link.id] = link
        for kind, (table, record_type) in self._kinds().items():
            for data in records.get(kind, {}).values():
                record = record_type(**data)
                table[record.id] = record
        self.properties.update({key: data["value"] for key, data in records.get("property", {}).items()})
        if "linktype" not in records.get("sequence", {}):  # a state saved before link types were stored
            self.seed_link_types()
        for data in records.get("comment", {}).values():
            self._index_comment(Comment(**data))
        for data in records.get("attachment", {}).values():
            attachment = Attachment(**data)
            self._index_attachment(attachment)
            self.contents[attachment.id] = blobs.get(str(attachment.id), b"")

    def _index_comment(self, comment: Comment) -> None:
        self.comments[comment.id] = comment
        self._comments_by_issue[comment.issue_id][comment.id] = comment

    def _index_attachment(self, attachment: Attachment) -> None:
        self.attachments[attachment.id] = attachment
        self._attachments_by_issue[attachment.issue_id][attachment.id] = attachment

    # ---- lookups ---------------------------------------------------------------------------

    def project(self, ref: Any) -> Project | None:
        """By id or key (keys are case-insensitive in Jira)."""
        ref = str(ref)
        found = self.projects.get(ref)
        return found or next((p for p in self.projects.values() if p.key == ref.upper()), None)

    def issue(self, ref: str) -> Issue | None:
        """By key or numeric id."""
        number = numeric_id(ref)
        return self._by_key.get(ref.upper()) if number is None else self.issues.get(number)

    def comments_of(self, issue: Issue) -> list[Comment]:
        return sorted(self._comments_by_issue.get(issue.id, {}).values(), key=lambda c: c.id)

    def links_of(self, issue: Issue) -> list[Link]:
        return sorted((link for link in self.links.values() if issue.id in (link.source, link.target)), key=lambda k: k.id)

    def worklogs_of(self, issue: Issue) -> list[Worklog]:
        return sorted((w for w in self.worklogs.values() if w.issue_id == issue.id), key=lambda w: w.id)

    def versions_of(self, project: Project) -> list[Version]:
        return sorted((v for v in self.versions.values() if v.project_id == project.id), key=lambda v: v.id)

    def components_of(self, project: Project) -> list[Component]:
        return sorted((c for c in self.components.values() if c.project_id == project.id), key=lambda c: c.name.lower())

    def attachments_of(self, issue: Issue) -> list[Attachment]:
        return sorted(self._attachments_by_issue.get(issue.id, {}).values(), key=lambda a: a.id)

    # ---- changes ---------------------------------------------------------------------------

    def add_project(self, project: Project) -> Project:
        admins = list(self.realm.admin_groups)
        project.roles = project.roles or {role_id: {"users": [], "groups": admins if has_admins else []}
                                          for role_id, _, _, has_admins in catalog.ROLES}
        self.projects[project.id] = project
        self._put("project", project.id, project)
        return project

    def avatars_of(self, user_key: str) -> Avatars:
        return self.avatars.get(user_key) or Avatars(user_key)

    def save_avatars(self, avatars: Avatars) -> None:
        self.avatars[avatars.id] = avatars
        self._put("avatars", avatars.id, avatars)

    def new_avatar_id(self) -> int:
        return self.sequences.next("avatar", 10500)

    def set_property(self, key: str, value: str) -> None:
        self.properties[key] = value
        self.store.put(self.namespace, "property", key, {"value": value})

    def new_project_id(self) -> str:
        return str(self.sequences.next("project", 10001))

    def change_project(self, project: Project, **changes: Any) -> None:
        for name, value in changes.items():
            setattr(project, name, value)
        self._put("project", project.id, project)

    def delete_project(self, project: Project) -> None:
        """With its issues, versions and components."""
        for issue in [i for i in self.issues.values() if i.project_id == project.id]:
            self.delete_issue(issue)
        for record in [*self.versions_of(project)]:
            self.remove("version", record)
        for record in [*self.components_of(project)]:
            self.remove("component", record)
        del self.projects[project.id]
        self._drop("project", project.id)

    def create_issue(self, project: Project, type_id: str, summary: str, creator: str | None, **fields: Any) -> Issue:
        now = self.realm.clock.now()
        number = self.sequences.next(f"issuekey:{project.key}", 1)
        issue = Issue(
            id=self.sequences.next("issue", 10000),
            key=f"{project.key}-{number}",
            project_id=project.id,
            type_id=type_id,
            summary=summary,
            reporter=fields.pop("reporter", creator),
            creator=creator,
            watchers=[creator] if creator else [],  # Jira's default autowatch: you watch what you create
            created=fields.pop("created", now),
            updated=now,
            **fields,
        )
        issue.updated = max(issue.updated, issue.created)
        self.issues[issue.id] = issue
        self._by_key[issue.key] = issue
        self._put("issue", issue.id, issue)
        return issue

    def update_issue(self, issue: Issue, **changes: Any) -> None:
        for name, value in changes.items():
            setattr(issue, name, value)
        issue.updated = self.realm.clock.now()
        self._put("issue", issue.id, issue)

    def transition(self, issue: Issue, transition: catalog.Transition, resolution_id: str | None = None) -> None:
        done = transition.target == catalog.DONE.id
        self.update_issue(issue, status_id=transition.target, resolved=self.realm.clock.now() if done else None,
                          resolution_id=resolution_id if done else None)

    def add_link(self, type_id: str, source: Issue, target: Issue) -> Link:
        link = Link(self.sequences.next("link", 10000), type_id, source.id, target.id)
        self.links[link.id] = link
        self._put("link", link.id, link)
        return link

    def seed_link_types(self) -> None:
        for name, inward, outward in catalog.LINK_TYPES:
            self.add("linktype", LinkType, name=name, inward=inward, outward=outward)

    def link_type(self, ref: Any) -> LinkType | None:
        """From {"id": ...} or {"name": ...}, as the issueLink resource takes it."""
        wanted = ref.get("id") or ref.get("name") if isinstance(ref, dict) else None
        if not isinstance(wanted, str):
            return None
        return next((t for t in self.link_types.values() if wanted in (str(t.id), t.name)), None)

    def delete_link_type(self, link_type: LinkType) -> None:
        """Jira deletes the links of a type with it."""
        for link in [k for k in self.links.values() if k.type_id == str(link_type.id)]:
            self.delete_link(link)
        self.remove("linktype", link_type)

    def delete_link(self, link: Link) -> None:
        del self.links[link.id]
        self._drop("link", link.id)

    def delete_issue(self, issue: Issue) -> None:
        for link in self.links_of(issue):
            self.delete_link(link)
        for comment in self._comments_by_issue.pop(issue.id, {}).values():
            del self.comments[comment.id]
            self._drop("comment", comment.id)
        for attachment in self.attachments_of(issue):
            self.delete_attachment(attachment)
        for worklog in self.worklogs_of(issue):
            self.remove("worklog", worklog)
        for remote in [r for r in self.remote_links.values() if r.issue_id == issue.id]:
            self.remove("remotelink", remote)
        self._attachments_by_issue.pop(issue.id, None)
        del self.issues[issue.id]
        del self._by_key[issue.key]
        self._drop("issue", issue.id)

    def add_comment(self, issue: Issue, author: str, body: str, visibility: dict[str, str] | None = None) -> Comment:
        now = self.realm.clock.now()
        comment = Comment(self.sequences.next("comment", 10000), issue.id, author, body, now, now, visibility)
        self._index_comment(comment)
        self._put("comment", comment.id, comment)
        self.update_issue(issue)
        return comment

    def change_comment(self, comment: Comment, editor: str, **changes: Any) -> None:
        for name, value in changes.items():
            setattr(comment, name, value)
        comment.update_author, comment.updated = editor, self.realm.clock.now()
        self._put("comment", comment.id, comment)

    def delete_comment(self, comment: Comment) -> None:
        del self.comments[comment.id]
        del self._comments_by_issue[comment.issue_id][comment.id]
        self._drop("comment", comment.id)

    def add_attachment(self, issue: Issue, author: str, filename: str, mime_type: str, content: bytes) -> Attachment:
        attachment = Attachment(
            self.sequences.next("attachment", 10000), issue.id, filename, mime_type, len(content), author, self.realm.clock.now()
        )
        self._index_attachment(attachment)
        self.contents[attachment.id] = content
        self._put("attachment", attachment.id, attachment)
        self.store.put_blob(self.namespace, attachment.id, content)
        return attachment

    def delete_attachment(self, attachment: Attachment) -> None:
        del self.attachments[attachment.id]
        del self._attachments_by_issue[attachment.issue_id][attachment.id]
        del self.contents[attachment.id]
        self._drop("attachment", attachment.id)
        self.store.delete_blob(self.namespace, attachment.id)


# The seeded issues: fixed creation times so that ORDER BY created is predictable.
SEED_EPOCH = 1735725600.0  # 2025-01-01T10:00:00Z
SEED_ISSUES = (
    ("3", "Set up the team's sandbox", "Install atlctl and point it at the sandbox.", catalog.TO_DO.id, "admin"),
    ("1", "Login page rejects valid passwords", "Steps: log in twice with the right password.", catalog.IN_PROGRESS.id, "alice"),
    ("10001", "As a user I can export my issues", None, catalog.DONE.id, None),
)


def seed(data: JiraData, admin: str, assignees: dict[str, str]) -> None:
    """Project DEMO with DEMO-1..DEMO-3 and the default link types; `assignees` maps the seed names to user keys."""
    data.seed_link_types()
    project = data.add_project(Project("10000", "DEMO", "Demo", admin, "The sandbox's demo project.",
                                       template="com.pyxis.greenhopper.jira:gh-simplified-basic"))
    for n, (type_id, summary, description, status_id, assignee) in enumerate(SEED_ISSUES):
        created = SEED_EPOCH + n * 3600
        data.create_issue(
            project,
            type_id,
            summary,
            admin,
            created=created,
            description=description,
            status_id=status_id,
            assignee=assignees.get(assignee) if assignee else None,
            resolved=created if status_id == catalog.DONE.id else None,
        )
