"""addLabels/removeLabels, linkIssue/getLinkList (and the jira package's create_issue_link),
transitionIssue --resolution, getIssueList --count and --outputFormat (issue 15), on DC and Cloud."""

import json

from jira import JIRA

from tests.jira.conftest import fields_of


def _labels(jira, key):
    return fields_of(jira, key)["labels"]


def test_add_and_remove_labels(jira):
    assert jira("updateIssue", "--issue", "DEMO-1", "--labels", "keep").code == 0
    added = jira("addLabels", "--issue", "DEMO-1", "--labels", "a,b")
    assert added.code == 0, added.err
    assert _labels(jira, "DEMO-1") == ["keep", "a", "b"]
    removed = jira("removeLabels", "--issue", "DEMO-1", "--labels", "a, missing")
    assert removed.code == 0, removed.err
    assert removed.out.strip() == "Labels a removed from issue DEMO-1; not on it: missing."
    assert _labels(jira, "DEMO-1") == ["keep", "b"]
    none = jira("removeLabels", "--issue", "DEMO-1", "--labels", "gone,a")
    assert none.code == 0, none.err
    assert none.out.strip() == "No labels removed from issue DEMO-1; not on it: gone, a."
    assert _labels(jira, "DEMO-1") == ["keep", "b"]
    assert jira("addLabels", "--issue", "DEMO-1", "--labels", "two words").code == 254


def test_labels_and_columns_are_acli_comma_lists(jira):
    """Review finding 4: --labels and --columns are read as every list parameter is (values.list_items):
    a quoted entry is one entry without its quotes; a column number is ASCII digits only."""
    created = jira("createIssue", "--project", "DEMO", "--type", "Task", "--summary", "Listed", "--labels", "'new', old")
    assert created.code == 0, created.err
    key = created.out.split()[1]
    assert jira("addLabels", "--issue", key, "--labels", "'quoted',,plain").code == 0
    assert _labels(jira, key) == ["new", "old", "quoted", "plain"]
    assert jira("removeLabels", "--issue", key, "--labels", "'old'").code == 0
    assert _labels(jira, key) == ["new", "quoted", "plain"]
    assert jira("addLabels", "--issue", key, "--labels", "' two words'").code == 254  # still no blanks in a label
    shown = jira("getIssueList", "--jql", f"key = {key}", "--output", "csv", "--columns", "'Key', 2")
    assert shown.code == 0 and shown.out.splitlines()[0] == "Key,Id", shown.out
    arabic = jira("getIssueList", "--jql", f"key = {key}", "--output", "csv", "--columns", "\u0663")  # ARABIC-INDIC THREE
    assert arabic.code == 254 and "Unknown column '\u0663' for --columns" in arabic.err, arabic.err


def test_link_issue_and_list_from_both_ends(jira):
    linked = jira("linkIssue", "--issue", "DEMO-1", "--toIssue", "DEMO-2", "--link", "blocks")
    assert linked.code == 0, linked.err
    assert linked.out.strip() == "Issue DEMO-1 blocks DEMO-2."
    assert jira("linkIssue", "--issue", "DEMO-3", "--toIssue", "DEMO-1", "--link", "is blocked by").code == 0
    assert jira("linkIssue", "--issue", "DEMO-1", "--toIssue", "DEMO-3", "--link", "Relates to").code == 0
    one = jira("getLinkList", "--issue", "DEMO-1", "--output", "csv", "--columns", "Link,To Issue")
    assert one.code == 0, one.err
    assert one.out.splitlines() == ["Link,To Issue", "blocks,DEMO-2", "blocks,DEMO-3", "relates to,DEMO-3"]
    two = jira("getLinkList", "--issue", "DEMO-2", "--output", "csv", "--columns", "Link,To Issue")
    assert two.out.splitlines() == ["Link,To Issue", "is blocked by,DEMO-1"]
    unknown = jira("linkIssue", "--issue", "DEMO-1", "--toIssue", "DEMO-2", "--link", "haunts")
    assert unknown.code == 255 and "relates to" in unknown.err


def test_transition_with_resolution(jira):
    done = jira("transitionIssue", "--issue", "DEMO-1", "--transition", "Done", "--resolution", "Fixed")
    assert done.code == 0, done.err
    found = jira("getIssueList", "--jql", "key = DEMO-1", "--outputFormat", "999", "--output", "csv",
                 "--columns", "Key,Status,Resolution")
    assert found.out.splitlines() == ["Key,Status,Resolution", "DEMO-1,Done,Fixed"]
    refused = jira("transitionIssue", "--issue", "DEMO-1", "--transition", "Reopen", "--resolution", "Fixed")
    assert refused.code == 253 and "resolution" in refused.err  # Fixed exists: off the screen, Jira says so
    unknown = jira("transitionIssue", "--issue", "DEMO-2", "--transition", "Done", "--resolution", "Sorted")
    assert unknown.code == 254 and "'Sorted'" in unknown.err and "Fixed, Won't Fix, Done" in unknown.err, unknown.err


def test_issue_list_count_and_output_format_101(jira):
    keys = jira("getIssueList", "--jql", "project = DEMO ORDER BY key", "--outputFormat", "101", "--count", "2")
    assert keys.code == 0, keys.err
    assert keys.out.splitlines() == ["2 issues in list", "DEMO-1", "DEMO-2"]
    both = jira("getIssueList", "--jql", "project = DEMO", "--outputFormat", "101", "--output", "json")
    assert both.code == 254 and "--output json" in both.err
    assert jira("getIssueList", "--jql", "project = DEMO", "--outputFormat", "7").code == 254
    assert jira("getIssueList", "--jql", "project = DEMO", "--count", "2", "--limit", "3").code == 254


def test_get_issue_and_issue_list_write_dates_in_date_format(jira):
    """acli.md §5.1: getIssue and getIssueList take --dateFormat, for the dates they print (the seeded
    DEMO-1 was created 2025-01-01T10:00Z); JSON keeps the server's own values."""
    shown = jira("getIssue", "--issue", "DEMO-1", "--dateFormat", "dd/MMM/yyyy HH:mm")
    assert shown.code == 0, shown.err
    assert "Created . . . . . . . : 01/Jan/2025 10:00" in shown.out.splitlines()
    listed = jira("getIssueList", "--jql", "key = DEMO-1", "--dateFormat", "yyyy.MM.dd", "--columns", "Key,Created")
    assert listed.code == 0, listed.err
    assert listed.out.splitlines()[1:] == ["Key,Created", "DEMO-1,2025.01.01"]
    raw = json.loads(jira("getIssue", "--issue", "DEMO-1", "--dateFormat", "yyyy", "--output", "json").out)
    assert raw["fields"]["created"].startswith("2025-01-01T10:00:00")
    assert jira("getIssue", "--issue", "DEMO-1", "--dateFormat", "yyyy-QQ").code == 254
    keys = jira("getIssueList", "--jql", "key = DEMO-1", "--outputFormat", "101", "--dateFormat", "yyyy")
    assert keys.code == 254 and "--dateFormat" in keys.err  # 101 prints no date: not dropped silently


def test_jira_package_create_issue_link(sandbox):
    j = JIRA(sandbox.jira, basic_auth=("admin", "admin"))
    assert {t.name for t in j.issue_link_types()} >= {"Blocks", "Relates"}
    j.create_issue_link("blocks", "DEMO-1", "DEMO-2")
    links = j.issue("DEMO-1").fields.issuelinks
    assert [(k.type.name, k.outwardIssue.key) for k in links] == [("Blocks", "DEMO-2")]
    assert j.issue("DEMO-2").fields.issuelinks[0].inwardIssue.key == "DEMO-1"
    j.delete_issue_link(links[0].id)
    assert j.issue("DEMO-1").fields.issuelinks == []
