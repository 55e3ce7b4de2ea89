"""Bitbucket Cloud's content: workspaces, projects, repositories with branches, commits and pull
requests, and the Bitbucket identities of realm accounts. In memory; seeded on every reset."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone


def stamp(now: float) -> str:
    return datetime.fromtimestamp(now, timezone.utc).isoformat()


def braced() -> str:
    return "{" + str(uuid.uuid4()) + "}"


@dataclass
class Account:
    key: str  # the realm account (Atlassian account id)
    username: str  # the Bitbucket user name (what app passwords go with)
    display_name: str
    uuid: str = field(default_factory=braced)


@dataclass
class Workspace:
    slug: str
    name: str
    created: float
    uuid: str = field(default_factory=braced)
    is_private: bool = True


@dataclass
class Project:
    workspace: str
    key: str
    name: str
    created: float
    description: str = ""
    uuid: str = field(default_factory=braced)
    is_private: bool = True


@dataclass
class Commit:
    hash: str
    message: str
    date: float
    author: str  # account key
    parents: list[str]


@dataclass
class PullRequest:
    id: int
    title: str
    description: str
    source: str
    destination: str
    author: dict  # the user object of whoever opened it
    created: float
    updated: float
    state: str = "OPEN"
    close_source_branch: bool = False
    merge_commit: str | None = None
    closed_by: dict | None = None
    approvals: dict = field(default_factory=dict)  # uuid -> user object
    source_commit: str = ""
    destination_commit: str = ""


@dataclass
class Repository:
    workspace: str
    slug: str
    name: str
    project: str
    created: float
    updated: float
    owner: str  # account key
    description: str = ""
    is_private: bool = True
    fork_policy: str = "no_public_forks"
    mainbranch: str = "main"
    uuid: str = field(default_factory=braced)
    branches: dict[str, str] = field(default_factory=dict)  # name -> head commit hash
    commits: dict[str, Commit] = field(default_factory=dict)
    pullrequests: dict[int, PullRequest] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return f"{self.workspace}/{self.slug}"

    def commit(self, message: str, parents: list[str], author: str, now: float) -> Commit:
        seed = f"{self.full_name}\0{message}\0{','.join(parents)}\0{now}\0{len(self.commits)}"
        commit = Commit(hashlib.sha1(seed.encode()).hexdigest(), message, now, author, parents)
        self.commits[commit.hash] = commit
        return commit

    def history(self, head: str) -> list[Commit]:
        """Commits reachable from `head`, newest first."""
        seen, out, todo = set(), [], [head]
        while todo:
            current = todo.pop(0)
            if current in seen or current not in self.commits:
                continue
            seen.add(current)
            out.append(self.commits[current])
            todo.extend(self.commits[current].parents)
        return sorted(out, key=lambda c: -c.date)


class Content:
    def __init__(self) -> None:
        self.accounts: dict[str, Account] = {}
        self.workspaces: dict[str, Workspace] = {}
        self.projects: dict[tuple[str, str], Project] = {}
        self.repositories: dict[tuple[str, str], Repository] = {}
        self.next_pr = 1

    def account_named(self, username: str) -> Account | None:
        return next((a for a in self.accounts.values() if a.username.lower() == username.lower()), None)
