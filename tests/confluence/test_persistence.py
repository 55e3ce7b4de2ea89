"""--state FILE keeps Confluence's content too: spaces, pages with their versions, labels, comments and
attachment bytes survive a restart, and ids are never handed out twice."""

import httpx

from atlctl.sandbox.server import SandboxServer

ALICE = ("alice", "alice")
NO_CHECK = {"X-Atlassian-Token": "no-check"}


def test_content_survives_a_restart(tmp_path):
    state = str(tmp_path / "sandbox.sqlite")
    with SandboxServer(state=state) as server:
        dc = server.url + "/confluence"
        space = httpx.post(dc + "/rest/api/space", json={"key": "KEEP", "name": "Kept"}, auth=ALICE).json()
        page = httpx.post(dc + "/rest/api/content", auth=ALICE, json={
            "type": "page", "title": "Kept page", "space": {"key": "KEEP"},
            "body": {"storage": {"value": "<p>1</p>", "representation": "storage"}}}).json()
        httpx.put(dc + f"/rest/api/content/{page['id']}", auth=ALICE,
                  json={"type": "page", "title": "Kept page", "version": {"number": 2},
                        "body": {"storage": {"value": "<p>2</p>", "representation": "storage"}}}).raise_for_status()
        httpx.post(dc + f"/rest/api/content/{page['id']}/label", json={"name": "kept"}, auth=ALICE).raise_for_status()
        httpx.post(dc + f"/rest/api/content/{page['id']}/child/attachment", files={"file": ("f.txt", b"bytes")},
                   headers=NO_CHECK, auth=ALICE).raise_for_status()
    with SandboxServer(state=state) as server:
        dc = server.url + "/confluence"
        got = httpx.get(dc + f"/rest/api/content/{page['id']}", params={"expand": "body.storage,version,space"}, auth=ALICE).json()
        assert got["version"]["number"] == 2 and got["body"]["storage"]["value"] == "<p>2</p>" and got["space"]["id"] == space["id"]
        assert httpx.get(dc + "/rest/api/search", params={"cql": "label = kept"}, auth=ALICE).json()["size"] == 1
        attachments = httpx.get(dc + f"/rest/api/content/{page['id']}/child/attachment", auth=ALICE).json()["results"]
        assert httpx.get(server.url + "/confluence" + attachments[0]["_links"]["download"], auth=ALICE).content == b"bytes"
        fresh = httpx.post(dc + "/rest/api/content", auth=ALICE, json={"type": "page", "title": "After", "space": {"key": "KEEP"}})
        assert int(fresh.json()["id"]) > int(attachments[0]["id"])  # ids go on where they stopped
