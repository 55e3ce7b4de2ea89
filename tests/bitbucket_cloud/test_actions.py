"""Bitbucket Cloud actions end to end in-process against the sandbox: results, output formats,
bad input, paging through `next`, run scripts and crash recovery."""

import json

import pytest

from tests.bitbucket_cloud.conftest import API_TOKEN, APP_PASSWORD, EMAIL, REPO_TOKEN, USERNAME, new_token
from tests.helpers import run

REPO = ("-w", "demo", "-r", "demo-repo")


def app(bbc):
    return ("--server", bbc, "--user", USERNAME, "--password", APP_PASSWORD)


def bb(bbc, action, *args, creds=None):
    return run("bitbucketcloud", action, *args, *(creds or app(bbc)))


def test_workspaces_projects_and_repositories(bbc):
    spaces = bb(bbc, "getWorkspaceList", "--output", "json")
    assert spaces.code == 0 and [w["slug"] for w in json.loads(spaces.out)] == ["demo"]
    ws = bb(bbc, "getWorkspace", "-w", "demo")
    assert ws.code == 0 and "Demo" in ws.out
    projects = bb(bbc, "getProjectList", "-w", "demo", "--output", "csv", "--columns", "Key,Name")
    assert projects.out.splitlines() == ["Key,Name", "DEMO,Demo project"]
    created = bb(bbc, "createRepository", "-w", "demo", "-r", "tools", "--project", "DEMO", "--description", "Tools")
    assert created.code == 0 and created.out.startswith("Repository demo/tools created. URL: ")
    again = bb(bbc, "createRepository", "-w", "demo", "-r", "tools")
    assert again.code == 253 and "Repository with this Slug and Owner already exists." in again.err
    listed = bb(bbc, "getRepositoryList", "-w", "demo", "--output", "csv", "--columns", "Repository,Project")
    assert listed.out.splitlines() == ["Repository,Project", "demo-repo,DEMO", "tools,DEMO"]
    got = bb(bbc, "getRepository", "-w", "demo", "-r", "tools", "--output", "json")
    assert json.loads(got.out)["description"] == "Tools"


def test_delete_needs_its_own_scope(sandbox, bbc):
    refused = bb(bbc, "deleteRepository", *REPO, creds=("--server", bbc, "--user", EMAIL, "--token", API_TOKEN))
    assert refused.code == 253 and "lacks the scope this action needs: delete:repository:bitbucket" in refused.err
    token = new_token(sandbox, "api_token", ["delete:repository:bitbucket", "read:repository:bitbucket"])
    creds = ("--server", bbc, "--user", EMAIL, "--token", token)
    assert bb(bbc, "deleteRepository", *REPO, creds=creds).out.strip() == "Repository demo/demo-repo deleted."
    gone = bb(bbc, "getRepository", *REPO, creds=creds)
    assert gone.code == 253 and "The requested repository either does not exist or you do not have access" in gone.err


def test_branches_commits_and_pull_requests(bbc):
    branch = bb(bbc, "createBranch", *REPO, "--branch", "fix/typo", "--startPoint", "main")
    assert branch.code == 0 and branch.out.startswith("Branch fix/typo created at ")
    branches = bb(bbc, "getBranchList", *REPO, "--output", "csv", "--columns", "Branch")
    assert branches.out.splitlines() == ["Branch", "feature/sandbox", "fix/typo", "main"]
    commits = bb(bbc, "getCommitList", *REPO, "--branch", "feature/sandbox", "--output", "csv", "--columns", "Message")
    assert commits.out.splitlines() == ["Message", "Add the sandbox feature", "Initial commit"]
    opened = bb(bbc, "createPullRequest", *REPO, "--title", "Fix the typo", "--source", "fix/typo")
    assert opened.code == 0 and opened.out.startswith("Pull request 2 created: Fix the typo.")
    same = bb(bbc, "createPullRequest", *REPO, "--title", "Fix the typo, really", "--source", "fix/typo")
    assert same.code == 0  # the same branches: the same pull request, updated
    assert same.out.startswith("Pull request 2 was already open for fix/typo -> main: updated its title. URL: ")
    listed = bb(bbc, "getPullRequestList", *REPO, "--output", "csv", "--columns", "Id,Title,State")
    assert listed.out.splitlines() == ["Id,Title,State", "1,Sandbox feature,OPEN", "2,\"Fix the typo, really\",OPEN"]
    assert bb(bbc, "approvePullRequest", *REPO, "--id", "2").out.strip() == "Pull request 2 approved."
    assert bb(bbc, "declinePullRequest", *REPO, "--id", "2").out.strip() == "Pull request 2 declined."
    merged = bb(bbc, "mergePullRequest", *REPO, "--id", "1", "--strategy", "squash")
    assert merged.code == 0 and merged.out.startswith("Pull request 1 merged as ")
    closed = bb(bbc, "mergePullRequest", *REPO, "--id", "1")
    assert closed.code == 253 and closed.err.strip() == "Remote error: newstatus: This pull request is already closed."
    shown = bb(bbc, "getPullRequest", *REPO, "--id", "1")
    assert "State . " in shown.out and "MERGED" in shown.out
    every = bb(bbc, "getPullRequestList", *REPO, "--state", "MERGED", "--state", "DECLINED", "--columns", "Id",
               "--output", "csv")
    assert every.out.splitlines() == ["Id", "1", "2"]
    everything = bb(bbc, "getPullRequestList", *REPO, "--state", "All", "--columns", "Id,State", "--output", "csv")
    assert everything.code == 0 and everything.out.splitlines() == ["Id,State", "1,MERGED", "2,DECLINED"]


def test_a_repeated_create_says_it_updated_the_open_pull_request(sandbox, bbc):
    """Bitbucket answers 201 with the pull request already open for the branches, rewritten [R]: atlctl says
    which one and what changed, and does not claim it created one."""
    again = bb(bbc, "createPullRequest", *REPO, "--source", "feature/sandbox", "--title", "again",
               "--description", "Now described")
    assert again.code == 0, again.err
    assert again.out.startswith("Pull request 1 was already open for feature/sandbox -> main: updated its title, "
                                "description. URL: ") and "created" not in again.out
    shown = json.loads(bb(bbc, "getPullRequest", *REPO, "--id", "1", "--output", "json").out)
    assert (shown["title"], shown["description"]) == ("again", "Now described")
    same = bb(bbc, "createPullRequest", *REPO, "--source", "feature/sandbox", "--destination", "main",
              "--title", "again", "--description", "Now described")
    assert same.out.startswith("Pull request 1 was already open for feature/sandbox -> main: nothing to update.")
    assert bb(bbc, "declinePullRequest", *REPO, "--id", "1").code == 0
    fresh = bb(bbc, "createPullRequest", *REPO, "--source", "feature/sandbox", "--title", "after the decline")
    assert fresh.code == 0 and fresh.out.startswith("Pull request 2 created: after the decline.")


def test_repository_token_does_what_it_may(bbc):
    creds = ("--server", bbc, "--token", REPO_TOKEN)
    assert bb(bbc, "getBranchList", *REPO, creds=creds).code == 0
    assert bb(bbc, "approvePullRequest", *REPO, "--id", "1", creds=creds).code == 0
    listed = bb(bbc, "getRepositoryList", "-w", "demo", "--output", "csv", "--columns", "Repository", creds=creds)
    assert listed.out.splitlines() == ["Repository", "demo-repo"]


@pytest.mark.parametrize("args, code, words", [
    (("getPullRequest", *REPO, "--id", "abc"), 254, "Invalid value 'abc' for parameter --id"),
    (("getRepositoryList", "-w", "demo", "--limit", "0"), 254, "Invalid value '0' for parameter --limit"),
    (("getRepository", "-w", "demo"), 254, "repository"),
    (("getPullRequest", *REPO, "--id", "99"), 253, "Not Found"),
    (("getWorkspace", "-w", "nowhere"), 253, "No workspace with identifier 'nowhere'."),
    (("createBranch", *REPO, "--branch", "x", "--startPoint", "no-such"), 253, "target: Commit not found: no-such"),
    (("createPullRequest", *REPO, "--title", "t", "--source", "nope"), 253, "source: branch not found: nope"),
    (("createRepository", "-w", "demo", "-r", "Bad Slug"), 253, "Invalid slug"),
])
def test_bad_input_is_one_clear_line(bbc, args, code, words):
    outcome = bb(bbc, *args)
    assert outcome.code == code and words in outcome.err, outcome.err
    assert "Traceback" not in outcome.err and len(outcome.err.strip().splitlines()) == 1


def test_lists_follow_next_across_pages(sandbox, bbc):
    for n in range(105):
        sandbox.http.post(bbc + "/2.0/repositories/demo/demo-repo/refs/branches", auth=(USERNAME, APP_PASSWORD),
                          json={"name": f"b{n:03}", "target": {"hash": "main"}}).raise_for_status()
    everything = bb(bbc, "getBranchList", *REPO, "--output", "json")
    assert len(json.loads(everything.out)) == 107  # two pages of 100
    some = bb(bbc, "getBranchList", *REPO, "--limit", "3", "--output", "csv", "--columns", "Branch")
    assert some.out.splitlines() == ["Branch", "b000", "b001", "b002"]


def test_a_run_script_with_variables(bbc, tmp_path):
    script = tmp_path / "script.txt"
    script.write_text("createBranch -w demo -r demo-repo --branch feature/run --startPoint main\n"
                      "createPullRequest -w demo -r demo-repo --title \"From @branch@\" --source @branch@\n"
                      "mergePullRequest -w demo -r demo-repo --id @pullRequest@\n")
    outcome = run("bitbucketcloud", "run", "--file", script, *app(bbc))
    assert outcome.code == 0, outcome.err
    assert "Pull request 2 created: From feature/run." in outcome.out and "Pull request 2 merged as" in outcome.out


def test_a_lost_create_is_found_on_resume_not_repeated(sandbox, bbc, tmp_path):
    rows = tmp_path / "repos.csv"
    rows.write_text("repository\nalpha\nbeta\n")
    sandbox.settings({"bitbucket_cloud": {"faults": [{"path": "/2.0/repositories/demo/alpha", "method": "POST",
                                                      "kind": "drop", "count": 1}]}})
    script = ("--file", rows, "--common", "--action createRepository --workspace demo", *app(bbc))
    first = run("bitbucketcloud", "runFromCsv", *script)
    assert first.code == 255 and "connection was lost after sending POST" in first.err
    resumed = run("bitbucketcloud", "runFromCsv", *script, "--resume")
    assert resumed.code == 0, resumed.err
    listed = bb(bbc, "getRepositoryList", "-w", "demo", "--output", "csv", "--columns", "Repository")
    assert listed.out.splitlines() == ["Repository", "alpha", "beta", "demo-repo"]


def test_query_filters(bbc):
    bb(bbc, "createRepository", "-w", "demo", "-r", "api-docs")
    found = bb(bbc, "getRepositoryList", "-w", "demo", "--query", 'name ~ "DOCS" AND project.key = "DEMO"',
               "--output", "csv", "--columns", "Repository")
    assert found.out.splitlines() == ["Repository", "api-docs"]
    branches = bb(bbc, "getBranchList", *REPO, "--query", 'name != "main"', "--output", "csv", "--columns", "Branch")
    assert branches.out.splitlines() == ["Branch", "feature/sandbox"]
    bad = bb(bbc, "getRepositoryList", "-w", "demo", "--query", 'owner = "me"')
    assert bad.code == 253 and "Invalid query: 'owner' is not a field this query can use" in bad.err


@pytest.mark.parametrize("creds", [("--user", USERNAME, "--password", APP_PASSWORD), ("--user", EMAIL, "--token", API_TOKEN),
                                   ("--token", REPO_TOKEN)], ids=["app password", "API token", "access token"])
def test_debug_logs_every_exchange_without_the_secret(bbc, creds):
    outcome = bb(bbc, "getRepository", *REPO, "--debug", creds=("--server", bbc, *creds))  # run() fails on a leak
    assert outcome.code == 0 and "> GET " in outcome.err and "< x-oauth-scopes: " in outcome.err.lower()
