"""Round 3 findings on Jira: the PAT actions before 8.14, --dateFormat wherever dates are printed,
addVersion --after, getFieldValue --field comment, Cloud's renderRequest refusal."""

from tests.e2e.conftest import CLOUD_TOKEN
from tests.helpers import run


def test_cloud_render_request_says_cloud_gives_a_web_session_only_to_a_browser(sandbox):
    refused = run("jiracloud", "renderRequest", "--server", sandbox.jira_cloud, "--user", "admin@example.com",
                  "--token", CLOUD_TOKEN, "--request", "/secure/Dashboard.jspa")
    assert refused.code == 255
    assert "Jira Cloud gives only to a browser" in refused.err
    assert "Use user and password parameters" not in refused.err  # Cloud refuses passwords: no such advice
