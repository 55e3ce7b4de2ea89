"""atlassian-python-api's `Jira`, unchanged, against the sandbox (server-behaviour.md §0.5, §1.1,
§1.4, §1.5, §4.1): the everyday flow and failures as `requests.HTTPError`s."""

import io
from http.cookiejar import CookieJar

import pytest
import requests
from atlassian import Jira
from requests import HTTPError


def everyday_flow(jira: Jira, me: str) -> None:
    """server info, myself, project list, create issue, JQL search, transition, comment."""
    info = jira.get_server_info()
    assert info["versionNumbers"]
    assert jira.myself()["displayName"] == me
    assert [p["key"] for p in jira.projects()] == ["DEMO"]
    created = jira.issue_create(
        fields={"project": {"key": "DEMO"}, "issuetype": {"name": "Bug"}, "summary": "Made by atlassian-python-api"}
    )
    key = created["key"]
    found = jira.jql(f"project = DEMO AND key = {key}")
    assert [i["key"] for i in found["issues"]] == [key]
    jira.set_issue_status(key, "In Progress")
    assert jira.get_issue_status(key) == "In Progress"
    assert jira.issue_add_comment(key, "from atlassian")["body"] == "from atlassian"
    assert [c["body"] for c in jira.issue_get_comments(key)["comments"]] == ["from atlassian"]
    attachment = jira.add_attachment_object(key, io.BytesIO(b"attached"))
    assert jira.get_attachment_content(attachment[0]["id"]) == b"attached"


def test_username_and_password(sandbox):
    everyday_flow(Jira(sandbox.jira, username="admin", password="admin"), "Administrator")


def test_personal_access_token(sandbox):
    token = sandbox.http.post(sandbox.jira + "/rest/pat/latest/tokens", json={"name": "atl"}, auth=("alice", "alice")).json()["rawToken"]
    everyday_flow(Jira(sandbox.jira, token=token), "Alice Example")


def test_cloud_email_and_api_token(sandbox):
    jira = Jira(sandbox.jira_cloud, username="admin@example.com", password="sandbox-token-admin", cloud=True)
    assert jira.get_server_info()["deploymentType"] == "Cloud"
    everyday_flow(jira, "Sandbox Admin")


def test_wrong_password(sandbox):
    with pytest.raises(HTTPError) as caught:
        Jira(sandbox.jira, username="admin", password="wrong").myself()
    assert caught.value.response.status_code == 401
    assert str(caught.value) == "Unauthorized (401)"  # the body is Seraph's HTML page (§1.1)


def test_captcha(sandbox):
    for _ in range(3):
        with pytest.raises(HTTPError):
            Jira(sandbox.jira, username="alice", password="wrong").myself()
    with pytest.raises(HTTPError) as caught:
        Jira(sandbox.jira, username="alice", password="alice").myself()
    response = caught.value.response
    assert response.status_code == 403
    assert response.headers["X-Authentication-Denied-Reason"].startswith("CAPTCHA_CHALLENGE; login-url=")
    assert response.headers["X-Seraph-LoginReason"] == "AUTHENTICATION_DENIED"


def test_bad_token(sandbox):
    with pytest.raises(HTTPError) as caught:
        Jira(sandbox.jira, token="bm8tc3VjaC10b2tlbg==").myself()
    assert caught.value.response.status_code == 401
    assert str(caught.value) == "You are not authenticated. Authentication required to perform this operation."


def test_websudo_refuses_a_cookie_session(sandbox):
    session = requests.post(sandbox.jira + "/rest/auth/1/session", json={"username": "admin", "password": "admin"})
    jar = CookieJar()
    for cookie in session.cookies:
        jar.set_cookie(cookie)
    jira = Jira(sandbox.jira, cookies=jar)
    assert jira.myself()["name"] == "admin"
    with pytest.raises(HTTPError) as caught:
        jira.user_create("bob", "bob@example.com", "Bob", password="bob")
    assert caught.value.response.status_code == 401
    assert caught.value.response.json() == {"status-code": 401, "message": "This resource requires WebSudo."}


def test_basic_auth_administers_without_websudo(sandbox):
    jira = Jira(sandbox.jira, username="admin", password="admin")
    assert jira.user_create("bob", "bob@example.com", "Bob", password="bob")["name"] == "bob"
    assert jira.create_group("builders")["name"] == "builders"
    assert jira.add_user_to_group(username="bob", group_name="builders")["name"] == "builders"
    jira.user_remove(username="bob")
    with pytest.raises(HTTPError):
        jira.user(username="bob")


def test_cloud_password_instead_of_token(sandbox):
    with pytest.raises(HTTPError) as caught:
        Jira(sandbox.jira_cloud, username="admin@example.com", password="admin", cloud=True).myself()
    assert caught.value.response.status_code == 401
    assert caught.value.response.text.startswith("Basic authentication with passwords is deprecated.  ")


def test_cloud_wrong_token(sandbox):
    jira = Jira(sandbox.jira_cloud, username="admin@example.com", password="nope", cloud=True)
    assert jira.get_server_info()["deploymentType"] == "Cloud"  # anonymous-allowed: no error yet
    with pytest.raises(HTTPError) as caught:
        jira.myself()
    assert caught.value.response.status_code == 401
    assert str(caught.value) == "Client must be authenticated to access this resource."


def test_link_type_administration_and_the_done_screen(sandbox):
    """Jira's link type methods and the transition metadata, as an administrator and as Alice."""
    jira = Jira(sandbox.jira, username="admin", password="admin")
    made = jira.create_issue_link_type("Causes", "is caused by", "causes")
    assert made["name"] == "Causes" and "Causes" in jira.get_issue_link_types_names()
    assert jira.create_issue_link_type("Causes", "x", "y") == "Link type name already exists"  # the client checks first
    jira.update_issue_link_type(made["id"], {"outward": "leads to"})
    assert jira.get_issue_link_type(made["id"])["outward"] == "leads to"
    with pytest.raises(HTTPError) as caught:
        Jira(sandbox.jira, username="alice", password="alice").delete_issue_link_type(made["id"])
    assert caught.value.response.status_code == 403
    jira.delete_issue_link_type(made["id"])
    assert "Causes" not in jira.get_issue_link_types_names()
    full = jira.get_issue_transitions_full("DEMO-1", expand="transitions.fields")["transitions"]
    done = next(t for t in full if t["name"] == "Done")
    assert done["fields"]["resolution"]["required"] is True
    assert {"Fixed", "Done"} <= {r["name"] for r in done["fields"]["resolution"]["allowedValues"]}
