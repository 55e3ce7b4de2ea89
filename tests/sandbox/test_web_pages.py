"""Web pages for renderRequest-style fetches: they need a web session (server-behaviour.md §1.2, §1.5)."""

import pytest

PROFILE = "/secure/ViewProfile.jspa"


def test_profile_with_a_web_session(sandbox):
    with sandbox.client() as client:
        client.post(sandbox.jira + "/rest/auth/1/session", json={"username": "alice", "password": "alice"})
        r = client.get(sandbox.jira + PROFILE)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html;charset=UTF-8"
    assert "Alice Example" in r.text
    assert 'data-version="9.12.4"' in r.text  # the application meta tag scripts read
    assert "cache-control" not in r.headers  # REST-only header


def test_the_session_a_basic_request_opened_is_a_web_session(sandbox):
    with sandbox.client() as client:
        client.get(sandbox.jira + "/rest/api/2/myself", auth=("alice", "alice"))
        assert client.get(sandbox.jira + PROFILE).status_code == 200


@pytest.mark.parametrize("credentials", ["none", "basic", "bearer"])
def test_without_a_web_session_the_page_redirects_to_login(sandbox, credentials):
    headers = {}
    if credentials == "bearer":
        token = sandbox.http.post(sandbox.jira + "/rest/pat/latest/tokens", json={"name": "t"}, auth=("admin", "admin")).json()["rawToken"]
        headers["Authorization"] = f"Bearer {token}"
    auth = ("admin", "admin") if credentials == "basic" else None
    r = sandbox.http.get(sandbox.jira + PROFILE, headers=headers, auth=auth)
    assert r.status_code == 302
    assert r.headers["location"] == sandbox.jira + "/login.jsp?os_destination=%2Fsecure%2FViewProfile.jspa"
    assert "set-cookie" not in r.headers


def test_form_login(sandbox):
    with sandbox.client() as client:
        page = client.get(sandbox.jira + "/login.jsp", params={"os_destination": PROFILE})
        assert 'name="os_username"' in page.text and 'name="os_password"' in page.text
        r = client.post(sandbox.jira + "/login.jsp", data={"os_username": "alice", "os_password": "alice", "os_destination": PROFILE})
        assert r.status_code == 302 and r.headers["location"] == sandbox.jira + PROFILE
        assert r.headers["x-seraph-loginreason"] == "OK"
        assert client.get(sandbox.jira + PROFILE).status_code == 200
    assert sandbox.stats()["products"]["jira"]["logins"] == 1


def test_form_login_failure(sandbox):
    r = sandbox.http.post(sandbox.jira + "/login.jsp", data={"os_username": "alice", "os_password": "x"})
    assert r.status_code == 200
    assert r.headers["x-seraph-loginreason"] == "AUTHENTICATED_FAILED"
    assert "Sorry, your username and password are incorrect - please try again." in r.text


def test_form_login_does_not_redirect_elsewhere(sandbox):
    data = {"os_username": "alice", "os_password": "alice", "os_destination": "//evil.example/x"}
    r = sandbox.http.post(sandbox.jira + "/login.jsp", data=data)
    assert r.headers["location"] == sandbox.jira + "/secure/Dashboard.jspa"


def test_logout_page(sandbox):
    with sandbox.client() as client:
        client.post(sandbox.jira + "/login.jsp", data={"os_username": "alice", "os_password": "alice"})
        assert client.get(sandbox.jira + "/secure/Logout!default.jspa").status_code == 302
        assert client.get(sandbox.jira + PROFILE).status_code == 302


def test_unknown_page_is_an_html_404(sandbox):
    r = sandbox.http.get(sandbox.jira + "/secure/NoSuchAction.jspa")
    assert r.status_code == 404 and r.headers["content-type"] == "text/html;charset=UTF-8"


def test_attachment_download_takes_rest_credentials(sandbox):
    r = sandbox.http.post(
        sandbox.jira + "/rest/api/2/issue/DEMO-1/attachments",
        auth=("admin", "admin"),
        headers={"X-Atlassian-Token": "no-check"},
        files={"file": ("notes.txt", b"hello", "text/plain")},
    )
    content = r.json()[0]["content"]
    assert content.startswith(sandbox.jira + "/secure/attachment/")
    assert sandbox.http.get(content, auth=("alice", "alice")).content == b"hello"
    anonymous = sandbox.http.get(content)
    assert anonymous.status_code == 302 and "/login.jsp?os_destination=" in anonymous.headers["location"]


def test_pages_escape_the_host_they_were_called_with(sandbox):
    host = {"Host": 'evil.example"><script>x</script>'}
    with sandbox.client() as client:
        client.post(sandbox.jira + "/rest/auth/1/session", json={"username": "admin", "password": "admin"})
        for path in ("/login.jsp", "/secure/admin/WebSudoAuthenticate!default.jspa"):
            r = client.get(sandbox.jira + path, headers=host)
            assert r.status_code == 200 and 'action="http://evil.example&quot;&gt;&lt;script&gt;' in r.text
            assert "<script>" not in r.text
