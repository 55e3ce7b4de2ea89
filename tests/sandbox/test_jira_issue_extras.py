"""Issue resources issue 18 found missing or answering wrong: comment edit/delete and visibility,
remote links, filters, bulk create, assignee, attachment/meta, status/{id}, priority/{id},
status categories, and Tomcat's limit on a request's head."""

DC = ("admin", "admin")
ALICE = ("alice", "alice")
CLOUD = ("admin@example.com", "sandbox-token-admin")


def test_comment_visibility_is_in_the_answer_and_hides_the_comment(sandbox):
    visibility = {"type": "role", "value": "Administrators"}
    r = sandbox.http.post(sandbox.jira + "/rest/api/2/issue/DEMO-1/comment", json={"body": "admins only", "visibility": visibility}, auth=DC)
    assert r.status_code == 201 and r.json()["visibility"] == visibility
    comment_id = r.json()["id"]
    assert [c["body"] for c in sandbox.http.get(sandbox.jira + "/rest/api/2/issue/DEMO-1/comment", auth=DC).json()["comments"]] == ["admins only"]
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/issue/DEMO-1/comment", auth=ALICE).json()["comments"] == []
    assert sandbox.http.get(sandbox.jira + f"/rest/api/2/issue/DEMO-1/comment/{comment_id}", auth=ALICE).status_code == 404
    bad = sandbox.http.post(sandbox.jira + "/rest/api/2/issue/DEMO-1/comment", json={"body": "x", "visibility": {"type": "group", "value": "nobody"}}, auth=DC)
    assert bad.status_code == 400 and bad.json()["errors"] == {"comment": "Group: nobody does not exist."}


def test_comment_edit_delete_order_and_rendered_body(jira):
    first = jira("POST", "/issue/DEMO-1/comment", json={"body": "First"}).json()
    jira("POST", "/issue/DEMO-1/comment", json={"body": "Second"})
    edited = jira("PUT", f"/issue/DEMO-1/comment/{first['id']}", params={"notifyUsers": "false"}, json={"body": "First, edited"})
    assert edited.status_code == 200 and edited.json()["body"] == "First, edited"
    newest = jira("GET", "/issue/DEMO-1/comment", params={"orderBy": "-created", "expand": "renderedBody"}).json()["comments"]
    assert [c["body"] for c in newest] == ["Second", "First, edited"] and newest[0]["renderedBody"] == "<p>Second</p>"
    assert "renderedBody" not in jira("GET", f"/issue/DEMO-1/comment/{first['id']}").json()
    assert jira("DELETE", f"/issue/DEMO-1/comment/{first['id']}").status_code == 204
    assert jira("GET", f"/issue/DEMO-1/comment/{first['id']}").status_code == 404


def test_only_the_author_or_an_administrator_edits_a_comment(sandbox):
    mine = sandbox.http.post(sandbox.jira + "/rest/api/2/issue/DEMO-1/comment", json={"body": "admin's"}, auth=DC).json()
    url = sandbox.jira + f"/rest/api/2/issue/DEMO-1/comment/{mine['id']}"
    assert sandbox.http.put(url, json={"body": "hers"}, auth=ALICE).status_code == 403
    assert sandbox.http.delete(url, auth=ALICE).status_code == 403


def test_remote_links(jira):
    link = {"globalId": "system=x&id=1", "application": {"name": "Docs", "type": "wiki"}, "relationship": "documents",
            "object": {"url": "https://example.com/doc", "title": "The doc"}}
    created = jira("POST", "/issue/DEMO-1/remotelink", json=link)
    assert created.status_code == 201
    link_id = created.json()["id"]
    again = jira("POST", "/issue/DEMO-1/remotelink", json={**link, "object": {"url": "https://example.com/v2", "title": "v2"}})
    assert again.status_code == 200 and again.json()["id"] == link_id  # same globalId: updated
    listed = jira("GET", "/issue/DEMO-1/remotelink").json()
    assert [(r["id"], r["object"]["title"], r["relationship"]) for r in listed] == [(link_id, "v2", "documents")]
    assert jira("GET", "/issue/DEMO-1/remotelink", params={"globalId": "system=x&id=1"}).json()["id"] == link_id
    assert jira("PUT", f"/issue/DEMO-1/remotelink/{link_id}", json={"object": {"url": "https://e.com", "title": "t"}}).status_code == 204
    assert jira("GET", f"/issue/DEMO-1/remotelink/{link_id}").json()["object"]["title"] == "t"
    assert jira("GET", f"/issue/DEMO-2/remotelink/{link_id}").status_code == 404
    assert jira("POST", "/issue/DEMO-1/remotelink", json={"object": {"title": "no url"}}).status_code == 400
    assert jira("DELETE", f"/issue/DEMO-1/remotelink/{link_id}").status_code == 204
    second = jira("POST", "/issue/DEMO-1/remotelink", json=link).json()["id"]
    assert jira("DELETE", "/issue/DEMO-1/remotelink", params={"globalId": "system=x&id=1"}).status_code == 204
    assert jira("GET", f"/issue/DEMO-1/remotelink/{second}").status_code == 404


def test_filters(jira):
    jira("POST", "/component", json={"name": "UI", "project": "DEMO"})
    jira("PUT", "/issue/DEMO-2", json={"fields": {"components": [{"name": "UI"}]}})
    made = jira("POST", "/filter", json={"name": "Mine", "jql": "project = DEMO AND component is not EMPTY", "favourite": True})
    assert made.status_code == 200 and made.json()["favourite"] is True and "description" not in made.json()
    filter_id = made.json()["id"]
    assert [f["name"] for f in jira("GET", "/filter/favourite").json()] == ["Mine"]
    found = jira("GET", "/search" if not jira.cloud else "/search/jql", params={"jql": made.json()["jql"]}).json()
    assert [i["key"] for i in found["issues"]] == ["DEMO-2"]
    jira("PUT", f"/filter/{filter_id}", json={"name": "Renamed", "description": "now described", "jql": "component = UI ORDER BY created ASC"})
    got = jira("GET", f"/filter/{filter_id}").json()
    assert (got["name"], got["description"], got["jql"]) == ("Renamed", "now described", "component = UI ORDER BY created ASC")
    bad = jira("POST", "/filter", json={"name": "Broken", "jql": "nosuchfield = 1"})
    assert bad.status_code == 400 and "nosuchfield" in bad.json()["errorMessages"][0]
    alice = ("alice@example.com", "sandbox-token-alice") if jira.cloud else ALICE
    assert jira("GET", f"/filter/{filter_id}", auth=alice).status_code == 400  # private to its owner
    assert jira("DELETE", f"/filter/{filter_id}").status_code == 204
    assert jira("GET", f"/filter/{filter_id}").status_code == 400


def test_bulk_create(jira):
    one = {"fields": {"project": {"key": "DEMO"}, "issuetype": {"name": "Bug"}, "summary": "bulk 1"}}
    bad = {"fields": {"project": {"key": "DEMO"}, "issuetype": {"name": "Nope"}, "summary": "never"}}
    ok = jira("POST", "/issue/bulk", json={"issueUpdates": [one, one]})
    assert ok.status_code == 201 and len(ok.json()["issues"]) == 2 and ok.json()["errors"] == []
    mixed = jira("POST", "/issue/bulk", json={"issueUpdates": [one, bad, one]})
    # Cloud: 201 if any was created (its OpenAPI document), 400 only if all failed
    assert mixed.status_code == (201 if jira.cloud else 400) and len(mixed.json()["issues"]) == 2
    none = jira("POST", "/issue/bulk", json={"issueUpdates": [bad]})
    assert none.status_code == 400 and none.json()["issues"] == [] and len(none.json()["errors"]) == 1
    assert mixed.json()["errors"] == [{"status": 400, "failedElementNumber": 1,
                                       "elementErrors": {"errorMessages": [], "errors": {"issuetype": "issue type is required"}}}]


def test_cloud_filter_search(sandbox):
    """Review of issue 18: Cloud's filter/search (PageBeanFilterDetails) was read as filter id
    'search' (400 "The selected filter is not available to you")."""
    api = sandbox.jira_cloud + "/rest/api/3"
    for name in ("Open bugs", "My work", "Bugs closed"):
        assert sandbox.http.post(api + "/filter", json={"name": name, "jql": "project = DEMO"}, auth=CLOUD).status_code == 200
    sandbox.http.post(api + "/filter", json={"name": "Alice's bugs", "jql": "project = DEMO"}, auth=("alice@example.com", "sandbox-token-alice"))
    r = sandbox.http.get(api + "/filter/search", auth=CLOUD)
    assert r.status_code == 200, r.text
    page = r.json()
    assert (page["startAt"], page["total"], page["isLast"]) == (0, 3, True)
    assert [f["name"] for f in page["values"]] == ["Bugs closed", "My work", "Open bugs"]  # by name; only the caller's
    assert set(page["values"][0]) == {"expand", "self", "id", "name"}
    bugs = sandbox.http.get(api + "/filter/search", params={"filterName": "BUGS", "orderBy": "-name", "expand": "jql,owner"}, auth=CLOUD).json()
    assert [f["name"] for f in bugs["values"]] == ["Open bugs", "Bugs closed"]
    assert bugs["values"][0]["jql"] == "project = DEMO" and bugs["values"][0]["owner"]["accountId"] == "5f8e3c2a1b0d4e0069a1b2c3"
    one = sandbox.http.get(api + "/filter/search", params={"id": page["values"][1]["id"]}, auth=CLOUD).json()
    assert [f["name"] for f in one["values"]] == ["My work"]
    paged = sandbox.http.get(api + "/filter/search", params={"maxResults": 2}, auth=CLOUD).json()
    assert paged["isLast"] is False and len(paged["values"]) == 2 and "startAt=2" in paged["nextPage"]
    for params in ({"orderBy": "colour"}, {"expand": "everything"}, {"id": "x"}, {"startAt": "x"},
                   {"accountId": "5f8e3c2a1b0d4e0069a1b2c3", "owner": "admin"}):
        assert sandbox.http.get(api + "/filter/search", params=params, auth=CLOUD).status_code == 400, params
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/filter/search", auth=DC).status_code != 200  # Cloud only


def test_assignee(sandbox):
    url = sandbox.jira + "/rest/api/2/issue/DEMO-1/assignee"
    assert sandbox.http.put(url, json={"name": "alice"}, auth=DC).status_code == 204
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/issue/DEMO-1", auth=DC).json()["fields"]["assignee"]["name"] == "alice"
    assert sandbox.http.put(url, json={"name": None}, auth=DC).status_code == 204
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/issue/DEMO-1", auth=DC).json()["fields"]["assignee"] is None
    assert sandbox.http.put(url, json={"name": "ghost"}, auth=DC).status_code == 400
    cloud = sandbox.jira_cloud + "/rest/api/3/issue/DEMO-1/assignee"
    assert sandbox.http.put(cloud, json={"accountId": "5f8e3c2a1b0d4e0069a1b2c4"}, auth=CLOUD).status_code == 204


def test_attachment_meta_is_not_an_attachment_id(jira):
    """Was read as attachment 'meta' (404)."""
    assert jira("GET", "/attachment/meta").json() == {"enabled": True, "uploadLimit": 10485760}


def test_status_and_priority_by_the_ids_lists_link_to(jira):
    """The self links of status and priority lists answer (they were 404s)."""
    for status in jira("GET", "/status").json():
        assert jira("GET", status["self"].split("/rest/api/2", 1)[1]).json()["name"] == status["name"]
    assert jira("GET", "/status/Done").json()["id"] == "10001"
    assert jira("GET", "/status/42").status_code == 404
    high = jira("GET", "/priority/2").json()
    assert high["name"] == "High" and high["self"].endswith("/priority/2")
    assert jira("GET", "/priority/9").status_code == 404


def test_status_categories(jira):
    listed = jira("GET", "/statuscategory").json()
    assert [(c["id"], c["key"]) for c in listed] == [(1, "undefined"), (2, "new"), (3, "done"), (4, "indeterminate")]
    assert jira("GET", "/statuscategory/1").json()["name"] == "No Category"
    assert jira("GET", "/statuscategory/done").json()["id"] == 3
    assert jira("GET", "/statuscategory/9").status_code == 404


def test_a_40_kb_url_is_refused_like_tomcat(sandbox):
    """Jira's Tomcat (maxHttpHeaderSize 8 KB) answers 400 before Jira sees the request; the same
    query as a POST search works."""
    jql = " or ".join("key = DEMO-1" for _ in range(2000))
    r = sandbox.http.get(sandbox.jira + "/rest/api/2/search", params={"jql": jql}, auth=DC)
    assert r.status_code == 400 and "Request header is too large" in r.text and r.headers["content-type"].startswith("text/html")
    assert sandbox.stats()["products"]["jira"]["password_checks"] == 0  # refused before authentication
    posted = sandbox.http.post(sandbox.jira + "/rest/api/2/search", json={"jql": jql}, auth=DC)
    assert [i["key"] for i in posted.json()["issues"]] == ["DEMO-1"]
