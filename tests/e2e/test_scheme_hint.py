"""A --server without a scheme is taken as https://; when the server speaks plain http the error is
one line with the fix (did you mean http://...?), never an SSL trace (issue 15)."""

from tests.helpers import run


def test_scheme_less_server_gets_a_hint(sandbox):
    bare = sandbox.jira.removeprefix("http://")
    outcome = run("jira", "getServerInfo", "--server", bare)
    assert outcome.code == 255
    # the server as given with http://, its context path kept: the origin alone (no /jira) is not Jira
    assert f"did you mean {sandbox.jira}?" in outcome.err and "https:// is assumed" in outcome.err
    assert len(outcome.err.strip().splitlines()) == 1 and "Traceback" not in outcome.err
