"""Rows of a bulk run: script lines, CSV rows, list entries, read one at a time."""

import io

import pytest

from atlctl.batch.steps import csv_steps, list_steps, script_steps
from atlctl.values import split_list


def test_script_steps_number_lines_and_keep_comments():
    script = io.StringIO('# first\n\n--action getIssue --issue "A 1"\n  # indented comment\n--action x "open\n')
    steps = list(script_steps(script, common="--quiet"))
    assert [(s.row, s.comment) for s in steps] == [(1, True), (3, False), (4, True), (5, False)]
    assert (steps[1].words, steps[1].common) == (("--action", "getIssue", "--issue", "A 1"), ("--quiet",))
    assert steps[1].text == '--action getIssue --issue "A 1" --quiet'
    assert steps[3].problem and "closing double quote" in steps[3].problem


def test_script_bom_and_crlf():
    steps = list(script_steps(io.StringIO("\ufeff--action a\r\n--action b\r\n")))
    assert [s.words for s in steps] == [("--action", "a"), ("--action", "b")]


def test_find_replace_applies_to_the_text_and_changes_the_digest():
    plain = next(script_steps(io.StringIO("--issue @key@\n")))
    replaced = next(script_steps(io.StringIO("--issue @key@\n"), pairs=[("@key@", "DEMO-1")]))
    assert replaced.words == ("--issue", "DEMO-1")
    assert plain.digest != replaced.digest


def test_csv_header_names_parameters():
    data = io.StringIO('summary,--priority,field,field,continue,\n"Fix, now",High,A=1,B=2,yes,\n,,,,,\nOnly,,,,no,\n')
    steps = list(csv_steps(data, common="--action createIssue", flags=frozenset({"continue"})))
    assert [s.row for s in steps] == [1, 3]  # the blank row is skipped but counted
    assert steps[0].words == ("--summary=Fix, now", "--priority=High", "--field=A=1", "--field=B=2", "--continue")
    assert (steps[1].words, steps[1].common) == (("--summary=Only",), ("--action", "createIssue"))
    assert steps[0].text == '--summary "Fix, now" --priority High --field A=1 --field B=2 --continue --action createIssue'


def test_csv_value_in_an_unnamed_column_fails_that_row():
    steps = list(csv_steps(io.StringIO("summary\nA,extra\nB\n")))
    assert "column 2" in steps[0].problem and steps[1].problem is None


def test_csv_bom_and_empty_file():
    assert next(csv_steps(io.StringIO("\ufeffsummary\nA\n"))).words == ("--summary=A",)
    assert list(csv_steps(io.StringIO(""))) == []


def test_csv_streams():
    def rows():
        yield "summary\n"
        for n in range(10**9):
            yield f"row {n}\n"

    steps = csv_steps(rows())
    assert next(steps).words == ("--summary=row 0",)  # a billion rows never get read


def test_list_steps():
    steps = list(list_steps(split_list("A, 'B,C',,D"), "--action getIssue --issue @entry@"))
    assert [(s.row, s.values["entry"]) for s in steps] == [(1, "A"), (2, "B,C"), (3, "D")]
    assert steps[0].words == ("--action", "getIssue", "--issue", "@entry@")
    assert len({s.digest for s in steps}) == 3
    named = next(list_steps(iter(["DEMO-1"]), "--action getIssue --issue @issue@", variable="issue"))
    assert named.values == {"entry": "DEMO-1", "issue": "DEMO-1"}


def test_long_cells_and_unreadable_csv(monkeypatch):
    from atlctl.batch import steps as module
    from atlctl.errors import ParameterError

    long = "x" * 200_000  # larger than the csv module's default cell limit
    steps = list(module.csv_steps(["summary\n", f"{long}\n"]))
    assert steps[0].words == (f"--summary={long}",)
    monkeypatch.setattr(module, "CELL_LIMIT", 10)
    with pytest.raises(ParameterError, match="cannot be read at line 2"):
        list(module.csv_steps(["summary\n", "a cell longer than ten\n"]))


def test_an_open_quote_is_refused_not_taken_as_the_rest_of_the_file():
    """A lenient reader would read `"desc...` to the end of the file as one cell: rows lost, run 'successful'."""
    from atlctl.errors import ParameterError

    rows = ["summary,description\n", 'first,"desc with unclosed\n', "second,x\n", "third,y\n"]
    with pytest.raises(ParameterError, match='quoted value that starts on line 2 is never closed'):
        list(csv_steps(rows))
    with pytest.raises(ParameterError, match="line 2: ',' expected after '\"'"):
        list(csv_steps(["summary\n", '"ok" trailing\n']))
    kept = list(csv_steps(["summary,description\n", 'a,5" screen\n', 'b,"two\n', 'lines"\n']))
    assert [s.words for s in kept] == [("--summary=a", '--description=5" screen'), ("--summary=b", "--description=two\nlines")]
