"""Jira Cloud users (issue 15): --assignee, --reporter, --userId and user picker fields take an
email, a display name or an accountId, resolved through the user search; lists show the display
name beside the accountId, in a form those parameters take back."""

import json

import pytest

from atlctl.errors import ClientError
from atlctl.products.jira.client import JiraClient
from tests.e2e.conftest import CLOUD_TOKEN
from tests.helpers import run

ALICE = "5f8e3c2a1b0d4e0069a1b2c4"


@pytest.fixture
def cloud(sandbox):
    common = ["--server", sandbox.jira_cloud, "--user", "admin@example.com", "--token", CLOUD_TOKEN]
    return lambda action, *args: run("jira", action, *common, *args)  # noqa: E731


def _assignee(cloud, key):
    got = cloud("getIssue", "--issue", key, "--output", "json")
    assert got.code == 0, got.err
    return (json.loads(got.out)["fields"].get("assignee") or {}).get("accountId")


def test_email_display_name_and_account_id_all_name_the_user(cloud):
    created = cloud("createIssue", "--project", "DEMO", "--type", "Task", "--summary", "For Alice",
                    "--assignee", "alice@example.com", "--reporter", "Alice Example", "--field", "Reviewer=ALICE@example.com")
    assert created.code == 0, created.err
    key = created.out.split()[1]
    fields = json.loads(cloud("getIssue", "--issue", key, "--output", "json").out)["fields"]
    assert fields["assignee"]["accountId"] == fields["reporter"]["accountId"] == ALICE
    assert fields["customfield_10011"]["accountId"] == ALICE
    assert cloud("assignIssue", "--issue", key, "--userId", "").code == 0 and _assignee(cloud, key) is None
    assert cloud("assignIssue", "--issue", key, "--userId", ALICE).code == 0 and _assignee(cloud, key) == ALICE
    user = cloud("getUser", "--userId", "alice@example.com", "--output", "csv", "--columns", "User,Full name")
    assert user.out.splitlines() == ["User,Full name", f"{ALICE},Alice Example"]


def test_lists_show_display_names_beside_account_ids_and_take_them_back(cloud):
    assert cloud("assignIssue", "--issue", "DEMO-1", "--userId", "Alice Example").code == 0
    listed = cloud("getIssueList", "--jql", "key = DEMO-1", "--output", "csv", "--columns", "Assignee")
    shown = listed.out.splitlines()[1]
    assert shown == f"Alice Example ({ALICE})"
    assert cloud("getFieldValue", "--issue", "DEMO-1", "--field", "assignee").out.strip() == shown
    assert cloud("assignIssue", "--issue", "DEMO-2", "--userId", shown).code == 0
    assert _assignee(cloud, "DEMO-2") == ALICE


def test_unknown_users_name_the_candidates(cloud):
    nobody = cloud("assignIssue", "--issue", "DEMO-1", "--userId", "Zed Nobody")
    assert nobody.code == 255 and "No Jira Cloud user 'Zed Nobody'" in nobody.err
    partial = cloud("createIssue", "--project", "DEMO", "--type", "Task", "--summary", "x", "--assignee", "ali")
    assert partial.code == 255 and "did you mean: Alice Example <alice@example.com>" in partial.err


class _Conn:
    def __init__(self, users):
        self.users, self.asked = users, 0

    def get_json(self, path, params=None, expect=None):
        self.asked += 1
        return self.users


def test_ambiguous_names_are_refused_and_answers_are_cached():
    twins = [{"accountId": "a" * 24, "displayName": "Sam Lee", "emailAddress": "sam1@example.com"},
             {"accountId": "b" * 24, "displayName": "Sam Lee", "emailAddress": "sam2@example.com"}]
    client = JiraClient(_Conn(twins), "cloud")
    with pytest.raises(ClientError, match="ambiguous.*sam1@example.com.*sam2@example.com"):
        client.user_id("sam lee")
    assert client.user_id("SAM2@example.com") == "b" * 24
    assert client.user_id("sam2@example.com") == "b" * 24 and client.conn.asked == 2
    hidden = JiraClient(_Conn([{"accountId": "c" * 24, "displayName": "Private"}]), "cloud")
    assert hidden.user_id("private.person@example.com") == "c" * 24
    assert JiraClient(_Conn([]), "server").user_id(" bob ") == "bob"


def test_watchers_leads_and_group_members_by_email(cloud):
    assert cloud("addWatchers", "--issue", "DEMO-1", "--userId", "alice@example.com,Sandbox Admin").code == 0
    lead = cloud("addComponent", "--project", "DEMO", "--component", "Web", "--lead", "alice@example.com")
    assert lead.code == 0, lead.err
    listed = cloud("getComponentList", "--project", "DEMO", "--output", "csv", "--columns", "Name,Lead")
    assert listed.out.splitlines()[1:] == [f"Web,Alice Example ({ALICE})"]
    groups = cloud("getGroupList", "--userId", "alice@example.com", "--output", "csv", "--columns", "Group")
    assert "jira-software-users" in groups.out.splitlines() and "site-admins" not in groups.out


def test_server_users_by_email_or_display_name(sandbox):
    dc = lambda action, *args: run("jira", action, "--server", sandbox.jira, "--user", "admin",  # noqa: E731
                                   "--password", "admin", *args)
    assert dc("assignIssue", "--issue", "DEMO-1", "--userId", "alice@example.com").code == 0
    assert dc("getFieldValue", "--issue", "DEMO-1", "--field", "assignee").out.strip() == "alice"
    assert dc("updateIssue", "--issue", "DEMO-1", "--field", "Reviewer=Alice Example").code == 0
    assert dc("getFieldValue", "--issue", "DEMO-1", "--field", "Reviewer").out.strip() == "alice"
    assert dc("assignIssue", "--issue", "DEMO-1", "--userId", "admin").code == 0  # a name needs no search
    nobody = dc("assignIssue", "--issue", "DEMO-1", "--userId", "zed@example.com")
    assert nobody.code == 255 and "No Jira user 'zed@example.com'" in nobody.err
