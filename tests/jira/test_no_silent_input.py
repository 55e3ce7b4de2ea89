"""No silent input (issue 15): a parameter given twice differently, a parameter the chosen output
would drop, a field set twice, two inputs reading standard input: each a 254 naming both. In `run`
and runFromCsv rows a row's own value overrides --common's (docs/scripting.md)."""

import json

from tests.helpers import run


def dc(sandbox, action, *args, **kwargs):
    return run("jira", action, "--server", sandbox.jira, "--user", "admin", "--password", "admin", *args, **kwargs)


def test_a_parameter_given_twice_names_both_values():
    twice = run("jira", "getIssue", "--issue", "DEMO-1", "--issue", "DEMO-2", "--server", "http://127.0.0.1:9")
    assert twice.code == 254 and "--issue" in twice.err and "'DEMO-1'" in twice.err and "'DEMO-2'" in twice.err
    assert len(twice.err.strip().splitlines()) == 1
    short_and_long = run("jira", "getIssue", "--issue", "X-1", "-s", "http://a", "--server=http://b")
    assert short_and_long.code == 254 and "http://a" in short_and_long.err and "http://b" in short_and_long.err


def test_the_same_value_twice_and_repeatable_parameters_are_fine(sandbox):
    same = dc(sandbox, "getIssue", "--issue", "DEMO-1", "--issue", "DEMO-1", "--output", "json")
    assert same.code == 0, same.err
    assert json.loads(same.out)["key"] == "DEMO-1"
    fields = dc(sandbox, "updateIssue", "--issue", "DEMO-1", "--field", "Story Points=3", "--field", "Team=Red")
    assert fields.code == 0, fields.err


def test_columns_with_json_output_are_refused_before_anything_is_sent():
    dropped = run("jira", "getIssue", "--issue", "DEMO-1", "--output", "json", "--columns", "Key,Status",
                  "--server", "http://127.0.0.1:9")
    assert dropped.code == 254 and "--columns" in dropped.err and "--output json" in dropped.err


def test_a_field_set_twice_names_both_values(sandbox):
    twice = dc(sandbox, "updateIssue", "--issue", "DEMO-1", "--priority", "High", "--field", "Priority=Low")
    assert twice.code == 254 and "--priority High" in twice.err and "--field Priority=Low" in twice.err
    agreeing = dc(sandbox, "updateIssue", "--issue", "DEMO-1", "--priority", "High", "--field", "priority=High")
    assert agreeing.code == 0, agreeing.err


def test_only_one_input_reads_standard_input():
    both = run("jira", "addComment", "--issue", "DEMO-1", "--file", "-", "--token", "-", "--server", "http://a")
    assert both.code == 254 and "--file - and --token -" in both.err
    secrets = run("jira", "getIssue", "--issue", "DEMO-1", "--password", "-", "--login", "-", "--server", "http://a")
    assert secrets.code == 254 and "--password - and --login -" in secrets.err


def test_a_rows_own_value_overrides_common_in_run_and_csv(sandbox, tmp_path):
    script = tmp_path / "script.txt"
    script.write_text("--action getIssue --issue DEMO-2 --columns Key\n--action getIssue --columns Key\n")
    ran = dc(sandbox, "run", "--file", script, "--common", "--issue DEMO-1 --output csv")
    assert ran.code == 0, ran.err + ran.out
    assert ran.out.count("\nDEMO-2\n") == 1 and ran.out.count("\nDEMO-1\n") == 1
    table = tmp_path / "rows.csv"
    table.write_text("issue\nDEMO-3\n")
    csv = dc(sandbox, "runFromCsv", "--file", table, "--common", "--action getIssue --issue DEMO-1 --output csv "
             "--columns Key")
    assert csv.code == 0, csv.err + csv.out
    assert "DEMO-3" in csv.out.splitlines() and "DEMO-1" not in csv.out.splitlines()


def test_a_rows_field_overrides_the_same_field_in_common(sandbox, tmp_path):
    """--field is repeatable, but a row's own --field NAME=... still overrides --common's for that NAME
    (the other fields of --common stay): it was a 'set twice' failure of the row."""
    table = tmp_path / "rows.csv"
    table.write_text("issue,field\nDEMO-2,team=Blue\n")
    ran = dc(sandbox, "runFromCsv", "--file", table, "--common", "--action updateIssue --field Team=Red "
             "--field \"Story Points=2\"")
    assert ran.code == 0, ran.err + ran.out
    fields = json.loads(dc(sandbox, "getIssue", "--issue", "DEMO-2", "--output", "json").out)["fields"]
    assert fields["customfield_10010"]["value"] == "Blue" and fields["customfield_10002"] == 2
    within = dc(sandbox, "updateIssue", "--issue", "DEMO-2", "--field", "Team=Red", "--field", "Team=Blue")
    assert within.code == 254  # within one layer a field set twice differently is still refused


def test_a_line_given_a_parameter_twice_fails_that_line(sandbox, tmp_path):
    script = tmp_path / "script.txt"
    script.write_text("--action getIssue --issue DEMO-1 --issue DEMO-2\n")
    ran = dc(sandbox, "run", "--file", script)
    assert ran.code == 254 and "'DEMO-1'" in ran.err and "'DEMO-2'" in ran.err and "PARAMETER_PROBLEM" in ran.err


def test_text_from_a_parameter_and_from_file_at_once_is_refused(tmp_path):
    text = tmp_path / "text.txt"
    text.write_text("from the file\n")
    comment = run("jira", "addComment", "--issue", "DEMO-1", "--comment", "inline", "--file", text, "--server", "http://a")
    assert comment.code == 254 and "--comment and --file" in comment.err
    update = run("jira", "updateIssue", "--issue", "DEMO-1", "--description", "inline", "--file", text,
                 "--server", "http://a")
    assert update.code == 254 and "--description and --file" in update.err
    both = run("jira", "getAttachment", "--issue", "DEMO-1", "--name", "a.txt", "--id", "1", "--server", "http://a")
    assert both.code == 254 and "--name a.txt and --id 1" in both.err


def test_value_is_acli_newer_spelling_of_values(sandbox):
    assert dc(sandbox, "updateIssue", "--issue", "DEMO-1", "--field", "Team", "--value", "Blue").code == 0
    assert dc(sandbox, "getFieldValue", "--issue", "DEMO-1", "--field", "Team").out.strip() == "Blue"
    clash = dc(sandbox, "updateIssue", "--issue", "DEMO-1", "--field", "Team", "--value", "Red", "--values", "Blue")
    assert clash.code == 254 and "--values Blue and --value Red" in clash.err


def test_columns_on_a_value_are_refused(sandbox):
    value = dc(sandbox, "getFieldValue", "--issue", "DEMO-1", "--field", "Summary", "--columns", "Key")
    assert value.code == 254 and "--columns" in value.err and value.out == ""


def test_an_attachment_from_standard_input(sandbox, tmp_path):
    nameless = dc(sandbox, "addAttachment", "--issue", "DEMO-1", "--file", "-", stdin="data\n")
    assert nameless.code == 254 and "--name" in nameless.err
    added = dc(sandbox, "addAttachment", "--issue", "DEMO-1", "--file", "-", "--name", "notes.txt", stdin="piped\n")
    assert added.code == 0 and "Attachment 'notes.txt'" in added.out, added.err
    out = tmp_path / "back.txt"
    assert dc(sandbox, "getAttachment", "--issue", "DEMO-1", "--name", "notes.txt", "--file", out).code == 0
    assert out.read_text() == "piped\n"


def test_file_and_columns_an_action_would_not_use_are_refused_before_anything_is_sent(sandbox, tmp_path):
    """An action that prints a message (addLabels, addComment) has no columns and writes no file
    unless --output json: --columns or --file there would be dropped after the change was made."""
    out = tmp_path / "out.txt"
    columns = dc(sandbox, "addComment", "--issue", "DEMO-1", "--comment", "hi", "--columns", "Key")
    assert columns.code == 254 and "--columns" in columns.err and "addComment" in columns.err
    written = dc(sandbox, "addLabels", "--issue", "DEMO-1", "--labels", "dropped", "--file", out)
    assert written.code == 254 and "--file" in written.err and "--output json" in written.err
    assert not out.exists()
    labels = json.loads(dc(sandbox, "getIssue", "--issue", "DEMO-1", "--output", "json").out)["fields"]["labels"]
    assert "dropped" not in labels  # refused before anything was sent
    as_json = dc(sandbox, "addLabels", "--issue", "DEMO-1", "--labels", "kept", "--file", out, "--output", "json")
    assert as_json.code == 0, as_json.err
    assert json.loads(out.read_text())["added"] == ["kept"]
