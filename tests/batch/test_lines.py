"""ACLI run-script syntax (acli.md §4.2): double quotes, doubled double quotes, no single quotes."""

import pytest

from atlctl.batch import lines
from atlctl.errors import ParameterError


@pytest.mark.parametrize("line, words", [
    ('--action getIssue --issue DEMO-1', ["--action", "getIssue", "--issue", "DEMO-1"]),
    ('  --summary "two words"  ', ["--summary", "two words"]),
    ('--summary "say ""hi"" now"', ["--summary", 'say "hi" now']),
    ('--summary ""', ["--summary", ""]),
    ('--summary """quoted"""', ["--summary", '"quoted"']),
    ("--summary 'single quotes are plain'", ["--summary", "'single", "quotes", "are", "plain'"]),
    ('--summary=a" b"c', ["--summary=a bc"]),
    ('--path C:\\dir\\file', ["--path", "C:\\dir\\file"]),
    ("--a\tb", ["--a", "b"]),
    ("", []),
])
def test_split(line, words):
    assert lines.split(line) == words


def test_unclosed_quote_is_a_parameter_problem():
    with pytest.raises(ParameterError, match="closing double quote"):
        lines.split('--summary "open')


@pytest.mark.parametrize("words", [
    ["--summary", "two words"], ["--summary", 'say "hi"'], ["--x", ""], ["plain", "--flag"], ["tab\there"],
])
def test_join_is_the_inverse_of_split(words):
    assert lines.split(lines.join(words)) == words


def test_comment():
    assert lines.is_comment("  # note") and not lines.is_comment("--action x # not a comment")
