"""getFieldList, getFieldValue, setFieldValue, assignIssue, progressIssue, and an ACLI-style run
script using --custom, --field/--values, --resolution, linkIssue, addLabels and getIssueList
--outputFormat 101 --count 2 and runFromIssueList (issue 15)."""

from tests.e2e.conftest import CLOUD_TOKEN
from tests.helpers import run


def dc(sandbox, action, *args):
    return run("jira", action, "--server", sandbox.jira, "--user", "admin", "--password", "admin", *args)


def test_field_list_value_and_set(sandbox):
    listed = dc(sandbox, "getFieldList", "--output", "csv")
    assert listed.code == 0, listed.err
    assert "customfield_10010,Team,true,option" in listed.out.splitlines()
    assert dc(sandbox, "setFieldValue", "--issue", "DEMO-1", "--field", "team", "--values", "Red").code == 0
    got = dc(sandbox, "getFieldValue", "--issue", "DEMO-1", "--field", "Team")
    assert got.code == 0 and got.out.strip() == "Red"
    assert dc(sandbox, "getFieldValue", "--issue", "DEMO-1", "--field", "Summary").out.strip() == \
        "Set up the team's sandbox"
    assert dc(sandbox, "getFieldValue", "--issue", "DEMO-1", "--field", "Nope").code == 254
    cleared = dc(sandbox, "setFieldValue", "--issue", "DEMO-1", "--field", "Team", "--values", "")  # as its help says
    assert cleared.code == 0, cleared.err
    assert dc(sandbox, "getFieldValue", "--issue", "DEMO-1", "--field", "Team").out.strip() == ""
    missing = dc(sandbox, "setFieldValue", "--issue", "DEMO-1", "--field", "Team")
    assert missing.code == 254 and "values" in missing.err


def test_assign_and_progress(sandbox):
    assert dc(sandbox, "assignIssue", "--issue", "DEMO-3", "--userId", "alice").code == 0
    assert dc(sandbox, "getFieldValue", "--issue", "DEMO-3", "--field", "assignee").out.strip() == "alice"
    assert dc(sandbox, "assignIssue", "--issue", "DEMO-3", "--userId", "").code == 0
    assert dc(sandbox, "getFieldValue", "--issue", "DEMO-3", "--field", "assignee").out.strip() == ""
    moved = dc(sandbox, "progressIssue", "--issue", "DEMO-3", "--step", "reopen")
    assert moved.code == 0, moved.err
    assert dc(sandbox, "getFieldValue", "--issue", "DEMO-3", "--field", "Status").out.strip() == "To Do"


def test_acli_style_script_on_cloud(sandbox, tmp_path):
    script = tmp_path / "sprint.txt"
    script.write_text(
        '--action createIssue --project DEMO --type Story --summary "Pointed" --custom "Story Points:8,Team:Blue"\n'
        '--action updateIssue --issue @issue@ --field "Story Points" --values 13\n'
        '--action linkIssue --issue @issue@ --toIssue DEMO-1 --link "relates to"\n'
        '--action addLabels --issue @issue@ --labels sprint-1\n'
        '--action transitionIssue --issue @issue@ --transition Done --resolution Fixed\n'
        '--action getIssueList --jql "project = DEMO ORDER BY key" --outputFormat 101 --count 2\n'
        '--action runFromIssueList --jql "labels = sprint-1" --common "--action addComment --issue @issue@ '
        '--comment ""Sprint 1 done"""\n')
    common = ["--server", sandbox.jira_cloud, "--user", "admin@example.com", "--token", CLOUD_TOKEN]
    ran = run("jira", "run", *common, "--file", script)
    assert ran.code == 0, ran.err + ran.out
    assert "2 issues in list\nDEMO-1\nDEMO-2" in ran.out
    value = lambda field: run("jira", "getFieldValue", *common, "--issue", "DEMO-4", "--field", field).out.strip()  # noqa: E731
    assert (value("Story Points"), value("team"), value("labels"), value("resolution")) == ("13", "Blue", "sprint-1", "Fixed")
    links = run("jira", "getLinkList", *common, "--issue", "DEMO-4", "--output", "csv", "--columns", "Link,To Issue")
    assert links.out.splitlines()[1:] == ["relates to,DEMO-1"]
    assert 'Run: --action addComment --issue DEMO-4 --comment "Sprint 1 done"' in ran.out
    assert "Run completed successfully. 1 actions were successful from runFromIssueList" in ran.out
    assert "Run completed successfully. 7 actions were successful" in ran.out
    comments = run("jira", "getCommentList", *common, "--issue", "DEMO-4", "--output", "csv", "--columns", "Body")
    assert comments.out.splitlines()[1:] == ["Sprint 1 done"]


def test_file_dash_reads_standard_input_once(sandbox):
    added = run("jira", "addComment", "--server", sandbox.jira, "--user", "admin", "--password", "admin",
                "--issue", "DEMO-1", "--file", "-", stdin="from a pipe\n")
    assert added.code == 0, added.err
    listed = dc(sandbox, "getCommentList", "--issue", "DEMO-1", "--output", "csv", "--columns", "Body")
    assert "from a pipe" in listed.out
    both = run("jira", "addComment", "--server", sandbox.jira, "--user", "admin", "--password", "-",
               "--issue", "DEMO-1", "--file", "-", stdin="admin\n")
    assert both.code == 254 and "--file - and --password -" in both.err
