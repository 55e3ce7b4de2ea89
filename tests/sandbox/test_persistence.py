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
