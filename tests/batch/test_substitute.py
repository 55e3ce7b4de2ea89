"""--findReplace, @name@ variables and %name% substitutions (acli.md §4.3)."""

import pytest

from atlctl.batch.substitute import Variables, find_replace, find_replace_pairs
from atlctl.errors import ParameterError


def test_find_replace_pairs_with_quoted_delimiters():
    assert find_replace_pairs("@project@:DEMO,'a,b':'c:d'") == [("@project@", "DEMO"), ("a,b", "c:d")]
    assert find_replace_pairs(None) == []


def test_find_replace_pair_needs_a_colon():
    with pytest.raises(ParameterError, match="find:replace"):
        find_replace_pairs("nocolon")


def test_find_replace_applies_in_order():
    assert find_replace("a b", [("a", "b"), ("b", "c")]) == "c c"


def test_variables_last_value_wins_and_reference_keeps_one():
    variables = Variables()
    assert variables.assign({"issue": "DEMO-4", "issueId": "10004"}, reference="parent") == {
        "issue": "DEMO-4", "issueId": "10004", "parent": "DEMO-4"}
    variables.assign({"issue": "DEMO-5", "issueId": "10005"})
    assert variables.apply("--issue @issue@ --parent @parent@ --id @issueId@") == \
        "--issue DEMO-5 --parent DEMO-4 --id 10005"


def test_unknown_variables_and_emails_are_left_alone():
    variables = Variables({"x": "1"})
    assert variables.apply("alice@example.com @nope@ @x@") == "alice@example.com @nope@ 1"


def test_with_values_is_a_copy():
    base = Variables({"a": "1"}, now="T")
    entry = base.with_values(entry="E")
    assert entry.apply("@a@ @entry@ %now%") == "1 E T"
    assert base.apply("@entry@") == "@entry@"


def test_substitution_variables():
    variables = Variables(now="2024-05-01T10:00:00")
    assert variables.apply("at %now%: %function_uppercase(abc)% %function_lowercase(DEF)% 50%") == \
        "at 2024-05-01T10:00:00: ABC def 50%"


def test_now_is_computed_once_per_run():
    variables = Variables()
    assert variables.apply("%now%") == variables.apply("%now%")
