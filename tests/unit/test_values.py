"""atlctl/values.py: how an ACLI parameter value is read (acli.md §4.2). The command-line test over
every product's numbers is tests/contract/test_positive_numbers.py."""

import pytest

from atlctl.errors import ParameterError
from atlctl.values import list_items, positive, split_list, whole


@pytest.mark.parametrize("value, number", [(None, None), ("", None), ("1", 1), ("007", 7), (12, 12),
                                           ("2147483647", 2147483647), ("0" * 5000 + "5", 5)])
def test_positive_takes_ascii_digits_from_1(value, number):
    assert positive(value, "limit") == number


@pytest.mark.parametrize("value", ["0", "-1", "+3", "1.5", "1e3", " 3", "3 ", "²", "٣", "３"])
def test_positive_refuses_everything_else_naming_the_parameter(value):
    with pytest.raises(ParameterError) as refused:
        positive(value, "count")
    assert str(refused.value) == f"Invalid value '{value}' for parameter --count: give a positive whole number."
    assert refused.value.exit_code == 254


@pytest.mark.parametrize("value, number", [(None, None), ("", None), ("0", 0), ("000", 0), ("7", 7), ("010", 10)])
def test_whole_takes_0_too(value, number):
    assert whole(value, "version") == number


@pytest.mark.parametrize("value", ["-1", "-0", "+0", "1.0", "²"])
def test_whole_refuses_the_rest(value):
    with pytest.raises(ParameterError) as refused:
        whole(value, "version")
    assert str(refused.value) == f"Invalid value '{value}' for parameter --version: give a whole number, 0 or more."


@pytest.mark.parametrize("value", ["2147483648", "9" * 5000])
def test_a_whole_number_above_the_maximum_is_told_the_maximum(value):
    with pytest.raises(ParameterError) as refused:
        positive(value, "count")
    assert str(refused.value) == f"Invalid value '{value}' for parameter --count: give a whole number from 1 to 2147483647."


def test_a_version_above_the_maximum_is_told_the_range():
    with pytest.raises(ParameterError) as refused:
        whole("2147483648", "version")
    assert str(refused.value) == "Invalid value '2147483648' for parameter --version: give a whole number from 0 to 2147483647."


def test_positive_with_a_ceiling_says_it():
    assert positive("64", "threads", 64) == 64
    with pytest.raises(ParameterError, match=r"^Invalid value '65' for parameter --threads: give a whole number "
                                             r"from 1 to 64\.$"):
        positive("65", "threads", 64)


@pytest.mark.parametrize("text, items", [
    ("a,b,c", ["a", "b", "c"]),
    ("a,'b,c',d", ["a", "b,c", "d"]),
    ("a, 'b,c' ,d", ["a", "b,c ", "d"]),  # blanks before the opening quote are fine; items are as written
    ("'it''s, fine',x", ["it's, fine", "x"]),
    ("o'brien,x", ["o'brien", "x"]),  # a quote inside an item is a plain character
    ("'a:x,y',b:z", ["a:x,y", "b:z"]),  # --custom
    ("", [""]),
])
def test_split_list(text, items):
    assert split_list(text) == items


def test_split_list_maxsplit():
    assert split_list("a:b:c", ":", maxsplit=1) == ["a", "b:c"]
    assert split_list("'a:b':c:d", ":", maxsplit=1) == ["a:b", "c:d"]


def test_split_list_refuses_an_unclosed_quote():
    with pytest.raises(ParameterError, match=r"^Missing closing single quote in: a,'b,c$"):
        split_list("a,'b,c")


def test_list_items_strip_and_drop_blanks():
    assert list_items(" a , 'b, c' ,, 'a:it''s, here' ,") == ["a", "b, c", "a:it's, here"]
    assert list_items(None) == list_items("") == list_items(" , ") == []
