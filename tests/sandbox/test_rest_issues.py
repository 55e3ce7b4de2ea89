"""Core Jira REST resources with real paths and shapes (server-behaviour.md §1.7, §1.8, §4.4, §4.5)."""

import pytest

ADMIN = ("admin", "admin")
CLOUD = ("admin@example.com", "sandbox-token-admin")


def test_dc_server_info(sandbox):
    """§1.7."""
    info = sandbox.http.get(sandbox.jira + "/rest/api/2/serverInfo").json()
    assert info["baseUrl"] == sandbox.jira
    assert info["version"] == "9.12.4" and info["versionNumbers"] == [9, 12, 4]
    assert info["deploymentType"] == "Server"
    assert info["buildNumber"] == 912004 == info["databaseBuildNumber"]
    assert len(info["scmInfo"]) == 40


@pytest.mark.parametrize("version,build", [("8.5.3", 805003), ("10.3.19", 10030019)])
def test_build_numbers(sandbox, version, build):
    sandbox.settings({"jira": {"version": version}})
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/serverInfo").json()["buildNumber"] == build


def test_cloud_server_info(sandbox):
    """§4.5."""
    info = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/serverInfo").json()
    assert info["deploymentType"] == "Cloud"
    assert info["version"] == "1001.0.0-SNAPSHOT" and info["versionNumbers"] == [1001, 0, 0]
    assert info["baseUrl"] == sandbox.jira_cloud
    assert info["defaultLocale"] == {"locale": "en_US"}


def test_user_lookup(sandbox):
    r = sandbox.http.get(sandbox.jira + "/rest/api/2/user", params={"username": "alice", "expand": "groups"}, auth=ADMIN)
    assert r.json()["displayName"] == "Alice Example"
    assert [g["name"] for g in r.json()["groups"]["items"]] == ["jira-software-users"]
    r = sandbox.http.get(sandbox.jira + "/rest/api/2/user", params={"username": "nobody"}, auth=ADMIN)
    assert r.status_code == 404 and r.json()["errorMessages"] == ["The user named 'nobody' does not exist"]
    cloud = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/user", params={"accountId": "5f8e3c2a1b0d4e0069a1b2c4"}, auth=CLOUD)
    assert cloud.json()["emailAddress"] == "alice@example.com"
    gdpr = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/user", params={"username": "alice"}, auth=CLOUD)
    assert gdpr.status_code == 400


def test_projects(sandbox):
    projects = sandbox.http.get(sandbox.jira + "/rest/api/2/project", auth=ADMIN).json()
    assert [(p["key"], p["name"], p["id"]) for p in projects] == [("DEMO", "Demo", "10000")]
    demo = sandbox.http.get(sandbox.jira + "/rest/api/2/project/DEMO", auth=ADMIN).json()
    assert [t["name"] for t in demo["issueTypes"]] == ["Task", "Bug", "Story"]
    assert demo["lead"]["name"] == "admin"
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/project/10000", auth=ADMIN).json()["key"] == "DEMO"
    page = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/project/search", auth=CLOUD).json()
    assert page["total"] == 1 and page["isLast"] is True and page["values"][0]["key"] == "DEMO"


def test_seeded_issues(sandbox):
    issues = {k: sandbox.http.get(sandbox.jira + f"/rest/api/2/issue/DEMO-{k}", auth=ADMIN).json()["fields"] for k in (1, 2, 3)}
    assert [issues[k]["status"]["name"] for k in (1, 2, 3)] == ["To Do", "In Progress", "Done"]
    assert [issues[k]["issuetype"]["name"] for k in (1, 2, 3)] == ["Task", "Bug", "Story"]
    assert issues[1]["assignee"]["name"] == "admin" and issues[2]["assignee"]["name"] == "alice"
    assert issues[3]["assignee"] is None and issues[3]["resolution"]["name"] == "Done"


def create(sandbox, base, auth, summary="New issue", api="2", **fields):
    body = {"fields": {"project": {"key": "DEMO"}, "issuetype": {"name": "Task"}, "summary": summary, **fields}}
    return sandbox.http.post(f"{base}/rest/api/{api}/issue", json=body, auth=auth)


def test_issue_lifecycle(sandbox):
    r = create(sandbox, sandbox.jira, ("alice", "alice"), description="Steps", labels=["x"], assignee={"name": "admin"})
    assert r.status_code == 201
    created = r.json()
    assert created["key"] == "DEMO-4" and created["self"] == f"{sandbox.jira}/rest/api/2/issue/{created['id']}"
    issue = sandbox.http.get(sandbox.jira + "/rest/api/2/issue/DEMO-4", auth=ADMIN).json()
    assert issue["fields"]["reporter"]["name"] == "alice"
    assert issue["fields"]["status"]["name"] == "To Do" and issue["fields"]["labels"] == ["x"]
    only = sandbox.http.get(sandbox.jira + "/rest/api/2/issue/DEMO-4", params={"fields": "summary,status"}, auth=ADMIN).json()
    assert set(only["fields"]) == {"summary", "status"}

    edit = {"fields": {"summary": "Renamed"}, "update": {"labels": [{"add": "y"}, {"remove": "x"}]}}
    assert sandbox.http.put(sandbox.jira + "/rest/api/2/issue/DEMO-4", json=edit, auth=ADMIN).status_code == 204
    fields = sandbox.http.get(sandbox.jira + "/rest/api/2/issue/DEMO-4", auth=ADMIN).json()["fields"]
    assert fields["summary"] == "Renamed" and fields["labels"] == ["y"]

    assert sandbox.http.delete(sandbox.jira + "/rest/api/2/issue/DEMO-4", auth=("alice", "alice")).status_code == 403
    assert sandbox.http.delete(sandbox.jira + "/rest/api/2/issue/DEMO-4", auth=ADMIN).status_code == 204
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/issue/DEMO-4", auth=ADMIN).status_code == 404
    assert create(sandbox, sandbox.jira, ADMIN).json()["key"] == "DEMO-5"  # keys are never reused


@pytest.mark.parametrize(
    "fields,errors",
    [
        ({"summary": ""}, {"summary": "You must specify a summary of the issue."}),
        ({"issuetype": {"name": "Epic"}}, {"issuetype": "issue type is required"}),
        ({"issuetype": {"id": "99"}}, {"issuetype": "valid issue type is required"}),
        ({"project": {"key": "NOPE"}}, {"project": "valid project is required"}),
        ({"assignee": {"name": "ghost"}}, {"assignee": "User 'ghost' does not exist."}),
        ({"colour": "red"}, {"colour": "Field 'colour' cannot be set. It is not on the appropriate screen, or unknown."}),
    ],
)
def test_create_validation(sandbox, fields, errors):
    """§1.8: 400 ErrorCollection with per-field errors."""
    r = create(sandbox, sandbox.jira, ADMIN, **fields)
    assert r.status_code == 400
    assert r.json() == {"errorMessages": [], "errors": errors}


def test_create_requires_project(sandbox):
    r = sandbox.http.post(sandbox.jira + "/rest/api/2/issue", json={"fields": {"summary": "x", "issuetype": {"id": "3"}}}, auth=ADMIN)
    assert r.json()["errors"]["project"] == "project is required"


def test_transitions(sandbox):
    r = sandbox.http.get(sandbox.jira + "/rest/api/2/issue/DEMO-1/transitions", params={"expand": "transitions.fields"}, auth=ADMIN)
    transitions = r.json()["transitions"]
    assert [(t["id"], t["name"], t["to"]["name"]) for t in transitions] == [("11", "Start Progress", "In Progress"), ("21", "Done", "Done")]
    assert transitions[0]["fields"] == {}
    post = sandbox.http.post(sandbox.jira + "/rest/api/2/issue/DEMO-1/transitions", json={"transition": {"id": "11"}}, auth=ADMIN)
    assert post.status_code == 204
    done = {"transition": {"id": "21"}, "update": {"comment": [{"add": {"body": "finished"}}]}}
    assert sandbox.http.post(sandbox.jira + "/rest/api/2/issue/DEMO-1/transitions", json=done, auth=ADMIN).status_code == 204
    fields = sandbox.http.get(sandbox.jira + "/rest/api/2/issue/DEMO-1", auth=ADMIN).json()["fields"]
    assert fields["status"]["name"] == "Done" and fields["resolution"]["name"] == "Done" and fields["resolutiondate"]
    assert fields["comment"]["comments"][0]["body"] == "finished"
    reopen = sandbox.http.get(sandbox.jira + "/rest/api/2/issue/DEMO-1/transitions", auth=ADMIN).json()["transitions"]
    assert [(t["id"], t["name"]) for t in reopen] == [("31", "Reopen")]


def test_transition_errors(sandbox):
    url = sandbox.jira + "/rest/api/2/issue/DEMO-1/transitions"
    r = sandbox.http.post(url, json={"transition": {"id": "31"}}, auth=ADMIN)
    assert r.status_code == 400 and r.json()["errorMessages"][0].startswith(
        "It seems that you have tried to perform a workflow operation (Reopen) that is not valid "
        "for the current state of this issue (DEMO-1)."
    )
    r = sandbox.http.post(url, json={"transition": {"id": "999"}}, auth=ADMIN)
    assert r.json()["errorMessages"] == ["Transition id '999' is not valid for this issue."]
    r = sandbox.http.post(url, json={}, auth=ADMIN)
    assert r.json()["errorMessages"] == ["Missing 'transition' identifier"]
    for wrong in ("Fixed", ["Fixed"], 7):  # the resolution is an object, as every such field: a name alone is refused
        r = sandbox.http.post(url, json={"transition": {"id": "21"}, "fields": {"resolution": wrong}}, auth=ADMIN)
        assert r.status_code == 400 and r.json()["errors"] == {"resolution": "data was not an object"}, r.text
    fields = sandbox.http.get(sandbox.jira + "/rest/api/2/issue/DEMO-1", auth=ADMIN).json()["fields"]
    assert fields["status"]["name"] == "To Do" and fields["resolution"] is None


def test_comments(sandbox):
    url = sandbox.jira + "/rest/api/2/issue/DEMO-2/comment"
    r = sandbox.http.post(url, json={"body": "first"}, auth=("alice", "alice"))
    assert r.status_code == 201
    comment = r.json()
    assert comment["body"] == "first" and comment["author"]["name"] == "alice"
    assert comment["self"] == f"{sandbox.jira}/rest/api/2/issue/10001/comment/{comment['id']}"
    sandbox.http.post(url, json={"body": "second"}, auth=ADMIN)
    page = sandbox.http.get(url, auth=ADMIN).json()
    assert page["total"] == 2 and page["startAt"] == 0 and [c["body"] for c in page["comments"]] == ["first", "second"]
    assert sandbox.http.get(f"{url}/{comment['id']}", auth=ADMIN).json()["body"] == "first"
    empty = sandbox.http.post(url, json={"body": " "}, auth=ADMIN)
    assert empty.status_code == 400 and empty.json()["errors"] == {"comment": "Comment body can not be empty!"}


def test_attachments_dc(sandbox):
    headers = {"X-Atlassian-Token": "no-check"}
    files = [("file", ("a.txt", b"alpha", "text/plain")), ("file", ("b.bin", b"\x00\x01"))]
    r = sandbox.http.post(sandbox.jira + "/rest/api/2/issue/DEMO-1/attachments", files=files, headers=headers, auth=ADMIN)
    assert r.status_code == 200
    added = r.json()
    assert [(a["filename"], a["size"], a["mimeType"]) for a in added] == [
        ("a.txt", 5, "text/plain"),
        ("b.bin", 2, "application/octet-stream"),
    ]
    listed = sandbox.http.get(sandbox.jira + "/rest/api/2/issue/DEMO-1", params={"fields": "attachment"}, auth=ADMIN).json()
    assert [a["id"] for a in listed["fields"]["attachment"]] == [a["id"] for a in added]
    download = sandbox.http.get(added[0]["content"], auth=ADMIN)
    assert download.content == b"alpha" and download.headers["content-type"].startswith("text/plain")
    meta = sandbox.http.get(sandbox.jira + f"/rest/api/2/attachment/{added[0]['id']}", auth=ADMIN).json()
    assert meta["filename"] == "a.txt"
    assert sandbox.http.delete(sandbox.jira + f"/rest/api/2/attachment/{added[0]['id']}", auth=ADMIN).status_code == 204
    assert sandbox.http.get(added[0]["content"], auth=ADMIN).status_code == 404


def test_attachments_cloud(sandbox):
    r = sandbox.http.post(
        sandbox.jira_cloud + "/rest/api/3/issue/DEMO-1/attachments",
        files={"file": ("c.txt", b"cloud")},
        headers={"X-Atlassian-Token": "no-check"},
        auth=CLOUD,
    )
    content = r.json()[0]["content"]
    assert content == f"{sandbox.jira_cloud}/rest/api/3/attachment/content/{r.json()[0]['id']}"
    assert sandbox.http.get(content, auth=CLOUD).content == b"cloud"


def test_cloud_v3_uses_atlassian_document_format(sandbox):
    doc = {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [{"type": "text", "text": "hello"}]}]}
    r = create(sandbox, sandbox.jira_cloud, CLOUD, api="3", description=doc)
    assert r.status_code == 201
    key = r.json()["key"]
    v3 = sandbox.http.get(sandbox.jira_cloud + f"/rest/api/3/issue/{key}", auth=CLOUD).json()["fields"]
    v2 = sandbox.http.get(sandbox.jira_cloud + f"/rest/api/2/issue/{key}", auth=CLOUD).json()["fields"]
    assert v3["description"] == doc and v2["description"] == "hello"
    bad = create(sandbox, sandbox.jira_cloud, CLOUD, api="3", description="plain")
    assert bad.status_code == 400
    assert bad.json()["errors"]["description"] == "Operation value must be an Atlassian Document (see the Atlassian Document Format)"
    comment = sandbox.http.post(sandbox.jira_cloud + f"/rest/api/3/issue/{key}/comment", json={"body": doc}, auth=CLOUD).json()
    assert comment["body"] == doc and comment["author"]["accountId"] == "5f8e3c2a1b0d4e0069a1b2c3"


def test_cloud_assignee_by_account_id(sandbox):
    r = create(sandbox, sandbox.jira_cloud, CLOUD, assignee={"accountId": "5f8e3c2a1b0d4e0069a1b2c4"})
    fields = sandbox.http.get(sandbox.jira_cloud + f"/rest/api/2/issue/{r.json()['key']}", auth=CLOUD).json()["fields"]
    assert fields["assignee"]["displayName"] == "Alice Example"
    bad = create(sandbox, sandbox.jira_cloud, CLOUD, assignee={"name": "alice"})
    assert bad.json()["errors"]["assignee"] == "Specified user does not exist or you do not have required permissions"


def test_fields_and_createmeta(sandbox):
    fields = sandbox.http.get(sandbox.jira + "/rest/api/2/field", auth=ADMIN).json()
    summary = next(f for f in fields if f["id"] == "summary")
    assert summary["clauseNames"] == ["summary"] and summary["schema"] == {"type": "string", "system": "summary"}
    types = sandbox.http.get(sandbox.jira + "/rest/api/2/issue/createmeta/DEMO/issuetypes", auth=ADMIN).json()
    assert types["total"] == 3 and types["isLast"] is True and types["values"][0]["name"] == "Task"
    cloud_types = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/issue/createmeta/DEMO/issuetypes", auth=CLOUD).json()
    assert [t["name"] for t in cloud_types["issueTypes"]] == ["Task", "Bug", "Story"]
    meta = sandbox.http.get(sandbox.jira + "/rest/api/2/issue/createmeta/DEMO/issuetypes/3", auth=ADMIN).json()
    assert {f["fieldId"] for f in meta["values"] if f["required"]} == {"summary", "issuetype", "project"}


def test_old_createmeta_is_gone_from_jira_9(sandbox):
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/issue/createmeta", params={"projectKeys": "DEMO"}, auth=ADMIN).status_code == 404
    sandbox.settings({"jira": {"version": "8.20.0"}})
    r = sandbox.http.get(
        sandbox.jira + "/rest/api/2/issue/createmeta", params={"projectKeys": "DEMO", "expand": "projects.issuetypes.fields"}, auth=ADMIN
    )
    project = r.json()["projects"][0]
    assert project["key"] == "DEMO" and "summary" in project["issuetypes"][0]["fields"]


def test_user_and_group_administration(sandbox):
    """POST/DELETE /user, POST /group, POST /group/user (Basic skips websudo, §0.5)."""
    user = {"name": "Bob", "password": "bob", "emailAddress": "bob@example.com", "displayName": "Bob Builder"}
    r = sandbox.http.post(sandbox.jira + "/rest/api/2/user", json=user, auth=ADMIN)
    # The username keeps its case (logins ignore it), as the jira package's suite expects of Jira 8.
    assert r.status_code == 201 and r.json()["name"] == "Bob" and r.json()["key"].startswith("JIRAUSER")
    assert r.headers["location"] == sandbox.jira + "/rest/api/2/user?username=Bob"
    again = sandbox.http.post(sandbox.jira + "/rest/api/2/user", json=user, auth=ADMIN)
    assert again.json()["errors"] == {"username": "A user with that username already exists."}
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/myself", auth=("bob", "bob")).status_code == 200

    group = sandbox.http.post(sandbox.jira + "/rest/api/2/group", json={"name": "builders"}, auth=ADMIN)
    assert group.status_code == 201 and group.json()["name"] == "builders"
    member = sandbox.http.post(sandbox.jira + "/rest/api/2/group/user", params={"groupname": "builders"}, json={"name": "bob"}, auth=ADMIN)
    assert member.status_code == 201 and member.json()["users"]["size"] == 1
    members = sandbox.http.get(sandbox.jira + "/rest/api/2/group/member", params={"groupname": "builders"}, auth=ADMIN).json()
    assert [u["name"] for u in members["values"]] == ["Bob"]

    admins = {"groupname": "jira-administrators"}
    assert sandbox.http.post(sandbox.jira + "/rest/api/2/group/user", params=admins, json={"name": "bob"}, auth=ADMIN).status_code == 201
    assert sandbox.http.post(sandbox.jira + "/rest/api/2/group", json={"name": "made-by-bob"}, auth=("bob", "bob")).status_code == 201

    assert sandbox.http.delete(sandbox.jira + "/rest/api/2/user/", params={"username": "bob"}, auth=ADMIN).status_code == 204
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/myself", auth=("bob", "bob")).status_code == 401


def test_cloud_group_membership_by_account_id(sandbox):
    r = sandbox.http.post(sandbox.jira_cloud + "/rest/api/3/group", json={"name": "crew"}, auth=CLOUD)
    assert r.status_code == 201
    r = sandbox.http.post(
        sandbox.jira_cloud + "/rest/api/3/group/user",
        params={"groupname": "crew"},
        json={"accountId": "5f8e3c2a1b0d4e0069a1b2c4"},
        auth=CLOUD,
    )
    assert r.status_code == 201
    me = sandbox.http.get(
        sandbox.jira_cloud + "/rest/api/3/myself", params={"expand": "groups"}, auth=("alice@example.com", "sandbox-token-alice")
    )
    assert "crew" in [g["name"] for g in me.json()["groups"]["items"]]


def test_cloud_groups_have_ids(sandbox):
    """Cloud's Group and GroupName carry groupId; the group resources take ?groupId= too."""
    crew = sandbox.http.post(sandbox.jira_cloud + "/rest/api/3/group", json={"name": "crew"}, auth=CLOUD).json()
    group_id = crew["groupId"]
    assert crew["self"] == sandbox.jira_cloud + f"/rest/api/3/group?groupId={group_id}"
    alice = {"accountId": "5f8e3c2a1b0d4e0069a1b2c4"}
    r = sandbox.http.post(sandbox.jira_cloud + "/rest/api/3/group/user", params={"groupId": group_id}, json=alice, auth=CLOUD)
    assert r.status_code == 201 and r.json()["groupId"] == group_id and r.json()["users"]["size"] == 1
    members = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/group/member", params={"groupId": group_id}, auth=CLOUD).json()
    assert [m["accountId"] for m in members["values"]] == [alice["accountId"]]
    me = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/user", params={**alice, "expand": "groups"}, auth=CLOUD).json()
    assert {"name": "crew", "groupId": group_id, "self": crew["self"]} in me["groups"]["items"]
    unknown = sandbox.http.post(sandbox.jira_cloud + "/rest/api/3/group/user", params={"groupId": "nope"}, json=alice, auth=CLOUD)
    assert unknown.status_code == 404
    assert sandbox.http.delete(sandbox.jira_cloud + "/rest/api/3/group", params={"groupId": group_id}, auth=CLOUD).status_code == 200
    dc = sandbox.http.post(sandbox.jira + "/rest/api/2/group", json={"name": "crew"}, auth=ADMIN).json()
    assert "groupId" not in dc  # Jira DC groups have names only
