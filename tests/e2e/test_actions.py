"""Each Jira action's output against the sandbox: ACLI-like text, csv, and json with the server's own
field names; --columns, --file, --quiet."""

import json
import os
import stat

import pytest

from tests.e2e.conftest import CAROL_PASSWORD, DAVE_PASSWORD
from tests.helpers import run


@pytest.fixture
def jira(dc):
    """atlctl jira ACTION --server DC --user dave --password ..., as a function."""
    return lambda action, *args, **kw: run("jira", action, "--server", dc.jira, "--user", "dave", "--password",
                                           DAVE_PASSWORD, *args, **kw)


def test_create_update_get_delete(jira, dc):
    created = jira("createIssue", "--project", "DEMO", "--type", "Bug", "--summary", "Broken login",
                   "--description", "Steps...", "--priority", "High", "--labels", "auth, login", "--assignee", "dave")
    assert created.code == 0, created.err
    key = created.out.split()[1]
    assert created.out.startswith(f"Issue {key} created with id ") and f"/browse/{key}" in created.out
    got = jira("getIssue", "--issue", key)
    for line in ("Type  . . . . . . . . : Bug", "Priority  . . . . . . : High", "Summary . . . . . . . : Broken login",
                 "Labels  . . . . . . . : auth, login", "Assignee  . . . . . . : dave", "Status  . . . . . . . : To Do"):
        assert line in got.out
    updated = jira("updateIssue", "--issue", key, "--summary", "Broken login page", "--labels", "")
    assert updated.out.strip() == f"Issue {key} updated."
    as_json = json.loads(jira("getIssue", "--issue", key, "--output", "json").out)
    assert as_json["key"] == key and as_json["fields"]["summary"] == "Broken login page" and as_json["fields"]["labels"] == []
    refused = jira("deleteIssue", "--issue", key)  # dave is no project admin
    assert refused.code == 253 and "permission" in refused.err
    admin = ["--server", dc.jira, "--user", "carol", "--password", CAROL_PASSWORD]
    assert run("jira", "deleteIssue", *admin, "--issue", key).out.strip() == f"Issue {key} deleted."
    gone = jira("getIssue", "--issue", key)
    assert gone.code == 253 and "Issue Does Not Exist" in gone.err


def test_field_by_name(jira):
    created = jira("createIssue", "--project", "DEMO", "--type", "Task", "--summary", "x", "--field", "labels=a,b",
                   "--field", "Description=by name")
    assert created.code == 0, created.err
    key = created.out.split()[1]
    fields = json.loads(jira("getIssue", "--issue", key, "--output", "json").out)["fields"]
    assert fields["labels"] == ["a", "b"] and fields["description"] == "by name"
    bad = jira("createIssue", "--project", "DEMO", "--type", "Task", "--summary", "x", "--field", "Nope=1")
    assert bad.code == 254 and "Unknown field 'Nope'" in bad.err
    malformed = jira("createIssue", "--project", "DEMO", "--type", "Task", "--summary", "x", "--field", "novalue")
    assert malformed.code == 254 and "NAME=VALUE" in malformed.err


def test_remote_validation_error_carries_the_server_message(jira):
    outcome = jira("createIssue", "--project", "NOPE", "--type", "Task", "--summary", "x")
    assert outcome.code == 253 and outcome.err.startswith("Remote error: ") and "project" in outcome.err.lower()


def test_transitions_and_comments(jira):
    listed = jira("getTransitionList", "--issue", "DEMO-1", "--output", "csv")
    assert listed.out.splitlines()[0] == "Id,Name,To Status" and "11,Start Progress,In Progress" in listed.out
    wrong = jira("transitionIssue", "--issue", "DEMO-1", "--transition", "Fly")
    assert wrong.code == 255 and "Available: Start Progress (11)" in wrong.err
    assert jira("transitionIssue", "--issue", "DEMO-1", "--transition", "11").code == 0
    assert jira("addComment", "--issue", "DEMO-1", "--comment", "first").code == 0
    comments = jira("getCommentList", "--issue", "DEMO-1")
    assert comments.out.startswith("1 comments in list\nId,Author,Created,Body\n") and ",dave," in comments.out


def test_comment_from_file(jira, tmp_path):
    body = tmp_path / "comment.txt"
    body.write_text("from a file\nwith two lines\n")
    assert jira("addComment", "--issue", "DEMO-2", "--file", body).code == 0
    data = json.loads(jira("getCommentList", "--issue", "DEMO-2", "--output", "json").out)
    assert data[-1]["body"] == "from a file\nwith two lines\n"


def test_attachments_round_trip(jira, tmp_path):
    source = tmp_path / "notes.txt"
    source.write_bytes(b"attached bytes\x00\x01")
    added = jira("addAttachment", "--issue", "DEMO-1", "--file", source)
    assert added.code == 0, added.err
    assert added.out.startswith("Attachment 'notes.txt' added to DEMO-1 with id ")
    listing = jira("getAttachmentList", "--issue", "DEMO-1", "--columns", "Name,Size")
    assert listing.out == "1 attachments in list\nName,Size\nnotes.txt,16\n"
    target = tmp_path / "copy.txt"
    fetched = jira("getAttachment", "--issue", "DEMO-1", "--name", "notes.txt", "--file", target)
    assert fetched.code == 0 and target.read_bytes() == b"attached bytes\x00\x01"


def test_missing_attachment_file(jira):
    outcome = jira("addAttachment", "--issue", "DEMO-1", "--file", "/nonexistent/file.txt")
    assert outcome.code == 254 and "Cannot read file /nonexistent/file.txt" in outcome.err


def test_list_output_to_file(jira, tmp_path):
    target = tmp_path / "issues.csv"
    outcome = jira("getIssueList", "--jql", "project = DEMO ORDER BY key DESC", "--limit", "2", "--file", target,
                   "--output", "csv", "--columns", "1,8")
    assert outcome.code == 0 and outcome.out.strip() == f"2 issues written to file: {target}"
    assert target.read_text() == "Key,Summary\nDEMO-3,As a user I can export my issues\nDEMO-2,Login page rejects valid passwords\n"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o666 & ~_umask()  # an ordinary file, not a private one


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_search_pages_through_everything(jira, dc):
    for n in range(120):  # more than one page of 100
        assert run("jira", "createIssue", "--server", dc.jira, "--user", "dave", "--password", DAVE_PASSWORD,
                   "--auth", "basic", "--project", "DEMO", "--type", "Task", "--summary", f"n{n}").code == 0
    everything = jira("getIssueList", "--jql", "project = DEMO", "--output", "json")
    assert len(json.loads(everything.out)) == 123
    limited = jira("getIssueList", "--jql", "project = DEMO ORDER BY key", "--limit", "101", "--quiet")
    assert limited.out.startswith("101 issues in list")


def test_projects_and_users(jira, dc):
    projects = jira("getProjectList", "--output", "json")
    assert [p["key"] for p in json.loads(projects.out)] == ["DEMO"]
    project = jira("getProject", "--project", "DEMO")
    assert "Name  . . . . . . . . : Demo" in project.out and "Task, Bug, Story" in project.out
    user = jira("getUser", "--userId", "carol", "--output", "csv", "--columns", "User,Email")
    assert user.out == "User,Email\ncarol,carol@example.com\n"


def test_user_admin_actions(dc):
    admin = ["--server", dc.jira, "--user", "carol", "--password", CAROL_PASSWORD]
    assert run("jira", "addUser", *admin, "--userId", "frank", "--userEmail", "f@example.com", "--userFullName", "Frank",
               "--userPassword", "fr4nk-Pw-9").code == 0
    assert run("jira", "addGroup", *admin, "--group", "qa").code == 0
    assert run("jira", "addUserToGroup", *admin, "--userId", "frank", "--group", "qa").code == 0
    assert run("jira", "getCurrentUser", "--server", dc.jira, "--user", "frank", "--password", "fr4nk-Pw-9").code == 0
    assert run("jira", "removeUser", *admin, "--userId", "frank").out.strip() == "User 'frank' removed."
    assert run("jira", "getUser", *admin, "--userId", "frank").code == 253


def test_quiet_keeps_only_errors(jira):
    assert jira("addComment", "--issue", "DEMO-1", "--comment", "x", "--quiet").out == ""
    failed = jira("getIssue", "--issue", "NOPE-1", "--quiet")
    assert failed.code == 253 and failed.err
