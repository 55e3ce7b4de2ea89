"""Odd input gets Jira's 4xx answers, never a 500: every case is answered with an ErrorCollection
({"errorMessages": [...], "errors": {...}}, §1.8) whose messages show no Python internals."""

import pytest

ADMIN = ("admin", "admin")
CLOUD = ("admin@example.com", "sandbox-token-admin")
JSON = {"Content-Type": "application/json"}
NO_CHECK = {"X-Atlassian-Token": "no-check"}
NEW_ISSUE = {"project": {"key": "DEMO"}, "issuetype": {"name": "Task"}, "summary": "s"}


def _search(jql):
    return ("GET", "/jira/rest/api/2/search", {"params": {"jql": jql}, "auth": ADMIN})


def _search_post(raw):
    return ("POST", "/jira/rest/api/2/search", {"content": raw, "headers": JSON, "auth": ADMIN})


def _create(**fields):
    return ("POST", "/jira/rest/api/2/issue", {"json": {"fields": {**NEW_ISSUE, **fields}}, "auth": ADMIN})


CASES = {
    # ids: ASCII digits only ("²".isdigit() is true in Python)
    "issue ²": ("GET", "/jira/rest/api/2/issue/%C2%B2", {"auth": ADMIN}, 404, "Issue Does Not Exist"),
    "issue 5000 digits": ("GET", "/jira/rest/api/2/issue/" + "9" * 5000, {"auth": ADMIN}, 404, "Issue Does Not Exist"),
    "comment ²": ("GET", "/jira/rest/api/2/issue/DEMO-1/comment/%C2%B2", {"auth": ADMIN}, 404, "Can not find a comment for the id: ²."),
    "attachment ²": ("GET", "/jira/rest/api/2/attachment/%C2%B2", {"auth": ADMIN}, 404, "The attachment with id '²' does not exist"),
    "cloud attachment ²": ("GET", "/jira-cloud/rest/api/3/attachment/%C2%B2", {"auth": CLOUD}, 404, "does not exist"),
    "PAT ²": ("DELETE", "/jira/rest/pat/latest/tokens/%C2%B2", {"auth": ADMIN}, 404, "Token with id ² does not exist."),
    "JQL key = ²": (*_search("key = ²"), 400, "An issue with key '²' does not exist for field 'key'."),
    # bodies
    "non-UTF-8 JSON": ("POST", "/jira/rest/auth/1/session", {"content": b'{"username":"\xff"}', "headers": JSON}, 400, "Invalid UTF-8"),
    "JSON nested too deeply": ("POST", "/jira/rest/api/2/issue", {"content": b"[" * 100_000, "headers": JSON, "auth": ADMIN}, 400, "nested"),
    "multipart without boundary": (
        "POST",
        "/jira/rest/api/2/issue/DEMO-1/attachments",
        {"content": b"xx", "headers": {"Content-Type": "multipart/form-data", **NO_CHECK}, "auth": ADMIN},
        400,
        "Missing boundary in multipart.",
    ),
    "broken multipart": (
        "POST",
        "/jira/rest/api/2/issue/DEMO-1/attachments",
        {"content": b"garbage", "headers": {"Content-Type": "multipart/form-data; boundary=abc", **NO_CHECK}, "auth": ADMIN},
        400,
        "Invalid multipart data.",
    ),
    "PAT expiry 10**20 days": (
        "POST",
        "/jira/rest/pat/latest/tokens",
        {"json": {"name": "x", "expirationDuration": 10**20}, "auth": ADMIN},
        400,
        "from 1 to 3650",
    ),
    # DC search bodies of the wrong types
    "search jql 5": (*_search_post(b'{"jql": 5}'), 400, "'jql' must be a string"),
    "search fields [1, 2]": (*_search_post(b'{"fields": [1, 2]}'), 400, "'fields' must be a list of strings"),
    "search expand 5": (*_search_post(b'{"expand": 5}'), 400, "'expand' must be a list of strings"),
    "search maxResults 1e999": (*_search_post(b'{"maxResults": 1e999}'), 400, "The 'maxResults' parameter must be a number."),
    "search maxResults true": (*_search_post(b'{"maxResults": true}'), 400, "The 'maxResults' parameter must be a number."),
    "search startAt ٣": ("GET", "/jira/rest/api/2/search", {"params": {"startAt": "٣"}, "auth": ADMIN}, 400, "must be a number"),
    "cloud search jql []": (
        "POST",
        "/jira-cloud/rest/api/3/search/approximate-count",
        {"json": {"jql": ["x"]}, "auth": CLOUD},
        400,
        "'jql' must be a string",
    ),
    # documents and field values
    "ADF content 5": (
        "POST",
        "/jira-cloud/rest/api/3/issue/DEMO-1/comment",
        {"json": {"body": {"type": "doc", "content": [{"type": "paragraph", "content": 5}]}}, "auth": CLOUD},
        400,
        "Operation value must be an Atlassian Document",
    ),
    "ADF text list": (
        "POST",
        "/jira-cloud/rest/api/3/issue/DEMO-1/comment",
        {"json": {"body": {"type": "doc", "content": [{"type": "text", "text": ["a"]}]}}, "auth": CLOUD},
        400,
        "Operation value must be an Atlassian Document",
    ),
    "assignee a string": (*_create(assignee="admin"), 400, "data was not an object"),
    "assignee name a list": (*_create(assignee={"name": ["a"]}), 400, "Operation value must be a string"),
    "transition id a list": (
        "POST",
        "/jira/rest/api/2/issue/DEMO-1/transitions",
        {"json": {"transition": {"id": [1]}}, "auth": ADMIN},
        400,
        "'transition.id' must be a string",
    ),
    "user without a name": ("GET", "/jira/rest/api/2/user", {"auth": ADMIN}, 404, "The user named 'null' does not exist"),
    "user displayName a list": (
        "POST",
        "/jira/rest/api/2/user",
        {"json": {"name": "zed", "emailAddress": "z@example.com", "displayName": ["x"]}, "auth": ADMIN},
        400,
        "'displayName' must be a string",
    ),
    "group member name a list": (
        "POST",
        "/jira/rest/api/2/group/user",
        {"params": {"groupname": "jira-administrators"}, "json": {"name": ["a"]}, "auth": ADMIN},
        400,
        "'name' must be a string",
    ),
    # JQL values where they mean nothing
    "JQL status = currentUser()": (*_search("status = currentUser()"), 400, "A value provided by the function 'currentUser' is invalid for the field 'status'."),
    "JQL key = currentUser()": (*_search("key = currentUser()"), 400, "A value provided by the function 'currentUser' is invalid for the field 'key'."),
    "JQL summary ~ currentUser()": (*_search("summary ~ currentUser()"), 400, "is invalid for the field 'summary'."),
    "JQL created > EMPTY": (*_search("created > EMPTY"), 400, "The field 'created' does not support searching for EMPTY values."),
    "JQL summary ~ EMPTY": (*_search("summary ~ EMPTY"), 400, "The field 'summary' does not support searching for EMPTY values."),
}


@pytest.mark.parametrize("method,path,kwargs,status,message", CASES.values(), ids=CASES.keys())
def test_odd_input_gets_a_jira_4xx(sandbox, method, path, kwargs, status, message):
    r = sandbox.http.request(method, sandbox.url + path, **kwargs)
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"errorMessages", "errors"}
    text = " ".join(body["errorMessages"] + list(body["errors"].values()))
    assert message in text
    for internal in ("<class", "None", "'['", "'[1]'", "Traceback"):
        assert internal not in text


@pytest.mark.parametrize("value", [b"Basic \xe9\xe9\xe9", b"Basic " + "é:é".encode()])
def test_non_ascii_basic_value_is_a_failed_login(sandbox, value):
    r = sandbox.http.get(sandbox.jira + "/rest/api/2/myself", headers={"Authorization": value})
    assert r.status_code == 401 and r.headers["x-seraph-loginreason"] == "AUTHENTICATED_FAILED"


def test_malformed_multipart_is_not_logged(sandbox, caplog):
    headers = {"Content-Type": "multipart/form-data; boundary=abc", **NO_CHECK}
    r = sandbox.http.post(sandbox.jira + "/rest/api/2/issue/DEMO-1/attachments", content=b"garbage", headers=headers, auth=ADMIN)
    assert r.status_code == 400
    assert [rec.getMessage() for rec in caplog.records if rec.name.startswith("python_multipart")] == []


def test_null_user_values_unassign(sandbox):
    """Atlassian KB: a null name removes the assignee (Cloud: a null accountId)."""
    for base, auth, value in ((sandbox.jira, ADMIN, {"name": None}), (sandbox.jira_cloud, CLOUD, {"accountId": None})):
        r = sandbox.http.put(base + "/rest/api/2/issue/DEMO-1", json={"fields": {"assignee": value}}, auth=auth)
        assert r.status_code == 204
        assert sandbox.http.get(base + "/rest/api/2/issue/DEMO-1", auth=auth).json()["fields"]["assignee"] is None

