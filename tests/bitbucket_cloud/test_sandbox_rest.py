"""The sandbox's Bitbucket Cloud REST against recorded answers of the real service
(/work/shared/fixtures/recorded/sourcegraph/bitbucketcloud-*) and products.md §4.2."""

import json
import pathlib
import re

import pytest

from tests.bitbucket_cloud.conftest import APP_PASSWORD, USERNAME

RECORDED = pathlib.Path("/work/shared/fixtures/recorded/sourcegraph")


def recorded_bodies(name: str) -> list[str]:
    """The response bodies of a go-vcr cassette (without a YAML parser: the two forms it uses)."""
    text = (RECORDED / name).read_text()
    bodies = []
    for block in re.findall(r"\n  response:\n    body: (.*?)\n    headers:", text, re.S):
        if block.startswith("|"):
            bodies.append("".join(line[6:] + "\n" for line in block.split("\n")[1:]))
        else:  # a single-quoted, folded scalar
            bodies.append(re.sub(r"\n\s+", " ", block)[1:-1].replace("''", "'"))
    return bodies


needs_fixtures = pytest.mark.skipif(not RECORDED.is_dir(), reason="recorded responses not on this machine")


@needs_fixtures
def test_current_user_has_the_recorded_fields(sandbox, bbc):
    ours = sandbox.http.get(bbc + "/2.0/user", auth=(USERNAME, APP_PASSWORD)).json()
    theirs = json.loads(recorded_bodies("bitbucketcloud-TestClient-CurrentUser.yaml")[0])
    assert set(ours) == set(theirs) and set(ours["links"]) == set(theirs["links"])
    assert all(link["href"].startswith(bbc) for name, link in ours["links"].items() if name not in ("html", "avatar"))


@needs_fixtures
def test_account_password_body_byte_for_byte(sandbox, bbc):
    refused = sandbox.http.get(bbc + "/2.0/", auth=(USERNAME, "admin"))
    account_password, not_found = recorded_bodies("bitbucketcloud-TestClient-Ping.yaml")
    assert refused.status_code == 401 and refused.text == account_password
    assert refused.headers["content-length"] == "469"  # as recorded
    found = sandbox.http.get(bbc + "/2.0/", auth=(USERNAME, APP_PASSWORD))
    assert found.status_code == 404 and found.json() == json.loads(not_found)


def test_paging_links_are_absolute_and_keep_the_query(sandbox, bbc):
    for n in range(3):
        sandbox.http.post(f"{bbc}/2.0/repositories/demo/x{n}", auth=(USERNAME, APP_PASSWORD)).raise_for_status()
    first = sandbox.http.get(bbc + "/2.0/repositories/demo", params={"pagelen": 2, "q": 'name ~ "x"'},
                             auth=(USERNAME, APP_PASSWORD)).json()
    assert (first["size"], first["page"], first["pagelen"], len(first["values"])) == (3, 1, 2, 2)
    assert first["next"].startswith(bbc + "/2.0/repositories/demo?") and "pagelen=2" in first["next"]
    second = sandbox.http.get(first["next"], auth=(USERNAME, APP_PASSWORD)).json()
    assert [r["slug"] for r in second["values"]] == ["x2"] and "next" not in second and second["previous"]
    bad = sandbox.http.get(bbc + "/2.0/repositories/demo", params={"pagelen": 500}, auth=(USERNAME, APP_PASSWORD))
    assert bad.status_code == 400


def test_pull_request_answers(sandbox, bbc):
    auth = (USERNAME, APP_PASSWORD)
    prs = bbc + "/2.0/repositories/demo/demo-repo/pullrequests"
    bad = sandbox.http.post(prs, auth=auth, json={"title": "t", "source": {"branch": {"name": "feature/sandbox"}},
                                                   "destination": {"branch": {"name": "this-branch-should-never-exist"}}})
    assert bad.status_code == 400 and bad.json() == {"type": "error", "error": {
        "fields": {"destination": ["branch not found: this-branch-should-never-exist"]},
        "message": "destination: branch not found: this-branch-should-never-exist"}}
    again = sandbox.http.post(prs, auth=auth, json={"title": "t", "source": {"branch": {"name": "feature/sandbox"}}})
    assert again.status_code == 201 and again.json()["id"] == 1 and again.headers["location"] == prs + "/1"
    assert set(again.json()["links"]) >= {"self", "html", "merge", "decline", "approve", "diff", "comments"}
    unknown = sandbox.http.post(prs + "/99/merge", auth=auth)
    assert unknown.status_code == 404 and unknown.text == "Not Found" and unknown.headers["content-type"] == "text/plain"
    merged = sandbox.http.post(prs + "/1/merge", auth=auth, json={"merge_strategy": "merge_commit"}).json()
    assert merged["state"] == "MERGED" and merged["merge_commit"]["hash"] and merged["closed_by"]["display_name"]
    closed = sandbox.http.post(prs + "/1/decline", auth=auth)
    assert closed.status_code == 400 and closed.json()["error"]["message"] == "newstatus: This pull request is already closed."
    listed = sandbox.http.get(prs + "/", params={"state": "MERGED"}, auth=auth).json()  # apa's trailing slash
    assert [p["id"] for p in listed["values"]] == [1]


def test_branch_links_keep_the_slash_and_pull_requests_take_a_query(sandbox, bbc):
    """Links name a branch with its slash as Bitbucket writes them (BBC-spec's example:
    `…/refs/branches/issue-9.3/AUI-5343-assistive-class`); following one finds the branch, and so does
    the name with its slash escaped, as a client that quotes a path segment sends it."""
    auth = (USERNAME, APP_PASSWORD)
    repo = bbc + "/2.0/repositories/demo/demo-repo"
    branch = sandbox.http.get(repo + "/refs/branches/feature%2Fsandbox", auth=auth).json()
    links = {name: link["href"] for name, link in branch["links"].items()}
    assert links == {"self": repo + "/refs/branches/feature/sandbox", "commits": repo + "/commits/feature/sandbox",
                     "html": bbc + "/demo/demo-repo/branch/feature/sandbox"}
    assert sandbox.http.get(links["self"], auth=auth).json()["name"] == "feature/sandbox"
    created = sandbox.http.post(repo + "/refs/branches", auth=auth, json={"name": "fix/a b", "target": {"hash": "main"}})
    assert created.status_code == 400  # no blanks in a branch name
    created = sandbox.http.post(repo + "/refs/branches", auth=auth, json={"name": "fix/ü", "target": {"hash": "main"}})
    assert created.headers["location"] == repo + "/refs/branches/fix/%C3%BC"
    assert sandbox.http.get(created.headers["location"], auth=auth).json()["name"] == "fix/ü"
    assert sandbox.http.delete(repo + "/refs/branches/fix%2F%C3%BC", auth=auth).status_code == 204
    prs = sandbox.http.get(repo + "/pullrequests", auth=auth, params={
        "state": ["OPEN", "MERGED"], "q": 'source.branch.name = "feature/sandbox" AND destination.branch.name = "main"'})
    assert [p["id"] for p in prs.json()["values"]] == [1]
    none = sandbox.http.get(repo + "/pullrequests", auth=auth, params={"q": 'source.branch.name = "main"'})
    assert none.json()["values"] == []


@pytest.mark.parametrize("name", ["x.lock", "-x", "a/.hidden", "end.", "a@{b", "tab\there", "a..b", "a//b", "x" * 256])
def test_branch_names_git_refuses_are_refused(sandbox, bbc, name):
    """The rules of git check-ref-format, as the Bitbucket DC sandbox applies them (sandbox/git.py)."""
    repo = bbc + "/2.0/repositories/demo/demo-repo"
    created = sandbox.http.post(repo + "/refs/branches", auth=(USERNAME, APP_PASSWORD),
                                json={"name": name, "target": {"hash": "main"}})
    assert created.status_code == 400 and created.json()["error"]["message"] == "name: Branch name is invalid."
