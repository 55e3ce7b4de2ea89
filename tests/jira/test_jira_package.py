"""The PyPI `jira` package sees the sandbox's custom fields, create metadata and resolutions as on
a real Jira (issue 15)."""

import pytest
from jira import JIRA

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_fields_createmeta_and_a_custom_field_on_create(sandbox):
    j = JIRA(sandbox.jira, basic_auth=("admin", "admin"))
    by_name = {f["name"]: f for f in j.fields()}
    assert by_name["Story Points"]["id"] == "customfield_10002" and by_name["Story Points"]["custom"] is True
    assert by_name["Team"]["schema"]["type"] == "option" and by_name["Reviewer"]["schema"]["type"] == "user"
    types = j.project_issue_types("DEMO")
    meta = {f.fieldId: f for f in j.project_issue_fields("DEMO", types[0].id)}
    assert [v.value for v in meta["customfield_10010"].allowedValues] == ["Red", "Blue"]
    issue = j.create_issue(project="DEMO", summary="Pointed", issuetype={"name": "Story"},
                           customfield_10002=3, customfield_10010={"value": "Red"}, customfield_10011={"name": "alice"})
    got = j.issue(issue.key)
    assert got.fields.customfield_10002 == 3 and got.fields.customfield_10010.value == "Red"
    assert got.fields.customfield_10011.name == "alice"
    j.transition_issue(got, "Done", fields={"resolution": {"name": "Fixed"}})
    assert j.issue(issue.key).fields.resolution.name == "Fixed"
