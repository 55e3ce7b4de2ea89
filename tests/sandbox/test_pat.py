"""Personal access tokens on Jira DC >= 8.14 (server-behaviour.md §1.5, §9.2)."""

import base64
import re

import pytest

TOKENS = "/rest/pat/latest/tokens"
MYSELF = "/rest/api/2/myself"
NOT_AUTHENTICATED = '{"errorMessages":["You are not authenticated. Authentication required to perform this operation."],"errors":{}}'


def create(sandbox, name="ci", days=None, auth=("admin", "admin")):
    body = {"name": name} if days is None else {"name": name, "expirationDuration": days}
    return sandbox.http.post(sandbox.jira + TOKENS, json=body, auth=auth)


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_create_list_and_use(sandbox):
    """§1.5: 201 with rawToken only at creation; the list never shows it; Bearer works."""
    r = create(sandbox, days=90)
    assert r.status_code == 201
    body = r.json()
    assert set(body) == {"id", "name", "createdAt", "expiringAt", "rawToken"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000", body["expiringAt"])
    assert re.fullmatch(r"\d{12}:", base64.b64decode(body["rawToken"])[:13].decode())  # Jira's PAT format
    listed = sandbox.http.get(sandbox.jira + TOKENS, auth=("admin", "admin")).json()
    assert [t["name"] for t in listed] == ["ci"] and "rawToken" not in listed[0]

    me = sandbox.http.get(sandbox.jira + MYSELF, headers=bearer(body["rawToken"]))
    assert me.status_code == 200 and me.json()["name"] == "admin"
    assert "set-cookie" not in me.headers  # PAT requests get no session (§1.2)
    stats = sandbox.stats()["products"]["jira"]
    assert stats["requests_by_auth"]["bearer"] == 1
    assert stats["password_checks"] == 2  # the two Basic calls above, none for the token


def test_pat_alias_path(sandbox):
    r = sandbox.http.post(sandbox.jira + "/rest/pat/1.0/tokens", json={"name": "x"}, auth=("alice", "alice"))
    assert r.status_code == 201
    assert len(sandbox.http.get(sandbox.jira + "/rest/pat/1.0/tokens", auth=("alice", "alice")).json()) == 1


def test_tokens_are_per_user(sandbox):
    create(sandbox, auth=("alice", "alice"))
    assert sandbox.http.get(sandbox.jira + TOKENS, auth=("admin", "admin")).json() == []


def test_revoke(sandbox):
    body = create(sandbox).json()
    assert sandbox.http.delete(sandbox.jira + f"{TOKENS}/{body['id']}", auth=("alice", "alice")).status_code == 404
    assert sandbox.http.delete(sandbox.jira + f"{TOKENS}/{body['id']}", auth=("admin", "admin")).status_code == 204
    r = sandbox.http.get(sandbox.jira + MYSELF, headers=bearer(body["rawToken"]))
    assert r.status_code == 401 and r.text == NOT_AUTHENTICATED
    assert r.headers["x-seraph-loginreason"] == "AUTHENTICATED_FAILED"  # §9.2


def test_expiry_is_enforced(sandbox):
    token = create(sandbox, days=1).json()["rawToken"]
    sandbox.advance_clock(86400 - 60)
    assert sandbox.http.get(sandbox.jira + MYSELF, headers=bearer(token)).status_code == 200
    sandbox.advance_clock(120)
    r = sandbox.http.get(sandbox.jira + MYSELF, headers=bearer(token))
    assert r.status_code == 401 and "www-authenticate" in r.headers


def test_invalid_token_on_anonymous_resource_is_401_too(sandbox):
    r = sandbox.http.get(sandbox.jira + "/rest/api/2/serverInfo", headers=bearer("bm90LWEtdG9rZW4="))
    assert r.status_code == 401


def test_pat_in_basic_password_slot_is_a_wrong_password(sandbox):
    """§1.5: Jira does not read PATs from Basic."""
    token = create(sandbox).json()["rawToken"]
    r = sandbox.http.get(sandbox.jira + MYSELF, auth=("admin", token))
    assert r.status_code == 401 and r.headers["x-seraph-loginreason"] == "AUTHENTICATED_FAILED"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": " "},
        {"name": "x", "expirationDuration": 0},
        {"name": "x", "expirationDuration": "7"},
        {"name": "x", "expirationDuration": 3651},
        {"name": "x", "expirationDuration": 10**20},
    ],
)
def test_invalid_requests(sandbox, body):
    assert sandbox.http.post(sandbox.jira + TOKENS, json=body, auth=("admin", "admin")).status_code == 400
    assert sandbox.http.get(sandbox.jira + TOKENS, auth=("admin", "admin")).json() == []  # nothing half-made


def test_longest_expiry(sandbox):
    assert create(sandbox, days=3650).status_code == 201
    assert len(sandbox.http.get(sandbox.jira + TOKENS, auth=("admin", "admin")).json()) == 1


def test_token_limit(sandbox):
    for n in range(10):
        assert create(sandbox, name=f"t{n}").status_code == 201
    r = create(sandbox, name="one too many")
    assert r.status_code == 400 and "maximum number of tokens" in r.text


def test_anonymous_cannot_manage_tokens(sandbox):
    assert sandbox.http.get(sandbox.jira + TOKENS).status_code == 401


def test_no_pats_before_8_14(sandbox):
    """§1.5: the PAT API does not exist and Bearer authenticates nobody (anonymous)."""
    token = create(sandbox).json()["rawToken"]
    sandbox.settings({"jira": {"version": "8.13.0"}})
    r = sandbox.http.get(sandbox.jira + TOKENS, auth=("admin", "admin"))
    assert r.status_code == 404
    assert r.json() == {"message": f"null for uri: {sandbox.jira}{TOKENS}", "status-code": 404}
    info = sandbox.http.get(sandbox.jira + "/rest/api/2/serverInfo", headers=bearer(token))
    assert info.status_code == 200 and info.headers["x-ausername"] == "anonymous"
    assert "x-seraph-loginreason" not in info.headers
    me = sandbox.http.get(sandbox.jira + MYSELF, headers=bearer(token))
    assert me.status_code == 401 and me.text == NOT_AUTHENTICATED
    assert sandbox.stats()["products"]["jira"]["requests_by_auth"]["bearer"] == 0
    sandbox.settings({"jira": {"version": "8.14.0"}})
    assert sandbox.http.get(sandbox.jira + MYSELF, headers=bearer(token)).status_code == 200
