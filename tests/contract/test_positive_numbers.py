"""Every product's positive whole number parameter reads its value the same way (atlctl/values.py),
through the command line against the sandbox: ASCII digits from 1 only, nothing around them, and one
error naming the parameter (exit 254) for anything else."""

import pytest

from tests.bitbucket_cloud.conftest import APP_PASSWORD, USERNAME
from tests.helpers import run
from tests.slack.conftest import BOT

JIRA = ("--user", "admin", "--password", "admin")
ONE_ISSUE = ("--list", "DEMO-1", "--common", "--action getIssue --issue @entry@")

# product, action, the parameter, other arguments, the sandbox path --server points at
PARAMETERS = [pytest.param(*case, id=f"{case[0]}-{case[2]}") for case in [
    ("jira", "getIssueList", "limit", ("--jql", "project = DEMO", *JIRA), "/jira"),
    ("jira", "getProjectList", "count", JIRA, "/jira"),
    ("jira", "addAccessToken", "expirationDuration", ("--name", "ci", *JIRA), "/jira"),
    ("jira", "runFromList", "threads", (*ONE_ISSUE, *JIRA), "/jira"),
    ("confluence", "getSpaceList", "limit", ("--user", "admin", "--password", "admin"), "/confluence"),
    ("bitbucket", "getProjectList", "limit", ("--user", "admin", "--password", "admin"), "/bitbucket"),
    ("bitbucketcloud", "getWorkspaceList", "limit", ("--user", USERNAME, "--password", APP_PASSWORD),
     "/bitbucket-cloud"),
    ("slack", "getUserList", "limit", ("--token", BOT), "/slack"),
]]
REFUSED = ["0", "000", "-1", "1.5", "²", "٣", " 3 ", "+3", "3000000000", "99999999999999999999"]
TOO_BIG = {"3000000000", "99999999999999999999"}  # whole numbers above ACLI's int: the message names the maximum


def _run(sandbox, product, action, name, args, path, value):
    return run(product, action, "--server", sandbox.url + path, *args, f"--{name}={value}")


@pytest.mark.parametrize("value", REFUSED)
@pytest.mark.parametrize("product, action, name, args, path", PARAMETERS)
def test_anything_but_a_positive_whole_number_is_refused_alike(sandbox, product, action, name, args, path, value):
    outcome = _run(sandbox, product, action, name, args, path, value)
    if name == "threads":
        wanted = "a whole number from 1 to 64"
    else:
        wanted = "a whole number from 1 to 2147483647" if value in TOO_BIG else "a positive whole number"
    assert (outcome.code, outcome.out, outcome.err) == (
        254, "", f"Invalid value '{value}' for parameter --{name}: give {wanted}.\n")


@pytest.mark.parametrize("product, action, name, args, path", PARAMETERS)
def test_a_positive_whole_number_is_taken(sandbox, product, action, name, args, path):
    outcome = _run(sandbox, product, action, name, args, path, "3")
    assert outcome.code == 0, outcome.err
