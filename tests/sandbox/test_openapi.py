"""Jira Cloud answers checked against Atlassian's OpenAPI document (server-behaviour.md §7):
the paths the sandbox serves exist, its anonymous access never exceeds what the spec allows,
and the JSON it writes only uses properties the schemas define."""

import json
import re
from pathlib import Path

import pytest

from atlctl.sandbox.jira import routes
from atlctl.sandbox.jira.deployment import CLOUD

# An excerpt of the official document; see data/README.md.
SPEC_FILE = Path(__file__).parent / "data" / "jira-cloud-openapi-subset.json"
AUTH = ("admin@example.com", "sandbox-token-admin")
NO_CHECK = {"X-Atlassian-Token": "no-check"}
# Written by the real server (the spec's own example, §4.5) but missing from its schema.
OUTSIDE_SCHEMA = {"/rest/api/3/serverInfo.defaultLocale"}


@pytest.fixture(scope="module")
def spec():
    return json.loads(SPEC_FILE.read_text())


def _template(path):
    return re.sub(r"\{[^}]+\}", "{}", path)


def _cloud_v3_endpoints():
    router = routes.build(CLOUD)
    for table in (router._fixed, router._templates):
        for methods in table.values():
            for endpoint in methods.values():
                if endpoint.path.startswith("/rest/api/3/"):
                    yield endpoint


def test_every_cloud_path_is_in_the_spec(spec):
    paths = {_template(p): ops for p, ops in spec["paths"].items()}
    missing = [f"{e.method} {e.path}" for e in _cloud_v3_endpoints() if e.method.lower() not in paths.get(_template(e.path), {})]
    assert missing == []


def test_anonymous_access_is_never_wider_than_the_spec(spec):
    """`{}` in an operation's security means it can be called anonymously."""
    paths = {_template(p): ops for p, ops in spec["paths"].items()}
    too_open = []
    for endpoint in _cloud_v3_endpoints():
        operation = paths[_template(endpoint.path)][endpoint.method.lower()]
        if endpoint.anonymous and {} not in operation.get("security", []):
            too_open.append(f"{endpoint.method} {endpoint.path}")
    assert too_open == []


def _schema(spec, ref_or_schema):
    schema = ref_or_schema
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if "allOf" in schema:
        merged = {"properties": {}, "required": list(schema.get("required", []))}
        for part in schema["allOf"]:
            part = _schema(spec, part)
            merged["properties"].update(part.get("properties", {}))
            merged["required"] += part.get("required", [])
            for key in ("type", "nullable", "items"):
                if key in part:
                    merged[key] = part[key]
        merged.update({k: v for k, v in schema.items() if k in ("type", "nullable")})
        return merged
    return schema


_TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list, "object": dict}


def _check(spec, value, schema, where):
    """What the sandbox writes must fit the schema (recursively): only properties it defines,
    every required one, and values of the declared type (null only where nullable)."""
    schema = _schema(spec, schema)
    kind = schema.get("type")
    if value is None:
        assert kind is None or schema.get("nullable"), f"{where} is null, the schema wants {kind}"
        return
    if kind:
        assert isinstance(value, _TYPES[kind]) and not (isinstance(value, bool) and kind != "boolean"), (
            f"{where} is {type(value).__name__}, the schema wants {kind}"
        )
    if isinstance(value, dict):
        missing = [key for key in schema.get("required", []) if key not in value]
        assert missing == [], f"{where} lacks required {missing}"
        if "properties" in schema:
            for key, item in value.items():
                if f"{where}.{key}" in OUTSIDE_SCHEMA:
                    continue
                assert key in schema["properties"], f"{where}.{key} is not in the schema"
                _check(spec, item, schema["properties"][key], f"{where}.{key}")
    elif isinstance(value, list) and "items" in schema:
        for n, item in enumerate(value):
            _check(spec, item, schema["items"], f"{where}[{n}]")


def _response_schema(spec, path, method="get", status="200"):
    return spec["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]


@pytest.mark.parametrize(
    "spec_path,url,params",
    [
        ("/rest/api/3/serverInfo", "/rest/api/3/serverInfo", {}),
        ("/rest/api/3/myself", "/rest/api/3/myself", {"expand": "groups"}),
        ("/rest/api/3/project/search", "/rest/api/3/project/search", {}),
        ("/rest/api/3/search/jql", "/rest/api/3/search/jql", {"jql": "project = DEMO", "fields": "*all", "maxResults": 1}),
        ("/rest/api/3/issue/{issueIdOrKey}", "/rest/api/3/issue/DEMO-2", {}),
        ("/rest/api/3/issue/{issueIdOrKey}/transitions", "/rest/api/3/issue/DEMO-1/transitions", {}),
        ("/rest/api/3/issue/{issueIdOrKey}/comment", "/rest/api/3/issue/DEMO-1/comment", {}),
        ("/rest/api/3/field", "/rest/api/3/field", {}),
        ("/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes", "/rest/api/3/issue/createmeta/DEMO/issuetypes", {}),
        ("/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}", "/rest/api/3/issue/createmeta/DEMO/issuetypes/3", {}),
        ("/rest/api/3/issue/createmeta", "/rest/api/3/issue/createmeta", {"expand": "projects.issuetypes.fields"}),
        ("/rest/api/3/user", "/rest/api/3/user", {"accountId": "5f8e3c2a1b0d4e0069a1b2c4", "expand": "groups"}),
        ("/rest/api/3/group/member", "/rest/api/3/group/member", {"groupname": "site-admins"}),
        ("/rest/api/3/attachment/{id}", "/rest/api/3/attachment/10000", {}),
        ("/rest/api/3/project", "/rest/api/3/project", {}),
        ("/rest/api/3/project/{projectIdOrKey}", "/rest/api/3/project/DEMO", {}),
        ("/rest/api/3/project/{projectIdOrKey}/statuses", "/rest/api/3/project/DEMO/statuses", {}),
        ("/rest/api/3/issuetype", "/rest/api/3/issuetype", {}),
        ("/rest/api/3/status", "/rest/api/3/status", {}),
        ("/rest/api/3/priority", "/rest/api/3/priority", {}),
    ],
)
def test_cloud_responses_use_spec_properties(spec, sandbox, spec_path, url, params):
    sandbox.http.post(
        sandbox.jira_cloud + "/rest/api/3/issue/DEMO-1/comment", auth=AUTH, json={"body": {"type": "doc", "version": 1, "content": []}}
    )
    sandbox.http.post(
        sandbox.jira_cloud + "/rest/api/3/issue/DEMO-1/attachments", auth=AUTH, files={"file": ("a.txt", b"x")}, headers=NO_CHECK
    )
    r = sandbox.http.get(sandbox.jira_cloud + url, params=params, auth=AUTH)
    assert r.status_code == 200
    _check(spec, r.json(), _response_schema(spec, spec_path), url)


@pytest.mark.parametrize(
    "spec_path,url,params",
    [
        ("/rest/api/3/project/{projectIdOrKey}/versions", "/rest/api/3/project/DEMO/versions", {}),
        ("/rest/api/3/version/{id}", "/rest/api/3/version/{version}", {}),
        ("/rest/api/3/project/{projectIdOrKey}/components", "/rest/api/3/project/DEMO/components", {}),
        ("/rest/api/3/component/{id}", "/rest/api/3/component/{component}", {}),
        ("/rest/api/3/issue/{issueIdOrKey}/watchers", "/rest/api/3/issue/DEMO-1/watchers", {}),
        ("/rest/api/3/issue/{issueIdOrKey}/votes", "/rest/api/3/issue/DEMO-1/votes", {}),
        ("/rest/api/3/issue/{issueIdOrKey}/worklog", "/rest/api/3/issue/DEMO-1/worklog", {}),
        ("/rest/api/3/issue/{issueIdOrKey}/worklog/{id}", "/rest/api/3/issue/DEMO-1/worklog/{worklog}", {}),
        ("/rest/api/3/issue/{issueIdOrKey}/editmeta", "/rest/api/3/issue/DEMO-1/editmeta", {}),
        # The document declares one RemoteIssueLink; without ?globalId= Jira answers a list of them.
        ("/rest/api/3/issue/{issueIdOrKey}/remotelink", "/rest/api/3/issue/DEMO-1/remotelink", {"globalId": "g"}),
        ("/rest/api/3/issue/{issueIdOrKey}/remotelink/{linkId}", "/rest/api/3/issue/DEMO-1/remotelink/{remotelink}", {}),
        ("/rest/api/3/user/search", "/rest/api/3/user/search", {"query": "a"}),
        ("/rest/api/3/user/assignable/search", "/rest/api/3/user/assignable/search", {"project": "DEMO"}),
        ("/rest/api/3/user/assignable/multiProjectSearch", "/rest/api/3/user/assignable/multiProjectSearch", {"projectKeys": "DEMO"}),
        ("/rest/api/3/user/viewissue/search", "/rest/api/3/user/viewissue/search", {"issueKey": "DEMO-1"}),
        ("/rest/api/3/groups/picker", "/rest/api/3/groups/picker", {}),
        ("/rest/api/3/group/bulk", "/rest/api/3/group/bulk", {}),
        ("/rest/api/3/group", "/rest/api/3/group", {"groupname": "site-admins", "expand": "users"}),
        ("/rest/api/3/resolution", "/rest/api/3/resolution", {}),
        ("/rest/api/3/resolution/{id}", "/rest/api/3/resolution/1", {}),
        ("/rest/api/3/resolution/search", "/rest/api/3/resolution/search", {"maxResults": 2}),
        ("/rest/api/3/users/search", "/rest/api/3/users/search", {}),
        ("/rest/api/3/issueLinkType", "/rest/api/3/issueLinkType", {}),
        ("/rest/api/3/issue/{issueIdOrKey}/transitions", "/rest/api/3/issue/DEMO-1/transitions", {"expand": "transitions.fields"}),
        ("/rest/api/3/group", "/rest/api/3/group", {"groupname": "site-admins", "expand": "users[0:0]"}),
        ("/rest/api/3/statuscategory", "/rest/api/3/statuscategory", {}),
        ("/rest/api/3/statuscategory/{idOrKey}", "/rest/api/3/statuscategory/1", {}),
        ("/rest/api/3/status/{idOrName}", "/rest/api/3/status/10001", {}),
        ("/rest/api/3/priority/{id}", "/rest/api/3/priority/2", {}),
        ("/rest/api/3/issueLinkType/{issueLinkTypeId}", "/rest/api/3/issueLinkType/10000", {}),
        ("/rest/api/3/attachment/meta", "/rest/api/3/attachment/meta", {}),
        ("/rest/api/3/filter/{id}", "/rest/api/3/filter/{filter}", {}),
        ("/rest/api/3/filter/favourite", "/rest/api/3/filter/favourite", {}),
        ("/rest/api/3/filter/search", "/rest/api/3/filter/search", {"expand": "description,owner,jql,favourite"}),
        ("/rest/api/3/project/{projectIdOrKey}/version", "/rest/api/3/project/DEMO/version", {}),
        ("/rest/api/3/project/{projectIdOrKey}/component", "/rest/api/3/project/DEMO/component", {}),
        ("/rest/api/3/mypermissions", "/rest/api/3/mypermissions", {"permissions": "BROWSE_PROJECTS"}),
        ("/rest/api/3/permissionscheme", "/rest/api/3/permissionscheme", {}),
        ("/rest/api/3/issuesecurityschemes", "/rest/api/3/issuesecurityschemes", {}),
        ("/rest/api/3/projectCategory", "/rest/api/3/projectCategory", {}),
        ("/rest/api/3/project/{projectKeyOrId}/permissionscheme", "/rest/api/3/project/DEMO/permissionscheme", {}),
        ("/rest/api/3/project/{projectKeyOrId}/notificationscheme", "/rest/api/3/project/DEMO/notificationscheme", {}),
        ("/rest/api/3/project/{projectIdOrKey}/role", "/rest/api/3/project/DEMO/role", {}),
        ("/rest/api/3/project/{projectIdOrKey}/role/{id}", "/rest/api/3/project/DEMO/role/10002", {}),
        ("/rest/api/3/application-properties", "/rest/api/3/application-properties", {}),
        ("/rest/api/3/issue/{issueIdOrKey}", "/rest/api/3/issue/DEMO-1", {"expand": "names,schema,editmeta,changelog,renderedFields"}),
    ],
)
def test_issue_15_and_18_answers_use_spec_properties(spec, sandbox, spec_path, url, params):
    api = sandbox.jira_cloud + "/rest/api/3"
    made = {
        "version": sandbox.http.post(api + "/version", json={"name": "1.0", "project": "DEMO", "releaseDate": "2025-01-01", "description": "d"}, auth=AUTH),
        "component": sandbox.http.post(api + "/component", json={"name": "UI", "project": "DEMO", "leadAccountId": "5f8e3c2a1b0d4e0069a1b2c3"}, auth=AUTH),
        "worklog": sandbox.http.post(api + "/issue/DEMO-1/worklog", json={"timeSpent": "1h", "comment": {"type": "doc", "version": 1, "content": []}}, auth=AUTH),
        "remotelink": sandbox.http.post(api + "/issue/DEMO-1/remotelink", json={"globalId": "g", "object": {"url": "https://e.com", "title": "t"}}, auth=AUTH),
        "filter": sandbox.http.post(api + "/filter", json={"name": "f", "jql": "project = DEMO", "favourite": True}, auth=AUTH),
    }
    sandbox.http.post(api + "/issue/DEMO-1/votes", auth=("alice@example.com", "sandbox-token-alice"), headers={"Content-Type": "application/json"})
    sandbox.http.post(api + "/issue/DEMO-1/comment", auth=AUTH, json={"body": {"type": "doc", "version": 1, "content": []}})
    r = sandbox.http.get(sandbox.jira_cloud + url.format(**{k: v.json()["id"] for k, v in made.items()}), params=params, auth=AUTH)
    assert r.status_code == 200, r.text
    _check(spec, r.json(), _response_schema(spec, spec_path), url)


def test_created_issue_and_comment_use_spec_properties(spec, sandbox):
    body = {"fields": {"project": {"key": "DEMO"}, "issuetype": {"name": "Task"}, "summary": "x"}}
    created = sandbox.http.post(sandbox.jira_cloud + "/rest/api/3/issue", json=body, auth=AUTH)
    _check(spec, created.json(), _response_schema(spec, "/rest/api/3/issue", "post", "201"), "issue")
    doc = {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [{"type": "text", "text": "hi"}]}]}
    comment = sandbox.http.post(sandbox.jira_cloud + "/rest/api/3/issue/DEMO-1/comment", json={"body": doc}, auth=AUTH)
    _check(spec, comment.json(), _response_schema(spec, "/rest/api/3/issue/{issueIdOrKey}/comment", "post", "201"), "comment")


def test_created_user_group_and_attachment_use_spec_properties(spec, sandbox):
    user = sandbox.http.post(sandbox.jira_cloud + "/rest/api/3/user", json={"emailAddress": "carol@example.com"}, auth=AUTH)
    _check(spec, user.json(), _response_schema(spec, "/rest/api/3/user", "post", "201"), "user")
    group = sandbox.http.post(sandbox.jira_cloud + "/rest/api/3/group", json={"name": "g"}, auth=AUTH)
    _check(spec, group.json(), _response_schema(spec, "/rest/api/3/group", "post", "201"), "group")
    member = sandbox.http.post(
        sandbox.jira_cloud + "/rest/api/3/group/user", params={"groupname": "g"}, json={"accountId": user.json()["accountId"]}, auth=AUTH
    )
    _check(spec, member.json(), _response_schema(spec, "/rest/api/3/group/user", "post", "201"), "group/user")
    files = {"file": ("a.txt", b"x")}
    added = sandbox.http.post(sandbox.jira_cloud + "/rest/api/3/issue/DEMO-1/attachments", files=files, headers=NO_CHECK, auth=AUTH)
    _check(spec, added.json(), _response_schema(spec, "/rest/api/3/issue/{issueIdOrKey}/attachments", "post"), "attachments")
