"""Bitbucket Cloud's REST resources under /2.0 (products.md §4.2): objects carry their `type` and
absolute, self-pointing `links`; lists are pages with pagelen/page/size and an absolute `next`."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, urlencode

from starlette.responses import Response

from atlctl.sandbox.bitbucket_cloud import errors
from atlctl.sandbox.bitbucket_cloud.auth import BitbucketCall
from atlctl.sandbox.bitbucket_cloud.model import Project, PullRequest, Repository, stamp
from atlctl.sandbox.git import valid_branch
from atlctl.sandbox.product import Refusal

SLUG = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,61}$")
MERGE_STRATEGIES = ("merge_commit", "squash", "fast_forward")


def href(url: str) -> dict:
    return {"href": url}


def api(call: BitbucketCall, path: str) -> str:
    return f"{call.base}/2.0/{path}"


def web(call: BitbucketCall, path: str) -> str:
    return f"{call.base}/{path}"


# -- rendering ---------------------------------------------------------------------------------

def user_json(call: BitbucketCall, key: str) -> dict:
    content = call.product.content
    account = content.accounts.get(key)
    realm_user = call.product.realm.users.get(key)
    if account is None:
        name = realm_user.display_name if realm_user else "Former user"
        return {"type": "user", "display_name": name, "account_id": key, "uuid": "{" + key + "}", "nickname": name,
                "links": {}}
    ref = quote(account.uuid)
    return {
        "type": "user", "uuid": account.uuid, "account_id": key, "username": account.username,
        "nickname": account.display_name, "display_name": account.display_name,
        "links": {"self": href(api(call, f"users/{ref}")), "html": href(web(call, f"{ref}/")),
                  "avatar": href(web(call, f"account/{ref}/avatar")),
                  "repositories": href(api(call, f"repositories/{ref}")), "snippets": href(api(call, f"snippets/{ref}")),
                  "hooks": href(api(call, f"workspaces/{ref}/hooks"))},
    }


def actor_json(call: BitbucketCall) -> dict:
    """Who acts: the account, or for an access token its bot user (named after the resource)."""
    credential = call.credential
    if credential is not None and credential.access_kind:
        return {"type": "user", "display_name": f"{credential.resource} {credential.access_kind} access token",
                "uuid": "{access-token-" + str(credential.token_id) + "}", "account_id": None, "links": {}}
    return user_json(call, call.user.key)


def workspace_ref(call: BitbucketCall, slug: str) -> dict:
    ws = call.product.content.workspaces[slug]
    return {"type": "workspace", "uuid": ws.uuid, "slug": ws.slug, "name": ws.name,
            "links": {"self": href(api(call, f"workspaces/{slug}")), "html": href(web(call, f"{slug}/")),
                      "avatar": href(web(call, f"workspaces/{slug}/avatar"))}}


def workspace_json(call: BitbucketCall, slug: str) -> dict:
    ws = call.product.content.workspaces[slug]
    data = workspace_ref(call, slug)
    data["links"].update({
        "members": href(api(call, f"workspaces/{slug}/members")),
        "owners": href(api(call, f"workspaces/{slug}/members?q=permission%3D%22owner%22")),
        "projects": href(api(call, f"workspaces/{slug}/projects")),
        "repositories": href(api(call, f"repositories/{slug}")),
        "snippets": href(api(call, f"snippets/{slug}")),
        "hooks": href(api(call, f"workspaces/{slug}/hooks")),
    })
    return {**data, "is_private": ws.is_private, "created_on": stamp(ws.created)}


def project_json(call: BitbucketCall, project: Project, full: bool = True) -> dict:
    base = f"workspaces/{project.workspace}/projects/{project.key}"
    data = {"type": "project", "key": project.key, "uuid": project.uuid, "name": project.name,
            "links": {"self": href(api(call, base)), "html": href(web(call, f"{project.workspace}/workspace/projects/{project.key}")),
                      "avatar": href(web(call, f"{base}/avatar"))}}
    if full:
        data.update({"description": project.description, "is_private": project.is_private,
                     "created_on": stamp(project.created), "updated_on": stamp(project.created),
                     "has_publicly_visible_repos": False, "owner": workspace_ref(call, project.workspace),
                     "workspace": workspace_ref(call, project.workspace)})
        data["links"]["repositories"] = href(api(call, f"repositories/{project.workspace}?q=project.key%3D%22{project.key}%22"))
    return data


def repository_ref(call: BitbucketCall, repo: Repository) -> dict:
    base = f"repositories/{repo.full_name}"
    return {"type": "repository", "full_name": repo.full_name, "name": repo.name, "uuid": repo.uuid,
            "links": {"self": href(api(call, base)), "html": href(web(call, repo.full_name)),
                      "avatar": href(web(call, f"{repo.full_name}/avatar"))}}


def repository_json(call: BitbucketCall, repo: Repository) -> dict:
    base = api(call, f"repositories/{repo.full_name}")
    data = repository_ref(call, repo)
    host = call.request.headers.get("host", "localhost")
    data["links"].update({name: href(f"{base}/{path}") for name, path in (
        ("pullrequests", "pullrequests"), ("commits", "commits"), ("forks", "forks"), ("watchers", "watchers"),
        ("downloads", "downloads"), ("hooks", "hooks"), ("branches", "refs/branches"), ("tags", "refs/tags"),
        ("source", "src"))})
    data["links"]["clone"] = [{"href": f"{call.request.url.scheme}://{host}/{repo.full_name}.git", "name": "https"},
                              {"href": f"git@{host.split(':')[0]}:{repo.full_name}.git", "name": "ssh"}]
    project = call.product.content.projects[(repo.workspace, repo.project)]
    data.update({
        "slug": repo.slug, "scm": "git", "is_private": repo.is_private, "fork_policy": repo.fork_policy,
        "description": repo.description, "website": None, "language": "", "size": 0,
        "has_issues": False, "has_wiki": False,
        "mainbranch": {"type": "branch", "name": repo.mainbranch},
        "project": project_json(call, project, full=False),
        "workspace": workspace_ref(call, repo.workspace),
        "owner": user_json(call, repo.owner),
        "created_on": stamp(repo.created), "updated_on": stamp(repo.updated),
    })
    return data


def commit_json(call: BitbucketCall, repo: Repository, sha: str, full: bool = True) -> dict:
    base = api(call, f"repositories/{repo.full_name}/commit/{sha}")
    data = {"type": "commit", "hash": sha,
            "links": {"self": href(base), "html": href(web(call, f"{repo.full_name}/commits/{sha}"))}}
    commit = repo.commits.get(sha)
    if full and commit is not None:
        author = call.product.realm.users.get(commit.author)
        raw = f"{author.display_name} <{author.email}>" if author else "Unknown <unknown@example.com>"
        data.update({"message": commit.message, "date": stamp(commit.date), "repository": repository_ref(call, repo),
                     "author": {"type": "author", "raw": raw, "user": user_json(call, commit.author)},
                     "parents": [commit_json(call, repo, p, full=False) for p in commit.parents],
                     "summary": rendered(commit.message)})
    return data


def branch_ref(name: str) -> str:
    """A branch name in a link: its slashes as they are, as Bitbucket writes them [D] BBC-spec's example
    `…/refs/branches/issue-9.3/AUI-5343-assistive-class`, `…/branch/issue-9.3/AUI-5343-assistive-class`."""
    return quote(name, safe="/")


def branch_json(call: BitbucketCall, repo: Repository, name: str) -> dict:
    ref = branch_ref(name)
    return {"type": "branch", "name": name, "target": commit_json(call, repo, repo.branches[name]),
            "merge_strategies": list(MERGE_STRATEGIES), "default_merge_strategy": "merge_commit",
            "links": {"self": href(api(call, f"repositories/{repo.full_name}/refs/branches/{ref}")),
                      "commits": href(api(call, f"repositories/{repo.full_name}/commits/{ref}")),
                      "html": href(web(call, f"{repo.full_name}/branch/{ref}"))}}


def rendered(raw: str) -> dict:
    return {"type": "rendered", "raw": raw, "markup": "markdown", "html": f"<p>{raw}</p>" if raw else ""}


def pullrequest_json(call: BitbucketCall, repo: Repository, pr: PullRequest) -> dict:
    base = api(call, f"repositories/{repo.full_name}/pullrequests/{pr.id}")

    def end(branch: str, sha: str) -> dict:
        return {"branch": {"name": branch}, "commit": commit_json(call, repo, sha, full=False),
                "repository": repository_ref(call, repo)}

    return {
        "type": "pullrequest", "id": pr.id, "title": pr.title, "description": pr.description, "state": pr.state,
        "source": end(pr.source, pr.source_commit), "destination": end(pr.destination, pr.destination_commit),
        "author": pr.author, "reviewers": [],
        "participants": [{"type": "participant", "user": u, "role": "PARTICIPANT", "approved": True, "state": "approved"}
                         for u in pr.approvals.values()],
        "comment_count": 0, "task_count": 0, "reason": "", "close_source_branch": pr.close_source_branch,
        "merge_commit": {"hash": pr.merge_commit, "type": "commit"} if pr.merge_commit else None,
        "closed_by": pr.closed_by, "summary": rendered(pr.description),
        "rendered": {"title": rendered(pr.title), "description": rendered(pr.description)},
        "created_on": stamp(pr.created), "updated_on": stamp(pr.updated),
        "links": {"self": href(base), "html": href(web(call, f"{repo.full_name}/pull-requests/{pr.id}")),
                  **{name: href(f"{base}/{name}") for name in (
                      "commits", "approve", "request-changes", "diff", "diffstat", "comments", "activity", "merge",
                      "decline", "statuses")}},
    }


# -- helpers -----------------------------------------------------------------------------------

CLAUSE = re.compile(r'\s*([a-z_.]+)\s*(!=|=|!~|~)\s*"((?:[^"\\]|\\.)*)"\s*(?:AND\s+|$)', re.I)


def query(call: BitbucketCall, items: list, fields: dict) -> list:
    """The items that ?q= selects: clauses `field OP "value"` joined by AND (OP: = != ~ !~; ~ is a
    case-insensitive substring), on the fields the resource declares. The real language has more [I]."""
    text = call.request.query_params.get("q")
    if not text:
        return items
    clauses, at = [], 0
    while at < len(text):
        found = CLAUSE.match(text, at)
        if found is None or found.end() == at:
            raise Refusal(errors.bad_request(f"Invalid query: cannot parse from position {at + 1}: {text[at:][:40]!r}"))
        field_name, op, value = found.group(1), found.group(2), found.group(3).replace('\\"', '"')
        if field_name not in fields:
            raise Refusal(errors.bad_request(f"Invalid query: '{field_name}' is not a field this query can use "
                                             f"({', '.join(fields)})"))
        clauses.append((fields[field_name], op, value))
        at = found.end()

    def keep(item) -> bool:
        for get, op, value in clauses:
            actual = str(get(item))
            hit = actual == value if "=" in op else value.lower() in actual.lower()
            if hit == op.startswith("!"):
                return False
        return True

    return [item for item in items if keep(item)]


def page(call: BitbucketCall, items: list, render) -> Response:
    """One page of `items`: ?page= (from 1) and ?pagelen= (1 to 100, default 10), `next` absolute."""
    query = call.request.query_params
    try:
        number = int(query.get("page", "1"))
        size = int(query.get("pagelen", "10"))
    except ValueError:
        raise Refusal(errors.bad_request("Invalid page or pagelen: both must be whole numbers.")) from None
    if number < 1 or not 1 <= size <= 100:
        raise Refusal(errors.bad_request("Invalid page or pagelen: page starts at 1, pagelen is from 1 to 100."))
    start = (number - 1) * size
    body: dict[str, Any] = {"pagelen": size, "size": len(items), "page": number,
                            "values": [render(item) for item in items[start:start + size]]}
    url = str(call.request.url.replace(query=None))
    others = [(k, v) for k, v in query.multi_items() if k != "page"]
    if start + size < len(items):
        body["next"] = f"{url}?{urlencode(others + [('page', number + 1)])}"
    if number > 1:
        body["previous"] = f"{url}?{urlencode(others + [('page', number - 1)])}"
    return errors.json_response(body)


async def body(call: BitbucketCall, required: bool = False) -> dict:
    raw = await call.body()
    if not raw.strip():
        if required:
            raise Refusal(errors.bad_request("Bad request: a JSON body is required."))
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise Refusal(errors.bad_request("Bad request: the body is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise Refusal(errors.bad_request("Bad request: the body must be a JSON object."))
    return data


def text_of(data: dict, key: str, default: str = "") -> str:
    value = data.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise Refusal(errors.bad_request(f"expected a string", key))
    return value


def branch_of(data: dict, key: str) -> str | None:
    part = data.get(key)
    if part is None:
        return None
    name = part.get("branch", {}).get("name") if isinstance(part, dict) and isinstance(part.get("branch"), dict) else None
    if not isinstance(name, str) or not name:
        raise Refusal(errors.bad_request("a branch name is required", key))
    return name


def repository(call: BitbucketCall) -> Repository:
    repo = call.product.content.repositories.get((call.params["workspace"].lower(), call.params["repo_slug"].lower()))
    if repo is None:
        raise Refusal(errors.no_repository())
    return repo


def workspace(call: BitbucketCall) -> str:
    slug = call.params["workspace"].lower()
    if slug not in call.product.content.workspaces:
        raise Refusal(errors.not_found(f"No workspace with identifier '{call.params['workspace']}'."))
    return slug


def pullrequest(call: BitbucketCall, repo: Repository) -> PullRequest:
    try:
        pr = repo.pullrequests.get(int(call.params["pull_request_id"]))
    except ValueError:
        pr = None
    if pr is None:
        raise Refusal(errors.text(404, "Not Found"))  # [R] the merge of an unknown pull request
    return pr


def now(call: BitbucketCall) -> float:
    return call.product.realm.clock.now()


def visible(call: BitbucketCall, repo: Repository) -> bool:
    """An access token sees only the repositories of its resource."""
    credential = call.credential
    kind = credential.access_kind if credential else None
    if kind is None:
        return True
    ws, _, rest = credential.resource.partition("/")
    if kind == "repository":
        return repo.full_name == credential.resource
    if kind == "project":
        return repo.workspace == ws and repo.project == rest
    return repo.workspace == ws


# -- handlers ----------------------------------------------------------------------------------

async def current_user(call: BitbucketCall) -> Response:
    data = user_json(call, call.user.key)
    data.update({"account_status": "active", "has_2fa_enabled": None, "is_staff": False, "location": None,
                 "created_on": stamp(call.user.created)})
    return errors.json_response(data)


async def user_workspaces(call: BitbucketCall) -> Response:
    slugs = sorted(call.product.content.workspaces)

    def render(slug: str) -> dict:
        return {"type": "workspace_access", "administrator": True, "workspace": workspace_ref(call, slug),
                "links": {"self": href(api(call, f"user/workspaces/{slug}/permission"))}}

    return page(call, slugs, render)


async def get_workspace(call: BitbucketCall) -> Response:
    return errors.json_response(workspace_json(call, workspace(call)))


async def list_projects(call: BitbucketCall) -> Response:
    slug = workspace(call)
    projects = [p for (ws, _), p in sorted(call.product.content.projects.items()) if ws == slug]
    return page(call, projects, lambda p: project_json(call, p))


async def get_project(call: BitbucketCall) -> Response:
    slug = workspace(call)
    project = call.product.content.projects.get((slug, call.params["project_key"].upper()))
    if project is None:
        return errors.not_found(f"Project {call.params['project_key']} not found in workspace {slug}.")
    return errors.json_response(project_json(call, project))


async def list_repositories(call: BitbucketCall) -> Response:
    slug = workspace(call)
    repos = [r for (ws, _), r in sorted(call.product.content.repositories.items()) if ws == slug and visible(call, r)]
    repos = query(call, repos, {"name": lambda r: r.name, "slug": lambda r: r.slug, "full_name": lambda r: r.full_name,
                                "project.key": lambda r: r.project, "description": lambda r: r.description})
    return page(call, repos, lambda r: repository_json(call, r))


async def get_repository(call: BitbucketCall) -> Response:
    return errors.json_response(repository_json(call, repository(call)))


async def create_repository(call: BitbucketCall) -> Response:
    content = call.product.content
    ws = workspace(call)
    slug = call.params["repo_slug"]
    data = await body(call)
    if not SLUG.match(slug):
        return errors.bad_request("Invalid slug. Slugs must be lowercase, alphanumerical, and may also contain "
                                  "underscores, dashes, or dots.")
    if (ws, slug) in content.repositories:
        return errors.bad_request("Repository with this Slug and Owner already exists.")
    project_part = data.get("project") or {}
    key = project_part.get("key") if isinstance(project_part, dict) else None
    if key is None:  # the workspace's default project (its first)
        key = next((k for (w, k) in sorted(content.projects) if w == ws), None)
        if key is None:
            return errors.bad_request("This workspace has no project to put the repository in.", "project")
    if not isinstance(key, str) or (ws, key.upper()) not in content.projects:
        return errors.bad_request(f"Project with key {key} not found.", "project")
    scm = data.get("scm", "git")
    if scm != "git":
        return errors.bad_request("Only git repositories are supported.", "scm")
    fork_policy = data.get("fork_policy", "allow_forks")
    if fork_policy not in ("allow_forks", "no_public_forks", "no_forks"):
        return errors.bad_request(f"'{fork_policy}' is not a valid fork policy.", "fork_policy")
    when = now(call)
    repo = Repository(ws, slug, text_of(data, "name", slug) or slug, key.upper(), when, when, call.user.key,
                      description=text_of(data, "description"), is_private=bool(data.get("is_private", True)),
                      fork_policy=fork_policy)
    first = repo.commit("Initial commit", [], call.user.key, when)
    repo.branches[repo.mainbranch] = first.hash
    content.repositories[(ws, slug)] = repo
    url = api(call, f"repositories/{repo.full_name}")
    return errors.json_response(repository_json(call, repo), 200, {"Location": url})


async def delete_repository(call: BitbucketCall) -> Response:
    repo = repository(call)
    del call.product.content.repositories[(repo.workspace, repo.slug)]
    return Response(b"", 204)


async def list_branches(call: BitbucketCall) -> Response:
    repo = repository(call)
    names = query(call, sorted(repo.branches), {"name": lambda name: name})
    return page(call, names, lambda name: branch_json(call, repo, name))


async def get_branch(call: BitbucketCall) -> Response:
    repo = repository(call)
    name = call.params["name"]
    if name not in repo.branches:
        return errors.not_found(f"Branch \"{name}\" does not exist.")  # [I]
    return errors.json_response(branch_json(call, repo, name))


async def delete_branch(call: BitbucketCall) -> Response:
    repo = repository(call)
    name = call.params["name"]
    if name not in repo.branches:
        return errors.not_found(f"Branch \"{name}\" does not exist.")
    if name == repo.mainbranch:
        return errors.bad_request("You can't delete the main branch.")  # [I]
    del repo.branches[name]
    return Response(b"", 204)


async def create_branch(call: BitbucketCall) -> Response:
    repo = repository(call)
    data = await body(call, required=True)
    name = text_of(data, "name")
    target = data.get("target")
    start = target.get("hash") if isinstance(target, dict) else None
    if not name or len(name) > 255 or not valid_branch(name):  # at most 255 [I]
        return errors.bad_request("Branch name is invalid.", "name")
    if name in repo.branches:
        return errors.bad_request(f"BRANCH_ALREADY_EXISTS: Branch \"{name}\" already exists")
    if not isinstance(start, str) or not start:
        return errors.bad_request("target.hash is required", "target")
    sha = repo.branches.get(start) or next((h for h in repo.commits if h.startswith(start) and len(start) >= 7), None)
    if sha is None:
        return errors.bad_request(f"Commit not found: {start}", "target")
    repo.branches[name] = sha
    return errors.json_response(branch_json(call, repo, name), 201,
                                {"Location": api(call, f"repositories/{repo.full_name}/refs/branches/{branch_ref(name)}")})


async def list_commits(call: BitbucketCall) -> Response:
    repo = repository(call)
    revision = call.params.get("revision") or call.request.query_params.get("include")
    if revision:
        head = repo.branches.get(revision) or (revision if revision in repo.commits else None)
        if head is None:
            return errors.not_found(f"Commit not found: {revision}")
        commits = repo.history(head)
    else:
        seen: dict[str, object] = {}
        for head in repo.branches.values():
            for commit in repo.history(head):
                seen[commit.hash] = commit
        commits = sorted(seen.values(), key=lambda c: -c.date)
    return page(call, commits, lambda c: commit_json(call, repo, c.hash))


async def list_pullrequests(call: BitbucketCall) -> Response:
    repo = repository(call)
    states = {s.upper() for s in call.query_list("state")} or {"OPEN"}
    prs = [pr for _, pr in sorted(repo.pullrequests.items()) if pr.state in states]
    prs = query(call, prs, {"id": lambda pr: pr.id, "title": lambda pr: pr.title, "state": lambda pr: pr.state,
                            "source.branch.name": lambda pr: pr.source,
                            "destination.branch.name": lambda pr: pr.destination})
    return page(call, prs, lambda pr: pullrequest_json(call, repo, pr))


async def get_pullrequest(call: BitbucketCall) -> Response:
    repo = repository(call)
    return errors.json_response(pullrequest_json(call, repo, pullrequest(call, repo)))


async def create_pullrequest(call: BitbucketCall) -> Response:
    """Posting the same source and destination again answers 201 with the same, updated pull request [R]."""
    content = call.product.content
    repo = repository(call)
    data = await body(call, required=True)
    title = text_of(data, "title")
    if not title.strip():
        return errors.bad_request("This field is required.", "title")
    source = branch_of(data, "source")
    if source is None:
        return errors.bad_request("This field is required.", "source")
    destination = branch_of(data, "destination") or repo.mainbranch
    if source not in repo.branches:
        return errors.bad_request(f"branch not found: {source}", "source")
    if destination not in repo.branches:
        return errors.bad_request(f"branch not found: {destination}", "destination")
    if source == destination:
        return errors.bad_request("You can't merge a branch into itself.", "source")  # [I]
    when = now(call)
    pr = next((p for p in repo.pullrequests.values()
               if p.state == "OPEN" and p.source == source and p.destination == destination), None)
    if pr is None:
        pr = PullRequest(content.next_pr, title, text_of(data, "description"), source, destination, actor_json(call),
                         when, when)
        content.next_pr += 1
        repo.pullrequests[pr.id] = pr
    else:
        pr.title, pr.description, pr.updated = title, text_of(data, "description", pr.description), when
    pr.close_source_branch = bool(data.get("close_source_branch", pr.close_source_branch))
    pr.source_commit, pr.destination_commit = repo.branches[source][:12], repo.branches[destination][:12]
    url = api(call, f"repositories/{repo.full_name}/pullrequests/{pr.id}")
    return errors.json_response(pullrequest_json(call, repo, pr), 201, {"Location": url})


def _still_open(pr: PullRequest) -> None:
    if pr.state != "OPEN":
        raise Refusal(errors.bad_request("This pull request is already closed.", "newstatus"))


async def merge_pullrequest(call: BitbucketCall) -> Response:
    repo = repository(call)
    pr = pullrequest(call, repo)
    data = await body(call)
    _still_open(pr)
    strategy = data.get("merge_strategy") or "merge_commit"
    if strategy not in MERGE_STRATEGIES:
        return errors.bad_request(f"'{strategy}' is not a valid merge strategy; use one of: "
                                  f"{', '.join(MERGE_STRATEGIES)}.", "merge_strategy")
    source_head, target_head = repo.branches.get(pr.source), repo.branches.get(pr.destination)
    if source_head is None or target_head is None:
        return errors.bad_request("The source or destination branch no longer exists.", "newstatus")
    when = now(call)
    message = text_of(data, "message") or f"Merged in {pr.source} (pull request #{pr.id})\n\n{pr.title}"
    if strategy == "fast_forward":
        if target_head not in {c.hash for c in repo.history(source_head)}:
            return errors.bad_request("Fast-forward merge is not possible: the branches have diverged.", "merge_strategy")
        merged = source_head
    else:
        parents = [target_head, source_head] if strategy == "merge_commit" else [target_head]
        merged = repo.commit(message, parents, call.user.key, when).hash
    repo.branches[pr.destination] = merged
    close = data.get("close_source_branch", pr.close_source_branch)
    if close and pr.source != repo.mainbranch:
        repo.branches.pop(pr.source, None)
    pr.state, pr.merge_commit, pr.closed_by, pr.updated = "MERGED", merged, actor_json(call), when
    repo.updated = when
    return errors.json_response(pullrequest_json(call, repo, pr))


async def decline_pullrequest(call: BitbucketCall) -> Response:
    repo = repository(call)
    pr = pullrequest(call, repo)
    _still_open(pr)
    pr.state, pr.closed_by, pr.updated = "DECLINED", actor_json(call), now(call)
    return errors.json_response(pullrequest_json(call, repo, pr))


async def approve_pullrequest(call: BitbucketCall) -> Response:
    repo = repository(call)
    pr = pullrequest(call, repo)
    actor = actor_json(call)
    if call.request.method == "DELETE":
        pr.approvals.pop(actor["uuid"], None)
        return Response(b"", 204)
    _still_open(pr)  # [I] approving a closed pull request
    pr.approvals[actor["uuid"]] = actor
    return errors.json_response({"type": "participant", "user": actor, "role": "PARTICIPANT", "approved": True,
                                 "state": "approved", "participated_on": stamp(now(call))})
