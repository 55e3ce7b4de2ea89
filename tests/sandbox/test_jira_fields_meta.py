"""Custom field types, screens, createmeta/editmeta, resolutions, link types (issue 15) and the
answers issue 18 found wrong (a numeric issuetype id, expand, legacy createmeta, returnIssue)."""

import sqlite3

import httpx
import pytest

from atlctl.sandbox.server import SandboxServer

DC = ("admin", "admin")
CLOUD = ("admin@example.com", "sandbox-token-admin")
NOT_ON_SCREEN = "Field '{}' cannot be set. It is not on the appropriate screen, or unknown."


def _create(jira, type_id="3", **fields):
    body = {"fields": {"project": {"key": "DEMO"}, "issuetype": {"id": type_id}, "summary": "s", **fields}}
    return jira("POST", "/issue", json=body)


def test_field_list_has_every_custom_type(jira):
    fields = {f["id"]: f for f in jira("GET", "/field").json()}
    assert fields["customfield_10012"]["schema"]["custom"].endswith(":textfield")
    assert fields["customfield_10013"]["schema"] == {
        "type": "array", "items": "option", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:multiselect", "customId": 10013}
    assert fields["customfield_10014"]["schema"]["type"] == "date" and fields["customfield_10014"]["name"] == "Review Date"
    assert fields["fixVersions"]["schema"]["items"] == "version"


def test_custom_values_are_stored_and_shown(jira):
    created = _create(jira, customfield_10012="ACME", customfield_10013=[{"value": "Linux"}, {"id": "10202"}], customfield_10014="2025-04-30")
    assert created.status_code == 201, created.text
    fields = jira("GET", f"/issue/{created.json()['key']}").json()["fields"]
    assert fields["customfield_10012"] == "ACME" and fields["customfield_10014"] == "2025-04-30"
    assert [o["value"] for o in fields["customfield_10013"]] == ["Linux", "Windows"]


@pytest.mark.parametrize("field,value,message", [
    ("customfield_10014", "30/04/2025", "Error parsing date string: 30/04/2025"),
    ("customfield_10013", [{"value": "BeOS"}], "Option value 'BeOS' is not valid"),
    ("customfield_10012", 5, "Operation value must be a string"),
    ("customfield_10012", "x" * 256, "The entered text is too long. It exceeds the allowed limit of 255 characters."),
])
def test_bad_custom_values(jira, field, value, message):
    r = _create(jira, **{field: value})
    assert r.status_code == 400 and r.json()["errors"] == {field: message}


def test_a_field_off_the_screen_is_refused(jira):
    """Review Date is not on the Bug screens: createmeta leaves it out and Jira's message refuses it."""
    meta = jira("GET", "/issue/createmeta/DEMO/issuetypes/1").json()
    ids = [f["fieldId"] for f in (meta["fields"] if jira.cloud else meta["values"])]
    assert "customfield_10013" in ids and "customfield_10014" not in ids
    r = _create(jira, "1", customfield_10014="2025-04-30")
    assert r.status_code == 400 and r.json()["errors"] == {"customfield_10014": NOT_ON_SCREEN.format("customfield_10014")}
    edit = jira("PUT", "/issue/DEMO-2", json={"fields": {"customfield_10014": "2025-04-30"}})  # DEMO-2 is a Bug
    assert edit.status_code == 400 and edit.json()["errors"]["customfield_10014"] == NOT_ON_SCREEN.format("customfield_10014")


def test_editmeta(jira):
    meta = jira("GET", "/issue/DEMO-1/editmeta").json()["fields"]
    assert "project" not in meta and meta["comment"]["operations"] == ["add", "edit", "remove"]
    assert [o["value"] for o in meta["customfield_10010"]["allowedValues"]] == ["Red", "Blue"]
    assert [p["name"] for p in meta["priority"]["allowedValues"]][:2] == ["Highest", "High"]
    assert meta["labels"]["operations"] == ["add", "set", "remove"]
    bug = jira("GET", "/issue/DEMO-2/editmeta").json()["fields"]
    assert "customfield_10014" not in bug
    expanded = jira("GET", "/issue/DEMO-1", params={"expand": "editmeta"}).json()
    assert expanded["editmeta"]["fields"].keys() == meta.keys()


def test_issue_expansions(jira):
    jira("POST", "/issue/DEMO-1/comment", json={"body": "a <b>"})
    got = jira("GET", "/issue/DEMO-1", params={"expand": "names,schema,renderedFields,changelog", "fields": "summary,description,comment"}).json()
    assert got["names"] == {"summary": "Summary", "description": "Description", "comment": "Comment"}
    assert got["schema"]["summary"] == {"type": "string", "system": "summary"}
    assert got["renderedFields"]["description"].startswith("<p>Install atlctl")
    assert got["renderedFields"]["comment"]["comments"][0]["body"] == "<p>a &lt;b&gt;</p>"
    assert got["changelog"] == {"startAt": 0, "maxResults": 0, "total": 0, "histories": []}


def test_issuetype_id_may_be_a_number(jira):
    """Jira's JSON mapper reads {"id": 3} into the string id."""
    created = jira("POST", "/issue", json={"fields": {"project": {"key": "DEMO"}, "issuetype": {"id": 3}, "summary": "n"}})
    assert created.status_code == 201
    assert jira("GET", f"/issue/{created.json()['key']}").json()["fields"]["issuetype"]["name"] == "Task"


def test_resolutions_and_the_done_transition(jira):
    listed = jira("GET", "/resolution").json()
    assert [r["name"] for r in listed] == ["Fixed", "Won't Fix", "Done", "Won't Do", "Duplicate", "Cannot Reproduce"]
    assert jira("GET", "/resolution/10002").json()["name"] == "Duplicate"  # Jira Software's default ids
    fixed = jira("GET", "/resolution/1").json()
    assert fixed["name"] == "Fixed" and fixed["self"].endswith("/resolution/1")
    assert jira("GET", "/resolution/99").status_code == 404
    off = jira("POST", "/issue/DEMO-1/transitions", json={"transition": {"id": "11"}, "fields": {"resolution": {"name": "Fixed"}}})
    assert off.status_code == 400 and off.json()["errors"] == {"resolution": NOT_ON_SCREEN.format("resolution")}
    done = jira("POST", "/issue/DEMO-1/transitions", json={"transition": {"id": "21"}, "fields": {"resolution": {"name": "Fixed"}}})
    assert done.status_code == 204
    assert jira("GET", "/issue/DEMO-1").json()["fields"]["resolution"]["name"] == "Fixed"


def test_cloud_resolution_search_pages_and_filters(sandbox):
    def search(**params):
        r = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/resolution/search", params=params, auth=CLOUD)
        assert r.status_code == 200
        return r.json()

    first = search(maxResults=2)
    assert [r["name"] for r in first["values"]] == ["Fixed", "Won't Fix"]
    assert first["total"] == 6 and first["isLast"] is False and "startAt=2" in first["nextPage"]
    last = search(startAt=4)
    assert [r["name"] for r in last["values"]] == ["Duplicate", "Cannot Reproduce"] and last["isLast"] is True
    assert [r["id"] for r in search(id=["1", "10002"])["values"]] == ["1", "10002"]
    assert [r["id"] for r in search(id="1,10001")["values"]] == ["1", "10001"]
    default = search(onlyDefault="true")["values"]
    assert [(r["name"], r["default"]) for r in default] == [("Done", True)]
    assert search(onlyDefault="true", id="1")["values"] == []  # none of those is the default
    assert sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/resolution/search").status_code == 401
    assert sandbox.http.get(sandbox.jira + "/rest/api/2/resolution/search", auth=DC).status_code == 404  # Cloud only


def test_the_done_transition_lists_its_screen_fields(jira):
    listed = jira("GET", "/issue/DEMO-1/transitions", params={"expand": "transitions.fields"}).json()["transitions"]
    by_name = {t["name"]: t for t in listed}
    assert by_name["Start Progress"]["fields"] == {} and by_name["Start Progress"]["hasScreen"] is False
    done = by_name["Done"]
    assert done["hasScreen"] is True and list(done["fields"]) == ["resolution"]
    resolution = done["fields"]["resolution"]
    assert resolution["required"] is True and resolution["schema"] == {"type": "resolution", "system": "resolution"}
    assert resolution["operations"] == ["set"] and resolution["name"] == "Resolution"
    assert [r["name"] for r in resolution["allowedValues"]] == [r["name"] for r in jira("GET", "/resolution").json()]
    assert "fields" not in jira("GET", "/issue/DEMO-1/transitions").json()["transitions"][1]  # only with the expand


def test_link_types_and_links(jira):
    assert jira("GET", "/issueLinkType/10000").json()["outward"] == "blocks"
    assert jira("GET", "/issueLinkType/1").status_code == 404
    body = {"type": {"name": "Blocks"}, "inwardIssue": {"key": "DEMO-1"}, "outwardIssue": {"key": "DEMO-2"}}
    assert jira("POST", "/issueLink", json=body).status_code == 201
    link_id = jira("GET", "/issue/DEMO-1").json()["fields"]["issuelinks"][0]["id"]
    link = jira("GET", f"/issueLink/{link_id}").json()
    assert link["inwardIssue"]["key"] == "DEMO-1" and link["outwardIssue"]["key"] == "DEMO-2"
    assert jira("DELETE", f"/issueLink/{link_id}").status_code == 204
    assert jira("GET", f"/issueLink/{link_id}").status_code == 404


def test_administrators_create_change_and_delete_link_types(jira, sandbox):
    made = jira("POST", "/issueLinkType", json={"name": "Causes", "inward": "is caused by", "outward": "causes"})
    assert made.status_code == 201
    causes = made.json()
    assert causes["name"] == "Causes" and causes["self"].endswith(f"/issueLinkType/{causes['id']}")
    assert jira("GET", f"/issueLinkType/{causes['id']}").json() == causes
    names = [t["name"] for t in jira("GET", "/issueLinkType").json()["issueLinkTypes"]]
    assert names == ["Blocks", "Causes", "Cloners", "Duplicate", "Relates"]  # by name
    same = jira("POST", "/issueLinkType", json={"name": "blocks", "inward": "x", "outward": "y"})
    assert same.status_code == 400 and same.json()["errorMessages"] == ["You cannot create two issue link types with the same name."]
    assert jira("POST", "/issueLinkType", json={"name": "Half", "inward": "x"}).status_code == 400
    changed = jira("PUT", f"/issueLinkType/{causes['id']}", json={"outward": "leads to"})
    assert changed.status_code == 200 and changed.json() == {**causes, "outward": "leads to"}
    assert jira("PUT", f"/issueLinkType/{causes['id']}", json={"name": "Relates"}).status_code == 400
    assert jira("PUT", "/issueLinkType/99", json={"name": "X"}).status_code == 404
    link = {"type": {"name": "Causes"}, "inwardIssue": {"key": "DEMO-1"}, "outwardIssue": {"key": "DEMO-2"}}
    assert jira("POST", "/issueLink", json=link).status_code == 201
    assert jira("GET", "/issue/DEMO-1").json()["fields"]["issuelinks"][0]["type"]["outward"] == "leads to"
    assert jira("DELETE", f"/issueLinkType/{causes['id']}").status_code == 204
    assert jira("GET", f"/issueLinkType/{causes['id']}").status_code == 404
    assert jira("GET", "/issue/DEMO-1").json()["fields"]["issuelinks"] == []  # its links went with it
    base = sandbox.jira_cloud if jira.cloud else sandbox.jira
    alice = ("alice@example.com", "sandbox-token-alice") if jira.cloud else ("alice", "alice")
    for method, path in (("POST", ""), ("PUT", "/10000"), ("DELETE", "/10000")):
        refused = sandbox.http.request(method, f"{base}/rest/api/2/issueLinkType{path}", auth=alice,
                                       json={"name": "N", "inward": "i", "outward": "o"})
        assert refused.status_code == 403, (method, path)
    assert jira("GET", "/issueLinkType/10000").json()["name"] == "Blocks"


def test_link_types_survive_a_restart_and_a_state_saved_before_they_were_stored(tmp_path):
    state = str(tmp_path / "sandbox.sqlite")
    with SandboxServer(state=state) as server:
        url = server.url + "/jira/rest/api/2/issueLinkType"
        assert httpx.post(url, json={"name": "Causes", "inward": "is caused by", "outward": "causes"}, auth=DC).status_code == 201
    with SandboxServer(state=state) as server:
        listed = httpx.get(server.url + "/jira/rest/api/2/issueLinkType", auth=DC).json()["issueLinkTypes"]
        assert [t["name"] for t in listed] == ["Blocks", "Causes", "Cloners", "Duplicate", "Relates"]
    with sqlite3.connect(state) as db:  # as a state saved before link types were stored looks
        dropped = db.execute("DELETE FROM records WHERE kind = 'linktype' OR (kind = 'sequence' AND key = 'linktype')").rowcount
    assert dropped == 11  # DC: five types and their sequence; Cloud: four and its sequence
    with SandboxServer(state=state) as server:
        listed = httpx.get(server.url + "/jira/rest/api/2/issueLinkType", auth=DC).json()["issueLinkTypes"]
        assert [(t["id"], t["name"]) for t in listed] == [("10000", "Blocks"), ("10001", "Cloners"), ("10002", "Duplicate"), ("10003", "Relates")]


def test_legacy_createmeta_filters_issue_types_and_has_no_field_id(sandbox):
    """Cloud (and DC before 9.0): issuetypeNames/issuetypeIds filter; FieldMeta has no fieldId."""
    r = sandbox.http.get(sandbox.jira_cloud + "/rest/api/2/issue/createmeta", auth=CLOUD,
                         params={"projectKeys": "DEMO", "issuetypeNames": "Bug", "expand": "projects.issuetypes.fields"})
    types = r.json()["projects"][0]["issuetypes"]
    assert [t["name"] for t in types] == ["Bug"]
    assert "fieldId" not in types[0]["fields"]["summary"] and types[0]["fields"]["summary"]["key"] == "summary"
    sandbox.settings({"jira": {"version": "8.20.1"}})
    r = sandbox.http.get(sandbox.jira + "/rest/api/2/issue/createmeta", auth=DC, params={"issuetypeIds": "3,10001"})
    assert [t["name"] for t in r.json()["projects"][0]["issuetypes"]] == ["Task", "Story"]


def test_put_issue_with_return_issue(jira):
    r = jira("PUT", "/issue/DEMO-1", params={"returnIssue": "true"}, json={"fields": {"summary": "Back"}})
    assert r.status_code == 200 and r.json()["key"] == "DEMO-1" and r.json()["fields"]["summary"] == "Back"
    assert jira("PUT", "/issue/DEMO-1", json={"fields": {"summary": "Again"}}).status_code == 204


def _meta_ids(jira, type_id):
    meta = jira("GET", f"/issue/createmeta/DEMO/issuetypes/{type_id}").json()
    return [f["fieldId"] for f in (meta["fields"] if jira.cloud else meta["values"])]


def test_environment_and_release_notes_are_on_the_bug_screens_only(jira):
    """Environment (a system field) and Release notes (a multi-line text custom field) are on the Bug's
    create and edit screens, listed in /field with Jira's schemas; the Task and Story screens lack them."""
    fields = {f["id"]: f for f in jira("GET", "/field").json()}
    assert fields["environment"]["schema"] == {"type": "string", "system": "environment"}
    assert fields["environment"]["name"] == "Environment" and fields["environment"]["clauseNames"] == ["environment"]
    assert fields["customfield_10015"]["name"] == "Release notes"
    assert fields["customfield_10015"]["schema"] == {
        "type": "string", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:textarea", "customId": 10015}
    bug = _meta_ids(jira, "1")
    assert bug.index("environment") == bug.index("description") + 1 and "customfield_10015" in bug
    for other in ("3", "10001"):
        assert not {"environment", "customfield_10015"} & set(_meta_ids(jira, other))
    if jira.cloud:  # the legacy createmeta (gone from DC 9)
        legacy = jira("GET", "/issue/createmeta", params={"projectKeys": "DEMO", "expand": "projects.issuetypes.fields"})
        by_type = {t["name"]: t["fields"] for t in legacy.json()["projects"][0]["issuetypes"]}
        assert by_type["Bug"]["environment"]["schema"] == {"type": "string", "system": "environment"}
        assert "environment" not in by_type["Task"]
    edit = jira("GET", "/issue/DEMO-2/editmeta").json()["fields"]  # DEMO-2 is a Bug
    assert edit["environment"]["operations"] == ["set"] and edit["customfield_10015"]["required"] is False
    assert not {"environment", "customfield_10015"} & set(jira("GET", "/issue/DEMO-1/editmeta").json()["fields"])


def test_environment_and_release_notes_are_stored_set_and_cleared(jira):
    created = _create(jira, "1", environment="prod, eu-west", customfield_10015="line one\nline two")
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    fields = jira("GET", f"/issue/{key}").json()["fields"]
    assert fields["environment"] == "prod, eu-west" and fields["customfield_10015"] == "line one\nline two"
    updated = jira("PUT", f"/issue/{key}", json={"update": {"environment": [{"set": "staging"}]},
                                                 "fields": {"customfield_10015": "notes"}})
    assert updated.status_code == 204, updated.text
    got = jira("GET", f"/issue/{key}", params={"fields": "environment,customfield_10015"}).json()["fields"]
    assert got == {"environment": "staging", "customfield_10015": "notes"}
    found = jira("GET", "/search/jql" if jira.cloud else "/search", params={"jql": "environment ~ stag"}).json()["issues"]
    assert [i["key"] for i in found] == [key]
    assert jira("PUT", f"/issue/{key}", json={"fields": {"environment": None, "customfield_10015": None}}).status_code == 204
    cleared = jira("GET", f"/issue/{key}").json()["fields"]
    assert cleared["environment"] is None and cleared["customfield_10015"] is None
    assert jira("GET", "/issue/DEMO-1").json()["fields"]["environment"] is None  # every issue has the field


def test_environment_and_release_notes_off_the_task_screens_are_refused(jira):
    created = _create(jira, "3", environment="prod", customfield_10015="n")
    assert created.status_code == 400 and created.json()["errors"] == {
        "environment": NOT_ON_SCREEN.format("environment"), "customfield_10015": NOT_ON_SCREEN.format("customfield_10015")}
    edit = jira("PUT", "/issue/DEMO-1", json={"update": {"environment": [{"set": "prod"}]}})  # DEMO-1 is a Task
    assert edit.status_code == 400 and edit.json()["errors"] == {"environment": NOT_ON_SCREEN.format("environment")}
    assert jira("GET", "/issue/DEMO-1").json()["fields"]["environment"] is None


def test_cloud_v3_writes_and_reads_environment_and_release_notes_as_documents(sandbox):
    """As the description: documents in REST v3, strings in v2."""
    doc = {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [{"type": "text", "text": "prod"}]}]}
    v3 = sandbox.jira_cloud + "/rest/api/3"
    body = {"fields": {"project": {"key": "DEMO"}, "issuetype": {"id": "1"}, "summary": "s", "environment": doc,
                       "customfield_10015": doc}}
    created = sandbox.http.post(v3 + "/issue", json=body, auth=CLOUD)
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    got3 = sandbox.http.get(f"{v3}/issue/{key}", auth=CLOUD).json()["fields"]
    got2 = sandbox.http.get(f"{sandbox.jira_cloud}/rest/api/2/issue/{key}", auth=CLOUD).json()["fields"]
    assert got3["environment"] == doc and got3["customfield_10015"] == doc
    assert got2["environment"] == "prod" and got2["customfield_10015"] == "prod"
    plain = sandbox.http.put(f"{v3}/issue/{key}", json={"fields": {"environment": "plain"}}, auth=CLOUD)
    assert plain.status_code == 400 and "Atlassian Document" in plain.json()["errors"]["environment"]
    customer = sandbox.http.put(f"{v3}/issue/{key}", json={"fields": {"customfield_10012": "ACME"}}, auth=CLOUD)
    assert customer.status_code == 204  # a single-line text field stays a string in v3
