"""Jira project versions and components (issue 15), DC and Cloud: the resources, and the issue
fields fixVersions, versions and components set by name or id."""

import pytest

DC = ("admin", "admin")
CLOUD = ("admin@example.com", "sandbox-token-admin")


def test_version_lifecycle(jira):
    created = jira("POST", "/version", json={"name": "1.0", "project": "DEMO", "releaseDate": "2025-03-11", "description": "first"})
    assert created.status_code == 201
    version = created.json()
    assert (version["name"], version["releaseDate"], version["description"], version["released"]) == ("1.0", "2025-03-11", "first", False)
    assert version["projectId"] == 10000 and version["self"].endswith(f"/version/{version['id']}")
    assert [v["name"] for v in jira("GET", "/project/DEMO/versions").json()] == ["1.0"]
    changed = jira("PUT", f"/version/{version['id']}", json={"name": "1.0.1", "released": True})
    assert changed.status_code == 200 and changed.json()["name"] == "1.0.1" and changed.json()["released"] is True
    assert jira("GET", f"/version/{version['id']}").json()["name"] == "1.0.1"
    assert jira("DELETE", f"/version/{version['id']}").status_code == 204
    gone = jira("GET", f"/version/{version['id']}")
    assert gone.status_code == 404 and gone.json()["errorMessages"] == [f"Could not find version for id '{version['id']}'"]


def test_the_paginated_version_list(jira):
    """Review of issue 18: GET project/{key}/version (PageBeanVersion, DC 7+ and Cloud) was a 404."""
    for name, released in (("1.0", True), ("1.1", False), ("2.0", False)):
        assert jira("POST", "/version", json={"name": name, "project": "DEMO", "released": released}).status_code == 201
    first = jira("GET", "/project/DEMO/version?maxResults=2")
    assert first.status_code == 200, first.text
    page = first.json()
    assert (page["startAt"], page["maxResults"], page["total"], page["isLast"]) == (0, 2, 3, False)
    assert [v["name"] for v in page["values"]] == ["1.0", "1.1"]
    assert page["self"].endswith("/project/DEMO/version?startAt=0&maxResults=2")
    assert page["nextPage"].endswith("/project/DEMO/version?startAt=2&maxResults=2")
    rest = jira("GET", "/project/DEMO/version?startAt=2&maxResults=2").json()
    assert [v["name"] for v in rest["values"]] == ["2.0"] and rest["isLast"] is True and "nextPage" not in rest
    assert [v["name"] for v in jira("GET", "/project/DEMO/version?status=unreleased&orderBy=-name").json()["values"]] == ["2.0", "1.1"]
    assert [v["name"] for v in jira("GET", "/project/DEMO/version?query=1.").json()["values"]] == ["1.0", "1.1"]
    for query in ("startAt=x", "maxResults=x", "status=gone", "orderBy=colour"):
        assert jira("GET", f"/project/DEMO/version?{query}").status_code == 400, query
    assert jira("GET", "/project/NOPE/version").status_code == 404


@pytest.mark.parametrize("resource", ["/version", "/component"])
@pytest.mark.parametrize("project", [[], {"key": "DEMO"}, True, 1.5])
def test_a_project_of_the_wrong_json_type_is_a_400(jira, resource, project):
    """Review of issue 18: was a 404 naming the Python value ("No project could be found with key '[]'")."""
    r = jira("POST", resource, json={"name": "x", "project": project})
    assert r.status_code == 400, r.text
    assert r.json()["errorMessages"] == ["Can not deserialize the request body: 'project' must be a project key or id."]


def test_cloud_paginated_component_list(sandbox):
    """Review of issue 18: Cloud's GET project/{key}/component (PageBeanComponentWithIssueCount) was a 404."""
    api = sandbox.jira_cloud + "/rest/api/3"
    for name, description in (("UI", "screens"), ("API", ""), ("Docs", "the manual")):
        made = sandbox.http.post(api + "/component", json={"name": name, "project": "DEMO", "description": description}, auth=CLOUD)
        assert made.status_code == 201, made.text
    sandbox.http.put(api + "/issue/DEMO-1", json={"fields": {"components": [{"name": "UI"}]}}, auth=CLOUD)
    r = sandbox.http.get(api + "/project/DEMO/component", params={"maxResults": 2}, auth=CLOUD)
    assert r.status_code == 200, r.text
    page = r.json()
    assert (page["total"], page["isLast"], [c["name"] for c in page["values"]]) == (3, False, ["API", "Docs"])
    assert page["values"][0]["issueCount"] == 0
    by_count = sandbox.http.get(api + "/project/DEMO/component", params={"orderBy": "-issueCount"}, auth=CLOUD).json()
    assert by_count["values"][0]["name"] == "UI" and by_count["values"][0]["issueCount"] == 1
    found = sandbox.http.get(api + "/project/DEMO/component", params={"query": "MANUAL"}, auth=CLOUD).json()
    assert [c["name"] for c in found["values"]] == ["Docs"]
    assert sandbox.http.get(api + "/project/DEMO/component", params={"orderBy": "size"}, auth=CLOUD).status_code == 400
    assert sandbox.http.get(api + "/project/NOPE/component", auth=CLOUD).status_code == 404
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/project/DEMO/component", auth=DC).status_code == 404  # Cloud only


def test_version_refusals(jira):
    jira("POST", "/version", json={"name": "2.0", "projectId": 10000})
    twice = jira("POST", "/version", json={"name": "2.0", "project": "DEMO"})
    assert twice.status_code == 400 and twice.json()["errors"] == {"name": "A version with this name already exists in this project."}
    bad_date = jira("POST", "/version", json={"name": "3.0", "project": "DEMO", "releaseDate": "11/03/2025"})
    assert bad_date.status_code == 400 and "releaseDate" in bad_date.json()["errors"]
    nowhere = jira("POST", "/version", json={"name": "3.0", "project": "NOPE"})
    assert nowhere.status_code == 404
    alice = ("alice", "alice") if not jira.cloud else ("alice@example.com", "sandbox-token-alice")
    assert jira("POST", "/version", json={"name": "4.0", "project": "DEMO"}, auth=alice).status_code == 403


def test_component_lifecycle(jira):
    lead = "accountId" if jira.cloud else "name"
    lead_field = "leadAccountId" if jira.cloud else "leadUserName"
    me = jira("GET", "/myself").json()[lead]
    body = {"name": "Backend", "project": "DEMO", "description": "APIs", "assigneeType": "COMPONENT_LEAD", lead_field: me}
    created = jira("POST", "/component", json=body)
    assert created.status_code == 201
    component = created.json()
    assert component["lead"][lead] == me and component["assigneeType"] == "COMPONENT_LEAD" and component["isAssigneeTypeValid"]
    assert component["project"] == "DEMO" and component["assignee"][lead] == me
    lonely = jira("POST", "/component", json={"name": "Docs", "project": "DEMO", "assigneeType": "COMPONENT_LEAD"}).json()
    assert lonely["isAssigneeTypeValid"] is False
    assert [c["name"] for c in jira("GET", "/project/DEMO/components").json()] == ["Backend", "Docs"]
    renamed = jira("PUT", f"/component/{component['id']}", json={"name": "Server", "description": "It is done."})
    assert renamed.json()["name"] == "Server" and renamed.json()["description"] == "It is done."
    assert jira("DELETE", f"/component/{component['id']}").status_code == 204
    assert jira("GET", f"/component/{component['id']}").status_code == 404


def test_issue_fields_by_name_or_id(jira):
    v1 = jira("POST", "/version", json={"name": "1.0", "project": "DEMO"}).json()
    v2 = jira("POST", "/version", json={"name": "2.0", "project": "DEMO"}).json()
    comp = jira("POST", "/component", json={"name": "UI", "project": "DEMO"}).json()
    fields = {"fixVersions": [{"name": "1.0"}, {"id": v2["id"]}], "versions": [{"id": int(v1["id"])}], "components": [{"name": "UI"}]}
    assert jira("PUT", "/issue/DEMO-1", json={"fields": fields}).status_code == 204
    got = jira("GET", "/issue/DEMO-1").json()["fields"]
    assert [v["name"] for v in got["fixVersions"]] == ["1.0", "2.0"]
    assert [v["name"] for v in got["versions"]] == ["1.0"] and [c["id"] for c in got["components"]] == [comp["id"]]
    update = {"fixVersions": [{"remove": {"name": "1.0"}}], "components": [{"remove": {"id": comp["id"]}}]}
    assert jira("PUT", "/issue/DEMO-1", json={"update": update}).status_code == 204
    got = jira("GET", "/issue/DEMO-1").json()["fields"]
    assert [v["name"] for v in got["fixVersions"]] == ["2.0"] and got["components"] == []
    bad = jira("PUT", "/issue/DEMO-1", json={"fields": {"fixVersions": [{"name": "9.9"}], "components": [{"id": "1"}]}})
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"fixVersions": "Version name '9.9' is not valid", "components": "Component id '1' is not valid"}
    jira("DELETE", f"/version/{v2['id']}")
    assert jira("GET", "/issue/DEMO-1").json()["fields"]["fixVersions"] == []


def test_create_issue_with_versions_and_the_create_screen_lists_them(jira):
    jira("POST", "/version", json={"name": "1.0", "project": "DEMO"})
    meta = jira("GET", "/issue/createmeta/DEMO/issuetypes/3").json()
    fields = {f["fieldId"]: f for f in (meta["fields"] if jira.cloud else meta["values"])}
    assert [v["name"] for v in fields["fixVersions"]["allowedValues"]] == ["1.0"]
    assert fields["fixVersions"]["schema"] == {"type": "array", "items": "version", "system": "fixVersions"}
    body = {"fields": {"project": {"key": "DEMO"}, "issuetype": {"id": "3"}, "summary": "s", "fixVersions": [{"name": "1.0"}]}}
    key = jira("POST", "/issue", json=body).json()["key"]
    assert [v["name"] for v in jira("GET", f"/issue/{key}").json()["fields"]["fixVersions"]] == ["1.0"]
