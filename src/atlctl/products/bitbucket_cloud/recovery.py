"""Finding what createRepository did before a run stopped (see batch/recovery.py)."""

from __future__ import annotations

from atlctl.products.base import Result, unless_missing


class CreatedRepository:
    """createRepository's effect: the repository exists now, and did not when the action began."""

    def mark(self, call) -> dict:
        return {"workspace": call["workspace"], "repository": call["repository"],
                "existed": self._get(call, call["workspace"], call["repository"]) is not None}

    def find(self, call, mark: dict) -> list[Result]:
        repo = None if mark["existed"] else self._get(call, mark["workspace"], mark["repository"])
        if repo is None:
            return []
        return [Result(f"Repository {repo.get('full_name')} created (found after the interruption, not created "
                       "again).", data=repo, variables={"repository": str(repo.get("slug"))})]

    @staticmethod
    def _get(call, workspace: str, repository: str) -> dict | None:
        return unless_missing(lambda: call.client.repository(workspace, repository))
