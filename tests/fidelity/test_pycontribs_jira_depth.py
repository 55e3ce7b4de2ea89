"""The PyPI `jira` package, unchanged, on the resources issue 15 added to the sandbox: versions,
components, watchers, worklogs, user search, groups, links, editmeta, resolutions, custom fields."""

import pytest
from jira import JIRA
from jira.exceptions import JIRAError


@pytest.fixture(params=["dc", "cloud"])
def j(request, sandbox):
    if request.param == "dc":
        client = JIRA(sandbox.jira, basic_auth=("admin", "admin"))
    else:
        client = JIRA(sandbox.jira_cloud, basic_auth=("admin@example.com", "sandbox-token-admin"))
    client.cloud = request.param == "cloud"
    return client


def test_versions(j):
    version = j.create_version("1.0", "DEMO", releaseDate="2015-03-11", description="first")
    assert (version.name, version.releaseDate, version.description) == ("1.0", "2015-03-11", "first")
    assert [v.name for v in j.project_versions("DEMO")] == ["1.0"]
    assert [v.name for v in j.project("DEMO").versions] == ["1.0"]  # the project embeds them too
    version.update(name="1.0.1", description="renamed")
    assert j.version(version.id).name == "1.0.1"
    version.delete()
    with pytest.raises(JIRAError) as caught:
        j.version(version.id)
    assert caught.value.status_code == 404


def test_components(j):
    me = j.myself()["accountId" if j.cloud else "name"]
    # create_component only knows leadUserName, which Cloud (GDPR) does not read: the lead is set after.
    component = j.create_component("Backend", "DEMO", description="test!!", assigneeType="COMPONENT_LEAD",
                                   leadUserName=None if j.cloud else me)
    if j.cloud:
        component.update(leadAccountId=me)
    assert getattr(component.lead, "accountId" if j.cloud else "name") == me
    assert component.description == "test!!" and component.assigneeType == "COMPONENT_LEAD"
    assert [c.name for c in j.project_components("DEMO")] == ["Backend"]
    j.delete_component(component.id)
    with pytest.raises(JIRAError):
        j.component(component.id)


def test_watchers(j):
    # pycontribs turns the watcher into an id through user search; on Cloud the query matches
    # display names and emails, not accountIds (the OpenAPI document), so an email it is.
    who = "alice@example.com" if j.cloud else "alice"
    before = j.watchers("DEMO-1").watchCount
    j.add_watcher("DEMO-1", who)
    assert j.watchers("DEMO-1").watchCount == before + 1
    j.remove_watcher("DEMO-1", who)
    assert j.watchers("DEMO-1").watchCount == before


def test_worklogs(j):
    worklog = j.add_worklog("DEMO-1", "1d 2h", comment="tests")
    again = j.worklog("DEMO-1", str(worklog))
    assert again.timeSpent == "1d 2h" and again.timeSpentSeconds == 36000
    assert len(j.worklogs("DEMO-1")) == 1
    worklog.update(comment="Updated!", timeSpent="2h")
    assert worklog.timeSpent == "2h" and worklog.comment == "Updated!"
    worklog.delete()
    assert j.worklogs("DEMO-1") == []


def test_cloud_watcher_by_account_id_is_not_found(sandbox):
    """The same on a real Cloud site: `query` is matched against displayName and emailAddress only."""
    j = JIRA(sandbox.jira_cloud, basic_auth=("admin@example.com", "sandbox-token-admin"))
    with pytest.raises(JIRAError, match="No matching user found"):
        j.add_watcher("DEMO-1", "5f8e3c2a1b0d4e0069a1b2c4")


def test_user_search_and_groups(j):
    if j.cloud:
        found = j.search_users(query="alice@example.com")
        assert [u.displayName for u in found] == ["Alice Example"] and found[0].accountId
        members = j.group_members("site-admins")
    else:
        assert [u.name for u in j.search_users("ali")] == ["alice"]
        assert [u.name for u in j.search_assignable_users_for_projects("a", "DEMO")] == ["admin", "alice"]
        assert [u.name for u in j.search_assignable_users_for_issues("alice", issueKey="DEMO-1")] == ["alice"]
        assert [u.name for u in j.search_allowed_users_for_issue("a", issueKey="DEMO-1")] == ["admin", "alice"]
        members = j.group_members("jira-administrators")
        assert j.group("jira-administrators").name == "jira-administrators"
    assert len(members) == 1
    assert "jira-software-users" in j.groups()


def test_links_editmeta_resolutions(j):
    j.create_issue_link("Blocks", "DEMO-1", "DEMO-2")
    link = j.issue("DEMO-1").fields.issuelinks[0]
    assert link.type.outward == "blocks" and link.outwardIssue.key == "DEMO-2"
    assert j.issue_link(link.id).inwardIssue.key == "DEMO-1"
    j.delete_issue_link(link.id)
    assert j.issue("DEMO-1").fields.issuelinks == []
    assert j.issue_link_type("10003").name == "Relates"
    meta = j.editmeta("DEMO-1")["fields"]
    assert [o["value"] for o in meta["customfield_10013"]["allowedValues"]] == ["Linux", "macOS", "Windows"]
    assert [r.name for r in j.resolutions()] == ["Fixed", "Won't Fix", "Done", "Won't Do", "Duplicate", "Cannot Reproduce"]
    assert j.resolution("1").name == "Fixed"


def test_custom_fields_and_a_resolution_on_done(j):
    names = {f["name"]: f["id"] for f in j.fields()}
    issue = j.create_issue(project="DEMO", summary="cf", issuetype={"name": "Task"},
                           **{names["Platforms"]: [{"value": "Linux"}], names["Review Date"]: "2025-04-30", names["Customer"]: "ACME"})
    fields = j.issue(issue.key).fields
    assert [o.value for o in getattr(fields, names["Platforms"])] == ["Linux"]
    assert getattr(fields, names["Review Date"]) == "2025-04-30" and getattr(fields, names["Customer"]) == "ACME"
    j.transition_issue(issue, "Done", fields={"resolution": {"name": "Won't Fix"}})
    assert j.issue(issue.key).fields.resolution.name == "Won't Fix"
