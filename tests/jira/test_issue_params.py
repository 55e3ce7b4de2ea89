"""The remaining ACLI parameters of Jira scripts: createIssue/updateIssue --comment, --environment,
--parent, --security; getIssueList --search and --filter; --count fetching only the pages it needs;
--outputFormat 101 written to a --file (with --append), on Server/DC and Cloud."""

import httpx
import pytest

from atlctl.products.jira.client import JiraClient
from tests.e2e.conftest import CLOUD_TOKEN
from tests.jira.conftest import fields_of, json_of


def _comments(jira, key):
    return jira("getCommentList", "--issue", key, "--output", "csv", "--columns", "Body").out.splitlines()[1:]


def _issue_count(jira):
    return len(json_of(jira("getIssueList", "--jql", "project = DEMO", "--output", "json")))


def test_comment_is_added_after_the_create_and_the_update(jira):
    created = jira("createIssue", "--project", "DEMO", "--type", "Task", "--summary", "Noted", "--comment", "first note")
    assert created.code == 0, created.err
    assert created.out.startswith("Issue DEMO-4 created with id") and "Comment with id" in created.out
    assert _comments(jira, "DEMO-4") == ["first note"]
    updated = jira("updateIssue", "--issue", "DEMO-4", "--summary", "Renoted", "--comment", "second note")
    assert updated.code == 0 and updated.out.startswith("Issue DEMO-4 updated. Comment with id"), updated.err
    assert fields_of(jira, "DEMO-4")["summary"] == "Renoted"
    alone = jira("updateIssue", "--issue", "DEMO-4", "--comment", "third note")  # a comment is an update of its own
    assert alone.code == 0 and "Comment with id" in alone.out, alone.err
    assert _comments(jira, "DEMO-4") == ["first note", "second note", "third note"]


def test_a_byte_order_mark_is_no_part_of_a_text_from_a_file(jira, tmp_path):
    """Finding 10: Notepad's byte-order mark starting a --file text (or standard input) was sent as
    U+FEFF at the start of the comment or description; it is dropped, as from a CSV file."""
    comment = tmp_path / "comment.txt"
    comment.write_bytes(b"\xef\xbb\xbfbom comment")
    assert jira("addComment", "--issue", "DEMO-1", "--file", comment).code == 0
    assert jira("addComment", "--issue", "DEMO-1", "--file", "-", stdin="\ufeffbom stdin").code == 0
    bodies = [c["body"] for c in json_of(jira("getCommentList", "--issue", "DEMO-1", "--output", "json"))]
    assert bodies[-2:] == ["bom comment", "bom stdin"]
    described = jira("createIssue", "--project", "DEMO", "--type", "Task", "--summary", "Marked", "--file", comment)
    assert described.code == 0, described.err
    assert fields_of(jira, described.out.split()[1])["description"] == "bom comment"


def test_a_blank_comment_is_refused_before_anything_is_created(jira):
    before = _issue_count(jira)
    blank = jira("createIssue", "--project", "DEMO", "--type", "Task", "--summary", "Not made", "--comment", " ")
    assert blank.code == 254 and "parameter: comment" in blank.err
    nobody = jira("createIssue", "--project", "DEMO", "--type", "Task", "--summary", "Not made", "--reporter", "")
    assert nobody.code == 254 and "parameter: reporter" in nobody.err  # it was dropped, the issue made
    assert _issue_count(jira) == before
    nothing = jira("updateIssue", "--issue", "DEMO-1")
    assert nothing.code == 254 and "--comment" in nothing.err and "--environment" in nothing.err


def test_a_comment_that_fails_says_the_issue_was_created(jira, monkeypatch):
    from atlctl.errors import RemoteError

    def refuse(self, key, body):
        raise RemoteError("Comment body can not be empty!", status=400)

    monkeypatch.setattr(JiraClient, "add_comment", refuse)
    created = jira("createIssue", "--project", "DEMO", "--type", "Task", "--summary", "Half done", "--comment", "x")
    assert created.code == 253
    assert "Issue DEMO-4 was created, but the --comment was not added" in created.err, created.err
    assert fields_of(jira, "DEMO-4")["summary"] == "Half done"


def test_environment_security_and_parent_off_the_screens_are_explained(jira):
    """The sandbox's Task screens have no Environment (only the Bug's have it), no screen has Security
    Level or Parent, and it has no sub-task type:
    Jira's "Field 'X' cannot be set. It is not on the appropriate screen, or unknown." is explained
    from the createmeta (after the create's 400) and the editmeta (before the edit is sent)."""
    before = _issue_count(jira)
    environment = jira("createIssue", "--project", "DEMO", "--type", "Task", "--summary", "E", "--environment", "prod")
    assert environment.code == 255, environment.err
    assert "Cannot set 'Environment' (environment) on a new Task in DEMO: not on its create screen" in environment.err
    parent = jira("createIssue", "--project", "DEMO", "--type", "Task", "--summary", "P", "--parent", "DEMO-1")
    assert parent.code == 255 and "'Parent' (parent)" in parent.err, parent.err
    assert "Task is not one; project DEMO has no sub-task type (its types: Task, Bug, Story)" in parent.err
    security = jira("createIssue", "--project", "DEMO", "--type", "Bug", "--summary", "S", "--security", "Internal")
    assert security.code == 255 and "'Security Level' (security)" in security.err, security.err
    assert "issue security scheme" in security.err and "Set Issue Security" in security.err
    for param in ("--security", "--parent"):  # blank: refused, not left out with the issue made
        blank = jira("createIssue", "--project", "DEMO", "--type", "Task", "--summary", "B", param, " ")
        assert blank.code == 254 and f"parameter: {param[2:]}" in blank.err, blank.err
        assert jira("updateIssue", "--issue", "DEMO-1", "--summary", "B", param, "").code == 254
    assert fields_of(jira, "DEMO-1")["summary"] != "B"
    assert _issue_count(jira) == before  # none was created
    edited = jira("updateIssue", "--issue", "DEMO-1", "--environment", "prod", "--security", "10000")
    assert edited.code == 255 and "'Environment' (environment), 'Security Level' (security) on DEMO-1" in edited.err
    reparented = jira("updateIssue", "--issue", "DEMO-2", "--parent", "DEMO-1")
    assert reparented.code == 255 and "createIssue --parent with a sub-task --type" in reparented.err, reparented.err


def test_the_new_fields_are_sent_as_jira_takes_them():
    from atlctl.products.jira.actions import _fields

    class Call(dict):
        client = None

        def __missing__(self, key):
            return None

    call = Call(project="DEMO", type="Sub-task", summary="S", environment="prod, eu", security=" Internal ",
                parent="DEMO-1")
    assert _fields(call, creating=True) == {
        "project": {"key": "DEMO"}, "issuetype": {"name": "Sub-task"}, "summary": "S", "environment": "prod, eu",
        "security": {"name": "Internal"}, "parent": {"key": "DEMO-1"}}
    by_id = Call(issue="DEMO-2", security="10000", parent="10001", environment="")
    assert _fields(by_id, creating=False) == {"environment": "", "security": {"id": "10000"}, "parent": {"id": "10001"}}


# -- getIssueList --search and --filter ---------------------------------------------------------

def _save_filter(sandbox, cloud: bool, name: str, jql: str) -> str:
    server, auth = (sandbox.jira_cloud, ("admin@example.com", CLOUD_TOKEN)) if cloud else (sandbox.jira, ("admin", "admin"))
    with httpx.Client(auth=auth, headers={"X-Atlassian-Token": "no-check"}) as client:
        answer = client.post(f"{server}/rest/api/2/filter", json={"name": name, "jql": jql})
        answer.raise_for_status()
        return answer.json()["id"]


def _keys(outcome):
    assert outcome.code == 0, outcome.err + outcome.out
    return outcome.out.splitlines()[1:]


def test_search_is_the_older_name_of_jql(jira):
    assert _keys(jira("getIssueList", "--search", "key = DEMO-2", "--outputFormat", "101")) == ["DEMO-2"]
    both = jira("getIssueList", "--jql", "key = DEMO-1", "--search", "key = DEMO-2")
    assert both.code == 254 and "--jql key = DEMO-1 and --search key = DEMO-2" in both.err
    none = jira("getIssueList")
    assert none.code == 254 and "--jql, --search" in none.err and "--filter" in none.err
    blank = jira("getIssueList", "--search", " ")
    assert blank.code == 254 and "parameter: search" in blank.err


def test_filter_by_id_or_name_runs_its_jql(jira, sandbox):
    first = _save_filter(sandbox, jira.cloud, "Two and three", "key in (DEMO-2, DEMO-3) ORDER BY key")
    _save_filter(sandbox, jira.cloud, "Two and three, old", "key = DEMO-1")
    assert _keys(jira("getIssueList", "--filter", first, "--outputFormat", "101")) == ["DEMO-2", "DEMO-3"]
    assert _keys(jira("getIssueList", "--filter", "two AND three", "--outputFormat", "101")) == ["DEMO-2", "DEMO-3"]
    listed = jira("getIssueList", "--filter", "Two and three, old", "--output", "csv", "--columns", "Key")
    assert listed.out.splitlines() == ["Key", "DEMO-1"], listed.err
    unknown = jira("getIssueList", "--filter", "Two")
    assert unknown.code == 255 and "No saved filter named 'Two'" in unknown.err, unknown.err
    assert f"Two and three ({first})" in unknown.err
    arabic = jira("getIssueList", "--filter", "\u0663")  # an id is ASCII digits (review finding 4): a name
    assert arabic.code == 255 and "No saved filter named '\u0663'" in arabic.err, arabic.err
    missing = jira("getIssueList", "--filter", "99999")
    assert missing.code == 253 and "not available to you" in missing.err, missing.err
    both = jira("getIssueList", "--filter", first, "--jql", "key = DEMO-1")
    assert both.code == 254 and "give one" in both.err


# -- --count fetches only the pages it needs -----------------------------------------------------

class _Pages:
    """A server with 250 comments and 120 group members, recording what each request asked for."""

    def __init__(self):
        self.asked = []

    def get_json(self, path, params=None, expect=None):
        self.asked.append((path, params.get("startAt"), params.get("maxResults")))
        start, size = params["startAt"], params["maxResults"]
        if path.endswith("/comment"):
            return {"comments": [{"id": str(i)} for i in range(start, min(start + size, 250))], "startAt": start,
                    "total": 250}
        members = [{"name": f"u{i}"} for i in range(start, min(start + size, 120))]
        return {"values": members, "isLast": start + size >= 120, "total": 120}


@pytest.mark.parametrize("count, asked", [(None, [(0, 100), (100, 100), (200, 100)]), (30, [(0, 30)]),
                                          (150, [(0, 100), (100, 50)])])
def test_comment_count_asks_only_for_the_pages_it_lists(count, asked):
    conn = _Pages()
    comments = JiraClient(conn, "server").comments("DEMO-1", count)
    assert len(comments) == (count or 250)
    assert [(start, size) for _, start, size in conn.asked] == asked


def test_group_member_count_asks_only_for_the_pages_it_lists():
    conn = _Pages()
    assert len(JiraClient(conn, "cloud").group_members("devs", 60)) == 60
    assert [(start, size) for _, start, size in conn.asked] == [(0, 50), (50, 10)]
    conn.asked.clear()
    assert len(JiraClient(conn, "cloud").group_members("devs")) == 120
    assert [(start, size) for _, start, size in conn.asked] == [(0, 50), (50, 50), (100, 50)]


def test_count_on_the_comment_and_user_lists(jira):
    for text in ("one", "two", "three"):
        assert jira("addComment", "--issue", "DEMO-1", "--comment", text).code == 0
    assert _comments(jira, "DEMO-1") == ["one", "two", "three"]
    listed = jira("getCommentList", "--issue", "DEMO-1", "--count", "2")
    assert listed.code == 0 and listed.out.startswith("2 comments in list"), listed.err
    users = jira("getUserList", "--name", "a" if jira.cloud else ".", "--count", "1")
    assert users.code == 0 and users.out.startswith("1 users in list"), users.err
    for wrong in ("0", "-1", "²", "1.5"):  # ² is a digit to str.isdigit, not to int()
        refused = jira("getCommentList", "--issue", "DEMO-1", "--count", wrong)
        assert refused.code == 254 and f"Invalid value '{wrong}' for parameter --count" in refused.err, refused.err


# -- --outputFormat 101 to a file ----------------------------------------------------------------

def test_keys_to_a_file_leave_the_count_line_on_the_terminal(jira, tmp_path):
    out = tmp_path / "keys.txt"
    first = jira("getIssueList", "--jql", "key in (DEMO-1, DEMO-2) ORDER BY key", "--outputFormat", "101", "--file", out)
    assert first.code == 0 and first.out.strip() == f"2 issues written to file: {out}", first.err
    appended = jira("getIssueList", "--jql", "key = DEMO-3", "--outputFormat", "101", "--file", out, "--append")
    assert appended.code == 0 and appended.out.strip() == f"1 issues appended to file: {out}", appended.err
    assert out.read_text().splitlines() == ["DEMO-1", "DEMO-2", "DEMO-3"]
    printed = jira("getIssueList", "--jql", "key = DEMO-3", "--outputFormat", "101")
    assert printed.out.splitlines() == ["1 issues in list", "DEMO-3"]


def test_run_from_issue_list_takes_search_or_a_saved_filter(jira, sandbox):
    saved = _save_filter(sandbox, jira.cloud, "Run over two", "key = DEMO-2")
    common = ("--common", "--action addLabels --issue @issue@ --labels ran-@entry@")
    by_filter = jira("runFromIssueList", "--filter", "run over TWO", *common)
    assert by_filter.code == 0 and "1 actions were successful" in by_filter.out, by_filter.err + by_filter.out
    by_search = jira("runFromIssueList", "--search", "key = DEMO-3", *common)
    assert by_search.code == 0, by_search.err + by_search.out
    assert _keys(jira("getIssueList", "--jql", "labels in (ran-DEMO-2, ran-DEMO-3) ORDER BY key",
                      "--outputFormat", "101")) == ["DEMO-2", "DEMO-3"]
    none = jira("runFromIssueList", *common)
    assert none.code == 254 and "runFromIssueList needs one of --jql, --search" in none.err, none.err
    both = jira("runFromIssueList", "--filter", saved, "--jql", "key = DEMO-1", *common)
    assert both.code == 254 and "give one" in both.err
    assert "ran-DEMO-1" not in jira("getFieldValue", "--issue", "DEMO-1", "--field", "labels").out


def test_environment_and_a_multi_line_text_field_on_the_bug_screens(jira):
    """The sandbox's Bug screens have the Environment and the multi-line Release notes: createIssue
    and updateIssue set them, getIssue shows them by name and getFieldValue prints them."""
    notes = "Fixed the login.\nNo migration needed."
    created = jira("createIssue", "--project", "DEMO", "--type", "Bug", "--summary", "E", "--environment", "prod",
                   "--field", f"Release notes={notes}")
    assert created.code == 0, created.err
    key = created.out.split()[1]
    fields = fields_of(jira, key)
    assert fields["environment"] == "prod" and fields["customfield_10015"] == notes
    shown = jira("getIssue", "--issue", key).out.splitlines()
    assert "Environment . . . . . : prod" in shown and "Release notes . . . . : Fixed the login." in shown, shown
    updated = jira("updateIssue", "--issue", key, "--environment", "prod, eu-west", "--field", "release notes=Rolled out.")
    assert updated.code == 0 and updated.out.startswith(f"Issue {key} updated."), updated.err
    value = jira("getFieldValue", "--issue", key, "--field", "Environment")
    assert value.code == 0 and value.out.strip() == "prod, eu-west", value.err
    assert jira("getFieldValue", "--issue", key, "--field", "Release notes").out.strip() == "Rolled out."
    cleared = jira("updateIssue", "--issue", key, "--environment", "", "--field", "Release notes=")
    assert cleared.code == 0, cleared.err
    assert fields_of(jira, key)["customfield_10015"] is None
    shown = [line.rstrip() for line in jira("getIssue", "--issue", key).out.splitlines()]
    assert "Environment . . . . . :" in shown and not any(line.startswith("Release notes") for line in shown), shown
