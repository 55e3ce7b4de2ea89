"""POST /_sandbox/reset while a request waits (for its body, a password hash): the request gets
the sandbox's 503 and writes nothing of the old state into the new one, in memory or in the
state file. Driven through the ASGI interface, so the reset lands exactly inside the wait."""

import base64
import json
import threading

import anyio

from atlctl.sandbox import realm as realm_module
from atlctl.sandbox.app import create_app
from atlctl.sandbox.store import Store

BUSY = ["The sandbox was reset while this request was in progress; send it again."]


async def _request(app, method, path, headers, receive):
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"sandbox.test"), *((k.encode(), v.encode()) for k, v in headers.items())],
        "client": ("127.0.0.1", 50000),
        "server": ("sandbox.test", 80),
    }
    sent = []

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], dict((k.decode(), v.decode()) for k, v in start["headers"]), body


def _stored(state, kind, key):
    store = Store(state)
    try:
        return store.load("jira")[kind][key]
    finally:
        store.close()


def test_reset_while_waiting_for_the_body(tmp_path):
    state = str(tmp_path / "state.sqlite")
    app = create_app(state)
    jira = app.products["jira"]
    session = jira.realm.new_session(jira.realm.find_user("admin"))
    body = json.dumps({"fields": {"summary": "from before the reset"}}).encode()

    async def receive():
        app.reset()  # lands while the handler, holding DEMO-1, awaits the body
        return {"type": "http.request", "body": body, "more_body": False}

    headers = {"cookie": f"JSESSIONID={session.id}", "content-type": "application/json"}
    status, _, answer = anyio.run(_request, app, "PUT", "/jira/rest/api/2/issue/DEMO-1", headers, receive)
    assert status == 503 and json.loads(answer) == {"errorMessages": BUSY, "errors": {}}
    app.close()
    assert jira.data.issue("DEMO-1").summary == "Set up the team's sandbox"
    assert _stored(state, "issue", "10000")["summary"] == "Set up the team's sandbox"


def test_reset_while_checking_a_password(tmp_path, monkeypatch):
    state = str(tmp_path / "state.sqlite")
    app = create_app(state)
    entered, release = threading.Event(), threading.Event()

    def slow_verify(stored, password):
        entered.set()
        release.wait()
        return False

    monkeypatch.setattr(realm_module, "verify_password", slow_verify)

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def scenario():
        result = {}
        headers = {"authorization": "Basic " + base64.b64encode(b"admin:wrong").decode()}

        async def wrong_login():
            result["answer"] = await _request(app, "GET", "/jira/rest/api/2/myself", headers, receive)

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(wrong_login)
            await anyio.to_thread.run_sync(entered.wait)
            app.reset()  # on the event loop, while the hash runs in its thread
            release.set()
        return result["answer"]

    status, response_headers, _ = anyio.run(scenario)
    app.close()
    assert status == 503
    assert "set-cookie" not in response_headers  # no session for the old state
    admin = app.products["jira"].realm.find_user("admin")
    assert admin.failed_count == 0 and _stored(state, "user", admin.key)["failed_count"] == 0
