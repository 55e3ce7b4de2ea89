"""Every auth pairing of Bitbucket Cloud, right and wrong, through the installed atlctl: exit
codes and messages (issue 12). Each run is a leak test (tests/helpers.py)."""

import pytest

from tests.bitbucket_cloud.conftest import (API_TOKEN, APP_PASSWORD, CLASSIC_TOKEN, EMAIL, REPO_TOKEN, USERNAME,
                                            WORKSPACE_TOKEN, new_token)
from tests.credentials.home import home  # noqa: F401  (the fixture)
from tests.helpers import run, run_installed


def bbc_run(bbc, action, *args, installed=True):  # the installed command unless told
    runner = run_installed if installed else run
    return runner("bitbucketcloud", action, "--server", bbc, *args)


def requests(sandbox, scheme):
    return sandbox.stats()["products"]["bitbucket_cloud"]["requests_by_auth"][scheme]


@pytest.mark.parametrize("creds", [("--user", USERNAME, "--password", APP_PASSWORD),
                                   ("--user", EMAIL, "--token", API_TOKEN)],
                         ids=["app password + user name", "API token + email"])
def test_right_pairings(bbc, creds):
    outcome = bbc_run(bbc, "getCurrentUser", *creds, "--verbose")
    assert outcome.code == 0, outcome.err
    assert "sandbox-admin" in outcome.out and "Authentication: basic" in outcome.err


def test_access_token_as_bearer(bbc):
    outcome = bbc_run(bbc, "getRepository", "--token", REPO_TOKEN, "-w", "demo", "-r", "demo-repo", "--verbose")
    assert outcome.code == 0, outcome.err
    assert "demo-repo" in outcome.out and "Authentication: token (access token as Bearer" in outcome.err


def test_email_with_a_password_is_refused_before_any_request(sandbox, bbc):
    outcome = bbc_run(bbc, "getCurrentUser", "--user", EMAIL, "--password", APP_PASSWORD)
    assert outcome.code == 254
    assert "An app password goes with your Bitbucket user name, not your email (admin@example.com)" in outcome.err
    assert "--user admin@example.com --token API_TOKEN" in outcome.err
    assert sum(sandbox.stats()["products"]["bitbucket_cloud"]["requests_by_auth"].values()) == 0


def test_user_name_with_an_api_token_is_explained_from_the_answer(bbc):
    outcome = bbc_run(bbc, "getCurrentUser", "--user", USERNAME, "--token", API_TOKEN)
    assert outcome.code == 253
    assert "rejected the token given with the user name sandbox-admin" in outcome.err
    assert "an API token goes with your Atlassian account email, not the Bitbucket user name" in outcome.err
    assert "app password" in outcome.err and "rejected the app password" not in outcome.err  # finding 11
    as_password = bbc_run(bbc, "getCurrentUser", "--user", USERNAME, "--password", API_TOKEN)
    assert as_password.code == 253 and "rejected the app password for user name sandbox-admin" in as_password.err
    assert "If the secret is an API token, it goes with your account email: --user EMAIL" in as_password.err


def test_account_password_is_refused_with_the_fix(bbc):
    outcome = bbc_run(bbc, "getCurrentUser", "--user", USERNAME, "--password", "admin")
    assert outcome.code == 253
    assert "does not accept account passwords for the API" in outcome.err
    assert "Create an API token with scopes at https://id.atlassian.com/manage-profile/security/api-tokens" in outcome.err


def test_classic_api_token(bbc):
    outcome = bbc_run(bbc, "getCurrentUser", "--user", EMAIL, "--token", CLASSIC_TOKEN)
    assert outcome.code == 253
    assert "it has no Bitbucket scopes (a classic API token works on Jira and Confluence only)" in outcome.err


def test_app_password_as_bearer(bbc):
    outcome = bbc_run(bbc, "getRepository", "-w", "demo", "-r", "demo-repo", "--token", APP_PASSWORD)
    assert outcome.code == 253
    assert '("Access token expired.")' in outcome.err and "give it with --user" in outcome.err


def test_missing_scope_names_the_scope(sandbox, bbc):
    token = new_token(sandbox, "api_token", ["read:repository:bitbucket"])
    outcome = bbc_run(bbc, "getCurrentUser", "--user", EMAIL, "--token", token)
    assert outcome.code == 253
    assert ("The API token lacks the scope this action needs: read:user:bitbucket "
            "(it has: read:repository:bitbucket)") in outcome.err


def test_access_token_refusals_name_kind_resource_and_scopes(sandbox, bbc):
    me = bbc_run(bbc, "getCurrentUser", "--token", REPO_TOKEN)
    assert me.code == 253 and "This repository access token cannot do this: user-level resources" in me.err
    scope = bbc_run(bbc, "getProjectList", "-w", "demo", "--token", REPO_TOKEN)
    assert scope.code == 253
    assert "The repository access token lacks the scope this action needs: project (it has: repository, " \
           "pullrequest:write)" in scope.err
    sandbox.http.post(sandbox.url + "/bitbucket-cloud/2.0/repositories/demo/other", auth=(USERNAME, APP_PASSWORD))
    outside = bbc_run(bbc, "getRepository", "-w", "demo", "-r", "other", "--token", REPO_TOKEN)
    assert outside.code == 253
    assert "The repository access token cannot reach repository demo/other" in outside.err
    assert "works only inside the repository, project or workspace it was created for (its scopes: repository, " \
           "pullrequest:write)" in outside.err
    wide = bbc_run(bbc, "getRepository", "-w", "demo", "-r", "other", "--token", WORKSPACE_TOKEN)
    assert wide.code == 0, wide.err


@pytest.mark.parametrize("args, code, words", [
    (("--user", USERNAME, "--password", APP_PASSWORD, "--token", API_TOKEN), 254, "not both"),
    (("--user", USERNAME), 254, "Missing secret for sandbox-admin"),
    ((), 254, "This action needs credentials"),
    (("--token", REPO_TOKEN, "--auth", "session"), 255, "no session login"),
    (("--token", REPO_TOKEN, "--auth", "basic"), 254, "does not fit these credentials"),
])
def test_refused_up_front(bbc, args, code, words):
    outcome = bbc_run(bbc, "getCurrentUser", *args)
    assert outcome.code == code and words in outcome.err, outcome.err


def test_no_request_is_retried_after_a_401(sandbox, bbc):
    outcome = bbc_run(bbc, "getRepository", "-w", "demo", "-r", "demo-repo", "--user", USERNAME, "--token",
                      "not-the-app-password")
    assert outcome.code == 253
    assert requests(sandbox, "basic") == 1
    outcome = bbc_run(bbc, "getRepository", "-w", "demo", "-r", "demo-repo", "--token", "no-such-token")
    assert outcome.code == 253 and requests(sandbox, "bearer") == 1


def test_a_run_script_stops_sending_after_refused_credentials(sandbox, bbc, tmp_path):
    script = tmp_path / "script.txt"
    script.write_text("getRepository -w demo -r demo-repo\ngetBranchList -w demo -r demo-repo\n")
    outcome = run("bitbucketcloud", "run", "--file", script, "--continue", "--server", bbc, "--user", USERNAME,
                  "--password", "wrong-app-password")
    assert outcome.code != 0
    assert requests(sandbox, "basic") == 1  # the second line is refused without asking the server again


def test_auth_matrix_lists_the_rows(bbc):
    outcome = run("auth", "matrix", "bitbucketcloud")
    assert outcome.code == 0
    for sent in ("Authorization: Basic username:app-password", "Authorization: Basic email:api-token",
                 "Authorization: Bearer ACCESS_TOKEN"):
        assert sent in outcome.out


def test_a_profile_for_bitbucket_cloud(home, bbc):
    """auth login verifies the app password (getCurrentUser names the Bitbucket user), then the
    profile stands in for the product and the server."""
    login = home.run("auth", "login", "bb", "--product", "bitbucket_cloud", "--server", bbc, "--user", USERNAME,
                     "--password", "-", stdin=APP_PASSWORD + "\n")
    assert login.code == 0, login.err
    assert "Logged in to " + bbc + " (Cloud) as sandbox-admin, with basic authentication." in login.out
    status = home.run("auth", "status", "bb")
    assert status.code == 0 and "OK, logged in as sandbox-admin" in status.out and "app passwords are being retired" in status.out
    listed = home.run("bb", "getRepositoryList", "-w", "demo", "--output", "csv", "--columns", "Repository")
    assert listed.code == 0 and listed.out.splitlines() == ["Repository", "demo-repo"]


def test_git_user_names_are_explained(bbc):
    outcome = bbc_run(bbc, "getRepository", "-w", "demo", "-r", "demo-repo", "--user", "x-token-auth", "--token",
                      REPO_TOKEN, installed=False)
    assert outcome.code == 253
    assert "x-token-auth is a user name for Git over HTTPS only" in outcome.err and "no --user" in outcome.err
