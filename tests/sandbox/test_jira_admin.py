"""Project administration as a script or test suite needs it (issue 18): create and delete a
project with the default schemes, the schemes and categories listed, roles, permissions,
application properties and project templates."""

DC = ("admin", "admin")
ALICE = ("alice", "alice")
CLOUD = ("admin@example.com", "sandbox-token-admin")
TEMPLATE = "com.pyxis.greenhopper.jira:basic-software-development-template"


def _api(sandbox, method, path, auth=DC, base=None, **kwargs):
    return sandbox.http.request(method, (base or sandbox.jira) + "/rest/api/2" + path, auth=auth, **kwargs)


def test_schemes_and_categories_a_project_is_made_with(sandbox):
    schemes = _api(sandbox, "GET", "/permissionscheme").json()["permissionSchemes"]
    assert [(s["id"], s["name"]) for s in schemes] == [(0, "Default Permission Scheme")]
    security = _api(sandbox, "GET", "/issuesecurityschemes").json()["issueSecuritySchemes"]
    assert [s["id"] for s in security] == [10000]
    assert _api(sandbox, "GET", "/issuesecurityschemes", auth=ALICE).status_code == 403
    assert _api(sandbox, "GET", "/projectCategory").json() == []
    made = _api(sandbox, "POST", "/projectCategory", json={"name": "Internal", "description": "ours"})
    assert made.status_code == 201 and made.json()["name"] == "Internal"
    assert _api(sandbox, "POST", "/projectCategory", json={"name": "internal"}).status_code == 409
    assert _api(sandbox, "GET", f"/projectCategory/{made.json()['id']}").json()["description"] == "ours"
    assert _api(sandbox, "DELETE", f"/projectCategory/{made.json()['id']}").status_code == 204


def test_create_and_delete_a_project(sandbox):
    category = _api(sandbox, "POST", "/projectCategory", json={"name": "Tests"}).json()
    body = {"key": "ZTEST", "name": "Test project", "projectTypeKey": "software", "projectTemplateKey": TEMPLATE, "lead": "admin",
            "assigneeType": "PROJECT_LEAD", "permissionScheme": 0, "issueSecurityScheme": 10000, "categoryId": int(category["id"])}
    created = _api(sandbox, "POST", "/project", json=body)
    assert created.status_code == 201 and created.json()["key"] == "ZTEST" and isinstance(created.json()["id"], int)
    project = _api(sandbox, "GET", "/project/ZTEST").json()
    assert project["name"] == "Test project" and project["lead"]["name"] == "admin"
    assert project["projectCategory"]["name"] == "Tests" and project["assigneeType"] == "PROJECT_LEAD"
    assert sorted(p["key"] for p in _api(sandbox, "GET", "/project").json()) == ["DEMO", "ZTEST"]
    assert _api(sandbox, "GET", "/project/ZTEST/permissionscheme").json()["name"] == "Default Permission Scheme"
    assert _api(sandbox, "GET", "/project/ZTEST/notificationscheme").json()["name"] == "Default Notification Scheme"
    assert _api(sandbox, "GET", "/project/ZTEST/priorityscheme").json()["name"] == "Default priority scheme"
    assert _api(sandbox, "GET", "/project/ZTEST/workflowscheme").json()["name"] == "ZTEST: Software Simplified Workflow Scheme"
    # A template brings its own schemes: no issue security.
    assert _api(sandbox, "GET", "/project/ZTEST/issuesecuritylevelscheme").status_code == 404
    issue = {"fields": {"project": {"key": "ZTEST"}, "issuetype": {"name": "Bug"}, "summary": "in the new project"}}
    key = _api(sandbox, "POST", "/issue", json=issue).json()["key"]
    assert key == "ZTEST-1"
    assert _api(sandbox, "DELETE", "/project/ZTEST").status_code == 204
    gone = _api(sandbox, "GET", "/project/ZTEST")
    assert gone.status_code == 404 and gone.json()["errorMessages"] == ["No project could be found with key 'ZTEST'."]
    assert _api(sandbox, "GET", f"/issue/{key}").status_code == 404


def test_project_refusals(sandbox):
    body = {"key": "DEMO", "name": "Demo", "projectTypeKey": "software", "lead": "admin"}
    twice = _api(sandbox, "POST", "/project", json=body)
    assert twice.status_code == 400
    assert twice.json()["errors"] == {"projectKey": "Project 'Demo' uses this project key.", "projectName": "A project with that name already exists."}
    bad = _api(sandbox, "POST", "/project", json={**body, "key": "lower", "name": "Other", "lead": "ghost"})
    assert set(bad.json()["errors"]) == {"projectKey", "projectLead"}
    assert _api(sandbox, "POST", "/project", json={**body, "key": "ALICE", "name": "Hers"}, auth=ALICE).status_code == 403


def test_project_name_key_and_url_length_limits(sandbox):
    """Jira DC's limits and messages: a key of 10 characters, a name of 80, a URL of 255."""
    body = {"key": "LONGKEY", "name": "Long", "projectTypeKey": "software", "lead": "admin"}
    long_key = _api(sandbox, "POST", "/project", json={**body, "key": "ABCDEFGHIJK"})
    assert long_key.status_code == 400
    assert long_key.json()["errors"] == {"projectKey": "The project key must not exceed 10 characters in length."}
    long_name = _api(sandbox, "POST", "/project", json={**body, "name": "N" * 81, "url": "https://e.com/" + "u" * 242})
    assert long_name.json()["errors"] == {"projectName": "The project name must not exceed 80 characters in length.",
                                          "projectUrl": "The URL must not exceed 255 characters in length."}
    assert _api(sandbox, "POST", "/project", json={**body, "key": "ABCDEFGHIJ", "name": "N" * 80}).status_code == 201
    assert _api(sandbox, "PUT", "/project/ABCDEFGHIJ", json={"name": "M" * 81}).status_code == 400
    assert "exceed" not in _api(sandbox, "POST", "/project", json={**body, "key": "lower"}).json()["errors"]["projectKey"]
    cloud = {"key": "CLOUDY", "name": "C" * 81, "projectTypeKey": "software", "leadAccountId": "5f8e3c2a1b0d4e0069a1b2c3"}
    assert _api(sandbox, "POST", "/project", json=cloud, auth=CLOUD, base=sandbox.jira_cloud).status_code == 201  # not sourced for Cloud


def test_deleting_a_project_that_does_not_exist_is_a_404(sandbox):
    """Was a 405: the path had no DELETE."""
    r = _api(sandbox, "DELETE", "/project/NOPE")
    assert r.status_code == 404 and r.json()["errorMessages"] == ["No project could be found with key 'NOPE'."]


def test_project_roles(sandbox):
    roles = _api(sandbox, "GET", "/project/DEMO/role").json()
    assert set(roles) == {"Administrators", "Developers", "Users"}
    role = _api(sandbox, "GET", "/project/DEMO/role/10002").json()
    assert role["name"] == "Administrators" and [a["name"] for a in role["actors"]] == ["jira-administrators"]
    body = {"id": 10002, "categorisedActors": {"atlassian-user-role-actor": ["alice"], "atlassian-group-role-actor": ["jira-administrators"]}}
    updated = _api(sandbox, "PUT", "/project/DEMO/role/10002", json=body).json()
    assert {a["name"] for a in updated["actors"]} == {"jira-administrators", "alice"}


def test_my_permissions(sandbox):
    mine = _api(sandbox, "GET", "/mypermissions", params={"projectKey": "DEMO"}).json()["permissions"]
    assert len(mine) >= 40 and mine["ADMINISTER_PROJECTS"]["havePermission"] is True
    hers = _api(sandbox, "GET", "/mypermissions", params={"issueKey": "DEMO-1"}, auth=ALICE).json()["permissions"]
    assert hers["BROWSE_PROJECTS"]["havePermission"] is True and hers["DELETE_ISSUES"]["havePermission"] is False
    cloud = _api(sandbox, "GET", "/mypermissions", base=sandbox.jira_cloud, auth=CLOUD, params={"permissions": "BROWSE_PROJECTS,CREATE_ISSUES"})
    assert set(cloud.json()["permissions"]) == {"BROWSE_PROJECTS", "CREATE_ISSUES"}
    assert _api(sandbox, "GET", "/mypermissions", base=sandbox.jira_cloud, auth=CLOUD).status_code == 400


def test_application_properties(sandbox):
    listed = _api(sandbox, "GET", "/application-properties").json()
    assert all({"id", "key", "value", "name", "type"} <= p.keys() for p in listed)
    key = "jira.lf.text.headingcolour"
    assert _api(sandbox, "GET", "/application-properties", params={"key": key}).json()["value"] == "#172b4d"
    assert _api(sandbox, "PUT", f"/application-properties/{key}", json={"id": key, "value": "#000000"}).status_code == 200
    assert _api(sandbox, "GET", "/application-properties", params={"key": key}).json()["value"] == "#000000"
    assert _api(sandbox, "PUT", "/application-properties/random.nonexistent", json={"value": "1"}).status_code == 404
    assert _api(sandbox, "GET", "/application-properties", auth=ALICE).status_code == 403


def test_project_templates(sandbox):
    r = sandbox.http.get(sandbox.jira + "/rest/project-templates/latest/templates", auth=DC).json()
    names = {t["name"] for group in r["projectTemplatesGroupedByType"] for t in group["projectTemplates"]}
    assert names == {"Basic software development", "Kanban software development", "Scrum software development",
                     "Project management", "Process management", "Task management"}


def test_role_actors_of_the_wrong_type_are_a_400(sandbox):
    for method, body in (("PUT", {"categorisedActors": "x"}), ("PUT", {"categorisedActors": {"atlassian-user-role-actor": "admin"}}),
                         ("POST", {"user": 5}), ("POST", {"group": "jira-administrators"})):
        r = _api(sandbox, method, "/project/DEMO/role/10002", json=body)
        assert r.status_code == 400 and r.json()["errorMessages"][0].startswith("Can not deserialize the request body")
    added = _api(sandbox, "POST", "/project/DEMO/role/10001", json={"user": ["alice"]}).json()
    assert [a["name"] for a in added["actors"]] == ["alice"]


def test_permission_schemes_are_created_by_administrators_only(sandbox):
    """Review of issue 18: POST permissionscheme was a 405 for everyone; Jira creates one for an
    administrator (201) and refuses anyone else (403)."""
    for base, auth in ((sandbox.jira, ALICE), (sandbox.url + "/jira-cloud", ("alice@example.com", "sandbox-token-alice"))):
        refused = _api(sandbox, "POST", "/permissionscheme", auth=auth, base=base, json={"name": "Mine"})
        assert refused.status_code == 403, refused.text
        assert refused.json() == {"errorMessages": ["You are not authorized to perform this operation."], "errors": {}}
    made = _api(sandbox, "POST", "/permissionscheme", json={"name": "Tests", "description": "for the suite", "permissions": []})
    assert made.status_code == 201, made.text
    scheme = made.json()
    assert scheme["name"] == "Tests" and scheme["self"].endswith(f"/permissionscheme/{scheme['id']}")
    listed = _api(sandbox, "GET", "/permissionscheme").json()["permissionSchemes"]
    assert [s["name"] for s in listed] == ["Default Permission Scheme", "Tests"]
    assert _api(sandbox, "GET", f"/permissionscheme/{scheme['id']}").json()["description"] == "for the suite"
    twice = _api(sandbox, "POST", "/permissionscheme", json={"name": "tests"})
    assert twice.status_code == 400 and "name" in twice.json()["errors"]
    for body in ({}, {"name": " "}, {"name": 5}, {"name": "X", "permissions": "all"}, [], "Tests"):
        assert _api(sandbox, "POST", "/permissionscheme", json=body).status_code == 400, body
    project = {"key": "PS", "name": "With scheme", "projectTypeKey": "software", "lead": "admin", "permissionScheme": scheme["id"]}
    assert _api(sandbox, "POST", "/project", json=project).status_code == 201
    assert _api(sandbox, "DELETE", f"/permissionscheme/{scheme['id']}", auth=ALICE).status_code == 403
    assert _api(sandbox, "DELETE", f"/permissionscheme/{scheme['id']}").status_code == 204
    assert _api(sandbox, "GET", f"/permissionscheme/{scheme['id']}").status_code == 404
    assert _api(sandbox, "DELETE", "/permissionscheme/0").status_code == 400
    assert _api(sandbox, "DELETE", "/permissionscheme/999").status_code == 404
