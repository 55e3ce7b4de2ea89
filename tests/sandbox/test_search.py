"""JQL search with real pagination: DC /search, Cloud /search/jql (server-behaviour.md §1.8)."""

import pytest

ADMIN = ("admin", "admin")
CLOUD = ("admin@example.com", "sandbox-token-admin")


def keys(sandbox, jql, auth=ADMIN, **params):
    r = sandbox.http.get(sandbox.jira + "/rest/api/2/search", params={"jql": jql, **params}, auth=auth)
    assert r.status_code == 200, r.text
    return [i["key"] for i in r.json()["issues"]]


@pytest.mark.parametrize(
    "jql,expected",
    [
        ("project = DEMO ORDER BY key ASC", ["DEMO-1", "DEMO-2", "DEMO-3"]),
        ("project = demo ORDER BY key DESC", ["DEMO-3", "DEMO-2", "DEMO-1"]),
        ("key = DEMO-2", ["DEMO-2"]),
        ('status = "In Progress"', ["DEMO-2"]),
        ("status = 'to do' OR status = Done ORDER BY created ASC", ["DEMO-1", "DEMO-3"]),
        ("project = DEMO AND status != Done ORDER BY created DESC", ["DEMO-2", "DEMO-1"]),
        ("assignee = currentUser()", ["DEMO-1"]),
        ("assignee = alice", ["DEMO-2"]),
        ("assignee is EMPTY", ["DEMO-3"]),
        ("issuetype in (Bug, Story) ORDER BY key", ["DEMO-2", "DEMO-3"]),
        ("key not in (DEMO-1) AND resolution = Unresolved", ["DEMO-2"]),
        ("summary ~ export", ["DEMO-3"]),
        ("NOT (status = Done) AND (type = Task OR type = Bug) ORDER BY key", ["DEMO-1", "DEMO-2"]),
        ("created >= 2025-01-01 AND created < '2025-01-01 11:30' ORDER BY key", ["DEMO-1", "DEMO-2"]),
        ("ORDER BY created ASC", ["DEMO-1", "DEMO-2", "DEMO-3"]),
        ("", ["DEMO-3", "DEMO-2", "DEMO-1"]),  # newest first without ORDER BY
    ],
)
def test_jql(sandbox, jql, expected):
    assert keys(sandbox, jql) == expected


def test_current_user_is_the_caller(sandbox):
    assert keys(sandbox, "assignee = currentUser()", auth=("alice", "alice")) == ["DEMO-2"]


@pytest.mark.parametrize(
    "jql,message",
    [
        ("colour = red", "Field 'colour' does not exist or you do not have permission to view it."),
        ("project = NOPE", "The value 'NOPE' does not exist for the field 'project'."),
        ("key = DEMO-99", "An issue with key 'DEMO-99' does not exist for field 'key'."),
        ('status = "Blocked"', "The value 'Blocked' does not exist for the field 'status'."),
        ("project DEMO", "Error in the JQL Query: Expecting operator but got 'DEMO'."),
        ("project = DEMO status = Done", "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'status'. (line 1, character 16)"),
        ("project = DEMO ORDER BY colour", "Field 'colour' does not exist or you do not have permission to view it."),
    ],
)
def test_jql_errors(sandbox, jql, message):
    r = sandbox.http.get(sandbox.jira + "/rest/api/2/search", params={"jql": jql}, auth=ADMIN)
    assert r.status_code == 400
    assert r.json()["errors"] == {}
    assert r.json()["errorMessages"][0].startswith(message)


def test_dc_pagination_get(sandbox):
    page = sandbox.http.get(
        sandbox.jira + "/rest/api/2/search", params={"jql": "order by key", "startAt": 1, "maxResults": 1}, auth=ADMIN
    ).json()
    assert (page["startAt"], page["maxResults"], page["total"]) == (1, 1, 3)
    assert [i["key"] for i in page["issues"]] == ["DEMO-2"]
    assert page["expand"] == "schema,names"


def test_dc_pagination_post(sandbox):
    body = {"jql": "project = DEMO ORDER BY key", "startAt": 2, "maxResults": 5, "fields": ["summary"], "validateQuery": True}
    page = sandbox.http.post(sandbox.jira + "/rest/api/2/search", json=body, auth=ADMIN).json()
    assert (page["startAt"], page["maxResults"], page["total"]) == (2, 5, 3)
    assert page["issues"][0]["key"] == "DEMO-3" and list(page["issues"][0]["fields"]) == ["summary"]


def test_dc_max_results_is_capped(sandbox):
    page = sandbox.http.get(sandbox.jira + "/rest/api/2/search", params={"maxResults": 5000}, auth=ADMIN).json()
    assert page["maxResults"] == 1000


def test_dc_default_fields_are_navigable(sandbox):
    issue = sandbox.http.get(sandbox.jira + "/rest/api/2/search", params={"jql": "key = DEMO-1"}, auth=ADMIN).json()["issues"][0]
    assert "summary" in issue["fields"] and "comment" not in issue["fields"]


def test_cloud_search_jql_pages_with_tokens(sandbox):
    url = sandbox.jira_cloud + "/rest/api/3/search/jql"
    first = sandbox.http.get(url, params={"jql": "project = DEMO ORDER BY key", "maxResults": 2}, auth=CLOUD).json()
    assert [i["key"] for i in first["issues"]] == ["DEMO-1", "DEMO-2"]
    assert first["isLast"] is False and "total" not in first and "startAt" not in first
    assert "fields" not in first["issues"][0]  # ids only unless fields are asked for
    second = sandbox.http.get(
        url, params={"jql": "project = DEMO ORDER BY key", "maxResults": 2, "nextPageToken": first["nextPageToken"]}, auth=CLOUD
    ).json()
    assert [i["key"] for i in second["issues"]] == ["DEMO-3"]
    assert second["isLast"] is True and "nextPageToken" not in second


@pytest.mark.parametrize("max_results", [0, -3])
def test_cloud_search_jql_max_results_below_one_counts_as_one(sandbox, max_results):
    """A page of nothing with a token for the same offset would make clients loop forever."""
    url = sandbox.jira_cloud + "/rest/api/3/search/jql"
    params = {"jql": "project = DEMO ORDER BY key", "maxResults": max_results}
    seen = []
    for _ in range(4):  # three pages of one, then the loop must have ended
        page = sandbox.http.get(url, params=params, auth=CLOUD).json()
        seen += [i["key"] for i in page["issues"]]
        if page["isLast"]:
            break
        params["nextPageToken"] = page["nextPageToken"]
    assert seen == ["DEMO-1", "DEMO-2", "DEMO-3"] and page["isLast"] is True


def test_cloud_search_jql_post_with_fields(sandbox):
    body = {"jql": "key = DEMO-2", "fields": ["summary", "status"], "maxResults": 10}
    r = sandbox.http.post(sandbox.jira_cloud + "/rest/api/3/search/jql", json=body, auth=CLOUD)
    issue = r.json()["issues"][0]
    assert set(issue["fields"]) == {"summary", "status"}


def test_cloud_rejects_unbounded_queries_and_bad_tokens(sandbox):
    url = sandbox.jira_cloud + "/rest/api/3/search/jql"
    r = sandbox.http.get(url, params={"jql": "ORDER BY key"}, auth=CLOUD)
    assert r.status_code == 400
    assert r.json()["errorMessages"] == ["Unbounded JQL queries are not allowed here. Please add a search restriction to your query."]
    r = sandbox.http.get(url, params={"jql": "project = DEMO", "nextPageToken": "garbage"}, auth=CLOUD)
    assert r.status_code == 400


@pytest.mark.parametrize("api", ["2", "3"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_cloud_old_search_is_gone(sandbox, api, method):
    r = sandbox.http.request(method, sandbox.jira_cloud + f"/rest/api/{api}/search", params={"jql": "project = DEMO"}, json={}, auth=CLOUD)
    assert r.status_code == 410
    assert r.json() == {
        "errorMessages": [
            "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
            "A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"
        ],
        "errors": {},
    }


def test_cloud_approximate_count(sandbox):
    r = sandbox.http.post(sandbox.jira_cloud + "/rest/api/3/search/approximate-count", json={"jql": "project = DEMO"}, auth=CLOUD)
    assert r.json() == {"count": 3}


def test_search_jql_is_cloud_only(sandbox):
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/search/jql", params={"jql": "project = DEMO"}, auth=ADMIN).status_code == 404
