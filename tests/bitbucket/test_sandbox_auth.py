"""The Bitbucket DC sandbox authenticates as the real server does (products.md §3.1, server-behaviour.md §3):
basic with the real hash cost, a BITBUCKETSESSIONID from the first authenticated request, the form
login, HTTP access tokens with their permissions, kinds, expiry and version gate, CAPTCHA, the
basic-auth switch, rate limiting and XSRF."""

import httpx
import pytest

ADMIN, ALICE = ("admin", "admin"), ("alice", "alice")
WRONG = "com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException"
NOT_PERMITTED = "com.atlassian.bitbucket.AuthorisationException"
JSON = "application/json;charset=UTF-8"


def exception(response: httpx.Response) -> str:
    return response.json()["errors"][0]["exceptionName"]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_basic_opens_a_session_that_spares_the_password_check(bb, sandbox):
    with sandbox.client() as client:
        first = client.get(bb.api + "/projects", auth=ALICE)
        assert first.status_code == 200 and first.headers["X-AUSERNAME"] == "alice"
        assert "BITBUCKETSESSIONID" in first.cookies
        again = client.get(bb.api + "/projects")
        assert again.status_code == 200 and again.headers["X-AUSERNAME"] == "alice"
    counted = bb.stats()
    assert counted["password_checks"] == 1 and counted["requests_by_auth"]["session"] == 1


def test_wrong_password_is_bitbuckets_401(bb, sandbox):
    r = sandbox.http.get(bb.api + "/projects", auth=("alice", "nope"))
    assert r.status_code == 401 and r.headers["content-type"] == JSON  # exactly: apa reads only this type
    assert r.headers["WWW-Authenticate"] == 'Basic realm="Atlassian Bitbucket"'
    assert r.json() == {"errors": [{"context": None, "exceptionName": WRONG,
                                    "message": "Authentication failed. Please check your credentials and try again."}]}
    assert "X-AUSERNAME" not in r.headers


def test_anonymous_sees_application_properties_only(bb, sandbox):
    props = sandbox.http.get(bb.api + "/application-properties")
    assert props.status_code == 200 and set(props.json()) == {"version", "buildNumber", "buildDate", "displayName"}
    assert all(isinstance(v, str) for v in props.json().values())
    r = sandbox.http.get(bb.api + "/projects")
    assert r.status_code == 401 and exception(r) == NOT_PERMITTED


def test_captcha_after_five_failures_refuses_the_right_password_unchecked(bb, sandbox):
    for _ in range(5):
        assert sandbox.http.get(bb.api + "/projects", auth=("alice", "nope")).status_code == 401
    checks = bb.stats()["password_checks"]
    r = sandbox.http.get(bb.api + "/projects", auth=ALICE)
    assert r.status_code == 401 and r.headers["WWW-Authenticate"] == 'Basic realm="Atlassian Bitbucket"'
    assert exception(r) == "com.atlassian.bitbucket.auth.CaptchaRequiredAuthenticationException"
    assert r.json()["errors"][0]["message"].startswith("CAPTCHA required. Your Bitbucket account has been locked.")
    assert bb.stats()["password_checks"] == checks  # refused without checking the password
    # the form login is the way out (the right password answers the CAPTCHA here)
    form = sandbox.http.post(bb.url + "/j_atl_security_check", data={"j_username": "alice", "j_password": "alice"})
    assert form.status_code == 302 and form.headers["Location"].endswith("/dashboard")
    assert "BITBUCKETSESSIONID" in form.cookies
    assert sandbox.http.get(bb.api + "/projects", auth=ALICE).status_code == 200


def test_a_wrong_form_login_goes_back_to_the_login_page(bb, sandbox):
    form = sandbox.http.post(bb.url + "/j_atl_security_check", data={"j_username": "alice", "j_password": "x"})
    assert form.status_code == 302 and "/login?error=true" in form.headers["Location"]
    assert "BITBUCKETSESSIONID" not in form.cookies


def test_pages_need_the_session_and_logout_ends_it(bb, sandbox):
    assert sandbox.http.get(bb.url + "/profile", auth=ALICE).status_code == 302  # pages read only the cookie
    with sandbox.client() as client:
        client.post(bb.url + "/j_atl_security_check", data={"j_username": "alice", "j_password": "alice"})
        assert "Alice Example" in client.get(bb.url + "/profile").text
        client.get(bb.url + "/j_atl_security_logout")
        assert client.get(bb.url + "/profile").status_code == 302


def test_a_users_token_works_as_basic_and_as_bearer_without_a_password_check(bb, sandbox):
    token = bb.token("users/alice", ["REPO_READ"], auth=ALICE)
    checks = bb.stats()["password_checks"]
    basic = sandbox.http.get(bb.api + "/projects", auth=("alice", token))
    assert basic.status_code == 200 and basic.headers["X-AUSERNAME"] == "alice" and not basic.cookies
    assert sandbox.http.get(bb.api + "/projects", headers=bearer(token)).headers["X-AUSERNAME"] == "alice"
    assert bb.stats()["password_checks"] == checks
    assert sandbox.http.get(bb.api + "/projects", auth=("admin", token)).status_code == 401  # another user's name


def test_project_and_repository_tokens_are_bearer_only(bb, sandbox):
    token = bb.token("projects/DEMO", ["PROJECT_READ"])
    r = sandbox.http.get(bb.api + "/projects/DEMO/repos", headers=bearer(token))
    assert r.status_code == 200 and "X-AUSERNAME" not in r.headers  # no user
    as_basic = sandbox.http.get(bb.api + "/projects/DEMO/repos", auth=("alice", token))
    assert as_basic.status_code == 401 and exception(as_basic) == WRONG
    assert bb.stats()["password_checks"] == 2  # the token was checked as alice's password: a failed login
    assert sandbox.http.get(bb.api + "/projects/DEMO/repos", auth=("x-token-auth", token)).status_code == 401


def test_token_permissions_refuse_what_they_do_not_cover(bb, sandbox):
    read = bb.token("projects/DEMO", ["PROJECT_READ"])
    r = sandbox.http.post(bb.api + "/projects/DEMO/repos", json={"name": "new"}, headers=bearer(read))
    assert r.status_code == 401 and exception(r) == NOT_PERMITTED
    admin = bb.token("projects/DEMO", ["PROJECT_ADMIN"])
    assert sandbox.http.post(bb.api + "/projects/DEMO/repos", json={"name": "new"}, headers=bearer(admin)).status_code == 201
    repo = bb.token("projects/DEMO/repos/demo-repo", ["REPO_WRITE"])
    assert sandbox.http.get(bb.api + "/projects/DEMO/repos/demo-repo/branches", headers=bearer(repo)).status_code == 200
    assert sandbox.http.get(bb.api + "/projects/DEMO/repos/new/branches", headers=bearer(repo)).status_code == 401
    merge = sandbox.http.post(bb.api + "/projects/DEMO/repos/demo-repo/pull-requests/1/merge", json={}, headers=bearer(repo))
    assert merge.status_code == 401 and "cannot merge" in merge.text  # a merge commit needs a user
    # a user's token never reaches beyond the user: alice may write DEMO but not administer it
    mine = bb.token("users/alice", ["PROJECT_ADMIN"], auth=ALICE)
    assert sandbox.http.delete(bb.api + "/projects/DEMO/repos/new", headers=bearer(mine)).status_code == 401
    # tokens do not manage tokens
    assert sandbox.http.get(bb.url + "/rest/access-tokens/1.0/users/alice", headers=bearer(mine)).status_code == 401


def test_tokens_expire_and_can_be_revoked(bb, sandbox):
    token = bb.token("users/alice", ["REPO_READ"], auth=ALICE, days=1)
    assert sandbox.http.get(bb.api + "/projects", headers=bearer(token)).status_code == 200
    listed = sandbox.http.get(bb.url + "/rest/access-tokens/1.0/users/alice", auth=ALICE).json()["values"]
    assert [t["permissions"] for t in listed] == [["REPO_READ"]] and "token" not in listed[0]
    sandbox.advance_clock(86400 + 1)
    assert sandbox.http.get(bb.api + "/projects", headers=bearer(token)).status_code == 401
    other = bb.token("users/alice", ["REPO_READ"], auth=ALICE)
    ident = sandbox.http.get(bb.url + "/rest/access-tokens/1.0/users/alice", auth=ALICE).json()["values"][-1]["id"]
    assert sandbox.http.delete(f"{bb.url}/rest/access-tokens/1.0/users/alice/{ident}", auth=ALICE).status_code == 204
    assert sandbox.http.get(bb.api + "/projects", headers=bearer(other)).status_code == 401


@pytest.mark.parametrize("body, field", [({"permissions": ["REPO_READ"]}, "name"), ({"name": "t"}, "permissions"),
                                         ({"name": "t", "permissions": ["REPO_EVERYTHING"]}, "permissions"),
                                         ({"name": "t", "permissions": ["REPO_READ"], "expiryDays": 0}, "expiryDays")])
def test_token_creation_is_validated(bb, sandbox, body, field):
    r = sandbox.http.put(bb.url + "/rest/access-tokens/1.0/users/alice", json=body, auth=ALICE)
    assert r.status_code == 400 and r.json()["errors"][0]["context"] == field


def test_before_5_5_there_are_no_tokens(bb, sandbox):
    token = bb.token("users/alice", ["REPO_READ"], auth=ALICE)
    bb.settings(version="5.4.0")
    assert sandbox.http.get(bb.url + "/rest/access-tokens/1.0/users/alice", auth=ALICE).status_code == 404
    r = sandbox.http.get(bb.api + "/projects", headers=bearer(token))
    assert r.status_code == 401 and exception(r) == NOT_PERMITTED  # the Bearer header is not read: anonymous


def test_basic_auth_switch(bb, sandbox):
    token = bb.token("users/alice", ["REPO_READ"], auth=ALICE)
    bb.settings(basic_auth=False)
    r = sandbox.http.get(bb.api + "/projects", auth=ALICE)
    assert r.status_code == 403 and "Basic authentication has been disabled" in r.text
    assert bb.stats()["password_checks"] == 1  # the token's creation; the refusal checked nothing
    assert sandbox.http.get(bb.api + "/projects", headers=bearer(token)).status_code == 200
    with pytest.raises(ValueError, match="7.12"):
        bb.settings(version="7.11.0")


def test_rate_limit_applies_to_basic_and_bearer_with_retry_after(bb, sandbox):
    token = bb.token("users/alice", ["REPO_READ"], auth=ALICE)
    bb.settings(rate_limit={"requests": 2, "interval_seconds": 60})
    codes = [sandbox.http.get(bb.api + "/projects", headers=bearer(token)).status_code for _ in range(2)]
    limited = sandbox.http.get(bb.api + "/projects", headers=bearer(token))
    assert codes == [200, 200] and limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert sandbox.http.get(bb.api + "/application-properties").status_code == 200  # anonymous: not limited
    with sandbox.client() as client:  # a session's requests are neither limited nor counted
        assert client.get(bb.api + "/projects", auth=("admin", "admin")).status_code == 200
        assert [client.get(bb.api + "/projects").status_code for _ in range(3)] == [200] * 3
    assert sandbox.http.get(bb.api + "/projects", auth=("admin", "admin")).status_code == 200  # admin's 2nd
    assert sandbox.http.get(bb.api + "/projects", auth=("admin", "admin")).status_code == 429  # and 3rd


def test_xsrf_refuses_a_form_post_without_no_check(bb, sandbox):
    url = bb.api + "/projects/DEMO/repos/demo-repo/pull-requests/1/decline"
    r = sandbox.http.post(url, auth=ALICE, data={"version": "0"})
    assert r.status_code == 403 and r.text == "XSRF check failed"
    assert sandbox.http.post(url, auth=ALICE, headers={"X-Atlassian-Token": "no-check"}).status_code == 200
