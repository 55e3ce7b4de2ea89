"""Bitbucket Cloud actions. Names and parameters follow Appfire's Bitbucket Cloud CLI (BCCLI) where
its Reference shows them (products.md §6.3: getBranchList, getCommitList, --workspace, --limit);
the rest follow ACLI's convention (verbNoun, NounList), as docs/bitbucket_cloud.md marks."""

from __future__ import annotations

from atlctl.errors import ClientError
from atlctl.products.base import VERIFIES, ActionSet, Param, Result
from atlctl.products.bitbucket_cloud.recovery import CreatedRepository
from atlctl.values import positive

ACTIONS = ActionSet("bitbucket_cloud")
action = ACTIONS.action
WORKSPACE = Param("workspace", "Workspace slug (or {UUID}).", required=True, short="w")
REPOSITORY = Param("repository", "Repository slug.", required=True, short="r")
LIMIT = Param("limit", "Stop after this many entries (default: all pages).", metavar="N")
PR_ID = Param("id", "Pull request id.", required=True, metavar="N")
REPO_COLUMNS = ["Workspace", "Repository", "Name", "Project", "Private", "Main branch", "Updated", "URL"]
PR_COLUMNS = ["Id", "Title", "State", "Source", "Destination", "Author", "Created", "Updated"]
STATES = ("open", "merged", "declined", "superseded")  # any case: the parser compares in lower case
ALL = "all"  # every state, as Bitbucket DC's --state all: the API takes state= once per state


def _href(obj: dict, name: str = "html"):
    link = (obj.get("links") or {}).get(name)
    return link.get("href") if isinstance(link, dict) else None


def _name(value, key="name"):
    return value.get(key) if isinstance(value, dict) else None


def _where(call) -> tuple[str, str]:
    return call["workspace"], call["repository"]


# -- the server and the user -------------------------------------------------------------------

@action("getServerInfo", "Show the server and, with credentials, check them: the current user for an app "
        "password or API token; for an access token, that Bitbucket knows the token (access tokens have no user).",
        needs=(VERIFIES,), example="atlctl bitbucketcloud getServerInfo --user EMAIL --token API_TOKEN", reads=True)
def get_server_info(call):
    client = call.client
    conn = client.conn
    record = [("Product", "Bitbucket Cloud"), ("Base URL", conn.server), ("API", f"{conn.server}/2.0")]
    data = {"product": "Bitbucket Cloud", "baseUrl": conn.server}
    if conn.situation.scheme == "basic":
        user = client.current_user()
        record.append(("User", user.get("username") or user.get("display_name")))
        data["user"] = user
    elif conn.situation.scheme == "token":
        from atlctl.errors import RemoteError

        try:
            client.current_user()
        except RemoteError as exc:
            if "access token cannot do this" not in str(exc):  # a valid access token is refused this endpoint only
                raise
        record.append(("Credential", "access token (valid)"))
    return Result(f"Bitbucket Cloud at {conn.server}", data=data, record=record)


@action("getCurrentUser", "Show the user the credentials belong to (needs read:user:bitbucket or account; an "
        "access token has no user).", reads=True)
def get_current_user(call):
    user = call.client.current_user()
    record = [("User", user.get("username")), ("Display name", user.get("display_name")),
              ("Account id", user.get("account_id")), ("UUID", user.get("uuid")),
              ("Status", user.get("account_status")), ("Created", user.get("created_on"))]
    return Result(data=user, record=record, variables={"user": str(user.get("username") or user.get("uuid"))})


# -- workspaces and projects -------------------------------------------------------------------

@action("getWorkspaceList", "List the workspaces you are a member of (GET /2.0/user/workspaces).", LIMIT, reads=True)
def get_workspace_list(call):
    spaces = list(call.client.workspaces(positive(call["limit"], "limit")))
    rows = [{"Workspace": w.get("slug"), "Name": w.get("name"), "UUID": w.get("uuid"), "URL": _href(w)} for w in spaces]
    return Result(data=spaces, rows=rows, columns=["Workspace", "Name", "UUID", "URL"], noun="workspaces")


@action("getWorkspace", "Show a workspace.", WORKSPACE, reads=True)
def get_workspace(call):
    w = call.client.workspace(call["workspace"])
    record = [("Workspace", w.get("slug")), ("Name", w.get("name")), ("UUID", w.get("uuid")),
              ("Private", w.get("is_private")), ("Created", w.get("created_on")), ("URL", _href(w))]
    return Result(data=w, record=record, variables={"workspace": str(w.get("slug"))})


@action("getProjectList", "List a workspace's projects.", WORKSPACE, LIMIT, reads=True)
def get_project_list(call):
    projects = list(call.client.projects(call["workspace"], positive(call["limit"], "limit")))
    rows = [{"Key": p.get("key"), "Name": p.get("name"), "Private": p.get("is_private"),
             "Description": p.get("description"), "UUID": p.get("uuid")} for p in projects]
    return Result(data=projects, rows=rows, columns=["Key", "Name", "Private", "Description", "UUID"], noun="projects")


# -- repositories ------------------------------------------------------------------------------

def _repo_row(r: dict) -> dict:
    return {"Workspace": _name(r.get("workspace"), "slug"), "Repository": r.get("slug"), "Name": r.get("name"),
            "Project": _name(r.get("project"), "key"), "Private": r.get("is_private"),
            "Main branch": _name(r.get("mainbranch")), "Updated": r.get("updated_on"), "URL": _href(r)}


@action("getRepositoryList", "List a workspace's repositories (an access token sees those of its resource).",
        WORKSPACE, Param("query", "Bitbucket query filter, e.g. 'project.key=\"DEMO\"'.", metavar="Q"), LIMIT,
        reads=True)
def get_repository_list(call):
    repos = list(call.client.repositories(call["workspace"], call["query"], positive(call["limit"], "limit")))
    return Result(data=repos, rows=[_repo_row(r) for r in repos], columns=REPO_COLUMNS, noun="repositories")


@action("getRepository", "Show a repository.", WORKSPACE, REPOSITORY, reads=True)
def get_repository(call):
    repo = call.client.repository(*_where(call))
    row = _repo_row(repo)
    clone = {c.get("name"): c.get("href") for c in (repo.get("links") or {}).get("clone") or [] if isinstance(c, dict)}
    record = [(k, row[k]) for k in REPO_COLUMNS] + [("Description", repo.get("description")),
                                                     ("Clone (https)", clone.get("https"))]
    return Result(data=repo, record=record, variables={"repository": str(repo.get("slug"))})


@action("createRepository", "Create a repository (needs repository:admin or admin:repository:bitbucket).",
        WORKSPACE, REPOSITORY, Param("project", "Project key (default: the workspace's default project)."),
        Param("name", "Display name (default: the slug)."), Param("description", "Description."),
        Param("public", "Make it public (default: private).", flag=True),
        Param("forkPolicy", "allow_forks, no_public_forks or no_forks.",
              choices=("allow_forks", "no_public_forks", "no_forks")),
        finder=CreatedRepository)
def create_repository(call):
    body = {"scm": "git", "is_private": not call["public"]}
    for param, key in (("name", "name"), ("description", "description"), ("forkPolicy", "fork_policy")):
        if call[param]:
            body[key] = call[param]
    if call["project"]:
        body["project"] = {"key": call["project"]}
    repo = call.client.create_repository(call["workspace"], call["repository"], body)
    return Result(f"Repository {repo.get('full_name')} created. URL: {_href(repo)}", data=repo,
                  variables={"repository": str(repo.get("slug"))})


@action("deleteRepository", "Delete a repository, with everything in it (needs repository:delete or "
        "delete:repository:bitbucket).", WORKSPACE, REPOSITORY)
def delete_repository(call):
    call.client.delete_repository(*_where(call))
    return Result(f"Repository {call['workspace']}/{call['repository']} deleted.",
                  data={"workspace": call["workspace"], "repository": call["repository"], "deleted": True})


# -- branches and commits ----------------------------------------------------------------------

@action("getBranchList", "List a repository's branches.", WORKSPACE, REPOSITORY,
        Param("query", "Bitbucket query filter, e.g. 'name ~ \"feature\"'.", metavar="Q"), LIMIT, reads=True)
def get_branch_list(call):
    branches = list(call.client.branches(*_where(call), call["query"], positive(call["limit"], "limit")))
    rows = [{"Branch": b.get("name"), "Commit": (b.get("target") or {}).get("hash"),
             "Date": (b.get("target") or {}).get("date"), "URL": _href(b)} for b in branches]
    return Result(data=branches, rows=rows, columns=["Branch", "Commit", "Date", "URL"], noun="branches")


@action("createBranch", "Create a branch at a commit or at the head of another branch.", WORKSPACE, REPOSITORY,
        Param("branch", "Name of the new branch.", required=True),
        Param("startPoint", "Commit hash or branch name to start from.", required=True))
def create_branch(call):
    branch = call.client.create_branch(*_where(call), call["branch"], call["startPoint"])
    return Result(f"Branch {branch['name']} created at {branch['target']['hash'][:12]}.", data=branch,
                  variables={"branch": branch["name"]})


@action("getCommitList", "List commits, newest first: of one branch with --branch, else of the repository.",
        WORKSPACE, REPOSITORY, Param("branch", "Branch name or commit hash."), LIMIT, reads=True)
def get_commit_list(call):
    commits = list(call.client.commits(*_where(call), call["branch"], positive(call["limit"], "limit")))
    rows = [{"Commit": c.get("hash"), "Date": c.get("date"), "Author": _name(c.get("author"), "raw"),
             "Message": str(c.get("message") or "").splitlines()[0] if c.get("message") else ""} for c in commits]
    return Result(data=commits, rows=rows, columns=["Commit", "Date", "Author", "Message"], noun="commits")


# -- pull requests -----------------------------------------------------------------------------

def _pr_row(pr: dict) -> dict:
    return {"Id": pr.get("id"), "Title": pr.get("title"), "State": pr.get("state"),
            "Source": _name((pr.get("source") or {}).get("branch")),
            "Destination": _name((pr.get("destination") or {}).get("branch")),
            "Author": _name(pr.get("author"), "display_name"), "Created": pr.get("created_on"),
            "Updated": pr.get("updated_on")}


def _pr_id(call) -> int:
    return positive(call["id"], "id")


def _pr_result(message: str, pr: dict) -> Result:
    return Result(message, data=pr, variables={"pullRequest": str(pr.get("id"))})


@action("getPullRequestList", "List pull requests (open ones unless --state).", WORKSPACE, REPOSITORY,
        Param("state", "State to list, or all; may be repeated.", repeat=True, choices=(*STATES, ALL)), LIMIT,
        reads=True)
def get_pull_request_list(call):
    given = {s.lower() for s in call["state"] or ["open"]}
    states = [s.upper() for s in STATES if s in given or ALL in given]
    prs = list(call.client.pull_requests(*_where(call), states, positive(call["limit"], "limit")))
    return Result(data=prs, rows=[_pr_row(p) for p in prs], columns=PR_COLUMNS, noun="pull requests")


@action("getPullRequest", "Show a pull request.", WORKSPACE, REPOSITORY, PR_ID, reads=True)
def get_pull_request(call):
    pr = call.client.pull_request(*_where(call), _pr_id(call))
    row = _pr_row(pr)
    record = [(k, row[k]) for k in PR_COLUMNS] + [("Description", pr.get("description")), ("URL", _href(pr))]
    return Result(data=pr, record=record, variables={"pullRequest": str(pr.get("id"))})


@action("createPullRequest", "Open a pull request from --source to --destination (default: the main branch). "
        "When one is already open for the same branches, Bitbucket updates that one (its title, description and "
        "closeSourceBranch) and returns it: atlctl says so, and it counts as done, so repeating it is harmless.",
        WORKSPACE, REPOSITORY, Param("title", "Title.", required=True),
        Param("source", "Source branch.", required=True), Param("destination", "Destination branch."),
        Param("description", "Description."),
        Param("closeSourceBranch", "Delete the source branch once merged.", flag=True),
        reads=True)  # not a read, but the server makes a repeat return the same pull request [R]
def create_pull_request(call):
    body = {"title": call["title"], "source": {"branch": {"name": call["source"]}},
            "close_source_branch": bool(call["closeSourceBranch"])}
    if call["destination"]:
        body["destination"] = {"branch": {"name": call["destination"]}}
    if call["description"]:
        body["description"] = call["description"]
    # Bitbucket answers a repeat with 201 and the open pull request, updated [R]: only what was open before tells
    q = " AND ".join(f'{field}.branch.name = "{_quoted(call[field])}"' for field in ("source", "destination")
                     if call[field])
    before = {p.get("id"): p for p in call.client.pull_requests(*_where(call), ["OPEN"], query=q)}
    pr = call.client.create_pull_request(*_where(call), body)
    url = _href(pr)
    old = before.get(pr["id"])
    if old is None:
        return _pr_result(f"Pull request {pr['id']} created: {pr['title']}. URL: {url}", pr)
    changed = [name for name, key in (("title", "title"), ("description", "description"),
                                      ("closeSourceBranch", "close_source_branch")) if old.get(key) != pr.get(key)]
    what = f"updated its {', '.join(changed)}" if changed else "nothing to update"
    branches = f"{_name(pr['source'].get('branch'))} -> {_name(pr['destination'].get('branch'))}"
    return _pr_result(f"Pull request {pr['id']} was already open for {branches}: {what}. URL: {url}", pr)


def _quoted(value: str) -> str:
    """A value inside a Bitbucket query's double quotes."""
    return value.replace("\\", "\\\\").replace('"', '\\"')


@action("mergePullRequest", "Merge a pull request.", WORKSPACE, REPOSITORY, PR_ID,
        Param("strategy", "Merge strategy.", choices=("merge_commit", "squash", "fast_forward")),
        Param("message", "Commit message of the merge."),
        Param("closeSourceBranch", "Delete the source branch.", flag=True))
def merge_pull_request(call):
    body = {}
    if call["strategy"]:
        body["merge_strategy"] = call["strategy"]
    if call["message"]:
        body["message"] = call["message"]
    if call["closeSourceBranch"]:
        body["close_source_branch"] = True
    pr = call.client.pull_request_action(*_where(call), _pr_id(call), "merge", body)
    merged = (pr.get("merge_commit") or {}).get("hash") if isinstance(pr.get("merge_commit"), dict) else None
    return _pr_result(f"Pull request {pr['id']} merged{f' as {merged[:12]}' if merged else ''}.", pr)


@action("declinePullRequest", "Decline a pull request.", WORKSPACE, REPOSITORY, PR_ID)
def decline_pull_request(call):
    pr = call.client.pull_request_action(*_where(call), _pr_id(call), "decline")
    return _pr_result(f"Pull request {pr['id']} declined.", pr)


@action("approvePullRequest", "Approve a pull request as the current user (or access token).", WORKSPACE,
        REPOSITORY, PR_ID, reads=True)  # approving twice leaves one approval
def approve_pull_request(call):
    participant = call.client.pull_request_action(*_where(call), _pr_id(call), "approve",
                                                  expect={"approved": bool})
    if not participant.get("approved"):
        raise ClientError(f"Bitbucket Cloud did not record the approval of pull request {call['id']}.")
    return Result(f"Pull request {call['id']} approved.", data=participant)
