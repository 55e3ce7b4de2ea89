"""getClientInfo, --append for output written to --file, and runFromIssueList (issue 15), on
Server/DC and Cloud."""

import json

from tests.helpers import run


def test_client_info_sends_nothing_and_names_the_client():
    from atlctl import __version__

    info = run("jira", "getClientInfo", "--server", "http://127.0.0.1:9")  # nothing listens there
    assert info.code == 0, info.err
    assert f"Version . . . . . . . : {__version__}" in info.out and "Python" in info.out and "httpx" in info.out
    data = json.loads(run("jira", "getClientInfo", "--output", "json").out)
    assert data["Version"] == __version__ and data["Client"].startswith("atlctl jira")


def test_append_adds_rows_under_one_header(jira, tmp_path):
    out = tmp_path / "issues.csv"
    first = jira("getIssueList", "--jql", "key = DEMO-1", "--file", out, "--columns", "Key")
    assert first.code == 0, first.err
    second = jira("getIssueList", "--jql", "key = DEMO-2", "--file", out, "--columns", "Key", "--append")
    assert second.code == 0 and "appended to file" in second.out, second.err
    assert out.read_text().splitlines() == ["Key", "DEMO-1", "DEMO-2"]
    replaced = jira("getIssueList", "--jql", "key = DEMO-3", "--file", out, "--columns", "Key")
    assert replaced.code == 0 and out.read_text().splitlines() == ["Key", "DEMO-3"]
    fresh = tmp_path / "new.csv"
    assert jira("getIssueList", "--jql", "key = DEMO-1", "--file", fresh, "--columns", "Key", "--append").code == 0
    assert fresh.read_text().splitlines() == ["Key", "DEMO-1"]  # a new file gets its header


def test_append_starts_on_a_line_of_its_own(jira, tmp_path):
    """Finding 9: a file whose last row has no newline (an editor's, `printf`'s) had the first
    appended row joined onto it; the row is ended first, and a file that ends one is left as it is."""
    out = tmp_path / "app.csv"
    out.write_bytes(b"Key,Summary")
    appended = jira("getIssueList", "--jql", "key = DEMO-1", "--file", out, "--columns", "key,summary", "--append")
    assert appended.code == 0, appended.err
    assert out.read_text() == "Key,Summary\nDEMO-1,Set up the team's sandbox\n"
    assert jira("getIssue", "--issue", "DEMO-2", "--file", out, "--columns", "Key", "--append").code == 0
    assert out.read_text().splitlines() == ["Key,Summary", "DEMO-1,Set up the team's sandbox", "Key . . . . . . . . . : DEMO-2"]


def test_append_of_json_is_refused_before_anything_is_sent(jira, tmp_path):
    """Finding 9: JSON appended to JSON ([...][...]) is no JSON; --append is for CSV and text."""
    out = tmp_path / "issues.json"
    assert jira("getIssueList", "--jql", "key = DEMO-1", "--file", out, "--output", "json").code == 0
    before = out.read_bytes()
    refused = jira("getIssueList", "--jql", "key = DEMO-2", "--file", out, "--output", "json", "--append")
    assert refused.code == 254 and "--append" in refused.err and "invalid JSON" in refused.err, refused.err
    assert len(refused.err.strip().splitlines()) == 1 and out.read_bytes() == before
    assert json.loads(before)[0]["key"] == "DEMO-1"
    labelled = jira("addLabels", "--issue", "DEMO-1", "--labels", "not-sent", "--output", "json", "--file",
                    tmp_path / "answer.json", "--append")
    assert labelled.code == 254 and "invalid JSON" in labelled.err
    assert "not-sent" not in jira("getFieldValue", "--issue", "DEMO-1", "--field", "labels").out


def test_append_without_an_output_file_is_refused():
    alone = run("jira", "getIssueList", "--jql", "x", "--append", "--server", "http://127.0.0.1:9")
    assert alone.code == 254 and "--append" in alone.err and "--file" in alone.err
    on_input = run("jira", "addComment", "--issue", "DEMO-1", "--file", "c.txt", "--append", "--server", "http://a")
    assert on_input.code == 254 and "reads its --file" in on_input.err


def test_run_from_issue_list_runs_the_common_action_per_issue(jira):
    ran = jira("runFromIssueList", "--jql", "project = DEMO ORDER BY key", "--limit", "2",
               "--common", "--action addLabels --issue @issue@ --labels bulk-@entry@")
    assert ran.code == 0, ran.err + ran.out
    assert "Run completed successfully. 2 actions were successful" in ran.out
    labelled = jira("getIssueList", "--jql", "labels = bulk-DEMO-1 OR labels = bulk-DEMO-2", "--output", "csv",
                    "--columns", "Key")
    assert sorted(labelled.out.split()[1:]) == ["DEMO-1", "DEMO-2"]
    third = jira("getFieldValue", "--issue", "DEMO-3", "--field", "labels")
    assert "bulk" not in third.out


def test_run_from_issue_list_needs_common_and_stops_on_failure(jira):
    missing = jira("runFromIssueList", "--jql", "project = DEMO")
    assert missing.code == 254 and "common" in missing.err
    failing = jira("runFromIssueList", "--jql", "project = DEMO ORDER BY key", "--common",
                   "--action transitionIssue --issue @issue@ --transition Nowhere")
    assert failing.code == 255 and "1 actions failed, 0 actions were successful" in failing.err


def test_run_from_issue_list_with_a_password_from_standard_input(sandbox):
    ran = run("jira", "runFromIssueList", "--server", sandbox.jira, "--user", "admin", "--password", "-",
              "--jql", "key = DEMO-1", "--common", "--action getIssue --issue @issue@ --columns Key",
              stdin="admin\n")
    assert ran.code == 0, ran.err + ran.out
    assert "DEMO-1" in ran.out


def test_file_dash_as_output_is_standard_output(jira, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    listed = jira("getIssueList", "--jql", "key = DEMO-1", "--file", "-", "--columns", "Key")
    assert listed.code == 0, listed.err
    assert listed.out.splitlines() == ["Key", "DEMO-1"]  # the CSV a file would hold
    assert not (tmp_path / "-").exists()


def test_every_list_action_takes_acli_count_and_output_format(jira):
    """ACLI's --count and --outputFormat are list parameters, not getIssueList's alone (acli.md §4.2,
    §4.4): a script's `getFieldList --count 2 --outputFormat 999` runs."""
    fields = jira("getFieldList", "--count", "2", "--outputFormat", "999")
    assert fields.code == 0, fields.err
    assert fields.out.startswith("2 fields in list\n") and len(fields.out.strip().splitlines()) == 4
    one = jira("getTransitionList", "--issue", "DEMO-1", "--count", "1", "--outputFormat", "2", "--output", "json")
    assert one.code == 0, one.err
    assert len(json.loads(one.out)) == 1
    projects = jira("getProjectList", "--outputFormat", "1", "--count", "5", "--columns", "Key")
    assert projects.code == 0 and "DEMO" in projects.out, projects.err
    for wrong in (("--count", "0"), ("--outputFormat", "101")):
        refused = jira("getCommentList", "--issue", "DEMO-1", *wrong)
        assert refused.code == 254 and wrong[0] in refused.err, refused.err


def test_server_and_client_info_take_output_format_2(jira):
    """acli.md §4.1 and §5.1: `getServerInfo --outputFormat 2` is how scripts ask for the detail."""
    for action in ("getServerInfo", "getClientInfo"):
        detail = jira(action, "--outputFormat", "2")
        assert detail.code == 0 and "Version" in detail.out, detail.err
    assert jira("getServerInfo", "--outputFormat", "7").code == 254


def test_run_from_a_list_or_a_search_refuses_a_file_it_would_ignore(jira, tmp_path):
    """runFromList and runFromIssueList read no --file (their entries are --list, the search):
    a --file was dropped with exit 0, neither read nor written."""
    out = tmp_path / "out.txt"
    for action, given in (("runFromIssueList", ("--jql", "key = DEMO-1")), ("runFromList", ("--list", "DEMO-1"))):
        refused = jira(action, *given, "--file", out, "--common", "--action getIssue --issue @entry@")
        assert refused.code == 254 and "--file" in refused.err and "Run:" not in refused.out, refused.err + refused.out
    assert not out.exists()


def test_appended_csv_of_a_get_action_has_one_header(jira, tmp_path):
    """getIssue --output csv --append, once per issue (a script's loop), builds one table."""
    out = tmp_path / "issues.csv"
    for key in ("DEMO-1", "DEMO-2"):
        got = jira("getIssue", "--issue", key, "--output", "csv", "--columns", "Key,Type", "--file", out, "--append")
        assert got.code == 0, got.err
    assert out.read_text().splitlines() == ["Key,Type", "DEMO-1,Task", "DEMO-2,Bug"]
