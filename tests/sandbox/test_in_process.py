"""The same app in-process, through Starlette's TestClient (DESIGN.md principle 9)."""

import warnings

import pytest
from starlette.exceptions import StarletteDeprecationWarning

from atlctl.sandbox.app import create_app

with warnings.catch_warnings():
    # Starlette 1.10 would rather drive its TestClient with httpx2; the pinned httpx works.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient


@pytest.fixture
def client():
    app = create_app(jira_version="8.20.10")
    with TestClient(app, base_url="http://sandbox.test") as client:
        yield client
    app.close()


def test_the_app_serves_in_process(client):
    info = client.get("/jira/rest/api/2/serverInfo").json()
    assert info["version"] == "8.20.10" and info["baseUrl"] == "http://sandbox.test/jira"
    me = client.get("/jira/rest/api/2/myself", auth=("alice", "alice"))
    assert me.status_code == 200 and me.headers["x-seraph-loginreason"] == "OK"
    assert client.get("/jira/rest/api/2/myself").json()["name"] == "alice"  # the client kept the cookie
    assert client.get("/_sandbox/stats").json()["products"]["jira"]["password_checks"] == 1


def test_drop_needs_a_socket(client):
    client.post("/_sandbox/settings", json={"jira": {"faults": [{"path": "/", "kind": "drop"}]}})
    with pytest.raises(RuntimeError, match="needs the sandbox served on a socket"):
        client.get("/jira/rest/api/2/serverInfo")
