"""Anonymous access (server-behaviour.md §1.6, §1.8)."""

NOT_AUTHENTICATED = '{"errorMessages":["You are not authenticated. Authentication required to perform this operation."],"errors":{}}'


def test_server_info_is_anonymous(sandbox):
    r = sandbox.http.get(sandbox.jira + "/rest/api/2/serverInfo")
    assert r.status_code == 200 and r.headers["x-ausername"] == "anonymous"
    assert "set-cookie" not in r.headers  # anonymous REST calls open no session
    assert sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/serverInfo").status_code == 200
    stats = sandbox.stats()
    assert stats["requests_by_auth"]["anonymous"] == 2


def test_myself_needs_a_user(sandbox):
    r = sandbox.http.get(sandbox.jira + "/rest/api/2/myself")
    assert r.status_code == 401 and r.text == NOT_AUTHENTICATED
    assert r.headers["www-authenticate"].startswith("OAuth realm=")


def test_hidden_project_is_404_not_401(sandbox):
    r = sandbox.http.get(sandbox.jira + "/rest/api/2/project/DEMO")
    assert r.status_code == 404
    assert r.json() == {"errorMessages": ["No project could be found with key 'DEMO'."], "errors": {}}
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/project").json() == []


def test_hidden_issue_asks_for_a_login(sandbox):
    r = sandbox.http.get(sandbox.jira + "/rest/api/2/issue/DEMO-1")
    assert r.status_code == 401
    assert r.json()["errorMessages"] == ["You do not have the permission to see the specified issue.", "Login Required"]
    missing = sandbox.http.get(sandbox.jira + "/rest/api/2/issue/DEMO-99")
    assert missing.status_code == 404 and missing.json()["errorMessages"] == ["Issue Does Not Exist"]


def test_cloud_hidden_issue(sandbox):
    r = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/issue/DEMO-1")
    assert r.status_code == 404
    assert r.json()["errorMessages"] == ["Issue does not exist or you do not have permission to see it."]


def test_search_cannot_see_the_project(sandbox):
    r = sandbox.http.get(sandbox.jira + "/rest/api/2/search", params={"jql": "project = DEMO"})
    assert r.status_code == 400
    assert r.json()["errorMessages"] == ["The value 'DEMO' does not exist for the field 'project'."]
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/search").json()["total"] == 0


def test_writes_need_a_user(sandbox):
    body = {"fields": {"project": {"key": "DEMO"}, "issuetype": {"name": "Task"}, "summary": "x"}}
    r = sandbox.http.post(sandbox.jira + "/rest/api/2/issue", json=body)
    assert r.status_code == 401 and r.text == NOT_AUTHENTICATED
