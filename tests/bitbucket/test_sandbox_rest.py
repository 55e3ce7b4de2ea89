"""The Bitbucket DC sandbox's core REST (products.md §3.2, §3.3; the sourcegraph recordings): shapes,
paging, and the real error bodies."""

import json
import re

ADMIN, ALICE = ("admin", "admin"), ("alice", "alice")
RECORDED = "/work/shared/fixtures/recorded/sourcegraph/"
REPO = "/projects/DEMO/repos/demo-repo"


def recorded(name: str) -> tuple[int, dict]:
    """(status, JSON body) of a recording's response (go-vcr YAML; its body is a single-quoted scalar)."""
    with open(RECORDED + name, encoding="utf-8") as handle:
        text = handle.read().split("  response:", 1)[1]
    body = re.search(r"^    body: '(.*?)'\n", text, re.M | re.S).group(1)
    body = re.sub(r"\n\s*", " ", body).replace("''", "'")  # a folded scalar's lines join with a space
    return int(re.search(r"^    code: (\d+)$", text, re.M).group(1)), json.loads(body)


def error(response) -> tuple[int, str]:
    item = response.json()["errors"][0]
    return response.status_code, item["exceptionName"].rsplit(".", 1)[-1]


def test_application_properties_has_the_recorded_shape(bb, sandbox):
    _, expected = recorded("bitbucketserver-GetVersion.yaml")
    ours = sandbox.http.get(bb.api + "/application-properties")
    assert ours.headers["content-type"] == "application/json;charset=UTF-8"  # as recorded
    assert set(ours.json()) == set(expected) and {type(v) for v in ours.json().values()} == {str}
    assert ours.json()["version"] == "8.19.5" and ours.json()["buildNumber"] == "8019005"
    assert sandbox.http.head(bb.url + "/rest").status_code == 200  # stashy's constructor


def test_unknown_repository_is_the_recorded_404(bb, sandbox):
    code, body = recorded("bitbucketserver-PullRequests-non-existing-repo.yaml")
    expected = body["errors"][0]
    r = sandbox.http.get(bb.api + "/projects/DEMO/repos/invalidslug/pull-requests", auth=ADMIN)
    assert r.status_code == code == 404
    item = r.json()["errors"][0]
    assert item["exceptionName"] == expected["exceptionName"] and item["message"] == "Repository DEMO/invalidslug does not exist."


def test_paging_follows_next_page_start(bb, sandbox):
    sandbox.http.post(bb.api + "/projects", json={"key": "OPS", "name": "Ops"}, auth=ADMIN)
    first = sandbox.http.get(bb.api + "/projects?limit=1", auth=ADMIN).json()
    assert (first["size"], first["limit"], first["isLastPage"], first["start"], first["nextPageStart"]) == (1, 1, False, 0, 1)
    last = sandbox.http.get(bb.api + "/projects?limit=1&start=1", auth=ADMIN).json()
    assert last["isLastPage"] and "nextPageStart" not in last and last["values"][0]["key"] == "OPS"


def test_projects_create_conflict_and_delete(bb, sandbox):
    created = sandbox.http.post(bb.api + "/projects", json={"key": "NEW", "name": "New one"}, auth=ADMIN)
    assert created.status_code == 201 and created.headers["Location"].endswith("/projects/NEW")
    assert created.json()["links"]["self"][0]["href"].endswith("/projects/NEW")
    assert error(sandbox.http.post(bb.api + "/projects", json={"key": "NEW", "name": "x"}, auth=ADMIN)) == (409, "DuplicateProjectKeyException")
    assert sandbox.http.post(bb.api + "/projects", json={"key": "MINE", "name": "x"}, auth=ALICE).status_code == 401
    assert sandbox.http.delete(bb.api + "/projects/NEW", auth=ADMIN).status_code == 204
    assert error(sandbox.http.get(bb.api + "/projects/NEW", auth=ADMIN)) == (404, "NoSuchProjectException")


def test_repositories_create_and_delete(bb, sandbox):
    r = sandbox.http.post(bb.api + "/projects/DEMO/repos", json={"name": "My Repo", "scmId": "git"}, auth=ADMIN)
    assert r.status_code == 201 and r.json()["slug"] == "my-repo" and r.json()["state"] == "AVAILABLE"
    clone = {link["name"]: link["href"] for link in r.json()["links"]["clone"]}
    assert clone["http"].endswith("/bitbucket/scm/demo/my-repo.git")
    assert error(sandbox.http.post(bb.api + "/projects/DEMO/repos", json={"name": "My Repo"}, auth=ADMIN))[0] == 409
    assert sandbox.http.post(bb.api + "/projects/DEMO/repos", json={"name": "x"}, auth=ALICE).status_code == 401  # write, not admin
    assert sandbox.http.delete(bb.api + "/projects/DEMO/repos/my-repo", auth=ADMIN).status_code == 202


def test_branches_commits_and_the_default_branch(bb, sandbox):
    branches = sandbox.http.get(bb.api + REPO + "/branches", auth=ALICE).json()["values"]
    assert {b["displayId"]: b["isDefault"] for b in branches} == {"main": True, "feature/sandbox": False}
    assert list(branches[0]) == ["id", "displayId", "type", "latestCommit", "latestChangeset", "isDefault"]
    made = sandbox.http.post(bb.url + "/rest/branch-utils/1.0" + REPO + "/branches", json={"name": "topic", "startPoint": "main"}, auth=ALICE)
    assert made.status_code == 200 and made.json()["latestCommit"] == next(b["latestCommit"] for b in branches if b["isDefault"])
    assert error(sandbox.http.post(bb.api + REPO + "/branches", json={"name": "topic", "startPoint": "main"}, auth=ALICE))[0] == 409
    assert sandbox.http.get(bb.api + REPO + "/branches/default", auth=ALICE).json()["displayId"] == "main"
    commits = sandbox.http.get(bb.api + REPO + "/commits?until=feature/sandbox", auth=ALICE).json()["values"]
    assert [c["message"] for c in commits] == ["Try the sandbox", "Initial commit"]


def test_pull_requests_create_duplicate_merge_decline_reopen(bb, sandbox):
    pulls = sandbox.http.get(bb.api + REPO + "/pull-requests", auth=ALICE).json()["values"]
    assert [(p["id"], p["state"], p["fromRef"]["displayId"], p["toRef"]["displayId"]) for p in pulls] == [(1, "OPEN", "feature/sandbox", "main")]
    body = {"title": "Again", "fromRef": {"id": "refs/heads/feature/sandbox"}, "toRef": {"id": "refs/heads/main"}}
    duplicate = sandbox.http.post(bb.api + REPO + "/pull-requests", json=body, auth=ALICE)
    assert error(duplicate) == (409, "DuplicatePullRequestException")
    assert duplicate.json()["errors"][0]["existingPullRequest"]["id"] == 1
    stale = sandbox.http.post(bb.api + REPO + "/pull-requests/1/merge?version=7", auth=ALICE, json={})
    assert error(stale) == (409, "PullRequestOutOfDateException")
    assert (stale.json()["errors"][0]["currentVersion"], stale.json()["errors"][0]["expectedVersion"]) == (0, 7)
    declined = sandbox.http.post(bb.api + REPO + "/pull-requests/1/decline", auth=ALICE, json={"version": 0})
    assert declined.json()["state"] == "DECLINED" and declined.json()["version"] == 1
    reopened = sandbox.http.post(bb.api + REPO + "/pull-requests/1/reopen?version=1", auth=ALICE, json={})
    assert reopened.json()["state"] == "OPEN"
    merged = sandbox.http.post(bb.api + REPO + "/pull-requests/1/merge?version=2", auth=ALICE, json={})
    assert merged.status_code == 200 and merged.json()["state"] == "MERGED" and "closedDate" in merged.json()
    assert merged.json()["properties"]["mergeCommit"]["id"] == sandbox.http.get(bb.api + REPO + "/branches/default", auth=ALICE).json()["latestCommit"]
    assert error(sandbox.http.post(bb.api + REPO + "/pull-requests/1/merge", auth=ALICE, json={})) == (409, "IllegalPullRequestStateException")
    nothing = sandbox.http.post(bb.api + REPO + "/pull-requests", json={**body, "title": "Empty"}, auth=ALICE)
    assert error(nothing) == (409, "EmptyPullRequestException")  # feature/sandbox is merged: nothing new
    missing = sandbox.http.get(bb.api + REPO + "/pull-requests/9999", auth=ALICE)
    assert error(missing) == (404, "NoSuchPullRequestException")
    assert missing.json()["errors"][0]["message"] == "Pull request 9999 does not exist in DEMO/demo-repo."


def test_content_and_tokens_survive_a_restart_with_a_state_file(tmp_path):
    import httpx

    from atlctl.sandbox.server import SandboxServer

    state = str(tmp_path / "state.db")
    with SandboxServer(state=state) as server:
        api = server.url + "/bitbucket/rest/api/1.0"
        httpx.post(api + "/projects/DEMO/repos", json={"name": "kept"}, auth=ADMIN).raise_for_status()
        made = httpx.put(server.url + "/bitbucket/rest/access-tokens/1.0/projects/DEMO", auth=ADMIN,
                         json={"name": "t", "permissions": ["PROJECT_READ"]})
        token = made.json()["token"]
    with SandboxServer(state=state) as server:
        api = server.url + "/bitbucket/rest/api/1.0"
        repos = httpx.get(api + "/projects/DEMO/repos", headers={"Authorization": f"Bearer {token}"})
        assert repos.status_code == 200 and [r["slug"] for r in repos.json()["values"]] == ["demo-repo", "kept"]
        pulls = httpx.get(api + REPO + "/pull-requests", auth=ALICE).json()["values"]
        assert [p["id"] for p in pulls] == [1]


def test_branch_names_git_refuses_are_invalid_ref_400s(bb, sandbox):
    """Finding 3 (round 2): the sandbox made branches "a..b" and "x y". Bitbucket DC refuses what
    `git check-ref-format --branch` refuses, with an InvalidRefNameException naming the ref."""
    url = bb.api + REPO + "/branches"
    for name in ("a..b", "x y", "a/.hidden", "topic.lock", "a//b", "/lead", "trail/", "dot.", "a@{1}", "@", "-dash",
                 "HEAD", "back\\slash", "tilde~1", "caret^", "co:lon", "what?", "star*", "open[", "tab\tname", "del\x7f"):
        r = sandbox.http.post(url, auth=ALICE, json={"name": name, "startPoint": "main"})
        assert error(r) == (400, "InvalidRefNameException"), name
        assert r.json()["errors"][0]["refName"] == name and "git check-ref-format" in r.json()["errors"][0]["message"]
    long = "x" * 90  # refs/heads/ + 90 is 101 characters
    r = sandbox.http.post(url, auth=ALICE, json={"name": long, "startPoint": "main"})
    assert error(r) == (400, "InvalidRefNameException")
    assert r.json()["errors"][0]["message"] == "The ref name, once fully qualified, is limited to 100 characters."
    branches = {b["displayId"] for b in sandbox.http.get(url, auth=ALICE, params={"limit": 100}).json()["values"]}
    assert branches == {"main", "feature/sandbox"}
    for name in ("ünï/code", "release/1.0", "a@b", "x" * 89):
        assert sandbox.http.post(url, auth=ALICE, json={"name": name, "startPoint": "main"}).status_code == 200, name
