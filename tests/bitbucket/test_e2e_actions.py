"""Bitbucket actions end to end (in-process main(argv) against the sandbox): projects, repositories,
branches, commits, pull requests, tokens, output formats, and crash recovery of createRepository
and createPullRequest by their natural keys."""

import json

import pytest

from tests.helpers import run, secret

ALICE = ("--user", "alice")
ENV = {"ATLCTL_PASSWORD": "alice"}
REPO = ("--project", "DEMO", "--repository", "demo-repo")


def bitbucket(bb, *argv, environ=ENV, **kwargs):
    return run("bitbucket", *argv, "--server", bb.url, environ=environ, **kwargs)


def test_projects_and_repositories(bb):
    admin = {"ATLCTL_PASSWORD": "admin"}
    made = bitbucket(bb, "createProject", "--user", "admin", "--project", "OPS", "--name", "Operations", environ=admin)
    assert made.code == 0 and made.out.startswith("Project OPS created with id")
    listed = bitbucket(bb, "getProjectList", "--user", "admin", "--output", "csv", "--columns", "Key,Name", environ=admin)
    assert listed.out.splitlines()[-2:] == ["DEMO,Demo", "OPS,Operations"]
    repo = bitbucket(bb, "createRepository", "--user", "admin", "--project", "OPS", "--repository", "Tools", environ=admin)
    assert repo.code == 0 and "Repository OPS/tools created" in repo.out and "/scm/ops/tools.git" in repo.out
    shown = bitbucket(bb, "getRepository", "--user", "admin", "--project", "OPS", "--repository", "tools",
                      "--output", "json", environ=admin)
    assert json.loads(shown.out)["slug"] == "tools"
    busy = bitbucket(bb, "deleteProject", "--user", "admin", "--project", "OPS", environ=admin)
    assert busy.code == 253 and "cannot be deleted because it has repositories" in busy.err
    assert bitbucket(bb, "deleteRepository", "--user", "admin", "--project", "OPS", "--repository", "tools", environ=admin).code == 0
    assert bitbucket(bb, "deleteProject", "--user", "admin", "--project", "OPS", environ=admin).code == 0
    missing = bitbucket(bb, "getProject", *ALICE, "--project", "NOPE")
    assert (missing.code, missing.err) == (253, "Remote error: Project NOPE does not exist.\n")


def test_branches_commits_and_pull_requests(bb):
    branch = bitbucket(bb, "createBranch", *ALICE, *REPO, "--branch", "topic", "--startPoint", "main")
    assert branch.code == 0 and branch.out.startswith("Branch topic created at ")
    branches = bitbucket(bb, "getBranchList", *ALICE, *REPO, "--output", "csv", "--columns", "Branch,Default")
    assert sorted(branches.out.splitlines()[1:]) == ["feature/sandbox,false", "main,true", "topic,false"]
    commits = bitbucket(bb, "getCommitList", *ALICE, *REPO, "--branch", "feature/sandbox", "--columns", "Message",
                        "--output", "csv")
    assert commits.out.splitlines()[1:] == ["Try the sandbox", "Initial commit"]
    dup = bitbucket(bb, "createPullRequest", *ALICE, *REPO, "--title", "Again", "--from", "feature/sandbox")
    assert dup.code == 253 and "Only one pull request may be open" in dup.err
    declined = bitbucket(bb, "declinePullRequest", *ALICE, *REPO, "--id", "1")
    assert (declined.code, declined.out) == (0, "Pull request 1 declined.\n")
    opened = bitbucket(bb, "createPullRequest", *ALICE, *REPO, "--title", "Second try", "--from", "feature/sandbox",
                       "--reviewers", " 'admin',")  # a list as ACLI writes one (values.list_items)
    assert opened.code == 0 and opened.out.startswith("Pull request 2 created: Second try."), opened.err
    stale = bitbucket(bb, "mergePullRequest", *ALICE, *REPO, "--id", "2", "--version", "5")
    assert stale.code == 253 and "out-of-date" in stale.err
    merged = bitbucket(bb, "mergePullRequest", *ALICE, *REPO, "--id", "2")
    assert (merged.code, merged.out) == (0, "Pull request 2 merged.\n")
    listed = bitbucket(bb, "getPullRequestList", *ALICE, *REPO, "--state", "ALL", "--output", "csv",
                       "--columns", "Id,State,Author")
    assert listed.out.splitlines()[1:] == ["2,MERGED,alice", "1,DECLINED,alice"]
    shown = bitbucket(bb, "getPullRequest", *ALICE, *REPO, "--id", "2")
    assert "State . . . . . . . . : MERGED" in shown.out
    bad = bitbucket(bb, "getPullRequest", *ALICE, *REPO, "--id", "x")
    assert (bad.code, bad.err) == (254, "Invalid value 'x' for parameter --id: give a positive whole number.\n")


def test_access_tokens_add_list_remove(bb, tmp_path):
    env = {**ENV, "ATLCTL_CONFIG": str(tmp_path / "config.toml")}
    made = bitbucket(bb, "addAccessToken", *ALICE, "--name", "ci", "--permissions", "repo_read, project_read",
                     "--expiryDays", "30", "--verbose", environ=env, reveals=())
    token = secret(made.out.strip())
    assert made.code == 0 and "Access token 'ci' created for user alice with id 1 (REPO_READ, PROJECT_READ)" in made.err
    assert token not in open(tmp_path / "bitbucket-tokens.json").read()  # only its digest is kept
    listed = bitbucket(bb, "getAccessTokenList", *ALICE, "--output", "csv", "--columns", "Id,Name,Permissions")
    assert listed.out.splitlines()[1:] == ['1,ci,"REPO_READ, PROJECT_READ"']
    wrong = bitbucket(bb, "addAccessToken", *ALICE, "--name", "x", "--permission", "REPO_ALL")
    assert (wrong.code, wrong.err.startswith("Unknown permission REPO_ALL")) == (254, True)
    assert bitbucket(bb, "removeAccessToken", *ALICE, "--id", "1").out == "Access token 1 removed from user alice.\n"
    gone = bitbucket(bb, "getCurrentUser", "--token", token, environ={})
    assert gone.code == 253 and "rejected the access token" in gone.err
    not_admin = bitbucket(bb, "addAccessToken", *ALICE, "--name", "p", "--permission", "PROJECT_READ", "--project", "DEMO")
    assert not_admin.code == 253 and "needs PROJECT_ADMIN on project DEMO, which alice does not have" in not_admin.err


def test_a_created_pull_request_and_repository_are_found_after_a_lost_connection(bb, sandbox, tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_text("repository\nLost Repo\n")
    faults = [{"path": "/rest/api/1.0/projects/DEMO/repos", "method": "POST", "kind": "drop", "count": 1}]
    bb.settings(faults=faults)
    common = ["--common", "--action createRepository --project DEMO", "--user", "admin"]
    admin = {"ATLCTL_PASSWORD": "admin"}  # creating repositories needs PROJECT_ADMIN
    first = bitbucket(bb, "runFromCsv", "--file", rows, *common, environ=admin)
    assert first.code == 255
    # as if the server had created it and only the answer was lost
    sandbox.http.post(bb.api + "/projects/DEMO/repos", json={"name": "Lost Repo"}, auth=("admin", "admin"))
    resumed = bitbucket(bb, "runFromCsv", "--file", rows, *common, "--resume", environ=admin)
    assert resumed.code == 0, resumed.err
    assert "Repository DEMO/lost-repo created with id 2 (found after the interruption, not created again)" in resumed.out
    sandbox.http.post(bb.api + "/projects/DEMO/repos/demo-repo/pull-requests/1/decline?version=0", json={}, auth=("alice", "alice"))
    prs = tmp_path / "prs.csv"
    prs.write_text("title\nLost PR\n")
    bb.settings(faults=[{"path": "/rest/api/1.0/projects/DEMO/repos/demo-repo/pull-requests", "method": "POST",
                         "kind": "drop", "count": 1}])
    common = ["--common", "--action createPullRequest --project DEMO --repository demo-repo "
              "--from feature/sandbox --to main", *ALICE]
    assert bitbucket(bb, "runFromCsv", "--file", prs, *common).code == 255
    body = {"title": "Lost PR", "fromRef": {"id": "refs/heads/feature/sandbox"}, "toRef": {"id": "refs/heads/main"}}
    sandbox.http.post(bb.api + "/projects/DEMO/repos/demo-repo/pull-requests", json=body, auth=("alice", "alice"))
    resumed = bitbucket(bb, "runFromCsv", "--file", prs, *common, "--resume")
    assert resumed.code == 0, resumed.err
    assert "Pull request 2 created: Lost PR (found after the interruption, not created again)" in resumed.out


def test_a_server_that_is_not_bitbucket_is_named_as_such(bb, sandbox):
    for server in (sandbox.url, sandbox.url + "/jira"):
        outcome = run("bitbucket", "getProjectList", "--server", server, "--user", "alice", environ=ENV)
        assert outcome.code == 255 and f"No Bitbucket REST API at {server} " in outcome.err, outcome.err
    assert bb.stats()["password_checks"] == 0


def test_project_tokens_and_the_token_api_before_5_5(bb):
    admin = {"ATLCTL_PASSWORD": "admin"}
    target = ("--project", "DEMO", "--repository", "demo-repo")
    made = bitbucket(bb, "addAccessToken", "--user", "admin", *target, "--name", "r", "--permission", "REPO_READ",
                     environ=admin, reveals=())
    secret(made.out.strip())
    listed = bitbucket(bb, "getAccessTokenList", "--user", "admin", *target, "--output", "csv",
                       "--columns", "Name,Permissions", environ=admin)
    assert listed.out.splitlines()[1:] == ["r,REPO_READ"]
    bb.settings(version="5.4.0")
    old = bitbucket(bb, "getAccessTokenList", *ALICE)
    assert (old.code, old.err) == (255, "Client error: HTTP access tokens need Bitbucket 5.5 or later; this server "
                                        "runs Bitbucket 5.4.0.\n")


@pytest.mark.parametrize("version", ["-1", "1.5", "+2", "v3"])
def test_a_pull_request_version_is_a_whole_number_from_0(bb, version):
    outcome = bitbucket(bb, "mergePullRequest", *ALICE, *REPO, "--id", "1", "--version", version)
    assert (outcome.code, outcome.err) == (
        254, f"Invalid value '{version}' for parameter --version: give a whole number, 0 or more.\n")


def test_version_0_is_a_version(bb):  # the seeded pull request 1 has never changed
    declined = bitbucket(bb, "declinePullRequest", *ALICE, *REPO, "--id", "1", "--version", "0")
    assert (declined.code, declined.out) == (0, "Pull request 1 declined.\n")


def test_a_branch_name_git_refuses_is_a_remote_error(bb):
    """Finding 3 (round 2): createBranch --branch "a..b" said "Branch a..b created"."""
    refused = bitbucket(bb, "createBranch", *ALICE, *REPO, "--branch", "a..b", "--startPoint", "main")
    assert (refused.code, refused.err) == (253, "Remote error: 'a..b' is an invalid branch name. Branch names must be valid "
                                                "git refs: see git check-ref-format for the rules.\n")
    listed = bitbucket(bb, "getBranchList", *ALICE, *REPO, "--output", "csv", "--columns", "Branch")
    assert "a..b" not in listed.out
