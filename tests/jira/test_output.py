"""Output rendering (findings 5, 6, 7, 8 and 13 of round 3): server text with terminal control
sequences, a standard output that cannot encode everything, --append under another header row,
getIssueList --columns naming any issue field, and --file ""."""

import json

from tests.helpers import run, run_installed
from tests.jira.conftest import logins

ATTACK = "before\x1b]0;owned\x07\x1b[2K\x1b[1A\x9b6n\rafter"
SHOWN = "before\\x1b]0;owned\\x07\\x1b[2K\\x1b[1A\\x9b6n\\x0dafter"


def _dc(sandbox):
    return lambda action, *args, **kwargs: run("jira", action, *logins(sandbox, "dc"), *args, **kwargs)


def test_control_characters_are_escaped_on_the_console_and_kept_in_a_file(sandbox, tmp_path):
    jira = _dc(sandbox)
    assert jira("addComment", "--issue", "DEMO-1", "--comment", f"line one\n\t{ATTACK}").code == 0
    assert jira("updateIssue", "--issue", "DEMO-1", "--description", ATTACK).code == 0
    for output in ("text", "csv"):
        listed = jira("getCommentList", "--issue", "DEMO-1", "--output", output)
        assert listed.code == 0, listed.err
        assert SHOWN in listed.out and "\x1b" not in listed.out and "\x9b" not in listed.out
        assert "line one\n\t" in listed.out  # newline and tab are text
    shown = jira("getIssue", "--issue", "DEMO-1")
    assert f"Description . . . . . : {SHOWN}" in shown.out and "\x1b" not in shown.out
    as_json = jira("getIssue", "--issue", "DEMO-1", "--output", "json")
    assert "\x1b" not in as_json.out and "\x9b" not in as_json.out and "\\u009b" in as_json.out
    assert json.loads(as_json.out)["fields"]["description"] == ATTACK  # JSON's own escapes: nothing lost
    kept = tmp_path / "comments.csv"
    assert jira("getCommentList", "--issue", "DEMO-1", "--file", kept).code == 0
    assert ATTACK.encode() in kept.read_bytes()  # a file gets the data as is
    assert "\x1b]0;owned" in jira("getCommentList", "--issue", "DEMO-1", "--file", "-").out  # what the file holds


def test_an_ascii_standard_output_loses_nothing_in_json_and_warns_once_in_text(sandbox):
    created = _dc(sandbox)("createIssue", "--project", "DEMO", "--type", "Task", "--summary", "Café für ☕ naïve")
    assert created.code == 0, created.err
    key = created.out.split()[1]
    ascii_out = {"PYTHONIOENCODING": "ascii"}
    as_json = run_installed("jira", "getIssue", "--issue", key, "--output", "json", *logins(sandbox, "dc"),
                            environ=ascii_out)
    assert as_json.code == 0, as_json.err
    assert "\\u00e9" in as_json.out and "Caf?" not in as_json.out and not as_json.err  # no warning: nothing lost
    assert json.loads(as_json.out)["fields"]["summary"] == "Café für ☕ naïve"
    for output in ("text", "csv"):
        shown = run_installed("jira", "getIssueList", "--jql", f"key = {key}", "--output", output,
                              *logins(sandbox, "dc"), environ=ascii_out)
        assert shown.code == 0 and "Caf? f?r ? na?ve" in shown.out
        assert shown.err.count("cannot show some characters") == 1, shown.err


def test_append_under_another_header_row_is_refused(sandbox, tmp_path):
    jira = _dc(sandbox)
    out = tmp_path / "a.csv"
    assert jira("getIssueList", "--jql", "key = DEMO-1", "--file", out, "--columns", "key").code == 0
    before = out.read_bytes()
    nowhere = ["--server", "http://127.0.0.1:9", "--user", "admin", "--password", "admin"]  # nothing listens there
    refused = run("jira", "getIssueList", *nowhere, "--jql", "key = DEMO-2", "--file", out, "--append",
                  "--columns", "key,summary")
    assert refused.code == 254, refused.err  # refused before anything is sent
    assert "header row" in refused.err and "Key" in refused.err and "key,summary" in refused.err
    by_number = jira("getIssueList", "--jql", "key = DEMO-2", "--file", out, "--append", "--columns", "1,8")
    assert by_number.code == 254 and "Key,Summary" in by_number.err  # known once the answer is
    assert out.read_bytes() == before
    assert jira("getIssueList", "--jql", "key = DEMO-2", "--file", out, "--append", "--columns", "KEY").code == 0
    assert out.read_text().splitlines() == ["Key", "DEMO-1", "DEMO-2"]


def test_issue_list_columns_name_any_issue_field(jira):
    assert jira("addVersion", "--project", "DEMO", "--version", "1.0").code == 0
    assert jira("updateIssue", "--issue", "DEMO-1", "--field", "Story Points=5", "--fixVersions", "1.0",
                "--labels", "adv3").code == 0
    listed = jira("getIssueList", "--jql", "key = DEMO-1", "--outputFormat", "999", "--output", "csv",
                  "--columns", "Key,Fix Versions,Labels")
    assert listed.code == 0, listed.err
    assert listed.out.splitlines() == ["Key,Fix Versions,Labels", "DEMO-1,1.0,adv3"]
    points = jira("getIssueList", "--jql", "key = DEMO-1", "--output", "csv", "--columns", "key,Story Points,Project")
    assert points.code == 0, points.err
    assert points.out.splitlines() == ["Key,Story Points,Project", "DEMO-1,5,DEMO"]
    unknown = jira("getIssueList", "--jql", "key = DEMO-1", "--columns", "key,No Such Field")
    assert unknown.code == 254 and "Unknown column 'No Such Field'" in unknown.err


def test_a_column_number_out_of_range_says_the_range(sandbox):
    out = _dc(sandbox)("getIssueList", "--jql", "key = DEMO-1", "--columns", "1,3,99")
    assert out.code == 254 and "Column 99 for --columns is out of range (1-10)." in out.err


def test_an_empty_file_name_is_refused(sandbox):
    nowhere = ["--server", "http://127.0.0.1:9", "--user", "admin", "--password", "admin"]
    for action in (["getIssueList", "--jql", "key = DEMO-1"], ["getServerInfo"]):
        refused = run("jira", *action, *nowhere, "--file", "")
        assert refused.code == 254 and "--file needs a file name" in refused.err, refused.err
    assert run("jira", "addAttachment", *nowhere, "--issue", "DEMO-1", "--file", "").code == 254
