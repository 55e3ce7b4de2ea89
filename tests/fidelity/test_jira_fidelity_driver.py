"""tools/jira_fidelity.py (make fidelity): its checks of JIRA_SRC and how it counts a JUnit report.
The suite run itself is `make fidelity`, not part of `make test`."""

import importlib.util
import io
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "jira_fidelity.py"


@pytest.fixture(scope="module")
def driver():
    spec = importlib.util.spec_from_file_location("jira_fidelity", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


JUNIT = """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite>
<testcase classname="tests.resources.test_vote.VoteTests" name="test_votes"/>
<testcase classname="tests.resources.test_vote.VoteTests" name="test_votes_with_issue_obj"><failure message="x"/></testcase>
<testcase classname="tests.resources.test_vote.VoteTests" name="test_votes_with_issue_obj"><error message="teardown"/></testcase>
<testcase classname="tests.tests.MyPermissionsCloudTests" name="test_my_permissions"><skipped type="pytest.skip" message="cloud"/></testcase>
<testcase classname="tests.test_client" name="test_templates"/>
</testsuite></testsuites>"""


def test_report_counts_each_test_once_and_leaves_out_the_internet(driver, tmp_path):
    junit = tmp_path / "junit.xml"
    junit.write_text(JUNIT)
    out = io.StringIO()
    passed, counted = driver.report(junit, out)
    text = out.getvalue()
    # 2 + test_templates passed; the vote failure counted once; test_token_auth (not run) a failure;
    # the three internet tests and the skipped Cloud test not counted.
    assert (passed, counted) == (2, 4)
    assert "failed   tests/resources/test_vote.py::VoteTests::test_votes_with_issue_obj" in text
    assert "failed   tests/test_client.py::test_token_auth  (suite bug" in text
    assert text.count("test_votes_with_issue_obj") == 1
    rows = {line.split()[0]: line.split()[1:3] for line in text.splitlines() if line.startswith("tests/")}
    assert rows["tests/resources/test_vote.py"] == ["1", "2"] and rows["tests/test_client.py"] == ["1", "2"]
    assert "1 skipped, 2 internet" in next(line for line in text.splitlines() if line.startswith("tests/tests.py"))


def test_jira_src_must_be_a_checkout_outside_the_repository(driver, tmp_path, monkeypatch, capsys):
    assert driver.main([str(tmp_path)]) == 2
    assert "is not a checkout of pycontribs/jira" in capsys.readouterr().err
    checkout = tmp_path / "repo" / "jira-src"
    (checkout / "tests").mkdir(parents=True)
    (checkout / "tests" / "conftest.py").write_text("")
    (checkout / "make_local_jira_user.py").write_text("")
    monkeypatch.setattr(driver, "REPO", tmp_path / "repo")  # as if the checkout were inside this repository
    assert driver.main([str(checkout)]) == 2
    assert "JIRA_SRC must be outside this repository" in capsys.readouterr().err


def test_the_files_are_those_of_issue_18(driver):
    assert len(driver.FILES) == 22 and driver.FILES[-2:] == ("tests/tests.py", "tests/test_client.py")
