"""The sandbox's Bitbucket Cloud answers credentials as the real service does (products.md §4.1,
SB §5.1-5.2): verbatim bodies, content types and the scope headers."""

import pytest

from tests.bitbucket_cloud.conftest import (API_TOKEN, APP_PASSWORD, CLASSIC_TOKEN, EMAIL, REPO_TOKEN, USERNAME,
                                            WORKSPACE_TOKEN, bearer, new_token)

LOGIN_FAILED = (
    "Login failed due to incorrect login credentials or method.\n"
    "For information on authentication methods for Bitbucket Cloud APIs, visit:\n"
    "    https://developer.atlassian.com/cloud/bitbucket/rest/intro/#authentication\n"
    "If you are unsure of which login details or login method to use, visit:\n"
    "    https://support.atlassian.com/bitbucket-cloud/docs/log-into-or-connect-to-bitbucket-cloud/\n"
)


def error(message, **more):
    return {"type": "error", "error": {"message": message, **more}}


def test_app_password_with_the_user_name(sandbox, bbc):
    answer = sandbox.http.get(bbc + "/2.0/user", auth=(USERNAME, APP_PASSWORD))
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json; charset=utf-8"
    user = answer.json()
    assert (user["type"], user["username"], user["account_id"]) == ("user", USERNAME, "5f8e3c2a1b0d4e0069a1b2c3")
    assert answer.text.startswith('{"type": "user", ')  # Bitbucket's ", " / ": " separators
    assert answer.headers["x-credential-type"] == "apppassword"
    assert answer.headers["x-oauth-scopes"] == "account, project, repository:admin, repository:write, pullrequest:write"
    assert answer.headers["x-accepted-oauth-scopes"] == "account"
    assert user["links"]["self"]["href"].startswith(bbc + "/2.0/users/")


def test_scoped_api_token_with_the_email(sandbox, bbc):
    answer = sandbox.http.get(bbc + "/2.0/user", auth=(EMAIL, API_TOKEN))
    assert answer.status_code == 200 and answer.json()["username"] == USERNAME
    assert answer.headers["x-accepted-oauth-scopes"] == "read:user:bitbucket"
    assert "write:pullrequest:bitbucket" in answer.headers["x-oauth-scopes"]


def test_one_account_across_atlassian_cloud(sandbox, bbc):
    """admin@example.com of Jira Cloud is the Bitbucket Cloud account: the same account id."""
    jira = sandbox.http.get(sandbox.jira_cloud + "/rest/api/3/myself", auth=(EMAIL, CLASSIC_TOKEN)).json()
    bitbucket = sandbox.http.get(bbc + "/2.0/user", auth=(EMAIL, API_TOKEN)).json()
    assert jira["accountId"] == bitbucket["account_id"]


@pytest.mark.parametrize("login, secret", [(EMAIL, APP_PASSWORD), ("nobody", APP_PASSWORD), (USERNAME, "wrong"),
                                           (USERNAME, API_TOKEN)])
def test_wrong_basic_pairings_get_the_plain_text_401(sandbox, bbc, login, secret):
    answer = sandbox.http.get(bbc + "/2.0/user", auth=(login, secret))
    assert answer.status_code == 401 and answer.headers["content-type"] == "text/plain"
    assert answer.text == LOGIN_FAILED
    assert answer.headers["www-authenticate"] == 'Basic realm="Bitbucket.org HTTP"'


def test_account_password_is_refused(sandbox, bbc):
    for login in (USERNAME, EMAIL):
        answer = sandbox.http.get(bbc + "/2.0/user", auth=(login, "admin"))
        assert answer.status_code == 401 and answer.headers["content-type"] == "text/plain"
        assert answer.text.startswith("Bitbucket Cloud recently stopped supporting account passwords for API")


def test_unscoped_api_token_is_refused(sandbox, bbc):
    answer = sandbox.http.get(bbc + "/2.0/repositories/demo", auth=(EMAIL, CLASSIC_TOKEN))
    assert answer.status_code == 401
    assert answer.json() == error("Token is invalid, expired, or not supported for this endpoint.")


@pytest.mark.parametrize("token", [APP_PASSWORD, API_TOKEN, "no-such-token"])
def test_user_credentials_sent_as_bearer(sandbox, bbc, token):
    answer = sandbox.http.get(bbc + "/2.0/repositories/demo", headers=bearer(token))
    assert answer.status_code == 401 and answer.json() == error("Access token expired.")


def test_missing_scope_names_required_and_granted(sandbox, bbc):
    token = new_token(sandbox, "api_token", ["read:repository:bitbucket"])
    answer = sandbox.http.get(bbc + "/2.0/user", auth=(EMAIL, token))
    assert answer.status_code == 403
    assert answer.json() == error("Your credentials lack one or more required privilege scopes.",
                                  detail={"required": ["read:user:bitbucket"], "granted": ["read:repository:bitbucket"]})
    assert answer.headers["x-accepted-oauth-scopes"] == "read:user:bitbucket"


def test_scopes_imply_as_on_the_real_service(sandbox, bbc):
    admin = new_token(sandbox, "app_password", ["repository:admin"])  # admin ⊃ write ⊃ read
    assert sandbox.http.get(bbc + "/2.0/repositories/demo/demo-repo", auth=(USERNAME, admin)).status_code == 200
    pullrequest = new_token(sandbox, "app_password", ["pullrequest"])  # pullrequest ⊃ repository
    assert sandbox.http.get(bbc + "/2.0/repositories/demo/demo-repo", auth=(USERNAME, pullrequest)).status_code == 200
    merged = sandbox.http.post(bbc + "/2.0/repositories/demo/demo-repo/pullrequests/1/merge", auth=(USERNAME, pullrequest))
    assert merged.status_code == 403 and merged.json()["error"]["detail"]["required"] == ["pullrequest:write"]
    reader = new_token(sandbox, "api_token", ["write:pullrequest:bitbucket"])
    assert sandbox.http.get(bbc + "/2.0/repositories/demo/demo-repo", auth=(EMAIL, reader)).status_code == 200


def test_access_tokens_are_bearer_only_and_bound_to_their_resource(sandbox, bbc):
    repo = sandbox.http.get(bbc + "/2.0/repositories/demo/demo-repo", headers=bearer(REPO_TOKEN))
    assert repo.status_code == 200 and repo.headers["x-credential-type"] == "repository_access_token"
    assert repo.headers["x-oauth-scopes"] == "repository, pullrequest:write"
    me = sandbox.http.get(bbc + "/2.0/user", headers=bearer(REPO_TOKEN))
    assert me.status_code == 401 and me.json() == error("Token is invalid or not supported for this endpoint.")
    as_basic = sandbox.http.get(bbc + "/2.0/repositories/demo/demo-repo", auth=("x-token-auth", REPO_TOKEN))
    assert as_basic.status_code == 401 and as_basic.text.startswith("Login failed")
    created = sandbox.http.post(bbc + "/2.0/repositories/demo/other", auth=(USERNAME, APP_PASSWORD), json={})
    assert created.status_code == 200
    outside = sandbox.http.get(bbc + "/2.0/repositories/demo/other", headers=bearer(REPO_TOKEN))
    assert outside.status_code == 404 and "does not exist or you do not have access" in outside.json()["error"]["message"]
    listed = sandbox.http.get(bbc + "/2.0/repositories/demo", headers=bearer(REPO_TOKEN)).json()
    assert [r["slug"] for r in listed["values"]] == ["demo-repo"]
    everywhere = sandbox.http.get(bbc + "/2.0/repositories/demo/other", headers=bearer(WORKSPACE_TOKEN))
    assert everywhere.status_code == 200
    projects = sandbox.http.get(bbc + "/2.0/workspaces/demo/projects", headers=bearer(REPO_TOKEN))
    assert projects.status_code == 403 and projects.json()["error"]["detail"]["required"] == ["project"]


def test_expired_token(sandbox, bbc):
    token = new_token(sandbox, "repository", ["repository"], "demo/demo-repo", expires_in=60)
    assert sandbox.http.get(bbc + "/2.0/repositories/demo/demo-repo", headers=bearer(token)).status_code == 200
    sandbox.advance_clock(120)
    expired = sandbox.http.get(bbc + "/2.0/repositories/demo/demo-repo", headers=bearer(token))
    assert expired.status_code == 401 and expired.json() == error("Access token expired.")


@pytest.mark.parametrize("body, words", [
    ({"kind": "bot", "scopes": []}, "kind must be one of"),
    ({"kind": "repository", "scopes": ["repository"], "resource": "demo/nope"}, "no repository 'nope'"),
    ({"kind": "api_token", "scopes": ["repository"]}, "API tokens take scopes like"),
    ({"kind": "app_password", "scopes": ["read:repository:bitbucket"]}, "API tokens take scopes like"),
    ({"kind": "workspace", "scopes": ["nonsense"], "resource": "demo"}, "scopes must be a list"),
])
def test_control_api_refuses_bad_tokens(sandbox, body, words):
    answer = sandbox.http.post(sandbox.url + "/_sandbox/bitbucket_cloud/tokens", json=body)
    assert answer.status_code == 400 and words in answer.json()["error"]["message"]


def test_rate_limit_is_a_plain_text_429(sandbox, bbc):
    sandbox.settings({"bitbucket_cloud": {"rate_limit": {"requests": 1, "interval_seconds": 3600}}})
    first = sandbox.http.get(bbc + "/2.0/repositories/demo/demo-repo", headers=bearer(REPO_TOKEN))
    assert first.status_code == 200 and first.headers["x-ratelimit-limit"] == "1"
    second = sandbox.http.get(bbc + "/2.0/repositories/demo/demo-repo", headers=bearer(REPO_TOKEN))
    assert second.status_code == 429 and second.text == "Rate limit for this resource has been exceeded"
    assert "retry-after" not in second.headers


def test_unknown_path_and_anonymous(sandbox, bbc):
    nothing = sandbox.http.get(bbc + "/2.0/nothing-here", auth=(USERNAME, APP_PASSWORD))
    assert nothing.status_code == 404 and nothing.json()["error"]["message"] == "Resource not found"
    assert sandbox.http.get(bbc + "/2.0/repositories/demo/demo-repo").status_code == 401


def test_served_alone_it_seeds_the_shared_account_itself():
    """Without Jira Cloud in the sandbox, Bitbucket Cloud seeds admin@example.com and its tokens (the
    access tokens bound to their resources), and a reset does it again."""
    from starlette.testclient import TestClient

    from atlctl.sandbox.app import create_app

    app = create_app(declarations=("atlctl.sandbox.bitbucket_cloud.declaration",))
    with TestClient(app) as client:
        for _ in range(2):
            assert client.get("/bitbucket-cloud/2.0/user", auth=(USERNAME, APP_PASSWORD)).status_code == 200
            repo = client.get("/bitbucket-cloud/2.0/repositories/demo/demo-repo", headers=bearer(REPO_TOKEN))
            assert repo.status_code == 200
            assert client.post("/_sandbox/reset").status_code == 204
    app.close()


def test_project_access_token_sees_its_project_only(sandbox, bbc):
    sandbox.http.post(bbc + "/2.0/repositories/demo/in-demo", auth=(USERNAME, APP_PASSWORD), json={}).raise_for_status()
    token = new_token(sandbox, "project", ["repository", "project"], "demo/DEMO")
    assert sandbox.http.get(bbc + "/2.0/repositories/demo/in-demo", headers=bearer(token)).status_code == 200
    listed = sandbox.http.get(bbc + "/2.0/repositories/demo", headers=bearer(token)).json()
    assert {r["slug"] for r in listed["values"]} == {"demo-repo", "in-demo"}
    assert sandbox.http.get(bbc + "/2.0/workspaces/demo/projects", headers=bearer(token)).status_code == 403
    assert sandbox.http.get(bbc + "/2.0/user/workspaces", headers=bearer(token)).status_code == 401
