"""Bitbucket DC's content: projects, repositories with branches and commits, pull requests, and who
may do what (project and repository permissions). Kept in memory, each change written through to the
store under the product's key; rendering turns records into the REST shapes (products.md §3.2)."""

from __future__ import annotations

import hashlib
from typing import Any

from atlctl.sandbox.realm import Realm, User
from atlctl.sandbox.store import Sequences

LEVELS = {"READ": 1, "WRITE": 2, "ADMIN": 3}
PERMISSIONS = ("REPO_READ", "REPO_WRITE", "REPO_ADMIN", "PROJECT_READ", "PROJECT_WRITE", "PROJECT_ADMIN")


def level(permission: str) -> tuple[str, int]:
    """("PROJECT" | "REPO", 1..3) of a permission name."""
    target, _, name = permission.partition("_")
    return target, LEVELS[name]


def grants(permissions: list[str]) -> tuple[int, int]:
    """(project level, repository level) a set of token permissions grants: a project permission
    covers the project's repositories too."""
    project = max((level(p)[1] for p in permissions if p.startswith("PROJECT_")), default=0)
    repo = max([project] + [level(p)[1] for p in permissions if p.startswith("REPO_")])
    return project, repo


def commit_id(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


class BitbucketData:
    def __init__(self, realm: Realm, key: str):
        self.realm = realm
        self.key = key  # the product's namespace in the store
        self.clear()

    def clear(self) -> None:
        self.sequences = Sequences(self.realm.store, self.key, {})
        self.projects: dict[str, dict[str, Any]] = {}  # key -> record
        self.repos: dict[tuple[str, str], dict[str, Any]] = {}  # (project key, slug) -> record
        self.pulls: dict[tuple[str, str, int], dict[str, Any]] = {}  # (key, slug, id) -> record

    def load(self, records: dict[str, dict[str, Any]]) -> None:
        self.sequences = Sequences(self.realm.store, self.key, records.get("sequence", {}))
        for data in records.get("project", {}).values():
            self.projects[data["key"]] = data
        for data in records.get("repo", {}).values():
            self.repos[data["project"], data["slug"]] = data
        for data in records.get("pull", {}).values():
            self.pulls[data["project"], data["slug"], data["id"]] = data

    def save_project(self, project: dict) -> None:
        self.realm.store.put(self.key, "project", project["key"], project)

    def save_repo(self, repo: dict) -> None:
        self.realm.store.put(self.key, "repo", f"{repo['project']}/{repo['slug']}", repo)

    def save_pull(self, pull: dict) -> None:
        self.realm.store.put(self.key, "pull", f"{pull['project']}/{pull['slug']}/{pull['id']}", pull)

    # ---- permissions -----------------------------------------------------------------------

    def project_level(self, user: User | None, key: str) -> int:
        """The user's own permission on a project: administrators everything, else what the project grants."""
        if user is None:
            return 0
        if self.realm.is_admin(user):
            return 3
        project = self.projects.get(key)
        return project["grants"].get(user.key, 0) if project else 0

    # ---- projects --------------------------------------------------------------------------

    def add_project(self, key: str, name: str, description: str | None, owner: User, now: float) -> dict:
        project = {"key": key, "id": self.sequences.next("project", 1), "name": name, "description": description,
                   "public": False, "grants": {owner.key: 3}, "created": now}
        self.projects[key] = project
        self.save_project(project)
        return project

    def remove_project(self, key: str) -> None:
        del self.projects[key]
        self.realm.store.delete(self.key, "project", key)

    # ---- repositories ----------------------------------------------------------------------

    def add_repo(self, project: str, name: str, author: User, now: float, *, forkable: bool = True) -> dict:
        slug = slugify(name)
        root = self._commit(f"{project}/{slug}", "Initial commit", author, now, [])
        repo = {"project": project, "slug": slug, "name": name, "id": self.sequences.next("repo", 1),
                "forkable": forkable, "public": False, "default": "main", "branches": {"main": root["id"]},
                "commits": {root["id"]: root}}
        self.repos[project, slug] = repo
        self.save_repo(repo)
        return repo

    def remove_repo(self, repo: dict) -> None:
        key = (repo["project"], repo["slug"])
        del self.repos[key]
        self.realm.store.delete(self.key, "repo", "/".join(key))
        for pull_key in [k for k in self.pulls if k[:2] == key]:
            del self.pulls[pull_key]
            self.realm.store.delete(self.key, "pull", "/".join(map(str, pull_key)))

    def _commit(self, salt: str, message: str, author: User, now: float, parents: list[str]) -> dict:
        cid = commit_id(f"{salt}\n{message}\n{now}\n{' '.join(parents)}\n{self.sequences.next('commit', 1)}")
        return {"id": cid, "message": message, "author": author.key, "timestamp": int(now * 1000), "parents": parents}

    def add_commit(self, repo: dict, branch: str, message: str, author: User, now: float, extra_parent: str | None = None) -> dict:
        parents = [repo["branches"][branch]] + ([extra_parent] if extra_parent else [])
        commit = self._commit(f"{repo['project']}/{repo['slug']}", message, author, now, parents)
        repo["commits"][commit["id"]] = commit
        repo["branches"][branch] = commit["id"]
        self.save_repo(repo)
        return commit

    def history(self, repo: dict, start: str) -> list[dict]:
        """Commits reachable from `start`, newest first (first parents first)."""
        seen, order, queue = set(), [], [start]
        while queue:
            cid = queue.pop(0)
            if cid in seen or cid not in repo["commits"]:
                continue
            seen.add(cid)
            commit = repo["commits"][cid]
            order.append(commit)
            queue.extend(commit["parents"])
        return sorted(order, key=lambda c: -c["timestamp"])

    # ---- pull requests ---------------------------------------------------------------------

    def add_pull(self, repo: dict, title: str, description: str | None, source: str, target: str, author: User,
                 reviewers: list[str], now: float) -> dict:
        pull = {"project": repo["project"], "slug": repo["slug"],
                "id": self.sequences.next(f"pull:{repo['project']}/{repo['slug']}", 1), "version": 0, "title": title,
                "description": description, "state": "OPEN", "from": source, "to": target, "author": author.key,
                "reviewers": reviewers, "created": int(now * 1000), "updated": int(now * 1000), "closed": None,
                "merge_commit": None}
        self.pulls[repo["project"], repo["slug"], pull["id"]] = pull
        self.save_pull(pull)
        return pull


def slugify(name: str) -> str:
    out = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name.strip().lower())
    return out.strip("-") or "repo"


def seed(data: BitbucketData, admin: User, alice: User, now: float) -> None:
    """Project DEMO, where alice may write; demo-repo with main and feature/sandbox, a commit each,
    and one open pull request from feature/sandbox to main."""
    project = data.add_project("DEMO", "Demo", "The sandbox's demo project", admin, now)
    project["grants"][alice.key] = LEVELS["WRITE"]
    data.save_project(project)
    repo = data.add_repo("DEMO", "demo-repo", admin, now - 3600)
    repo["branches"]["feature/sandbox"] = repo["branches"]["main"]
    data.add_commit(repo, "main", "Describe the sandbox", admin, now - 1700)
    data.add_commit(repo, "feature/sandbox", "Try the sandbox", alice, now - 1600)
    data.add_pull(repo, "Try the sandbox", "A first pull request.", "feature/sandbox", "main", alice, [], now - 1500)
