"""Finding what a createRepository or createPullRequest row did before a run stopped (see
batch/recovery.py), by its natural key: the repository's slug in its project; the pull request's
source, target and title, newer than every pull request before the run."""

from __future__ import annotations

import threading

from atlctl.products.base import Result, unless_missing


def _slug(name: str) -> str:
    out = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name.strip().lower())
    return out.strip("-")


class CreatedRepository:
    def mark(self, call) -> dict:
        project, slug = call["project"], _slug(call["name"] or call["repository"])
        return {"project": project, "slug": slug,
                "existed": unless_missing(lambda: call.client.repo(project, slug)) is not None}

    def find(self, call, mark: dict) -> list[Result]:
        if mark.get("existed"):
            return []
        repo = unless_missing(lambda: call.client.repo(mark["project"], mark["slug"]))
        if repo is None:
            return []
        return [Result(f"Repository {mark['project']}/{repo['slug']} created with id {repo.get('id')} (found after "
                       "the interruption, not created again).", data=repo, variables={"repository": repo["slug"]})]


class CreatedPullRequest:
    def __init__(self):
        self._baselines: dict[tuple, int] = {}
        self._lock = threading.Lock()

    def mark(self, call) -> dict:
        key = (id(call.client), call["project"], call["repository"])
        with self._lock:
            if key not in self._baselines:
                pulls = call.client.pulls(call["project"], call["repository"], "ALL", limit=1)
                self._baselines[key] = max((p["id"] for p in pulls), default=0)
            after = self._baselines[key]
        return {"project": call["project"], "repository": call["repository"], "from": call["from"],
                "to": call["to"], "title": call["title"], "after": after}

    def find(self, call, mark: dict) -> list[Result]:
        found = []
        for p in call.client.pulls(mark["project"], mark["repository"], "ALL"):
            to = p["toRef"].get("displayId")
            if (p["id"] > mark["after"] and p.get("title") == mark["title"]
                    and p["fromRef"].get("displayId") == mark["from"].removeprefix("refs/heads/")
                    and (mark["to"] is None or to == mark["to"].removeprefix("refs/heads/"))):
                found.append(Result(f"Pull request {p['id']} created: {p.get('title')} (found after the "
                                    "interruption, not created again).", data=p,
                                    variables={"pullRequest": str(p["id"])}))
        return sorted(found, key=lambda r: int(r.variables["pullRequest"]))
