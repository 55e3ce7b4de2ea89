"""Bitbucket DC's endpoints: application properties, projects, repositories, branches, commits,
pull requests, users, HTTP access tokens, the form login and a few pages, each declared with what
it needs (routes at the end)."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from starlette.responses import Response

from atlctl.sandbox.bitbucket import errors, model, render
from atlctl.sandbox.bitbucket.product import (PROJECT_TOKEN, REPO_TOKEN, TOKEN_VERSION, USER_TOKEN, BitbucketCall,
                                              BitbucketEndpoint)
from atlctl.sandbox.git import valid_branch
from atlctl.sandbox.product import Refusal
from atlctl.sandbox.realm import AccessToken
from atlctl.sandbox.responses import empty_response, html_response, json_response, redirect
from atlctl.sandbox.router import Router

Handler = Callable[[BitbucketCall], Awaitable[Response]]
DAY = 86400


# ---- helpers -----------------------------------------------------------------------------------

async def _json(call: BitbucketCall, required: bool = True) -> dict[str, Any]:
    raw = await call.body()
    if not raw.strip():
        if required:
            raise Refusal(errors.error(400, "A JSON body is required.", "rest.exception.BadRequestException"))
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise Refusal(errors.error(400, "The request body could not be parsed as JSON.",
                                   "rest.exception.BadRequestException")) from None
    if not isinstance(data, dict):
        raise Refusal(errors.error(400, "The request body must be a JSON object.", "rest.exception.BadRequestException"))
    return data


def _int(call: BitbucketCall, name: str, default: int, low: int = 0, high: int = 1 << 31) -> int:
    value = call.request.query_params.get(name)
    if value is None or value == "":
        return default
    try:
        return min(max(int(value), low), high)
    except ValueError:
        raise Refusal(errors.error(400, f"The value '{value}' is not valid for the '{name}' parameter.",
                                   "rest.exception.BadRequestException")) from None


def _page(call: BitbucketCall, values: list) -> Response:
    return json_response(render.page(values, _int(call, "start", 0), _int(call, "limit", 25, 1, 1000)))


def _validation(field: str, message: str) -> Response:
    return errors.error(400, message, "validation.ArgumentValidationException", context=field)  # type: ignore[arg-type]


def _invalid_ref(name: str, message: str) -> Response:
    return errors.error(400, message, "repository.InvalidRefNameException", refName=name)


def _repo(call: BitbucketCall) -> dict:
    return call.data.repos[call.params["key"], call.params["slug"]]


def _now(call: BitbucketCall) -> float:
    return call.product.realm.clock.now()


# ---- server ------------------------------------------------------------------------------------

async def rest_root(call: BitbucketCall) -> Response:
    return empty_response(200)  # stashy's constructor sends HEAD /rest (products.md §7.3)


async def application_properties(call: BitbucketCall) -> Response:
    v = call.product.settings.version_tuple
    return json_response({"version": call.product.settings.version, "buildNumber": f"{v[0]}{v[1]:03d}{v[2]:03d}",
                          "buildDate": "1729000000000", "displayName": "Bitbucket"})


async def list_users(call: BitbucketCall) -> Response:
    text = (call.request.query_params.get("filter") or "").lower()
    users = [u for u in call.product.realm.users.values()
             if not text or text in u.name.lower() or text in u.display_name.lower() or text in u.email.lower()]
    return _page(call, [render.user(call.base, u) for u in sorted(users, key=lambda u: u.name)])


async def get_user(call: BitbucketCall) -> Response:
    user = call.product.realm.find_user(call.params["user"])
    if user is None:
        return errors.not_found(f"User {call.params['user']} does not exist.", "user.NoSuchUserException")
    return json_response(render.user(call.base, user))


# ---- projects ----------------------------------------------------------------------------------

async def list_projects(call: BitbucketCall) -> Response:
    name = (call.request.query_params.get("name") or "").lower()
    visible = [p for p in call.data.projects.values() if call.may("PROJECT_READ", p["key"]) or
               any(call.may("REPO_READ", k, s) for k, s in call.data.repos if k == p["key"])]
    if name:
        visible = [p for p in visible if name in p["name"].lower()]
    return _page(call, [render.project(call.base, p) for p in sorted(visible, key=lambda p: p["key"])])


async def create_project(call: BitbucketCall) -> Response:
    if call.person is None or not call.product.realm.is_admin(call.person) or (
            call.token is not None and model.grants(call.token.scopes)[0] < 3):
        return errors.not_permitted()
    body = await _json(call)
    key, name = body.get("key"), body.get("name")
    if not isinstance(key, str) or not key.strip():
        return _validation("key", "Project key is required.")
    if not key.replace("_", "").isalnum() or not key[0].isalpha() or len(key) > 128:
        return _validation("key", "Project keys must start with a letter and may only consist of ASCII letters, "
                                  "numbers and underscores (A-Z, a-z, 0-9, _).")
    if not isinstance(name, str) or not name.strip():
        return _validation("name", "Project name is required.")
    key = key.upper()
    if key in call.data.projects:
        return errors.error(409, f"Project key {key} is already in use.", "project.DuplicateProjectKeyException")
    if any(p["name"].lower() == name.lower() for p in call.data.projects.values()):
        return errors.error(409, f"Project name {name} is already in use.", "project.DuplicateProjectNameException")
    project = call.data.add_project(key, name, body.get("description"), call.person, _now(call))
    return json_response(render.project(call.base, project), 201, {"Location": f"{call.base}/projects/{key}"})


async def get_project(call: BitbucketCall) -> Response:
    return json_response(render.project(call.base, call.data.projects[call.params["key"]]))


async def delete_project(call: BitbucketCall) -> Response:
    key = call.params["key"]
    if any(k == key for k, _ in call.data.repos):
        return errors.error(409, f"The project \"{key}\" cannot be deleted because it has repositories.",
                            "IntegrityException")
    call.data.remove_project(key)
    return empty_response(204)


# ---- repositories ------------------------------------------------------------------------------

async def list_repos(call: BitbucketCall) -> Response:
    key = call.params["key"]
    repos = [r for (k, s), r in call.data.repos.items() if k == key and call.may("REPO_READ", k, s)]
    return _page(call, [render.repo(call.base, call.data, r) for r in sorted(repos, key=lambda r: r["slug"])])


async def create_repo(call: BitbucketCall) -> Response:
    body = await _json(call)
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        return _validation("name", "Repository name is required.")
    scm = body.get("scmId", "git")
    if scm != "git":
        return _validation("scmId", f"'{scm}' is not a supported SCM.")
    key = call.params["key"]
    if (key, model.slugify(name)) in call.data.repos or any(
            r["name"].lower() == name.lower() for (k, _), r in call.data.repos.items() if k == key):
        return errors.error(409, "This repository name is already taken.", "repository.DuplicateRepositoryNameException")
    author = call.person or call.product.realm.users["1"]
    repo = call.data.add_repo(key, name, author, _now(call), forkable=body.get("forkable", True) is not False)
    location = f"{call.base}/projects/{key}/repos/{repo['slug']}"
    return json_response(render.repo(call.base, call.data, repo), 201, {"Location": location})


async def get_repo(call: BitbucketCall) -> Response:
    return json_response(render.repo(call.base, call.data, _repo(call)))


async def delete_repo(call: BitbucketCall) -> Response:
    call.data.remove_repo(_repo(call))
    return empty_response(202)  # "scheduled for deletion"


# ---- branches and commits ----------------------------------------------------------------------

async def list_branches(call: BitbucketCall) -> Response:
    repo = _repo(call)
    text = (call.request.query_params.get("filterText") or "").lower()
    names = [n for n in repo["branches"] if text in n.lower()]
    if (call.request.query_params.get("orderBy") or "").upper() == "ALPHABETICAL":
        names.sort()
    else:  # MODIFICATION, the default: newest tip first
        names.sort(key=lambda n: -repo["commits"][repo["branches"][n]]["timestamp"])
    return _page(call, [render.branch(repo, n) for n in names])


async def create_branch(call: BitbucketCall) -> Response:
    repo = _repo(call)
    body = await _json(call)
    name, start = body.get("name"), body.get("startPoint")
    if not isinstance(name, str) or not name.strip():
        return _validation("name", "A branch name is required.")
    name = name.removeprefix("refs/heads/")
    if len("refs/heads/" + name) > 100:  # verbatim, as dependabot-core#1450 records it
        return _invalid_ref(name, "The ref name, once fully qualified, is limited to 100 characters.")
    if not valid_branch(name):
        return _invalid_ref(name, f"'{name}' is an invalid branch name. Branch names must be valid git refs: see "
                                  "git check-ref-format for the rules.")  # [I] the wording was not captured
    if name in repo["branches"]:
        return errors.error(409, f"Branch '{name}' already exists in repository '{repo['slug']}'.",
                            "repository.DuplicateRefException")
    commit = _resolve(repo, start)
    if commit is None:
        return errors.not_found(f"Object '{start}' does not exist in repository '{repo['slug']}'.",
                                "commit.NoSuchCommitException")
    repo["branches"][name] = commit
    call.data.save_repo(repo)
    return json_response(render.branch(repo, name))


def _resolve(repo: dict, start: Any) -> str | None:
    if not isinstance(start, str) or not start:
        return None
    name = start.removeprefix("refs/heads/")
    if name in repo["branches"]:
        return repo["branches"][name]
    matches = [c for c in repo["commits"] if c.startswith(start.lower())] if len(start) >= 4 else []
    return matches[0] if len(matches) == 1 else None


async def default_branch(call: BitbucketCall) -> Response:
    repo = _repo(call)
    return json_response(render.branch(repo, repo["default"]))


async def set_default_branch(call: BitbucketCall) -> Response:
    repo = _repo(call)
    body = await _json(call)
    name = str(body.get("id", "")).removeprefix("refs/heads/")
    if name not in repo["branches"]:
        return errors.not_found(f"Ref '{body.get('id')}' does not exist in this repository.",
                                "repository.NoSuchBranchException")
    repo["default"] = name
    call.data.save_repo(repo)
    return empty_response(204)


async def list_commits(call: BitbucketCall) -> Response:
    repo = _repo(call)
    until = call.request.query_params.get("until") or repo["default"]
    tip = _resolve(repo, until)
    if tip is None:
        return errors.not_found(f"Commit '{until}' does not exist in repository '{repo['slug']}'.",
                                "commit.NoSuchCommitException")
    return _page(call, [render.commit(call.base, call.data, c) for c in call.data.history(repo, tip)])


# ---- pull requests -----------------------------------------------------------------------------

def _pull(call: BitbucketCall) -> dict:
    key, slug, ident = call.params["key"], call.params["slug"], call.params["id"]
    found = call.data.pulls.get((key, slug, int(ident))) if ident.isdecimal() else None
    if found is None:
        raise Refusal(errors.not_found(f"Pull request {ident} does not exist in {key}/{slug}.",
                                       "pull.NoSuchPullRequestException"))
    return found


async def list_pulls(call: BitbucketCall) -> Response:
    key, slug = call.params["key"], call.params["slug"]
    state = (call.request.query_params.get("state") or "OPEN").upper()
    if state not in ("OPEN", "DECLINED", "MERGED", "ALL"):
        return errors.error(400, f"'{state}' is not a valid pull request state.", "rest.exception.BadRequestException")
    pulls = [p for (k, s, _), p in call.data.pulls.items() if (k, s) == (key, slug) and state in ("ALL", p["state"])]
    at = call.request.query_params.get("at")
    if at:
        side = "from" if (call.request.query_params.get("direction") or "INCOMING").upper() == "OUTGOING" else "to"
        pulls = [p for p in pulls if p[side] == at.removeprefix("refs/heads/")]
    oldest = (call.request.query_params.get("order") or "NEWEST").upper() == "OLDEST"
    pulls.sort(key=lambda p: p["id"], reverse=not oldest)
    return _page(call, [render.pull(call.base, call.data, p) for p in pulls])


def _branch_of(ref: Any) -> str | None:
    if isinstance(ref, dict) and isinstance(ref.get("id"), str):
        return ref["id"].removeprefix("refs/heads/")
    return None


async def create_pull(call: BitbucketCall) -> Response:
    if call.person is None:
        return errors.not_permitted()
    repo = _repo(call)
    body = await _json(call)
    title = body.get("title")
    if not isinstance(title, str) or not title.strip():
        return _validation("title", "A title is required.")
    source, target = _branch_of(body.get("fromRef")), _branch_of(body.get("toRef"))
    for side, name in (("fromRef", source), ("toRef", target)):
        if name is None or name not in repo["branches"]:
            return errors.not_found(f"Repository \"{repo['slug']}\" of project \"{repo['project']}\" has no branch "
                                    f"\"{name}\".", "repository.NoSuchBranchException")
    if source == target:
        return errors.error(409, "The source and target refs must be different.",
                            "pull.InvalidPullRequestTargetException")
    for existing in call.data.pulls.values():
        if ((existing["project"], existing["slug"], existing["from"], existing["to"], existing["state"])
                == (repo["project"], repo["slug"], source, target, "OPEN")):
            return errors.error(409, "Only one pull request may be open for a given source and target branch",
                                "pull.DuplicatePullRequestException",
                                existingPullRequest=render.pull(call.base, call.data, existing))
    reviewers = []
    for item in body.get("reviewers") or []:
        name = (item.get("user") or {}).get("name") if isinstance(item, dict) else None
        user = call.product.realm.find_user(name) if isinstance(name, str) else None
        if user is None:
            return errors.error(400, f"Reviewer '{name}' is not a user.", "pull.InvalidPullRequestReviewersException")
        reviewers.append(user.key)
    if source not in repo["branches"] or not _ahead(call, repo, source, target):
        return errors.error(409, f"Pull request cannot be created because the source branch \"{source}\" has no "
                                 f"commits that are not on \"{target}\".", "pull.EmptyPullRequestException")
    pull = call.data.add_pull(repo, title, body.get("description"), source, target, call.person, reviewers, _now(call))
    location = f"{call.base}/projects/{repo['project']}/repos/{repo['slug']}/pull-requests/{pull['id']}"
    return json_response(render.pull(call.base, call.data, pull), 201, {"Location": location})


def _ahead(call: BitbucketCall, repo: dict, source: str, target: str) -> bool:
    on_target = {c["id"] for c in call.data.history(repo, repo["branches"][target])}
    return repo["branches"][source] not in on_target


async def get_pull(call: BitbucketCall) -> Response:
    return json_response(render.pull(call.base, call.data, _pull(call)))


async def _version(call: BitbucketCall, pull: dict) -> Response | None:
    """The expected version, from the query or the body (stashy sends {"version": -1}); absent or -1
    checks nothing [I]. A stale one is the 409 PullRequestOutOfDateException."""
    raw: Any = call.request.query_params.get("version")
    if raw is None:
        body = await _json(call, required=False)
        raw = body.get("version")
    if raw is None or str(raw) == "-1":
        return None
    try:
        expected = int(raw)
    except (TypeError, ValueError):
        return errors.error(400, f"The value '{raw}' is not valid for the 'version' parameter.",
                            "rest.exception.BadRequestException")
    if expected != pull["version"]:
        return errors.error(409, "You are attempting to modify a pull request based on out-of-date information.",
                            "pull.PullRequestOutOfDateException", currentVersion=pull["version"],
                            expectedVersion=expected, pullRequest=render.pull(call.base, call.data, pull))
    return None


async def _actionable(call: BitbucketCall, state: str, verb: str) -> dict:
    """The pull request, at the expected version and in `state`; else Refusal with the 409."""
    pull = _pull(call)
    refused = await _version(call, pull)
    if refused is not None:
        raise Refusal(refused)
    if pull["state"] != state:
        raise Refusal(errors.error(409, f"The pull request is {pull['state'].lower()} and cannot be {verb}.",
                                   "pull.IllegalPullRequestStateException"))
    return pull


async def can_merge(call: BitbucketCall) -> Response:
    pull = _pull(call)
    vetoes = [] if pull["state"] == "OPEN" else [{"summaryMessage": "The pull request is not open.",
                                                  "detailedMessage": "Only open pull requests can be merged."}]
    return json_response({"canMerge": not vetoes, "conflicted": False, "outcome": "CLEAN", "vetoes": vetoes})


async def merge_pull(call: BitbucketCall) -> Response:
    pull = await _actionable(call, "OPEN", "merged")
    if call.person is None:  # a merge writes a commit, which needs a person (server-behaviour.md §3.2)
        return errors.error(401, "Project and repository access tokens cannot merge pull requests: merging creates a "
                                 "commit, which needs a user.", "AuthorisationException")  # [I] wording
    repo = call.data.repos[pull["project"], pull["slug"]]
    now = _now(call)
    message = f"Merge pull request #{pull['id']} in {pull['project']}/{pull['slug']} from {pull['from']} to {pull['to']}"
    merged = call.data.add_commit(repo, pull["to"], message, call.person, now, repo["branches"][pull["from"]])
    return _close(call, pull, "MERGED", now, merged["id"])


def _close(call: BitbucketCall, pull: dict, state: str, now: float, merge_commit: str | None = None) -> Response:
    pull.update(state=state, version=pull["version"] + 1, updated=int(now * 1000),
                closed=int(now * 1000) if state != "OPEN" else None, merge_commit=merge_commit)
    call.data.save_pull(pull)
    return json_response(render.pull(call.base, call.data, pull))


async def decline_pull(call: BitbucketCall) -> Response:
    return _close(call, await _actionable(call, "OPEN", "declined"), "DECLINED", _now(call))


async def reopen_pull(call: BitbucketCall) -> Response:
    return _close(call, await _actionable(call, "DECLINED", "reopened"), "OPEN", _now(call))


# ---- HTTP access tokens (§3.2) -----------------------------------------------------------------

def _token_target(call: BitbucketCall) -> tuple[str, str]:
    """(type, resource) of the token path; Refusal when the caller may not manage those tokens."""
    params, user = call.params, call.person
    if "user" in params:
        owner = call.product.realm.find_user(params["user"])
        if owner is None:
            raise Refusal(errors.not_found(f"User {params['user']} does not exist.", "user.NoSuchUserException"))
        if owner.key != user.key and not call.product.realm.is_admin(user):
            raise Refusal(errors.not_permitted())
        return USER_TOKEN, owner.key
    key, slug = params["key"], params.get("slug")
    if key not in call.data.projects:
        raise Refusal(errors.not_found(f"Project {key} does not exist.", "project.NoSuchProjectException"))
    if slug is not None and (key, slug) not in call.data.repos:
        raise Refusal(errors.not_found(f"Repository {key}/{slug} does not exist.", "repository.NoSuchRepositoryException"))
    needed = "REPO_ADMIN" if slug else "PROJECT_ADMIN"
    if not call.may(needed, key, slug):
        raise Refusal(errors.not_permitted())
    return (REPO_TOKEN, f"{key}/{slug}") if slug else (PROJECT_TOKEN, key)


def _tokens_of(call: BitbucketCall, kind: str, resource: str) -> list[AccessToken]:
    found = [t for t in call.product.realm.tokens.values() if t.type == kind and
             (t.user_key == resource if kind == USER_TOKEN else t.resource == resource)]
    return sorted(found, key=lambda t: t.id)


def _token_json(call: BitbucketCall, token: AccessToken) -> dict[str, Any]:
    out: dict[str, Any] = {"id": str(token.id), "createdDate": int(token.created * 1000), "name": token.name,
                           "permissions": list(token.scopes)}
    if token.expires is not None:
        out["expiryDays"] = round((token.expires - token.created) / DAY)
        out["expiryDate"] = int(token.expires * 1000)
    if token.last_used is not None:
        out["lastAuthenticated"] = int(token.last_used * 1000)
    if token.user_key is not None:
        out["user"] = render.user(call.base, call.product.realm.users.get(token.user_key))
    return out


async def create_token(call: BitbucketCall) -> Response:
    kind, resource = _token_target(call)
    body = await _json(call)
    name, permissions, days = body.get("name"), body.get("permissions"), body.get("expiryDays")
    if not isinstance(name, str) or not name.strip():
        return _validation("name", "A token name is required.")
    if not isinstance(permissions, list) or not permissions:
        return _validation("permissions", "At least one permission is required.")
    unknown = [p for p in permissions if p not in model.PERMISSIONS]
    if unknown:
        return _validation("permissions", f"'{unknown[0]}' is not a valid permission. Valid permissions are: "
                                          f"{', '.join(model.PERMISSIONS)}.")
    if kind == REPO_TOKEN and any(p.startswith("PROJECT_") for p in permissions):
        return _validation("permissions", "Repository access tokens can only have repository permissions.")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 3650):
        return _validation("expiryDays", "expiryDays must be a whole number of days from 1 to 3650.")
    if len(_tokens_of(call, kind, resource)) >= call.product.settings.max_tokens:
        return _validation("name", "The maximum number of tokens has been reached.")
    raw = _raw_token(kind)
    realm = call.product.realm
    owner = realm.users[resource] if kind == USER_TOKEN else None
    token = realm.add_token(owner, raw, name=name, type=kind, scopes=list(dict.fromkeys(permissions)),
                            expires_in=days * DAY if days else None, resource="" if owner else resource)
    return json_response({**_token_json(call, token), "token": raw})


def _raw_token(kind: str) -> str:
    """Opaque base64 for user tokens; project and repository tokens start with BBDC- (§3.2)."""
    ident = "".join(secrets.choice("0123456789") for _ in range(12))
    raw = base64.b64encode(f"{ident}:".encode() + secrets.token_bytes(20)).decode().rstrip("=")
    return raw if kind == USER_TOKEN else "BBDC-" + raw


async def list_tokens(call: BitbucketCall) -> Response:
    kind, resource = _token_target(call)
    return _page(call, [_token_json(call, t) for t in _tokens_of(call, kind, resource)])


async def delete_token(call: BitbucketCall) -> Response:
    kind, resource = _token_target(call)
    ident = call.params["id"]
    token = next((t for t in _tokens_of(call, kind, resource) if str(t.id) == ident), None)
    if token is None:
        return errors.not_found(f"No access token with id {ident} exists.", "auth.NoSuchAccessTokenException")
    call.product.realm.revoke_token(token)
    return empty_response(204)


# ---- the form login and pages ------------------------------------------------------------------

async def form_login(call: BitbucketCall) -> Response:
    """j_atl_security_check: the right password also answers a CAPTCHA (nobody shows the image here)."""
    form = await call.form()
    login, password = str(form.get("j_username") or ""), str(form.get("j_password") or "")
    target = str(form.get("next") or "/dashboard")
    if not target.startswith("/") or target.startswith("//"):
        target = "/dashboard"
    realm = call.product.realm
    user = realm.find_user(login)
    if await realm.login(user, password, call.product.stats, captcha=False):
        call.start_session(user)
        call.user = user
        call.product.stats.logins += 1
        return redirect(call.base + target)
    return redirect(f"{call.base}/login?error=true&next={quote(target, safe='/')}")


async def logout_page(call: BitbucketCall) -> Response:
    if call.session is not None:
        call.product.realm.drop_session(call.session.id)
        call.session, call.user = None, None
    gone = {"Set-Cookie": f"BITBUCKETSESSIONID=; Path={call.product.prefix}; Max-Age=0"}
    if call.request.method == "DELETE":  # a script's logout [I]: no page to go back to
        return empty_response(204, gone)
    return redirect(call.base + "/login?logout=true", gone)


def _page_html(call: BitbucketCall, title: str, body: str) -> Response:
    version = call.product.settings.version
    return html_response(f'<!DOCTYPE html><html><head><meta name="application-name" content="Bitbucket" '
                         f'data-version="{version}"><title>{title} - Bitbucket</title></head><body>{body}</body></html>')


async def login_page(call: BitbucketCall) -> Response:
    return _page_html(call, "Log in", '<form method="post" action="j_atl_security_check"><input name="j_username">'
                                      '<input type="password" name="j_password"><input name="next"></form>')


def _web(handler: Handler) -> Handler:
    async def page(call: BitbucketCall) -> Response:
        if call.user is None:
            return redirect(f"{call.base}/login?next={quote(call.request.url.path[len(call.product.prefix):])}")
        return await handler(call)

    return page


async def dashboard(call: BitbucketCall) -> Response:
    return _page_html(call, "Dashboard", f"<h1>Your work</h1><p>Logged in as {call.user.display_name}</p>")


async def profile(call: BitbucketCall) -> Response:
    user = call.user
    return _page_html(call, user.display_name, f"<h1>{user.display_name}</h1><p>{user.name} ({user.email})</p>")


# ---- routes ------------------------------------------------------------------------------------

def build() -> Router[BitbucketEndpoint]:
    router: Router[BitbucketEndpoint] = Router()

    def add(methods: str, path: str, handler: Handler, **needs: Any) -> None:
        for method in methods.split():
            router.add(method, path, BitbucketEndpoint(method, path, handler, **needs))

    def api(methods: str, path: str, handler: Handler, **needs: Any) -> None:
        for version in ("1.0", "latest"):
            add(methods, f"/rest/api/{version}{path}", handler, **needs)

    user = {"anonymous": False}
    project, repo = "/projects/{key}", "/projects/{key}/repos/{slug}"
    add("GET", "/rest", rest_root)
    api("GET", "/application-properties", application_properties)
    api("GET", "/users", list_users, **user)
    api("GET", "/users/{user}", get_user, **user)
    api("GET", "/projects", list_projects, **user)
    api("POST", "/projects", create_project, **user)
    api("GET", project, get_project, permission="PROJECT_READ", **user)
    api("DELETE", project, delete_project, permission="PROJECT_ADMIN", **user)
    api("GET", project + "/repos", list_repos, permission="REPO_READ", **user)
    api("POST", project + "/repos", create_repo, permission="PROJECT_ADMIN", **user)
    api("GET", repo, get_repo, permission="REPO_READ", **user)
    api("DELETE", repo, delete_repo, permission="REPO_ADMIN", **user)
    api("GET", repo + "/branches", list_branches, permission="REPO_READ", **user)
    api("POST", repo + "/branches", create_branch, permission="REPO_WRITE", **user)
    add("POST", "/rest/branch-utils/1.0" + repo + "/branches", create_branch, permission="REPO_WRITE", **user)
    api("GET", repo + "/branches/default", default_branch, permission="REPO_READ", **user)
    api("PUT", repo + "/branches/default", set_default_branch, permission="REPO_ADMIN", **user)
    api("GET", repo + "/commits", list_commits, permission="REPO_READ", **user)
    api("GET", repo + "/pull-requests", list_pulls, permission="REPO_READ", **user)
    api("POST", repo + "/pull-requests", create_pull, permission="REPO_READ", **user)
    api("GET", repo + "/pull-requests/{id}", get_pull, permission="REPO_READ", **user)
    api("GET", repo + "/pull-requests/{id}/merge", can_merge, permission="REPO_READ", **user)
    api("POST", repo + "/pull-requests/{id}/merge", merge_pull, permission="REPO_WRITE", **user)
    api("POST", repo + "/pull-requests/{id}/decline", decline_pull, permission="REPO_READ", **user)
    api("POST", repo + "/pull-requests/{id}/reopen", reopen_pull, permission="REPO_READ", **user)
    tokens = {"anonymous": False, "tokens": False, "min_version": TOKEN_VERSION}
    for path in ("/users/{user}", project, repo):
        add("PUT", "/rest/access-tokens/1.0" + path, create_token, **tokens)
        add("GET", "/rest/access-tokens/1.0" + path, list_tokens, **tokens)
        add("DELETE", "/rest/access-tokens/1.0" + path + "/{id}", delete_token, **tokens)
    add("POST", "/j_atl_security_check", form_login, kind="web", xsrf=False)
    add("GET", "/login", login_page, kind="web")
    add("GET POST DELETE", "/j_atl_security_logout", logout_page, kind="web")
    add("GET", "/dashboard", _web(dashboard), kind="web")
    add("GET", "/profile", _web(profile), kind="web")
    return router
