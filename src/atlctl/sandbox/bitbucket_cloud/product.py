"""Bitbucket Cloud under /bitbucket-cloud, standing for https://api.bitbucket.org (REST at /2.0).

Its accounts are the shared Atlassian Cloud realm's (admin@example.com is one account across
Atlassian Cloud); what only Bitbucket knows, the user name and the content, lives here. Every
endpoint declares the scope it needs in both vocabularies (scopes.py); access tokens are also held
to the repository, project or workspace they are bound to."""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import Response

from atlctl.sandbox.bitbucket_cloud import errors, resources as r
from atlctl.sandbox.bitbucket_cloud.auth import (ACCESS, API_TOKEN, APP_PASSWORD, CREDENTIAL_TYPE, BitbucketCall,
                                                 authenticate)
from atlctl.sandbox.bitbucket_cloud.model import Account, Content, Project, PullRequest, Repository, Workspace
from atlctl.sandbox.bitbucket_cloud.scopes import KNOWN, LEGACY, closure
from atlctl.sandbox.product import ControlHandler, Endpoint, Environment, Product
from atlctl.sandbox.ratelimit import RateLimiter, Take
from atlctl.sandbox.realm import SeedToken, SeedUser, Stats
from atlctl.sandbox.router import Router
from atlctl.sandbox.settings import Settings

ADMIN_KEY = "5f8e3c2a1b0d4e0069a1b2c3"  # the Atlassian Cloud account admin@example.com (shared realm)
APP_PASSWORD_SCOPES = ("account", "project", "repository:admin", "repository:write", "pullrequest:write")
API_TOKEN_SCOPES = ("read:user:bitbucket", "read:workspace:bitbucket", "read:repository:bitbucket",
                    "write:repository:bitbucket", "admin:repository:bitbucket", "read:project:bitbucket",
                    "read:pullrequest:bitbucket", "write:pullrequest:bitbucket")
# (raw, realm token type, scopes, resource)
SEEDED_TOKENS = (
    ("sandbox-token-admin", API_TOKEN, (), ""),  # classic, unscoped (Jira Cloud's): refused here
    ("sandbox-app-password", APP_PASSWORD, APP_PASSWORD_SCOPES, ""),
    ("sandbox-bb-token-admin", API_TOKEN, API_TOKEN_SCOPES, ""),
    ("sandbox-repo-token", ACCESS["repository"], ("repository", "pullrequest:write"), "demo/demo-repo"),
    ("sandbox-workspace-token", ACCESS["workspace"], ("repository", "project"), "demo"),
)
# The shared Atlassian Cloud account (as Jira Cloud seeds it); its tokens are listed for the index
# page, and reset() gives the access tokens their resources.
ADMIN = SeedUser(ADMIN_KEY, "admin@example.com", "Sandbox Admin", "admin@example.com", "admin",
                 tokens=tuple(SeedToken(raw, type_, scopes) for raw, type_, scopes, _ in SEEDED_TOKENS))
USERNAME = "sandbox-admin"
PREFIXES = {APP_PASSWORD: "ATBB", API_TOKEN: "ATATT3x", **{t: "ATCTT3x" for t in ACCESS.values()}}


@dataclass(frozen=True)
class BitbucketEndpoint(Endpoint):
    scope: str = ""  # what app passwords, access tokens and OAuth need (legacy names)
    api_scope: str = ""  # what a scoped API token needs
    access_tokens: bool = True  # False: user-level resources, which access tokens cannot call
    level: str = "repository"  # the resource an access token must be bound to or above: workspace | repository
    tail: re.Pattern | None = None  # a path whose last parameter holds slashes (a branch name): its parameters


# Branch names hold slashes, which the router's {parameters} do not: these go through unrouted().
TAILS = (
    ("GET", re.compile(r"^/2\.0/repositories/(?P<workspace>[^/]+)/(?P<repo_slug>[^/]+)/refs/branches/(?P<name>.+)$"),
     "get_branch", "repository", "read:repository:bitbucket"),
    ("DELETE", re.compile(r"^/2\.0/repositories/(?P<workspace>[^/]+)/(?P<repo_slug>[^/]+)/refs/branches/(?P<name>.+)$"),
     "delete_branch", "repository:write", "write:repository:bitbucket"),
    ("GET", re.compile(r"^/2\.0/repositories/(?P<workspace>[^/]+)/(?P<repo_slug>[^/]+)/commits/(?P<revision>.+)$"),
     "list_commits", "repository", "read:repository:bitbucket"),
)


class BitbucketCloud(Product):
    key = "bitbucket_cloud"
    prefix = "/bitbucket-cloud"
    title = "Bitbucket Cloud"
    users = (ADMIN,)
    session_cookie = ""
    call_type = BitbucketCall

    def __init__(self, env: Environment):
        # Nothing of its own: no sessions, websudo or CAPTCHA here, as in the Atlassian Cloud realm it
        # shares (Jira Cloud opens it, with no such settings either).
        self.settings = Settings({}, dict)
        self.realm = env.realm("atlassian_cloud", self.settings, by_email=True, admin_groups=("site-admins",))
        self.stats = Stats()
        self.rate_limiter = RateLimiter()
        self.content = Content()
        self.router: Router[Endpoint] = Router()
        for method, path, handler, scope, api_scope, extra in ROUTES:
            self.router.add(method, path, BitbucketEndpoint(method, path, handler, anonymous=False, scope=scope,
                                                            api_scope=api_scope, **extra))

    # -- the contract ------------------------------------------------------------------------

    async def authenticate(self, call: BitbucketCall) -> Response | None:
        tail = getattr(call.endpoint, "tail", None)
        if tail is not None:
            found = tail.match(call.endpoint.path).groupdict()
            if b"%2f" in (call.request.scope.get("raw_path") or b"").lower():  # the path kept %2F (and %) escaped
                found = {name: unquote(value) for name, value in found.items()}
            call.params.update(found)
        return await authenticate(call)

    async def guard(self, call: BitbucketCall) -> Response | None:
        endpoint = call.endpoint
        if not isinstance(endpoint, BitbucketEndpoint):
            return None
        credential = call.credential
        if call.user is None or credential is None:
            return errors.error(401, "Unauthorized")  # [I] every sandbox repository is private
        needed = endpoint.api_scope if credential.api_style else endpoint.scope
        call.headers.append(("X-Accepted-OAuth-Scopes", needed))
        if credential.access_kind and not endpoint.access_tokens:
            return errors.error(401, errors.ACCESS_TOKEN_NOT_HERE)
        if needed not in closure(credential.scopes):
            return errors.lacks_scopes([needed], list(credential.scopes))
        if credential.access_kind:
            return self._within_resource(call, endpoint)
        return None

    def _within_resource(self, call: BitbucketCall, endpoint: BitbucketEndpoint) -> Response | None:
        """[I] outside its resource an access token sees no repository (404, as for one that does not
        exist) and is forbidden the rest."""
        credential = call.credential
        kind, resource = credential.access_kind, credential.resource
        ws, _, rest = resource.partition("/")
        asked_ws = call.params.get("workspace", "").lower()
        slug = call.params.get("repo_slug")
        if asked_ws != ws:
            return errors.no_repository() if slug else errors.forbidden()
        if slug is None:
            # workspace-level: listing repositories is allowed (filtered to what the token sees)
            if endpoint.level == "workspace" and kind != "workspace":
                return errors.forbidden()
            return None
        repo = self.content.repositories.get((ws, slug.lower()))
        if repo is not None and not r.visible(call, repo):
            return errors.no_repository()
        if repo is None and kind == "repository" and endpoint.handler is not r.create_repository:
            return errors.no_repository()
        if endpoint.handler is r.create_repository and kind == "repository":
            return errors.forbidden()
        return None

    def error(self, status: int, message: str) -> Response:
        return errors.error(status, message)

    def unrouted(self, path: str, method: str, allowed: list[str]) -> Endpoint:
        for tail_method, pattern, handler, scope, api_scope in TAILS:
            if method in (tail_method, "HEAD" if tail_method == "GET" else "") and pattern.match(path):
                return BitbucketEndpoint(method, path, getattr(r, handler), anonymous=False, scope=scope,
                                         api_scope=api_scope, tail=pattern)
        async def handler(call: BitbucketCall) -> Response:
            if allowed:
                return errors.error(405, f"Method {method} not allowed.", headers={"Allow": ", ".join(allowed)})
            return errors.no_api()

        return Endpoint(method, path, handler)

    def rate_limited(self, call: BitbucketCall, requests: int, interval: float, take: Take) -> Response | None:
        """SB §5.5: a text/plain 429 without Retry-After; the X-RateLimit headers only for access tokens."""
        if call.credential is not None and call.credential.access_kind:
            call.headers += [("X-RateLimit-Limit", str(requests)), ("X-RateLimit-Resource", "api"),
                             ("X-RateLimit-NearLimit", str(take.left < requests / 5).lower())]
        return None if take.allowed else errors.text(429, errors.RATE_LIMITED)

    def finish(self, call: BitbucketCall, raw_headers: list[tuple[bytes, bytes]]) -> None:
        raw_headers.append((b"vary", b"Authorization, Origin, cookie, user-context"))
        credential = call.credential
        if credential is not None:
            raw_headers.append((b"x-credential-type", CREDENTIAL_TYPE[credential.type].encode()))
            raw_headers.append((b"x-oauth-scopes", ", ".join(credential.scopes).encode()))

    def control_routes(self) -> list[tuple[str, str, ControlHandler]]:
        return [("POST", "/tokens", self.create_token)]

    def reset(self) -> None:
        self.settings.reset()
        self.stats = Stats()
        self.rate_limiter = RateLimiter()
        self.content = seed_content(self.realm.clock.now())
        admin = self.realm.users.get(ADMIN_KEY)
        if admin is None:  # another product removed the account from the shared realm
            return
        account = self.content.accounts[ADMIN_KEY] = Account(ADMIN_KEY, USERNAME, admin.display_name)
        self.content.repositories[("demo", "demo-repo")].pullrequests[1].author = {
            "type": "user", "display_name": account.display_name, "uuid": account.uuid, "account_id": ADMIN_KEY,
            "nickname": account.display_name, "links": {}}
        for raw, type_, scopes, resource in SEEDED_TOKENS:
            token = self.realm.token(raw)  # seeded with the account, kept in a state file, or missing
            if token is not None and (token.type, token.name) == (type_, resource or token.name):
                continue
            if token is not None:
                self.realm.revoke_token(token)
            self.realm.add_token(admin, raw, name=resource or "seeded", type=type_, scopes=list(scopes))

    def account_by_username(self, username: str):
        account = self.content.account_named(username)
        return self.realm.users.get(account.key) if account else None

    # -- control -----------------------------------------------------------------------------

    async def create_token(self, request: Request) -> Response:
        """POST /_sandbox/bitbucket_cloud/tokens {"kind": "app_password" | "api_token" | "repository" |
        "project" | "workspace", "resource": "demo/demo-repo", "scopes": [...], "expires_in": seconds}."""
        try:
            data = json.loads(await request.body() or b"{}")
        except ValueError:
            return errors.error(400, "the body must be a JSON object")
        if not isinstance(data, dict):
            return errors.error(400, "the body must be a JSON object")
        kind, resource, scopes = data.get("kind"), data.get("resource", ""), data.get("scopes", [])
        types = {"app_password": APP_PASSWORD, "api_token": API_TOKEN, **ACCESS}
        if kind not in types:
            return errors.error(400, f"kind must be one of: {', '.join(types)}")
        if not isinstance(scopes, list) or not all(isinstance(s, str) and s in KNOWN for s in scopes):
            return errors.error(400, "scopes must be a list of Bitbucket scopes, e.g. [\"repository\"] or "
                                     "[\"read:repository:bitbucket\"]")
        legacy = kind != "api_token"
        if any((s in LEGACY) != legacy for s in scopes):
            return errors.error(400, "API tokens take scopes like read:repository:bitbucket; app passwords and "
                                     "access tokens take scopes like repository")
        expires = data.get("expires_in")
        if expires is not None and (not isinstance(expires, (int, float)) or isinstance(expires, bool) or expires <= 0):
            return errors.error(400, "expires_in must be a positive number of seconds")
        problem = self._resource_problem(kind, resource)
        if problem:
            return errors.error(400, problem)
        admin = self.realm.users.get(ADMIN_KEY)
        if admin is None:
            return errors.error(409, "the account admin@example.com is gone")
        raw = PREFIXES[types[kind]] + secrets.token_urlsafe(24)
        self.realm.add_token(admin, raw, name=resource or "control", type=types[kind], scopes=scopes, expires_in=expires)
        return errors.json_response({"token": raw, "kind": kind, "resource": resource, "scopes": scopes}, 201)

    def _resource_problem(self, kind: str, resource) -> str | None:
        if kind in ("app_password", "api_token"):
            return None if not resource else f"a {kind} is not bound to a resource: leave out resource"
        if not isinstance(resource, str):
            return "resource must be text"
        ws, _, rest = resource.partition("/")
        if ws not in self.content.workspaces:
            return f"no workspace {ws!r}: a {kind} token needs resource " + {
                "repository": "WORKSPACE/REPO_SLUG", "project": "WORKSPACE/PROJECT_KEY", "workspace": "WORKSPACE"}[kind]
        if kind == "workspace" and rest:
            return "a workspace token's resource is the workspace slug alone"
        if kind == "project" and (ws, rest) not in self.content.projects:
            return f"no project {rest!r} in workspace {ws}"
        if kind == "repository" and (ws, rest) not in self.content.repositories:
            return f"no repository {rest!r} in workspace {ws}"
        return None


def seed_content(now: float) -> Content:
    content = Content()
    content.workspaces["demo"] = Workspace("demo", "Demo", now)
    content.projects[("demo", "DEMO")] = Project("demo", "DEMO", "Demo project", now, "The sandbox's project.")
    repo = Repository("demo", "demo-repo", "demo-repo", "DEMO", now, now, ADMIN_KEY, description="The sandbox's repository.")
    first = repo.commit("Initial commit", [], ADMIN_KEY, now - 3600)
    feature = repo.commit("Add the sandbox feature", [first.hash], ADMIN_KEY, now - 1800)
    repo.branches = {"main": first.hash, "feature/sandbox": feature.hash}
    content.repositories[("demo", "demo-repo")] = repo
    pr = PullRequest(1, "Sandbox feature", "Adds the sandbox feature.", "feature/sandbox", "main", {}, now - 900,
                     now - 900, source_commit=feature.hash[:12], destination_commit=first.hash[:12])
    repo.pullrequests[1] = pr
    content.next_pr = 2
    return content


WS = "/2.0/workspaces/{workspace}"
REPO = "/2.0/repositories/{workspace}/{repo_slug}"
PR = REPO + "/pullrequests/{pull_request_id}"
_USER = {"access_tokens": False, "level": "workspace"}
_WS = {"level": "workspace"}
# method, path, handler, scope (legacy), scope (API token), endpoint extras
ROUTES = (
    ("GET", "/2.0/user", r.current_user, "account", "read:user:bitbucket", _USER),
    ("GET", "/2.0/user/workspaces", r.user_workspaces, "account", "read:workspace:bitbucket", _USER),
    ("GET", WS, r.get_workspace, "account", "read:workspace:bitbucket", _WS),
    ("GET", WS + "/projects", r.list_projects, "project", "read:project:bitbucket", _WS),
    ("GET", WS + "/projects/{project_key}", r.get_project, "project", "read:project:bitbucket", _WS),
    ("GET", "/2.0/repositories/{workspace}", r.list_repositories, "repository", "read:repository:bitbucket", {}),
    ("GET", REPO, r.get_repository, "repository", "read:repository:bitbucket", {}),
    ("POST", REPO, r.create_repository, "repository:admin", "admin:repository:bitbucket", {}),
    ("DELETE", REPO, r.delete_repository, "repository:delete", "delete:repository:bitbucket", {}),
    ("GET", REPO + "/refs/branches", r.list_branches, "repository", "read:repository:bitbucket", {}),
    ("POST", REPO + "/refs/branches", r.create_branch, "repository:write", "write:repository:bitbucket", {}),
    ("GET", REPO + "/commits", r.list_commits, "repository", "read:repository:bitbucket", {}),
    ("GET", REPO + "/commits/{revision}", r.list_commits, "repository", "read:repository:bitbucket", {}),
    ("GET", REPO + "/pullrequests", r.list_pullrequests, "pullrequest", "read:pullrequest:bitbucket", {}),
    ("POST", REPO + "/pullrequests", r.create_pullrequest, "pullrequest:write", "write:pullrequest:bitbucket", {}),
    ("GET", PR, r.get_pullrequest, "pullrequest", "read:pullrequest:bitbucket", {}),
    ("POST", PR + "/merge", r.merge_pullrequest, "pullrequest:write", "write:pullrequest:bitbucket", {}),
    ("POST", PR + "/decline", r.decline_pullrequest, "pullrequest:write", "write:pullrequest:bitbucket", {}),
    ("POST", PR + "/approve", r.approve_pullrequest, "pullrequest:write", "write:pullrequest:bitbucket", {}),
    ("DELETE", PR + "/approve", r.approve_pullrequest, "pullrequest:write", "write:pullrequest:bitbucket", {}),
)
