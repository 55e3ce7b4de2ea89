"""Third-party clients, unchanged, against the Bitbucket DC sandbox: atlassian-python-api's Bitbucket
(password, a user's token and a repository token via token=) and stashy (HEAD /rest, its merge body
{"version": -1}). Failures look to them as on a real server."""

import pytest
import requests
import stashy
from atlassian import Bitbucket
from stashy.errors import AuthenticationException

ADMIN, ALICE = ("admin", "admin"), ("alice", "alice")


def apa(bb, **auth) -> Bitbucket:
    return Bitbucket(bb.url, **auth)


def test_apa_with_a_password_lists_creates_and_merges(bb):
    client = apa(bb, username="admin", password="admin")
    assert [p["key"] for p in client.project_list()] == ["DEMO"]
    assert [r["slug"] for r in client.repo_list("DEMO")] == ["demo-repo"]
    created = client.create_repo("DEMO", "judge-repo")
    assert created["slug"] == "judge-repo"
    branches = {b["displayId"]: b for b in client.get_branches("DEMO", "demo-repo")}
    assert branches["main"]["isDefault"] and set(branches) == {"main", "feature/sandbox"}
    client.create_branch("DEMO", "demo-repo", "topic", "feature/sandbox")
    pulls = list(client.get_pull_requests("DEMO", "demo-repo"))
    assert [(p["id"], p["state"]) for p in pulls] == [(1, "OPEN")]
    merged = client.merge_pull_request("DEMO", "demo-repo", 1, "Merged by the judge", pr_version=0)
    assert merged["state"] == "MERGED"
    assert bb.stats()["password_checks"] >= 1


def test_apa_opens_a_pull_request_and_the_duplicate_is_refused(bb):
    client = apa(bb, username="alice", password="alice")
    client.create_branch("DEMO", "demo-repo", "second", "feature/sandbox")
    client.decline_pull_request("DEMO", "demo-repo", 1, 0)  # its branch is now free of an open pull request
    opened = client.open_pull_request("DEMO", "demo-repo", "DEMO", "demo-repo", "feature/sandbox", "main",
                                      "From the judge", "Opened with atlassian-python-api")
    assert opened["state"] == "OPEN" and opened["author"]["user"]["name"] == "alice"
    with pytest.raises(requests.HTTPError, match="Only one pull request may be open"):
        client.open_pull_request("DEMO", "demo-repo", "DEMO", "demo-repo", "feature/sandbox", "main", "Again", "")
    assert [p["id"] for p in client.get_pull_requests("DEMO", "demo-repo")] == [opened["id"]]


def test_apa_with_a_users_token_and_a_repository_token(bb):
    mine = bb.token("users/alice", ["REPO_WRITE"], auth=ALICE)
    client = apa(bb, token=mine)
    assert [p["key"] for p in client.project_list()] == ["DEMO"]
    assert [b["displayId"] for b in client.get_branches("DEMO", "demo-repo", order_by="ALPHABETICAL")]
    repo = apa(bb, token=bb.token("projects/DEMO/repos/demo-repo", ["REPO_WRITE"]))
    assert [r["slug"] for r in repo.repo_list("DEMO")] == ["demo-repo"]
    repo.create_branch("DEMO", "demo-repo", "from-token", "main")
    pulls = list(repo.get_pull_requests("DEMO", "demo-repo"))
    assert pulls and pulls[0]["id"] == 1
    with pytest.raises(requests.HTTPError, match="cannot merge"):  # a merge needs a user (real DC: the same)
        repo.merge_pull_request("DEMO", "demo-repo", 1, "no", pr_version=0)
    with pytest.raises(requests.HTTPError, match="You are not permitted to access this resource"):
        repo.create_repo("DEMO", "not-allowed")  # REPO_WRITE does not cover creating repositories
    admin = apa(bb, token=bb.token("users/admin", ["PROJECT_ADMIN"]))  # a user's token: it may merge
    assert admin.create_repo("DEMO", "by-token")["slug"] == "by-token"
    assert admin.merge_pull_request("DEMO", "demo-repo", 1, "Merged with a token", pr_version=0)["state"] == "MERGED"


def test_apa_sees_the_real_failures(bb):
    with pytest.raises(requests.HTTPError, match="Authentication failed. Please check your credentials"):
        apa(bb, username="alice", password="wrong").project_list().__next__()
    token = bb.token("projects/DEMO/repos/demo-repo", ["REPO_READ"])
    with pytest.raises(requests.HTTPError, match="Authentication failed"):  # a repository token as basic
        apa(bb, username="alice", password=token).project_list().__next__()
    for _ in range(3):
        with pytest.raises(requests.HTTPError):
            apa(bb, username="alice", password="wrong").project_list().__next__()
    with pytest.raises(requests.HTTPError, match="CAPTCHA required"):  # the 5th failure locked alice
        apa(bb, username="alice", password="alice").project_list().__next__()


def test_stashy_heads_rest_and_merges_with_version_in_the_body(bb):
    stash = stashy.connect(bb.url, "alice", "alice")  # HEAD /rest, keeps the session cookie
    assert [p["key"] for p in stash.projects.list()] == ["DEMO"]
    repo = stash.projects["DEMO"].repos["demo-repo"]
    repo.create_branch("stashy", "main")  # /rest/branch-utils/1.0
    assert "stashy" in [b["displayId"] for b in repo.branches()]
    assert repo.pull_requests[1].merge()["state"] == "MERGED"  # {"version": -1}
    assert bb.stats()["password_checks"] == 1  # the HEAD's session carried the rest


def test_stashy_with_a_token_and_a_wrong_password(bb):
    stash = stashy.Stash(bb.url, token=bb.token("projects/DEMO", ["PROJECT_READ"]))
    assert [r["slug"] for r in stash.projects["DEMO"].repos.list()] == ["demo-repo"]
    with pytest.raises(AuthenticationException):
        stashy.connect(bb.url, "alice", "wrong").projects.list()
