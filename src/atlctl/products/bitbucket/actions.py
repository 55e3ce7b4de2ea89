"""Bitbucket Server/DC actions. Names and parameters follow ACLI where ACLI's are known (products.md
§6.2, acli.md §5.3); the others follow ACLI's verb+noun convention (docs/bitbucket.md marks them)."""

from __future__ import annotations

import functools

from atlctl.errors import ClientError, ParameterError, RemoteError
from atlctl.products.base import AUTHENTICATED, VERIFIES, WEB_SESSION, ActionSet, Param, Result
from atlctl.products.bitbucket import known_tokens
from atlctl.products.bitbucket.client import NotPermitted
from atlctl.products.bitbucket.recovery import CreatedPullRequest, CreatedRepository
from atlctl.values import list_items, positive, whole, words

ACTIONS = ActionSet("bitbucket")
PROJECT = Param("project", "Project key, e.g. DEMO.", required=True)
REPOSITORY = Param("repository", "Repository slug, e.g. demo-repo.", required=True)
LIMIT = Param("limit", "At most this many entries.", metavar="N")
PULL = Param("id", "Pull request id.", required=True)
PERMISSIONS = ("REPO_READ", "REPO_WRITE", "REPO_ADMIN", "PROJECT_READ", "PROJECT_WRITE", "PROJECT_ADMIN")


def action(name, help, *params, **kwargs):
    """ACTIONS.action, with a refusal for want of a permission explained: the permission the action
    needs, and the token's own permissions where atlctl knows them (the server's 401 does not say)."""

    def decorate(handler):
        @functools.wraps(handler)
        def explained(call):
            try:
                return handler(call)
            except NotPermitted as exc:
                raise RemoteError(_not_permitted(call, exc), 401, reason="not_permitted") from None

        ACTIONS.action(name, help, *params, **kwargs)(explained)
        return handler

    return decorate


def _not_permitted(call, exc: NotPermitted) -> str:
    conn = call.client.conn
    if conn.situation.scheme in ("token", "basic"):
        known = known_tokens.lookup(call.context.env, conn)
        if known is not None or conn.situation.scheme == "token":
            mine = (f"the token '{known['name']}' has {', '.join(known['permissions'])}" + (
                f" on {known['scope']}" if known.get("scope") else "") if known else
                "atlctl does not know this token's permissions (it did not create it; getAccessTokenList shows them)")
            return (f"Bitbucket refused {call.action.name}: it needs {exc.need} on {exc.where}, and the access token "
                    f"does not grant it ({mine}). Create a token with {exc.need} (addAccessToken --permission "
                    f"{exc.need}), or use credentials that have it.")
    who = conn.situation.user or "this user"
    return f"Bitbucket refused {call.action.name}: it needs {exc.need} on {exc.where}, which {who} does not have."


def _limit(call) -> int | None:
    return positive(call["limit"], "limit")


def _pull_id(call) -> int:
    return positive(call["id"], "id")


def _href(obj: dict, kind: str = "self") -> str | None:
    links = (obj.get("links") or {}).get(kind) or []
    return links[0].get("href") if links and isinstance(links[0], dict) else None


def _clone(repo: dict) -> str | None:
    for link in (repo.get("links") or {}).get("clone") or []:
        if isinstance(link, dict) and link.get("name") == "http":
            return link.get("href")
    return None


# -- server and who is asking ------------------------------------------------------------------

@action("getServerInfo", "Show the server's version and build. With credentials it also checks them (and says "
        "who they belong to, from X-AUSERNAME); without credentials it asks anonymously.", needs=(VERIFIES,),
        reads=True, example="atlctl bitbucket getServerInfo --server https://bitbucket.example.com")
def get_server_info(call):
    client = call.client
    if client.conn.situation.scheme == "anonymous":
        info, user = client.application_properties(), None
    else:
        user, info = client.whoami()
        if user is None:
            user = "(no user: a project or repository token)" if client.conn.situation.scheme == "token" else None
        if user is None:
            raise RemoteError("Bitbucket answered as if anonymous: the credentials were not accepted.", 401)
    record = [("Product", info.get("displayName")), ("Version", info.get("version")),
              ("Build", info.get("buildNumber")), ("Deployment", "Server/Data Center"),
              ("Base URL", client.conn.server)] + ([("User", user)] if user else [])
    return Result(f"Bitbucket {info.get('version')}", data=info, record=record)


@action("getCurrentUser", "Who the credentials belong to: the user Bitbucket names in X-AUSERNAME (it has no "
        "\"current user\" resource). A project or repository token belongs to no user, and says so.", reads=True)
def get_current_user(call):
    client = call.client
    name, _ = client.whoami()
    if name is None:
        if client.conn.situation.scheme == "token":
            return Result("The access token belongs to no user: it is a project or repository token.",
                          data={"name": None, "type": "project or repository token"},
                          record=[("Token", "project or repository token (no user)")])
        raise RemoteError("Bitbucket answered as if anonymous: the credentials were not accepted.", 401)
    user = client.user(name)
    return Result(data=user, record=[("User", user.get("name")), ("Display name", user.get("displayName")),
                                     ("Email", user.get("emailAddress")), ("Id", user.get("id"))],
                  variables={"user": user.get("name", name)})


# -- projects ----------------------------------------------------------------------------------

@action("getProjectList", "List the projects the credentials can see.", Param("name", "Only projects whose name "
        "contains this."), LIMIT, reads=True)
def get_project_list(call):
    projects = call.client.projects(call["name"], _limit(call))
    rows = [{"Key": p.get("key"), "Name": p.get("name"), "Id": p.get("id"), "Description": p.get("description"),
             "Public": p.get("public"), "URL": _href(p)} for p in projects]
    return Result(data=projects, rows=rows, columns=["Key", "Name", "Id", "Description", "Public", "URL"],
                  noun="projects")


@action("getProject", "Show a project.", PROJECT, reads=True)
def get_project(call):
    p = call.client.project(call["project"])
    return Result(data=p, record=[("Key", p.get("key")), ("Name", p.get("name")), ("Id", p.get("id")),
                                  ("Description", p.get("description")), ("Public", p.get("public")),
                                  ("URL", _href(p))])


@action("createProject", "Create a project (needs the system permission to create projects).", PROJECT,
        Param("name", "Project name (default: the key)."), Param("description", "Project description."))
def create_project(call):
    p = call.client.create_project(call["project"], call["name"] or call["project"], call["description"])
    return Result(f"Project {p['key']} created with id {p.get('id')}.", data=p, variables={"project": p["key"]})


@action("deleteProject", "Delete a project (it must have no repositories).", PROJECT)
def delete_project(call):
    call.client.delete_project(call["project"])
    return Result(f"Project {call['project']} deleted.")


# -- repositories ------------------------------------------------------------------------------

@action("getRepositoryList", "List a project's repositories.", PROJECT, LIMIT, reads=True)
def get_repository_list(call):
    repos = call.client.repos(call["project"], _limit(call))
    rows = [{"Slug": r.get("slug"), "Name": r.get("name"), "Id": r.get("id"), "Project": r["project"].get("key"),
             "Clone URL": _clone(r), "URL": _href(r)} for r in repos]
    return Result(data=repos, rows=rows, columns=["Slug", "Name", "Id", "Project", "Clone URL", "URL"],
                  noun="repositories")


@action("getRepository", "Show a repository.", PROJECT, REPOSITORY, reads=True)
def get_repository(call):
    r = call.client.repo(call["project"], call["repository"])
    return Result(data=r, record=[("Slug", r.get("slug")), ("Name", r.get("name")), ("Id", r.get("id")),
                                  ("Project", r["project"].get("key")), ("State", r.get("state")),
                                  ("Clone URL", _clone(r)), ("URL", _href(r))])


@action("createRepository", "Create a git repository in a project.", PROJECT,
        Param("repository", "Repository name (its slug is derived from it).", required=True),
        Param("name", "Display name, if other than --repository."),
        Param("forkable", "Whether it may be forked.", choices=("true", "false")), finder=CreatedRepository)
def create_repository(call):
    forkable = None if call["forkable"] is None else call["forkable"] == "true"
    r = call.client.create_repo(call["project"], call["name"] or call["repository"], forkable)
    return Result(f"Repository {r['project']['key']}/{r['slug']} created with id {r.get('id')}. "
                  f"Clone URL: {_clone(r)}", data=r, variables={"repository": r["slug"]})


@action("deleteRepository", "Delete a repository (Bitbucket schedules the deletion).", PROJECT, REPOSITORY)
def delete_repository(call):
    call.client.delete_repo(call["project"], call["repository"])
    return Result(f"Repository {call['project']}/{call['repository']} deleted.")


# -- branches and commits ----------------------------------------------------------------------

@action("getBranchList", "List a repository's branches (name not confirmed in ACLI).", PROJECT, REPOSITORY,
        Param("filter", "Only branches whose name contains this."), LIMIT, reads=True)
def get_branch_list(call):
    branches = call.client.branches(call["project"], call["repository"], call["filter"], _limit(call))
    rows = [{"Branch": b.get("displayId"), "Id": b.get("id"), "Latest commit": b.get("latestCommit"),
             "Default": b.get("isDefault", b.get("default"))} for b in branches]
    return Result(data=branches, rows=rows, columns=["Branch", "Id", "Latest commit", "Default"], noun="branches")


@action("createBranch", "Create a branch (name not confirmed in ACLI).", PROJECT, REPOSITORY,
        Param("branch", "New branch name.", required=True),
        Param("startPoint", "Branch or commit to start from.", required=True))
def create_branch(call):
    b = call.client.create_branch(call["project"], call["repository"], call["branch"], call["startPoint"])
    return Result(f"Branch {b['displayId']} created at {b.get('latestCommit')}.", data=b,
                  variables={"branch": b["displayId"]})


@action("getCommitList", "List commits, newest first.", PROJECT, REPOSITORY,
        Param("branch", "Branch or commit to list from (default: the default branch)."), LIMIT, reads=True)
def get_commit_list(call):
    commits = call.client.commits(call["project"], call["repository"], call["branch"], _limit(call))
    rows = [{"Id": c.get("id"), "Display id": c.get("displayId"), "Author": (c.get("author") or {}).get("name"),
             "Timestamp": c.get("authorTimestamp"), "Message": c.get("message")} for c in commits]
    return Result(data=commits, rows=rows, columns=["Id", "Display id", "Author", "Timestamp", "Message"],
                  noun="commits")


# -- pull requests -----------------------------------------------------------------------------

def _pull_row(p: dict) -> dict:
    return {"Id": p.get("id"), "Title": p.get("title"), "State": p.get("state"), "Version": p.get("version"),
            "Author": ((p.get("author") or {}).get("user") or {}).get("name"), "From": p["fromRef"].get("displayId"),
            "To": p["toRef"].get("displayId"), "URL": _href(p)}


PULL_COLUMNS = ["Id", "Title", "State", "Version", "Author", "From", "To", "URL"]


@action("getPullRequestList", "List pull requests.", PROJECT, REPOSITORY,
        Param("state", "Which ones (any case).", choices=("open", "merged", "declined", "all"), default="open"), LIMIT,
        reads=True)
def get_pull_request_list(call):
    pulls = call.client.pulls(call["project"], call["repository"], (call["state"] or "open").upper(), _limit(call))
    return Result(data=pulls, rows=[_pull_row(p) for p in pulls], columns=PULL_COLUMNS, noun="pull requests")


@action("getPullRequest", "Show a pull request.", PROJECT, REPOSITORY, PULL, reads=True)
def get_pull_request(call):
    p = call.client.pull(call["project"], call["repository"], _pull_id(call))
    return Result(data=p, record=list(_pull_row(p).items()))


@action("createPullRequest", "Open a pull request (name not confirmed in ACLI).", PROJECT, REPOSITORY,
        Param("title", "Title.", required=True), Param("from", "Source branch.", required=True),
        Param("to", "Target branch (default: the repository's default branch).", ),
        Param("description", "Description."), Param("reviewers", "Comma-separated user names."),
        finder=CreatedPullRequest)
def create_pull_request(call):
    client = call.client
    target = call["to"] or next((b["displayId"] for b in client.branches(call["project"], call["repository"])
                                 if b.get("isDefault") or b.get("default")), None)
    if target is None:
        raise ClientError(f"Repository {call['project']}/{call['repository']} has no default branch: give --to.")
    reviewers = list_items(call["reviewers"])
    try:
        p = client.create_pull(call["project"], call["repository"], call["title"], call["from"], target,
                               call["description"], reviewers)
    except RemoteError as exc:
        if exc.status == 409 and "Only one pull request may be open" in str(exc):
            raise RemoteError(f"{exc} ({call['from']} -> {target}); getPullRequestList shows it.", 409) from None
        raise
    return Result(f"Pull request {p['id']} created: {p.get('title')}. URL: {_href(p)}", data=p,
                  variables={"pullRequest": str(p["id"])})


def _close(call, verb: str, done: str):
    client, project, repo, ident = call.client, call["project"], call["repository"], _pull_id(call)
    version = whole(call["version"], "version")
    if version is None:
        version = client.pull(project, repo, ident)["version"]
    p = client.close_pull(project, repo, ident, verb, version, call["comment"])
    return Result(f"Pull request {ident} {done}.", data=p, variables={"pullRequest": str(ident)})


VERSION = Param("version", "The pull request's version you expect (default: its current one); a stale one is "
                "refused by the server.", metavar="N")


@action("mergePullRequest", "Merge a pull request (name not confirmed in ACLI).", PROJECT, REPOSITORY, PULL,
        VERSION, Param("comment", "Merge commit message."))
def merge_pull_request(call):
    return _close(call, "merge", "merged")


@action("declinePullRequest", "Decline a pull request (name not confirmed in ACLI).", PROJECT, REPOSITORY, PULL,
        VERSION, Param("comment", "Not sent: Bitbucket's decline takes none.", metavar="TEXT"))
def decline_pull_request(call):
    call.values["comment"] = None
    return _close(call, "decline", "declined")


# -- HTTP access tokens ------------------------------------------------------------------------

TOKEN_TARGET = (Param("project", "A project's token (with --repository: a repository's)."),
                Param("repository", "A repository's token (needs --project)."),
                Param("tokenUser", "The user whose tokens (default: --user; administrators may name another).",
                      metavar="USER"))


def _token_target(call):
    if call["repository"] and not call["project"]:
        raise ParameterError("--repository needs --project (the repository's project key).")
    user = call["tokenUser"] or call.client.conn.situation.user
    if not (call["project"] or user):
        user, _ = call.client.whoami()
        if user is None:
            raise ParameterError("Give --project (and --repository) for a project or repository token, or "
                                 "--tokenUser for a user's tokens: this token belongs to no user.")
    return call.client.token_path(user, call["project"], call["repository"])


def _permissions(call) -> list[str]:
    given = ",".join(v for v in (call["permission"], call["permissions"]) if v)
    names = [p.upper() for p in words(given)]
    if not names:
        raise ParameterError(f"Give --permission: one or more of {', '.join(PERMISSIONS)}, comma-separated.")
    wrong = [n for n in names if n not in PERMISSIONS]
    if wrong:
        raise ParameterError(f"Unknown permission {wrong[0]}: use {', '.join(PERMISSIONS)}.")
    return list(dict.fromkeys(names))


@action("addAccessToken", "Create an HTTP access token (Bitbucket 5.5+): yours, or with --project / --repository "
        "a project's or repository's (Bearer only, no user). Prints the token alone.",
        Param("name", "Token name.", required=True),
        Param("permission", "Permissions, comma-separated: PROJECT_READ/WRITE/ADMIN, REPO_READ/WRITE/ADMIN (ACLI's "
              "name).", metavar="LIST"),
        Param("permissions", "Same as --permission.", metavar="LIST"),
        Param("expiryDays", "Days until it expires (default: never, if the server allows).", metavar="DAYS"),
        *TOKEN_TARGET, secret_output=True)
def add_access_token(call):
    permissions = _permissions(call)
    days = positive(call["expiryDays"], "expiryDays")
    path, where = _token_target(call)
    token = call.client.create_token(path, where, call["name"], permissions, days)
    raw = token["token"]
    call.context.console.redactor.add(raw)
    known_tokens.remember(call.context.env, raw, token.get("name"), token.get("permissions") or permissions,
                          None if where.startswith("user") else where)
    call.context.console.info(f"Access token '{token.get('name')}' created for {where} with id {token.get('id')} "
                              f"({', '.join(token.get('permissions') or permissions)})")
    shown = {k: v for k, v in token.items() if k != "token"}
    return Result(secret=raw, data=shown, variables={"tokenId": str(token.get("id"))})


@action("getAccessTokenList", "List HTTP access tokens: yours, or a project's or repository's.", *TOKEN_TARGET,
        reads=True)
def get_access_token_list(call):
    path, where = _token_target(call)
    tokens = call.client.tokens(path, where)
    rows = [{"Id": t.get("id"), "Name": t.get("name"), "Permissions": ", ".join(t.get("permissions") or []),
             "Created": t.get("createdDate"), "Expires": t.get("expiryDate"),
             "Last used": t.get("lastAuthenticated")} for t in tokens]
    return Result(data=tokens, rows=rows, columns=["Id", "Name", "Permissions", "Created", "Expires", "Last used"],
                  noun="tokens")


@action("removeAccessToken", "Revoke an HTTP access token.", Param("id", "Token id (see getAccessTokenList).",
        required=True), *TOKEN_TARGET)
def remove_access_token(call):
    path, where = _token_target(call)
    call.client.revoke_token(path, where, call["id"])
    return Result(f"Access token {call['id']} removed from {where}.")


# -- web requests and sessions -----------------------------------------------------------------

@action("renderRequest", "Fetch a page of the web interface (needs a web session: not with tokens).",
        Param("request", "Path relative to the server, e.g. /dashboard.", required=True),
        needs=(AUTHENTICATED, WEB_SESSION), reads=True)
def render_request(call):
    return Result(content=call.client.render(call["request"]))


@action("login", "Log in and print the session token alone (use it later with --login).", secret_output=True)
def login(call):
    client = call.client
    if client.conn.situation.scheme != "session":
        raise ClientError("The login action needs session authentication: give --user and --password (not --token "
                          "or --auth basic).")
    name, _ = client.whoami()  # the first request logs in (or checks the reused session)
    if name is None:
        raise RemoteError("Bitbucket did not open a session for these credentials.", 401)
    auth = client.conn.auth
    client.conn.keep_session = True
    return Result(secret=auth.session_id, data={"session": {"name": auth.cookie_name, "value": auth.session_id}})


@action("logout", "End a session, e.g. one created by `login` (--login TOKEN).")
def logout(call):
    client = call.client
    if client.conn.situation.scheme != "session":
        raise ClientError("Nothing to log out: logout ends a session given with --login (or kept with --cookies).")
    client.conn.end_session()
    return Result("Logged out.", data={"loggedOut": True})


