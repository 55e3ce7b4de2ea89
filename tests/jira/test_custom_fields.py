"""Custom fields (issue 15): the sandbox's Story Points (number), Team (select) and Reviewer (user)
set through --field NAME=VALUE, --field NAME --values V and ACLI's --custom, by name (any case) or
id, on Server/DC and Cloud; a field set twice differently and a bad value are parameter problems."""

import json

import pytest

from tests.jira.conftest import fields_of


def test_custom_fields_by_name_values_and_custom(jira):
    reviewer = "admin@example.com" if jira.cloud else "admin"
    created = jira("createIssue", "--project", "DEMO", "--type", "Story", "--summary", "Pointed",
                   "--field", "story points=5", "--field", "Team", "--values", "Blue")
    assert created.code == 0, created.err
    key = created.out.split()[1]
    f = fields_of(jira, key)
    assert f["customfield_10002"] == 5 and f["customfield_10010"]["value"] == "Blue"
    me = json.loads(jira("getCurrentUser", "--output", "json").out)
    user = me["accountId"] if jira.cloud else "admin"
    updated = jira("updateIssue", "--issue", key, "--custom", f"customfield_10002:2.5,TEAM:Red,Reviewer:{user}")
    assert updated.code == 0, updated.err
    f = fields_of(jira, key)
    assert f["customfield_10002"] == 2.5 and f["customfield_10010"]["id"] == "10100"
    assert f["customfield_10011"]["displayName"] == "Sandbox Admin" if jira.cloud else f["customfield_10011"]["name"] == reviewer
    cleared = jira("updateIssue", "--issue", key, "--field", "Story Points=")
    assert cleared.code == 0, cleared.err
    assert fields_of(jira, key)["customfield_10002"] is None


def test_wrong_values_are_refused_with_the_field_named(jira):
    for five in ("five", "1_000", "nan"):  # read as Java reads a double: Python's extras are refused
        bad_number = jira("updateIssue", "--issue", "DEMO-1", "--field", f"Story Points={five}")
        assert bad_number.code == 254 and "Story Points" in bad_number.err and "number" in bad_number.err
    assert jira("updateIssue", "--issue", "DEMO-1", "--field", "Story Points=1e3").code == 0
    assert fields_of(jira, "DEMO-1")["customfield_10002"] == 1000
    bad_option = jira("updateIssue", "--issue", "DEMO-1", "--summary", "Not sent", "--field", "Team=Green")
    assert bad_option.code == 254 and "Green" in bad_option.err and "Red, Blue" in bad_option.err, bad_option.err
    assert fields_of(jira, "DEMO-1")["summary"] != "Not sent"  # refused from the editmeta, before the edit
    bad_item = jira("setFieldValue", "--issue", "DEMO-1", "--field", "Platforms", "--values", "Linux,BeOS")
    assert bad_item.code == 254 and "'BeOS'" in bad_item.err and "Linux, macOS, Windows" in bad_item.err
    bad_priority = jira("updateIssue", "--issue", "DEMO-1", "--priority", "Urgent")
    assert bad_priority.code == 254 and "Urgent" in bad_priority.err and "Highest" in bad_priority.err
    assert jira("updateIssue", "--issue", "DEMO-1", "--priority", "high", "--field", "Team=Blue").code == 0
    unknown = jira("updateIssue", "--issue", "DEMO-1", "--custom", "Velocity:3")
    assert unknown.code == 254 and "Velocity" in unknown.err
    twice = jira("updateIssue", "--issue", "DEMO-1", "--priority", "High", "--field", "Priority=Low")
    assert twice.code == 254 and "--priority" in twice.err and "--field Priority=Low" in twice.err
    assert len(twice.err.strip().splitlines()) == 1
    values_alone = jira("updateIssue", "--issue", "DEMO-1", "--values", "5")
    assert values_alone.code == 254 and "--field" in values_alone.err


def test_a_number_beyond_a_double_is_refused_in_every_form(jira):
    """'1e400' reads as a double overflowing to infinity, which JSON cannot carry: the field's
    parameter problem, never an exception, whichever parameter gives it."""
    forms = [("createIssue", "--project", "DEMO", "--type", "Task", "--summary", "Huge", "--field", "Story Points=1e400"),
             ("setFieldValue", "--issue", "DEMO-1", "--field", "Story Points", "--values", "1e999"),
             ("updateIssue", "--issue", "DEMO-1", "--custom", "Story Points:-1e999"),
             ("updateIssue", "--issue", "DEMO-1", "--field", "Story Points=" + "9" * 400)]
    for argv in forms:
        huge = jira(*argv)
        number = argv[-1].rpartition("=")[2].rpartition(":")[2]
        assert huge.code == 254, huge.err
        assert huge.err.strip() == f"Field 'Story Points' needs a number, got '{number}'.", huge.err
    assert jira("updateIssue", "--issue", "DEMO-1", "--field", "Story Points=1e-400").code == 0  # underflow: 0, as Java
    assert fields_of(jira, "DEMO-1")["customfield_10002"] == 0


def test_java_date_formats_become_jira_dates():
    from atlctl.errors import ParameterError
    from atlctl.products.jira.fields import jira_date, strptime_pattern

    assert strptime_pattern("dd/MMM/yy") == "%d/%b/%y"
    assert strptime_pattern("yyyy-MM-dd'T'HH:mm") == "%Y-%m-%dT%H:%M"
    assert jira_date("05/Mar/24", "dd/MMM/yy", "date", "Due") == "2024-03-05"
    assert jira_date("5.3.2024", "d.M.yyyy", "date", "Due") == "2024-03-05"
    assert jira_date("2024-03-05", None, "date", "Due") == "2024-03-05"
    assert jira_date("2024-03-05 10:30 +0100", "yyyy-MM-dd HH:mm Z", "datetime", "When") == "2024-03-05T10:30:00.000+0100"
    with pytest.raises(ParameterError, match="Due.*--dateFormat dd/MMM/yy.*2024-03-05"):
        jira_date("2024-03-05", "dd/MMM/yy", "date", "Due")
    with pytest.raises(ParameterError, match="yyyy-MM-dd"):
        jira_date("05/03/2024", None, "date", "Due")
    with pytest.raises(ParameterError, match="no full date"):  # it read as 1900-01-01
        jira_date("10:30 AM", "hh:mm a", "datetime", "started")
    with pytest.raises(ParameterError, match="letter 'Q'"):
        strptime_pattern("yyyy-QQ")


def test_get_issue_shows_custom_fields_by_name(jira):
    created = jira("createIssue", "--project", "DEMO", "--type", "Story", "--summary", "Shown",
                   "--custom", "Story Points:3,Team:Red")
    assert created.code == 0, created.err
    key = created.out.split()[1]
    shown = jira("getIssue", "--issue", key)
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    assert "Story Points  . . . . : 3" in lines and "Team  . . . . . . . . : Red" in lines
    assert not any(line.startswith("Reviewer") for line in lines)  # no value, no line
    csv = jira("getIssue", "--issue", key, "--output", "csv", "--columns", "Key,Team")
    assert csv.out.splitlines() == ["Key,Team", f"{key},Red"]


def test_text_multi_select_and_date_fields(jira):
    created = jira("createIssue", "--project", "DEMO", "--type", "Story", "--summary", "Typed",
                   "--field", "Customer=ACME, Inc.", "--field", "Platforms=Linux,Windows",
                   "--field", "Review Date=05/Mar/25", "--dateFormat", "dd/MMM/yy")
    assert created.code == 0, created.err
    key = created.out.split()[1]
    f = fields_of(jira, key)
    assert f["customfield_10012"] == "ACME, Inc."
    assert [o["value"] for o in f["customfield_10013"]] == ["Linux", "Windows"]
    assert f["customfield_10014"] == "2025-03-05"
    shown = jira("getIssue", "--issue", key).out.splitlines()
    assert "Platforms . . . . . . : Linux,Windows" in shown and "Review Date . . . . . : 2025-03-05" in shown
    assert jira("setFieldValue", "--issue", key, "--field", "review date", "--values", "2025-04-01").code == 0
    assert fields_of(jira, key)["customfield_10014"] == "2025-04-01"
    bad_date = jira("updateIssue", "--issue", key, "--custom", "Review Date:1 April")
    assert bad_date.code == 254 and "Review Date" in bad_date.err and "yyyy-MM-dd" in bad_date.err
    bad_option = jira("updateIssue", "--issue", key, "--field", "Platforms=Linux,BeOS")
    assert bad_option.code == 254 and "BeOS" in bad_option.err  # named from the editmeta, with the valid ones
    created_badly = jira("createIssue", "--project", "DEMO", "--type", "Story", "--summary", "Bad",
                         "--field", "Platforms=BeOS")
    # the server refused it; its createmeta, asked then, names the valid values
    assert created_badly.code == 254, created_badly.err
    assert "'BeOS'" in created_badly.err and "Linux, macOS, Windows" in created_badly.err
    epic = jira("createIssue", "--project", "DEMO", "--type", "Epic", "--summary", "Bad")  # Jira: "issue type is required"
    assert epic.code == 254 and "'Epic'" in epic.err and "Task, Bug, Story" in epic.err, epic.err
    off_screen = jira("createIssue", "--project", "DEMO", "--type", "Bug", "--summary", "Bad",
                      "--field", "Review Date=2025-01-01")
    # Jira's "cannot be set ... or unknown" explained from the createmeta: which field, which screen
    assert off_screen.code == 255 and "Cannot set 'Review Date' (customfield_10014) on a new Bug in DEMO: not on its " \
        "create screen" in off_screen.err, off_screen.err


def test_a_field_off_the_edit_screen_is_named_before_anything_is_sent(jira, sandbox):
    created = jira("createIssue", "--project", "DEMO", "--type", "Bug", "--summary", "No review date here")
    assert created.code == 0, created.err
    key = created.out.split()[1]
    refused = jira("setFieldValue", "--issue", key, "--field", "Review Date", "--values", "2025-03-05")
    assert refused.code == 255 and "'Review Date' (customfield_10014)" in refused.err and "edit screen" in refused.err
    also = jira("updateIssue", "--issue", key, "--summary", "Renamed", "--custom", "Review Date:2025-03-05")
    assert also.code == 255 and "Review Date" in also.err
    assert fields_of(jira, key)["summary"] == "No review date here"  # nothing was sent
    assert jira("updateIssue", "--issue", key, "--summary", "Renamed", "--field", "Team=Red").code == 0
    assert fields_of(jira, key)["summary"] == "Renamed"


def test_editmeta_is_asked_once_per_issue():
    from atlctl.products.jira.client import JiraClient

    asked = []

    class Conn:
        def get_json(self, path, params=None, expect=None):
            asked.append(path)
            return {"fields": {"summary": {}}}

    client = JiraClient(Conn(), "server")
    assert client.editable("DEMO-1") == client.editable("demo-1") == {"summary": {}}
    client.editable("DEMO-2")
    assert asked == ["/rest/api/2/issue/DEMO-1/editmeta", "/rest/api/2/issue/DEMO-2/editmeta"]


def test_a_create_refusal_stands_when_the_createmeta_cannot_explain_it():
    """Before Jira 8.4 there is no createmeta/{project}/issuetypes: the server's own 400 is kept."""
    from atlctl.errors import RemoteError
    from atlctl.products.jira.actions import _create_refusal

    class Call(dict):
        def __init__(self, creatable):
            super().__init__(project="DEMO", type="Task")
            self.client = type("Client", (), {"creatable": staticmethod(creatable)})()

    def missing(project, issue_type):
        raise RemoteError("Not Found", status=404)

    green = {"customfield_10010": {"value": "Green"}}
    assert _create_refusal(Call(missing), green) is None
    allowed = {"customfield_10010": {"name": "Team", "allowedValues": [{"value": "Red"}, {"value": "Blue"}]}}
    assert str(_create_refusal(Call(lambda project, issue_type: ([{"name": "Task"}], allowed)), green)) == \
        "Invalid value 'Green' for field 'Team'. Valid values: Red, Blue."
