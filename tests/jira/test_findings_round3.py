"""Round 3 findings on Jira: the PAT actions before 8.14, --dateFormat wherever dates are printed,
createIssue --autoVersion/--autoComponent, getFieldValue --field comment, Cloud's renderRequest refusal."""

from tests.e2e.conftest import CLOUD_TOKEN
from tests.helpers import run
from tests.jira.conftest import fields_of


def test_cloud_render_request_says_cloud_gives_a_web_session_only_to_a_browser(sandbox):
    refused = run("jiracloud", "renderRequest", "--server", sandbox.jira_cloud, "--user", "admin@example.com",
                  "--token", CLOUD_TOKEN, "--request", "/secure/Dashboard.jspa")
    assert refused.code == 255
    assert "Jira Cloud gives only to a browser" in refused.err
    assert "Use user and password parameters" not in refused.err  # Cloud refuses passwords: no such advice


def test_access_token_actions_before_8_14_say_tokens_need_8_14(sandbox, tmp_path):
    sandbox.settings({"jira": {"version": "8.5.0"}})
    said = "Client error: Personal access tokens need Jira 8.14 or later; this server runs Jira 8.5.0.\n"
    dc = ["--server", sandbox.jira, "--user", "admin", "--password", "admin"]
    for action, args in (("addAccessToken", ["--name", "ci"]), ("getAccessTokenList", []),
                         ("removeAccessToken", ["--id", "1"])):
        for deployment in ([], ["--deployment", "server"]):  # discovered first, or asked after the 404
            refused = run("jira", action, *dc, *deployment, *args)
            assert (refused.code, refused.err) == (255, said), (action, deployment)
    config = tmp_path / "config.toml"  # a profile knowing the version: refused before any request
    config.write_text(f'[profiles.old]\nproduct = "jira"\nserver = "{sandbox.jira}"\nuser = "admin"\n'
                      'deployment = "server"\nversion = "8.5.0"\n')
    config.chmod(0o600)
    refused = run("old", "getAccessTokenList", "--password", "admin", environ={"ATLCTL_CONFIG": str(config)})
    assert (refused.code, refused.err) == (255, said)


def test_get_field_value_comment_lists_the_comments(jira):
    assert jira("addComment", "--issue", "DEMO-1", "--comment", "first words").code == 0
    shown = jira("getFieldValue", "--issue", "DEMO-1", "--field", "comment", "--output", "csv", "--columns", "Body")
    assert shown.code == 0, shown.err
    assert shown.out.splitlines()[-1] == "first words"
    listed = jira("getCommentList", "--issue", "DEMO-1", "--dateFormat", "yyyy", "--output", "csv",
                  "--columns", "Created")
    by_field = jira("getFieldValue", "--issue", "DEMO-1", "--field", "Comment", "--dateFormat", "yyyy", "--output", "csv",
                    "--columns", "Created")
    assert listed.code == by_field.code == 0 and listed.out == by_field.out
    assert all(len(line) == 4 and line.isdigit() for line in listed.out.splitlines()[1:])


def test_date_format_on_the_actions_that_print_dates(jira):
    created = jira("getFieldValue", "--issue", "DEMO-1", "--field", "created")
    assert created.code == 0, created.err
    assert "T" in created.out  # as the server writes it, without --dateFormat
    shown = jira("getFieldValue", "--issue", "DEMO-1", "--field", "Created", "--dateFormat", "dd.MM.yyyy")
    assert shown.code == 0, shown.err
    day, month, year = shown.out.strip().split(".")
    assert created.out.startswith(f"{year}-{month}-{day}")
    assert jira("addVersion", "--project", "DEMO", "--version", "9.9", "--date", "2031-02-03").code == 0
    versions = jira("getVersionList", "--project", "DEMO", "--dateFormat", "dd/MMM/yy", "--output", "csv",
                    "--columns", "Name,Release Date")
    assert versions.code == 0, versions.err
    assert "9.9,03/Feb/31" in versions.out.splitlines()
    assert jira("getVersionList", "--project", "DEMO", "--dateFormat", " ").code == 254


def test_create_issue_auto_version_and_component_add_what_the_project_lacks(jira):
    names = lambda action: {row.split(",")[0] for row in jira(action, "--project", "DEMO", "--output", "csv",  # noqa: E731
                                                               "--columns", "Name").out.splitlines()[1:]}
    before = names("getVersionList")
    missing = jira("createIssue", "--project", "DEMO", "--type", "Task", "--summary", "s", "--fixVersions", "7.7")
    assert missing.code != 0 and "7.7" not in names("getVersionList")  # without --autoVersion: refused, nothing added
    created = jira("createIssue", "--project", "DEMO", "--type", "Task", "--summary", "s", "--fixVersions", "7.7",
                   "--affectsVersions", "7.7,7.6", "--components", "Brand New", "--autoVersion", "--autoComponent", "--verbose")
    assert created.code == 0, created.err
    assert "Version '7.7' with id" in created.err and "Component 'Brand New' with id" in created.err
    assert names("getVersionList") == before | {"7.7", "7.6"}
    assert "Brand New" in names("getComponentList")
    key = created.out.split()[1]  # "Issue KEY created ..."
    fields = fields_of(jira, key)
    assert [v["name"] for v in fields["fixVersions"]] == ["7.7"]
    assert [c["name"] for c in fields["components"]] == ["Brand New"]
