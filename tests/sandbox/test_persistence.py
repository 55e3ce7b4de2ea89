"""--state FILE: SQLite persistence across restarts."""

import json
import sqlite3

import httpx
import pytest

from atlctl.sandbox.app import create_app
from atlctl.sandbox.server import SandboxServer
from atlctl.sandbox.store import StoreError

ADMIN = ("admin", "admin")


def test_state_survives_a_restart(tmp_path):
    state = str(tmp_path / "sandbox.sqlite")
    with SandboxServer(state=state) as server:
        jira = server.url + "/jira"
        body = {"fields": {"project": {"key": "DEMO"}, "issuetype": {"name": "Bug"}, "summary": "Persisted"}}
        assert httpx.post(jira + "/rest/api/2/issue", json=body, auth=ADMIN).json()["key"] == "DEMO-4"
        httpx.post(jira + "/rest/api/2/issue/DEMO-4/comment", json={"body": "kept"}, auth=ADMIN)
        httpx.post(
            jira + "/rest/api/2/issue/DEMO-4/attachments",
            files={"file": ("f.txt", b"bytes")},
            headers={"X-Atlassian-Token": "no-check"},
            auth=ADMIN,
        )
        token = httpx.post(jira + "/rest/pat/latest/tokens", json={"name": "ci"}, auth=ADMIN).json()["rawToken"]
        user = {"name": "bob", "password": "bob", "emailAddress": "bob@example.com"}
        httpx.post(jira + "/rest/api/2/user", json=user, auth=ADMIN)
        httpx.get(jira + "/rest/api/2/myself", auth=("alice", "wrong"))  # a failed login is state too
        session = httpx.post(jira + "/rest/auth/1/session", json={"username": "admin", "password": "admin"}).cookies["JSESSIONID"]

    with SandboxServer(state=state) as server:
        jira = server.url + "/jira"
        issue = httpx.get(jira + "/rest/api/2/issue/DEMO-4", auth=ADMIN).json()["fields"]
        assert issue["summary"] == "Persisted" and issue["comment"]["comments"][0]["body"] == "kept"
        assert httpx.get(issue["attachment"][0]["content"], auth=ADMIN).content == b"bytes"
        assert httpx.get(jira + "/rest/api/2/myself", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        assert httpx.get(jira + "/rest/api/2/myself", auth=("bob", "bob")).status_code == 200
        info = httpx.get(jira + "/rest/auth/1/session", auth=("alice", "alice")).json()["loginInfo"]
        assert "lastFailedLoginTime" in info
        # Sessions live in memory only: a restart logs everybody out (the cookie is stale).
        assert httpx.get(jira + "/rest/api/2/myself", cookies={"JSESSIONID": session}).status_code == 401
        body = {"fields": {"project": {"key": "DEMO"}, "issuetype": {"name": "Bug"}, "summary": "Next"}}
        assert httpx.post(jira + "/rest/api/2/issue", json=body, auth=ADMIN).json()["key"] == "DEMO-5"


def test_issue_15_and_18_records_survive_a_restart(tmp_path):
    """Versions, components, worklogs, watchers, filters, remote links, projects, categories,
    application properties: written through like the rest."""
    state = str(tmp_path / "sandbox.sqlite")
    with SandboxServer(state=state) as server:
        api = server.url + "/jira/rest/api/2"
        category = httpx.post(api + "/projectCategory", json={"name": "Kept"}, auth=ADMIN).json()
        project = {"key": "KEPT", "name": "Kept", "lead": "admin", "projectTypeKey": "software", "categoryId": int(category["id"])}
        assert httpx.post(api + "/project", json=project, auth=ADMIN).status_code == 201
        version = httpx.post(api + "/version", json={"name": "1.0", "project": "KEPT"}, auth=ADMIN).json()
        httpx.post(api + "/component", json={"name": "UI", "project": "KEPT"}, auth=ADMIN)
        body = {"fields": {"project": {"key": "KEPT"}, "issuetype": {"name": "Bug"}, "summary": "s", "fixVersions": [{"name": "1.0"}]}}
        key = httpx.post(api + "/issue", json=body, auth=ADMIN).json()["key"]
        httpx.post(api + f"/issue/{key}/worklog", json={"timeSpent": "1h"}, auth=ADMIN)
        httpx.post(api + f"/issue/{key}/watchers", json="alice", auth=ADMIN)
        httpx.post(api + f"/issue/{key}/remotelink", json={"object": {"url": "https://e.com", "title": "t"}}, auth=ADMIN)
        filter_id = httpx.post(api + "/filter", json={"name": "f", "jql": "project = KEPT"}, auth=ADMIN).json()["id"]
        httpx.put(api + "/application-properties/jira.title", json={"value": "Kept"}, auth=ADMIN)

    with SandboxServer(state=state) as server:
        api = server.url + "/jira/rest/api/2"
        assert httpx.get(api + "/project/KEPT", auth=ADMIN).json()["projectCategory"]["name"] == "Kept"
        assert httpx.get(api + f"/version/{version['id']}", auth=ADMIN).json()["name"] == "1.0"
        assert [c["name"] for c in httpx.get(api + "/project/KEPT/components", auth=ADMIN).json()] == ["UI"]
        fields = httpx.get(api + f"/issue/{key}", auth=ADMIN).json()["fields"]
        assert fields["fixVersions"][0]["name"] == "1.0" and fields["worklog"]["total"] == 1 and fields["watches"]["watchCount"] == 2
        assert len(httpx.get(api + f"/issue/{key}/remotelink", auth=ADMIN).json()) == 1
        assert httpx.get(api + f"/filter/{filter_id}", auth=ADMIN).json()["jql"] == "project = KEPT"
        assert httpx.get(api + "/application-properties", params={"key": "jira.title"}, auth=ADMIN).json()["value"] == "Kept"
        assert httpx.post(api + "/project", json={"key": "NEXT", "name": "Next", "lead": "admin"}, auth=ADMIN).json()["id"] == 10002


def test_reset_empties_the_state_file(tmp_path):
    state = str(tmp_path / "sandbox.sqlite")
    with SandboxServer(state=state) as server:
        body = {"fields": {"project": {"key": "DEMO"}, "issuetype": {"name": "Bug"}, "summary": "Gone"}}
        httpx.post(server.url + "/jira/rest/api/2/issue", json=body, auth=ADMIN)
        httpx.post(server.url + "/_sandbox/reset")
    with SandboxServer(state=state) as server:
        assert httpx.get(server.url + "/jira/rest/api/2/issue/DEMO-4", auth=ADMIN).status_code == 404
        assert httpx.get(server.url + "/jira/rest/api/2/issue/DEMO-3", auth=ADMIN).status_code == 200


def test_settings_are_not_persisted(tmp_path):
    state = str(tmp_path / "sandbox.sqlite")
    with SandboxServer(state=state) as server:
        httpx.post(server.url + "/_sandbox/settings", json={"jira": {"websudo": False}})
    with SandboxServer(state=state) as server:
        assert httpx.get(server.url + "/_sandbox/settings").json()["jira"]["websudo"] is True


def test_passwords_are_hashed_in_the_file(tmp_path):
    state = tmp_path / "sandbox.sqlite"
    create_app(str(state)).close()
    rows = sqlite3.connect(state).execute("SELECT data FROM records WHERE kind = 'user'").fetchall()
    assert rows and all('"password_hash":"{PKCS5S2}' in row[0] for row in rows)
    assert not any("sandbox-token-admin" in row[0] for row in rows)


@pytest.mark.parametrize("make", ["not_a_database", "missing_directory"])
def test_unusable_state_file(tmp_path, make):
    path = tmp_path / "state"
    if make == "not_a_database":
        path.write_bytes(b"this is not sqlite" * 100)
    else:
        path = tmp_path / "no" / "such" / "dir" / "state.sqlite"
    with pytest.raises(StoreError, match=f"cannot use state file {path}"):
        create_app(str(path))


def test_a_state_file_of_another_version_is_refused(tmp_path):
    """Records with fields this version does not know (users with api_token_digests, from before
    tokens moved to the realm's token records) are a one-line StoreError, not a traceback."""
    state = tmp_path / "old.sqlite"
    create_app(str(state)).close()
    db = sqlite3.connect(state)
    key, data = db.execute("SELECT key, data FROM records WHERE kind = 'user' LIMIT 1").fetchone()
    old = json.dumps({**json.loads(data), "api_token_digests": []})
    db.execute("UPDATE records SET data = ? WHERE kind = 'user' AND key = ?", (old, key))
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="written by another version of the sandbox"):
        create_app(str(state))
